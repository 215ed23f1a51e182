// Marks the page as scripted and starts the NHS.UK frontend components.
// Loaded as a module from our own origin: the Content-Security-Policy allows no inline script.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("nhsuk-frontend-supported");
}
initAll();
