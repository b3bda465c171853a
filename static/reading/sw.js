// The site's service worker, loaded by /sw.js (reading/views_notes.py) so that its scope is the
// whole site. Pages of the reading room and static files go to the network first; when the network
// cannot be reached, the copy stored by "Ladda ned för läsning offline" (reading/offline.js) answers.
// Nothing is stored here on its own: only meetings the reader chose to store, and each stored copy
// is refreshed whenever the page is read online. Everything else passes by untouched.

/* global self, caches, fetch, Response */
const PREFIX = "lasesal-";
const STATIC = self.STATIC_URL || "/static/";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function handled(request) {
  if (request.method !== "GET") return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/lasesal/kalender/")) return false;
  return url.pathname.startsWith("/lasesal/") || url.pathname.startsWith(STATIC) || url.pathname.startsWith("/pdf/");
}

async function refreshStoredCopies(request, response) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const cache = await caches.open(name);
    if (await cache.match(request, { ignoreVary: true })) await cache.put(request, response.clone());
  }
}

async function offlinePage() {
  const html = `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline – Läsesal</title></head>
<body><main><h1>Du är offline</h1><p>Sidan är inte sparad på den här enheten. Sammanträden som du har
laddat ned för läsning offline finns under <a href="/lasesal/">Mina sammanträden</a>.</p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await refreshStoredCopies(request, response);
    return response;
  } catch (error) {
    const stored = await caches.match(request, { ignoreVary: true });
    if (stored) return stored;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  if (handled(event.request)) event.respondWith(networkFirst(event.request));
});
