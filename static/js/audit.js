// The audit checklist on a tablet: every tap is saved to the server at once and never lost.
//
// Protocol (audits/saves.py): each tap sends the item's whole state with a fresh operation id
// and the item's next sequence number. The server keeps a save only if its sequence number is
// newer than the one it holds, so a replayed, retried or late request never undoes a later tap,
// and answers with one small fragment: the item's state as stored and the running score.
// Taps not yet confirmed are kept in localStorage, so a reload resumes them; a failed save is
// retried with backoff, and the latest state of every item always gets through.
(function () {
  "use strict";

  var root = document.getElementById("audit-checklist");
  if (!root || !window.fetch) {
    return; // without script each item is a plain form that saves with a page load
  }
  var STORE_KEY = "frontline.audit." + root.getAttribute("data-audit");
  var TIMEOUT_MS = 10000;
  var MAX_IN_FLIGHT = 6;
  var MAX_BACKOFF_MS = 30000;
  var NOTE_PAUSE_MS = 700;
  var texts = root.dataset;
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var banner = document.getElementById("audit-connection");
  var pendingCount = document.getElementById("audit-pending");
  var retryButton = document.getElementById("audit-retry");
  var items = {}; // item id -> state
  var queue = []; // item ids waiting for a free connection
  var inFlight = 0;
  var failures = 0; // consecutive failed saves: sets the backoff
  var retryTimer = null;
  var retryAt = 0;
  var countdown = null;
  var stopped = null; // a reason no save can succeed (signed out, audit closed)

  function makeOpId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // ---- state of one item --------------------------------------------------------------------

  function readItem(form) {
    var data = form.dataset;
    var seq = parseInt(data.seq, 10) || 0;
    return {
      id: data.item,
      form: form,
      perOccurrence: data.perOccurrence === "1",
      outcome: data.outcome || "",
      occurrences: parseInt(data.occurrences, 10) || 0,
      note: form.elements.note ? form.elements.note.value : "",
      seq: seq, // the latest sequence number this tablet has given the item
      op: data.op || "",
      confirmed: seq, // the latest sequence number the server has confirmed
      sentSeq: 0, // the sequence number of the newest request sent for the item
      failed: false,
      noteTimer: null,
    };
  }

  function isPending(item) {
    return item.confirmed < item.seq;
  }

  function show(item) {
    var form = item.form;
    form.dataset.outcome = item.outcome;
    form.dataset.occurrences = String(item.occurrences);
    form.querySelectorAll("button[name=outcome]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === item.outcome ? "true" : "false");
    });
    var count = form.querySelector("output[data-occurrences]");
    if (count) {
      count.textContent = String(item.occurrences);
    }
    var minus = form.querySelector("button[name=step][value='-1']");
    if (minus) {
      minus.disabled = item.occurrences <= 0;
    }
    var note = form.querySelector(".item-note");
    if (note) {
      note.hidden = item.outcome !== "fail";
    }
    if (form.elements.note && document.activeElement !== form.elements.note) {
      form.elements.note.value = item.note;
    }
    if (form.elements.seq) {
      form.elements.seq.value = String(item.seq + 1);
    }
    var state = item.failed ? "failed" : isPending(item) ? "pending" : "saved";
    if (!item.outcome && !isPending(item)) {
      state = "unanswered";
    }
    var label = form.querySelector(".item-state");
    if (label && label.getAttribute("data-state") !== state) {
      label.setAttribute("data-state", state);
      label.textContent = texts["text" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    }
    form.classList.toggle("is-failed-item", item.outcome === "fail");
  }

  // A tap: the new whole state gets the next sequence number and a fresh operation id.
  function change(item, outcome, occurrences, note) {
    if (stopped) {
      return;
    }
    item.outcome = outcome;
    item.occurrences = occurrences;
    item.note = note;
    item.seq += 1;
    item.op = makeOpId();
    item.failed = false;
    remember(item);
    show(item);
    send(item);
    updateSummary();
  }

  function tapOutcome(item, outcome) {
    if (item.outcome === outcome && !(outcome === "fail" && item.perOccurrence && !item.occurrences)) {
      return; // the same answer again changes nothing
    }
    var occurrences = 0;
    if (outcome === "fail" && item.perOccurrence) {
      occurrences = Math.max(1, item.occurrences);
    }
    change(item, outcome, occurrences, item.note);
  }

  function step(item, by) {
    var max = parseInt(item.form.dataset.maxOccurrences, 10) || 99;
    var occurrences = Math.min(max, Math.max(0, item.occurrences + by));
    if (occurrences === item.occurrences && item.outcome) {
      return;
    }
    change(item, occurrences > 0 ? "fail" : "pass", occurrences, item.note);
  }

  function noteTyped(item) {
    clearTimeout(item.noteTimer);
    item.noteTimer = setTimeout(function () {
      noteDone(item);
    }, NOTE_PAUSE_MS);
  }

  function noteDone(item) {
    clearTimeout(item.noteTimer);
    var note = item.form.elements.note.value;
    if (note !== item.note) {
      change(item, item.outcome, item.occurrences, note);
    }
  }

  // ---- kept on the tablet until the server confirms -------------------------------------------

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function save(all) {
    try {
      if (Object.keys(all).length) {
        window.localStorage.setItem(STORE_KEY, JSON.stringify(all));
      } else {
        window.localStorage.removeItem(STORE_KEY);
      }
    } catch (error) {
      // Private mode or a full store: the taps still go to the server, only a reload loses them.
    }
  }

  function remember(item) {
    var all = stored();
    all[item.id] = {
      seq: item.seq,
      op: item.op,
      outcome: item.outcome,
      occurrences: item.occurrences,
      note: item.note,
    };
    save(all);
  }

  function forget(item) {
    var all = stored();
    if (all[item.id] && all[item.id].seq <= item.confirmed) {
      delete all[item.id];
      save(all);
    }
  }

  // ---- talking to the server --------------------------------------------------------------------

  function send(item) {
    if (queue.indexOf(item.id) < 0) {
      queue.push(item.id);
    }
    pump();
  }

  function pump() {
    while (inFlight < MAX_IN_FLIGHT && queue.length && !stopped) {
      var item = items[queue.shift()];
      if (isPending(item) && item.sentSeq !== item.seq) {
        post(item);
      }
    }
  }

  function post(item) {
    var seq = item.seq;
    var body = new URLSearchParams();
    body.set("outcome", item.outcome);
    body.set("occurrences", String(item.occurrences));
    body.set("note", item.note);
    body.set("seq", String(seq));
    body.set("op", item.op);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
    }, TIMEOUT_MS);
    item.sentSeq = seq;
    inFlight += 1;
    window
      .fetch(item.form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "X-CSRF-Token": csrf ? csrf.content : "",
          "X-Audit-Client": "1",
          Accept: "text/html",
        },
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        if (response.ok) {
          return response.text().then(function (html) {
            saved(item, seq, html);
          });
        }
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          stop(texts.textSignedOut);
        } else if (response.status === 409) {
          return response.text().then(function (html) {
            stop(texts.textClosed, html);
          });
        } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          rejected(item, seq);
        } else {
          failed(item, seq);
        }
      })
      .catch(function () {
        failed(item, seq);
      })
      .then(function () {
        clearTimeout(timer);
        inFlight -= 1;
        if (item.sentSeq === seq && isPending(item)) {
          item.sentSeq = 0; // nothing newer went out: a retry may send this state again
        }
        pump();
        updateSummary();
      });
  }

  function saved(item, seq, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var result = template.content.querySelector("[data-saved-item]");
    var score = template.content.querySelector("#audit-score");
    if (score) {
      var current = document.getElementById("audit-score");
      if (current) {
        current.replaceWith(score);
      }
    }
    connectionBack();
    if (!result) {
      return;
    }
    var serverSeq = parseInt(result.getAttribute("data-seq"), 10) || 0;
    if (serverSeq < item.seq) {
      return; // the server has not got this tablet's latest tap yet; it is on its way
    }
    if (result.getAttribute("data-op") !== item.op) {
      // Another tablet saved this item with the same or a later number: show what is stored.
      item.outcome = result.getAttribute("data-outcome") || "";
      item.occurrences = parseInt(result.getAttribute("data-occurrences"), 10) || 0;
      item.note = result.getAttribute("data-note") || "";
      item.op = result.getAttribute("data-op") || "";
      item.seq = serverSeq;
    }
    item.confirmed = Math.max(item.confirmed, serverSeq);
    item.failed = false;
    forget(item);
    show(item);
  }

  function failed(item, seq) {
    failures += 1;
    if (seq === item.seq) {
      item.failed = true;
      show(item);
    }
    scheduleRetry();
  }

  function rejected(item, seq) {
    // The server refused this state outright (it cannot be saved): keep showing it as failed.
    if (seq === item.seq) {
      item.failed = true;
      show(item);
    }
  }

  function stop(reason, html) {
    stopped = reason || "";
    clearTimeout(retryTimer);
    if (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var detail = template.content.querySelector("[data-refusal]");
      if (detail) {
        stopped = detail.textContent.trim();
      }
    }
    root.classList.add("is-stopped");
  }

  // ---- a lost connection: shown plainly, retried with backoff -------------------------------------

  function scheduleRetry() {
    if (retryTimer || stopped) {
      return;
    }
    var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(failures - 1, 5)));
    delay = Math.round(delay * (0.8 + Math.random() * 0.4));
    retryAt = Date.now() + delay;
    retryTimer = setTimeout(retryNow, delay);
    if (!countdown) {
      countdown = setInterval(updateSummary, 1000);
    }
  }

  function retryNow() {
    clearTimeout(retryTimer);
    retryTimer = null;
    Object.keys(items).forEach(function (id) {
      var item = items[id];
      if (isPending(item) && item.sentSeq !== item.seq) {
        send(item);
      }
    });
    updateSummary();
  }

  function connectionBack() {
    var wasDown = failures > 0;
    failures = 0;
    if (wasDown) {
      retryNow(); // one save got through: send every other waiting tap now
    }
  }

  function pendingItems() {
    return Object.keys(items).filter(function (id) {
      return isPending(items[id]);
    });
  }

  function fill(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (_match, key) {
      return values[key];
    });
  }

  function updateSummary() {
    var waiting = pendingItems().length;
    if (pendingCount) {
      pendingCount.textContent = waiting
        ? fill(waiting === 1 ? texts.textWaitingOne : texts.textWaitingMany, { n: waiting })
        : texts.textAllSaved || "";
      pendingCount.setAttribute("data-pending", String(waiting));
    }
    root.setAttribute("data-pending", String(waiting));
    var message = "";
    var state = "online";
    if (stopped !== null) {
      message = stopped;
      state = "stopped";
    } else if (failures > 0 && waiting) {
      var seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      message = fill(texts.textOffline, { s: seconds });
      state = "offline";
    } else if (countdown) {
      clearInterval(countdown);
      countdown = null;
    }
    if (banner) {
      banner.hidden = !message;
      banner.setAttribute("data-state", state);
      var text = banner.querySelector("[data-message]");
      if (text && text.textContent !== message) {
        text.textContent = message;
      }
    }
    if (retryButton) {
      retryButton.hidden = state !== "offline";
    }
    var submit = document.getElementById("audit-submit-button");
    if (submit) {
      submit.setAttribute("aria-disabled", waiting ? "true" : "false");
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------

  root.querySelectorAll("form.audit-item[data-item]").forEach(function (form) {
    var item = readItem(form);
    items[item.id] = item;
  });

  // Taps this tablet made that the server had not confirmed when the page was left.
  var kept = stored();
  Object.keys(kept).forEach(function (id) {
    var item = items[id];
    var tap = kept[id];
    if (!item || !tap || tap.seq <= item.confirmed) {
      return;
    }
    item.outcome = tap.outcome || "";
    item.occurrences = tap.occurrences || 0;
    item.note = tap.note || "";
    item.seq = tap.seq;
    item.op = tap.op;
    show(item);
    send(item);
  });
  save(
    Object.keys(kept).reduce(function (all, id) {
      if (items[id] && kept[id].seq > items[id].confirmed) {
        all[id] = kept[id];
      }
      return all;
    }, {})
  );

  root.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button || !root.contains(button)) {
      return;
    }
    var form = button.form;
    var item = form && form.dataset.item ? items[form.dataset.item] : null;
    if (button.hasAttribute("data-all-pass")) {
      event.preventDefault();
      allRemainingPass(button.closest("[data-section]"));
    } else if (item && button.name === "outcome") {
      event.preventDefault();
      tapOutcome(item, button.value);
    } else if (item && button.name === "step") {
      event.preventDefault();
      step(item, parseInt(button.value, 10));
    }
  });

  function allRemainingPass(section) {
    if (!section) {
      return;
    }
    section.querySelectorAll("form.audit-item[data-item]").forEach(function (form) {
      var item = items[form.dataset.item];
      if (item && !item.outcome) {
        change(item, "pass", 0, item.note);
      }
    });
  }

  root.addEventListener("input", function (event) {
    var field = event.target;
    if (field.name === "note" && field.form && items[field.form.dataset.item]) {
      noteTyped(items[field.form.dataset.item]);
    }
  });
  root.addEventListener("change", function (event) {
    var field = event.target;
    if (field.name === "note" && field.form && items[field.form.dataset.item]) {
      noteDone(items[field.form.dataset.item]);
    }
  });
  root.addEventListener("submit", function (event) {
    // Enter in a note field: save the note, do not reload the page.
    if (event.target.classList.contains("audit-item")) {
      event.preventDefault();
      var item = items[event.target.dataset.item];
      if (item && event.target.elements.note) {
        noteDone(item);
      }
    }
  });

  if (retryButton) {
    retryButton.addEventListener("click", function () {
      failures = 0;
      retryNow();
    });
  }
  window.addEventListener("online", retryNow);

  // Submitting waits for every tap: the server also refuses while any is missing.
  var submitForm = document.getElementById("audit-submit");
  if (submitForm) {
    submitForm.addEventListener(
      "submit",
      function (event) {
        Object.keys(items).forEach(function (id) {
          if (items[id].noteTimer) {
            noteDone(items[id]);
          }
        });
        var waiting = pendingItems().length;
        var seqs = submitForm.querySelector("input[name=seqs]");
        if (seqs) {
          seqs.value = Object.keys(items)
            .map(function (id) {
              return id + ":" + items[id].seq;
            })
            .join(",");
        }
        if (waiting) {
          event.preventDefault();
          event.stopImmediatePropagation();
          var note = document.getElementById("audit-submit-wait");
          if (note) {
            note.hidden = false;
            note.textContent = fill(
              waiting === 1 ? texts.textSubmitWaitOne : texts.textSubmitWaitMany,
              { n: waiting }
            );
          }
          retryNow();
        }
      },
      true
    );
  }

  window.addEventListener("beforeunload", function (event) {
    if (pendingItems().length) {
      event.preventDefault(); // the taps are kept on the tablet, but say so before leaving
      event.returnValue = "";
    }
  });

  root.classList.add("is-live");
  updateSummary();
})();
