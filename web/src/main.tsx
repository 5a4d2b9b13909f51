import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Api, loadApiBase } from "./api";
import { App, preloadScreen } from "./App";
import "./styles.css";

async function start(): Promise<void> {
  // All at once: where the API is (index.html says it, without a request), the code of the screen
  // this address shows, and the session (a reload of this tab resumes it with its refresh token).
  preloadScreen(window.location.pathname);
  const api = new Api(await loadApiBase());
  await api.resume();
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
}

// The app shell, kept for reloads on a flaky connection (public/sw.js); the dev server has none.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  window.addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => undefined));
}

void start();
