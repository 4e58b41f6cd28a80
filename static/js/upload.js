/* Direct-to-S3 uploads with a progress bar. Without this script the form posts to Django. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }

  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var box = form.querySelector(".upload-progress");
  var bar = form.querySelector("progress");
  var percent = form.querySelector(".upload-percent");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var MAX_TRIES = 5;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function show(loaded, total) {
    var value = total ? Math.round((loaded / total) * 100) : 0;
    bar.value = value;
    bar.textContent = value + " %";
    percent.textContent = value + " %";
  }

  function request(method, url, body, onProgress, headers) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) { xhr.upload.onprogress = onProgress; }
      xhr.onload = function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (xhr.status >= 200 && xhr.status < 300) { resolve({ xhr: xhr, data: data }); }
        else { reject({ status: xhr.status, message: data && data.error }); }
      };
      xhr.onerror = function () { reject({ status: 0 }); };
      xhr.send(body);
    });
  }

  function postJSON(url, payload) {
    return request("POST", url, JSON.stringify(payload || {}), null, {
      "Content-Type": "application/json", "X-CSRFToken": csrf
    });
  }

  function uploadSingle(slot, file) {
    var data = new FormData();
    Object.keys(slot.fields).forEach(function (name) { data.append(name, slot.fields[name]); });
    data.append("file", file);
    return request("POST", slot.url, data, function (event) {
      if (event.lengthComputable) { show(event.loaded, event.total); }
    });
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function uploadParts(slot, file, filesUrl) {
    var done = 0;
    function part(number, attempt) {
      var start = (number - 1) * slot.part_size;
      var chunk = file.slice(start, Math.min(start + slot.part_size, file.size));
      return postJSON(filesUrl + slot.file + "/part/", { part: number })
        .then(function (answer) {
          return request("PUT", answer.data.url, chunk, function (event) {
            show(done + event.loaded, file.size);
          });
        })
        .then(function () { done += chunk.size; show(done, file.size); })
        .catch(function (error) {
          if (attempt >= MAX_TRIES) { throw error; }
          // A dropped connection: wait, then send this part again.
          return wait(500 * attempt).then(function () { return part(number, attempt + 1); });
        });
    }
    var chain = Promise.resolve();
    for (var n = 1; n <= slot.parts; n += 1) {
      chain = chain.then(part.bind(null, n, 1));
    }
    return chain;
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var file = input.files && input.files[0];
    if (!file) { return; }
    event.preventDefault();
    var kind = form.querySelector("[name=kind]").value;
    var filesUrl = form.dataset.filesUrl;
    button.disabled = true;
    box.hidden = false;
    show(0, 1);
    say(form.dataset.msgUploading || "…");
    var slot;
    postJSON(form.dataset.slotUrl, {
      kind: kind, name: file.name, size: file.size, content_type: file.type
    })
      .then(function (answer) {
        slot = answer.data;
        return slot.multipart ? uploadParts(slot, file, filesUrl) : uploadSingle(slot, file);
      })
      .then(function () {
        show(1, 1);
        say(form.dataset.msgChecking);
        return postJSON(filesUrl + slot.file + "/confirm/");
      })
      .then(function () {
        say(form.dataset.msgDone);
        window.location.reload();
      })
      .catch(function (error) {
        button.disabled = false;
        say((error && error.message) || form.dataset.msgFailed, true);
      });
  });
})();
