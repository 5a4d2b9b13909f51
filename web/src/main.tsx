import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Api, loadApiBase } from "./api";
import { App } from "./App";
import "./styles.css";

async function start(): Promise<void> {
  const api = new Api(await loadApiBase());
  await api.resume(); // a reload of this tab resumes its session, if it kept a refresh token
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
