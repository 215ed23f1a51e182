"""JSON bodies from other systems, read within bounds.

`json.loads` alone takes more than any real request needs, and fails badly on some of
it: nesting a few thousand levels deep raises RecursionError, an integer of more than
4,300 digits raises ValueError from `int()`, and NaN and Infinity are read although JSON
has neither. So a body is refused, with a plain-English reason, when it is too large,
nested too deep, holds a number too long to be a real value, or is not JSON.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_CHARACTERS = 50

# A JSON string, or what is left of one that is never closed: the closing quote is
# optional so that no quote is read twice, which keeps the scan linear.
_STRING = re.compile(r'"(?:[^"\\]|\\[\s\S])*"?')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JsonRefused(ValueError):
    """The body is not one this service reads; the message says why, for the sender."""


class BodyTooLarge(JsonRefused):
    def __init__(self, max_bytes: int = MAX_BODY_BYTES) -> None:
        super().__init__(f"The request body is too large: the most accepted is {_size(max_bytes)}.")


def read_json(body: bytes, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """The JSON value in `body`, or JsonRefused (BodyTooLarge for its size)."""
    check_size(body, max_bytes=max_bytes)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRefused("The request body is not UTF-8 text.") from None
    _check_depth(text)
    try:
        return json.loads(
            text,
            parse_int=_integer,
            parse_float=_decimal,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise JsonRefused(
            f"The request body is not valid JSON ({error.msg}, at character {error.pos})."
        ) from None


def check_size(body: bytes, *, max_bytes: int = MAX_BODY_BYTES) -> None:
    if len(body) > max_bytes:
        raise BodyTooLarge(max_bytes)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB" if limit >= 1024 else f"{limit} bytes"


def _check_depth(text: str) -> None:
    """Counted over the brackets outside strings, before anything is parsed, so that no
    depth of nesting can exhaust the stack."""
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise JsonRefused(
                    f"The request body is nested too deeply: at most {MAX_DEPTH} levels of "
                    "objects and arrays are accepted."
                )
        else:
            depth -= 1


def _refuse_long_number(literal: str) -> None:
    if len(literal) > MAX_NUMBER_CHARACTERS:
        raise JsonRefused(
            f"The request body holds a number of more than {MAX_NUMBER_CHARACTERS} characters, "
            "too long to be a real value."
        )


def _integer(literal: str) -> int:
    _refuse_long_number(literal)
    return int(literal)


def _decimal(literal: str) -> float:
    _refuse_long_number(literal)
    number = float(literal)
    if math.isinf(number):
        raise JsonRefused("The request body holds a number too large to be a real value.")
    return number


def _refuse_constant(name: str) -> NoReturn:
    raise JsonRefused(f"The request body holds {name}, which is not a number in JSON.")
