// The companion's service worker, served at /my/service-worker.js so that its scope is
// the companion and nothing else. It keeps two things on the phone: the static files the
// pages use, and the page for a new diary entry, so that an entry can be written with no
// connection. Pages come from the network first, always: they hold the client's record and
// must be current, so none but the entry page is ever kept, and that one only as the page
// to show when there is no connection. Signing out deletes it.
const VERSION = "__VERSION__";
const STATIC_CACHE = `companion-static-${VERSION}`;
const PAGE_CACHE = "companion-diary-form";
const STATIC_PREFIX = "__STATIC_URL__";
const SCOPE = "__SCOPE__";
const DIARY_FORM = "__DIARY_FORM__";
const SIGN_IN = "__SIGN_IN__";
const PRECACHE = __PRECACHE__;

// Raised by each sign-out, so that a copy of the entry page fetched before it is not kept
// after it.
let generation = 0;

self.addEventListener("install", (event) => {
  // One missing file must not stop the rest from working offline.
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => Promise.allSettled(PRECACHE.map((url) => cache.add(url))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // A new version's static files have new names: the old ones are of no more use.
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name !== STATIC_CACHE && name !== PAGE_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function forget() {
  generation += 1;
  await caches.delete(PAGE_CACHE);
}

async function keepDiaryForm(response, since) {
  if (response.ok && response.type === "basic" && !response.redirected && since === generation) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(DIARY_FORM, response);
  }
}

// The entry page is kept as soon as a companion page opens, not only once the client has
// opened it, so that the first time they need it offline it is there.
async function fetchDiaryForm() {
  const cache = await caches.open(PAGE_CACHE);
  if (await cache.match(DIARY_FORM, { ignoreVary: true })) {
    return;
  }
  const since = generation;
  const response = await fetch(DIARY_FORM, { credentials: "same-origin" });
  await keepDiaryForm(response, since);
}

self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(forget());
  } else if (event.data === "keep-diary-form") {
    event.waitUntil(fetchDiaryForm().catch(() => undefined));
  }
});

// Static files come from the network (and the browser's own cache) while there is one;
// the copy kept here is for when there is not.
async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !(await cache.match(request))) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

async function page(request, path) {
  const since = generation;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await caches.match(DIARY_FORM, { cacheName: PAGE_CACHE, ignoreVary: true });
    if (kept) {
      return kept;
    }
    throw error;
  }
  if (path === DIARY_FORM) {
    await keepDiaryForm(response.clone(), since);
  } else if (path.startsWith(SIGN_IN) && response.ok) {
    // Whoever signs in next on this phone must not find the last client's page.
    await forget();
  }
  return response;
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
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(page(request, url.pathname));
  }
});
