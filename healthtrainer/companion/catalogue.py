"""The companion's Welsh catalogue: the words marked for translation on its client pages
and in its code, and the file that holds their Welsh (`locale/cy/LC_MESSAGES/django.po`).

Django's makemessages reads Django templates, not Jinja, so the words are gathered here:
from the templates with Jinja's own extractor (`_()`, `gettext()`, `ngettext()`), and from
the companion's Python with its syntax tree (`gettext`, `gettext_lazy`, `ngettext`, `_`).
`manage.py welsh_catalogue` writes what is found into the catalogue, keeping the Welsh
already there, and the tests fail while any of it has no Welsh.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from jinja2 import Environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
CATALOGUE = PACKAGE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

# The pages a client reads, and what every page shares. The staff's own companion pages
# (episode.jinja, staff_setback_plan.jinja) and the printable files stay in English.
CLIENT_TEMPLATES = (
    "layout.jinja",
    "macros/form.jinja",
    "companion/_crisis.jinja",
    "companion/_offline_waiting.jinja",
    "companion/_setback_form.jinja",
    "companion/code.jinja",
    "companion/devices.jinja",
    "companion/diary.jinja",
    "companion/diary_entry.jinja",
    "companion/home.jinja",
    "companion/pacing.jinja",
    "companion/setback_plan.jinja",
    "companion/sign_in.jinja",
    "companion/sign_out.jinja",
    "companion/your_data.jinja",
)
PYTHON_DIR = Path(__file__).resolve().parent
SINGULAR_FUNCTIONS = {"_", "gettext", "gettext_lazy"}
PLURAL_FUNCTIONS = {"ngettext", "ngettext_lazy"}
# A template's _() is always %-formatted (Jinja's newstyle gettext), so a % in its words is
# written %%; such words, and those with %(name)s, are checked as python-format by msgfmt.
PYTHON_FORMAT = re.compile(r"%(\(\w+\))?[sd%]")

HEADER = {
    "Project-Id-Version": "healthtrainer companion",
    "Language": "cy",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    # Django's own Welsh catalogue has the same rule, so the two merge.
    "Plural-Forms": "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;",
}
PLURAL_FORMS = 4


@dataclass
class Message:
    msgid: str
    msgid_plural: str = ""
    references: list[str] = field(default_factory=list)
    # Welsh: one string, or one per plural form.
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        forms = PLURAL_FORMS if self.msgid_plural else 1
        return not self.fuzzy and len(self.msgstr) == forms and all(self.msgstr)


def marked_messages() -> list[Message]:
    """Every word marked for translation in the client pages and the companion's code, in
    the order first met, with where each is used."""
    found: dict[tuple[str, str], Message] = {}

    def add(msgid: str, plural: str, where: str) -> None:
        # Files, not lines: a line moved elsewhere in a template leaves the catalogue as it is.
        references = found.setdefault((msgid, plural), Message(msgid, plural)).references
        if where not in references:
            references.append(where)

    # The service's name is a setting, translated where the layout shows it.
    add(settings.SERVICE_NAME, "", "config/settings.py")
    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    for name in CLIENT_TEMPLATES:
        source = (TEMPLATES_DIR / name).read_text()
        for _line, _function, words in jinja.extract_translations(source):  # type: ignore[attr-defined]
            texts = words if isinstance(words, tuple) else (words,)
            if isinstance(texts[0], str):
                plural = texts[1] if len(texts) > 1 and isinstance(texts[1], str) else ""
                add(texts[0], plural, f"templates/{name}")
    for path in sorted(PYTHON_DIR.glob("*.py")):
        for msgid, plural in _python_messages(path):
            add(msgid, plural, f"companion/{path.name}")
    return list(found.values())


def _python_messages(path: Path) -> list[tuple[str, str]]:
    messages = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else ""
        name = function.attr if isinstance(function, ast.Attribute) else name
        texts = [
            arg.value
            for arg in node.args[:2]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if not texts:
            continue
        if name in SINGULAR_FUNCTIONS:
            messages.append((node.lineno, texts[0], ""))
        elif name in PLURAL_FUNCTIONS and len(texts) == 2:
            messages.append((node.lineno, texts[0], texts[1]))
    return [(msgid, plural) for _line, msgid, plural in sorted(messages)]


def read_catalogue(path: Path = CATALOGUE) -> list[Message]:
    """The catalogue's entries (not its header), as written by `write_catalogue`."""
    if not path.exists():
        return []
    messages: list[Message] = []
    current: Message | None = None
    part = ""
    references: list[str] = []
    fuzzy = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#:"):
            references.extend(line[2:].split())
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            current = Message(_unquote(line[6:]), references=references, fuzzy=fuzzy)
            messages.append(current)
            references, fuzzy, part = [], False, "msgid"
        elif line.startswith("msgid_plural ") and current:
            current.msgid_plural, part = _unquote(line[13:]), "msgid_plural"
        elif line.startswith("msgstr") and current:
            current.msgstr.append(_unquote(line.split(" ", 1)[1]))
            part = "msgstr"
        elif line.startswith('"') and current:
            text = _unquote(line)
            if part == "msgstr":
                current.msgstr[-1] += text
            elif part == "msgid_plural":
                current.msgid_plural += text
            else:
                current.msgid += text
    return [message for message in messages if message.msgid]


def merged(marked: list[Message], kept: list[Message]) -> list[Message]:
    """The marked words with the Welsh the catalogue already has for them."""
    welsh = {message.key: message for message in kept}
    result = []
    for message in marked:
        known = welsh.get(message.key)
        result.append(
            Message(
                message.msgid,
                message.msgid_plural,
                message.references,
                known.msgstr if known else [],
                known.fuzzy if known else False,
            )
        )
    return result


def write_catalogue(messages: list[Message], path: Path = CATALOGUE) -> None:
    lines = ["# The companion's client pages in Welsh (manage.py welsh_catalogue).", ""]
    lines += ['msgid ""', 'msgstr ""']
    lines += [_quote(f"{name}: {value}\n") for name, value in HEADER.items()]
    for message in messages:
        lines.append("")
        lines.extend(f"#: {reference}" for reference in message.references)
        flags = ["fuzzy"] if message.fuzzy else []
        if PYTHON_FORMAT.search(message.msgid + message.msgid_plural):
            flags.append("python-format")
        if flags:
            lines.append(f"#, {', '.join(flags)}")
        lines.append(f"msgid {_quote(message.msgid)}")
        if message.msgid_plural:
            lines.append(f"msgid_plural {_quote(message.msgid_plural)}")
            forms = [*message.msgstr, *[""] * PLURAL_FORMS][:PLURAL_FORMS]
            lines.extend(f"msgstr[{index}] {_quote(text)}" for index, text in enumerate(forms))
        else:
            lines.append(f"msgstr {_quote(message.msgstr[0] if message.msgstr else '')}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(character, character) for character in text) + '"'


def _unquote(quoted: str) -> str:
    inner = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda match: {"n": "\n", "t": "\t"}.get(match[1], match[1]), inner)
