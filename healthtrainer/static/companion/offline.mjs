// The companion offline: registers the service worker, keeps diary entries written with
// no connection on this device, shows them as "not sent yet", and sends each when the
// connection returns. An entry keeps its own key, so one sent twice (a reply lost on the
// way) is kept once by the service; it leaves this device only once the service has it.
const script = document.getElementById("companion-offline");
const serviceWorker = script.dataset.serviceWorker;
const diaryForm = script.dataset.diaryForm;
const diaryPage = script.dataset.diaryPage;
const QUEUE = "companion-diary-waiting";

function waiting() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE) || "[]");
  } catch {
    return [];
  }
}

function keep(entries) {
  localStorage.setItem(QUEUE, JSON.stringify(entries));
  show();
}

function say(words) {
  const region = document.getElementById("companion-offline-status");
  if (region) {
    region.textContent = words;
  }
}

function describe(entry) {
  const when = `${entry.fields["recorded_date"] || ""} ${entry.fields["recorded_time"] || ""}`;
  const pain = entry.fields["pain"] ? `pain ${entry.fields["pain"]}` : "an entry";
  return `${pain}, ${when.trim()}`;
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
      item.textContent = `Not sent yet: ${describe(entry)}`;
      return item;
    }),
  );
  box.hidden = entries.length === 0;
}

function pad(number) {
  return String(number).padStart(2, "0");
}

function queueFrom(form) {
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
  // A page kept for offline use holds the key and time of when it was kept: each entry
  // gets a key of its own, and the moment it is written on this device.
  const now = new Date();
  fields["key"] = crypto.randomUUID();
  fields["recorded_date"] = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  fields["recorded_time"] = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  keep([...waiting(), { fields, strategies }]);
  form.reset();
  say("Saved on this phone. It will be sent when you are back online.");
}

async function send() {
  const token = document.querySelector('meta[name="app-csrf"]')?.content;
  if (!navigator.onLine || !token) {
    return;
  }
  let sent = 0;
  for (const entry of waiting()) {
    const body = new URLSearchParams(entry.fields);
    entry.strategies.forEach((value) => body.append("strategies_used", value));
    body.append("csrfmiddlewaretoken", token);
    let response;
    try {
      response = await fetch(diaryForm, { method: "POST", body, credentials: "same-origin" });
    } catch {
      return;
    }
    // Kept by the service (or already kept: the same key), which then shows the diary: it
    // may leave this device. Anything else (the form again, or the sign-in page for a
    // device signed out meanwhile) keeps it here.
    if (response.ok && new URL(response.url).pathname === diaryPage) {
      keep(waiting().filter((other) => other.fields.key !== entry.fields.key));
      sent += 1;
    }
  }
  if (sent) {
    say(`Sent: ${sent} diary ${sent === 1 ? "entry" : "entries"} saved while you were offline.`);
  }
}

function forget() {
  localStorage.removeItem(QUEUE);
  navigator.serviceWorker?.controller?.postMessage("forget");
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(serviceWorker).catch(() => undefined);
}
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-sign-out]")) {
    forget();
  } else if (form.matches("[data-diary-entry]") && !navigator.onLine) {
    event.preventDefault();
    queueFrom(form);
  }
});
window.addEventListener("online", send);
show();
send();
