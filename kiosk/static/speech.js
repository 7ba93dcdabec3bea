// Read-aloud: plays recordings the kiosk makes (kiosk/speech.py) in one <audio> element.
// A link with data-read-aloud plays its href (without script, the link opens the recording);
// the chat (app.js) plays assistant replies through window.WegwijzerSpeech.
// A button shows data-read while idle and data-stop while it plays; pressing it again stops.
// When no recording can be made, data-unavailable is shown beside the button.
(function () {
  "use strict";
  var audio = document.createElement("audio");
  audio.id = "read-aloud-audio";
  audio.preload = "none";
  audio.hidden = true;
  document.body.appendChild(audio);
  var current = null;

  function show(button, playing) {
    button.classList.toggle("playing", playing);
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    var label = button.querySelector(".label");
    if (label) { label.textContent = playing ? button.dataset.stop : button.dataset.read; }
  }

  function stop() {
    audio.pause();
    if (current) { show(current, false); }
    current = null;
  }

  function fail() {
    var button = current;
    stop();
    if (!button || !button.dataset.unavailable) { return; }
    var note = button.nextElementSibling;
    if (!note || !note.classList.contains("speech-unavailable")) {
      note = document.createElement("span");
      note.className = "speech-unavailable";
      note.setAttribute("role", "status");
      button.insertAdjacentElement("afterend", note);
    }
    note.textContent = button.dataset.unavailable;
  }

  // Starts `button`'s recording, or stops it when it is the one playing. `url` is a URL or a
  // function returning a promise of one (made only when needed).
  function toggle(button, url) {
    var wasPlaying = current === button;
    stop();
    if (wasPlaying) { return; }
    current = button;
    show(button, true);
    Promise.resolve(typeof url === "function" ? url() : url).then(function (src) {
      if (current !== button) { return; }
      audio.src = src;
      return audio.play();
    }).catch(function (error) {
      // Starting another recording interrupts this one's play(): no failure.
      if (current === button && !(error && error.name === "AbortError")) { fail(); }
    });
  }

  audio.addEventListener("ended", stop);
  audio.addEventListener("error", fail);

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-read-aloud]");
    if (!link) { return; }
    event.preventDefault();
    toggle(link, link.href);
  });

  window.WegwijzerSpeech = { toggle: toggle, stop: stop };
})();
