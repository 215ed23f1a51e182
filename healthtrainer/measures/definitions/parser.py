"""Reading and validating one instrument file's data."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from healthtrainer.measures.definitions.model import (
    CHANGE_RULES,
    DIRECTIONS,
    MISSING_METHODS,
    SCORING_RULES,
    Band,
    Instrument,
    InvalidDefinition,
    Item,
    MeaningfulChange,
    MissingRule,
    Option,
)


def parse_definition(source: str, data: Mapping[str, Any]) -> Instrument:
    """Build and validate one instrument from the parsed TOML of the file `source`."""
    return _Parser(source, data).instrument()


class _Parser:
    """Reads one file's data, raising InvalidDefinition that names the file and field."""

    _TOP_LEVEL = frozenset(
        {
            "code",
            "name",
            "version",
            "licence",
            "item_text_licensed",
            "stem",
            "scoring",
            "minimum",
            "maximum",
            "direction",
            "caseness",
            "safety_item",
            "safety_threshold",
            "headline_item",
            "options",
            "items",
            "bands",
            "meaningful_change",
            "missing",
            "conversion",
        }
    )

    def __init__(self, source: str, data: Mapping[str, Any]) -> None:
        self.source = source
        self.data = data

    def fail(self, field_name: str, problem: str) -> InvalidDefinition:
        return InvalidDefinition(f"{self.source}: {field_name}: {problem}")

    # Typed readers. A typo in a field name is caught as an unknown field, not ignored.

    def _known(
        self, table: Mapping[str, Any], allowed: set[str] | frozenset[str], where: str
    ) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            prefix = f"{where}." if where else ""
            raise self.fail(f"{prefix}{unknown[0]}", "unknown field")

    def _str(self, table: Mapping[str, Any], key: str, where: str = "") -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}" if where else key, "must be non-empty text")
        return value

    def _required_str(self, table: Mapping[str, Any], key: str, where: str = "") -> str:
        value = self._str(table, key, where)
        if value is None:
            raise self.fail(f"{where}.{key}" if where else key, "missing")
        return value

    def _number(self, table: Mapping[str, Any], key: str, where: str = "") -> float | None:
        value = table.get(key)
        name = f"{where}.{key}" if where else key
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(name, "must be a number")
        return float(value)

    def _int(self, table: Mapping[str, Any], key: str, where: str = "") -> int | None:
        value = table.get(key)
        name = f"{where}.{key}" if where else key
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "must be a whole number")
        return int(value)

    def _bool(
        self, table: Mapping[str, Any], key: str, where: str = "", *, default: bool | None = None
    ) -> bool:
        value = table.get(key, default)
        name = f"{where}.{key}" if where else key
        if value is None:
            raise self.fail(name, "missing")
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def _table(self, table: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a table")
        return value

    def _tables(
        self, table: Mapping[str, Any], key: str, where: str = ""
    ) -> list[Mapping[str, Any]]:
        value = table.get(key, [])
        name = f"{where}.{key}" if where else key
        if not isinstance(value, list) or not all(isinstance(entry, Mapping) for entry in value):
            raise self.fail(name, "must be a list of tables")
        return value

    # The instrument.

    def instrument(self) -> Instrument:
        data = self.data
        self._known(data, self._TOP_LEVEL, "")
        code = self._required_str(data, "code")
        expected = self.source.removesuffix(".toml")
        if code != expected:
            raise self.fail("code", f"{code!r} must match the file name ({expected!r})")
        licensed = self._bool(data, "item_text_licensed")
        scoring = self._required_str(data, "scoring")
        if scoring not in SCORING_RULES:
            raise self.fail("scoring", f"unknown scoring rule {scoring!r}")
        direction = self._direction(data, "direction")
        minimum, maximum = self._number(data, "minimum"), self._number(data, "maximum")
        if minimum is None or maximum is None:
            raise self.fail("minimum" if minimum is None else "maximum", "missing")
        if minimum >= maximum:
            raise self.fail("maximum", "must be above the minimum")
        stem = self._str(data, "stem")
        if licensed and stem is not None:
            raise self.fail("stem", "a licensed instrument's wording must not be in the repository")

        shared = (
            self._options(data.get("options"), "options", licensed) if "options" in data else None
        )
        items = self._items(data, shared, licensed)
        conversion = self._conversion(data, scoring, items, minimum, maximum)
        self._check_range(scoring, items, minimum, maximum)
        item_bands = {
            item.id: self._bands(
                entry, "bands", f"items[{index}]", item.minimum, item.maximum, True
            )
            for index, (entry, item) in enumerate(
                zip(self._tables(data, "items"), items, strict=True)
            )
            if "bands" in entry
        }
        if item_bands and scoring != "per_item":
            raise self.fail("items.bands", "item bands are only for per_item scoring")

        bands = self._bands(data, "bands", "", minimum, maximum, scoring != "swemwbs_metric")

        headline = self._str(data, "headline_item")
        if headline is not None:
            if scoring != "per_item":
                raise self.fail("headline_item", "only per_item scoring has a headline item")
            if headline not in {item.id for item in items}:
                raise self.fail("headline_item", f"{headline!r} is not an item")

        safety_item = self._str(data, "safety_item")
        safety_threshold = self._int(data, "safety_threshold")
        if (safety_item is None) != (safety_threshold is None):
            raise self.fail("safety_item", "give both safety_item and safety_threshold, or neither")
        if safety_item is not None and safety_threshold is not None:
            matching = [item for item in items if item.id == safety_item]
            if not matching:
                raise self.fail("safety_item", f"{safety_item!r} is not an item")
            if not matching[0].minimum <= safety_threshold < matching[0].maximum:
                raise self.fail("safety_threshold", "must leave at least one answer above it")

        caseness = self._number(data, "caseness")
        if caseness is not None and not minimum <= caseness <= maximum:
            raise self.fail("caseness", "must lie within the range")

        return Instrument(
            code=code,
            name=self._required_str(data, "name"),
            version=self._required_str(data, "version"),
            licence=self._required_str(data, "licence"),
            item_text_licensed=licensed,
            items=items,
            scoring=scoring,
            minimum=minimum,
            maximum=maximum,
            direction=direction,
            bands=bands,
            item_bands=item_bands,
            meaningful_change=self._meaningful_change(data, minimum, bands, headline, scoring),
            missing=self._missing(data, scoring, len(items)),
            safety_item=safety_item,
            safety_threshold=safety_threshold,
            headline_item=headline,
            stem=stem,
            caseness=caseness,
            conversion=conversion,
        )

    def _direction(self, table: Mapping[str, Any], key: str, where: str = "") -> str:
        direction = self._required_str(table, key, where)
        if direction not in DIRECTIONS:
            name = f"{where}.{key}" if where else key
            raise self.fail(name, f"must be one of {', '.join(sorted(DIRECTIONS))}")
        return direction

    def _options(self, value: Any, where: str, licensed: bool) -> tuple[Option, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "must be a non-empty list of options")
        options = []
        for index, entry in enumerate(value):
            name = f"{where}[{index}]"
            if not isinstance(entry, Mapping):
                raise self.fail(name, "must be a table with value and label")
            self._known(entry, {"value", "label"}, name)
            option_value = self._int(entry, "value", name)
            if option_value is None:
                raise self.fail(f"{name}.value", "missing")
            label = self._required_str(entry, "label", name)
            # A licensed scale's answer wording is part of its copyright text.
            if licensed and label != str(option_value):
                raise self.fail(
                    f"{name}.label", "a licensed instrument's labels must be the bare number"
                )
            options.append(Option(option_value, label))
        values = [option.value for option in options]
        if len(set(values)) != len(values):
            raise self.fail(where, "option values must be distinct")
        return tuple(sorted(options, key=lambda option: option.value))

    def _items(
        self, data: Mapping[str, Any], shared: tuple[Option, ...] | None, licensed: bool
    ) -> tuple[Item, ...]:
        entries = self._tables(data, "items")
        if not entries:
            raise self.fail("items", "at least one item is needed")
        items = []
        for index, entry in enumerate(entries):
            where = f"items[{index}]"
            self._known(entry, {"id", "text", "options", "direction", "bands"}, where)
            item_id = self._required_str(entry, "id", where)
            text = self._str(entry, "text", where)
            if licensed and "text" in entry:
                raise self.fail(
                    f"{where}.text",
                    "a licensed instrument's item text must not be in the repository",
                )
            if not licensed and text is None:
                raise self.fail(f"{where}.text", "missing")
            if "options" in entry:
                options = self._options(entry["options"], f"{where}.options", licensed)
            elif shared is not None:
                options = shared
            else:
                raise self.fail(f"{where}.options", "missing, and no shared options are given")
            direction = self._direction(entry, "direction", where) if "direction" in entry else None
            items.append(Item(item_id, text, options, direction))
        ids = [item.id for item in items]
        duplicates = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
        if duplicates:
            raise self.fail("items", f"item id {duplicates[0]!r} is used twice")
        return tuple(items)

    def _check_range(
        self, scoring: str, items: Sequence[Item], minimum: float, maximum: float
    ) -> None:
        if scoring == "sum":
            expected_low = sum(item.minimum for item in items)
            expected_high = sum(item.maximum for item in items)
            if (minimum, maximum) != (expected_low, expected_high):
                raise self.fail(
                    "minimum",
                    f"the range {minimum:g} to {maximum:g} does not match the items' sum "
                    f"({expected_low} to {expected_high})",
                )
        elif scoring == "per_item":
            for index, item in enumerate(items):
                if item.minimum < minimum or item.maximum > maximum:
                    raise self.fail(f"items[{index}].options", "options lie outside the range")

    def _conversion(
        self,
        data: Mapping[str, Any],
        scoring: str,
        items: Sequence[Item],
        minimum: float,
        maximum: float,
    ) -> dict[int, float]:
        table = self._table(data, "conversion")
        if scoring != "swemwbs_metric":
            if table is not None:
                raise self.fail("conversion", "only swemwbs_metric scoring converts")
            return {}
        if table is None:
            raise self.fail("conversion", "missing")
        self._known(table, {"raw_minimum", "metric"}, "conversion")
        raw_minimum = self._int(table, "raw_minimum", "conversion")
        metric = table.get("metric")
        if raw_minimum is None:
            raise self.fail("conversion.raw_minimum", "missing")
        if not isinstance(metric, list) or not all(
            isinstance(value, int | float) and not isinstance(value, bool) for value in metric
        ):
            raise self.fail("conversion.metric", "must be a list of numbers")
        raw_low = sum(item.minimum for item in items)
        raw_high = sum(item.maximum for item in items)
        if raw_minimum != raw_low or raw_minimum + len(metric) - 1 != raw_high:
            raise self.fail(
                "conversion.metric",
                f"must give one score for each raw total {raw_low} to {raw_high}",
            )
        values = [float(value) for value in metric]
        if any(later <= earlier for earlier, later in pairwise(values)):
            raise self.fail("conversion.metric", "scores must rise with the raw total")
        if values[0] != minimum or values[-1] != maximum:
            raise self.fail("conversion.metric", "must run from the minimum to the maximum")
        return {raw_minimum + offset: value for offset, value in enumerate(values)}

    def _bands(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        minimum: float,
        maximum: float,
        whole_numbers: bool,
    ) -> tuple[Band, ...]:
        name = f"{where}.{key}" if where else key
        entries = self._tables(table, key, where)
        bands = []
        for index, entry in enumerate(entries):
            entry_name = f"{name}[{index}]"
            self._known(entry, {"label", "low", "high"}, entry_name)
            low, high = (
                self._number(entry, "low", entry_name),
                self._number(entry, "high", entry_name),
            )
            if low is None or high is None:
                raise self.fail(f"{entry_name}.{'low' if low is None else 'high'}", "missing")
            if low > high:
                raise self.fail(f"{entry_name}.high", "must not be below low")
            bands.append(Band(self._required_str(entry, "label", entry_name), low, high))
        if not bands:
            return ()
        labels = [band.label for band in bands]
        if len(set(labels)) != len(labels):
            raise self.fail(name, "band labels must be distinct")
        if bands[0].low != minimum or bands[-1].high != maximum:
            raise self.fail(name, f"bands must cover the range {minimum:g} to {maximum:g}")
        # Whole-number scores need the next band to start one above; continuous scores
        # need it to start exactly where the last ended, so no score falls between.
        step = 1.0 if whole_numbers else 0.0
        for earlier, later in pairwise(bands):
            if later.low != earlier.high + step:
                raise self.fail(
                    name,
                    f"band {later.label!r} must start at {earlier.high + step:g}: bands go in "
                    "order, with no gap or overlap",
                )
        return tuple(bands)

    def _meaningful_change(
        self,
        data: Mapping[str, Any],
        minimum: float,
        bands: Sequence[Band],
        headline: str | None,
        scoring: str,
    ) -> MeaningfulChange | None:
        table = self._table(data, "meaningful_change")
        if table is None:
            return None
        where = "meaningful_change"
        self._known(table, {"points", "percent", "needs_band_change", "rule"}, where)
        points, percent = (
            self._number(table, "points", where),
            self._number(table, "percent", where),
        )
        if points is None and percent is None:
            raise self.fail(where, "give points, percent or both")
        for key, value in (("points", points), ("percent", percent)):
            if value is not None and value <= 0:
                raise self.fail(f"{where}.{key}", "must be above zero")
        # A percentage of the first score only means something on a scale that starts at 0.
        if percent is not None and minimum != 0:
            raise self.fail(f"{where}.percent", "needs a scale that starts at 0")
        needs_band_change = self._bool(table, "needs_band_change", where, default=False)
        if needs_band_change and not bands:
            raise self.fail(f"{where}.needs_band_change", "the instrument has no bands")
        rule = self._str(table, "rule", where) or "either"
        if rule not in CHANGE_RULES:
            raise self.fail(f"{where}.rule", f"must be one of {', '.join(sorted(CHANGE_RULES))}")
        if scoring == "per_item" and headline is None:
            raise self.fail(where, "per_item scoring needs a headline_item to judge change on")
        return MeaningfulChange(points, percent, needs_band_change, rule)

    def _missing(self, data: Mapping[str, Any], scoring: str, item_count: int) -> MissingRule:
        table = self._table(data, "missing")
        if table is None:
            raise self.fail("missing", "missing")
        where = "missing"
        self._known(table, {"max_missing", "method"}, where)
        method = self._required_str(table, "method", where)
        if method not in MISSING_METHODS:
            raise self.fail(f"{where}.method", f"unknown method {method!r}")
        max_missing = self._int(table, "max_missing", where)
        if (method == "per_item") != (scoring == "per_item"):
            raise self.fail(
                f"{where}.method", "per_item goes with per_item scoring, and only with it"
            )
        if method == "per_item":
            # Each answer stands alone, so any of them may be missing.
            if max_missing not in (None, item_count):
                raise self.fail(
                    f"{where}.max_missing", "leave it out: per_item allows any to be missing"
                )
            return MissingRule(item_count, method)
        if max_missing is None:
            raise self.fail(f"{where}.max_missing", "missing")
        if method == "none" and max_missing != 0:
            raise self.fail(f"{where}.max_missing", "must be 0 when nothing may be missing")
        if method == "prorate" and not 0 < max_missing < item_count:
            raise self.fail(f"{where}.max_missing", "must leave at least one item to prorate from")
        return MissingRule(max_missing, method)
