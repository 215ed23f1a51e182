// Marks the page as scripted and starts the NHS.UK frontend components.
// The frontend's address comes from the page, so it follows the hashed static file
// name in production; the Content-Security-Policy allows no inline script.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
const script = document.getElementById("app-script");
if (script.dataset.tables) {
  const { makeTablesResponsive } = await import(script.dataset.tables);
  makeTablesResponsive();
}
const { initAll } = await import(script.dataset.nhsukFrontend);
initAll();
