// Polls a job's progress and updates the bar: an issuing batch, a partners' report.
// The page's root carries data-progress-url; every [data-field=key] shows the JSON's key.
// When finished: [data-finished] is shown, and the page reloads once to show the result
// (always with data-reload-when-finished; for a batch, when there are failures to list).
(function () {
  "use strict";
  var root = document.querySelector("[data-progress-url]");
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
        Object.keys(p).forEach(function (k) { set(k, p[k]); });
        if (p.finished) {
          root.querySelector("[data-finished]").hidden = false;
          if (root.dataset.reloadWhenFinished !== undefined) window.location.reload();
          else if (p.failed > 0 && !root.querySelector("table")) window.location.reload();
        } else {
          window.setTimeout(tick, 1000);
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  tick();
})();
