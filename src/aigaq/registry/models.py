"""The record: persons and their names, events, places, facilities, witnesses, testimonies, sources.

Kept small after the HURIDOCS events formats: "who did what to whom", each statement pointing at
the testimonies that support it. A person's status and detention year are derived from events
(registry.status) and cached on the row only so that lists over a million persons can filter.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aigaq.core.crypto import EncryptedTextField
from aigaq.registry.choices import (
    DatePrecision,
    Ethnicity,
    EventType,
    FacilityKind,
    Gender,
    Grade,
    Language,
    NameKind,
    PlaceLevel,
    Publication,
    Relationship,
    Script,
    SourceKind,
    Status,
)
from aigaq.registry.dates import format_fuzzy
from aigaq.registry.validators import LINE_VALIDATORS, TEXT_VALIDATORS

NAME_MAX = 200


def publication_field(**kw):
    return models.CharField(
        _("publication"), max_length=12, choices=Publication.choices, default=Publication.INTERNAL, **kw
    )


class Place(models.Model):
    """A node of the gazetteer: country → region → prefecture → county → township → village."""

    code = models.CharField(max_length=32, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.CharField(max_length=12, choices=PlaceLevel.choices)
    name_en = models.CharField(max_length=NAME_MAX)
    name_zh = models.CharField(max_length=NAME_MAX, blank=True)
    name_pinyin = models.CharField(max_length=NAME_MAX, blank=True)
    name_kk = models.CharField(max_length=NAME_MAX, blank=True)
    name_ug = models.CharField(max_length=NAME_MAX, blank=True)
    name_ru = models.CharField(max_length=NAME_MAX, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    sources = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.local_name()

    def local_name(self, language: str | None = None) -> str:
        lang = (language or get_language() or "en")[:2]
        preferred = {"kk": self.name_kk, "ru": self.name_ru, "zh": self.name_zh, "ug": self.name_ug}.get(lang)
        return preferred or self.name_en

    def all_names(self) -> list[str]:
        names = [self.name_en, self.name_zh, self.name_pinyin, self.name_kk, self.name_ug, self.name_ru]
        return [n for n in dict.fromkeys(names) if n]

    def ancestor_at(self, level: str) -> Place | None:
        """The prefecture (or other level) this place lies in; itself if it is at that level."""
        node: Place | None = self
        while node is not None:
            if node.level == level:
                return node
            node = node.parent
        return None

    def path(self) -> list[Place]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Facility(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=NAME_MAX, validators=LINE_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind.choices, default=FacilityKind.CAMP)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="facilities")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, validators=TEXT_VALIDATORS)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class FacilityName(models.Model):
    """Another name a facility is known by (Chinese official name, local name, a nickname)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=NAME_MAX, validators=LINE_VALIDATORS)
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)

    def __str__(self) -> str:
        return self.text


class Source(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices, default=SourceKind.INTAKE)
    title = models.CharField(_("title"), max_length=300, validators=LINE_VALIDATORS)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    citation = models.TextField(_("citation"), blank=True, validators=TEXT_VALIDATORS)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name"), max_length=NAME_MAX, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year_min = models.PositiveSmallIntegerField(_("born, earliest year"), null=True, blank=True)
    birth_year_max = models.PositiveSmallIntegerField(_("born, latest year"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=12, choices=Ethnicity.choices, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=60, blank=True, validators=LINE_VALIDATORS)
    home_place = models.ForeignKey(
        Place, verbose_name=_("home place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.CharField(_("occupation"), max_length=NAME_MAX, blank=True, validators=LINE_VALIDATORS)
    publication = publication_field()
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, default=Grade.MENTIONED)
    internal_notes = EncryptedTextField(_("internal notes"), blank=True, validators=TEXT_VALIDATORS)
    # Derived from events by registry.status.refresh_derived(); never edited by hand.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNKNOWN)
    status_since = models.DateField(null=True, blank=True)
    detention_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Indexed only where set (Meta.indexes): an index of a column that is null for nearly every row
    # looks selective to a planner without statistics, which then sorts all persons for a page.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["display_name", "id"]
        # The staff list, the API and the CLI show live (unmerged) persons by name, filtered by one
        # of these columns: partial indexes over live persons give each filter its rows in list
        # order, and count them without reading the table (bench/registry_bench.py).
        indexes = [
            models.Index(fields=[*cols, "display_name", "id"], name=f"person_live_{tag}", condition=models.Q(merged_into__isnull=True))
            for tag, cols in [("name", []), ("status", ["status"]), ("ethnicity", ["ethnicity"]),
                              ("year", ["detention_year"]), ("place", ["home_place"])]
        ] + [models.Index(fields=["merged_into"], name="person_merged_into", condition=models.Q(merged_into__isnull=False))]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("registry:person-detail", args=[self.pk])

    @property
    def birth_label(self) -> str:
        lo, hi = self.birth_year_min, self.birth_year_max
        if lo and hi and lo != hi:
            return f"{lo}–{hi}"
        return str(lo or hi or "")


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(_("name"), max_length=NAME_MAX, validators=LINE_VALIDATORS)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=NameKind.choices, default=NameKind.FULL)
    testimony = models.ForeignKey(
        "Testimony", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("the testimony in which this form of the name was given"),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class NameKey(models.Model):
    """Search keys of a name (normalised tokens and cross-script keys), indexed for lookup."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["key", "person"])]

    def __str__(self) -> str:
        return self.key


class Witness(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("witness name"), max_length=NAME_MAX, validators=LINE_VALIDATORS)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    # Encrypted at rest (aigaq.core.crypto): never searchable, never published.
    contact = EncryptedTextField(_("contact details"), blank=True, validators=TEXT_VALIDATORS)
    address = EncryptedTextField(_("address"), blank=True, validators=TEXT_VALIDATORS)
    internal_notes = EncryptedTextField(_("internal notes"), blank=True, validators=TEXT_VALIDATORS)
    publication = publication_field(help_text=_("what the witness consented to have published about themselves"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "witnesses"

    def __str__(self) -> str:
        return self.full_name


class Testimony(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETE = "complete", _("Complete")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    witness = models.ForeignKey(
        Witness, null=True, blank=True, on_delete=models.PROTECT, related_name="testimonies"
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.KAZAKH)
    place_recorded = models.ForeignKey(
        Place, verbose_name=_("place recorded"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300, blank=True, validators=TEXT_VALIDATORS)
    summary = models.TextField(_("summary"), blank=True, validators=TEXT_VALIDATORS)
    transcript = models.TextField(_("transcript"), blank=True, validators=TEXT_VALIDATORS)
    publication = publication_field()
    state = models.CharField(max_length=10, choices=State.choices, default=State.COMPLETE)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="testimonies")
    persons = models.ManyToManyField(Person, through="TestimonyPerson", related_name="testimonies")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name_plural = "testimonies"

    def __str__(self) -> str:
        return self.title or f"Testimony #{self.pk}"


class TestimonyPerson(models.Model):
    """A person a testimony concerns, and how the witness is related to them."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="testimony_links")
    relationship = models.CharField(
        _("relationship of the witness to this person"), max_length=16, choices=Relationship.choices,
        default=Relationship.OTHER,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["testimony", "person"], name="uniq_testimony_person")]

    def __str__(self) -> str:
        return f"{self.testimony_id} → {self.person_id} ({self.relationship})"


class Translation(models.Model):
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=Language.choices)
    text = models.TextField(validators=TEXT_VALIDATORS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["testimony", "language"], name="uniq_translation_lang")]

    def __str__(self) -> str:
        return f"{self.testimony_id} [{self.language}]"


class Event(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("what happened"), max_length=24, choices=EventType.choices)
    date_start = models.DateField(_("from"), null=True, blank=True)
    date_end = models.DateField(_("to"), null=True, blank=True)
    date_precision = models.CharField(max_length=6, choices=DatePrecision.choices, default=DatePrecision.DAY)
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)
    charge = models.CharField(_("charge"), max_length=300, blank=True, validators=LINE_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=TEXT_VALIDATORS)
    testimonies = models.ManyToManyField(Testimony, blank=True, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date_start", "id"]
        indexes = [models.Index(fields=["person", "date_start"]), models.Index(fields=["facility"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date_label}".strip()

    @property
    def date_label(self) -> str:
        return format_fuzzy(self.date_start, self.date_end, self.date_precision)
