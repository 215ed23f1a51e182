"""The measures sheet of a programme workbook: one completed questionnaire per row, as its
total score; and the programme sheet's headline well-being instrument.

A total is checked against its instrument as a total typed in from paper would be. An
import sets the programme to collect each instrument at the timepoints the file has, and
makes the programme sheet's `primary_wellbeing_instrument` its headline. Importing again
leaves an unchanged questionnaire alone and records a changed one as a correction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from healthtrainer.core import cells
from healthtrainer.core.audit import audit_record
from healthtrainer.core.chunks import chunks
from healthtrainer.core.row_checks import Problem, RowChecker
from healthtrainer.measures.definitions import load_definitions
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
    Timepoint,
)
from healthtrainer.measures.scoring import InvalidAnswer, score_total
from healthtrainer.referrals.episode_import import EpisodeImport

SHEETS: dict[str, dict[str, bool]] = {
    "measures": {
        "referral_id": True,
        "instrument": True,
        "timepoint": True,
        "date": True,
        "total_score": True,
    },
}
# Plain words for each column, for the messages.
LABELS = {
    "referral_id": "referral ID",
    "instrument": "instrument",
    "timepoint": "timepoint",
    "date": "date",
    "total_score": "total score",
}
# Where the headline instrument is named: the workbook's programme sheet.
PROGRAMME_SHEET = "programme"
CORRECTION = "Changed in an imported workbook"


@dataclass(frozen=True)
class MeasureRow:
    row: int
    referral_id: str
    instrument: str
    timepoint: str
    date: date
    total: float
    raw_total: int | None
    band: str


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(cells.as_text(value))
    except ValueError:
        raise cells.CellError(
            f"The total score must be a number, not {cells.shown(value)}"
        ) from None


def check_measures(
    rows: Iterator[tuple[int, dict[str, Any]]], problems: list[Problem], today: date
) -> list[MeasureRow]:
    definitions = load_definitions()
    found: list[MeasureRow] = []
    first_row_of: dict[tuple[str, str, str], int] = {}
    for number, values in rows:
        check = RowChecker("measures", number, values, problems, LABELS)
        referral_id = check.get(
            "referral_id", lambda v: cells.text(v, LABELS["referral_id"], 40), required=True
        )
        code = check.get(
            "instrument",
            lambda v: cells.choice(v, "instrument", tuple(sorted(definitions))),
            required=True,
        )
        timepoint = check.get(
            "timepoint",
            lambda v: cells.choice(v, "timepoint", tuple(Timepoint.values)),
            required=True,
        )
        completed = check.get("date", lambda v: cells.iso_date(v, "date"), required=True)
        if completed and completed > today:
            check.problem("date", "The date must be today or in the past")
        total = check.get("total_score", _number, required=True)
        score = None
        if code and total is not None:
            try:
                score = score_total(definitions[code], total)
            except InvalidAnswer as error:
                check.problem("total_score", str(error))
        key = (referral_id or "", code or "", timepoint or "")
        if all(key) and first_row_of.setdefault(key, number) != number:
            check.problem(
                "timepoint",
                f"Referral {referral_id} already has {code} at {timepoint} on row "
                f"{first_row_of[key]}: one questionnaire per instrument and timepoint",
            )
        if check.ok and score is not None and score.total is not None:
            found.append(
                MeasureRow(
                    number,
                    referral_id,
                    code,
                    timepoint,
                    completed,
                    score.total,
                    score.raw_total,
                    score.band or "",
                )
            )
    return found


def _collect(
    job: EpisodeImport, rows: list[MeasureRow], instruments: dict[str, Instrument]
) -> None:
    """The programme collects each instrument at the timepoints the file has it, and the
    programme sheet's headline instrument is its primary one (when the sheet may set it)."""
    primary = job.primary_instrument.lower()
    timepoints: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        timepoints[row.instrument].add(row.timepoint)
    if primary:
        timepoints.setdefault(primary, set())
    chosen = {
        item.instrument.code: item
        for item in ProgrammeInstrument.objects.for_programme(job.programme).select_related(
            "instrument"
        )
    }
    for code, seen in sorted(timepoints.items()):
        current = chosen.get(code)
        wanted = {
            "at_baseline": Timepoint.BASELINE in seen or bool(current and current.at_baseline),
            "at_exit": Timepoint.EXIT in seen or bool(current and current.at_exit),
            "at_follow_up": Timepoint.FOLLOW_UP in seen or bool(current and current.at_follow_up),
            "is_primary": code == primary or bool(current and current.is_primary and not primary),
        }
        if not (wanted["at_baseline"] or wanted["at_exit"] or wanted["at_follow_up"]):
            wanted["at_baseline"] = wanted["at_exit"] = True
        if current and all(getattr(current, name) == value for name, value in wanted.items()):
            continue
        if wanted["is_primary"]:
            ProgrammeInstrument.objects.filter(programme=job.programme, is_primary=True).exclude(
                instrument=instruments[code]
            ).update(is_primary=False)
        item, created = ProgrammeInstrument.objects.update_or_create(
            programme=job.programme, instrument=instruments[code], defaults=wanted
        )
        audit_record(
            actor=job.actor,
            action=f"measures.programme_instrument.{'added' if created else 'updated'}",
            target=item,
            programme=job.programme,
            changed_fields=list(wanted),
        )


def write_measures(job: EpisodeImport, rows: list[MeasureRow]) -> str:
    primary = job.primary_instrument.lower()
    instruments = {instrument.code: instrument for instrument in Instrument.objects.all()}
    if primary and primary not in instruments:
        job.problems.append(
            Problem(
                PROGRAMME_SHEET,
                job.primary_instrument_row,
                "primary_wellbeing_instrument",
                f"{primary} is not an instrument: use one of {', '.join(sorted(instruments))}",
            )
        )
        return ""
    if not rows and not primary:
        return ""
    _collect(job, rows, instruments)
    episodes = {row.referral_id: job.referrals[row.referral_id] for row in rows}
    current = {
        (response.episode_id, response.instrument_id, response.timepoint): response
        for chunk in chunks(sorted({episode.pk for episode in episodes.values()}))
        for response in QuestionnaireResponse.objects.filter(episode_id__in=chunk, is_current=True)
    }
    actor = job.actor if getattr(job.actor, "is_authenticated", False) else None
    created = corrected = unchanged = 0
    replaced: list[QuestionnaireResponse] = []
    new: list[QuestionnaireResponse] = []
    for row in rows:
        episode = episodes[row.referral_id]
        instrument = instruments[row.instrument]
        earlier = current.get((episode.pk, instrument.pk, row.timepoint))
        if earlier is not None and (earlier.total, earlier.completed_on) == (row.total, row.date):
            unchanged += 1
            continue
        if earlier is not None:
            earlier.is_current = False
            replaced.append(earlier)
            corrected += 1
        else:
            created += 1
        new.append(
            QuestionnaireResponse(
                programme=job.programme,
                episode=episode,
                instrument=instrument,
                timepoint=row.timepoint,
                completed_on=row.date,
                total=row.total,
                raw_total=row.raw_total,
                band=row.band,
                source=Source.IMPORT,
                entered_by=actor,
                replaces=earlier,
                correction_reason=CORRECTION if earlier else "",
            )
        )
    QuestionnaireResponse.objects.bulk_update(replaced, ["is_current"])
    QuestionnaireResponse.objects.bulk_create(new)
    if new:
        audit_record(
            actor=job.actor,
            action="measures.responses.imported",
            programme=job.programme,
            changed_fields=["total", "timepoint", "completed_on"],
        )
    if not rows:
        return ""
    return f"Questionnaires: {created:,} created, {corrected:,} corrected, {unchanged:,} unchanged."
