"""The demo programme "Sheffield pilot 2011 (synthetic)": a past programme brought in as a
programme workbook, as an evaluator would bring one.

The people are invented, one random draw for a seed. What is fixed is the programme's
published shape (`PUBLISHED`): 143 referrals (against the 90 projected in the programme's
settings, `demo/programmes.py`), seven in ten from the
most deprived fifth of areas, four in ten long-term sick or disabled, two in ten in work,
three quarters of goals achieved or partly achieved, and 43% keeping up their
strategies at follow-up. The generator draws records with exactly those proportions and
writes them in the workbook format; the import and the evaluation then work them out
like any other programme's. Nothing here is read by the metric code.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from healthtrainer.casework.vocabulary import DEFAULT_CB_TECHNIQUES
from healthtrainer.demo.programmes import ORGANISATIONS, PROGRAMMES
from healthtrainer.imports.format import SHEETS
from healthtrainer.imports.importer import import_programme_workbook
from healthtrainer.imports.report import ImportReport
from healthtrainer.imports.workbook import read_workbook
from healthtrainer.measures.definitions import load_definitions

SLUG = "sheffield-pilot-2011"
SEED = 2011
PROGRAMME: dict[str, Any] = next(fields for fields in PROGRAMMES if fields["slug"] == SLUG)
PRACTICES = [code for slug, _, _, code, _, _ in ORGANISATIONS if slug == SLUG]


@dataclass(frozen=True)
class Published:
    referrals: int = 143
    pct_most_deprived: int = 70
    pct_long_term_sick: int = 40
    pct_employed: int = 20
    pct_goals_achieved_or_partly: int = 75
    pct_maintaining: int = 43


PUBLISHED = Published()

GIVEN = [
    "Ann",
    "Bilal",
    "Carol",
    "Dev",
    "Eileen",
    "Farah",
    "Gary",
    "Hui",
    "Iris",
    "Jamal",
    "Karen",
    "Liam",
    "Maya",
    "Nasir",
    "Olive",
    "Pete",
    "Rukhsana",
    "Steve",
    "Tess",
    "Wei",
]
FAMILY = [
    "Ahmed",
    "Barker",
    "Cole",
    "Dixon",
    "Evans",
    "Fox",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lee",
    "Moore",
    "Noble",
    "Owen",
    "Patel",
    "Reid",
    "Shaw",
    "Taylor",
]
OTHER_EMPLOYMENT = ["02", "03", "05", "06", "07", "08"]
ETHNIC = ["A"] * 17 + ["B", "C", "H", "J", "M", "N", "R"]
DOMAINS = ["activity", "pacing", "sleep", "mood", "social", "work", "daily_living"]
GOALS = {
    "activity": "Walk to the park and back without stopping",
    "pacing": "Break the housework into short spells",
    "sleep": "Keep to the same bedtime on weekdays",
    "mood": "Notice and write down unhelpful thoughts",
    "social": "Go to the community café once a week",
    "work": "Ask about volunteering at the library",
    "daily_living": "Cook a simple meal twice a week",
}
# Of the 143: accepted, and the outcomes of the rest.
ACCEPTED = 104
OTHER_OUTCOMES = (
    ["declined"] * 15 + ["unable_to_contact"] * 14 + ["not_eligible"] * 6 + ["withdrawn"] * 4
)
UNSTATED_EMPLOYMENT = 3
GOALS_JUDGED = 176
FOLLOW_UPS_ANSWERED = 60


def count_for(percentage: int, denominator: int) -> int:
    """The count that, out of `denominator`, rounds (half up) to the whole `percentage`."""
    for count in range(denominator + 1):
        shown = (Decimal(count * 100) / denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if shown == percentage:
            return count
    raise ValueError(f"No count out of {denominator} rounds to {percentage}%.")


def _shuffled(rng: random.Random, values: list[Any]) -> list[Any]:
    rng.shuffle(values)
    return values


def _split(rng: random.Random, total: int, yes: int, rest: list[str], first: str) -> list[str]:
    return _shuffled(rng, [first] * yes + [rng.choice(rest) for _ in range(total - yes)])


def _lsoa(rng: random.Random) -> str:
    return f"E0100{rng.randrange(7000, 8200):04d}"


def pilot_workbook(
    seed: int = SEED, published: Published = PUBLISHED
) -> dict[str, list[list[Any]]]:
    """The programme's workbook: each sheet as a header and rows."""
    rng = random.Random(seed)  # noqa: S311 - made-up people, not a secret
    n = published.referrals
    deprived = count_for(published.pct_most_deprived, n)
    deciles = _shuffled(
        rng,
        [rng.choice([1, 2]) for _ in range(deprived)]
        + [rng.randint(3, 10) for _ in range(n - deprived)],
    )
    stated = n - UNSTATED_EMPLOYMENT
    sick = count_for(published.pct_long_term_sick, stated)
    employed = count_for(published.pct_employed, stated)
    employment = _shuffled(
        rng,
        ["04"] * sick
        + ["01"] * employed
        + [rng.choice(OTHER_EMPLOYMENT) for _ in range(stated - sick - employed)]
        + ["ZZ"] * UNSTATED_EMPLOYMENT,
    )
    outcomes = _shuffled(rng, ["accepted"] * ACCEPTED + OTHER_OUTCOMES[: n - ACCEPTED])
    start = date(2011, 1, 4)
    received = sorted(start + timedelta(days=rng.randrange(0, 340)) for _ in range(n))

    sheets: dict[str, list[list[Any]]] = {
        name: [list(columns)] for name, columns in SHEETS.items() if name != "programme"
    }
    sheets["programme"] = [
        list(SHEETS["programme"]),
        [
            SLUG,
            PROGRAMME["name"],
            PROGRAMME["projected_referrals"],
            PROGRAMME["local_authority_code"],
            PROGRAMME["start_date"].isoformat(),
            PROGRAMME["end_date"].isoformat(),
            "swemwbs",
        ],
    ]
    episodes: list[tuple[str, date]] = []
    for index in range(n):
        referral_id = f"SP11-{index + 1:03d}"
        born = received[index] - timedelta(days=365 * rng.randint(22, 82) + rng.randrange(365))
        outcome = outcomes[index]
        first_contact = received[index] + timedelta(days=rng.randint(1, 21))
        sheets["referrals"].append(
            [
                referral_id,
                received[index].isoformat(),
                rng.choice(PRACTICES),
                "",
                rng.choice(GIVEN),
                rng.choice(FAMILY),
                born.isoformat(),
                "female" if rng.random() < 0.62 else "male",
                "",
                rng.choice(ETHNIC),
                employment[index],
                rng.randint(12, 240),
                "lower back" if rng.random() < 0.5 else "knees; hips",
                "Managing pain day to day",
                outcome,
                first_contact.isoformat() if outcome != "unable_to_contact" else "",
                _lsoa(rng),
                deciles[index],
            ]
        )
        if outcome == "accepted":
            episodes.append((referral_id, first_contact))
    _casework(rng, sheets, episodes, published)
    return sheets


def _casework(
    rng: random.Random,
    sheets: dict[str, list[list[Any]]],
    episodes: list[tuple[str, date]],
    published: Published,
) -> None:
    techniques = [code for code, _ in DEFAULT_CB_TECHNIQUES]
    conversion = load_definitions()["swemwbs"].conversion
    goal_slots: list[tuple[str, date]] = []
    completers: list[tuple[str, date]] = []
    for referral_id, first_contact in episodes:
        attended = rng.choice([0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6])
        day = first_contact + timedelta(days=7)
        held = 0
        while held < attended:
            attendance = "did_not_attend" if rng.random() < 0.12 else "attended"
            chosen = rng.sample(techniques, rng.randint(0, 3)) if attendance == "attended" else []
            sheets["sessions"].append(
                [
                    referral_id,
                    day.isoformat(),
                    attendance,
                    rng.choice(["face_to_face", "face_to_face", "telephone", "home_visit"]),
                    rng.choice([30, 40, 45, 50, 60]) if attendance == "attended" else "",
                    ";".join(chosen),
                ]
            )
            held += attendance == "attended"
            day += timedelta(days=rng.choice([7, 14]))
        if attended == 0:
            continue
        for _ in range(rng.randint(1, 3) if attended > 1 else 1):
            goal_slots.append((referral_id, first_contact + timedelta(days=7)))
        completed = attended >= 3
        sheets["discharges"].append(
            [referral_id, day.isoformat(), "completed" if completed else "disengaged"]
        )
        if completed:
            completers.append((referral_id, day))
            baseline = rng.randint(13, 24)
            after = min(35, baseline + rng.randint(-2, 6))
            for timepoint, raw, when in (
                ("baseline", baseline, first_contact + timedelta(days=7)),
                ("exit", after, day),
            ):
                sheets["measures"].append(
                    [referral_id, "swemwbs", timepoint, when.isoformat(), f"{conversion[raw]:.2f}"]
                )
    _goals(rng, sheets, goal_slots, published)
    _follow_ups(rng, sheets, completers, published)


def _goals(
    rng: random.Random,
    sheets: dict[str, list[list[Any]]],
    slots: list[tuple[str, date]],
    published: Published,
) -> None:
    judged = min(GOALS_JUDGED, len(slots))
    met = count_for(published.pct_goals_achieved_or_partly, judged)
    statuses = _shuffled(
        rng,
        [rng.choice(["achieved", "partly_achieved"]) for _ in range(met)]
        + ["not_achieved"] * (judged - met)
        + ["not_reviewed"] * (len(slots) - judged),
    )
    for number, ((referral_id, set_on), status) in enumerate(zip(slots, statuses, strict=True)):
        domain = rng.choice(DOMAINS)
        sheets["goals"].append(
            [
                referral_id,
                f"SP11-G{number + 1:03d}",
                set_on.isoformat(),
                domain,
                GOALS[domain],
                status,
            ]
        )


def _follow_ups(
    rng: random.Random,
    sheets: dict[str, list[list[Any]]],
    completers: list[tuple[str, date]],
    published: Published,
) -> None:
    answered = min(FOLLOW_UPS_ANSWERED, len(completers))
    yes = count_for(published.pct_maintaining, answered)
    answers = _split(rng, answered, yes, ["partly", "partly", "no"], "yes")
    for index, (referral_id, discharged) in enumerate(completers):
        on = discharged + timedelta(days=rng.randint(84, 100))
        if index < answered:
            sheets["follow_ups"].append(
                [referral_id, on.isoformat(), "yes", answers[index], rng.randint(0, 4)]
            )
        else:
            sheets["follow_ups"].append([referral_id, on.isoformat(), "no", "", ""])


def _write_folder(folder: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def load_pilot_2011(*, actor: Any = None, seed: int = SEED) -> ImportReport:
    """Generate the workbook and import it like any other (idempotent: a second load
    changes nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        workbook = read_workbook(_write_folder(Path(folder), pilot_workbook(seed)))
        report = import_programme_workbook(actor=actor, workbook=workbook)
    if not report.is_valid:
        raise ValueError(
            "The 2011 pilot workbook did not import: " + "; ".join(map(str, report.problems))
        )
    return report
