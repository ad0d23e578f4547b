// Frontline's only script: send the CSRF token with every htmx request.
// Kept in one listener so an htmx upgrade is a single edit.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
