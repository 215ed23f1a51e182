// The companion offline: registers the service worker, keeps diary entries written with
// no connection on this device, shows them as "not sent yet", and sends each when the
// connection returns. An entry keeps its own key, so one sent twice (a reply lost on the
// way) is kept once by the service; it leaves this device only once the service has it.
// Without this script the entry form is an ordinary form, and works as one.
const script = document.getElementById("companion-offline");
const { serviceWorker, diaryForm, diaryPage, owner, timeZone } = script.dataset;
const QUEUE = "companion-diary-waiting";

// Entries of every client who used this phone: a phone can change hands, and each entry
// goes only to the client who wrote it.
function stored() {
  try {
    const entries = JSON.parse(localStorage.getItem(QUEUE) || "[]");
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}

function waiting() {
  return stored().filter((entry) => entry.owner === owner);
}

function store(entries) {
  localStorage.setItem(QUEUE, JSON.stringify(entries));
  show();
}

function change(key, changed) {
  store(
    stored().flatMap((entry) =>
      entry.owner === owner && entry.fields.key === key ? changed(entry) : [entry],
    ),
  );
}

function words(name) {
  return document.getElementById("companion-offline-status")?.dataset[name] ?? "";
}

function say(text) {
  const region = document.getElementById("companion-offline-status");
  if (region) {
    region.textContent = text;
  }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

function describe(entry) {
  const list = document.getElementById("companion-offline-list").dataset;
  const [year, month, day] = (entry.fields.recorded_date || "").split("-").map(Number);
  const [hour, minute] = (entry.fields.recorded_time || "").split(":").map(Number);
  // The moment as the client wrote it, shown as written, whatever this phone's time zone.
  const moment = new Date(Date.UTC(year, month - 1, day, hour, minute));
  const when = Number.isNaN(moment.getTime())
    ? ""
    : new Intl.DateTimeFormat(document.documentElement.lang || "en-GB", {
        timeZone: "UTC",
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(moment);
  const what = entry.fields.pain ? fill(list.pain, { score: entry.fields.pain }) : list.entry;
  return fill(entry.refused ? list.refused : list.item, { when, what });
}

function show() {
  const list = document.getElementById("companion-offline-list");
  const box = document.getElementById("companion-offline-waiting");
  if (!list || !box) {
    return;
  }
  const entries = waiting();
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement("li");
      item.textContent = describe(entry);
      if (entry.refused) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small";
        remove.textContent = list.dataset.remove;
        remove.addEventListener("click", () => change(entry.fields.key, () => []));
        item.append(" ", remove);
      }
      return item;
    }),
  );
  box.hidden = entries.length === 0;
}

// Now, as the service reads the date and time it is given: in its own time zone, which
// need not be this phone's.
function now() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone || undefined,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date())
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

// The entry page may be the copy kept for offline use, with the key and the moment of
// when it was kept: each showing of the form gets a key of its own, and the time now,
// unless the client has changed it.
function freshen(form) {
  const key = crypto.randomUUID?.();
  if (key) {
    form.elements.key.value = key;
  }
  const moment = now();
  for (const [name, value] of [
    ["recorded_date", moment.date],
    ["recorded_time", moment.time],
  ]) {
    const input = form.elements[name];
    if (input && input.value === input.defaultValue) {
      input.defaultValue = value;
      input.value = value;
    }
  }
}

function fieldsOf(form) {
  const fields = {};
  const strategies = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (name === "csrfmiddlewaretoken") {
      continue;
    }
    if (name === "strategies_used") {
      strategies.push(value);
    } else {
      fields[name] = value;
    }
  }
  return { fields, strategies };
}

function isEmpty({ fields, strategies }) {
  return (
    ["pain", "mood", "sleep", "activity", "activity_minutes", "note"].every(
      (name) => !(fields[name] || "").trim(),
    ) && strategies.length === 0
  );
}

function body({ fields, strategies }, token) {
  const encoded = new URLSearchParams(fields);
  strategies.forEach((value) => encoded.append("strategies_used", value));
  encoded.append("csrfmiddlewaretoken", token);
  return encoded;
}

function keep(form, entry) {
  store([...stored(), { owner, ...entry }]);
  form.reset();
  freshen(form);
  say(words("saved"));
}

let submitting = false;

// With a connection the entry goes to the service as the form would send it; only if it
// cannot get there is it kept on the phone, with the key it was sent with, so that it is
// kept once even if it did arrive.
async function submit(form) {
  const entry = fieldsOf(form);
  if (isEmpty(entry)) {
    if (!navigator.onLine) {
      say(words("empty"));
      return;
    }
    form.submit();
    return;
  }
  if (!navigator.onLine) {
    keep(form, entry);
    return;
  }
  let response;
  try {
    response = await fetch(diaryForm, {
      method: "POST",
      body: body(entry, form.elements.csrfmiddlewaretoken.value),
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch {
    keep(form, entry);
    return;
  }
  if (response.type === "opaqueredirect") {
    // Kept: the diary page says so, as it does for the form without this script.
    window.location.assign(diaryPage);
    return;
  }
  // The service has something to say about the entry, or the form has expired: it says so
  // on the page it answers the form with, the same entry (the same key) sent again.
  form.submit();
}

let sending = false;

async function sendOne(entry, token) {
  let response;
  try {
    response = await fetch(diaryForm, {
      method: "POST",
      body: body(entry, token),
      credentials: "same-origin",
    });
  } catch {
    return "not sent";
  }
  const path = new URL(response.url).pathname;
  if (response.ok && path === diaryPage) {
    return "kept";
  }
  if (response.ok && path === diaryForm) {
    return "refused";
  }
  // Signed out, an expired form or a fault: the entry waits for the next try.
  return "not sent";
}

async function send() {
  const token = document.querySelector('meta[name="app-csrf"]')?.content;
  const entries = waiting().filter((entry) => !entry.refused);
  if (sending || !navigator.onLine || !token || entries.length === 0) {
    return;
  }
  sending = true;
  let sent = 0;
  try {
    for (const entry of entries) {
      const outcome = await sendOne(entry, token);
      if (outcome === "not sent") {
        break;
      }
      if (outcome === "kept") {
        change(entry.fields.key, () => []);
        sent += 1;
      } else {
        change(entry.fields.key, (kept) => [{ ...kept, refused: true }]);
      }
    }
  } finally {
    sending = false;
  }
  if (sent) {
    say(words("sent"));
  }
}

function forget() {
  localStorage.removeItem(QUEUE);
  navigator.serviceWorker?.controller?.postMessage("forget");
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker
    .register(serviceWorker)
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      if (navigator.onLine && document.querySelector("[data-sign-out]") === null) {
        registration.active?.postMessage("keep-diary-form");
      }
    })
    .catch(() => undefined);
}

for (const form of document.querySelectorAll("form[data-diary-entry]")) {
  // Shown offline in place of another companion page, the form still goes to the diary.
  form.action = diaryForm;
  if (!document.querySelector(".nhsuk-error-summary")) {
    freshen(form);
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-sign-out]")) {
    forget();
  } else if (form.matches("[data-diary-entry]")) {
    event.preventDefault();
    if (submitting) {
      return;
    }
    submitting = true;
    submit(form).finally(() => {
      submitting = false;
    });
  }
});
window.addEventListener("online", send);
// A phone can have a signal and no connection, and tell no one when that changes.
document.addEventListener("visibilitychange", () => document.hidden || send());
setInterval(send, 60_000);
show();
if (navigator.onLine) {
  send();
} else {
  say(words("offline"));
}
