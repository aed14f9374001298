// The preview page: shows each card in its own frame, as Anki does, and lets the learner flip, filter,
// switch language and switch to night mode. No network, no libraries.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("pv-data").textContent);
  const cards = Array.from(document.querySelectorAll(".pv-card"));
  const filter = document.getElementById("pv-filter");
  const night = document.getElementById("pv-night");
  const count = document.getElementById("pv-count");
  const nothing = document.getElementById("pv-nothing");
  const state = { language: "", night: false, query: "" };

  // Runs inside each card frame: reports the card's height, and passes clicks and keys on to the page.
  const FRAME_SCRIPT = `
(function () {
  function report() {
    var style = getComputedStyle(document.body);
    var height = document.body.getBoundingClientRect().height
      + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    parent.postMessage({ previewFrame: "height", height: Math.ceil(height) }, "*");
  }
  addEventListener("load", report);
  if (document.fonts) { document.fonts.ready.then(report); }
  new ResizeObserver(report).observe(document.body);
  addEventListener("click", function (event) {
    if (!event.target.closest("a, button, input, select, textarea, summary, label")) {
      parent.postMessage({ previewFrame: "flip" }, "*");
    }
  });
  addEventListener("keydown", function (event) {
    if ([" ", "Enter", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(event.key) >= 0) {
      event.preventDefault();
      parent.postMessage({ previewFrame: "key", key: event.key }, "*");
    }
  });
})();`;

  // The page Anki builds around a card: the note type's CSS, <body class="card cardN">, <div id="qa">.
  function cardDocument(card, side) {
    const bodyClass = "card card" + card.ord + (state.night ? " nightMode night_mode" : "");
    return (
      '<!doctype html><html><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      "<style>" + data.noteTypes[card.noteType] + "</style></head>" +
      '<body class="' + bodyClass + '"><div id="qa">' + card[side] + "</div>" +
      "<script>" + FRAME_SCRIPT + "<\/script></body></html>"
    );
  }

  function show(element) {
    const card = data.cards[element.dataset.card];
    const side = element.dataset.side;
    let frame = element.querySelector("iframe");
    if (!frame) {
      frame = document.createElement("iframe");
      frame.className = "pv-frame";
      frame.title = element.getAttribute("aria-label");
      element.querySelector(".pv-face").appendChild(frame);
    }
    frame.srcdoc = cardDocument(card, side);
    element.querySelector(".pv-side-label").textContent = side === "front" ? "Front" : "Back";
    element.querySelector(".pv-flip").textContent = side === "front" ? "Show answer" : "Show question";
  }

  function flip(element) {
    element.dataset.side = element.dataset.side === "front" ? "back" : "front";
    show(element);
  }

  function visibleCards() {
    return cards.filter((element) => !element.hidden && !element.closest("[hidden]"));
  }

  function move(element, step) {
    const visible = visibleCards();
    const next = visible[visible.indexOf(element) + step];
    if (next) {
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    }
  }

  function onKey(element, key) {
    if (key === " " || key === "Enter") flip(element);
    else if (key === "ArrowRight" || key === "ArrowDown") move(element, 1);
    else if (key === "ArrowLeft" || key === "ArrowUp") move(element, -1);
  }

  function fold(text) {
    return text.normalize("NFKC").toLowerCase().trim();
  }

  function countText(shown, total) {
    const noun = total === 1 ? "card" : "cards";
    return shown === total ? total + " " + noun : shown + " of " + total + " " + noun;
  }

  function update() {
    let shownTotal = 0;
    let allTotal = 0;
    for (const deck of document.querySelectorAll(".pv-deck")) {
      deck.hidden = deck.dataset.lang !== state.language;
    }
    for (const element of cards) {
      element.hidden = state.query !== "" && !element.dataset.search.includes(state.query);
    }
    for (const group of document.querySelectorAll(".pv-deck, .pv-notetype, .pv-template")) {
      const shown = Array.from(group.querySelectorAll(".pv-card")).filter((c) => !c.hidden).length;
      const total = Number(group.dataset.total);
      group.querySelector(".pv-group-count").textContent = countText(shown, total);
      if (!group.classList.contains("pv-deck")) group.hidden = shown === 0;
      if (group.classList.contains("pv-deck") && !group.hidden) {
        shownTotal += shown;
        allTotal += total;
      }
    }
    count.textContent = countText(shownTotal, allTotal);
    nothing.hidden = shownTotal > 0 || allTotal === 0;
  }

  function setLanguage(language) {
    state.language = language;
    for (const button of document.querySelectorAll(".pv-lang")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === language));
    }
    update();
  }

  function setNight(on) {
    state.night = on;
    night.setAttribute("aria-pressed", String(on));
    document.documentElement.classList.toggle("pv-night", on);
    cards.forEach(show);
  }

  for (const button of document.querySelectorAll(".pv-lang")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  night.addEventListener("click", () => setNight(!state.night));
  filter.addEventListener("input", () => {
    state.query = fold(filter.value);
    update();
  });

  for (const element of cards) {
    element.addEventListener("click", (event) => {
      if (!event.target.closest("a")) flip(element);
    });
    element.addEventListener("keydown", (event) => {
      if (event.target !== element) return;
      if ([" ", "Enter", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(event.key)) {
        event.preventDefault();
        onKey(element, event.key);
      }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement !== filter) {
      event.preventDefault();
      filter.focus();
    } else if (event.key === "Escape" && document.activeElement === filter) {
      filter.value = "";
      state.query = "";
      update();
    }
  });

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (!message || typeof message.previewFrame !== "string") return;
    const frame = Array.from(document.querySelectorAll(".pv-frame")).find(
      (f) => f.contentWindow === event.source,
    );
    if (!frame) return;
    const element = frame.closest(".pv-card");
    if (message.previewFrame === "height") frame.style.height = message.height + "px";
    else if (message.previewFrame === "flip") flip(element);
    else if (message.previewFrame === "key") onKey(element, message.key);
  });

  const languages = Array.from(document.querySelectorAll(".pv-lang")).map((b) => b.dataset.lang);
  const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  setNight(Boolean(dark));
  setLanguage(languages[0] || "");
})();
