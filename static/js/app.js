// Send the CSRF token with every htmx request.
// Kept in one listener so an htmx upgrade is a single edit.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// Irreversible actions ask first: a form or its submit button carries data-confirm="question".
// Listening in the capture phase stops a declined submit before htmx or the browser sees it.
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question =
      (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);

// Copy buttons: <button data-copy="element-id" data-copied="Copied">. Without the clipboard
// API (plain http on an intranet) the text is selected instead, ready for Ctrl+C or a long press.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
  if (!button) {
    return;
  }
  var target = document.getElementById(button.getAttribute("data-copy"));
  if (!target) {
    return;
  }
  var text = target.textContent.replace(/\s+/g, "");
  var status = document.getElementById(button.getAttribute("aria-describedby") || "");
  function say(message, state) {
    button.setAttribute("data-state", state);
    if (status) {
      status.textContent = message;
    }
  }
  function selectText() {
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say(button.getAttribute("data-selected") || "", "selected");
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () {
      say(button.getAttribute("data-copied") || "", "copied");
    }, selectText);
  } else {
    selectText();
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
