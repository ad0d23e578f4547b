// A quiz's countdown. The server keeps the deadline: this only shows the time left, counted
// from when the page arrived (not the device's clock, which may be wrong), and submits the
// attempt when it reaches zero so the learner lands on the result.
(function () {
  var timer = document.querySelector(".countdown[data-seconds-left]");
  if (!timer) {
    return;
  }
  var value = timer.querySelector(".countdown-value");
  var ends = performance.now() + Number(timer.getAttribute("data-seconds-left")) * 1000;
  var submitted = false;
  function show() {
    var left = Math.max(0, Math.round((ends - performance.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    value.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    timer.classList.toggle("ending", left <= 60);
    if (left === 0 && !submitted) {
      submitted = true;
      var form = document.getElementById(timer.getAttribute("data-submit-form"));
      // form.submit() skips the confirm question: time is up, there is nothing to decide.
      if (form) {
        form.submit();
      }
      return;
    }
    window.setTimeout(show, 250);
  }
  show();
})();
