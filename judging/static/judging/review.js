// Progressive enhancement for the review form: autosave drafts, "n" for the next entry.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var busy = false;
  if (form && form.dataset.editable === "1") {
    form.addEventListener("input", function () { dirty = true; });
    window.setInterval(function () {
      if (!dirty || busy) { return; }
      busy = true;
      dirty = false;
      var data = new FormData(form);
      data.append("save", "1");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Autosave": "1" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (result.ok) {
          form.querySelector("input[name=version]").value = result.body.version;
          status.textContent = status.dataset.saved;
        } else {
          status.textContent = result.body.error;
        }
      }).catch(function () {
        dirty = true;
        status.textContent = status.dataset.offline;
      }).then(function () { busy = false; });
    }, 20000);
  }
  var next = document.querySelector("a[rel=next]");
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (!next || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    if (event.key === "n") { window.location.href = next.href; }
  });
})();
