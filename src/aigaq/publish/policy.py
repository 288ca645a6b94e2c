"""THE redaction policy: the one place that decides what of the record leaves the instance.

Every public surface (the portal, open data, the static mirror, dossiers, any anonymous API)
gets its data from `public_persons()`, `public_person()` and `public_facilities()` here, and
only from them. They return plain frozen dataclasses, never model instances, so a template
cannot reach a field the policy did not hand over (``person.internal_notes`` simply is not
there). The loader reads rows with ``values()`` and never selects a restricted column
(witness contact, address, internal notes), which keeps the bulk path fast (100,000 persons)
and means those columns cannot leak even by mistake here.

The rules, in words (docs/publication.md is the long form):

- A person is published when ``publication`` is public or anonymised and they are not merged
  into another record. Internal persons appear nowhere: not in pages, searches, open data,
  counts or statistics.
- Public person: names, details, events (exact dates), descriptions and charges.
- Anonymised person: the display name reduced to initials ("Н. С."), no other name forms, no
  occupation, no photo, home place coarsened to its prefecture, event dates and places reduced to
  the year and the prefecture, no event description or charge, no testimony text (only the count).
  Anonymised persons are not searchable by name.
- A testimony's text (title, summary, transcript, translations) is published only if the
  testimony is public and complete, every person it concerns is public, and its witness (if any)
  is public: free text can name anyone it concerns. Other non-internal testimonies are only
  counted; internal testimonies are not even counted.
- A witness is named only if the witness is public; otherwise they are "a relative"/their
  relationship. Contact details, addresses and internal notes are never read.
- Facilities are institutions, not people: all are published, with counts over published persons.
- Statistics count published persons only, from the public records themselves (so an
  anonymised person counts under their prefecture, never their county).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import models

from aigaq.registry.choices import Publication
from aigaq.registry.dates import format_fuzzy
from aigaq.registry.models import (
    Event,
    Facility,
    FacilityName,
    Person,
    PersonName,
    Place,
    Testimony,
    TestimonyPerson,
    Translation,
)

# Bump when a rule changes: the static mirror then rebuilds every page.
POLICY_VERSION = "1"
PUBLISHED_LEVELS = (Publication.PUBLIC, Publication.ANONYMISED)
CHUNK = 2000  # ids per query: well under SQLite's and PostgreSQL's parameter limits
COARSE_LEVELS = ("country", "region", "prefecture")

_NAME_SPLIT = re.compile(r"[\s\u00b7\u0387\u2022\u2027\u30fb\-‐.]+")


@dataclass(frozen=True)
class PublicPlace:
    code: str
    level: str
    name_en: str
    name_zh: str = ""
    name_pinyin: str = ""
    name_kk: str = ""
    name_ug: str = ""
    name_ru: str = ""
    lat: float | None = None
    lon: float | None = None
    parent_label: str = ""  # the enclosing prefecture/region, in English, for context

    def label(self, language: str = "en") -> str:
        lang = (language or "en")[:2]
        preferred = {"kk": self.name_kk, "ru": self.name_ru, "zh": self.name_zh, "ug": self.name_ug}.get(lang)
        return preferred or self.name_en

    def __str__(self) -> str:
        return self.name_en


@dataclass(frozen=True)
class PublicName:
    text: str
    script: str
    kind: str


@dataclass(frozen=True)
class PublicEvent:
    type: str
    date: str  # as the public may see it: exact for public persons, years for anonymised
    year: int | None
    place: PublicPlace | None
    facility_uid: str | None
    facility_name: str | None
    sentence_months: int | None
    charge: str
    description: str


@dataclass(frozen=True)
class PublicTranslation:
    language: str
    text: str


@dataclass(frozen=True)
class PublicTestimony:
    uid: str
    recorded_on: str
    language: str
    title: str
    summary: str
    transcript: str
    witness_name: str  # empty unless the witness consented to be public
    relationship: str  # the witness's relationship to this person (a code of Relationship)
    translations: tuple[PublicTranslation, ...] = ()


@dataclass(frozen=True)
class PublicPerson:
    uid: str
    level: str  # "public" or "anonymised"
    display_name: str
    names: tuple[PublicName, ...]
    gender: str
    birth: str
    ethnicity: str
    citizenship: str
    occupation: str
    home_place: PublicPlace | None
    status: str
    status_since: str
    detention_year: int | None
    grade: str
    events: tuple[PublicEvent, ...]
    testimonies: tuple[PublicTestimony, ...]
    testimony_count: int  # non-internal testimonies, shown or not

    @property
    def anonymised(self) -> bool:
        return self.level == Publication.ANONYMISED

    @property
    def facility_uids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.facility_uid for e in self.events if e.facility_uid))

    def as_dict(self) -> dict:
        return plain(self)


@dataclass(frozen=True)
class PublicFacility:
    uid: str
    name: str
    kind: str
    other_names: tuple[str, ...]
    place: PublicPlace | None
    lat: float | None
    lon: float | None
    description: str
    person_count: int = 0  # published persons with an event at this facility
    persons: tuple[tuple[str, str], ...] = field(default=())  # (uid, display name) when asked


def plain(obj):
    """A public record as dicts, lists and scalars (dataclasses.asdict, without its deep copies:
    the mirror serialises 100,000 of these)."""
    fields = getattr(obj, "__dataclass_fields__", None)
    if fields is not None:
        return {name: plain(getattr(obj, name)) for name in fields}
    if isinstance(obj, tuple | list):
        return [plain(v) for v in obj]
    return obj


# --- the rules -----------------------------------------------------------------------------


def initials(name: str) -> str:
    """"Нұрлан Серікұлы" -> "Н. С.": the first letter of every part of the name."""
    parts = [p for p in _NAME_SPLIT.split(name or "") if p]
    letters = [next((c for c in p if c.isalpha()), "") for p in parts]
    return " ".join(f"{c.upper()}." for c in letters if c) or "—"


def coarse_date(start: date | None, end: date | None) -> str:
    if start is None:
        return ""
    end = end or start
    return str(start.year) if end.year == start.year else f"{start.year}–{end.year}"


def is_published(row: dict) -> bool:
    return row["publication"] in PUBLISHED_LEVELS and row.get("merged_into_id") is None


def published_persons_queryset():
    """Persons whose record may leave the instance (in some form)."""
    return Person.objects.filter(publication__in=PUBLISHED_LEVELS, merged_into__isnull=True)


def searchable_persons_queryset():
    """Persons who may be found by name: public ones only (a name search must not confirm the
    identity of an anonymised person)."""
    return Person.objects.filter(publication=Publication.PUBLIC, merged_into__isnull=True)


class Gazetteer:
    """Places and facilities, loaded once per build (a few hundred rows)."""

    def __init__(self) -> None:
        fields = ("id", "code", "level", "parent_id", "name_en", "name_zh", "name_pinyin",
                  "name_kk", "name_ug", "name_ru", "lat", "lon")
        self.rows = {r["id"]: r for r in Place.objects.values(*fields)}
        self._cache: dict[tuple[int, bool], PublicPlace | None] = {}
        fac_names: dict[int, list[str]] = defaultdict(list)
        for fid, text in FacilityName.objects.values_list("facility_id", "text").order_by("id"):
            fac_names[fid].append(text)
        self.facilities = {
            r["id"]: {**r, "uid": str(r["uid"]), "other_names": tuple(fac_names.get(r["id"], ()))}
            for r in Facility.objects.values("id", "uid", "name", "kind", "place_id", "lat", "lon", "description")
        }

    def _ancestor(self, pid: int, levels: tuple[str, ...]) -> int | None:
        node = self.rows.get(pid)
        while node is not None:
            if node["level"] in levels:
                return node["id"]
            node = self.rows.get(node["parent_id"])
        return None

    def place(self, pid: int | None, *, coarse: bool = False) -> PublicPlace | None:
        if pid is None or pid not in self.rows:
            return None
        key = (pid, coarse)
        if key not in self._cache:
            target = pid
            if coarse:
                # Anything finer than a prefecture becomes its prefecture; no prefecture, no place.
                target = pid if self.rows[pid]["level"] in COARSE_LEVELS else self._ancestor(pid, ("prefecture",))
            self._cache[key] = self._make(target) if target else None
        return self._cache[key]

    def _make(self, pid: int) -> PublicPlace:
        r = self.rows[pid]
        parent = self.rows.get(self._ancestor(r["parent_id"], ("prefecture", "region", "country")) or -1)
        return PublicPlace(
            code=r["code"], level=r["level"], name_en=r["name_en"], name_zh=r["name_zh"],
            name_pinyin=r["name_pinyin"], name_kk=r["name_kk"], name_ug=r["name_ug"], name_ru=r["name_ru"],
            lat=r["lat"], lon=r["lon"], parent_label=parent["name_en"] if parent else "",
        )


_PERSON_FIELDS = ("id", "uid", "display_name", "gender", "birth_year_min", "birth_year_max", "ethnicity",
                  "citizenship", "home_place_id", "occupation", "publication", "grade", "status",
                  "status_since", "detention_year", "merged_into_id")
_EVENT_FIELDS = ("person_id", "type", "date_start", "date_end", "date_precision", "place_id",
                 "facility_id", "sentence_months", "charge", "description")
# Never contact, address or internal notes: the witness's name and consent only.
_TESTIMONY_FIELDS = ("id", "uid", "publication", "state", "recorded_on", "language", "title", "summary",
                     "transcript", "witness_id", "witness__publication", "witness__full_name")


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _text_publishable(t: dict, linked_levels: list[str]) -> bool:
    witness_ok = t["witness_id"] is None or t["witness__publication"] == Publication.PUBLIC
    return (
        t["publication"] == Publication.PUBLIC
        and t["state"] == Testimony.State.COMPLETE
        and witness_ok
        and all(level == Publication.PUBLIC for level in linked_levels)
    )


def _redact_event(ev: dict, anonymised: bool, gaz: Gazetteer) -> PublicEvent:
    fac = gaz.facilities.get(ev["facility_id"]) if ev["facility_id"] else None
    start = ev["date_start"]
    return PublicEvent(
        type=ev["type"],
        date=coarse_date(start, ev["date_end"]) if anonymised
        else format_fuzzy(start, ev["date_end"], ev["date_precision"]),
        year=start.year if start else None,
        place=gaz.place(ev["place_id"], coarse=anonymised),
        facility_uid=fac["uid"] if fac else None,
        facility_name=fac["name"] if fac else None,
        sentence_months=ev["sentence_months"],
        charge="" if anonymised else ev["charge"],
        description="" if anonymised else ev["description"],
    )


def _redact_person(p: dict, names: list[tuple], events: list[dict], testimonies: list[PublicTestimony],
                   testimony_count: int, gaz: Gazetteer) -> PublicPerson:
    anonymised = p["publication"] == Publication.ANONYMISED
    lo, hi = p["birth_year_min"], p["birth_year_max"]
    birth = f"{lo}–{hi}" if lo and hi and lo != hi else str(lo or hi or "")
    since = p["status_since"]
    return PublicPerson(
        uid=str(p["uid"]),
        level=p["publication"],
        display_name=initials(p["display_name"]) if anonymised else p["display_name"],
        names=() if anonymised else tuple(PublicName(*n) for n in names),
        gender=p["gender"],
        birth=birth,
        ethnicity=p["ethnicity"],
        citizenship=p["citizenship"],
        occupation="" if anonymised else p["occupation"],
        home_place=gaz.place(p["home_place_id"], coarse=anonymised),
        status=p["status"],
        status_since=(str(since.year) if anonymised else since.isoformat()) if since else "",
        detention_year=p["detention_year"],
        grade=p["grade"],
        events=tuple(_redact_event(e, anonymised, gaz) for e in events),
        testimonies=() if anonymised else tuple(testimonies),
        testimony_count=testimony_count,
    )


def _load_chunk(ids: list[int], gaz: Gazetteer) -> list[tuple[int, PublicPerson]]:
    persons = [p for p in Person.objects.filter(pk__in=ids).values(*_PERSON_FIELDS) if is_published(p)]
    if not persons:
        return []
    ids = [p["id"] for p in persons]
    names: dict[int, list[tuple]] = defaultdict(list)
    for pid, *rest in PersonName.objects.filter(person_id__in=ids).order_by("id").values_list(
        "person_id", "text", "script", "kind"
    ):
        names[pid].append(tuple(rest))
    events: dict[int, list[dict]] = defaultdict(list)
    for ev in Event.objects.filter(person_id__in=ids).order_by("date_start", "id").values(*_EVENT_FIELDS):
        events[ev["person_id"]].append(ev)
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    tids: set[int] = set()
    for pid, tid, rel in TestimonyPerson.objects.filter(person_id__in=ids).values_list(
        "person_id", "testimony_id", "relationship"
    ):
        links[pid].append((tid, rel))
        tids.add(tid)
    tmeta: dict[int, dict] = {}
    linked_levels: dict[int, list[str]] = defaultdict(list)
    translations: dict[int, list[PublicTranslation]] = defaultdict(list)
    for chunk in _chunks(sorted(tids)):
        for t in Testimony.objects.filter(pk__in=chunk).values(*_TESTIMONY_FIELDS):
            tmeta[t["id"]] = t
        for tid, level, merged in TestimonyPerson.objects.filter(testimony_id__in=chunk).values_list(
            "testimony_id", "person__publication", "person__merged_into_id"
        ):
            linked_levels[tid].append(level if merged is None else Publication.INTERNAL)
    shown = {tid for tid, t in tmeta.items() if _text_publishable(t, linked_levels[tid])}
    for chunk in _chunks(sorted(shown)):
        for tid, lang, text in Translation.objects.filter(testimony_id__in=chunk).order_by("language").values_list(
            "testimony_id", "language", "text"
        ):
            translations[tid].append(PublicTranslation(lang, text))
    out = []
    for p in persons:
        plinks = sorted(links.get(p["id"], []), key=lambda link: (tmeta[link[0]]["recorded_on"] or date.min, link[0]))
        counted = [(tid, rel) for tid, rel in plinks if tmeta[tid]["publication"] in PUBLISHED_LEVELS]
        testimonies = []
        for tid, rel in counted:
            if tid not in shown:
                continue
            t = tmeta[tid]
            testimonies.append(PublicTestimony(
                uid=str(t["uid"]), recorded_on=t["recorded_on"].isoformat() if t["recorded_on"] else "",
                language=t["language"], title=t["title"], summary=t["summary"], transcript=t["transcript"],
                witness_name=t["witness__full_name"] if t["witness_id"] else "",
                relationship=rel, translations=tuple(translations.get(tid, ())),
            ))
        out.append((p["id"], _redact_person(p, names.get(p["id"], []), events.get(p["id"], []),
                                            testimonies, len(counted), gaz)))
    return out


def public_persons(ids: Iterable[int] | None = None, *, gazetteer: Gazetteer | None = None,
                   chunk: int = CHUNK) -> Iterator[tuple[int, PublicPerson]]:
    """(person id, public record) for every published person among `ids` (all when None), by id."""
    gaz = gazetteer or Gazetteer()
    if ids is None:
        ids = list(published_persons_queryset().order_by("id").values_list("id", flat=True))
    for part in _chunks(sorted(set(ids)), chunk):
        yield from sorted(_load_chunk(part, gaz), key=lambda item: item[0])


def public_person(person_or_uid, *, gazetteer: Gazetteer | None = None) -> PublicPerson | None:
    """The public record of one person, or None when they are not published."""
    if isinstance(person_or_uid, Person):
        pid = person_or_uid.pk
    else:
        pid = Person.objects.filter(uid=person_or_uid).values_list("id", flat=True).first()
        if pid is None:
            return None
    for _, pp in public_persons([pid], gazetteer=gazetteer):
        return pp
    return None


def public_facilities(gazetteer: Gazetteer | None = None, *, with_persons: bool = False,
                      counts: dict[str, int] | None = None) -> list[PublicFacility]:
    """Every facility, with the count (and, if asked, the list) of published persons held there.

    `counts` (facility uid -> published persons), when the caller already has them from public
    records (the mirror's state), saves reading every event."""
    gaz = gazetteer or Gazetteer()
    if counts is not None and not with_persons:
        return [replace(public_facility(f, gaz, {}, False), person_count=counts.get(f["uid"], 0))
                for f in gaz.facilities.values()]
    held: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    rows = (
        Event.objects.filter(facility__isnull=False, person__publication__in=PUBLISHED_LEVELS,
                             person__merged_into__isnull=True)
        .values_list("facility_id", "person_id", "person__uid", "person__display_name", "person__publication")
    )
    for fid, pid, uid, name, level in rows.iterator(chunk_size=5000):
        held[fid][pid] = (str(uid), initials(name) if level == Publication.ANONYMISED else name)
    return [public_facility(f, gaz, held.get(fid, {}), with_persons) for fid, f in gaz.facilities.items()]


def public_facility(row: dict, gaz: Gazetteer, held: dict[int, tuple[str, str]],
                    with_persons: bool) -> PublicFacility:
    return PublicFacility(
        uid=row["uid"], name=row["name"], kind=row["kind"], other_names=row["other_names"],
        place=gaz.place(row["place_id"]), lat=row["lat"], lon=row["lon"], description=row["description"],
        person_count=len(held),
        persons=tuple(sorted(held.values(), key=lambda v: v[1].casefold())) if with_persons else (),
    )


# --- media ---------------------------------------------------------------------------------

# What a published file may be called on a static host: a known harmless extension or .bin, so
# that no host ever serves an uploaded file as HTML or script from the mirror's origin.
_SAFE_EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif",
    "video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov", "audio/mpeg": "mp3",
    "audio/ogg": "ogg", "audio/wav": "wav", "audio/x-wav": "wav", "application/pdf": "pdf",
}


@dataclass(frozen=True)
class PublicMedia:
    sha256: str  # of the published file: the original, or its thumbnail when the original may not go
    media_type: str
    size: int
    kind: str  # image, video, audio or document: how a page shows it
    extension: str
    thumbnail: str = ""  # SHA-256 of a thumbnail or poster frame, when one exists
    original_sha256: str = ""  # the original's, which the custody ledger names

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.extension}"

    @property
    def thumbnail_filename(self) -> str:
        return f"{self.thumbnail}.jpg" if self.thumbnail else ""


def _media_kind(media_type: str) -> str:
    head = media_type.split("/", 1)[0]
    return head if head in ("image", "video", "audio") else "document"


def _cleared_items(item_filter: dict) -> dict[int, dict]:
    from aigaq.vault.models import EvidenceItem

    return {
        r["id"]: r for r in EvidenceItem.objects.filter(
            cleared_for_publication=True, derivative_of__isnull=True, **item_filter
        ).values("id", "sha256", "media_type", "size", "metadata")
    }


def public_media(person_ids: Iterable[int] | None = None, *,
                 item_filter: dict | None = None) -> dict[int, list[PublicMedia]]:
    """Published media by person id (persons among `person_ids`, all when None).

    An evidence original is published only when (1) an administrator cleared it for publication,
    (2) it is linked to at least one record, and (3) every record it is linked to is public: a
    linked person public and not merged; a linked testimony publishable in full (public, complete,
    public witness or none, every person it concerns public). A face or a voice can identify
    anyone in it, so one anonymised or internal record anywhere keeps the file in. It then appears
    on the page of every person it concerns (directly or through the testimony). An image whose
    metadata records a GPS position is published as its thumbnail only (made without metadata).
    """
    from aigaq.vault.models import EvidenceItem, EvidenceLink

    items = _cleared_items(item_filter or {})
    if not items:
        return {}
    links = list(EvidenceLink.objects.filter(item_id__in=list(items)).values_list("item_id", "person_id", "testimony_id"))
    tids = sorted({t for _, _, t in links if t})
    tmeta = {t["id"]: t for t in Testimony.objects.filter(pk__in=tids).values(*_TESTIMONY_FIELDS)}
    concerned: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for tid, pid, level, merged in TestimonyPerson.objects.filter(testimony_id__in=tids).values_list(
        "testimony_id", "person_id", "person__publication", "person__merged_into_id"
    ):
        concerned[tid].append((pid, level if merged is None else Publication.INTERNAL))
    direct = {pid for _, pid, _ in links if pid}
    person_level = {
        r["id"]: r["publication"] if r["merged_into_id"] is None else Publication.INTERNAL
        for r in Person.objects.filter(pk__in=sorted(direct)).values("id", "publication", "merged_into_id")
    }
    allowed: dict[int, bool] = {}
    shown_on: dict[int, set[int]] = defaultdict(set)
    for item_id, pid, tid in links:
        ok = allowed.get(item_id, True)
        if pid:
            ok = ok and person_level.get(pid) == Publication.PUBLIC
            shown_on[item_id].add(pid)
        if tid:
            t = tmeta.get(tid)
            levels = [level for _, level in concerned.get(tid, [])]
            ok = ok and t is not None and bool(levels) and _text_publishable(t, levels)
            shown_on[item_id].update(p for p, _ in concerned.get(tid, []))
        allowed[item_id] = ok
    published = [i for i, ok in allowed.items() if ok]
    wanted = None if person_ids is None else set(person_ids)
    thumbs = {
        orig: (sha, size) for orig, sha, size in EvidenceItem.objects.filter(
            derivative_of_id__in=published, derivative_kind__in=("thumbnail", "poster")
        ).order_by("derivative_kind").values_list("derivative_of_id", "sha256", "size")
    }
    out: dict[int, list[PublicMedia]] = defaultdict(list)
    for item_id in sorted(published):
        row = items[item_id]
        thumb, thumb_size = thumbs.get(item_id, ("", 0))
        if (row["metadata"] or {}).get("gps"):
            if not thumb:
                continue
            media = PublicMedia(sha256=thumb, media_type="image/jpeg", size=thumb_size, kind="image",
                                extension="jpg", original_sha256=row["sha256"])
        else:
            media = PublicMedia(
                sha256=row["sha256"], media_type=row["media_type"], size=row["size"],
                kind=_media_kind(row["media_type"]), extension=_SAFE_EXTENSIONS.get(row["media_type"], "bin"),
                thumbnail=thumb, original_sha256=row["sha256"],
            )
        for pid in shown_on[item_id]:
            if wanted is None or pid in wanted:
                out[pid].append(media)
    return dict(out)


def public_media_file(sha256: str) -> PublicMedia | None:
    """The published media (or thumbnail) with this SHA-256, or None: what the portal may serve."""
    from aigaq.vault.models import EvidenceItem

    row = EvidenceItem.objects.filter(sha256=sha256).values("id", "derivative_of_id").first()
    if row is None:
        return None
    original = row["derivative_of_id"] or row["id"]
    for media_list in public_media(item_filter={"pk": original}).values():
        for m in media_list:
            if sha256 == m.sha256:
                return m
            if sha256 == m.thumbnail:
                return PublicMedia(sha256=sha256, media_type="image/jpeg", size=0, kind="image", extension="jpg",
                                   original_sha256=m.original_sha256)
    return None


def public_media_of_person(person_or_uid) -> list[PublicMedia]:
    """The published media of one person (for the portal's person page)."""
    from aigaq.vault.models import EvidenceLink

    pid = person_or_uid.pk if isinstance(person_or_uid, Person) else (
        Person.objects.filter(uid=person_or_uid).values_list("id", flat=True).first())
    if pid is None:
        return []
    tids = TestimonyPerson.objects.filter(person_id=pid).values("testimony_id")
    candidates = EvidenceLink.objects.filter(models.Q(person_id=pid) | models.Q(testimony_id__in=tids))
    item_ids = sorted(set(candidates.values_list("item_id", flat=True)))
    if not item_ids:
        return []
    return public_media([pid], item_filter={"pk__in": item_ids}).get(pid, [])
