// The preview page: shows each card in its own frame, as Anki does, and lets the learner flip, filter,
// switch language, switch to night mode and follow a link to one card. No network, no libraries.
//
// It scales by drawing only what is near the screen. The page knows every deck, note type and template
// with its counts (the manifest); a deck's cards are in script files of `deck.part` cards each, read when
// their cards come near the screen or a key, the filter or a link needs them, and the rest of the shown
// language's while the page is idle. Each template's cards are laid out in blocks of BLOCK cards: a
// block near the screen holds its cards, each in a frame; a block far from it is an empty box of the
// height it had (or is expected to have).
(function () {
  "use strict";

  const BLOCK = 12;
  const manifest = JSON.parse(document.getElementById("pv-manifest").textContent);
  const root = document.getElementById("pv-decks");
  const filter = document.getElementById("pv-filter");
  const night = document.getElementById("pv-night");
  const count = document.getElementById("pv-count");
  const nothing = document.getElementById("pv-nothing");
  const state = { language: "", night: false, query: "" };
  const sides = new Map(); // card id -> "back" when flipped
  const heights = new Map(); // "card-id side" -> last height of its frame
  const decks = manifest.decks.map((deck) => Object.assign({}, deck));
  const waiting = new Map(); // "deck-key#part" -> what takes the cards of that file when it runs
  let groups = []; // the shown language's template groups, in page order
  let rowHeight = 230; // a row of cards, until rows have been measured
  let perRow = 1; // cards in a row at the window's width
  let rowsMeasured = 0;
  let version = 0; // of the layout: a late answer for an older layout is dropped
  let ready = Promise.resolve();

  // --- the cards of a deck, loaded a file at a time when needed ---------------------------------------

  window.flashcardsPreview = {
    deck(payload) {
      const resolve = waiting.get(payload.key + "#" + payload.part);
      if (resolve) resolve(payload);
    },
    // Settles once the last change (filter, language, link, move) is on the page.
    settled: () => ready,
    // How many card files the page has read, and when it read the last of them (ms since it opened).
    filesRead: () => filesRead,
    lastReadAt: () => lastReadAt,
    // Whether the page has read ahead all it reads while idle.
    readAheadDone: () => readAheadDone,
  };
  let filesRead = 0;
  let lastReadAt = 0;

  for (const deck of decks) {
    deck.cards = new Array(deck.total);
    deck.loads = deck.files.map(() => null);
  }

  function loadPart(deck, part) {
    if (!deck.loads[part]) {
      const file = deck.files[part];
      const script = document.createElement("script");
      deck.loads[part] = new Promise((resolve, reject) => {
        waiting.set(deck.key + "#" + part, resolve);
        script.src = file;
        script.onerror = () => reject(new Error("the preview cannot read " + file));
        document.head.appendChild(script);
      })
        .then((payload) => {
          waiting.delete(deck.key + "#" + part);
          script.remove();
          return inflate(payload.deflated);
        })
        .then((rows) => {
          filesRead += 1;
          lastReadAt = performance.now();
          const start = part * deck.part;
          rows.forEach((row, i) => (deck.cards[start + i] = unpack(row)));
          indexWhenIdle(deck.cards, start, start + rows.length);
          return deck;
        });
    }
    return deck.loads[part];
  }

  // Once the screen is drawn, the rest of the shown language's cards are read while the page is idle, a
  // file at a time, so that the filter, the keys and the links find them there; up to READ_AHEAD cards,
  // so that a huge deck does not fill the memory before it is asked to (the filter reads the rest).
  const READ_AHEAD = 40000;
  let readAheadDone = false;
  function readAheadWhenIdle(language) {
    readAheadDone = false;
    const later = window.requestIdleCallback || ((work) => setTimeout(work, 200));
    later(() => {
      if (language !== state.language) return;
      let held = 0;
      for (const deck of decks) {
        if (deck.language !== language) continue;
        const part = deck.loads.indexOf(null);
        held += deck.part * deck.loads.filter(Boolean).length;
        if (part >= 0 && held < READ_AHEAD) {
          loadPart(deck, part).then(() => readAheadWhenIdle(language), report);
          return;
        }
      }
      readAheadDone = true;
    });
  }

  function loaded(deck, indexes) {
    for (const i of indexes) if (deck.cards[i] === undefined) return false;
    return true;
  }

  // The files that hold these cards (card indexes in the deck), or all of the deck's.
  function load(deck, indexes) {
    const parts = indexes ? new Set(indexes.map((i) => Math.floor(i / deck.part))) : deck.files.keys();
    return Promise.all(Array.from(parts, (part) => loadPart(deck, part))).then(() => deck);
  }

  // A card file's cards: JSON, deflated (zlib), in base64.
  function inflate(base64) {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text().then(JSON.parse);
  }

  function unpack(row) {
    const [id, guid, entry, noteType, template, ord, front, back, warnings, source] = row;
    return { id, guid, entry, noteType, template, ord, front, back, warnings, source, search: null };
  }

  function backOf(card) {
    return typeof card.back === "string" ? card.back : card.back[0] + card.front + card.back[1];
  }

  // What the filter searches: the entry id and the text of both sides, folded as the filter box is;
  // worked out once per card (the back's copy of the front is left out: it adds nothing).
  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  function searchOf(card) {
    if (card.search === null) {
      const parts = typeof card.back === "string" ? [card.back] : card.back;
      card.search = searchText(card.entry, card.front, parts);
    }
    return card.search;
  }

  // The search text of a deck's cards, a slice at a time while the page is idle, so that the first
  // filter finds it ready.
  function indexWhenIdle(cards, from, to) {
    const later = window.requestIdleCallback || ((work) => setTimeout(() => work({ timeRemaining: () => 10 }), 50));
    later((idle) => {
      let i = from;
      while (i < to && idle.timeRemaining() > 1) {
        const end = Math.min(to, i + 500);
        for (; i < end; i += 1) searchOf(cards[i]);
      }
      if (i < to) indexWhenIdle(cards, i, to);
    });
  }

  function searchText(entry, front, parts) {
    const html = [front].concat(parts).join(" ");
    const text = html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
        if (name[0] === "#") {
          const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
        return ENTITIES[name.toLowerCase()] || whole;
      });
    return fold(entry + " " + text);
  }

  function fold(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // --- the layout of one language: decks, note types, templates, blocks ------------------------------

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function heading(tag, text, total) {
    const h = el(tag, "pv-heading", text + " ");
    const counter = el("span", "pv-group-count", countText(total, total));
    counter.dataset.total = String(total);
    h.appendChild(counter);
    return [h, counter];
  }

  function warningList(warnings) {
    const list = el("ul", "pv-warnings");
    for (const warning of warnings) list.appendChild(el("li", "", warning));
    return list;
  }

  function layOut() {
    version += 1;
    nearObserver.disconnect();
    farObserver.disconnect();
    near.clear();
    root.textContent = "";
    groups = [];
    for (const deck of decks) {
      if (deck.language !== state.language) continue;
      const section = el("section", "pv-deck");
      section.lang = deck.language;
      section.dataset.lang = deck.language;
      section.dataset.deck = deck.key;
      const [h2, deckCount] = heading("h2", deck.name, deck.total);
      section.appendChild(h2);
      section.appendChild(el("p", "pv-source", deck.source));
      if (deck.warnings.length) section.appendChild(warningList(deck.warnings));
      deck.countElement = deckCount;
      deck.element = section;
      let offset = 0;
      deck.noteTypes.forEach((noteType, n) => {
        const ntSection = el("section", "pv-notetype");
        const [h3, ntCount] = heading("h3", noteType.name, noteType.total);
        ntSection.appendChild(h3);
        const ntGroup = { element: ntSection, countElement: ntCount, total: noteType.total, templates: [] };
        noteType.templates.forEach((template, t) => {
          const tSection = el("section", "pv-template");
          const [h4, tCount] = heading("h4", template.name, template.total);
          tSection.appendChild(h4);
          const blocks = el("div", "pv-blocks");
          tSection.appendChild(blocks);
          const group = {
            deck,
            noteType: n,
            template: t,
            name: template.name,
            total: template.total,
            start: offset,
            shown: null, // card indexes in the deck; null: all of them
            element: tSection,
            countElement: tCount,
            blocksElement: blocks,
            blocks: [],
          };
          offset += template.total;
          ntGroup.templates.push(group);
          groups.push(group);
          ntSection.appendChild(tSection);
        });
        deck.ntGroups = deck.ntGroups || [];
        deck.ntGroups[n] = ntGroup;
        section.appendChild(ntSection);
      });
      root.appendChild(section);
    }
  }

  function shownCount(group) {
    return group.shown ? group.shown.length : group.total;
  }

  function cardIndex(group, position) {
    return group.shown ? group.shown[position] : group.start + position;
  }

  function columns() {
    const grid = el("div", "pv-grid"); // as wide as a template's blocks, and never hidden
    root.appendChild(grid);
    const tracks = getComputedStyle(grid).gridTemplateColumns.split(" ").filter(Boolean).length;
    grid.remove();
    return Math.max(1, tracks);
  }

  function fillBlocks() {
    perRow = columns();
    near.clear();
    for (const group of groups) {
      for (const block of group.blocks) {
        nearObserver.unobserve(block.element);
        farObserver.unobserve(block.element);
      }
      group.blocksElement.textContent = "";
      group.blocks = [];
      const n = shownCount(group);
      for (let start = 0; start < n; start += BLOCK) {
        const size = Math.min(BLOCK, n - start);
        const element = el("div", "pv-grid pv-block");
        element.style.height = Math.ceil(size / perRow) * rowHeight + "px";
        const block = { group, start, size, element, drawn: false };
        element.block = block;
        group.blocks.push(block);
        group.blocksElement.appendChild(element);
        nearObserver.observe(element);
        farObserver.observe(element);
      }
    }
  }

  // --- drawing blocks near the screen, releasing those far away -------------------------------------

  const near = new Set();
  const nearObserver = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const block = entry.target.block;
        if (entry.isIntersecting) {
          near.add(block);
          draw(block);
        } else near.delete(block);
      }
    },
    { rootMargin: "100% 0px" },
  );
  const farObserver = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) release(entry.target.block);
      }
    },
    { rootMargin: "300% 0px" },
  );

  function blockCards(block) {
    const indexes = [];
    for (let i = 0; i < block.size; i += 1) indexes.push(cardIndex(block.group, block.start + i));
    return indexes;
  }

  function draw(block) {
    if (block.drawn) return true;
    const deck = block.group.deck;
    const indexes = blockCards(block);
    if (!loaded(deck, indexes)) {
      const drawnFor = version;
      load(deck, indexes).then(() => {
        if (drawnFor === version) for (const waitingBlock of near) draw(waitingBlock);
      }, report);
      return false;
    }
    block.drawn = true;
    block.element.style.height = "";
    block.element.textContent = "";
    for (let i = 0; i < block.size; i += 1) {
      block.element.appendChild(article(block, block.start + i));
    }
    keepPinned();
    return true;
  }

  function release(block) {
    if (!block.drawn || block.element.contains(document.activeElement)) return;
    const height = block.element.getBoundingClientRect().height;
    const rows = Math.ceil(block.size / perRow);
    rowsMeasured += rows;
    rowHeight += ((height / rows - rowHeight) * rows) / Math.min(rowsMeasured, 200);
    block.element.style.height = height + "px";
    block.element.textContent = "";
    block.drawn = false;
  }

  function report(error) {
    nothing.hidden = false;
    nothing.textContent = String(error.message || error);
  }

  // --- one card ---------------------------------------------------------------------------------------

  function article(block, position) {
    const group = block.group;
    const card = group.deck.cards[cardIndex(group, position)];
    const element = el("article", "pv-card");
    element.tabIndex = 0;
    element.dataset.card = card.id;
    element.dataset.guid = card.guid;
    element.dataset.template = group.name;
    element.dataset.side = sides.get(card.id) || "front";
    element.setAttribute("aria-label", card.entry + " · " + group.name);
    element.place = { group, position, card };
    const meta = el("div", "pv-card-meta");
    const link = el("a", "pv-entry", card.entry);
    link.href = "#" + card.id;
    link.tabIndex = -1;
    link.title = card.id;
    meta.appendChild(link);
    if (card.source) {
      const source = el("span", "pv-source", card.source);
      source.title = "Where this card's entry is in the source";
      meta.appendChild(source);
    }
    meta.appendChild(el("span", "pv-side-label", "Front"));
    element.appendChild(meta);
    element.appendChild(el("div", "pv-face"));
    if (card.warnings.length) element.appendChild(warningList(card.warnings));
    const button = el("button", "pv-flip", "Show answer");
    button.type = "button";
    button.tabIndex = -1;
    element.appendChild(button);
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
    show(element);
    return element;
  }

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
    var speak = event.target.closest(".pv-speak");
    if (speak && window.speechSynthesis) {
      var utterance = new SpeechSynthesisUtterance(speak.querySelector("span").textContent);
      utterance.lang = speak.dataset.lang;
      speechSynthesis.speak(utterance);
    }
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

  // Formulas as Anki's MathJax reads them (a bracket may be written as the entity &#91;), typeset by
  // KaTeX, which the preview copies into katex/ beside the page: no network.
  const MATH = /\\\(|\\\[|\\&#91;/;
  const MATH_SCRIPT = `
renderMathInElement(document.body, {
  delimiters: [
    { left: "\\\\(", right: "\\\\)", display: false },
    { left: "\\\\[", right: "\\\\]", display: true },
  ],
  throwOnError: false,
});`;
  const MATH_HEAD =
    '<link rel="stylesheet" href="katex/katex.min.css"><script src="katex/katex.min.js"><\/script>' +
    '<script src="katex/mhchem.min.js"><\/script><script src="katex/auto-render.min.js"><\/script>';

  // The page Anki builds around a card: the note type's CSS, <body class="card cardN">, <div id="qa">.
  function cardDocument(card, noteType, side) {
    const bodyClass = "card card" + card.ord + (state.night ? " nightMode night_mode" : "");
    const html = side === "front" ? card.front : backOf(card);
    const math = MATH.test(html);
    return (
      '<!doctype html><html><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      "<style>" + manifest.noteTypes[noteType] + "</style>" + (math ? MATH_HEAD : "") + "</head>" +
      '<body class="' + bodyClass + '"><div id="qa">' + html + "</div>" +
      (math ? "<script>" + MATH_SCRIPT + "<\/script>" : "") +
      "<script>" + FRAME_SCRIPT + "<\/script></body></html>"
    );
  }

  function show(element) {
    const { group, card } = element.place;
    const side = element.dataset.side;
    let frame = element.querySelector("iframe");
    if (!frame) {
      frame = el("iframe", "pv-frame");
      frame.title = element.getAttribute("aria-label");
      element.querySelector(".pv-face").appendChild(frame);
    }
    const known = heights.get(card.id + " " + side);
    if (known) frame.style.height = known + "px";
    frame.srcdoc = cardDocument(card, group.deck.noteTypes[group.noteType].name, side);
    element.querySelector(".pv-side-label").textContent = side === "front" ? "Front" : "Back";
    element.querySelector(".pv-flip").textContent = side === "front" ? "Show answer" : "Show question";
  }

  function flip(element) {
    const side = element.dataset.side === "front" ? "back" : "front";
    element.dataset.side = side;
    if (side === "back") sides.set(element.place.card.id, side);
    else sides.delete(element.place.card.id);
    show(element);
  }

  // --- moving from card to card, drawn or not ---------------------------------------------------------

  function focusCard(group, position, where) {
    const block = group.blocks[Math.floor(position / BLOCK)];
    return load(group.deck, blockCards(block)).then(() => {
      draw(block);
      const element = block.element.children[position - block.start];
      element.focus({ preventScroll: true });
      pin(element, where || "nearest");
      return element;
    });
  }

  // The cards around a card just moved to are drawn, and their frames grow to their content, after it
  // is scrolled to: keep it on screen while that settles, until the learner scrolls or a second passes.
  let pinned = null;
  let unpin = 0;
  function pin(element, where) {
    pinned = { element, where };
    element.scrollIntoView({ block: where });
    clearTimeout(unpin);
    unpin = setTimeout(() => (pinned = null), 1000);
  }

  // The same at the end of the page: one scrolled to the bottom stays there while the last cards settle.
  let atBottom = false;
  addEventListener("scroll", () => {
    atBottom = scrollY > 0 && innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
  });

  function keepPinned() {
    if (atBottom && !pinned) scrollTo(0, document.documentElement.scrollHeight);
    if (!pinned || !pinned.element.isConnected) return;
    const box = pinned.element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) pinned.element.scrollIntoView({ block: pinned.where });
  }

  for (const name of ["wheel", "touchstart", "mousedown"]) {
    addEventListener(name, () => (pinned = null), { passive: true });
  }

  function move(element, step) {
    let { group, position } = element.place;
    let index = groups.indexOf(group);
    position += step;
    while (position < 0 || position >= shownCount(group)) {
      index += step;
      if (index < 0 || index >= groups.length) return;
      group = groups[index];
      position = step > 0 ? 0 : shownCount(group) - 1;
    }
    ready = focusCard(group, position).catch(report);
  }

  function onKey(element, key) {
    if (key === " " || key === "Enter") flip(element);
    else if (key === "ArrowRight" || key === "ArrowDown") move(element, 1);
    else if (key === "ArrowLeft" || key === "ArrowUp") move(element, -1);
  }

  // --- filter, counts, language, night mode, links ----------------------------------------------------

  function countText(shown, total) {
    const noun = total === 1 ? "card" : "cards";
    return shown === total ? total + " " + noun : shown + " of " + total + " " + noun;
  }

  function applyFilter() {
    const query = state.query;
    for (const group of groups) {
      if (query === "") {
        group.shown = null;
        continue;
      }
      const shown = [];
      const cards = group.deck.cards;
      for (let i = group.start; i < group.start + group.total; i += 1) {
        if (searchOf(cards[i]).includes(query)) shown.push(i);
      }
      group.shown = shown;
    }
    let shownTotal = 0;
    let allTotal = 0;
    for (const deck of decks) {
      if (deck.language !== state.language) continue;
      let deckShown = 0;
      for (const ntGroup of deck.ntGroups) {
        let ntShown = 0;
        for (const group of ntGroup.templates) {
          const shown = shownCount(group);
          group.countElement.textContent = countText(shown, group.total);
          group.element.hidden = shown === 0;
          ntShown += shown;
        }
        ntGroup.countElement.textContent = countText(ntShown, ntGroup.total);
        ntGroup.element.hidden = ntShown === 0;
        deckShown += ntShown;
      }
      deck.countElement.textContent = countText(deckShown, deck.total);
      shownTotal += deckShown;
      allTotal += deck.total;
    }
    count.textContent = countText(shownTotal, allTotal);
    nothing.hidden = shownTotal > 0 || allTotal === 0;
    fillBlocks();
  }

  // Filtering needs the cards of every deck of the language; the last query typed wins.
  function update() {
    const query = state.query;
    const language = state.language;
    const shown = decks.filter((d) => d.language === language);
    const needed = query === "" ? [] : shown.map((d) => load(d));
    if (query !== "" && !shown.every((d) => loaded(d, d.cards.keys()))) count.textContent = "reading the cards…";
    ready = Promise.all(needed).then(() => {
      if (query === state.query && language === state.language) applyFilter();
    });
    ready.catch(report);
    return ready;
  }

  function setLanguage(language) {
    state.language = language;
    for (const button of document.querySelectorAll(".pv-lang")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === language));
    }
    layOut();
    readAheadWhenIdle(language);
    return update();
  }

  function setNight(on) {
    state.night = on;
    night.setAttribute("aria-pressed", String(on));
    document.documentElement.classList.toggle("pv-night", on);
    for (const element of root.querySelectorAll(".pv-card")) show(element);
  }

  // #deck/lang/kind/entry/template: that card, in its language, shown even if the filter hid it.
  function follow(hash) {
    let id = hash.replace(/^#/, "");
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // not percent-encoded: taken as it is
    }
    const deck = decks.find((d) => id.startsWith(d.key + "/"));
    if (!deck) return;
    const shown = deck.language === state.language ? Promise.resolve() : setLanguage(deck.language);
    ready = shown
      .then(() => load(deck))
      .then(() => {
        const index = deck.cards.findIndex((card) => card.id === id);
        if (index < 0) return undefined;
        const group = groups.find((g) => g.deck === deck && index >= g.start && index < g.start + g.total);
        if (group.shown && !group.shown.includes(index)) {
          filter.value = "";
          state.query = "";
          applyFilter();
        }
        const position = group.shown ? group.shown.indexOf(index) : index - group.start;
        return focusCard(group, position, "center").then((element) => {
          for (const old of root.querySelectorAll(".pv-target")) old.classList.remove("pv-target");
          element.classList.add("pv-target");
        });
      })
      .catch(report);
  }

  for (const button of document.querySelectorAll(".pv-lang")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  night.addEventListener("click", () => setNight(!state.night));
  filter.addEventListener("input", () => {
    state.query = fold(filter.value);
    update();
  });

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
    const frame = Array.from(root.querySelectorAll(".pv-frame")).find((f) => f.contentWindow === event.source);
    if (!frame) return;
    const element = frame.closest(".pv-card");
    if (message.previewFrame === "height") {
      frame.style.height = message.height + "px";
      heights.set(element.place.card.id + " " + element.dataset.side, message.height);
      keepPinned();
    } else if (message.previewFrame === "flip") flip(element);
    else if (message.previewFrame === "key") onKey(element, message.key);
  });

  window.addEventListener("hashchange", () => follow(location.hash));
  window.addEventListener("resize", () => {
    perRow = columns();
  });

  const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  setNight(Boolean(dark));
  setLanguage(manifest.languages[0] || "");
  if (location.hash.length > 1) follow(location.hash);
})();
