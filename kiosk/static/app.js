// The chat panel: sends messages to /api/chat and shows the replies.
// Texts shown by this script come translated from data attributes of #chat.
(function () {
  "use strict";
  var panel = document.getElementById("chat");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var list = document.getElementById("chat-messages");
  if (!panel || !form) { return; }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function show(who, className, text) {
    var item = element("li", className);
    item.appendChild(element("span", "who", who));
    item.appendChild(element("span", "text", text));
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function showReply(reply) {
    var item = show(panel.dataset.assistant, "from-bot", reply.text);
    if (reply.services && reply.services.length) {
      var links = element("ul", "links");
      reply.services.forEach(function (service) {
        var li = element("li", "service-card");
        var a = element("a", "service-link", service.name);
        a.href = "/services/" + encodeURIComponent(service.slug);
        a.dataset.slug = service.slug;
        li.appendChild(a);
        if (service.summary) { li.appendChild(element("span", "summary", service.summary)); }
        var ask = element("button", "appointment", panel.dataset.appointment);
        ask.type = "button";
        ask.dataset.slug = service.slug;
        ask.addEventListener("click", function () {
          send('/book_appointment{"service": "' + service.slug + '"}',
               panel.dataset.appointment + ": " + service.name);
        });
        li.appendChild(ask);
        links.appendChild(li);
      });
      item.appendChild(links);
    }
    if (reply.buttons && reply.buttons.length) {
      var buttons = element("div", "buttons");
      reply.buttons.forEach(function (button) {
        var b = element("button", "", button.title);
        b.type = "button";
        b.addEventListener("click", function () {
          // "lang:xx" switches the whole kiosk to that language (kiosk/chat.py).
          if (button.payload.indexOf("lang:") === 0) {
            window.location.search = "?lang=" + encodeURIComponent(button.payload.slice(5));
            return;
          }
          send(button.payload, button.title);
        });
        buttons.appendChild(b);
      });
      item.appendChild(buttons);
    }
  }

  function send(message, shownText) {
    show(panel.dataset.you, "from-user", shownText || message);
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ message: message, lang: panel.dataset.lang })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var text = body && body.error ? body.error.message : panel.dataset.unavailable;
          show(panel.dataset.assistant, "notice", text);
          return;
        }
        body.replies.forEach(showReply);
      });
    }).catch(function () {
      show(panel.dataset.assistant, "notice", panel.dataset.unavailable);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value.trim();
    if (!message) { return; }
    input.value = "";
    send(message);
  });
})();
