// Open Door kiosk service worker (served as /kiosk/sw.js with scope /kiosk/, and for each other
// library of a consortium as /l/<slug>/kiosk/sw.js with scope /l/<slug>/kiosk/).
// Keeps a kiosk taking responses while the server is unreachable:
// - pages and survey definitions: network first, the last good copy when the network fails;
// - versioned assets (/assets/<hash>/, /vendor/<pkg>@<version>/): cache first, they never change;
// - everything else, and every POST (responses go through the page's outbox): straight to the network.
const CACHE = "opendoor-kiosk-v1";
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** "/assets/abc123/js/x.js" → "/assets/abc123/"; "/vendor/survey-core@2.5.38/x" → "/vendor/survey-core@2.5.38/". */
function versionPrefix(pathname) {
  const match = /^\/(assets\/[^/]+|vendor\/[^/]+)\//.exec(pathname);
  return match ? `/${match[1]}/` : null;
}

const isVersioned = (url) => versionPrefix(url.pathname) !== null;
const isPageOrDefinition = (request, url) =>
  request.mode === "navigate" || /^(\/l\/[^/]+)?\/api\/surveys\/[^/]+$/.test(url.pathname);

/**
 * A kiosk page asks for its own URL and everything it loaded to be kept, because the first visit
 * happens before this worker controls the page. Assets of older versions are dropped.
 */
async function keep(requested) {
  const urls = requested.filter(
    (u) => new URL(u, self.location.href).origin === self.location.origin,
  );
  const cache = await caches.open(CACHE);
  const current = new Set(urls.map((u) => versionPrefix(new URL(u, self.location.href).pathname)));
  for (const request of await cache.keys()) {
    const prefix = versionPrefix(new URL(request.url).pathname);
    if (prefix && !current.has(prefix)) await cache.delete(request);
  }
  await Promise.all(
    urls.map(async (url) => {
      const request = new Request(url, { credentials: "same-origin" });
      if (isVersioned(new URL(request.url)) && (await cache.match(request))) return;
      try {
        const response = await fetch(request, { cache: "no-store" });
        if (response.ok) await cache.put(request, response);
      } catch {
        // Offline right now: the next visit will try again.
      }
    }),
  );
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "keep" && Array.isArray(event.data.urls)) {
    event.waitUntil(keep(event.data.urls).then(() => event.source?.postMessage({ type: "kept" })));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS) });
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isVersioned(url)) event.respondWith(cacheFirst(request));
  else if (isPageOrDefinition(request, url)) event.respondWith(networkFirst(request));
});
