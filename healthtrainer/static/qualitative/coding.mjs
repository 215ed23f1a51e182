// Coding by selection: selecting text in the document fills in the coding form with the
// words and their place in the document. The form works without this script too, by
// typing or pasting the words.
const text = document.getElementById("document-text");
const form = document.getElementById("coding-form");

// The place in the document of a point in the selection. The page shows the text as
// pieces, each saying where it starts; a point between pieces falls at the next one.
function offsetOf(node, offset) {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = node.parentElement.closest("[data-start]");
    return piece && text.contains(piece) ? Number(piece.dataset.start) + offset : null;
  }
  if (node !== text && !text.contains(node)) {
    return null;
  }
  const next = node.childNodes[offset];
  if (next && next.dataset && next.dataset.start !== undefined) {
    return Number(next.dataset.start);
  }
  return node === text && !next ? text.textContent.length : null;
}

function takeSelection() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
    return;
  }
  const range = selection.getRangeAt(0);
  const start = offsetOf(range.startContainer, range.startOffset);
  const end = offsetOf(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) {
    return;
  }
  form.querySelector("[name=start]").value = String(start);
  form.querySelector("[name=end]").value = String(end);
  form.querySelector("[name=quote]").value = selection.toString();
  form.querySelector("[name=occurrence]").value = "";
}

if (text && form) {
  text.addEventListener("mouseup", takeSelection);
  text.addEventListener("keyup", takeSelection);
  form.querySelector("[name=quote]").addEventListener("input", () => {
    // Typed words are found by the server: a selection made earlier no longer applies.
    form.querySelector("[name=start]").value = "";
    form.querySelector("[name=end]").value = "";
  });
}
