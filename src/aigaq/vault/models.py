"""Evidence items: immutable originals in the vault and the derivatives made from them."""

from __future__ import annotations

import base64

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DerivativeKind(models.TextChoices):
    NONE = "", _("original")
    THUMBNAIL = "thumbnail", _("thumbnail")
    POSTER = "poster", _("poster frame")
    BROWSER = "browser", _("copy for the browser")


class EvidenceItem(models.Model):
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    # Computed after the copy by the `vault.sha512` job (or inline with `ingest --sha512`);
    # None until then. Its value is logged in the ledger either way.
    sha512 = models.CharField("SHA-512", max_length=128, null=True, blank=True)  # noqa: DJ001 (NULL: not yet computed)
    size = models.BigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("type"), max_length=100)
    filename = models.CharField(_("original file name"), max_length=300, blank=True)  # safe to show
    filename_raw = models.CharField(max_length=400, blank=True)  # base64 of the name's exact bytes
    metadata = models.JSONField(default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    # Where and how the bytes were obtained (a capture's URL, time, tools…), as the caller gave it;
    # also in the item's ledger entry, so that changes to it are found by `aigaq verify`.
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    derivative_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    derivative_kind = models.CharField(max_length=12, choices=DerivativeKind.choices, blank=True, default="")
    # An administrator has looked at this original (faces, ID numbers, who can be recognised) and
    # cleared it for publication. Necessary, not sufficient: aigaq.publish.policy also requires
    # every record it is linked to to be public. Its derivatives follow their original.
    cleared_for_publication = models.BooleanField(_("cleared for publication"), default=False)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["derivative_of", "derivative_kind"], name="one_derivative_of_each_kind",
                condition=models.Q(derivative_of__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.filename or self.sha256[:16]

    def get_absolute_url(self) -> str:
        return reverse("vault:item-detail", args=[self.pk])

    @property
    def raw_name(self) -> bytes:
        return base64.b64decode(self.filename_raw) if self.filename_raw else b""

    @property
    def is_original(self) -> bool:
        return self.derivative_of_id is None


class EvidenceLink(models.Model):
    """An item supports a testimony or concerns a person."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="links")
    testimony = models.ForeignKey(
        "registry.Testimony", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_links"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_links"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "testimony"], name="one_link_per_testimony",
                                    condition=models.Q(testimony__isnull=False)),
            models.UniqueConstraint(fields=["item", "person"], name="one_link_per_person",
                                    condition=models.Q(person__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.testimony or self.person}"
