// The header's menu, loaded (blocking, and small) right after the header, so that a folded
// header is folded before the page is first drawn: with a deferred script the links showed on
// three rows and the page jumped up when they folded, under the finger of someone about to tap.
//
// Where the header's links do not fit one line, fitHeader folds them into a panel
// (app.css, .nav-folded): below the desktop width always, on a desktop when they wrap (a
// supervisor's links in English at 1366 px). Without script nothing folds and the button stays
// hidden. The "Menu" button opens the panel without moving focus; Escape closes it and returns
// focus to the button; a tap anywhere outside the header closes it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var FOLD_BELOW = window.matchMedia("(max-width: 1365.98px)");
  function wraps(nav) {
    var tops = [];
    nav.querySelectorAll(":scope > ul > li").forEach(function (item) {
      if (item.offsetParent !== null) {
        tops.push(item.getBoundingClientRect().top);
      }
    });
    return Math.max.apply(null, tops) - Math.min.apply(null, tops) > 22;
  }
  function fitHeader() {
    var header = document.querySelector(".app-header");
    var toggle = navToggle();
    if (!header || !toggle) {
      return;
    }
    var fold = FOLD_BELOW.matches;
    if (!fold) {
      header.classList.remove("nav-folded");
      fold = wraps(header.querySelector("nav"));
    }
    header.classList.toggle("nav-folded", fold);
    if (!fold) {
      setNavOpen(toggle, false);
    }
  }
  function navToggle() {
    return document.querySelector(".app-header .nav-toggle");
  }
  function setNavOpen(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    var nav = toggle.closest("nav");
    nav.classList.toggle("nav-open", open);
    if (open) {
      // The section holding the current page opens with the panel, so the mark is in view.
      nav.querySelectorAll("details.nav-menu").forEach(function (menu) {
        if (menu.querySelector("summary.current")) {
          menu.open = true;
        }
      });
    }
  }
  document.addEventListener("click", function (event) {
    var toggle = navToggle();
    if (!toggle || !event.target.closest) {
      return;
    }
    var open = toggle.getAttribute("aria-expanded") === "true";
    if (event.target.closest(".nav-toggle") === toggle) {
      setNavOpen(toggle, !open);
    } else if (open && !event.target.closest(".app-header")) {
      setNavOpen(toggle, false);
    }
  });
  document.addEventListener("keydown", function (event) {
    var toggle = navToggle();
    if (event.key !== "Escape" || !toggle || toggle.getAttribute("aria-expanded") !== "true") {
      return;
    }
    setNavOpen(toggle, false);
    if (toggle.offsetParent !== null) {
      toggle.focus();
    }
  });
  fitHeader();
  var fitPending = false;
  window.addEventListener("resize", function () {
    if (!fitPending) {
      fitPending = true;
      window.requestAnimationFrame(function () {
        fitPending = false;
        fitHeader();
      });
    }
  });
})();
