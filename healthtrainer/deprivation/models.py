"""Reference data that turns a postcode into an Index of Multiple Deprivation decile.

Deciles from different editions of the English indices are not comparable, so every
decile is stored with its edition. The tables belong to no programme: they are national
reference data, loaded with `manage.py import_deprivation` or by an administrator's
upload (`DatasetUpload`), imported by a background task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Edition(models.TextChoices):
    IOD2019 = "iod2019", "English Indices of Deprivation 2019"
    IOD2025 = "iod2025", "English Indices of Deprivation 2025"


# The edition used when a caller names none is the first of these with data loaded.
EDITIONS_NEWEST_FIRST = (Edition.IOD2025, Edition.IOD2019)

# Each edition ranks the LSOAs of one census: IoD2019 the 2011 boundaries, IoD2025 the 2021.
LSOA_BOUNDARY_YEAR = {Edition.IOD2019: 2011, Edition.IOD2025: 2021}

# The field of PostcodeLsoa holding the LSOA on the boundaries an edition ranks.
POSTCODE_LSOA_FIELD = {Edition.IOD2019: "lsoa2011_code", Edition.IOD2025: "lsoa2021_code"}


class LsoaDeprivation(models.Model):
    """One LSOA's Index of Multiple Deprivation score, rank and decile in one edition."""

    edition = models.CharField(max_length=10, choices=Edition.choices)
    lsoa_code = models.CharField("LSOA code", max_length=9)
    lsoa_name = models.CharField("LSOA name", max_length=100)
    local_authority_code = models.CharField(max_length=9)
    local_authority_name = models.CharField(max_length=100)
    imd_score = models.DecimalField("IMD score", max_digits=6, decimal_places=3)
    imd_rank = models.PositiveIntegerField(
        "IMD rank", help_text="1 is the most deprived LSOA in England."
    )
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", help_text="1 is the most deprived 10% of LSOAs in England."
    )

    class Meta:
        verbose_name = "LSOA deprivation"
        verbose_name_plural = "LSOA deprivation"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "lsoa_code"], name="lsoa_deprivation_unique_in_edition"
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__gte=1, imd_decile__lte=10),
                name="lsoa_deprivation_decile_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(imd_rank__gte=1), name="lsoa_deprivation_rank_from_1"
            ),
        ]
        indexes = [
            # Local quintiles rank the LSOAs of one authority in one edition.
            models.Index(
                fields=["edition", "local_authority_code", "imd_rank"],
                name="lsoa_dep_authority_rank_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.edition}: decile {self.imd_decile}"


class PostcodeLsoa(models.Model):
    """The LSOA a postcode lies in, on the 2011 and on the 2021 boundaries.

    Terminated postcodes are kept: older referrals give them.
    """

    postcode = models.CharField(
        max_length=8,
        unique=True,
        help_text='Upper case, one space before the inward code: "S1 2HE".',
    )
    lsoa2011_code = models.CharField("LSOA code (2011 boundaries)", max_length=9, blank=True)
    lsoa2021_code = models.CharField("LSOA code (2021 boundaries)", max_length=9, blank=True)

    class Meta:
        verbose_name = "postcode LSOA"

    def __str__(self) -> str:
        return self.postcode


class DatasetUpload(models.Model):
    """A file an administrator uploaded, waiting for the background task that imports it:
    kept in the database so a worker on any server can read it, and deleted once read."""

    dataset = models.CharField(max_length=20)
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.dataset})"
