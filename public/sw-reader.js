// Service worker for the reader's tablet (registered only on /reader, scope /reader).
// Network first, cache as the fallback: online the reader always gets fresh pages and data;
// offline a reload still gets the last /reader page (which carries the day's route data) and
// the scripts and styles it needs. Readings themselves never go through this cache: they live
// in IndexedDB and are posted to /api/readings/sync, which this worker leaves alone.
const CACHE = "chaohe-reader-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function cacheable(request) {
  if (request.method !== "GET") return false;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/api/")) return false; // auth, sync, exports: never cached
  if (url.pathname.startsWith("/_next/webpack-hmr") || url.pathname.includes("__nextjs")) return false;
  return true;
}

// A navigation to /reader?x or /reader#y is the same document offline.
function keyFor(request) {
  const url = new URL(request.url);
  if (request.mode === "navigate" || request.destination === "document") return url.origin + url.pathname;
  return request.url;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // a redirect to the login page must not replace the cached reader page
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(keyFor(request), response.clone());
    }
    return response;
  } catch (err) {
    const hit = (await cache.match(keyFor(request), { ignoreVary: true })) || (await cache.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  if (!cacheable(event.request)) return;
  event.respondWith(networkFirst(event.request));
});

// The page tells the worker what it loaded before the worker was in control (the first
// visit), so those files are cached too and the very next reload works offline.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const u of data.urls) {
        try {
          const url = new URL(u, self.location.origin);
          if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) continue;
          const isDoc = url.pathname.startsWith("/reader");
          const res = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
          if (res.ok && !res.redirected) await cache.put(isDoc ? url.origin + url.pathname : url.href, res);
        } catch {
          /* offline already: nothing to do */
        }
      }
      if (event.source) event.source.postMessage({ type: "cached", count: data.urls.length });
    })(),
  );
});
