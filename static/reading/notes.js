// Private notes and highlights in the reading room (issue 12, point 3), and keeping them while
// offline (point 4).
//
// A highlight is kept as a W3C TextQuoteSelector: the exact text with up to 32 characters before
// (prefix) and after (suffix). When the page is shown, each highlight is looked for in the text of
// its handling (the item's paper, or a PDF's text layer) and marked; one whose text is no longer
// there (a new version of the handling) is listed under "Kunde inte placeras" with its quote.
//
// Every note gets its id here (a UUID) and waits in localStorage until the server has it; the
// server's endpoint is idempotent on that id, so a note sent twice is one note and a note written
// offline is sent when the device is online again.

(function () {
  const PENDING = "lasesal-pending-notes";
  const CONTEXT = 32;
  const owner = () => localStorage.getItem("lasesal-owner") || "";

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function pending() {
    try {
      return JSON.parse(localStorage.getItem(PENDING) || "{}");
    } catch (error) {
      return {};
    }
  }

  function updatePending(change) {
    const all = pending();
    change(all);
    localStorage.setItem(PENDING, JSON.stringify(all));
    window.dispatchEvent(new CustomEvent("lasesal:pending"));
  }

  // Sending what waits: one job at a time, stopping at the first that cannot reach the server.
  let running = null;
  async function freshToken(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()).csrf;
  }

  async function sendAll() {
    const tokens = {};
    for (const [id, job] of Object.entries(pending())) {
      if (job.owner !== owner() || !navigator.onLine) continue;
      let response;
      try {
        tokens[job.notesUrl] = tokens[job.notesUrl] || (await freshToken(job.notesUrl));
        response = await fetch(job.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": tokens[job.notesUrl], Accept: "application/json" },
          body: new URLSearchParams(job.fields || {}),
        });
      } catch (error) {
        return; // offline again: later
      }
      if (response.ok) {
        updatePending((all) => delete all[id]);
      } else if (response.status === 400) {
        const problem = await response.json().catch(() => ({}));
        updatePending((all) => {
          if (all[id]) all[id].error = problem.error || "Anteckningen kunde inte sparas.";
        });
      } else {
        return; // signed out, or the server is unwell: keep it for later
      }
    }
  }

  function flush() {
    if (!running) running = sendAll().finally(() => (running = null));
    return running;
  }
  window.lasesalNotes = { flush };
  window.addEventListener("online", () => flush());

  const panel = document.querySelector("[data-notes]");
  if (!panel) {
    flush();
    return;
  }

  const itemId = panel.dataset.item || null;
  const notesUrl = panel.dataset.notesUrl;
  const placeholder = panel.dataset.placeholder;
  const urlFor = (template, id) => template.replace(placeholder, id);
  const list = panel.querySelector("[data-notes-list]");
  const unplaced = panel.querySelector("[data-notes-unplaced]");
  const sync = panel.querySelector("[data-notes-sync]");
  const form = panel.querySelector("[data-note-form]");
  const quoteBox = form.querySelector("[data-note-quote]");
  const toolbar = document.querySelector("[data-note-toolbar]");
  const howto = form.querySelector("[data-note-howto]");
  if (howto) howto.hidden = false;
  let serverNotes = [];
  let loaded = false;

  // ---- Text quote selectors ----

  function sourceRoot(note) {
    if (note.source === "paper") return document.querySelector('[data-note-source="paper"]');
    if (note.source === "document") return document.querySelector(`[data-note-source="document"][data-document="${note.document}"]`);
    return null;
  }

  function textNodes(root) {
    const inPdf = root.dataset.noteSource === "document";
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        !inPdf || (node.parentElement && node.parentElement.closest(".textLayer"))
          ? NodeFilter.FILTER_ACCEPT
          : NodeFilter.FILTER_REJECT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function describe(root, range) {
    const nodes = textNodes(root);
    let acc = 0;
    let start = null;
    let end = null;
    for (const node of nodes) {
      const length = node.data.length;
      if (range.intersectsNode(node)) {
        const s = node === range.startContainer ? range.startOffset : 0;
        const e = node === range.endContainer ? range.endOffset : length;
        if (start === null) start = acc + s;
        end = acc + e;
      }
      acc += length;
    }
    if (start === null || end <= start) return null;
    const text = nodes.map((n) => n.data).join("");
    const exact = text.slice(start, end);
    if (!exact.trim()) return null;
    return { exact, prefix: text.slice(Math.max(0, start - CONTEXT), start), suffix: text.slice(end, end + CONTEXT) };
  }

  function common(a, b, fromEnd) {
    let n = 0;
    while (n < a.length && n < b.length) {
      const x = fromEnd ? a[a.length - 1 - n] : a[n];
      const y = fromEnd ? b[b.length - 1 - n] : b[n];
      if (x !== y) break;
      n += 1;
    }
    return n;
  }

  function locate(text, quote) {
    let best = null;
    let bestScore = -1;
    for (let i = text.indexOf(quote.exact); i !== -1; i = text.indexOf(quote.exact, i + 1)) {
      const before = text.slice(Math.max(0, i - quote.prefix.length), i);
      const after = text.slice(i + quote.exact.length, i + quote.exact.length + quote.suffix.length);
      const score = common(before, quote.prefix, true) + common(after, quote.suffix, false);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best === null ? null : [best, best + quote.exact.length];
  }

  function mark(root, note) {
    const nodes = textNodes(root);
    const found = locate(nodes.map((n) => n.data).join(""), note);
    if (!found) return false;
    const [start, end] = found;
    const targets = [];
    let acc = 0;
    for (const node of nodes) {
      const s = Math.max(start, acc);
      const e = Math.min(end, acc + node.data.length);
      if (s < e) targets.push([node, s - acc, e - acc]);
      acc += node.data.length;
    }
    let first = null;
    for (const [node, s, e] of targets) {
      let piece = node;
      if (s > 0) piece = piece.splitText(s);
      if (e - s < piece.data.length) piece.splitText(e - s);
      if (!piece.data.trim()) continue; // no <mark> between list items or table cells
      const element = document.createElement("mark");
      element.className = note.shared ? "note-mark is-shared" : "note-mark";
      element.dataset.noteUuid = note.uuid;
      piece.parentNode.insertBefore(element, piece);
      element.append(piece);
      if (!first) first = element;
    }
    if (first) {
      first.id = `anteckning-${note.uuid}`;
      first.tabIndex = -1;
    }
    return Boolean(first);
  }

  function unmarkAll() {
    for (const element of document.querySelectorAll("mark.note-mark")) {
      const parent = element.parentNode;
      element.replaceWith(...element.childNodes);
      parent.normalize();
    }
  }

  // ---- Showing the notes ----

  function notesHere() {
    const byId = new Map(serverNotes.map((n) => [n.uuid, n]));
    const waiting = pending();
    for (const [id, job] of Object.entries(waiting)) {
      if (job.notesUrl !== notesUrl || job.owner !== owner()) continue;
      if (job.op === "delete") byId.delete(id);
      else byId.set(id, { ...job.note, waiting: true, error: job.error });
    }
    return [...byId.values()].filter((n) => (n.item || null) === itemId);
  }

  function card(note, placed) {
    const li = document.createElement("li");
    li.className = note.shared ? "note-card is-shared" : "note-card";
    li.dataset.noteUuid = note.uuid;
    if (note.exact) {
      const quote = document.createElement("blockquote");
      quote.textContent = note.exact;
      li.append(quote);
    }
    if (note.text) {
      const text = document.createElement("p");
      text.className = "note-text";
      text.textContent = note.text;
      li.append(text);
    }
    const meta = document.createElement("p");
    meta.className = "note-meta";
    const who = note.own === false ? `${note.author} · ` : "";
    const sharing = note.shared ? `Delad med partigruppen${note.party ? ` (${note.party})` : ""}` : "Privat";
    const state = note.error ? ` · Kunde inte sparas: ${note.error}` : note.waiting ? " · Väntar på att skickas" : "";
    meta.textContent = who + sharing + state;
    li.append(meta);
    const actions = document.createElement("p");
    actions.className = "note-actions";
    if (placed) {
      const link = document.createElement("a");
      link.className = "reading-link";
      link.href = `#anteckning-${note.uuid}`;
      link.textContent = "Visa i texten";
      link.addEventListener("click", (event) => {
        const target = document.getElementById(`anteckning-${note.uuid}`);
        if (!target) return;
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      });
      actions.append(link);
    }
    if (note.own !== false) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button-secondary";
      remove.textContent = "Ta bort anteckningen";
      remove.addEventListener("click", () => removeNote(note));
      actions.append(remove);
    }
    if (actions.childNodes.length) li.append(actions);
    return li;
  }

  function render() {
    unmarkAll();
    const notes = notesHere();
    const placedCards = [];
    const lost = [];
    for (const note of notes) {
      if (!note.source) {
        placedCards.push(card(note, false));
        continue;
      }
      const root = sourceRoot(note);
      const ready = root && (note.source !== "document" || root.dataset.rendered === "true");
      if (ready && mark(root, note)) placedCards.push(card(note, true));
      else if (!root || root.dataset.rendered === "failed" || ready) lost.push(card(note, false));
      else placedCards.push(card(note, false)); // its PDF is still being drawn
    }
    list.replaceChildren(...placedCards);
    unplaced.querySelector("ul").replaceChildren(...lost);
    unplaced.hidden = lost.length === 0;
    panel.dataset.notesShown = String(notes.length);
    showSync();
  }

  function showSync() {
    const waiting = Object.values(pending()).filter((job) => job.owner === owner()).length;
    sync.classList.toggle("is-pending", waiting > 0);
    if (waiting) {
      sync.textContent =
        waiting === 1
          ? "1 anteckning väntar på att skickas. Den skickas när du är ansluten."
          : `${waiting} anteckningar väntar på att skickas. De skickas när du är ansluten.`;
    } else if (loaded) {
      sync.textContent = "Alla anteckningar är sparade.";
    }
    panel.dataset.pending = String(waiting);
  }

  async function load() {
    try {
      const response = await fetch(notesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      serverNotes = (await response.json()).notes;
      loaded = true;
    } catch (error) {
      sync.textContent = "Anteckningarna kunde inte hämtas just nu.";
    }
    render();
  }

  async function syncNow() {
    await flush();
    await load();
  }

  // ---- Writing ----

  let selection = null;
  document.addEventListener("selectionchange", () => {
    const current = document.getSelection();
    if (!current || current.rangeCount === 0 || current.isCollapsed) {
      if (toolbar && !toolbar.contains(document.activeElement)) toolbar.hidden = true;
      return;
    }
    const range = current.getRangeAt(0);
    const container = range.commonAncestorContainer;
    const element = container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement;
    const root = element && element.closest("[data-note-source]");
    if (!root || !itemId) return;
    const quote = describe(root, range);
    if (!quote) return;
    selection = { ...quote, source: root.dataset.noteSource, document: root.dataset.document || "" };
    if (toolbar) toolbar.hidden = false;
  });

  // namedItem: form.elements.item would be the collection's item() method, not the field.
  const field = (name) => form.elements.namedItem(name);
  const FIELDS = { source: "source", document: "document", exact: "exact", prefix: "quote_prefix", suffix: "quote_suffix" };

  function setQuote(quote) {
    for (const [key, name] of Object.entries(FIELDS)) {
      field(name).value = quote ? quote[key] || "" : "";
    }
    quoteBox.hidden = !quote;
    quoteBox.querySelector("[data-note-quote-text]").textContent = quote ? quote.exact : "";
  }

  if (toolbar) {
    toolbar.querySelector("[data-note-highlight]").addEventListener("click", () => {
      if (!selection) return;
      setQuote(selection);
      toolbar.hidden = true;
      field("text").focus();
    });
  }
  form.querySelector("[data-note-unquote]").addEventListener("click", () => {
    setQuote(null);
    field("text").focus();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = {};
    for (const name of ["text", "item", ...Object.values(FIELDS)]) {
      fields[name] = field(name).value;
    }
    if (field("shared") && field("shared").checked) fields.shared = "on";
    if (!fields.text.trim() && !fields.exact) {
      sync.textContent = "Skriv en anteckning först.";
      field("text").focus();
      return;
    }
    const id = uuid4();
    const note = {
      uuid: id,
      item: fields.item || null,
      source: fields.source,
      document: fields.document || null,
      exact: fields.exact,
      prefix: fields.quote_prefix,
      suffix: fields.quote_suffix,
      text: fields.text,
      shared: Boolean(fields.shared),
      party: "",
      own: true,
    };
    updatePending((all) => {
      all[id] = { op: "save", owner: owner(), notesUrl, url: urlFor(panel.dataset.saveUrl, id), fields, note };
    });
    field("text").value = "";
    setQuote(null);
    selection = null;
    render();
    syncNow();
  });

  function removeNote(note) {
    updatePending((all) => {
      if (all[note.uuid] && all[note.uuid].op === "save" && !serverNotes.some((n) => n.uuid === note.uuid)) {
        delete all[note.uuid]; // never sent: nothing to remove on the server
      } else {
        all[note.uuid] = { op: "delete", owner: owner(), notesUrl, url: urlFor(panel.dataset.deleteUrl, note.uuid) };
      }
    });
    render();
    syncNow();
  }

  window.addEventListener("online", () => syncNow());
  window.addEventListener("lasesal:pending", showSync);

  // A PDF's text layer arrives after the page: place its highlights once it is drawn.
  for (const viewer of document.querySelectorAll('[data-note-source="document"]')) {
    new MutationObserver(() => render()).observe(viewer, { attributes: true, attributeFilter: ["data-rendered"] });
  }

  syncNow();
})();
