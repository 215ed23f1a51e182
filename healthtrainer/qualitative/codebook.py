"""A codebook as data, and in the two formats it travels in: the REFI-QDA codebook
exchange format (a .qdc file, which QDA tools such as NVivo, ATLAS.ti, MAXQDA and
QualCoder read and write) and CSV.

In a .qdc file, codes nest inside their parents and themes are Sets of member codes. A
code's definition and example share its Description: the example follows a line
"Example:". Pure functions: entries in, bytes out, and back, or a `CodebookProblem`.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree

from healthtrainer.core.spreadsheets import CsvWriter, unquoted

NAMESPACE = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Health Trainer for chronic pain"
EXAMPLE_MARK = "Example:"
CSV_COLUMNS = ["code", "parent", "theme", "definition", "example"]
_NS = f"{{{NAMESPACE}}}"


class CodebookProblem(ValueError):
    pass


@dataclass(frozen=True)
class CodeEntry:
    guid: str
    name: str
    parent_guid: str = ""
    definition: str = ""
    example: str = ""


@dataclass(frozen=True)
class ThemeEntry:
    guid: str
    name: str
    description: str = ""
    members: tuple[str, ...] = ()


@dataclass
class Codebook:
    codes: list[CodeEntry] = field(default_factory=list)
    themes: list[ThemeEntry] = field(default_factory=list)


def _description(definition: str, example: str) -> str:
    if not example:
        return definition
    return f"{definition}\n\n{EXAMPLE_MARK} {example}".strip()


def _split_description(text: str) -> tuple[str, str]:
    definition, mark, example = text.partition(EXAMPLE_MARK)
    return definition.strip(), example.strip() if mark else ""


def to_qdc(codebook: Codebook) -> bytes:
    root = ElementTree.Element("CodeBook", {"xmlns": NAMESPACE, "origin": ORIGIN})
    codes = ElementTree.SubElement(root, "Codes")
    children: dict[str, list[CodeEntry]] = {}
    for entry in codebook.codes:
        children.setdefault(entry.parent_guid, []).append(entry)

    def add(parent: ElementTree.Element, entry: CodeEntry) -> None:
        element = ElementTree.SubElement(
            parent, "Code", {"guid": entry.guid, "name": entry.name, "isCodable": "true"}
        )
        description = _description(entry.definition, entry.example)
        if description:
            ElementTree.SubElement(element, "Description").text = description
        for child in children.get(entry.guid, []):
            add(element, child)

    for entry in children.get("", []):
        add(codes, entry)
    if codebook.themes:
        sets = ElementTree.SubElement(root, "Sets")
        for theme in codebook.themes:
            element = ElementTree.SubElement(sets, "Set", {"guid": theme.guid, "name": theme.name})
            if theme.description:
                ElementTree.SubElement(element, "Description").text = theme.description
            for member in theme.members:
                ElementTree.SubElement(element, "MemberCode", {"guid": member})
    ElementTree.indent(root)
    content: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return content


def _guid(value: str | None, where: str) -> str:
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        raise CodebookProblem(f"{where} has no valid guid.") from None


def from_qdc(content: bytes) -> Codebook:
    if b"<!DOCTYPE" in content[:2048] or b"<!ENTITY" in content:
        raise CodebookProblem("The file declares a DTD or entities, which a codebook never needs.")
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 (DTDs and entities refused above)
    except ElementTree.ParseError as error:
        raise CodebookProblem(f"The file is not a readable .qdc codebook: {error}.") from None
    if root.tag != f"{_NS}CodeBook":
        raise CodebookProblem("The file is not a REFI-QDA codebook: it has no CodeBook element.")
    codebook = Codebook()
    names: set[str] = set()

    def read(element: ElementTree.Element, parent_guid: str) -> None:
        name = (element.get("name") or "").strip()
        if not name:
            raise CodebookProblem("A code in the file has no name.")
        if name in names:
            raise CodebookProblem(f"The code {name} appears twice: each code needs its own name.")
        names.add(name)
        guid = _guid(element.get("guid"), f"The code {name}")
        description = element.find(f"{_NS}Description")
        definition, example = _split_description(
            description.text or "" if description is not None else ""
        )
        codebook.codes.append(CodeEntry(guid, name, parent_guid, definition, example))
        for child in element.findall(f"{_NS}Code"):
            read(child, guid)

    codes = root.find(f"{_NS}Codes")
    for element in codes.findall(f"{_NS}Code") if codes is not None else []:
        read(element, "")
    known = {entry.guid for entry in codebook.codes}
    sets = root.find(f"{_NS}Sets")
    for element in sets.findall(f"{_NS}Set") if sets is not None else []:
        name = (element.get("name") or "").strip()
        if not name:
            raise CodebookProblem("A set (theme) in the file has no name.")
        description = element.find(f"{_NS}Description")
        members = tuple(
            _guid(member.get("guid"), f"A member of the set {name}")
            for member in element.findall(f"{_NS}MemberCode")
        )
        unknown = [member for member in members if member not in known]
        if unknown:
            raise CodebookProblem(f"The set {name} names a code that is not in the file.")
        codebook.themes.append(
            ThemeEntry(
                _guid(element.get("guid"), f"The set {name}"),
                name,
                (description.text or "").strip() if description is not None else "",
                members,
            )
        )
    return codebook


def to_csv(codebook: Codebook) -> str:
    by_guid = {entry.guid: entry for entry in codebook.codes}
    theme_of = {member: theme.name for theme in codebook.themes for member in theme.members}
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    for entry in codebook.codes:
        parent = by_guid[entry.parent_guid].name if entry.parent_guid else ""
        writer.writerow(
            [entry.name, parent, theme_of.get(entry.guid, ""), entry.definition, entry.example]
        )
    return out.getvalue()


def from_csv(text: str) -> Codebook:
    """Codes by name, parents before or after their children; new guids."""
    rows = [
        {column: unquoted(value or "") for column, value in row.items() if column is not None}
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    ]
    header = set(rows[0]) if rows else set()
    if rows and not {"code"} <= header:
        raise CodebookProblem("The CSV needs a header with at least the column code.")
    unknown = header - set(CSV_COLUMNS)
    if unknown:
        raise CodebookProblem(
            f"Unknown columns {', '.join(sorted(unknown))}: "
            f"the columns are {', '.join(CSV_COLUMNS)}."
        )
    guids: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        name = (row.get("code") or "").strip()
        if not name:
            raise CodebookProblem(f"Row {number} has no code name.")
        if name in guids:
            raise CodebookProblem(f"Row {number}: the code {name} appears twice.")
        guids[name] = str(uuid.uuid4())
    codebook = Codebook()
    themes: dict[str, list[str]] = {}
    for number, row in enumerate(rows, start=2):
        name = row["code"].strip()
        parent = (row.get("parent") or "").strip()
        if parent and parent not in guids:
            raise CodebookProblem(f"Row {number}: the parent {parent} is not a code in the file.")
        codebook.codes.append(
            CodeEntry(
                guids[name],
                name,
                guids[parent] if parent else "",
                (row.get("definition") or "").strip(),
                (row.get("example") or "").strip(),
            )
        )
        theme = (row.get("theme") or "").strip()
        if theme:
            themes.setdefault(theme, []).append(guids[name])
    codebook.themes = [
        ThemeEntry(str(uuid.uuid5(uuid.NAMESPACE_URL, f"theme:{name}")), name, "", tuple(members))
        for name, members in themes.items()
    ]
    _check_cycles(codebook.codes)
    codebook.codes = _parents_first(codebook.codes)
    return codebook


def _parents_first(codes: list[CodeEntry]) -> list[CodeEntry]:
    placed: set[str] = set()
    ordered: list[CodeEntry] = []
    waiting = list(codes)
    while waiting:
        ready = [entry for entry in waiting if not entry.parent_guid or entry.parent_guid in placed]
        ordered.extend(ready)
        placed.update(entry.guid for entry in ready)
        waiting = [entry for entry in waiting if entry.guid not in placed]
    return ordered


def _check_cycles(codes: Iterable[CodeEntry]) -> None:
    parent_of = {entry.guid: entry.parent_guid for entry in codes}
    names = {entry.guid: entry.name for entry in codes}
    for guid in parent_of:
        seen = {guid}
        current = parent_of[guid]
        while current:
            if current in seen:
                raise CodebookProblem(f"The code {names[guid]} is its own ancestor.")
            seen.add(current)
            current = parent_of.get(current, "")
