from __future__ import annotations

from django.conf import settings
from django.db import models


class PendingWorkbook(models.Model):
    """A workbook uploaded and checked, waiting for its uploader to confirm the import.

    Held in the database, not on the app server's disk, so that the confirmation may
    reach any server (docs/deployment.md). Only the token's hash is kept; the token
    itself lives in the uploader's session.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name}, waiting to be imported"
