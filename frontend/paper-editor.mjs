// The paper editor (Tiptap on ProseMirror), bundled by esbuild into static/vendor/paper-editor.js
// (scripts/build-editor.sh; the bundle is committed, and tests/test_paper_editor_bundle.py proves it is
// the build of this file with the pinned packages). It edits only what nh3 keeps on the server
// (papers/sanitize.py): paragraphs, h3/h4, lists, bold, italic, underline, links, tables, images.
//
// Each `.paper-editor` element names the hidden input it writes (data-input). Every change writes the
// HTML there and sends an `input` event, which the form's autosave (htmx) listens to. Reviewer
// comments (data-comments on the element: [{id, quote}]) are drawn at their text as decorations; the
// saved HTML never contains them.
import { Editor, Extension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Paragraph from "@tiptap/extension-paragraph";
import Image from "@tiptap/extension-image";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

// Trix wrote paragraphs as <div>: read them as paragraphs so every existing draft opens as it was.
const TrixParagraph = Paragraph.extend({
  parseHTML() {
    return [{ tag: "p" }, { tag: "div" }];
  },
});

// Word puts list items in paragraphs (class MsoListParagraph, style mso-list:…) with the bullet or
// number as text in a span marked mso-list:Ignore. Turn runs of them into <ul>/<ol> before
// ProseMirror reads the paste; everything else Word adds (spans, styles, classes, o:p) is dropped
// by the schema here and by nh3 on the server.
export function wordListsToHtml(html) {
  if (!/mso-list|MsoListParagraph/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, "text/html");
  const isItem = (el) =>
    el && el.tagName === "P" && (/mso-list/i.test(el.getAttribute("style") || "") || /MsoListParagraph/.test(el.className));
  for (const p of [...doc.body.querySelectorAll("p")]) {
    if (!isItem(p) || !p.isConnected) continue;
    const run = [p];
    let next = p.nextElementSibling;
    while (isItem(next)) {
      run.push(next);
      next = next.nextElementSibling;
    }
    const marker = (el) => {
      const ignore = [...el.querySelectorAll("span")].find((s) => /mso-list:\s*ignore/i.test(s.getAttribute("style") || ""));
      const text = (ignore ? ignore.textContent : el.textContent).trim();
      if (ignore) ignore.remove();
      return text;
    };
    const first = marker(run[0]);
    const list = doc.createElement(/^[0-9a-z]{1,3}[.)]/i.test(first) ? "ol" : "ul");
    p.before(list);
    run.forEach((item, index) => {
      if (index) marker(item);
      const li = doc.createElement("li");
      li.append(...item.childNodes);
      list.append(li);
      item.remove();
    });
  }
  // Word's conditional comments (<![if !supportLists]>) leave text nodes behind in some browsers.
  return doc.body.innerHTML.replace(/<!\[(end)?if[^>]*>/gi, "");
}

const commentsKey = new PluginKey("paperComments");
const commentLists = new Map(); // editor -> its part's open comments

// Reviewer comments, anchored by their quoted text: the first place the quote stands in this section.
const Comments = Extension.create({
  name: "paperComments",
  addOptions() {
    return { comments: () => [] };
  },
  addProseMirrorPlugins() {
    const list = this.options.comments;
    const find = (doc) => {
      const comments = list();
      const decorations = [];
      // The text of each textblock with the document position of every character.
      doc.descendants((node, pos) => {
        if (!node.isTextblock) return true;
        let text = "";
        const at = [];
        node.forEach((child, offset) => {
          if (child.isText) {
            for (let i = 0; i < child.text.length; i += 1) at.push(pos + 1 + offset + i);
            text += child.text;
          }
        });
        for (const comment of comments) {
          if (comment.found) continue;
          const index = comment.quote ? text.indexOf(comment.quote) : -1;
          if (index < 0) continue;
          comment.found = true;
          decorations.push(
            Decoration.inline(at[index], at[index + comment.quote.length - 1] + 1, {
              nodeName: "mark",
              class: "comment-anchor",
              "data-comment": comment.id,
              title: comment.body || "",
            }),
          );
        }
        return false;
      });
      return decorations;
    };
    return [
      new Plugin({
        key: commentsKey,
        props: {
          decorations(state) {
            list().forEach((c) => (c.found = false));
            return DecorationSet.create(state.doc, find(state.doc));
          },
        },
      }),
    ];
  },
});

function html(editor) {
  return editor.isEmpty ? "" : editor.getHTML();
}

function toolbar(root, editor) {
  const bar = root.querySelector(".paper-toolbar");
  if (!bar) return;
  const run = {
    bold: () => editor.chain().focus().toggleBold().run(),
    italic: () => editor.chain().focus().toggleItalic().run(),
    heading: () => editor.chain().focus().toggleHeading({ level: 3 }).run(),
    bullet: () => editor.chain().focus().toggleBulletList().run(),
    number: () => editor.chain().focus().toggleOrderedList().run(),
    link: () => {
      const href = window.prompt(bar.dataset.msgLink, editor.getAttributes("link").href || "https://");
      if (href === null) return;
      if (href === "") editor.chain().focus().unsetLink().run();
      else editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    },
    table: () => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    "row-add": () => editor.chain().focus().addRowAfter().run(),
    "column-add": () => editor.chain().focus().addColumnAfter().run(),
    "row-delete": () => editor.chain().focus().deleteRow().run(),
    "column-delete": () => editor.chain().focus().deleteColumn().run(),
    "table-delete": () => editor.chain().focus().deleteTable().run(),
    image: () => bar.querySelector("input[type=file]")?.click(),
    undo: () => editor.chain().focus().undo().run(),
    redo: () => editor.chain().focus().redo().run(),
  };
  const active = {
    bold: () => editor.isActive("bold"),
    italic: () => editor.isActive("italic"),
    heading: () => editor.isActive("heading", { level: 3 }),
    bullet: () => editor.isActive("bulletList"),
    number: () => editor.isActive("orderedList"),
    link: () => editor.isActive("link"),
  };
  const inTable = ["row-add", "column-add", "row-delete", "column-delete", "table-delete"];
  bar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (!button) return;
    event.preventDefault();
    run[button.dataset.command]?.();
  });
  const file = bar.querySelector("input[type=file]");
  file?.addEventListener("change", () => {
    const chosen = file.files[0];
    if (!chosen) return;
    const reader = new FileReader();
    reader.addEventListener("load", () => editor.chain().focus().setImage({ src: reader.result, alt: chosen.name }).run());
    reader.readAsDataURL(chosen);
    file.value = "";
  });
  const refresh = () => {
    for (const button of bar.querySelectorAll("button[data-command]")) {
      const command = button.dataset.command;
      if (active[command]) button.setAttribute("aria-pressed", String(active[command]()));
      if (inTable.includes(command)) button.hidden = !editor.isActive("table");
    }
  };
  editor.on("transaction", refresh);
  refresh();
}

export function mount(root) {
  const input = document.getElementById(root.dataset.input);
  const surface = root.querySelector(".paper-editor-surface");
  if (!input || !surface) return null;
  const attributes = { role: "textbox", "aria-multiline": "true", class: "paper-content" };
  for (const name of ["labelledby", "describedby"]) {
    if (root.dataset[name]) attributes[`aria-${name}`] = root.dataset[name];
  }
  let comments = [];
  try {
    comments = JSON.parse(root.dataset.comments || "[]");
  } catch (error) {
    comments = [];
  }
  const editor = new Editor({
    element: surface,
    injectCSS: false, // the CSP allows no style element without its nonce: app.css has the rules
    content: input.value,
    editable: !root.hasAttribute("data-readonly"),
    extensions: [
      StarterKit.configure({
        paragraph: false,
        code: false,
        codeBlock: false,
        strike: false,
        horizontalRule: false,
        heading: { levels: [3, 4] },
        link: { openOnClick: false, protocols: ["mailto"], defaultProtocol: "https", HTMLAttributes: { rel: "noopener noreferrer", target: null } },
      }),
      TrixParagraph,
      Table.configure({ resizable: false }),
      TableRow,
      TableHeader,
      TableCell,
      Image.configure({ allowBase64: true, inline: false }),
      Comments.configure({ comments: () => comments }),
    ],
    editorProps: {
      attributes,
      transformPastedHTML: wordListsToHtml,
    },
    onUpdate: ({ editor: changed }) => {
      input.value = html(changed);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  // The hidden input holds the editor's own reading of the stored HTML from the start (no save).
  input.value = html(editor);
  toolbar(root, editor);
  commentLists.set(editor, comments);
  return editor;
}

// A resolved comment's mark goes at once (the editor's text is not touched).
function dropComment(id) {
  for (const [editor, comments] of commentLists) {
    const index = comments.findIndex((c) => c.id === id);
    if (index < 0) continue;
    comments.splice(index, 1);
    editor.view.dispatch(editor.state.tr.setMeta(commentsKey, "dropped"));
  }
}

window.paperEditors = new Map();
window.paperEditor = { mount, wordListsToHtml, dropComment };
for (const root of document.querySelectorAll(".paper-editor[data-input]")) {
  const editor = mount(root);
  if (editor) window.paperEditors.set(root.dataset.input, editor);
}
document.dispatchEvent(new CustomEvent("paper-editors-ready"));
