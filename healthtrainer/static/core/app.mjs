// Marks the page as scripted and starts the NHS.UK frontend components.
// The frontend's address comes from the page, so it follows the hashed static file
// name in production; the Content-Security-Policy allows no inline script.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
const { initAll } = await import(document.getElementById("app-script").dataset.nhsukFrontend);
initAll();
