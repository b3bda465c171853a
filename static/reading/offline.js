// Reading offline (issue 12, point 4): registers the service worker (static/reading/sw.js, served
// at /sw.js), stores a meeting's package in Cache Storage on "Ladda ned för läsning offline",
// shows whether the device is online and what it holds, removes a meeting from the device, and
// clears every stored page on signing out (they are the signed-in user's pages): when the sign-out
// form is sent, and again on any page seen signed out. Loaded on every page for that reason.

(function () {
  const script = document.currentScript;
  const LOGOUT = script ? script.dataset.logout : null;
  const USER = script ? script.dataset.user : "";
  const SW = script ? script.dataset.sw : "/sw.js";
  const PREFIX = "lasesal-";
  const STORED = "lasesal-stored-meetings";
  const OWNER = "lasesal-owner";

  function stored() {
    try {
      return JSON.parse(localStorage.getItem(STORED) || "{}");
    } catch (error) {
      return {};
    }
  }

  function setStored(value) {
    localStorage.setItem(STORED, JSON.stringify(value));
    window.dispatchEvent(new CustomEvent("lasesal:stored"));
  }

  async function clearDevice() {
    if (window.caches) {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX)) await caches.delete(name);
      }
    }
    localStorage.removeItem(STORED);
  }
  window.lasesalOffline = { clearDevice };

  // Signed out (or another person signed in on this device): what was stored is not theirs to read.
  const owner = localStorage.getItem(OWNER);
  if (!USER || (owner && owner !== USER)) clearDevice();
  if (USER) localStorage.setItem(OWNER, USER);
  else localStorage.removeItem(OWNER);

  // Signing out: start clearing at once (the signed-out page finishes it) without holding up the
  // sign-out itself. Unsent notes stay on the device and are sent when their author signs in again.
  document.addEventListener("submit", (event) => {
    if (LOGOUT && event.target.getAttribute("action") === LOGOUT) clearDevice();
  });

  const connection = document.querySelector("[data-connection]");
  if (!connection) return; // not a page of the reading room

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(SW, { scope: "/" }).catch(() => {});
  }

  function showConnection() {
    connection.hidden = false;
    connection.classList.toggle("is-offline", !navigator.onLine);
    connection.textContent = navigator.onLine
      ? "Ansluten."
      : "Du är offline. Du läser det som är sparat på enheten. Anteckningar du skriver skickas när du är ansluten igen.";
  }
  showConnection();
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);

  const when = (iso) =>
    new Date(iso).toLocaleString("sv-SE", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });

  // The meeting page: store or remove this meeting.
  const box = document.querySelector("[data-offline]");
  if (box && window.caches && "serviceWorker" in navigator) {
    const meeting = box.dataset.meeting;
    const state = box.querySelector("[data-offline-state]");
    const storeButton = box.querySelector("[data-offline-store]");
    const removeButton = box.querySelector("[data-offline-remove]");
    const show = () => {
      const entry = stored()[meeting];
      box.dataset.stored = entry ? "true" : "false";
      removeButton.hidden = !entry;
      storeButton.textContent = entry ? "Uppdatera den sparade kopian" : "Ladda ned för läsning offline";
      state.textContent = entry
        ? `Sparat på den här enheten ${when(entry.storedAt)}: ${entry.pages} sidor och ${entry.files} filer.`
        : "Sammanträdet är inte sparat på den här enheten.";
    };
    box.hidden = false;
    show();
    window.addEventListener("lasesal:stored", show);
    storeButton.addEventListener("click", async () => {
      storeButton.disabled = true;
      state.textContent = "Laddar ned …";
      try {
        const response = await fetch(box.dataset.packageUrl, { credentials: "same-origin", cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const pkg = await response.json();
        await navigator.serviceWorker.ready;
        const name = PREFIX + meeting;
        await caches.delete(name);
        const cache = await caches.open(name);
        await cache.addAll(pkg.urls.map((url) => new Request(url, { credentials: "same-origin" })));
        setStored({
          ...stored(),
          [meeting]: {
            title: box.dataset.title,
            url: box.dataset.url,
            storedAt: new Date().toISOString(),
            pages: pkg.pages,
            files: pkg.files,
          },
        });
      } catch (error) {
        await caches.delete(PREFIX + meeting);
        state.textContent = "Sammanträdet kunde inte sparas på enheten. Försök igen när du är ansluten.";
        storeButton.disabled = false;
        return;
      }
      storeButton.disabled = false;
      show();
    });
    removeButton.addEventListener("click", async () => {
      await caches.delete(PREFIX + meeting);
      const all = stored();
      delete all[meeting];
      setStored(all);
      storeButton.focus();
    });
  }

  // Mina sammanträden: the meetings stored on this device.
  const list = document.querySelector("[data-offline-list]");
  if (list && window.caches) {
    const render = () => {
      const entries = Object.entries(stored());
      const ul = list.querySelector("ul");
      ul.replaceChildren();
      list.querySelector("[data-offline-none]").hidden = entries.length > 0;
      for (const [meeting, entry] of entries) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.className = "reading-link";
        link.href = entry.url;
        link.textContent = entry.title;
        const info = document.createElement("span");
        info.textContent = ` – sparat ${when(entry.storedAt)}. `;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button-secondary";
        remove.textContent = "Ta bort från enheten";
        remove.setAttribute("aria-label", `Ta bort från enheten: ${entry.title}`);
        remove.addEventListener("click", async () => {
          await caches.delete(PREFIX + meeting);
          const all = stored();
          delete all[meeting];
          setStored(all);
        });
        li.append(link, info, remove);
        ul.append(li);
      }
    };
    list.hidden = false;
    render();
    window.addEventListener("lasesal:stored", render);
  }
})();
