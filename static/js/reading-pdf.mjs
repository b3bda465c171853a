// The reading room's PDF viewer: every [data-pdf-src] is rendered with pdf.js, page by page, to a
// canvas with a text layer on top, so the text can be searched, selected and read by a screen reader.
// The link under each viewer downloads the file when this script cannot run.

const viewers = [...document.querySelectorAll("[data-pdf-src]")];

async function renderPage(pdfjs, pdf, number, container) {
  const page = await pdf.getPage(number);
  const width = Math.max(container.clientWidth, 200);
  const scale = width / page.getViewport({ scale: 1 }).width;
  const viewport = page.getViewport({ scale });
  const pageBox = document.createElement("div");
  pageBox.className = "pdf-page";
  pageBox.style.width = `${Math.floor(viewport.width)}px`;
  pageBox.style.height = `${Math.floor(viewport.height)}px`;
  pageBox.style.setProperty("--scale-factor", String(scale));
  pageBox.style.setProperty("--total-scale-factor", String(scale));
  const canvas = document.createElement("canvas");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  canvas.setAttribute("aria-hidden", "true");
  const text = document.createElement("div");
  text.className = "textLayer";
  pageBox.append(canvas, text);
  container.append(pageBox);
  await page.render({
    canvasContext: canvas.getContext("2d"),
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  const layer = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
  await layer.render();
}

async function renderViewer(pdfjs, viewer) {
  const status = viewer.querySelector(".pdf-status");
  try {
    const pdf = await pdfjs.getDocument({ url: viewer.dataset.pdfSrc, withCredentials: true }).promise;
    for (let number = 1; number <= pdf.numPages; number += 1) {
      await renderPage(pdfjs, pdf, number, viewer);
    }
    if (status) status.textContent = pdf.numPages === 1 ? "1 sida." : `${pdf.numPages} sidor.`;
    viewer.dataset.rendered = "true";
  } catch (error) {
    if (status) status.textContent = "Handlingen kunde inte visas här. Öppna PDF-filen med länken nedan.";
    viewer.dataset.rendered = "failed";
  }
}

if (viewers.length) {
  const pdfjs = await import(viewers[0].dataset.pdfLib);
  pdfjs.GlobalWorkerOptions.workerSrc = viewers[0].dataset.pdfWorker;
  for (const viewer of viewers) {
    await renderViewer(pdfjs, viewer);
  }
}
