"""Outcome measure definitions: one TOML file per instrument in `instruments/`.

The files hold structure and scoring rules only. For licensed instruments (WEMWBS,
SWEMWBS, PSEQ) the item text is never in the repository: each deployment loads the text it
is licensed to use, and validation refuses a licensed file that carries any wording.

Everything here is pure: no database, so scoring can be tested against published values.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from healthtrainer.measures.definitions.fhir import instrument_as_fhir_questionnaire
from healthtrainer.measures.definitions.model import (
    FHIR_BASE,
    INSTRUMENTS_PACKAGE,
    Band,
    Instrument,
    InvalidDefinition,
    Item,
    MeaningfulChange,
    MissingRule,
    Option,
)
from healthtrainer.measures.definitions.parser import parse_definition

__all__ = [
    "FHIR_BASE",
    "Band",
    "Instrument",
    "InvalidDefinition",
    "Item",
    "MeaningfulChange",
    "MissingRule",
    "Option",
    "instrument_as_fhir_questionnaire",
    "load_definitions",
    "parse_definition",
]


# Loading -------------------------------------------------------------------------------


@cache
def _load_all() -> tuple[tuple[str, Instrument], ...]:
    loaded: dict[str, Instrument] = {}
    package = resources.files(INSTRUMENTS_PACKAGE)
    for entry in sorted(package.iterdir(), key=lambda entry: entry.name):
        if not entry.name.endswith(".toml"):
            continue
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise InvalidDefinition(f"{entry.name}: not valid TOML ({error})") from error
        instrument = parse_definition(entry.name, data)
        loaded[instrument.code] = instrument
    return tuple(loaded.items())


def load_definitions() -> dict[str, Instrument]:
    """Every instrument in the package, by code, validated. Read once per process."""
    return dict(_load_all())
