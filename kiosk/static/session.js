// Signed-in sessions on shared devices: a visible countdown to the automatic sign-out,
// reset by any touch or key; while someone is active the server is told so (it ends
// idle sessions itself too). At zero the "end session" form is sent.
(function () {
  "use strict";
  var total = parseInt(document.body.dataset.idleSeconds || "0", 10);
  var form = document.getElementById("end-session");
  var counter = document.getElementById("countdown");
  if (!total || !form || !counter) { return; }
  var token = form.querySelector("input[name=csrf_token]").value;
  var remaining = total;
  var lastPing = Date.now();

  function show() {
    counter.textContent = counter.dataset.template.replace("{seconds}", String(remaining));
    counter.classList.toggle("soon", remaining <= 30);
  }

  function active() {
    remaining = total;
    show();
    if (Date.now() - lastPing < 15000) { return; }
    lastPing = Date.now();
    fetch("/session/ping", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": token }
    }).then(function (response) { return response.json(); }).then(function (body) {
      if (!body.signed_in) { window.location.assign("/"); }
    }).catch(function () { /* offline: the countdown still signs out */ });
  }

  form.addEventListener("submit", function () {
    window.sessionStorage.clear();  // the next person sees nothing of this conversation
  });
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true });
  });
  show();
  window.setInterval(function () {
    remaining -= 1;
    show();
    if (remaining <= 0) {
      window.sessionStorage.clear();
      form.submit();
    }
  }, 1000);
})();
