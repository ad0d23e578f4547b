// Frontline's only script: send the CSRF token with every htmx request.
// Kept in one listener so an htmx upgrade is a single edit.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// Reading evidence: note how long after opening the page the attestation at the end of a
// standard came into view (an offset, not a clock time: a tablet's clock may be wrong).
function watchAttestations(root) {
  if (!("IntersectionObserver" in window) || !root.querySelectorAll) {
    return;
  }
  root.querySelectorAll("input[data-reached-after]").forEach(function (field) {
    if (field.dataset.watched) {
      return;
    }
    field.dataset.watched = "1";
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        field.value = String(Math.round(performance.now()));
        observer.disconnect();
      }
    });
    observer.observe(field.form);
  });
}
document.addEventListener("DOMContentLoaded", function () {
  watchAttestations(document);
});
document.addEventListener("htmx:load", function (event) {
  watchAttestations(event.target);
});
