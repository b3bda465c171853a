// Autosave that never lies (issue 14.2). The editors themselves are static/vendor/paper-editor.js.
//
// - A save that fails says so at once in the status line: no connection, signed out, or the server's
//   error number. It never shows "saved" for text the server has not stored.
// - The text is kept in this browser (localStorage, keyed by draft and the version it was written on)
//   from the first keystroke until the server has stored it, and offered back after a reload.
// - A failed save is sent again by itself: when the browser is back online, when the window gets the
//   focus again (after signing in in another tab), and every few seconds. Before sending it fetches a
//   fresh CSRF token, since signing in again gives a new one.
// - Leaving the page with unsaved text asks first.
// The Swedish texts come from the form's data-msg-* attributes (the template translates).

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
  const saveUrl = form.getAttribute("hx-post");
  let unsaved = false;
  let edits = 0;
  let sentAt = 0;
  let leaving = false;
  let problem = null; // null, "offline", "signed-out" or "failed"
  let timer = null;
  let wait = 2000;
  let freshToken = false; // the last save carried a token fetched after a 403

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
  // Spara while an autosave is on its way waits for it: the page's version number is then the one
  // the autosave made, so the full save is not refused as a conflict with this very page's autosave.
  let inFlight = false;
  let submitWaiting = null;
  form.addEventListener("submit", (event) => {
    if (inFlight) {
      event.preventDefault();
      submitWaiting = { submitter: event.submitter };
      return;
    }
    leaving = true;
  });

  function showStatus(state, message, link) {
    const status = document.getElementById("save-status");
    if (!status) return;
    status.dataset.state = state;
    status.replaceChildren();
    const strong = document.createElement("strong");
    strong.className = "error-message";
    strong.textContent = message;
    status.append(strong);
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = link.text;
      status.append(" ", a);
    }
  }

  function failed(kind, code) {
    problem = kind;
    if (kind === "offline") showStatus("offline", form.dataset.msgOffline);
    else if (kind === "signed-out")
      showStatus("signed-out", form.dataset.msgSignedOut, { href: form.dataset.signinUrl, text: form.dataset.msgSignin });
    else showStatus("failed", form.dataset.msgFailed.replace("%s", code));
    clearTimeout(timer);
    timer = setTimeout(resend, wait);
    wait = Math.min(wait * 2, 10000);
  }

  // Send the kept text again: first ask for the page (is the session there? a fresh CSRF token),
  // then save. Whatever fails on the way is shown as it is.
  async function resend() {
    clearTimeout(timer);
    if (!problem) return;
    let response;
    try {
      response = await fetch(saveUrl, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch (error) {
      failed("offline");
      return;
    }
    if (response.redirected && new URL(response.url).pathname !== new URL(saveUrl, location.href).pathname) {
      const path = new URL(response.url).pathname;
      if (path === new URL(form.dataset.signinUrl, location.href).pathname) {
        failed("signed-out");
        return;
      }
    }
    if (!response.ok) {
      failed("failed", response.status);
      return;
    }
    const token = (await response.text()).match(/name="csrfmiddlewaretoken" value="([^"]+)"/);
    if (token) form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => (input.value = token[1]));
    freshToken = true;
    htmx.trigger(form, "save-now");
  }

  // The autosave's own requests (not a comment's button inside the form).
  const mine = (event) => (event.detail.requestConfig?.elt || event.detail.elt) === form;
  form.addEventListener("htmx:beforeRequest", (event) => {
    if (!mine(event)) return;
    sentAt = edits;
    inFlight = true;
  });
  form.addEventListener("htmx:afterRequest", (event) => {
    if (!mine(event)) return;
    inFlight = false;
    if (submitWaiting !== null) {
      const { submitter } = submitWaiting;
      submitWaiting = null;
      form.requestSubmit(submitter || undefined);
    }
  });
  form.addEventListener("htmx:sendError", (event) => {
    if (mine(event)) failed("offline");
  });
  form.addEventListener("htmx:beforeSwap", (event) => {
    if (!mine(event)) return;
    const xhr = event.detail.xhr;
    const landed = xhr.responseURL ? new URL(xhr.responseURL).pathname : "";
    const signedOut = landed && landed === new URL(form.dataset.signinUrl, location.href).pathname;
    if (signedOut || xhr.status === 403) {
      // Signed out (the save was sent to the sign-in page), or a CSRF token from before signing in again.
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      if (signedOut) failed("signed-out");
      else if (freshToken) failed("failed", xhr.status);
      else {
        problem = "signed-out";
        resend();
      }
    } else if (xhr.status >= 400) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      failed("failed", xhr.status);
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const status = document.getElementById("save-status");
    if (!status || !event.detail.target || event.detail.target.id !== "save-status") return;
    // A refused (conflicting) save is kept on the server as a refused version: nothing to lose.
    freshToken = false;
    if (["saved", "conflict", "idle"].includes(status.dataset.state)) {
      problem = null;
      wait = 2000;
      clearTimeout(timer);
      if (edits === sentAt) {
        unsaved = false;
        forget();
      }
    }
  });
  addEventListener("online", () => problem && resend());
  addEventListener("focus", () => problem && resend());
  document.addEventListener("visibilitychange", () => !document.hidden && problem && resend());

  addEventListener("beforeunload", (event) => {
    if (unsaved && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A resolved comment leaves the editor's text as it is, and its mark goes.
  document.body.addEventListener("htmx:afterSwap", () => {
    for (const done of document.querySelectorAll("[data-resolved]")) window.paperEditor?.dropComment(done.dataset.resolved);
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
        const editor = window.paperEditors && window.paperEditors.get(element.id);
        if (editor) editor.commands.setContent(given[0], { emitUpdate: false });
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
  // The editors (paper-editor.js, loaded before this file) have written their HTML into the inputs.
  offer();
})();
