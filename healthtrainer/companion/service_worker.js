// The companion's service worker, served at /my/service-worker.js so that its scope is
// the companion and nothing else. It keeps two things: the static files the pages use,
// and the page for a new diary entry, so that an entry can be written with no
// connection. Every other page is fetched from the network, never from a cache: they hold
// the client's record and must be current. Signing out deletes the cache.
const CACHE = "companion-offline-v1";
const STATIC_PREFIX = "__STATIC_URL__";
const DIARY_FORM = "__DIARY_FORM__";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE));
  }
});

async function staticFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

async function diaryForm(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.url.endsWith(DIARY_FORM)) {
      const cache = await caches.open(CACHE);
      await cache.put(DIARY_FORM, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await caches.match(DIARY_FORM);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate" && url.pathname === DIARY_FORM) {
    event.respondWith(diaryForm(request));
  }
});
