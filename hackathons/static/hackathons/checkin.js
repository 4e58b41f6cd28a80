/* The check-in desk: scan a QR code with the camera (BarcodeDetector, where the browser has
   it) or type the code; each check-in is queued in localStorage first and sent from the
   queue, so a check-in made while the connection is down is sent when it returns. The
   server checks in once per ticket, so resending a queued one is harmless. */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  var form = document.getElementById("checkin-form");
  if (!root || !form || !window.fetch || !window.localStorage) return;
  var KEY = "tanlov.checkins:" + location.pathname;
  var status = document.getElementById("checkin-status");
  var input = document.getElementById("id_code");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  function queue() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function say(text) { status.textContent = text; }

  var sending = false;
  function flush() {
    var items = queue();
    if (sending || !items.length) return;
    sending = true;
    var item = items[0];
    fetch(location.pathname, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item)
    }).then(function (response) {
      return response.json().then(function (body) {
        // Answered (checked in, or refused for good): it leaves the queue either way.
        save(queue().filter(function (q) { return q.code !== item.code; }));
        say(body.message || body.error || "");
        sending = false;
        refreshCounts();
        flush();
      });
    }).catch(function () {
      sending = false;
      say(root.dataset.queued.replace(/%?%\(n\)s/, queue().length));  // {% translate %} doubles the %
    });
  }

  function add(code) {
    code = (code || "").trim();
    if (!code) return;
    var items = queue();
    if (!items.some(function (q) { return q.code === code; })) {
      items.push({ code: code, recorded_at: new Date().toISOString() });
      save(items);
    }
    flush();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    add(input.value);
    input.value = "";
    input.focus();
  });
  window.addEventListener("online", flush);

  function refreshCounts() {
    fetch(root.dataset.countsUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var table = document.getElementById("checkin-counts");
        var body = table.tBodies[0];
        body.textContent = "";
        data.tracks.forEach(function (row) {
          var tr = body.insertRow();
          [row.track, row.checked_in, row.places].forEach(function (v) { tr.insertCell().textContent = v; });
        });
        var foot = table.tFoot.rows[0].cells;
        foot[1].textContent = data.total.checked_in;
        foot[2].textContent = data.total.places;
      })
      .catch(function () {});
  }
  setInterval(function () { flush(); refreshCounts(); }, 15000);
  flush();

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var button = document.getElementById("checkin-scan");
    var video = document.getElementById("checkin-camera");
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var last = "";
        (function tick() {
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue !== last) {
              last = codes[0].rawValue;
              add(last);
            }
            requestAnimationFrame(tick);
          }).catch(function () { requestAnimationFrame(tick); });
        })();
      }).catch(function () { button.hidden = true; });
    });
  }
})();
