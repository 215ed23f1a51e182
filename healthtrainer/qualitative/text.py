"""Text in: an uploaded transcript read as text, and names replaced by pseudonyms.

Pure functions: bytes or text in, text out, or a `TextProblem` whose message is for the
person who gave the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree

MAX_BYTES = 5 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIX = ".docx"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TextProblem(ValueError):
    pass


def read_upload(name: str, content: bytes) -> str:
    """The text of a .txt, .md or .docx file, with line ends made \\n."""
    lower = name.lower()
    if len(content) > MAX_BYTES:
        raise TextProblem(
            f"The file is {len(content) / 1024 / 1024:.1f} MB: the largest is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split the transcript into parts."
        )
    if lower.endswith(TEXT_SUFFIXES):
        text = _decode(content)
    elif lower.endswith(DOCX_SUFFIX):
        text = _docx_text(content)
    else:
        raise TextProblem("The file must be a .txt, .md or .docx file.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TextProblem("The file has no text in it.")
    return text


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextProblem(
            "The file is not in UTF-8, so its letters cannot be read safely: save it as "
            "UTF-8 text (in Word: Save as, Plain text, Unicode (UTF-8)) and upload it again."
        ) from None


def _docx_text(content: bytes) -> str:
    """The paragraphs of a Word document, one per line, read from its document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("word/document.xml")
        root = ElementTree.fromstring(xml)  # noqa: S314 (read from a size-checked upload; no DTDs in OOXML)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise TextProblem("The file is not a Word document that can be read (.docx).") from None
    paragraphs = []
    for paragraph in root.iter(f"{_WORD}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_WORD}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_WORD}tab":
                parts.append("\t")
            elif node.tag in (f"{_WORD}br", f"{_WORD}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def parse_replacements(text: str) -> list[tuple[str, str]]:
    """Lines of "name = pseudonym"; blank lines are skipped."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, equals, pseudonym = line.partition("=")
        if not equals or not name.strip() or not pseudonym.strip():
            raise TextProblem(
                f"Line {number} must read like 'Jane Smith = Client A', not '{line.strip()}'."
            )
        pairs.append((name.strip(), pseudonym.strip()))
    return pairs


def pseudonymise(text: str, replacements: Sequence[Sequence[str]]) -> str:
    """Each name replaced by its pseudonym as a whole word, whatever its case. Longer names
    go first, so "Jane Smith" is replaced before "Jane"."""
    ordered = sorted(replacements, key=lambda pair: len(pair[0]), reverse=True)
    for name, pseudonym in ordered:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        # A backslash in a pseudonym is meant literally, not as a group reference.
        text = pattern.sub(pseudonym.replace("\\", "\\\\"), text)
    return text
