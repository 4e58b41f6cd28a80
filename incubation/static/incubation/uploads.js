/* Send chosen files straight to S3 with a presigned POST, then ask the server to verify them.
   Without this script (or if S3 cannot be reached) the files go with the form through Django. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  function postForm(url, data, token) {
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { var error = new Error(body.error || response.statusText); error.rejected = true; throw error; }
        return body;
      });
    });
  }

  document.querySelectorAll("form[data-upload-start]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var hidden = form.querySelector("input[name=uploaded]");
    var status = form.querySelector("[data-upload-status]");
    var submit = form.querySelector("button[type=submit]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    if (!input || !hidden || !status) { return; }

    function say(text, kind) {
      var item = document.createElement("li");
      item.textContent = text;
      if (kind) { item.className = kind; }
      status.appendChild(item);
    }

    function uploadOne(file) {
      var start = new FormData();
      start.append("name", file.name);
      start.append("type", file.type);
      start.append("size", String(file.size));
      return postForm(form.dataset.uploadStart, start, token).then(function (ticket) {
        var body = new FormData();
        Object.keys(ticket.fields).forEach(function (name) { body.append(name, ticket.fields[name]); });
        body.append("file", file);
        return fetch(ticket.url, { method: "POST", body: body }).then(function (answer) {
          if (!answer.ok) { throw new Error(answer.statusText); }
          var confirmUrl = form.dataset.uploadConfirm.replace("/0/", "/" + ticket.id + "/");
          return postForm(confirmUrl, new FormData(), token);
        });
      });
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      if (!files.length) { return; }
      var before = hidden.value;
      var ids = before ? before.split(",") : [];
      submit.disabled = true;
      var chain = Promise.resolve();
      var failed = null;
      files.forEach(function (file) {
        chain = chain.then(function () {
          if (failed) { return; }
          return uploadOne(file).then(function (done) {
            ids.push(String(done.id));
            say(form.dataset.uploadedText.replace("%s", done.name), "done");
          }, function (error) { failed = error; });
        });
      });
      chain.then(function () {
        if (failed && !failed.rejected) {
          // S3 unreachable from this browser: let the form carry the files instead.
          hidden.value = before;
          say(form.dataset.fallbackText);
        } else {
          hidden.value = ids.join(",");
          input.value = "";
          if (failed) { say(failed.message, "error"); }
        }
        submit.disabled = false;
      });
    });
  });
})();
