"""Write the referrals of a checked programme workbook: all of them, or none.

A row's `referral_id` is its referral's reference in the programme, so importing a file
again updates what changed and leaves the rest alone. Imported history is recorded as it
was, not replayed through triage (docs/adr/0014-importing-history-sets-outcomes-directly.md):
the outcome becomes the status, an accepted referral is linked to a client, and no
health trainer is assigned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record, audit_record_many
from healthtrainer.core.bulk_rows import RowWriter
from healthtrainer.core.chunks import CHUNK, chunks
from healthtrainer.imports.format import EPISODE_SHEETS, PROGRAMME, REFERRALS
from healthtrainer.imports.referral_values import Deprivations, differs, referral_values
from healthtrainer.imports.report import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    RowChange,
)
from healthtrainer.imports.setup import programme_lists_complete, programme_setup
from healthtrainer.imports.workbook import (
    Problem,
    ProgrammeRow,
    ReferralRow,
    ReferralRows,
    Workbook,
)
from healthtrainer.programmes import services as programme_services
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.referrals.episode_import import EpisodeImport
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.references import references_catch_up
from healthtrainer.referrals.triage import Status

REFERRAL_ACTION = "referrals.referral.imported"
WORKBOOK_ACTION = "referrals.workbook.imported"
PROGRESS_EVERY = 100
# New referrals are inserted this many at a time.
INSERT_BATCH = 2000

CLIENT_FIELDS = ("nhs_number", "given_name", "family_name", "date_of_birth", "sex", "postcode")

# Called with (rows done, rows in all): before the first row, every so many rows, and after
# the last.
Progress = Callable[[int, int], None]


class ImportFailed(Exception):
    """Raised inside the import's transaction to undo it when a late check fails."""


def plan_import(*, programme: Programme, workbook: Workbook) -> ImportReport:
    """What importing the workbook into the programme would do. Writes nothing."""
    return _Import(programme, workbook, actor=None, write=False).run()


@transaction.atomic
def import_referrals(
    *,
    actor: Any,
    programme: Programme,
    workbook: Workbook,
    progress: Progress | None = None,
    progress_every: int = PROGRESS_EVERY,
    programme_settings: bool = False,
) -> ImportReport:
    """Import the workbook's referrals and their episode sheets into the programme in one
    transaction, or, when the workbook has any problem, write nothing and return the
    problems."""
    return _Import(
        programme,
        workbook,
        actor=actor,
        write=True,
        progress=progress,
        progress_every=progress_every,
        programme_settings=programme_settings,
    ).run()


def import_programme_workbook(
    *,
    actor: Any,
    workbook: Workbook,
    slug: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a workbook from the command line. Its programme sheet names the programme,
    which is created or updated; without the sheet, `slug` names an existing programme."""
    if not workbook.is_valid:
        return ImportReport(problems=list(workbook.problems), notes=list(workbook.notes))
    sheet = workbook.programme
    if sheet is None:
        found = Programme.objects.filter(slug=slug).first() if slug else None
        if found is None:
            message = (
                f"There is no programme {slug}." if slug else "Name the programme to import into."
            )
            return _refused(workbook, PROGRAMME, None, "", message)
        report = _import_or_plan(actor, found, workbook, dry_run, progress)
        report.programme = found
        return report
    if slug and slug != sheet.slug:
        return _refused(
            workbook,
            PROGRAMME,
            sheet.row,
            "slug",
            f"The workbook is for the programme {sheet.slug}, not {slug}.",
        )
    try:
        with transaction.atomic():
            programme, created, changed = _programme_from_sheet(actor, sheet, write=not dry_run)
            report = _import_or_plan(actor, programme, workbook, dry_run, progress)
            if not report.is_valid:
                raise ImportFailed
    except ValidationError as error:
        return _refused(workbook, PROGRAMME, sheet.row, "", " ".join(error.messages))
    except ImportFailed:
        pass
    report.programme = programme
    report.programme_created = created
    report.programme_changed = changed
    return report


def _import_or_plan(
    actor: Any, programme: Programme, workbook: Workbook, dry_run: bool, progress: Progress | None
) -> ImportReport:
    if dry_run:
        return plan_import(programme=programme, workbook=workbook)
    return import_referrals(
        actor=actor,
        programme=programme,
        workbook=workbook,
        progress=progress,
        programme_settings=True,
    )


def _refused(
    workbook: Workbook, sheet: str, row: int | None, column: str, message: str
) -> ImportReport:
    return ImportReport(problems=[Problem(sheet, row, column, message)], notes=list(workbook.notes))


PROGRAMME_FIELDS = ("name", "projected_referrals", "local_authority_code", "start_date", "end_date")


def _programme_from_sheet(
    actor: Any, sheet: ProgrammeRow, *, write: bool
) -> tuple[Programme, bool, list[str]]:
    """The programme the sheet names, created or updated. Blank cells change nothing."""
    given = {
        name: getattr(sheet, name)
        for name in PROGRAMME_FIELDS
        if getattr(sheet, name) not in (None, "")
    }
    programme = Programme.objects.filter(slug=sheet.slug).first()
    if programme is None:
        fields = {"slug": sheet.slug, **given}
        if not write:
            return Programme(**fields), True, sorted(fields)
        return programme_setup(actor=actor, fields=fields), True, sorted(fields)
    changed = [name for name, value in given.items() if getattr(programme, name) != value]
    for name in changed:
        setattr(programme, name, given[name])
    if write and changed:
        programme_services.programme_update(
            actor=actor, programme=programme, changed_fields=changed
        )
    return programme, False, changed


def _batched(rows: Iterable[ReferralRow], size: int) -> Iterator[list[ReferralRow]]:
    batch: list[ReferralRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_M = TypeVar("_M", bound=models.Model)


def _by_key(queryset: QuerySet[_M], field: str, keys: list[str]) -> dict[str, _M]:
    """The objects whose `field` is one of `keys`, by that key, fetched in chunks."""
    found: dict[str, _M] = {}
    for chunk in chunks(keys):
        found.update(
            (getattr(item, field), item) for item in queryset.filter(**{f"{field}__in": chunk})
        )
    return found


class _Import:
    def __init__(
        self,
        programme: Programme,
        workbook: Workbook,
        *,
        actor: Any,
        write: bool,
        progress: Progress | None = None,
        progress_every: int = PROGRESS_EVERY,
        programme_settings: bool = False,
    ) -> None:
        self.programme_settings = programme_settings
        self.programme = programme
        self.workbook = workbook
        self.actor = actor
        self.write = write
        self.progress = progress
        self.progress_every = max(progress_every, 1)
        self.report = ImportReport(
            problems=list(workbook.problems), notes=list(workbook.notes), programme=programme
        )
        self.lookups = Deprivations()
        self.new_referrals: list[tuple[Referral, list[str]]] = []

    def run(self) -> ImportReport:
        report = self.report
        if not report.is_valid:
            return report
        if self.write:
            # One import at a time into a programme: a second waits here, then finds the
            # referrals the first created and updates them rather than clashing.
            Programme.objects.select_for_update().filter(pk=self.programme.pk).exists()
            programme_lists_complete(actor=self.actor, programme=self.programme)
        rows = self.workbook.referrals
        report.problems.extend(self._programme_sheet_problems())
        practices = self._practices(rows.practice_codes)
        report.problems.extend(self._practice_problems(rows, practices))
        if not report.is_valid:
            return report
        self._create_practices(rows.practice_codes, practices)
        total = len(rows)
        if self.progress is not None:
            self.progress(0, total)
        done = 0
        # A batch at a time: the rows are read again from the file, and the referrals they
        # already made are looked up for that batch only, so memory stays flat.
        for batch in _batched(rows, CHUNK):
            existing = self._existing(batch)
            for row in batch:
                values = referral_values(row, practices[row.practice_ods_code], self.lookups)
                referral = existing.get(row.referral_id)
                if referral is None:
                    report.record(self._create(row, values))
                else:
                    report.record(self._update(row, referral, values))
                done += 1
                if self.progress is not None and (done % self.progress_every == 0 or done == total):
                    self.progress(done, total)
        if not self.write:
            report.sheet_summaries.extend(
                f"{sheet.replace('_', ' ').capitalize()}: {len(rows):,} rows checked."
                for sheet, rows in self.workbook.episode_rows.items()
            )
        if self.write:
            self._insert_new_referrals()
            # The file's own R- references, if any, must not be handed out again by FHIR.
            references_catch_up(self.programme)
            if not self._write_episode_sheets():
                # A late problem undoes everything, the referrals included.
                transaction.set_rollback(True)
                return report
            report.written = True
            if report.created or report.updated or report.practices_created:
                audit_record(
                    actor=self.actor,
                    action=WORKBOOK_ACTION,
                    programme=self.programme,
                    changed_fields=report.changed_fields,
                )
        return report

    def _write_episode_sheets(self) -> bool:
        # Every writer runs, with rows or without: the measures writer also sets the
        # programme's headline instrument from the programme sheet.
        headline = self.workbook.programme if self.programme_settings else None
        # The accepted referrals, for the rows of the episode sheets: none when they are empty.
        accepted = (
            self.workbook.referrals.ids_with_outcome("accepted")
            if any(self.workbook.episode_rows.values())
            else []
        )
        context = EpisodeImport(
            actor=self.actor,
            programme=self.programme,
            referrals=_by_key(
                Referral.objects.for_programme(self.programme), "reference", accepted
            ),
            primary_instrument=headline.primary_wellbeing_instrument if headline else "",
            primary_instrument_row=headline.row if headline else None,
        )
        for sheet in EPISODE_SHEETS:
            summary = sheet.write(context, self.workbook.episode_rows.get(sheet.name, []))
            if summary:
                self.report.sheet_summaries.append(summary)
        self.report.problems.extend(context.problems)
        return not context.problems

    def _programme_sheet_problems(self) -> list[Problem]:
        sheet = self.workbook.programme
        if sheet is None or sheet.slug == self.programme.slug:
            return []
        return [
            Problem(
                PROGRAMME,
                sheet.row,
                "slug",
                f"This workbook is for the programme {sheet.slug}, not {self.programme.slug}: "
                "import it into that programme, or correct the slug.",
            )
        ]

    def _practices(self, codes: set[str]) -> dict[str, Organisation]:
        if self.programme.pk is None:
            return {}
        return _by_key(
            Organisation.objects.for_programme(self.programme), "ods_code", sorted(codes)
        )

    def _practice_problems(
        self, rows: ReferralRows, practices: dict[str, Organisation]
    ) -> list[Problem]:
        problems: list[Problem] = []
        if all(organisation.is_gp_practice for organisation in practices.values()):
            return problems
        for row in rows:
            organisation = practices.get(row.practice_ods_code)
            if organisation is not None and not organisation.is_gp_practice:
                problems.append(
                    Problem(
                        REFERRALS,
                        row.row,
                        "practice_ods_code",
                        f"{row.practice_ods_code} is the ODS code of {organisation.name}, "
                        f"which is a {organisation.get_kind_display().lower()}, "
                        "not a GP practice",
                    )
                )
        return problems

    def _existing(self, rows: list[ReferralRow]) -> dict[str, Referral]:
        """The referrals these rows made in an earlier import, by reference."""
        if self.programme.pk is None:
            return {}
        references = [row.referral_id for row in rows]
        return _by_key(Referral.objects.for_programme(self.programme), "reference", references)

    def _create_practices(self, codes: set[str], practices: dict[str, Organisation]) -> None:
        """An unknown ODS code becomes a GP practice, named by its code until renamed."""
        for code in sorted(codes - set(practices)):
            practice = Organisation(
                programme=self.programme,
                kind=OrganisationKind.GP_PRACTICE,
                name=code,
                ods_code=code,
            )
            if self.write:
                practice = programme_services.organisation_save(
                    actor=self.actor,
                    organisation=practice,
                    changed_fields=["kind", "name", "ods_code"],
                )
            practices[code] = practice
            self.report.practices_created.append(code)

    def _create(self, row: ReferralRow, values: dict[str, Any]) -> RowChange:
        fields = sorted(
            name for name, value in values.items() if value not in (None, "") or name == "practice"
        )
        if not self.write:
            return RowChange(row.row, row.referral_id, CREATED, tuple(fields))
        if row.outcome == Status.ACCEPTED:
            values = {**values, "client": self._client_for(row)}
            fields.append("client")
        self.new_referrals.append(
            (Referral(programme=self.programme, reference=row.referral_id, **values), fields)
        )
        if len(self.new_referrals) >= INSERT_BATCH:
            self._insert_new_referrals()
            # The file's own R- references, if any, must not be handed out again by FHIR.
            references_catch_up(self.programme)
        return RowChange(row.row, row.referral_id, CREATED, tuple(sorted(fields)))

    def _insert_new_referrals(self) -> None:
        """Insert the new referrals waiting, and audit each, a batch at a time (COPY on
        PostgreSQL)."""
        if not self.new_referrals:
            return
        RowWriter().insert_instances(Referral, [referral for referral, _ in self.new_referrals])
        audit_record_many(
            actor=self.actor,
            action=REFERRAL_ACTION,
            changes=self.new_referrals,
            programme=self.programme,
        )
        self.new_referrals = []

    def _update(self, row: ReferralRow, referral: Referral, values: dict[str, Any]) -> RowChange:
        changed = [name for name, value in values.items() if differs(referral, name, value)]
        needs_client = row.outcome == Status.ACCEPTED and referral.client_id is None
        if needs_client:
            changed.append("client")
        if not changed:
            return RowChange(row.row, row.referral_id, UNCHANGED)
        if self.write:
            for name in changed:
                if name != "client":
                    setattr(referral, name, values[name])
            if needs_client:
                referral.client = self._client_for(row)
            update_fields = list(changed)
            if "status" in changed:
                referral.status_changed_at = timezone.now()
                update_fields.append("status_changed_at")
            referral.save(update_fields=update_fields)
            audit_record(
                actor=self.actor,
                action=REFERRAL_ACTION,
                target=referral,
                programme=self.programme,
                changed_fields=changed,
            )
        return RowChange(row.row, row.referral_id, UPDATED, tuple(sorted(changed)))

    def _client_for(self, row: ReferralRow) -> Client:
        """The client an accepted referral belongs to: the one with the same NHS number,
        else the only client who matches, else a new one."""
        matches = list(
            Client.objects.for_programme(self.programme).matching(
                nhs_number=row.nhs_number,
                given_name=row.given_name,
                family_name=row.family_name,
                date_of_birth=row.date_of_birth,
                postcode=row.postcode,
            )[:10]
        )
        same_number = [c for c in matches if row.nhs_number and c.nhs_number == row.nhs_number]
        if len(same_number) == 1:
            self.report.clients_linked += 1
            return same_number[0]
        if len(matches) == 1:
            self.report.clients_linked += 1
            return matches[0]
        client = Client.objects.create(
            programme=self.programme, **{name: getattr(row, name) for name in CLIENT_FIELDS}
        )
        audit_record(
            actor=self.actor,
            action="clients.client.created",
            target=client,
            programme=self.programme,
            changed_fields=[name for name in CLIENT_FIELDS if getattr(client, name)],
        )
        self.report.clients_created += 1
        return client


def received_words(workbook: Workbook) -> str:
    """The first and last dates received in the workbook, for the confirmation page."""
    received = workbook.referrals.received
    if received is None:
        return ""
    return f"{received[0]:%d %B %Y} to {received[1]:%d %B %Y}"
