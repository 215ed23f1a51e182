from __future__ import annotations

import hashlib

import pytest

from healthtrainer.evaluation.pseudonyms import programme_key, pseudonym

SERVICE_KEY = b"a-service-key-for-the-tests"


def test_a_pseudonym_is_stable_across_exports():
    key = programme_key(SERVICE_KEY, 7)
    assert pseudonym(key, "episode", 42) == pseudonym(programme_key(SERVICE_KEY, 7), "episode", 42)


def test_programmes_and_kinds_do_not_share_pseudonyms():
    first, second = programme_key(SERVICE_KEY, 7), programme_key(SERVICE_KEY, 8)
    assert pseudonym(first, "episode", 42) != pseudonym(second, "episode", 42)
    assert pseudonym(first, "episode", 42) != pseudonym(first, "trainer", 42)


def test_without_the_key_the_id_cannot_be_found_by_trying_them_all():
    target = pseudonym(programme_key(SERVICE_KEY, 7), "episode", 42)
    unkeyed = {hashlib.sha256(f"episode:{n}".encode()).hexdigest()[:16] for n in range(1000)}
    other_key = programme_key(b"a-guess", 7)
    guessed = {pseudonym(other_key, "episode", n) for n in range(1000)}
    assert target not in unkeyed
    assert target not in guessed


def test_no_key_no_pseudonyms():
    with pytest.raises(ValueError, match="key is required"):
        programme_key(b"", 7)
