"""Write generated families to the database in batches: a million persons in bounded memory.

Each chunk of families is written in one transaction (persons, names, name keys, events,
witnesses, testimonies and their links) with one executemany per table, each value prepared by
its model field, so the cost per person is a handful of rows in a few large INSERTs rather than a
few dozen round trips (see aigaq.core.bulk for why not bulk_create). Status fields are derived from the
generated events with registry.status.derive, the same function the forms use, before insert.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from random import Random
from typing import TextIO

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from aigaq.core.bulk import BulkInsert, insert_rows
from aigaq.registry.demo import pools as P
from aigaq.registry.demo.generate import FamilyRec, Generator, World
from aigaq.registry.models import (
    Event,
    Facility,
    FacilityName,
    NameKey,
    Person,
    PersonName,
    Place,
    Source,
    Testimony,
    TestimonyPerson,
    Witness,
)
from aigaq.registry.search import name_keys
from aigaq.registry.status import derive

SOURCE_TITLE = "Synthetic demo data (aigaq seed-demo)"
FACILITY_NOTE = "Synthetic facility made by aigaq seed-demo; it does not describe a real place."
_CN_NUMBERS = "零一二三四五六七八九十"


class GazetteerMissing(Exception):
    """The Xinjiang counties are not loaded: `aigaq init` loads them."""


@dataclass
class SeedStats:
    persons: int = 0
    names: int = 0
    name_keys: int = 0
    events: int = 0
    witnesses: int = 0
    testimonies: int = 0
    facilities_created: int = 0
    seconds: float = 0.0
    by_ethnicity: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if not isinstance(v, Counter)}
        d["by_ethnicity"] = dict(self.by_ethnicity.most_common())
        d["by_status"] = dict(self.by_status.most_common())
        return d


@dataclass
class _Refs:
    """Primary keys the generator's indexes point at."""

    counties: list[int]
    facilities: list[int]
    places: dict[str, int]
    source: int


def _uuid(bits: int) -> uuid.UUID:
    return uuid.UUID(int=bits, version=4)


def _county_rows() -> list[tuple[int, str, str, str]]:
    prefectures = {code for weights in P.HOME_WEIGHTS.values() for code in weights}
    rows = Place.objects.filter(level="county", code__startswith="65", parent__code__in=prefectures)
    return list(rows.order_by("code").values_list("pk", "code", "parent__code", "name_en"))


def _short(name_en: str) -> str:
    for suffix in (" County", " City", " District"):
        if name_en.endswith(suffix):
            return name_en[: -len(suffix)]
    return name_en


def _ensure_facilities(seed: int) -> tuple[list[tuple[int, str, str]], int]:
    """The demo's facilities, (pk, prefecture code, kind); created on the first run only."""
    existing = list(
        Facility.objects.filter(description=FACILITY_NOTE).order_by("pk")
        .values_list("pk", "place__parent__code", "kind")
    )
    if existing:
        return existing, 0
    rng = Random(f"aigaq-demo-facilities:{seed}")
    kinds = ["camp", "detention", "camp", "prison", "camp", "detention", "labour", "camp"]
    made: list[tuple[int, str, str]] = []
    prefectures = {p.code: p for p in Place.objects.filter(code__in=[c for c, _ in P.FACILITY_PLAN])}
    for code, count in P.FACILITY_PLAN:
        pref = prefectures.get(code)
        counties = list(Place.objects.filter(parent__code=code, level="county").order_by("code"))
        if pref is None or not counties:
            continue
        lat0, lon0 = P.PREFECTURE_SEATS[code]
        for k in range(count):
            county = counties[k % len(counties)] if k < 2 else rng.choice(counties)
            kind = kinds[k % len(kinds)]
            n = k // len(kinds) + 1 + (k % 3 == 2)
            cn = _CN_NUMBERS[n] if n <= 10 else str(n)
            short, zh = _short(county.name_en), county.name_zh
            if kind == "camp":
                en, alt = f"{short} Vocational Skills Education and Training Centre No. {n}", f"{zh}第{cn}职业技能教育培训中心"
            elif kind == "detention":
                en, alt = f"{short} Detention Centre", f"{zh}看守所"
            elif kind == "prison":
                en, alt = f"{_short(pref.name_en.split(' Autonomous')[0].replace(' Prefecture', ''))} Prison No. {n}", f"{pref.name_zh}第{cn}监狱"
            else:
                en, alt = f"{short} Industrial Park Factory No. {n}", f"{zh}工业园区{n}号厂"
            f = Facility.objects.create(
                name=en, kind=kind, place=county, description=FACILITY_NOTE,
                lat=round(lat0 + rng.uniform(-0.35, 0.35), 4), lon=round(lon0 + rng.uniform(-0.45, 0.45), 4),
            )
            FacilityName.objects.create(facility=f, text=alt, language="zh")
            made.append((f.pk, code, kind))
    return made, len(made)


def prepare(seed: int) -> tuple[World, _Refs, int]:
    """Load the world from the gazetteer, create facilities and the source on the first run."""
    try:
        counties = _county_rows()
    except DatabaseError:
        counties = []  # no tables yet: the instance was never initialised
    if not counties:
        raise GazetteerMissing("the gazetteer is not loaded (no Xinjiang counties); run `aigaq init` first")
    with transaction.atomic():
        facilities, created = _ensure_facilities(seed)
        source, _ = Source.objects.get_or_create(
            title=SOURCE_TITLE, defaults={"kind": "other", "citation": "Invented records for demonstrations and benchmarks."}
        )
    places = dict(Place.objects.filter(code__in=list(P.RECORDED_AT) + ["KG-C"]).values_list("code", "pk"))
    world = World(counties=[(c, parent, en) for _, c, parent, en in counties],
                  facilities=[(pref, kind) for _, pref, kind in facilities])
    refs = _Refs(counties=[pk for pk, *_ in counties], facilities=[pk for pk, *_ in facilities],
                 places=places, source=source.pk)
    return world, refs, created


class Progress:
    """One line on stderr, redrawn in place on a terminal; otherwise every 10 % or 30 s."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True):
        self.total, self.stream, self.enabled = total, stream or sys.stderr, enabled
        self.start = time.monotonic()
        self.tty = self.stream.isatty()
        self.last_decile = -1
        self.last_line = self.start

    def update(self, done: int) -> None:
        if not self.enabled or not self.total:
            return
        elapsed = time.monotonic() - self.start
        rate = done / elapsed if elapsed else 0.0
        eta = (self.total - done) / rate if rate else 0.0
        pct = 100 * done // self.total
        line = f"seed-demo: {done:,}/{self.total:,} persons ({pct}%), {rate:,.0f}/s, {eta:,.0f} s left"
        if self.tty:
            self.stream.write("\r" + line.ljust(78))
            if done >= self.total:
                self.stream.write("\n")
        elif pct // 10 != self.last_decile or time.monotonic() - self.last_line > 30 or done >= self.total:
            self.stream.write(line + "\n")
            self.last_line = time.monotonic()
        self.last_decile = pct // 10
        self.stream.flush()


@lru_cache(maxsize=131_072)
def _keys(text: str) -> tuple[str, ...]:
    # Names repeat a great deal (about 100,000 distinct forms in a million persons): compute once.
    return tuple(sorted(name_keys(text)))


class _Writer:
    def __init__(self, refs: _Refs, stats: SeedStats):
        self.refs, self.stats = refs, stats
        self.tables: dict = {}

    def table(self, model) -> BulkInsert:
        if model not in self.tables:
            self.tables[model] = BulkInsert(model, timezone.now())
        return self.tables[model]

    def write(self, families: list[FamilyRec]) -> None:
        refs, stats = self.refs, self.stats
        person_rows, recs = [], []
        for fam in families:
            for rec in fam.persons:
                d = derive(rec.events)
                person_rows.append({
                    "uid": _uuid(rec.uid), "display_name": rec.display_name, "gender": rec.gender,
                    "birth_year_min": rec.birth_min, "birth_year_max": rec.birth_max,
                    "ethnicity": rec.ethnicity, "citizenship": rec.citizenship,
                    "home_place_id": refs.counties[rec.home], "occupation": rec.occupation,
                    "publication": rec.publication, "grade": rec.grade,
                    "status": str(d.status), "status_since": d.since, "detention_year": d.detention_year,
                })
                recs.append(rec)
                stats.by_ethnicity[rec.ethnicity] += 1
                stats.by_status[str(d.status)] += 1
        self.table(Person).insert(person_rows)
        by_uid = dict(Person.objects.filter(uid__in=[r["uid"] for r in person_rows]).values_list("uid", "pk"))
        pids = [by_uid[r["uid"]] for r in person_rows]

        name_rows, event_rows = [], []
        for pid, rec in zip(pids, recs, strict=True):
            name_rows.extend({"person_id": pid, "text": n.text, "script": n.script, "kind": n.kind}
                             for n in rec.names)
            event_rows.extend({
                "uid": uuid.uuid4(), "person_id": pid, "type": e.type, "date_start": e.date_start,
                "date_end": e.date_end, "date_precision": e.precision,
                "facility_id": refs.facilities[e.facility] if e.facility is not None else None,
                "sentence_months": e.sentence_months, "charge": e.charge, "description": e.description,
            } for e in rec.events)
        self.table(PersonName).insert(name_rows)
        self.table(Event).insert(event_rows)
        # Rows of one transaction get increasing ids in insertion order (SQLite rowids, PostgreSQL
        # sequences), and these persons are new: their names and events are exactly these rows.
        name_ids = list(PersonName.objects.filter(person_id__in=pids).order_by("pk").values_list("pk", flat=True))
        event_pids = list(Event.objects.filter(person_id__in=pids).order_by("pk").values_list("pk", "person_id"))
        if len(name_ids) != len(name_rows) or len(event_pids) != len(event_rows):
            raise RuntimeError("seed-demo: rows changed under the seeder; run it alone")
        keys = [(row["person_id"], nid, k) for row, nid in zip(name_rows, name_ids, strict=True)
                for k in _keys(row["text"])]
        insert_rows(NameKey, ["person", "name", "key"], keys)
        events_of: dict[int, list[int]] = {}
        for eid, pid in event_pids:
            events_of.setdefault(pid, []).append(eid)

        witness_rows, testimony_rows, t_links = [], [], []
        pos = 0
        for fam in families:
            members = pids[pos : pos + len(fam.persons)]
            pos += len(fam.persons)
            base = len(witness_rows)
            witness_rows.extend({
                "uid": _uuid(w.uid), "full_name": w.full_name, "gender": w.gender, "contact": w.contact,
                "address": w.address, "publication": w.publication,
            } for w in fam.witnesses)
            for t in fam.testimonies:
                testimony_rows.append({
                    "uid": _uuid(t.uid), "witness": base + t.witness, "recorded_on": t.recorded_on,
                    "language": t.language, "place_recorded_id": refs.places.get(t.place_code),
                    "title": t.title[:300], "summary": t.summary, "publication": t.publication,
                    "source_id": refs.source, "state": "complete",
                })
                t_links.append([(members[i], rel) for i, rel in t.links])
        self.table(Witness).insert(witness_rows)
        w_ids = dict(Witness.objects.filter(uid__in=[r["uid"] for r in witness_rows]).values_list("uid", "pk"))
        for row in testimony_rows:
            row["witness_id"] = w_ids[witness_rows[row.pop("witness")]["uid"]]
        self.table(Testimony).insert(testimony_rows)
        t_ids = dict(Testimony.objects.filter(uid__in=[r["uid"] for r in testimony_rows]).values_list("uid", "pk"))

        links, supports = [], []
        for row, tlinks in zip(testimony_rows, t_links, strict=True):
            tid = t_ids[row["uid"]]
            for pid, relationship in tlinks:
                links.append((tid, pid, relationship))
                supports.extend((e, tid) for e in events_of.get(pid, ()))
        insert_rows(TestimonyPerson, ["testimony", "person", "relationship"], links)
        insert_rows(Event.testimonies.through, ["event", "testimony"], supports)

        stats.persons += len(pids)
        stats.names += len(name_rows)
        stats.name_keys += len(keys)
        stats.events += len(event_rows)
        stats.witnesses += len(witness_rows)
        stats.testimonies += len(testimony_rows)



def _refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load, or the planners guess from empty tables.

    Without statistics SQLite takes the index on merged_into (every row: NULL) for the person
    list and sorts 100,000 rows for each page, instead of walking the display_name index.
    A full ANALYZE takes about 3 s per 100,000 persons.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


@contextmanager
def _field_key_read_once():
    """Read the field-encryption keyring once for the whole seed.

    aigaq.core.crypto re-reads its key file for every value it encrypts (so that a running server
    sees a rotation at once); a seed encrypts a few values per person, and the file reads cost
    more than the rest of the insert. The same key, passed the documented way, for this process
    and only while seeding.
    """
    from aigaq.core import crypto

    if os.environ.get("AIGAQ_FIELD_KEY"):
        yield
        return
    path, _ = crypto.ensure_field_key()
    os.environ["AIGAQ_FIELD_KEY"] = path.read_text(encoding="ascii")
    try:
        yield
    finally:
        os.environ.pop("AIGAQ_FIELD_KEY", None)


def seed(n: int, seed: int = 1, chunk: int = 2000, progress: bool = True, stream: TextIO | None = None) -> SeedStats:
    """Add n synthetic persons (with families, events, witnesses, testimonies) to the instance."""
    started = time.monotonic()
    world, refs, created = prepare(seed)
    stats = SeedStats(facilities_created=created)
    offset = Person.objects.count()
    gen = Generator(world, seed=seed, offset=offset)
    bar = Progress(n, stream, progress)
    writer = _Writer(refs, stats)
    batch: list[FamilyRec] = []
    in_batch = 0
    with _field_key_read_once():
        for fam in gen.persons(n):
            batch.append(fam)
            in_batch += len(fam.persons)
            if in_batch >= chunk:
                with transaction.atomic():
                    writer.write(batch)
                batch, in_batch = [], 0
                bar.update(stats.persons)
        if batch:
            with transaction.atomic():
                writer.write(batch)
            bar.update(stats.persons)
    _refresh_planner_statistics()
    stats.seconds = round(time.monotonic() - started, 1)
    return stats
