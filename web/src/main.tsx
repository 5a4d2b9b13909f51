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

void start();
