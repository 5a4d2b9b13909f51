// The shell: which screen for which path, signed in or not, and the navigation.

import { Suspense, lazy, useEffect, useState } from "react";
import { Api, ApiError } from "./api";
import { Confirm, ForgotPassword, ResetPassword, SignIn, SignUp, rememberReturn } from "./auth";
import { BusinessPage } from "./business";
import { Dashboard } from "./dashboard";
import { DataPage } from "./data";
import { Feed } from "./feed";
import { ProfilePage } from "./profile";
import { ProgramsPage } from "./programs";
import { VideosPage } from "./videos";
import type { Preferences } from "./types";
import { Alert, Link, Loading, OfflineBanner, navigate, useOnline, usePath, useReachable } from "./ui";

// The history screens load on demand: the first screen's bundle does not carry them.
const HistoryPage = lazy(() => import("./historyScreen").then((module) => ({ default: module.HistoryPage })));

const PUBLIC = ["/signin", "/signup", "/confirm", "/forgot", "/reset"];

export function App({ api }: { api: Api }) {
  const path = usePath();
  const [signedIn, setSignedIn] = useState(api.signedIn);
  const [notice, setNotice] = useState<string>();
  const [preferences, setPreferences] = useState<Preferences>();
  const [error, setError] = useState<string>();
  const online = useOnline();
  const reachable = useReachable(api.connection);

  useEffect(
    () =>
      api.onChange((now, reason) => {
        setSignedIn(now);
        if (!now) {
          setPreferences(undefined);
          setNotice(reason);
          if (!PUBLIC.includes(window.location.pathname)) navigate("/signin");
        } else {
          setNotice(undefined);
          // Signed in from another tab while this one showed the sign-in screen.
          if (window.location.pathname === "/signin") navigate("/");
        }
      }),
    [api],
  );

  useEffect(() => {
    if (!signedIn) return;
    api.call((client) => client.GET("/me/preferences")).then(setPreferences, (caught: unknown) => {
      if (caught instanceof ApiError && caught.status !== 401) setError(caught.message);
    });
  }, [api, signedIn]);

  // The API answers again after a reload that could not reach it: resume the tab's session.
  useEffect(() => {
    if (online && reachable && !signedIn) void api.resume();
  }, [api, online, reachable, signedIn]);

  // Focus the new screen's main region, so keyboard and screen-reader users start at its top.
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
    const heading = document.querySelector("h1")?.textContent;
    document.title = heading ? `${heading} · Stride` : "Stride";
  }, [path, signedIn, preferences]);

  if (!signedIn) {
    if (!PUBLIC.includes(path)) {
      rememberReturn(path + window.location.search);
      window.history.replaceState(null, "", "/signin");
    }
    return (
      <>
        <OfflineBanner online={online} reachable={reachable} />
        {publicScreen(api, path, notice)}
      </>
    );
  }
  if (PUBLIC.includes(path)) {
    window.history.replaceState(null, "", "/");
  }

  let screen;
  if (!preferences) {
    screen = (
      <main id="main" tabIndex={-1}>
        <Alert message={error} />
        {error ? null : <p>Loading…</p>}
      </main>
    );
  } else if (path === "/profile") {
    screen = <ProfilePage api={api} preferences={preferences} onPreferences={setPreferences} />;
  } else if (path === "/feed") {
    screen = <Feed api={api} />;
  } else if (path === "/videos" || path.startsWith("/videos/")) {
    screen = <VideosPage api={api} path={path} />;
  } else if (path === "/data") {
    screen = <DataPage api={api} preferences={preferences} onPreferences={setPreferences} />;
  } else if (path === "/programs") {
    screen = <ProgramsPage api={api} />;
  } else if (path === "/business") {
    screen = <BusinessPage api={api} />;
  } else if (path === "/history" || path.startsWith("/history/")) {
    screen = (
      <Suspense
        fallback={
          <main id="main" tabIndex={-1}>
            <Loading what="your history" />
          </main>
        }
      >
        <HistoryPage api={api} preferences={preferences} path={path} />
      </Suspense>
    );
  } else if (path === "/") {
    screen = <Dashboard key={`${preferences.units}-${preferences.timezone}`} api={api} preferences={preferences} />;
  } else {
    screen = <NotFound path={path} />;
  }

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Stride</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/">Dashboard</Link>
            </li>
            <li>
              <Link to="/history/weights" section="/history">
                History
              </Link>
            </li>
            <li>
              <Link to="/feed">Feed</Link>
            </li>
            <li>
              <Link to="/programs">Programs</Link>
            </li>
            <li>
              <Link to="/videos">Videos</Link>
            </li>
            <li>
              <Link to="/business">Business</Link>
            </li>
            <li>
              <Link to="/profile">Profile</Link>
            </li>
            <li>
              <Link to="/data">Your data</Link>
            </li>
            <li>
              <button type="button" className="link" onClick={() => api.signOut("You are signed out.")}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <OfflineBanner online={online} reachable={reachable} />
      {screen}
    </>
  );
}

function publicScreen(api: Api, path: string, notice?: string) {
  switch (path) {
    case "/signup":
      return <SignUp api={api} />;
    case "/confirm":
      return <Confirm api={api} />;
    case "/forgot":
      return <ForgotPassword api={api} />;
    case "/reset":
      return <ResetPassword api={api} />;
    default:
      return <SignIn api={api} notice={notice} />;
  }
}

/** An address no screen answers: said so, with the way back (never the dashboard in its place). */
function NotFound({ path }: { path: string }) {
  return (
    <main id="main" tabIndex={-1}>
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>.
      </p>
      <p>
        <Link to="/">Go to your dashboard</Link>
      </p>
    </main>
  );
}
