// The chat panel: sends messages to /api/chat and shows the replies.
// Texts shown by this script come translated from data attributes of #chat.
// The conversation so far is kept in sessionStorage, so that it is still there after
// opening a service or signing in; ending the session clears it (session.js).
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

  var LOG_KEY = "wz_chat_log";

  function remember(entry) {
    var log = JSON.parse(window.sessionStorage.getItem(LOG_KEY) || "[]");
    log.push(entry);
    window.sessionStorage.setItem(LOG_KEY, JSON.stringify(log.slice(-50)));
  }

  function show(who, className, text) {
    var item = element("li", className);
    item.appendChild(element("span", "who", who));
    item.appendChild(element("span", "text", text));
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function showUser(text) {
    remember({ user: text });
    show(panel.dataset.you, "from-user", text);
  }

  function showNotice(text) {
    remember({ notice: text });
    show(panel.dataset.assistant, "notice", text);
  }

  function showReply(reply) {
    var lang = replyLanguage();
    remember({ reply: reply, lang: lang });
    render(reply, lang);
  }

  // The language of the last reply, which the kiosk keeps in a cookie (kiosk/chat.py).
  function replyLanguage() {
    var found = document.cookie.match(/(?:^|;\s*)wz_reply_lang=([a-z]{2})(?:;|$)/);
    return found ? found[1] : panel.dataset.lang;
  }

  // A service's domain as a picture: its icon on its colour (as templates/_domain.html).
  function domainIcon(domain) {
    var icon = element("span", "domain-icon small domain-" + domain);
    var img = element("img");
    img.src = "/static/icons/domain-" + domain + ".svg";
    img.alt = "";
    icon.appendChild(img);
    return icon;
  }

  // "Read aloud" for a reply: its text and the names of the services it shows.
  function readAloudButton(reply, lang) {
    var text = [reply.text].concat((reply.services || []).map(function (service) {
      return service.name;
    })).filter(Boolean).join("\n");
    if (!text || !window.WegwijzerSpeech) { return null; }
    var button = element("button", "read-aloud");
    button.type = "button";
    button.dataset.read = panel.dataset.read;
    button.dataset.stop = panel.dataset.stop;
    button.dataset.unavailable = panel.dataset.speechUnavailable;
    var img = element("img", "icon");
    img.src = "/static/icons/speaker.svg";
    img.alt = "";
    button.appendChild(img);
    button.appendChild(element("span", "label", panel.dataset.read));
    button.addEventListener("click", function () {
      window.WegwijzerSpeech.toggle(button, function () { return speechUrl(text, lang); });
    });
    return button;
  }

  function speechUrl(text, lang) {
    return fetch("/api/speech", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": panel.dataset.csrf },
      credentials: "same-origin",
      body: JSON.stringify({ text: text, lang: lang })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.error ? body.error.message : "speech"); }
        return body.url;
      });
    });
  }

  function render(reply, lang) {
    var item = show(panel.dataset.assistant, "from-bot", reply.text);
    if (reply.services && reply.services.length) {
      var links = element("ul", "links");
      reply.services.forEach(function (service) {
        var li = element("li", "service-card");
        var title = element("span", "service-title");
        var domain = /^[a-z]+$/.test(service.domain || "") ? service.domain : null;
        if (domain) {
          li.classList.add("domain-" + domain);
          title.appendChild(domainIcon(domain));
        }
        var a = element("a", "service-link", service.name);
        a.href = "/services/" + encodeURIComponent(service.slug);
        a.dataset.slug = service.slug;
        title.appendChild(a);
        li.appendChild(title);
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
    var readAloud = readAloudButton(reply, lang || panel.dataset.lang);
    if (readAloud) { item.appendChild(readAloud); }
  }

  function send(message, shownText) {
    showUser(shownText || message);
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ message: message, lang: panel.dataset.lang })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var text = body && body.error ? body.error.message : panel.dataset.unavailable;
          showNotice(text);
          return;
        }
        body.replies.forEach(showReply);
      });
    }).catch(function () {
      showNotice(panel.dataset.unavailable);
    });
  }

  JSON.parse(window.sessionStorage.getItem(LOG_KEY) || "[]").forEach(function (entry) {
    if (entry.user) { show(panel.dataset.you, "from-user", entry.user); }
    if (entry.notice) { show(panel.dataset.assistant, "notice", entry.notice); }
    if (entry.reply) { render(entry.reply, entry.lang); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value.trim();
    if (!message) { return; }
    input.value = "";
    send(message);
  });
})();
