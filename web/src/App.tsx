// The shell: which screen for which path, signed in or not, and the navigation.

import { useEffect, useState } from "react";
import { Api, ApiError } from "./api";
import { SignIn, rememberReturn } from "./auth";
import { prefetchDashboard } from "./dashboardData";
import { setDisplayZone } from "./dates";
import { lazyScreen } from "./lazyScreen";
import type { Preferences } from "./types";
import { Alert, Link, OfflineBanner, navigate, useOnline, usePath, useReachable } from "./ui";

// Every signed-in screen is a chunk of its own, loaded when it first shows (lazyScreen.tsx says
// how to add one): the first bundle carries the shell and the sign-in screens only.
const Dashboard = lazyScreen(() => import("./dashboard").then((module) => module.Dashboard), "your dashboard");
const HistoryPage = lazyScreen(() => import("./historyScreen").then((module) => module.HistoryPage), "your history");
const Feed = lazyScreen(() => import("./feed").then((module) => module.Feed), "the feed");
const ProgramsPage = lazyScreen(() => import("./programs").then((module) => module.ProgramsPage), "programs");
const VideosPage = lazyScreen(() => import("./videos").then((module) => module.VideosPage), "videos");
const BusinessPage = lazyScreen(() => import("./business").then((module) => module.BusinessPage), "your business");
const ProfilePage = lazyScreen(() => import("./profile").then((module) => module.ProfilePage), "your profile");
const DataPage = lazyScreen(() => import("./data").then((module) => module.DataPage), "your data");
// The public screens other than the sign-in: the first bundle carries the sign-in only.
const SignUp = lazyScreen(() => import("./authScreens").then((module) => module.SignUp), "the sign-up");
const Confirm = lazyScreen(() => import("./authScreens").then((module) => module.Confirm), "the confirmation");
const ForgotPassword = lazyScreen(() => import("./authScreens").then((module) => module.ForgotPassword), "the password reset");
const ResetPassword = lazyScreen(() => import("./authScreens").then((module) => module.ResetPassword), "the password reset");
// A workout's figures, splits and route (issue 28).
const WorkoutPage = lazyScreen(() => import("./workoutScreen").then((module) => module.WorkoutPage), "the workout");

/** Starts loading the chunk of the screen at `path` (main.tsx: beside the token refresh, so the
 * screen's code is there when the session is). */
export function preloadScreen(path: string): void {
  const screen = [
    { at: "/", screen: Dashboard },
    { at: "/history", screen: HistoryPage },
    { at: "/feed", screen: Feed },
    { at: "/programs", screen: ProgramsPage },
    { at: "/videos", screen: VideosPage },
    { at: "/business", screen: BusinessPage },
    { at: "/profile", screen: ProfilePage },
    { at: "/data", screen: DataPage },
    { at: "/workouts", screen: WorkoutPage },
  ].find(({ at }) => path === at || (at !== "/" && path.startsWith(`${at}/`)))?.screen;
  screen?.preload().catch(() => undefined); // the screen says so when it shows, with a retry
}

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
    // The dashboard's data in the same round trip as the preferences, not in the one after.
    if (window.location.pathname === "/") prefetchDashboard(api);
    api.call((client) => client.GET("/me/preferences")).then(setPreferences, (caught: unknown) => {
      if (caught instanceof ApiError && caught.status !== 401) setError(caught.message);
    });
  }, [api, signedIn]);

  // The API answers again after a reload that could not reach it: resume the tab's session.
  useEffect(() => {
    if (online && reachable && !signedIn) void api.resume();
  }, [api, online, reachable, signedIn]);

  // Focus the new screen's main region after a move within the app, so keyboard and screen-reader
  // users start at its top. Not on the page's first load: the first Tab then reaches the skip link
  // and the navigation, as on any page (focusing main made it skip them).
  const [firstPath] = useState(path);
  useEffect(() => {
    if (path !== firstPath) document.getElementById("main")?.focus({ preventScroll: true });
    const heading = document.querySelector("h1")?.textContent;
    document.title = heading ? `${heading} · Stride` : "Stride";
  }, [path, firstPath, signedIn, preferences]);

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

  // Every screen's dates and times in the profile's zone (dates.ts), set before they render.
  setDisplayZone(preferences?.timezone);
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
    screen = <HistoryPage api={api} preferences={preferences} path={path} />;
  } else if (/^\/workouts\/[^/]+$/.test(path)) {
    screen = (
      <WorkoutPage
        api={api}
        units={preferences.units}
        timezone={preferences.timezone}
        workoutId={decodeURIComponent(path.slice("/workouts/".length))}
      />
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
