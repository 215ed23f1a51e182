// Tables on phones: every data table follows the NHS.UK responsive table pattern, so on a
// narrow screen each row stacks into "heading: value" lines and no page scrolls sideways.
// Templates write plain NHS.UK tables; this adds the pattern's classes, ARIA roles and
// per-cell headings once, here, rather than in some forty templates. A table whose
// headings span several rows or columns cannot stack; it scrolls inside a labelled,
// focusable region instead.

function isSimple(table) {
  const head = table.tHead;
  if (!head || head.rows.length !== 1) return false;
  if ([...head.rows[0].cells].some((cell) => cell.colSpan > 1 || cell.rowSpan > 1)) return false;
  return [...table.tBodies].every((body) =>
    [...body.rows].every(
      (row) =>
        row.cells.length === 1 ||
        [...row.cells].every((cell) => cell.colSpan === 1 && cell.rowSpan === 1),
    ),
  );
}

function label(table) {
  const caption = table.caption ? table.caption.textContent.trim() : "";
  return caption || "Table";
}

function stack(table) {
  const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
  table.classList.add("nhsuk-table--responsive");
  table.setAttribute("role", "table");
  table.tHead.setAttribute("role", "rowgroup");
  table.tHead.rows[0].setAttribute("role", "row");
  for (const cell of table.tHead.rows[0].cells) cell.setAttribute("role", "columnheader");
  for (const body of table.tBodies) {
    body.setAttribute("role", "rowgroup");
    for (const row of body.rows) {
      row.setAttribute("role", "row");
      [...row.cells].forEach((cell, index) => {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        const already = cell.querySelector(".nhsuk-table__heading, .nhsuk-table-responsive__heading");
        if (already || row.cells.length === 1 || !headings[index]) return;
        const heading = document.createElement("span");
        heading.className = "nhsuk-table__heading";
        heading.setAttribute("aria-hidden", "true");
        heading.textContent = `${headings[index]} `;
        cell.prepend(heading);
      });
    }
  }
}

function scrollWithin(table) {
  if (table.parentElement.classList.contains("app-table-scroll")) return;
  const region = document.createElement("div");
  region.className = "app-table-scroll";
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", label(table));
  region.tabIndex = 0;
  table.replaceWith(region);
  region.append(table);
}

export function makeTablesResponsive(root = document) {
  for (const table of root.querySelectorAll("table")) {
    if (table.closest(".app-table-scroll") || table.dataset.layout === "fixed") continue;
    if (isSimple(table)) stack(table);
    else scrollWithin(table);
  }
}
