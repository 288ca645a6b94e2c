"""What imports remember: column layouts, and which spreadsheet row each person came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportLayout(models.Model):
    """The column mapping last used for a header row, so the same layout needs mapping once."""

    header_hash = models.CharField(max_length=64, unique=True)  # sha256 of the normalised header row
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)  # one field name (or "") per column, by position
    uses = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"layout {self.header_hash[:12]} ({len(self.headers)} columns)"


class ImportBatch(models.Model):
    """One spreadsheet file taken in (or previewed from the staff UI, state 'pending')."""

    class State(models.TextChoices):
        PENDING = "pending"
        IMPORTED = "imported"
        FAILED = "failed"

    filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    stored_path = models.CharField(max_length=500, blank=True)  # uploads waiting for their mapping
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    mapping = models.JSONField(default=list, blank=True)
    report = models.JSONField(default=dict, blank=True)
    source = models.ForeignKey("registry.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.filename


class ImportedRow(models.Model):
    """Provenance: the person created from row `row` of a batch's file."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.batch} row {self.row}"
