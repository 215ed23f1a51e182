"""Hostile input for the fuzzing suites: values that have crashed services like this one,
strategies that mix them with ordinary input, the forms read from a page, and a client
that reports a server error with the exception behind it.

A value is a `str`. Lone surrogates stand for bytes that are not UTF-8: "\\udcff" goes on
the wire as the raw byte 0xFF, "\\ud800" as the three bytes UTF-8 forbids for it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_plus, urlsplit

from django.core.signals import got_request_exception
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

HUGE = "99999999999999999999999"

# Each page is sent every one of these; generated input draws on these and the next.
HOSTILE_VALUES: tuple[str, ...] = (
    HUGE,
    "-1",
    "0",
    str(2**63),
    str(2**31),
    "9" * 5000,
    "1e309",
    "NaN",
    " 7 ",
    "²",
    "١٢",
    "\U0001d7d9",  # MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
    "١٢٣٤٥٦٧٨٩٠",
    "\x00",
    "\udcff\udcfe",
    "\ud800",
    "x" * 20_000,
    "2026-02-30",
    "0000-00-00",
    "9999-99-99",
    "9999-12-31",
    "0001-01-01",
    "2025-26",
    "",
    " ",
    "'\"<>&;--",
)

MORE_HOSTILE_VALUES: tuple[str, ...] = (
    str(2**63 - 1),
    str(-(2**63) - 1),
    "-inf",
    "1.5",
    "0x10",
    "1_000",
    "1\x00",
    "10000-01-01",
    "2026-13-01",
    "31/02/2026",
    "-",
    "%",
    "../../etc/passwd",
    "1,2",
    "Patient/1",
    "http://a|b",
    "|",
)

# Day, month and year typed into a date's three boxes.
HOSTILE_DATES: tuple[tuple[str, str, str], ...] = (
    ("31", "12", "9999"),
    ("1", "1", "1"),
    ("29", "2", "2025"),
    ("1", "1", "10000"),
    ("0", "0", "0"),
    (" ", " ", " "),
)

HOSTILE_IDS: tuple[str, ...] = (
    HUGE,
    "-1",
    "0",
    str(2**63),
    str(2**31),
    "²",
    "١٢",
    "\U0001d7d9",  # MATHEMATICAL DOUBLE-STRUCK DIGIT ONE
    "\x00",
    "\udcff",
    "",
    "abc",
)

hostile_values = st.sampled_from(HOSTILE_VALUES + MORE_HOSTILE_VALUES)

whole_numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)

dates = st.tuples(
    st.integers(min_value=0, max_value=99999),
    st.integers(min_value=-1, max_value=99),
    st.integers(min_value=-1, max_value=99),
).map(lambda parts: "{:04d}-{:02d}-{:02d}".format(*parts))

any_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()),
    max_size=40,
)

hostile_text = st.one_of(hostile_values, whole_numbers, dates, any_text)


def hostile_json(keys: Iterable[str], max_leaves: int) -> st.SearchStrategy[Any]:
    """JSON of hostile leaves, in lists and in objects keyed by `keys` or any short text."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**80), max_value=2**80)
        | st.floats()
        | hostile_text,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from(list(keys)) | st.text(max_size=8), children)
        ),
        max_leaves=max_leaves,
    )


def fuzzed(examples: int) -> settings:
    """Hypothesis settings for the fuzz suites: derandomised, so that a failure repeats,
    and no example database, so that a run depends on nothing left by the last."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def hostile_or(ordinary: str) -> st.SearchStrategy[str]:
    """Mostly hostile, sometimes the value a person would send, so a form can get far
    enough to reach the code behind its validation."""
    return st.one_of(st.just(ordinary), hostile_text)


def hostile_ids(ordinary: Sequence[str]) -> st.SearchStrategy[list[str]]:
    choices = st.one_of(st.sampled_from(HOSTILE_IDS), whole_numbers, hostile_values)
    if ordinary:
        choices = st.one_of(st.sampled_from(list(ordinary)), choices)
    return st.lists(choices, max_size=4)


def _wire(text: str) -> str:
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return quote_plus(raw)


def encode_query(values: Mapping[str, str | Sequence[str]]) -> str:
    """An application/x-www-form-urlencoded string, with the bytes each value stands for."""
    pairs = []
    for name, value in values.items():
        for one in [value] if isinstance(value, str) else value:
            pairs.append(f"{_wire(name)}={_wire(one)}")
    return "&".join(pairs)


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    multiple: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)

    def ordinary(self) -> dict[str, str | list[str]]:
        values: dict[str, str | list[str]] = dict(self.fields)
        values.update({name: choices[:1] for name, choices in self.multiple.items()})
        return values


class _FormReader(HTMLParser):
    """Every form on a page with the names of its fields and the values it would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[str] = []
        self._textarea: str | None = None
        self._seen: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = HtmlForm(
                method=attributes.get("method", "get").lower(),
                action=attributes.get("action", ""),
            )
            self.forms.append(self._form)
            self._seen = {}
            return
        form = self._form
        name = attributes.get("name", "")
        if form is None or (not name and tag != "option"):
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                form.files.add(name)
                return
            value = attributes.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind == "checkbox" or self._seen.get(name):
                form.multiple.setdefault(name, []).append(value)
                if name in form.fields and kind == "checkbox":
                    form.multiple[name].insert(0, form.fields.pop(name))
            elif name not in form.fields:
                form.fields[name] = value
            self._seen[name] = self._seen.get(name, 0) + 1
        elif tag == "select":
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            value = attributes.get("value")
            if value:
                self._options.append(value)
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and form is not None:
            name, multiple = self._select
            if multiple:
                form.multiple[name] = self._options
            else:
                form.fields[name] = self._options[0] if self._options else ""
            self._select = None


def read_forms(html: str) -> list[HtmlForm]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    for form in reader.forms:
        # Radio buttons share a name but send one value: a single field, not a list.
        for name, values in list(form.multiple.items()):
            if name in form.fields:
                form.fields[name] = values[0] if values else ""
                del form.multiple[name]
    return reader.forms


def action_path(form: HtmlForm, page_path: str) -> str:
    return urlsplit(form.action).path or urlsplit(page_path).path


class ServerErrors:
    """A test client whose server errors come back as 500 responses, each with the
    traceback of the exception behind it, so one run reports every failure."""

    def __init__(
        self,
        client: Client,
        refusal: Callable[[str, HttpResponse], bool] | None = None,
        refusal_shape: str = "",
    ) -> None:
        """`refusal`, given the path and a 4xx response, says whether the refusal is in
        the `refusal_shape` the caller promises; one that is not is reported too."""
        self.client = client
        self.refusal = refusal
        self.refusal_shape = refusal_shape
        self.client.raise_request_exception = False
        self.found: list[str] = []
        self._last: str = ""

    def __enter__(self) -> ServerErrors:
        got_request_exception.connect(self._keep, dispatch_uid=id(self))
        return self

    def __exit__(self, *exc: object) -> None:
        got_request_exception.disconnect(dispatch_uid=id(self))

    def _keep(self, sender: Any, **kwargs: Any) -> None:
        """The service's own frames nearest the error, the innermost frames and the error."""
        error = sys.exc_info()[1]
        if error is None:
            return
        frames = traceback.extract_tb(error.__traceback__)
        ours = [frame for frame in frames if "/healthtrainer/" in frame.filename][-2:]
        shown = [*ours, *(frame for frame in frames[-3:] if frame not in ours)]
        self._last = "".join(traceback.format_list(shown)) + "".join(
            traceback.format_exception_only(error)
        )

    def request(
        self,
        method: str,
        path: str,
        query: str = "",
        body: str | bytes = "",
        content_type: str = "application/x-www-form-urlencoded",
        **headers: Any,
    ) -> HttpResponse:
        self._last = ""
        target = f"{path}?{query}" if query else path
        # A database error would leave PostgreSQL's transaction unusable for the next call.
        savepoint = transaction.savepoint()
        if method == "GET":
            response = self.client.get(target, **headers)
        else:
            response = self.client.generic(
                method, target, body, content_type=content_type, **headers
            )
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
            self.found.append(
                f"{_described(method, target, body)} -> {response.status_code}\n"
                f"{self._last or '(no exception)'}"
            )
        else:
            transaction.savepoint_commit(savepoint)
        if 400 <= response.status_code < 500 and self.refusal and not self.refusal(path, response):
            self.found.append(
                f"{_described(method, target, body)} -> {response.status_code} "
                f"{response.get('Content-Type')}, not {self.refusal_shape}: "
                f"{response.content[:120]!r}"
            )
        return response

    def report(self) -> str:
        return "\n\n".join(dict.fromkeys(self.found))


def _described(method: str, target: str, body: str | bytes) -> str:
    shown = repr(body) if len(body) <= 300 else f"{body[:300]!r}... ({len(body)} bytes)"
    return f"{method} {target[:400]} body={shown}"


def every_value_in_turn(
    names: Iterable[str], values: Iterable[str] = HOSTILE_VALUES
) -> Iterable[dict[str, str]]:
    """One set of values per hostile value, given to every name at once."""
    names = list(names)
    for value in values:
        yield dict.fromkeys(names, value)
