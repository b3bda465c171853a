// The paper editor: Trix limited to what papers use, in Swedish, without attachments.
addEventListener("trix-before-initialize", () => {
  Trix.config.blockAttributes.heading1.tagName = "h3";
});
addEventListener("trix-file-accept", (event) => event.preventDefault());
// Ctrl/Cmd+S saves now instead of waiting for the autosave.
addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "s") {
    const form = document.getElementById("editor-form");
    if (form) {
      event.preventDefault();
      htmx.trigger(form, "save-now");
    }
  }
});
