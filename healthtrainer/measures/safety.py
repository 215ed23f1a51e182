"""The safety rules questionnaires carry, named in words for the people who act on them."""

from __future__ import annotations

from healthtrainer.measures.definitions import Instrument, load_definitions


def safety_rule(definition: Instrument) -> str:
    """The code an escalation raised by this instrument's safety item records."""
    return f"{definition.code}_{definition.safety_item}"


def safety_rule_label(rule: str) -> str:
    """ "Patient Health Questionnaire (PHQ-9): question 9, asked for safety, answered above
    0 (Not at all)" for `phq9_item9`; a rule no instrument defines reads as a check."""
    for definition in load_definitions().values():
        if definition.safety_item is None or safety_rule(definition) != rule:
            continue
        number = definition.item_ids.index(definition.safety_item) + 1
        threshold = definition.safety_threshold
        answer = next(
            (
                option.label
                for option in definition.item(definition.safety_item).options
                if option.value == threshold
            ),
            "",
        )
        above = f"{threshold} ({answer})" if answer else f"{threshold}"
        return f"{definition.name}: question {number}, asked for safety, answered above {above}"
    return "An automatic check on a questionnaire answer"
