// Polls the batch's progress and updates the bar; reloads once to show failures at the end.
(function () {
  "use strict";
  var root = document.getElementById("batch-progress");
  if (!root) return;
  var url = root.dataset.progressUrl;
  var bar = document.getElementById("progress-bar");
  function set(name, value) {
    var el = root.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value;
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + " %";
        ["percent", "done", "failed", "remaining"].forEach(function (k) { set(k, p[k]); });
        if (p.finished) {
          root.querySelector("[data-finished]").hidden = false;
          if (p.failed > 0 && !root.querySelector("table")) window.location.reload();
        } else {
          window.setTimeout(tick, 1000);
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  tick();
})();
