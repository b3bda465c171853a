// The reviewer marks words in the paper; the comment form takes them as its quote and part, so the
// comment is anchored to that text (papers.comments). Typing the words by hand works as well.
(() => {
  const form = document.getElementById("comment-form");
  const paper = document.querySelector("article.paper");
  if (!form || !paper) return;
  const partOf = (node) => (node && (node.nodeType === 1 ? node : node.parentElement))?.closest("[data-section]");
  function take() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed) return;
    const part = partOf(selection.anchorNode);
    if (!part || part !== partOf(selection.focusNode) || !paper.contains(part)) return;
    const words = selection.toString().replace(/\s+/g, " ").trim();
    if (!words) return;
    form.elements.quote.value = words.slice(0, 500);
    form.elements.section_key.value = part.dataset.section;
  }
  paper.addEventListener("mouseup", take);
  paper.addEventListener("keyup", take);
})();
