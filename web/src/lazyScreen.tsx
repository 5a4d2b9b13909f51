// Screens load on demand: each is a chunk of its own (Vite splits at every `import()`), fetched
// the first time it shows, or earlier when `preload` asks (main.tsx preloads the screen of the
// address a page opens on, beside the token refresh). The first bundle carries the shell, the
// sign-in screens and the API client only: budget in web/test/budget.test.ts.
//
// Adding a screen: `const XPage = lazyScreen(() => import("./x").then((module) => module.XPage), "x");`
// in App.tsx, its branch in App's `if` chain and its path in `preloadScreen`'s table there, and
// never a static `import ... from "./x"` from the shell (App.tsx, auth.tsx, ui.tsx, main.tsx): that
// would put it, and what it imports, back in the first bundle.
//
// Not React.lazy: a chunk that failed to load (offline, a deploy in between) must be retryable, and
// React.lazy keeps its first failure for good.

import { createElement, useEffect, useRef, useState, type ComponentType } from "react";
import { Alert, Loading } from "./ui";

export interface LazyScreen<P> {
  (props: P): ReturnType<typeof createElement> | null;
  /** Starts loading the chunk (once); resolves when it is there. */
  preload: () => Promise<ComponentType<P>>;
}

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, what = "this page"): LazyScreen<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = undefined; // the next attempt asks the network again
        throw error;
      },
    ));

  function Screen(props: P) {
    const [, setShown] = useState<ComponentType<P>>();
    const [failed, setFailed] = useState(false);
    // App focuses #main after a move within the app: when that was this placeholder (the chunk was
    // not there yet), the screen's own main takes the focus once it shows, instead of the page.
    const placeholder = useRef<HTMLElement>(null);
    const refocus = useRef(false);
    useEffect(() => {
      if (loaded || failed) return;
      let current = true;
      preload().then(
        (component) => {
          if (!current) return;
          refocus.current = placeholder.current !== null && document.activeElement === placeholder.current;
          setShown(() => component);
        },
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, [failed]);
    useEffect(() => {
      if (!loaded || !refocus.current) return;
      refocus.current = false;
      document.getElementById("main")?.focus({ preventScroll: true });
    });
    if (loaded) return createElement(loaded, props);
    return (
      <main id="main" tabIndex={-1} ref={placeholder}>
        {failed ? (
          <>
            <Alert message={`${capitalised(what)} could not be loaded. Check your connection and try again.`} />
            <button type="button" onClick={() => setFailed(false)}>
              Try again
            </button>
          </>
        ) : (
          <Loading what={what} />
        )}
      </main>
    );
  }
  return Object.assign(Screen, { preload });
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
