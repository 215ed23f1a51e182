"""A member programme's published evaluation report, as a network's analyst reads it: every
period to date, published figures only, and only the sections the programme shares.

The whole published report is built, exactly as the programme would publish it, and the
sections it does not share are then left out: secondary suppression works across the
whole report, so building only some sections could show a count the full report hides.
Leaving sections out only removes figures; every one shown is as the published report
shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import Report, build_report
from healthtrainer.evaluation.report.content import Section
from healthtrainer.network.models import Aspect, Network, NetworkMembership

# The report's sections each aspect a programme shares opens to the network. One place,
# so that the page and its tests read the same mapping:
# - GP referral is the report's own section of referrals.
# - Client outcomes are its outcomes section (the flow from referral to completion, goals,
#   follow-up, well-being, and each outcome by IMD quintile, age band and ethnic
#   category) and the companion's section, which reports how clients kept their goals
#   and strategies up.
# - Data completeness and equity open nothing more. The report has no section on
#   completeness. Its equity tables are outcomes broken down by subgroup, inside the
#   outcomes section: a programme sharing only its equity figures with the network has
#   shared its Core20 reach and completion by deprivation fifth, not every outcome by
#   every subgroup, so they are shown only with its outcomes.
# - The use of behaviour change techniques and the programme's resources and costs are
#   no aspect a programme shares, so the network never sees them.
SECTIONS_SHARED: dict[str, tuple[str, ...]] = {
    Aspect.REFERRAL: ("gp-referral",),
    Aspect.OUTCOMES: ("client-outcomes", "client-companion"),
    Aspect.COMPLETENESS: (),
    Aspect.EQUITY: (),
}
# What people said is words, not figures: a programme shares its figures with a network,
# so the quotes its report chose are not shown here, whichever sections are.
LEFT_OUT_TABLES = {"qualitative.quotes"}


@dataclass(frozen=True)
class SharedReport:
    membership: NetworkMembership
    # The published report, holding only the sections shared with the network.
    report: Report
    # The aspects the programme shares, in words, in the order of `Aspect`.
    aspects: list[str]
    # The titles of the report's sections the programme does not share.
    not_shared: list[str]


def member_of(network: Network, programme_slug: str) -> NetworkMembership | None:
    """The programme's current membership of the network, or None: unknown, never a
    member, or withdrawn."""
    return (
        NetworkMembership.objects.current()
        .filter(network=network, programme__slug=programme_slug)
        .select_related("programme")
        .first()
    )


def sections_shared(aspects: list[str]) -> set[str]:
    return {section for aspect in aspects for section in SECTIONS_SHARED.get(aspect, ())}


def _shown(section: Section) -> Section:
    tables = [table for table in section.tables if table.metric_id not in LEFT_OUT_TABLES]
    return replace(section, tables=tables)


def shared_report(membership: NetworkMembership) -> SharedReport:
    """The programme's published report of every period to date, with only the sections
    its membership shares: published figures whatever is asked, never exact."""
    built = build_report(membership.programme, Period(), Disclosure.PUBLISHED)
    shared = sections_shared(membership.aspects)
    sections = [_shown(section) for section in built.sections if section.id in shared]
    return SharedReport(
        membership=membership,
        report=replace(built, sections=sections, metrics={}),
        aspects=[aspect.label for aspect in Aspect if membership.shares(aspect)],
        not_shared=[section.title for section in built.sections if section.id not in shared],
    )
