"""Captured online sources, each capture's provenance, and the takedown watch's history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Availability(models.TextChoices):
    UNKNOWN = "unknown", _("not checked yet")
    AVAILABLE = "available", _("available")
    REMOVED = "removed", _("removed")
    TERMINATED = "terminated", _("account terminated")
    GEO_BLOCKED = "geo_blocked", _("geo-blocked")
    UNREACHABLE = "unreachable", _("unreachable")


GONE = (Availability.REMOVED, Availability.TERMINATED, Availability.GEO_BLOCKED)


class CapturedSource(models.Model):
    """One URL that was preserved. Checked again and again by the takedown watch."""

    url = models.URLField(_("URL"), max_length=2000, unique=True)
    host = models.CharField(max_length=255, db_index=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    first_captured_at = models.DateTimeField(_("first captured"), default=timezone.now)
    last_status = models.CharField(_("status"), max_length=12, choices=Availability.choices,
                                   default=Availability.UNKNOWN, db_index=True)
    last_status_detail = models.CharField(max_length=300, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    gone_since = models.DateTimeField(_("gone since"), null=True, blank=True)
    items = models.ManyToManyField("vault.EvidenceItem", related_name="captured_sources", blank=True)

    class Meta:
        ordering = ["-first_captured_at", "-id"]

    def __str__(self) -> str:
        return self.url


class Capture(models.Model):
    """One run of `aigaq capture` on a source: what was fetched, with which tools, and what it gave."""

    source = models.ForeignKey(CapturedSource, on_delete=models.PROTECT, related_name="captures")
    captured_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=20)  # "web" (WARC/WACZ) or "video" (yt-dlp) or "media"
    provenance = models.JSONField(default=dict)  # as recorded in the custody ledger entry
    items = models.ManyToManyField("vault.EvidenceItem", related_name="captures", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-captured_at", "-id"]

    def __str__(self) -> str:
        return f"capture {self.pk} of {self.source.url}"


class SourceCheck(models.Model):
    """One look at whether a captured source is still online."""

    source = models.ForeignKey(CapturedSource, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Availability.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["source", "-checked_at"], name="check_history")]

    def __str__(self) -> str:
        return f"{self.source.url} {self.status} at {self.checked_at:%Y-%m-%d %H:%M}"


class ChannelImport(models.Model):
    """A video already brought home by `aigaq import-channel`: makes the command idempotent."""

    video_id = models.CharField(max_length=200)
    extractor = models.CharField(max_length=100, blank=True)
    item = models.ForeignKey("vault.EvidenceItem", on_delete=models.PROTECT, related_name="+")
    testimony = models.ForeignKey("registry.Testimony", null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["extractor", "video_id"], name="one_import_per_video")]

    def __str__(self) -> str:
        return f"{self.extractor}:{self.video_id}"
