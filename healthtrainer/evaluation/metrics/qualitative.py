"""What people said: the quotes analysts chose for the report, by aspect of the evaluation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.models import Coding
from healthtrainer.qualitative.queries import names_in


@dataclass(frozen=True)
class Quote:
    theme: str
    participant: str
    role: str
    words: str


@metric(
    "qualitative.quotes",
    "What people said",
    "Coded passages chosen to quote in the report, grouped by the aspect of the evaluation "
    "their code's theme speaks to, in the words of the pseudonymised copy: names are "
    "replaced and participants are named by their labels. The whole programme, whatever "
    "the period.",
    period=PeriodRule.WHOLE_PROGRAMME,
)
def chosen_quotes(programme: Programme, period: Period) -> dict[str, list[Quote]]:
    quotes: dict[str, list[Quote]] = defaultdict(list)
    names = names_in(programme)
    for coding in (
        Coding.objects.for_programme(programme)
        .filter(in_report=True)
        .exclude(code__theme__aspect="")
        .exclude(code__theme=None)
        .select_related("code__theme", "document__participant")
        .order_by("code__theme__name", "document__participant__label", "start")
    ):
        theme = coding.code.theme
        participant = coding.document.participant
        if theme is None:
            continue
        quotes[theme.aspect].append(
            Quote(
                theme.name,
                names.hide(participant.label),
                participant.get_role_display(),
                coding.quote,
            )
        )
    return dict(quotes)
