"""JSON bodies read within bounds: size, depth, number length, and JSON's own grammar."""

from __future__ import annotations

import time

import pytest

from healthtrainer.core.json_input import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_NUMBER_CHARACTERS,
    BodyTooLarge,
    JsonRefused,
    read_json,
)


def _nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_a_value_within_every_bound_is_read():
    assert read_json(b'{"a": [1, -2.5, "x", true, null]}') == {"a": [1, -2.5, "x", True, None]}


def test_the_size_limit_is_exact():
    at_the_limit = b'"' + b"a" * (MAX_BODY_BYTES - 2) + b'"'
    assert len(read_json(at_the_limit)) == MAX_BODY_BYTES - 2
    with pytest.raises(BodyTooLarge, match="too large"):
        read_json(at_the_limit + b" ")
    with pytest.raises(BodyTooLarge):
        read_json(b"[]", max_bytes=1)


def test_the_depth_limit_is_exact():
    assert read_json(_nested(MAX_DEPTH)) is not None
    with pytest.raises(JsonRefused, match="nested too deeply"):
        read_json(_nested(MAX_DEPTH + 1))
    with pytest.raises(JsonRefused, match="nested too deeply"):
        read_json(b'{"a": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1))


@pytest.mark.parametrize("levels", [1_500, 100_000, 500_000])
def test_any_depth_is_refused_without_recursion_and_at_once(levels):
    started = time.perf_counter()
    for body in (_nested(levels), b"[" * levels, b'{"a":' * levels):
        with pytest.raises(JsonRefused, match="nested too deeply"):
            read_json(body, max_bytes=len(body))
    assert time.perf_counter() - started < 1


def test_brackets_inside_strings_are_not_nesting():
    brackets = "[" * (MAX_DEPTH * 2)
    assert read_json(f'["{brackets}", "a\\"{brackets}"]'.encode()) == [brackets, f'a"{brackets}']
    assert read_json(b'["\\\\", ["x"]]') == ["\\", ["x"]]


def test_a_string_never_closed_is_refused_in_linear_time():
    body = b'"' + b'\\"' * (MAX_BODY_BYTES // 2 - 1)
    started = time.perf_counter()
    with pytest.raises(JsonRefused, match="not valid JSON"):
        read_json(body)
    assert time.perf_counter() - started < 1


def test_the_number_length_limit_is_exact():
    longest = "9" * MAX_NUMBER_CHARACTERS
    assert read_json(longest.encode()) == int(longest)
    assert read_json(("0." + "1" * (MAX_NUMBER_CHARACTERS - 2)).encode()) > 0
    for number in ("9" * (MAX_NUMBER_CHARACTERS + 1), "1" * 5_000, "-" + "1" * 5_000):
        with pytest.raises(JsonRefused, match="number"):
            read_json(f"[{number}]".encode())


def test_a_number_beyond_any_float_is_refused():
    with pytest.raises(JsonRefused, match="too large"):
        read_json(b"[1e999]")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant):
    with pytest.raises(JsonRefused, match=constant):
        read_json(f'{{"a": {constant}}}'.encode())


@pytest.mark.parametrize("body", [b"", b"{", b"[1,]", b"\xff\xfe", b"{'a': 1}", b"[] []"])
def test_what_is_not_json_is_refused_in_words(body):
    with pytest.raises(JsonRefused) as refused:
        read_json(body)
    assert "The request body" in str(refused.value)
