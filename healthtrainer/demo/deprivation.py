"""The demo deprivation lookup: synthetic files in the official layouts (see deprivation_data/).

Loading is idempotent: a file whose records are all already loaded, with the same
values, is skipped, so a second run changes nothing and writes no audit events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from healthtrainer.deprivation.importers import POSTCODES, import_dataset, read_records
from healthtrainer.deprivation.models import Edition, LsoaDeprivation, PostcodeLsoa

DEMO_DATA = Path(__file__).resolve().parent / "deprivation_data"
DEMO_FILES = (
    (Edition.IOD2019.value, DEMO_DATA / "iod2019_file7.csv"),
    (Edition.IOD2025.value, DEMO_DATA / "iod2025_file7.csv"),
    (POSTCODES, DEMO_DATA / "onspd.csv"),
)

_LSOA_FIELDS = (
    "edition",
    "lsoa_code",
    "lsoa_name",
    "local_authority_code",
    "local_authority_name",
    "imd_score",
    "imd_rank",
    "imd_decile",
)
_POSTCODE_FIELDS = ("postcode", "lsoa2011_code", "lsoa2021_code")


def load_demo_deprivation() -> None:
    """Load the synthetic demo LSOAs and postcodes through the importer, quietly."""
    for dataset, path in DEMO_FILES:
        if not _already_loaded(dataset, path):
            import_dataset(dataset, path)


def _already_loaded(dataset: str, path: Path) -> bool:
    fields: tuple[str, ...]
    stored: QuerySet[Any]
    if dataset == POSTCODES:
        fields, key, stored = _POSTCODE_FIELDS, "postcode", PostcodeLsoa.objects.all()
    else:
        fields, key = _LSOA_FIELDS, "lsoa_code"
        stored = LsoaDeprivation.objects.filter(edition=dataset)
    expected = {
        tuple(getattr(record, field) for field in fields) for record in read_records(dataset, path)
    }
    keys = [row[fields.index(key)] for row in expected]
    return expected == set(stored.filter(**{f"{key}__in": keys}).values_list(*fields))
