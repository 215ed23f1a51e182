"""A programme's change on each instrument: overall and by subgroup."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    programme_view,
)
from healthtrainer.accounts.roles import Permission
from healthtrainer.measures import services
from healthtrainer.measures.models import (
    ProgrammeInstrument,
    Timepoint,
)
from healthtrainer.measures.outcomes import (
    SUBGROUPS,
    change_by_subgroup,
    paired_scores,
    summarise,
)
from healthtrainer.programmes.models import Programme


@programme_view(Permission.VIEW_OUTCOMES)
def outcomes(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    chosen = list(ProgrammeInstrument.objects.for_programme(programme).select_related("instrument"))
    code = request.GET.get("instrument") or next(
        (item.instrument.code for item in chosen if item.is_primary),
        chosen[0].instrument.code if chosen else "",
    )
    end = request.GET.get("end", Timepoint.EXIT)
    if end not in (Timepoint.EXIT, Timepoint.FOLLOW_UP):
        end = Timepoint.EXIT
    selected = next((item for item in chosen if item.instrument.code == code), None)
    context: dict[str, Any] = {
        "programme": programme,
        "chosen": chosen,
        "selected": selected,
        "end": Timepoint(end),
    }
    if selected is not None:
        definition = services.definition_of(selected.instrument)
        if definition.scoring == "per_item" and definition.headline_item is None:
            # Reported item by item (ONS4): one line per question, not a total.
            context |= {
                "definition": definition,
                "items": [
                    summarise(
                        item.id.replace("_", " ").capitalize(),
                        definition,
                        paired_scores(programme, selected.instrument, end=end, item=item.id),
                    )
                    for item in definition.items
                ],
            }
        else:
            pairs = paired_scores(programme, selected.instrument, end=end)
            context |= {
                "definition": definition,
                "overall": summarise("All clients", definition, pairs),
                "subgroups": [
                    (title, change_by_subgroup(definition, pairs, key))
                    for key, (title, _) in SUBGROUPS.items()
                ],
            }
    return render(request, "measures/outcomes.jinja", context)
