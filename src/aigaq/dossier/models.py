"""Petition and submission templates, editable by administrators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aigaq.registry.validators import LINE_VALIDATORS


class PetitionKind(models.TextChoices):
    LETTER = "letter", _("Family petition letter")
    WGEID = "wgeid", _("UN WGEID submission")
    EMBASSY = "embassy", _("Embassy appeal letter")


class DossierLanguage(models.TextChoices):
    ENGLISH = "en", pgettext_lazy("language", "English")
    RUSSIAN = "ru", pgettext_lazy("language", "Russian")
    KAZAKH = "kk", pgettext_lazy("language", "Kazakh")
    CHINESE = "zh", pgettext_lazy("language", "Chinese")


class PetitionTemplate(models.Model):
    """A letter or form whose body is a Django template rendered in a sandbox (petitions.render)
    with the case context only: no tags that load, include or reach outside that context."""

    name = models.CharField(_("name"), max_length=200, validators=LINE_VALIDATORS)
    language = models.CharField(_("language"), max_length=4, choices=DossierLanguage.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PetitionKind.choices)
    body = models.TextField(_("body"))
    is_default = models.BooleanField(default=False, editable=False)  # shipped with Aigaq
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "language", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "language"], name="uniq_petition_name_lang")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
