"""Instrument definition files: loading, validation, licensing and the FHIR export."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from healthtrainer.measures.definitions import (
    InvalidDefinition,
    instrument_as_fhir_questionnaire,
    load_definitions,
    parse_definition,
)

INSTRUMENTS_DIR = Path(__file__).resolve().parents[1] / "instruments"
LICENSED = {"wemwbs", "swemwbs", "pseq"}
FREE = {"ons4", "phq9", "gad7", "pain_nrs"}


def raw(code: str) -> dict[str, Any]:
    text = resources.files("healthtrainer.measures.instruments").joinpath(f"{code}.toml")
    return tomllib.loads(text.read_text(encoding="utf-8"))


def test_every_instrument_loads_by_code():
    definitions = load_definitions()
    assert set(definitions) == LICENSED | FREE
    assert all(code == instrument.code for code, instrument in definitions.items())


@pytest.mark.parametrize(
    ("code", "items", "options", "minimum", "maximum", "direction"),
    [
        ("ons4", 4, (0, 10), 0, 10, "higher_is_better"),
        ("phq9", 9, (0, 3), 0, 27, "higher_is_worse"),
        ("gad7", 7, (0, 3), 0, 21, "higher_is_worse"),
        ("pain_nrs", 2, (0, 10), 0, 10, "higher_is_worse"),
        ("wemwbs", 14, (1, 5), 14, 70, "higher_is_better"),
        ("swemwbs", 7, (1, 5), 7, 35, "higher_is_better"),
        ("pseq", 10, (0, 6), 0, 60, "higher_is_better"),
    ],
)
def test_each_instrument_has_the_published_shape(code, items, options, minimum, maximum, direction):
    instrument = load_definitions()[code]
    assert len(instrument.items) == items
    assert all((item.minimum, item.maximum) == options for item in instrument.items)
    assert (instrument.minimum, instrument.maximum) == (minimum, maximum)
    assert instrument.direction == direction


def test_the_ons4_anxiety_question_runs_against_the_others():
    ons4 = load_definitions()["ons4"]
    assert ons4.item("anxiety").direction == "higher_is_worse"
    assert {item.direction for item in ons4.items if item.id != "anxiety"} == {None}


def test_phq9_item9_is_the_safety_item_with_any_answer_above_zero():
    phq9 = load_definitions()["phq9"]
    assert (phq9.safety_item, phq9.safety_threshold) == ("item9", 0)
    assert "better off dead" in (phq9.item("item9").text or "")


def test_the_rules_in_the_files_match_the_domain_notes():
    definitions = load_definitions()
    assert definitions["pain_nrs"].headline_item == "average_pain"
    change = definitions["pain_nrs"].meaningful_change
    assert change is not None
    assert (change.points, change.percent, change.rule) == (2, 30, "either")
    pseq = definitions["pseq"].meaningful_change
    assert pseq is not None
    assert (pseq.points, pseq.needs_band_change) == (7, True)
    assert definitions["gad7"].caseness == 10
    missing = {code: (i.missing.max_missing, i.missing.method) for code, i in definitions.items()}
    assert missing == {
        "ons4": (4, "per_item"),
        "pain_nrs": (2, "per_item"),
        "phq9": (1, "prorate"),
        "gad7": (1, "prorate"),
        "wemwbs": (3, "prorate"),
        "swemwbs": (0, "none"),
        "pseq": (4, "prorate"),
    }


# The repository must never hold a licensed instrument's wording -------------------------


def test_no_licensed_instrument_file_in_the_repository_has_item_text():
    files = sorted(INSTRUMENTS_DIR.glob("*.toml"))
    assert len(files) == 7
    licensed = []
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if not data["item_text_licensed"]:
            continue
        licensed.append(data["code"])
        assert "stem" not in data, path.name
        for item in data["items"]:
            assert set(item) <= {"id", "options", "direction"}, (path.name, item["id"])
            assert item["id"].startswith("item"), (path.name, item["id"])
        for item in [data, *data["items"]]:
            for option in item.get("options", []):
                assert option["label"] == str(option["value"]), path.name
        # Belt and braces: no line of the file sets a text key at all.
        lines = path.read_text(encoding="utf-8").splitlines()
        assert not [line for line in lines if line.strip().startswith(("text", "stem"))]
    assert sorted(licensed) == sorted(LICENSED)


# Validation -----------------------------------------------------------------------------


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _extend_options(data: dict[str, Any]) -> None:
    data["items"][0]["options"] = [*data["options"], {"value": 11, "label": "11"}]


@pytest.mark.parametrize(
    ("code", "change", "field", "problem"),
    [
        ("phq9", _set(("scoring",), "median"), "scoring", "unknown scoring rule"),
        ("phq9", _set(("direction",), "sideways"), "direction", "must be one of"),
        ("phq9", _set(("code",), "phq8"), "code", "must match the file name"),
        ("phq9", _set(("colour",), "blue"), "colour", "unknown field"),
        ("phq9", _set(("bands", 1, "low"), 6), "bands", "no gap or overlap"),
        ("phq9", _set(("bands", 1, "low"), 4), "bands", "no gap or overlap"),
        ("phq9", _set(("bands", 4, "high"), 26), "bands", "must cover the range"),
        ("phq9", _set(("bands", 0, "low"), 1), "bands", "must cover the range"),
        ("phq9", _set(("maximum",), 30), "minimum", "does not match the items' sum"),
        ("phq9", _set(("options", 3, "value"), 4), "minimum", "does not match the items' sum"),
        ("phq9", _set(("options", 1, "value"), 0), "options", "must be distinct"),
        ("phq9", _set(("items", 1, "id"), "item1"), "items", "used twice"),
        ("phq9", _delete(("items", 0, "text")), "items[0].text", "missing"),
        ("phq9", _set(("safety_item",), "item10"), "safety_item", "is not an item"),
        ("phq9", _set(("safety_threshold",), 3), "safety_threshold", "at least one answer"),
        ("phq9", _delete(("safety_threshold",)), "safety_item", "or neither"),
        ("phq9", _set(("missing", "method"), "guess"), "missing.method", "unknown method"),
        ("phq9", _set(("missing", "max_missing"), 9), "missing.max_missing", "at least one"),
        ("phq9", _delete(("missing",)), "missing", "missing"),
        ("phq9", _set(("meaningful_change", "rule"), "sometimes"), "meaningful_change.rule", ""),
        ("phq9", _set(("meaningful_change", "percent"), -5), "meaningful_change.percent", ""),
        ("ons4", _extend_options, "items[0].options", "outside the range"),
        ("ons4", _set(("headline_item",), "mood"), "headline_item", "is not an item"),
        ("ons4", _set(("meaningful_change",), {"points": 1}), "meaningful_change", "headline"),
        ("ons4", _set(("items", 3, "bands", 1, "low"), 3), "items[3].bands", "no gap"),
        ("wemwbs", _set(("items", 0, "text"), "Some wording"), "items[0].text", "licensed"),
        ("wemwbs", _set(("stem",), "Some wording"), "stem", "licensed"),
        ("wemwbs", _set(("options", 0, "label"), "Never"), "options[0].label", "bare number"),
        ("wemwbs", _set(("meaningful_change", "percent"), 10), "meaningful_change.percent", "0"),
        ("pain_nrs", _set(("missing", "method"), "none"), "missing.method", "per_item goes"),
        ("swemwbs", _set(("missing", "max_missing"), 1), "missing.max_missing", "must be 0"),
        ("swemwbs", _set(("conversion", "metric"), [7.0, 35.0]), "conversion.metric", "each raw"),
        ("swemwbs", _set(("conversion", "metric", 3), 9.0), "conversion.metric", "must rise"),
        ("swemwbs", _delete(("conversion",)), "conversion", "missing"),
        ("pseq", _set(("bands", 2, "label"), "moderate"), "bands", "distinct"),
        ("pseq", _delete(("bands",)), "meaningful_change.needs_band_change", "no bands"),
    ],
)
def test_a_malformed_definition_is_refused_naming_file_and_field(code, change, field, problem):
    data = copy.deepcopy(raw(code))
    change(data)
    with pytest.raises(InvalidDefinition) as refused:
        parse_definition(f"{code}.toml", data)
    message = str(refused.value)
    assert message.startswith(f"{code}.toml: {field}:"), message
    assert problem in message


def test_the_untouched_files_parse():
    for code in LICENSED | FREE:
        assert parse_definition(f"{code}.toml", raw(code)) == load_definitions()[code]


# FHIR -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(LICENSED | FREE))
def test_every_instrument_exports_a_valid_fhir_questionnaire(code):
    instrument = load_definitions()[code]
    resource = instrument_as_fhir_questionnaire(instrument)
    questionnaire = Questionnaire.model_validate(resource)
    assert questionnaire.url == f"https://healthtrainer.invalid/Questionnaire/{code}"
    assert questionnaire.status == "active"
    assert questionnaire.copyright == instrument.licence
    assert [item.linkId for item in questionnaire.item] == list(instrument.item_ids)
    first = questionnaire.item[0]
    assert first.type == "choice"
    assert [(o.valueCoding.code, o.valueCoding.display) for o in first.answerOption] == [
        (str(option.value), option.label) for option in instrument.items[0].options
    ]


@pytest.mark.parametrize("code", sorted(LICENSED))
def test_the_fhir_export_of_a_licensed_instrument_has_no_item_text(code):
    resource = instrument_as_fhir_questionnaire(load_definitions()[code])
    assert all("text" not in item for item in resource["item"])
    assert "description" not in resource


def test_the_fhir_export_carries_a_deployments_licensed_text_when_given():
    wemwbs = load_definitions()["wemwbs"]
    resource = instrument_as_fhir_questionnaire(wemwbs, {"item1": "Licensed wording one"})
    Questionnaire.model_validate(resource)
    assert resource["item"][0]["text"] == "Licensed wording one"
    assert "text" not in resource["item"][1]


def test_the_fhir_export_of_a_free_instrument_carries_its_wording():
    phq9 = load_definitions()["phq9"]
    resource = instrument_as_fhir_questionnaire(phq9)
    assert resource["item"][0]["text"] == "Little interest or pleasure in doing things"
    assert resource["description"].startswith("Over the last 2 weeks")
    assert resource["name"] == "Phq9"
    assert resource["item"][0]["answerOption"][3] == {
        "valueCoding": {"code": "3", "display": "Nearly every day"}
    }
