// The paper editor: Trix limited to what papers use, in Swedish, without attachments; and never
// losing a word: a failed autosave is shown at once, the text is kept in this browser (localStorage,
// keyed by draft and the version it was written on) and offered back, and leaving with unsaved text
// asks first. The Swedish texts come from the form's data-msg-* attributes (the template translates).
addEventListener("trix-before-initialize", () => {
  Trix.config.blockAttributes.heading1.tagName = "h3";
});
addEventListener("trix-file-accept", (event) => event.preventDefault());
// Ctrl/Cmd+S saves now instead of waiting for the autosave.
addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "s") {
    const form = document.getElementById("editor-form");
    if (form && form.hasAttribute("hx-post")) {
      event.preventDefault();
      htmx.trigger(form, "save-now");
    }
  }
});

(() => {
  const form = document.getElementById("editor-form");
  if (!form || !form.dataset.draft) return;
  const prefix = `papers:unsaved:${form.dataset.draft}:`;
  let unsaved = false;
  let edits = 0;
  let sentAt = 0;
  let leaving = false;

  const baseVersion = () => form.querySelector("#base_version")?.value || "0";
  const fields = () =>
    [...new FormData(form).entries()].filter(([name]) => name !== "csrfmiddlewaretoken" && name !== "base_version");
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const storedKeys = () => Object.keys(localStorage).filter((key) => key.startsWith(prefix));
  const forget = () => storedKeys().forEach((key) => localStorage.removeItem(key));

  function keep() {
    const version = baseVersion();
    const entry = { version, fields: fields(), at: new Date().toISOString() };
    try {
      forget();
      localStorage.setItem(prefix + version, JSON.stringify(entry));
    } catch (error) {
      // Storage full or refused: the warning before leaving still protects the text.
    }
  }

  function changed() {
    unsaved = true;
    edits += 1;
    keep();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("trix-change", changed);
  form.addEventListener("submit", () => {
    leaving = true;
  });

  function showStatus(message) {
    const status = document.getElementById("save-status");
    if (!status) return;
    status.dataset.state = "failed";
    status.replaceChildren();
    const strong = document.createElement("strong");
    strong.className = "error-message";
    strong.textContent = message;
    status.append(strong);
  }

  form.addEventListener("htmx:beforeRequest", () => {
    sentAt = edits;
  });
  form.addEventListener("htmx:sendError", () => showStatus(form.dataset.msgOffline));
  form.addEventListener("htmx:responseError", (event) =>
    showStatus(form.dataset.msgFailed.replace("%s", event.detail.xhr.status)),
  );
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const status = document.getElementById("save-status");
    if (!status || !event.detail.target || event.detail.target.id !== "save-status") return;
    // A refused (conflicting) save is kept on the server as a refused version: nothing to lose.
    if (["saved", "conflict"].includes(status.dataset.state) && edits === sentAt) {
      unsaved = false;
      forget();
    }
  });

  addEventListener("beforeunload", (event) => {
    if (unsaved && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function restore(entry) {
    const values = new Map();
    for (const [name, value] of entry.fields) values.set(name, [...(values.get(name) || []), value]);
    for (const element of form.elements) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.name === "base_version") continue;
      const given = values.get(element.name) || [];
      if (element.type === "checkbox") {
        element.checked = given.includes(element.value);
      } else if (given.length) {
        element.value = given[0];
        const trix = form.querySelector(`trix-editor[input="${element.id}"]`);
        if (trix && trix.editor) trix.editor.loadHTML(given[0]);
      }
    }
    // Saved against the version it was written on: if someone saved since, the server refuses it as
    // a conflict and offers the merge; it never overwrites their text.
    form.querySelector("#base_version").value = entry.version;
    changed();
    if (form.hasAttribute("hx-post")) htmx.trigger(form, "save-now");
  }

  function offer() {
    if (!form.hasAttribute("hx-post")) return; // the merge page shows its own two texts
    const key = storedKeys().sort().pop();
    if (!key) return;
    const entry = JSON.parse(localStorage.getItem(key));
    if (same(entry.fields, fields())) {
      forget();
      return;
    }
    const panel = document.createElement("div");
    panel.className = "panel";
    panel.id = "unsaved-restore";
    panel.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = form.dataset.msgRestore
      .replace("%(version)s", entry.version)
      .replace("%(time)s", new Date(entry.at).toLocaleString("sv-SE"));
    const yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button";
    yes.textContent = form.dataset.msgRestoreButton;
    const no = document.createElement("button");
    no.type = "button";
    no.className = "button button-secondary";
    no.textContent = form.dataset.msgDiscardButton;
    yes.addEventListener("click", () => {
      panel.remove();
      restore(entry);
    });
    no.addEventListener("click", () => {
      panel.remove();
      forget();
    });
    panel.append(text, yes, " ", no);
    form.before(panel);
  }
  // Trix reads its hidden inputs when it starts; compare and restore once every editor is ready.
  const editors = [...form.querySelectorAll("trix-editor")];
  const ready = () => editors.every((trix) => trix.editor);
  if (ready()) offer();
  else addEventListener("trix-initialize", function once() {
    if (!ready()) return;
    removeEventListener("trix-initialize", once);
    offer();
  });
})();
