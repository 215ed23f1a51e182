"""Text in: an uploaded transcript read as text, and names replaced by pseudonyms.

Pure functions: bytes or text in, text out, or a `TextProblem` whose message is for the
person who gave the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO
from xml.etree import ElementTree

from healthtrainer.core.archives import ArchiveLimits, ArchiveTooLarge, check_archive, open_entry

MAX_BYTES = 5 * 1024 * 1024
# A Word document holds a few dozen parts, and its XML compresses about tenfold, so a real
# .docx within MAX_BYTES stays well inside these; one made to unpack far larger is refused.
MAX_DOCX_ENTRIES = 1_000
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIX = ".docx"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH = f"{_WORD}p"


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
            check_archive(archive, ArchiveLimits(MAX_DOCX_ENTRIES, MAX_DOCX_UNPACKED_BYTES))
            with open_entry(archive, "word/document.xml", MAX_DOCX_UNPACKED_BYTES) as xml:
                return "\n".join(_paragraphs(xml))
    except ArchiveTooLarge:
        raise TextProblem(
            "The document is too large once unpacked: its contents may be at most "
            f"{MAX_DOCX_UNPACKED_BYTES // 1024 // 1024} MB. Split the transcript into parts, "
            "or save it as plain text and upload that."
        ) from None
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise TextProblem("The file is not a Word document that can be read (.docx).") from None


def _paragraphs(xml: IO[bytes]) -> Iterator[str]:
    """Each paragraph's text, in document order, read as the XML streams in: a paragraph is
    dropped once read, so memory holds one paragraph rather than the whole document. A
    paragraph inside another (in a text box) is given after the one holding it."""
    open_elements: list[ElementTree.Element] = []
    # OOXML has no DTDs, and expat refuses entity expansion beyond a small amplification.
    for event, element in ElementTree.iterparse(xml, events=("start", "end")):  # noqa: S314
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag != _PARAGRAPH or any(e.tag == _PARAGRAPH for e in open_elements):
            continue
        yield from (_paragraph_text(paragraph) for paragraph in element.iter(_PARAGRAPH))
        if open_elements:
            open_elements[-1].remove(element)


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_WORD}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_WORD}tab":
            parts.append("\t")
        elif node.tag in (f"{_WORD}br", f"{_WORD}cr"):
            parts.append("\n")
    return "".join(parts)


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
