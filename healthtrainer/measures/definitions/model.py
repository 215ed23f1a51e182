"""What an instrument definition holds: its items, options, bands, scoring, missing-item
rule and meaningful change."""

from __future__ import annotations

from dataclasses import dataclass, field

INSTRUMENTS_PACKAGE = "healthtrainer.measures.instruments"
FHIR_BASE = "https://healthtrainer.invalid"

SCORING_RULES = frozenset({"sum", "swemwbs_metric", "per_item"})
DIRECTIONS = frozenset({"higher_is_better", "higher_is_worse"})
MISSING_METHODS = frozenset({"prorate", "none", "per_item"})
CHANGE_RULES = frozenset({"either", "both"})


class InvalidDefinition(ValueError):
    """A definition file is malformed. The message names the file and the field."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str | None
    options: tuple[Option, ...]
    # None means the instrument's direction. ONS4's anxiety question is the one item that
    # runs against its instrument.
    direction: str | None = None

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def minimum(self) -> int:
        return min(option.value for option in self.options)

    @property
    def maximum(self) -> int:
        return max(option.value for option in self.options)


@dataclass(frozen=True)
class Band:
    label: str
    low: float
    high: float


@dataclass(frozen=True)
class MeaningfulChange:
    points: float | None
    percent: float | None
    needs_band_change: bool
    # With both points and percent: "either" threshold suffices, or "both" are needed.
    rule: str = "either"


@dataclass(frozen=True)
class MissingRule:
    max_missing: int
    method: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    licence: str
    item_text_licensed: bool
    items: tuple[Item, ...]
    scoring: str
    minimum: float
    maximum: float
    direction: str
    bands: tuple[Band, ...]
    item_bands: dict[str, tuple[Band, ...]]
    meaningful_change: MeaningfulChange | None
    missing: MissingRule
    safety_item: str | None
    safety_threshold: int | None
    headline_item: str | None
    # The question that introduces the items, where the instrument has one.
    stem: str | None = None
    # A score at or past this threshold (in the direction of worse) counts as a case.
    caseness: float | None = None
    # Raw total to reported score, for instruments that convert (SWEMWBS).
    conversion: dict[int, float] = field(default_factory=dict)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def whole_number_scores(self) -> bool:
        """Totals are whole numbers for every rule except a converted one."""
        return self.scoring != "swemwbs_metric"
