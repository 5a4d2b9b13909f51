// Stride's service worker: keeps the app shell (the page and its hashed assets, all from this
// origin) so a reload on a flaky connection still shows the app and its "offline" state.
// It never touches another origin's requests (the API's answers, tokens, the bucket's files)
// nor anything but GET: those go to the network as if there were no service worker.

const SHELL = "stride-shell-v2";
const PAGE = "/";
const STATIC = ["/manifest.webmanifest", "/favicon.svg"];
// Where this page's API is (the web server's own file, not an API answer): needed to resume.
const CONFIG = "/config.json";

/** The page, the /assets/ files it names (their names change with their content), and the
 * screens' chunks the first script names (loaded on demand: kept now, so a screen never opened
 * online still opens offline). */
async function cacheShell() {
  const cache = await caches.open(SHELL);
  const page = await fetch(PAGE, { cache: "no-cache" });
  if (!page.ok) return;
  const html = await page.clone().text();
  const assets = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]));
  for (const script of [...assets].filter((path) => path.endsWith(".js"))) {
    const code = await fetch(script).then((response) => (response.ok ? response.text() : ""));
    for (const match of code.matchAll(/"(assets\/[^"]+\.js)"/g)) assets.add(`/${match[1]}`);
  }
  await cache.put(PAGE, page);
  await cache.addAll([...STATIC, CONFIG, ...assets]);
}

/** The network's answer, kept under `key` when it is of `type`; the kept one when the network
 * cannot answer. (A tab opened on /config.json or the icon is a navigation too: it must not
 * replace the kept page.) */
function networkFirst(request, key, type) {
  return fetch(request)
    .then((response) => {
      if (response.ok && (response.headers.get("content-type") ?? "").startsWith(type)) {
        const copy = response.clone();
        void caches.open(SHELL).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.match(key).then((kept) => kept ?? Response.error()));
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The network first (a new release shows at once); the kept page when it cannot answer.
    event.respondWith(networkFirst(request, PAGE, "text/html"));
  } else if (url.pathname === CONFIG) {
    event.respondWith(networkFirst(request, CONFIG, "application/json"));
  } else if (url.pathname.startsWith("/assets/") || STATIC.includes(url.pathname)) {
    // Hashed assets never change: the kept copy, or the network's, kept for next time.
    event.respondWith(
      caches.match(request).then(
        (kept) =>
          kept ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(SHELL).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
