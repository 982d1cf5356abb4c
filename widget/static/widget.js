/*
 * Website chat widget for the clinic assistant (Rasa socket.io channel).
 *
 * Embed with one tag; every data- attribute is optional:
 *   <script src="https://HOST/widget/widget.js" defer data-server-url="https://RASA"
 *           data-clinic-name="Ki_Ketamine" data-primary-color="#245b63"></script>
 * or set window.KiAssistantConfig = {serverUrl, clinicName, ...} before it.
 * data-lang ("en" or "es") picks the starting language; without it, the page's <html lang>.
 *
 * Why it is written this way:
 * - Message text only ever reaches the page through textContent and DOM nodes built
 *   here, never innerHTML, so a message with <script> or <img onerror> is shown as text.
 * - The conversation lives in sessionStorage: it survives reloads in the same tab but
 *   not the next person at a shared computer.
 * - Messages typed while the connection is down wait in a queue (also in sessionStorage)
 *   and are sent once, after the server has confirmed the session on the new connection,
 *   so the replies reach this tab.
 * - The widget speaks English or Spanish (STRINGS). Every message carries the language shown
 *   as metadata {language}; the assistant takes a change of it as the visitor's choice, and
 *   otherwise follows what the visitor writes (languages/decision.py).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.KiAssistant) return;  // loaded twice: keep the first

  var BASE = new URL("./", script.src).href;
  var LINK_PATTERN = /(https?:\/\/[^\s<>"']+)|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)|((?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4})/g;
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];
  var HISTORY_LIMIT = 200;
  // Each named in itself; the switch in the header names the other one, as language links do.
  var LANGUAGES = { en: "English", es: "Espa\u00f1ol" };
  var OTHER = { en: "es", es: "en" };
  var phone = window.matchMedia("(max-width: 600px)");  // as in widget.css

  /* "es", "es-MX", "ES" -> "es"; a language the widget does not speak -> null. */
  function supported(tag) {
    var primary = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.hasOwnProperty(primary) ? primary : null;
  }

  function readConfig() {
    var data = script.dataset;
    var given = window.KiAssistantConfig || {};
    function pick(key, fallback) {
      return given[key] != null ? String(given[key]) : (data[key] != null ? data[key] : fallback);
    }
    return {
      serverUrl: pick("serverUrl", new URL(script.src).origin).replace(/\/+$/, ""),
      socketPath: pick("socketPath", "/socket.io"),
      clinicName: pick("clinicName", ""),
      title: pick("title", ""),  // empty: "<clinic> assistant" in the language shown
      lang: supported(pick("lang", document.documentElement.lang)) || "en",
      greeting: pick("greeting", ""),
      primaryColor: pick("primaryColor", ""),
      primaryTextColor: pick("primaryTextColor", ""),
      maxLength: parseInt(pick("maxLength", "1000"), 10) || 1000
    };
  }

  var config = readConfig();
  var storageKey = "kiAssistant:" + config.serverUrl;

  /* ---------- the widget's own words, in both languages ---------- */

  var STRINGS = {
    en: {
      title: function (clinic) { return clinic ? clinic + " assistant" : "Chat assistant"; },
      switchTo: "Switch the chat to English",
      clear: "Clear",
      clearLabel: "Clear conversation and start a new one",
      close: "Close chat",
      notice: ["Not for emergencies. ", "If you are in danger, call ", ". Thinking about suicide? Call or text ", "."],
      conversation: "Conversation",
      placeholder: "Type your question",
      yourMessage: "Your message",
      send: "Send",
      youSaid: "You said: ",
      suggested: "Suggested replies",
      offline: "Can't reach the assistant. Reconnecting\u2026",
      queued: " Your message will be sent when the connection is back.",
      loadFailed: "The chat could not load. Please try again later.",
      atLimit: function (max) { return "That is the limit: a message can be at most " + max + " characters."; },
      left: function (left) { return left + " characters left."; },
      launcher: function (title, count) {
        return "Chat: " + title + (count ? " (" + count + " new message" + (count === 1 ? "" : "s") + ")" : "");
      }
    },
    es: {
      title: function (clinic) { return clinic ? "Asistente de " + clinic : "Asistente virtual"; },
      switchTo: "Cambiar el chat a espa\u00f1ol",
      clear: "Borrar",
      clearLabel: "Borrar la conversaci\u00f3n y empezar una nueva",
      close: "Cerrar el chat",
      notice: ["No es para emergencias. ", "Si est\u00e1 en peligro, llame al ",
        ". \u00bfPiensa en el suicidio? Llame o env\u00ede un mensaje de texto al ", "."],
      conversation: "Conversaci\u00f3n",
      placeholder: "Escriba su pregunta",
      yourMessage: "Su mensaje",
      send: "Enviar",
      youSaid: "Usted dijo: ",
      suggested: "Respuestas sugeridas",
      offline: "No se puede conectar con el asistente. Reconectando\u2026",
      queued: " Su mensaje se enviar\u00e1 cuando vuelva la conexi\u00f3n.",
      loadFailed: "No se pudo cargar el chat. Int\u00e9ntelo de nuevo m\u00e1s tarde.",
      atLimit: function (max) { return "Ese es el l\u00edmite: un mensaje puede tener como m\u00e1ximo " + max + " caracteres."; },
      left: function (left) { return left === 1 ? "Queda 1 car\u00e1cter." : "Quedan " + left + " caracteres."; },
      launcher: function (title, count) {
        return "Chat: " + title + (count ? " (" + count + (count === 1 ? " mensaje nuevo" : " mensajes nuevos") + ")" : "");
      }
    }
  };

  /* ---------- state kept in sessionStorage ---------- */

  // The server issues the session id with its signature (session_confirm); this tab resumes
  // its conversation only by showing both, so an id seen elsewhere opens nobody's chat.
  // language: the one the visitor picked with the switch (null: the page's); it outlives Clear.
  function freshState(language) {
    return { sessionId: null, signature: null, messages: [], pending: [], open: false, unread: 0,
      language: supported(language) };
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey));
      if (saved && Array.isArray(saved.messages) && Array.isArray(saved.pending)) {
        return saved;
      }
    } catch (ignored) { /* storage blocked or corrupt: start afresh */ }
    return freshState();
  }

  var state = loadState();

  function language() { return supported(state.language) || config.lang; }
  function words() { return STRINGS[language()]; }
  function titleText() { return config.title || words().title(config.clinicName); }

  function save() {
    state.messages = state.messages.slice(-HISTORY_LIMIT);
    try { window.sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (ignored) { /* private mode */ }
  }

  /* ---------- DOM helpers ---------- */

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function safeHref(raw) {
    try {
      var url = new URL(raw);
      return SAFE_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (ignored) {
      return null;
    }
  }

  /* Text with web addresses, e-mail addresses and phone numbers turned into links. */
  function linkified(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(LINK_PATTERN, function (match, url, email, phone, offset) {
      var label = match;
      var trailing = "";
      if (url) {  // a sentence's full stop or closing bracket is not part of the address
        var cut = url.match(/[.,;:!?)\]]+$/);
        if (cut) { trailing = cut[0]; label = url.slice(0, -trailing.length); }
      }
      var href = safeHref(url ? label : email ? "mailto:" + email : "tel:" + phone.replace(/[^\d+]/g, ""));
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      if (href) {
        var link = el("a", { href: href, text: label, rel: "noopener noreferrer nofollow" });
        if (url) link.setAttribute("target", "_blank");
        fragment.appendChild(link);
      } else {
        fragment.appendChild(document.createTextNode(label));
      }
      fragment.appendChild(document.createTextNode(trailing));
      last = offset + match.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  /* ---------- the widget's elements ---------- */

  var stylesheet = el("link", { rel: "stylesheet", href: BASE + "widget.css" });
  var root = el("div", { "class": "kia-root", "data-open": "false" });
  if (config.primaryColor && window.CSS && CSS.supports("color", config.primaryColor)) {
    root.style.setProperty("--kia-primary", config.primaryColor);
  }
  if (config.primaryTextColor && window.CSS && CSS.supports("color", config.primaryTextColor)) {
    root.style.setProperty("--kia-on-primary", config.primaryTextColor);
  }

  var title = el("h2", { "class": "kia-title", id: "kia-title" });
  var languageSwitch = el("button", { type: "button", "class": "kia-lang" });
  var clearButton = el("button", { type: "button", "class": "kia-clear" });
  var closeButton = el("button", { type: "button", "class": "kia-close" },
    [el("span", { "aria-hidden": "true", text: "\u00d7" })]);
  var notice = el("p", { "class": "kia-notice" });
  var status = el("p", { "class": "kia-status", role: "status" });
  var log = el("div", { "class": "kia-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    tabindex: "0" });
  var typing = el("div", { "class": "kia-typing", hidden: "", "aria-hidden": "true" },
    [el("span"), el("span"), el("span")]);
  var input = el("textarea", { id: "kia-input", "class": "kia-input", rows: "1", maxlength: String(config.maxLength),
    "aria-describedby": "kia-limit", autocomplete: "off" });
  var limitNote = el("p", { id: "kia-limit", "class": "kia-limit", "aria-live": "polite" });
  var sendButton = el("button", { type: "submit", "class": "kia-send" });
  var inputLabel = el("label", { "for": "kia-input", "class": "kia-sr" });
  var form = el("form", { "class": "kia-form" }, [inputLabel, input, sendButton]);
  var panel = el("div", { "class": "kia-panel", id: "kia-panel", role: "dialog", "aria-labelledby": "kia-title",
    hidden: "" }, [
    el("div", { "class": "kia-header" }, [title, languageSwitch, clearButton, closeButton]),
    notice, status, log, typing, limitNote, form
  ]);
  var launcherLabel = el("span", { "class": "kia-sr" });
  var badge = el("span", { "class": "kia-badge", hidden: "", "aria-hidden": "true" });
  var launcher = el("button", { type: "button", "class": "kia-launcher", "aria-expanded": "false",
    "aria-controls": "kia-panel" }, [
    el("span", { "class": "kia-launcher-icon", "aria-hidden": "true" }), launcherLabel, badge
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  /* Every text of the widget's own in the language shown; messages already in the log keep theirs. */
  function applyLanguage() {
    var say = words();
    root.setAttribute("lang", language());
    title.textContent = titleText();
    var other = OTHER[language()];
    languageSwitch.textContent = LANGUAGES[other];
    languageSwitch.setAttribute("lang", other);
    languageSwitch.setAttribute("data-lang", other);
    languageSwitch.setAttribute("aria-label", STRINGS[other].switchTo);
    clearButton.textContent = say.clear;
    clearButton.setAttribute("aria-label", say.clearLabel);
    closeButton.setAttribute("aria-label", say.close);
    while (notice.firstChild) notice.removeChild(notice.firstChild);
    [el("strong", { text: say.notice[0] }), document.createTextNode(say.notice[1]),
      el("a", { href: "tel:911", text: "911" }), document.createTextNode(say.notice[2]),
      el("a", { href: "tel:988", text: "988" }), document.createTextNode(say.notice[3])
    ].forEach(function (node) { notice.appendChild(node); });
    log.setAttribute("aria-label", say.conversation);
    input.setAttribute("placeholder", say.placeholder);
    inputLabel.textContent = say.yourMessage;
    sendButton.textContent = say.send;
    var group = log.querySelector(".kia-replies");
    if (group) group.setAttribute("aria-label", say.suggested);
    renderStatus();
    renderUnread();
    inputChanged();
  }

  function chooseLanguage(code) {
    state.language = code;
    save();
    applyLanguage();
  }
  languageSwitch.addEventListener("click", function () { chooseLanguage(languageSwitch.getAttribute("data-lang")); });

  /* ---------- rendering ---------- */

  function messageNode(message) {
    var bubble = el("div", { "class": "kia-msg kia-msg-" + (message.from === "user" ? "user" : "bot") });
    bubble.appendChild(el("span", { "class": "kia-sr", text: message.from === "user" ? words().youSaid : titleText() + ": " }));
    if (message.from === "user") bubble.appendChild(document.createTextNode(message.text));
    else bubble.appendChild(linkified(message.text));
    return bubble;
  }

  function repliesNode(replies) {
    var group = el("div", { "class": "kia-replies", role: "group", "aria-label": words().suggested });
    replies.forEach(function (reply) {
      var button = el("button", { type: "button", "class": "kia-reply", text: reply.title });
      button.addEventListener("click", function () {
        send(reply.title, reply.payload);
        input.focus();  // the buttons are gone now; keep the keyboard where the next answer is typed
      });
      group.appendChild(button);
    });
    return group;
  }

  /* Quick replies belong to the latest bot message only; older ones are answered or moot. */
  function showRepliesOf(message) {
    var old = log.querySelector(".kia-replies");
    if (old) old.parentNode.removeChild(old);
    if (message && message.from === "bot" && message.replies && message.replies.length) {
      log.appendChild(repliesNode(message.replies));
    }
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function renderHistory() {
    while (log.firstChild) log.removeChild(log.firstChild);
    state.messages.forEach(function (message) { log.appendChild(messageNode(message)); });
    showRepliesOf(state.messages[state.messages.length - 1]);
    scrollToEnd();
  }

  function renderUnread() {
    var count = state.open ? 0 : state.unread;
    badge.textContent = count > 9 ? "9+" : String(count);
    badge.hidden = count === 0;
    launcherLabel.textContent = words().launcher(titleText(), count);
  }

  function addMessage(message) {
    state.messages.push(message);
    if (message.from === "bot" && !state.open) state.unread += 1;
    save();
    showRepliesOf(null);
    log.appendChild(messageNode(message));
    showRepliesOf(message);
    renderUnread();
    scrollToEnd();
  }

  var typingTimer = null;
  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { setTyping(false); }, 30000);  // never spin forever
    scrollToEnd();
  }

  var statusShown = "";  // "", "offline" or "loadFailed": kept as a key, so a language switch rewords it

  function renderStatus() {
    var say = words();
    var text = statusShown === "offline" ? say.offline + (state.pending.length ? say.queued : "")
      : statusShown ? say[statusShown] : "";
    status.textContent = text;
    status.hidden = !text;
  }

  function setStatus(key) {
    statusShown = key;
    renderStatus();
  }

  function showOffline() { setStatus("offline"); }

  /* The box grows with what is typed (up to the CSS max-height); near the cap, a note says so. */
  function inputChanged() {
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 2 + "px";  // + the 1px borders (border-box)
    var left = config.maxLength - input.value.length;
    limitNote.textContent = left <= 0 ? words().atLimit(config.maxLength) : left <= 100 ? words().left(left) : "";
    limitNote.hidden = !limitNote.textContent;
  }

  /* ---------- connection ---------- */

  var socket = null;
  var ready = false;  // connected and the session confirmed on this connection

  function flush() {
    if (!ready || !state.pending.length) return;
    var outgoing = state.pending;
    state.pending = [];
    save();
    outgoing.forEach(function (message) {
      socket.emit("user_uttered", { message: message, session_id: state.sessionId, metadata: { language: language() } });
    });
    setTyping(true);
  }

  function send(text, payload) {
    text = text.slice(0, config.maxLength);
    if (!text.trim()) return;
    addMessage({ from: "user", text: text });
    state.pending.push(payload || text);
    save();
    if (ready) flush();
    else if (!socket || !socket.connected) showOffline();  // connected, not yet confirmed: session_confirm sends it
  }

  function greetIfNew() {
    if (state.messages.length || state.pending.length) return;
    if (config.greeting) addMessage({ from: "bot", text: config.greeting });
    else { state.pending.push("/greet"); save(); flush(); }
  }

  function onBotMessage(data) {
    if (!data || typeof data.text !== "string" || !data.text) return;
    var replies = (data.quick_replies || data.buttons || []).filter(function (reply) {
      return reply && typeof reply.title === "string" && typeof reply.payload === "string";
    }).map(function (reply) { return { title: reply.title, payload: reply.payload }; });
    setTyping(false);
    addMessage({ from: "bot", text: data.text, replies: replies });
  }

  function connect() {
    // WebSocket only: the Rasa server runs as several worker processes (RASA_WORKERS),
    // and socket.io's long-polling start would send a session's requests to more than one.
    socket = window.io(config.serverUrl, { path: config.socketPath, transports: ["websocket"], reconnectionDelayMax: 5000 });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId, signature: state.signature });
    });
    socket.on("session_confirm", function (issued) {
      if (issued && typeof issued.session_id === "string" && typeof issued.signature === "string") {
        state.sessionId = issued.session_id;
        state.signature = issued.signature;
        save();
      }
      ready = true;
      setStatus("");
      if (state.open) greetIfNew();
      flush();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function (reason) {
      ready = false;
      setTyping(false);
      if (reason === "io client disconnect") return;  // our own, when clearing the conversation
      showOffline();
      if (reason === "io server disconnect") socket.connect();  // the client would not retry by itself
    });
    socket.on("connect_error", showOffline);
  }

  function loadClientAndConnect() {
    if (typeof window.io === "function") { connect(); return; }
    var loader = el("script", { src: BASE + "socket.io.min.js" });
    loader.addEventListener("load", connect);
    loader.addEventListener("error", function () { setStatus("loadFailed"); });
    document.head.appendChild(loader);
  }

  /* ---------- opening, closing, clearing ---------- */

  function setOpen(open, moveFocus) {
    state.open = open;
    if (open) state.unread = 0;
    save();
    panel.hidden = !open;
    root.setAttribute("data-open", String(open));
    launcher.setAttribute("aria-expanded", String(open));
    panel.setAttribute("aria-modal", String(phone.matches));
    renderUnread();
    if (open) {
      scrollToEnd();
      if (ready) greetIfNew();
      if (moveFocus) input.focus();
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  function clearConversation() {
    state = freshState(state.language);
    state.open = true;
    save();
    renderHistory();
    setTyping(false);
    input.value = "";
    inputChanged();
    // A new connection, so late replies of the old conversation cannot reach this one.
    ready = false;
    if (socket) { socket.disconnect(); socket.connect(); }
    input.focus();
  }

  launcher.addEventListener("click", function () { setOpen(!state.open, true); });
  closeButton.addEventListener("click", function () { setOpen(false, true); });
  clearButton.addEventListener("click", clearConversation);
  // On phones the panel covers the page, so it behaves as a modal: Tab stays inside it.
  panel.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !phone.matches) return;
    var focusable = panel.querySelectorAll("button, a[href], textarea, [tabindex='0']");
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && state.open) { event.preventDefault(); setOpen(false, true); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    inputChanged();
    send(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit(sendButton) : sendButton.click();
    }
  });
  input.addEventListener("input", inputChanged);

  /* ---------- start ---------- */

  function start() {
    renderHistory();  // before the live region is on the page, so the history is not read out again
    document.head.appendChild(stylesheet);
    document.body.appendChild(root);
    setStatus("");
    applyLanguage();
    setOpen(state.open, false);
    loadClientAndConnect();
  }

  window.KiAssistant = {
    open: function () { setOpen(true, true); },
    close: function () { setOpen(false, true); },
    clear: clearConversation
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
