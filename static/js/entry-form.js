// The entry form, improved when scripts run: conditional questions show only when their
// condition is met, and long answers count their words as they are typed. Without this
// script every question shows, each conditional one labelled with its condition, and the
// server applies the same rules.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;

  function values(name) {
    var found = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "checkbox" && input.value === "on") { found.push("yes"); return; }
      if (input.value) found.push(input.value.trim().toLowerCase());
    });
    return found;
  }

  var conditional = form.querySelectorAll("[data-show-when]");
  function apply() {
    // Twice, so a question that depends on a hidden one hides too.
    for (var pass = 0; pass < 2; pass++) {
      conditional.forEach(function (box) {
        var parent = form.querySelector('[name="' + box.dataset.showWhen + '"]');
        var parentBox = parent && parent.closest(".answer");
        var parentShown = !parentBox || !parentBox.hidden;
        var met = parentShown && values(box.dataset.showWhen).indexOf(box.dataset.showWhenValue) !== -1;
        box.hidden = !met;
        var note = box.querySelector(".condition");
        if (note) note.hidden = true;
      });
    }
  }
  if (conditional.length) {
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    apply();
  }

  form.querySelectorAll("[data-word-count-for]").forEach(function (counter) {
    var box = document.getElementById(counter.dataset.wordCountFor);
    if (!box) return;
    var limit = parseInt(box.dataset.maxWords, 10);
    function update() {
      var words = box.value.trim() ? box.value.trim().split(/\s+/).length : 0;
      counter.textContent = words + " / " + limit + " " + counter.dataset.msg;
      counter.classList.toggle("over", words > limit);
    }
    box.addEventListener("input", update);
    update();
  });
})();
