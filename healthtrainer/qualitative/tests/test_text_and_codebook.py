"""Reading transcripts, pseudonymising them, and the codebook's formats."""

from __future__ import annotations

import io
import zipfile

import pytest

from healthtrainer.qualitative.codebook import (
    Codebook,
    CodebookProblem,
    CodeEntry,
    ThemeEntry,
    from_csv,
    from_qdc,
    to_csv,
    to_qdc,
)
from healthtrainer.qualitative.text import (
    TextProblem,
    parse_replacements,
    pseudonymise,
    read_upload,
)

PAIN = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
PACING = "1b4e28ba-2fa1-11d2-883f-0016d3cca428"
WORK = "1b4e28ba-2fa1-11d2-883f-0016d3cca429"
THEME = "1b4e28ba-2fa1-11d2-883f-0016d3cca430"


def docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def test_text_markdown_and_word_files_are_read():
    assert read_upload("a.txt", b"Line one\r\nLine two") == "Line one\nLine two"
    assert read_upload("a.md", "\ufeff# Notes".encode()) == "# Notes"
    assert read_upload("a.docx", docx(["First", "Second"])) == "First\nSecond"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF", "must be a .txt, .md or .docx"),
        ("a.txt", "Brontë".encode("cp1252"), "not in UTF-8"),
        ("a.docx", b"not a zip", "not a Word document"),
        ("a.txt", b"   ", "no text"),
        ("a.txt", b"x" * (5 * 1024 * 1024 + 1), "the largest is 5 MB"),
    ],
)
def test_bad_files_get_a_clear_message(name, content, message):
    with pytest.raises(TextProblem, match=message):
        read_upload(name, content)


def test_names_are_replaced_as_whole_words_longest_first_whatever_the_case():
    text = "Jane Smith saw Dr Patel. JANE said Janet was there; jane-smith too."
    pairs = parse_replacements("Jane Smith = Client A\njane = Client A\n\nPatel = GP 1\n")
    assert pseudonymise(text, pairs) == (
        "Client A saw Dr GP 1. Client A said Janet was there; Client A-smith too."
    )


def test_a_bad_replacement_line_is_named():
    with pytest.raises(TextProblem, match="Line 2"):
        parse_replacements("Jane = A\nJust a name\n")


def _codebook():
    return Codebook(
        codes=[
            CodeEntry(PAIN, "Living with pain", "", "What pain stops", "I can't lift the kettle"),
            CodeEntry(PACING, "Pacing", PAIN, "Spreading activity out"),
            CodeEntry(WORK, "Work", "", ""),
        ],
        themes=[ThemeEntry(THEME, "Self-management", "Taking charge", (PACING, WORK))],
    )


def test_the_qdc_codebook_round_trips():
    content = to_qdc(_codebook())
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in content
    assert from_qdc(content) == _codebook()


def test_the_csv_codebook_round_trips_names_parents_themes_and_examples():
    back = from_csv(to_csv(_codebook()))
    assert sorted((c.name, c.definition, c.example) for c in back.codes) == sorted(
        (c.name, c.definition, c.example) for c in _codebook().codes
    )
    by_guid = {c.guid: c.name for c in back.codes}
    pacing = next(c for c in back.codes if c.name == "Pacing")
    assert by_guid[pacing.parent_guid] == "Living with pain"
    assert [(t.name, sorted(by_guid[m] for m in t.members)) for t in back.themes] == [
        ("Self-management", ["Pacing", "Work"])
    ]


def test_a_child_listed_before_its_parent_in_csv_is_imported_after_it():
    back = from_csv("code,parent\nPacing,Living with pain\nLiving with pain,\n")
    assert [c.name for c in back.codes] == ["Living with pain", "Pacing"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<nope/>", "not a REFI-QDA codebook"),
        (b"<<<", "not a readable"),
        (
            b'<!DOCTYPE x [<!ENTITY a "b">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "DTD",
        ),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
            b'<Codes><Code name="A"/></Codes></CodeBook>',
            "no valid guid",
        ),
    ],
)
def test_a_bad_qdc_file_gets_a_clear_message(content, message):
    with pytest.raises(CodebookProblem, match=message):
        from_qdc(content)


def test_a_csv_cycle_or_unknown_parent_is_refused():
    with pytest.raises(CodebookProblem, match="not a code in the file"):
        from_csv("code,parent\nPacing,Nothing\n")
    with pytest.raises(CodebookProblem, match="own ancestor"):
        from_csv("code,parent\nA,B\nB,A\n")
