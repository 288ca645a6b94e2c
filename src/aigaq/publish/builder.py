"""The static mirror: the whole portal as files, signed, rebuilt incrementally.

`build(out)` renders the portal's own templates (publish.pages, with relative links) for every
published person, facility and list, writes the open data and a client-side search index, and
signs a manifest of every file. Person pages are rendered by two forked worker processes, one
job per block of 1,000 person ids.

A state database in the data folder (not in the mirror, which must hold only what the manifest
lists) remembers each person's public-record hash, list entry, search entry and open-data rows,
the open data in blocks of 1,000 persons, every file's hash, and the names engine's
romanisations. A republish after a few changes renders only those persons, rewrites the lists,
facility pages, index shards and open-data blocks they appear in, computes the statistics by SQL
over the state, and joins the unchanged blocks as they are. A file whose bytes did not change is
never rewritten (its mtime stays), so rsync and static hosts copy only what changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from aigaq import names as names_engine
from aigaq.core.db import release_connections
from aigaq.publish import opendata, pages, site
from aigaq.publish.media import files_of
from aigaq.publish.policy import (
    POLICY_VERSION,
    Gazetteer,
    public_facilities,
    public_media,
    public_persons,
    published_persons_queryset,
)
from aigaq.publish.site import (
    Links,
    search_entry,
    shard_keys,
    static_path,
    summarise,
)

FORMAT = "aigaq-mirror/1"
CONTROL_FILES = ("manifest.json", "manifest.sig", "pubkey", "checkpoint.json")
PACKAGE = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE / "static" / "publish"


class BuildError(Exception):
    """The mirror cannot be written; the message says why."""


@dataclass
class Report:
    out: str
    full: bool
    persons: int = 0
    rendered: int = 0
    removed: int = 0
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    manifest_sha256: str = ""
    checkpoint: dict | None = None

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["written"] = len(self.written)
        d["deleted"] = len(self.deleted)
        return d


# --- files ---------------------------------------------------------------------------------


def write_if_changed(out: Path, rel: str, data: bytes, digest: str | None = None) -> tuple[str, int, bool]:
    """(sha256, size, written). Unchanged bytes are left alone (their mtime stays); new bytes
    replace an existing file atomically (temporary file, then rename). A file that does not exist
    yet is written in place: nothing is replaced, and a crash that leaves it short is repaired by
    the next build (its person or list is still due, the state not having been committed) and
    reported by mirror-verify meanwhile (the manifest, written last, does not list it yet)."""
    path = os.path.join(out, rel)
    digest = digest or hashlib.sha256(data).hexdigest()
    try:
        if os.stat(path).st_size == len(data):
            with open(path, "rb") as fh:
                if fh.read() == data:
                    return digest, len(data), False
    except FileNotFoundError:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return digest, len(data), True
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return digest, len(data), True


def render_file(rel: str, template: str, context: dict) -> bytes:
    return pages.render(template, context, Links.for_file(rel)).encode("utf-8")


# --- state ---------------------------------------------------------------------------------

# Open data is kept in the state as blocks of persons (by id): a republish after a few changes
# recomputes the blocks they fall in and joins the rest as they are.
BLOCK = 1000
OPEN_DATA_PARTS = ("persons", "names", "events", "testimonies", "json")


def state_path(out: Path) -> Path:
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return Path(settings.DATA_DIR) / "publish" / f"mirror-v4-{key}.sqlite3"


def open_state(out: Path) -> sqlite3.Connection:
    path = state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode=WAL;
        -- A cache of what the mirror holds: no fsync per build. A power cut can leave it older
        -- than OUT (whose files are not fsynced either): run `aigaq publish --full` after one.
        PRAGMA synchronous=NORMAL;
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
        -- What lists and statistics need (narrow, so that GROUP BY reads little) ...
        CREATE TABLE IF NOT EXISTS persons (id INTEGER PRIMARY KEY, uid TEXT, hash TEXT, name TEXT, level TEXT,
            status TEXT, ethnicity TEXT, year INTEGER, home_code TEXT, home_label TEXT, home_level TEXT,
            bucket TEXT);
        -- ... the person's search entry (JSON) ...
        CREATE TABLE IF NOT EXISTS search (id INTEGER PRIMARY KEY, entry TEXT);
        -- ... and the person's open-data rows, as text ready to concatenate.
        CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, csv_persons TEXT, csv_names TEXT,
            csv_events TEXT, csv_testimonies TEXT, json TEXT);
        CREATE INDEX IF NOT EXISTS persons_by_bucket ON persons (bucket);
        CREATE TABLE IF NOT EXISTS held (facility TEXT, id INTEGER, PRIMARY KEY (facility, id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS held_by_person ON held (id);
        CREATE TABLE IF NOT EXISTS shards (shard TEXT, id INTEGER, PRIMARY KEY (shard, id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS shards_by_person ON shards (id);
        CREATE TABLE IF NOT EXISTS blocks (part TEXT, block INTEGER, data BLOB, PRIMARY KEY (part, block));
        CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER);
        CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, roman TEXT);
    """)
    return db


def _meta(db: sqlite3.Connection, k: str) -> str | None:
    row = db.execute("SELECT v FROM meta WHERE k=?", (k,)).fetchone()
    return row[0] if row else None


def code_version(language: str, gaz: Gazetteer) -> str:
    """Changes when anything that shapes every page changes: policy, schema, templates, code,
    the names engine (romanisations, browse letters, search entries), the language, the gazetteer
    or the facilities. Then every page is rebuilt."""
    h = hashlib.sha256(f"{FORMAT}|{POLICY_VERSION}|{opendata.SCHEMA_VERSION}|{language}".encode())
    h.update(names_engine.engine_version().encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".mo") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    h.update(json.dumps([gaz.rows, gaz.facilities], sort_keys=True, default=str).encode())
    h.update(pages.key_facts()[0].encode())
    return h.hexdigest()


# --- persons (run in worker processes for big builds) -----------------------------------------


def _person_state(pp, text: str) -> tuple:
    """What the state keeps of a person: the columns of `persons` after id, uid and hash, the
    search entry (None for an anonymised person), the columns of `texts` after id, then the
    facilities and search-index shards the person is listed in."""
    s = summarise(pp)
    home = s["home"] or (None, None, None)
    entry = search_entry(pp)
    search = None if entry is None else json.dumps([entry["u"], entry["n"], entry["f"]], ensure_ascii=False,
                                                   separators=(",", ":"))
    rows = opendata.person_rows(pp)
    listing = (s["name"], s["level"], s["status"], s["ethnicity"] or "", s["year"], *home, s["bucket"])
    texts = (*(opendata.csv_text(rows[part]) for part in OPEN_DATA_PARTS[:4]), text)
    return listing, search, texts, tuple(s["facilities"]), tuple(sorted(shard_keys(entry))) if entry else ()


def _render_persons(args: tuple[list[int], dict[int, str], str, str, bool]) -> tuple[list[tuple], dict, list]:
    """[(id, uid, hash, state or None when the public record did not change, page path, (sha256, size))],
    the romanisations of words learned meanwhile, and, when every person is rendered (`force`), the
    open-data blocks of these persons (the ids of a job are one block)."""
    ids, old_hashes, out, language, force = args
    results = []
    site.LEARNED.clear()
    parts: dict[str, list[str]] = defaultdict(list)
    with translation.override(language):
        gaz = Gazetteer()
        media = public_media(ids)
        for pid, pp in public_persons(ids, gazetteer=gaz):
            text = opendata.person_json(pp)
            shown = media.get(pid, ())
            # The page also shows the person's published media: a file cleared or withdrawn changes it.
            seen = text + "".join(f"\n{m.filename} {m.thumbnail}" for m in shown)
            digest = hashlib.sha256(seen.encode("utf-8")).hexdigest()
            rel = static_path("person", pp.uid)
            if not force and old_hashes.get(pid) == digest:
                results.append((pid, pp.uid, digest, None, rel, None))
                continue
            html = pages.render_in_shell("_person.html", pp.display_name, pages.person(pp, shown),
                                         Links.for_file(rel))
            sha, size, _ = write_if_changed(out, rel, html.encode("utf-8"))
            state = _person_state(pp, text)
            results.append((pid, pp.uid, digest, state, rel, (sha, size)))
            if force:
                for part, part_text in zip(OPEN_DATA_PARTS, state[2], strict=True):
                    if part_text:
                        parts[part].append(part_text)
    release_connections()
    blocks = [(part, ids[0] // BLOCK, ("," if part == "json" else "").join(texts).encode("utf-8"))
              for part, texts in parts.items()]
    return results, dict(site.LEARNED), blocks


def _run_persons(ids: list[int], old_hashes: dict[int, str], out: Path, language: str, force: bool,
                 workers: int) -> Iterable[tuple[list[tuple], dict, list]]:
    by_block: dict[int, list[int]] = defaultdict(list)
    for pid in ids:
        by_block[pid // BLOCK].append(pid)
    jobs = [(part, {p: old_hashes[p] for p in part if p in old_hashes}, str(out), language, force)
            for _, part in sorted(by_block.items())]
    if workers <= 1 or len(jobs) < 2:
        for job in jobs:
            yield _render_persons(job)
        return
    release_connections()  # each forked worker opens its own connection
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        yield from pool.imap_unordered(_render_persons, jobs)


# --- the build -----------------------------------------------------------------------------


def _published_ids_now() -> set[int]:
    return _id_set(published_persons_queryset().values_list("id", flat=True))


def _id_set(queryset) -> set[int]:
    """The ids of a values_list("id") query, fetched without the ORM's per-row work (100,000 rows)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _changed_since(since: datetime) -> set[int]:
    from aigaq.publish.models import PersonChange
    from aigaq.registry.models import Person

    ids = _id_set(Person.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    ids |= _id_set(PersonChange.objects.filter(changed_at__gte=since).values_list("person_id", flat=True))
    return ids


@dataclass
class _Affected:
    """The lists, facility pages, index shards and open-data blocks that changed persons appear in."""

    buckets: set[str] = field(default_factory=set)
    facilities: set[str] = field(default_factory=set)
    shards: set[str] = field(default_factory=set)
    blocks: set[int] = field(default_factory=set)

    def note_stored(self, db: sqlite3.Connection, pid: int) -> None:
        """What a person was listed in before this build."""
        self.buckets.update(b for (b,) in db.execute("SELECT bucket FROM persons WHERE id=?", (pid,)))
        self.facilities.update(f for (f,) in db.execute("SELECT facility FROM held WHERE id=?", (pid,)))
        self.shards.update(k for (k,) in db.execute("SELECT shard FROM shards WHERE id=?", (pid,)))
        self.blocks.add(pid // BLOCK)


def build(out: Path, *, full: bool = False, language: str | None = None, workers: int = 2,
          progress: Callable[[str], None] | None = None) -> Report:
    started_clock = timezone.now()
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise BuildError(f"{out} is not empty and holds no mirror (no manifest.json): choose an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    language = language or settings.LANGUAGE_CODE
    say = progress or (lambda _m: None)
    db = open_state(out)
    gaz = Gazetteer()
    version = code_version(language, gaz)
    previous_start = _meta(db, "started")
    if full or _meta(db, "version") != version or previous_start is None or not (out / "manifest.json").exists():
        full = True
        db.execute("DELETE FROM files")
    report = Report(out=str(out), full=full)
    # Read the changes before reading the record: a change made while we build is seen next time.
    published = _published_ids_now()
    known = dict(db.execute("SELECT id, hash FROM persons"))
    removed = set(known) - published
    if full:
        candidates = sorted(published)
        # Every person is rendered again and listed afresh.
        db.execute("DELETE FROM held")
        db.execute("DELETE FROM shards")
        db.execute("DELETE FROM search")
        db.execute("DELETE FROM blocks")
        db.execute("DELETE FROM words")  # the names engine may have changed: learn afresh
    else:
        site.ROMAN.update(db.execute("SELECT word, roman FROM words"))
        since = datetime.fromisoformat(previous_start)
        candidates = sorted((published - set(known)) | (_changed_since(since) & published))
    say(f"{len(candidates)} persons to check, {len(removed)} to remove")

    files: dict[str, tuple[str, int]] = {p: (s, n) for p, s, n in db.execute("SELECT path, sha256, size FROM files")}
    written: list[str] = []
    dirty: set[str] = set()  # paths whose manifest entry changed
    affected = _Affected()

    def put(rel: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if files.get(rel) == (digest, len(data)) and _size(out, rel) == len(data):
            return  # the state vouches for these bytes (a tampered mirror is repaired by --full)
        sha, size, did = write_if_changed(out, rel, data, digest)
        if files.get(rel) != (sha, size):
            dirty.add(rel)
        files[rel] = (sha, size)
        if did:
            written.append(rel)

    def put_parts(rel: str, parts: list[bytes]) -> None:
        """put() for a file given in pieces (the open data: hundreds of megabytes)."""
        h = hashlib.sha256()
        for piece in parts:
            h.update(piece)
        entry = (h.hexdigest(), sum(map(len, parts)))
        if _size(out, rel) == entry[1] and (files.get(rel) == entry or _file_sha256(out, rel) == entry[0]):
            files[rel] = entry  # unchanged: vouched for by the state, or checked against the file
            return
        _write_parts(out, rel, parts)
        dirty.add(rel)
        files[rel] = entry
        written.append(rel)

    changed = 0
    for results, learned, blocks in _run_persons(candidates, known, out, language, full, workers if len(candidates) > 4000 else 1):
        rows, entries, texts, held, shards = [], [], [], [], []
        db.executemany("INSERT OR REPLACE INTO words VALUES (?,?)", learned.items())
        for pid, uid, digest, state, rel, filemeta in results:
            if state is None:  # the public record did not change
                continue
            changed += 1
            listing, entry, person_texts, facilities, keys = state
            if not full:
                affected.note_stored(db, pid)
                for table in ("held", "shards", "search"):
                    db.execute(f"DELETE FROM {table} WHERE id=?", (pid,))
                affected.buckets.add(listing[-1])
                affected.facilities.update(facilities)
                affected.shards.update(keys)
            rows.append((pid, uid, digest, *listing))
            texts.append((pid, *person_texts))
            if entry is not None:
                entries.append((pid, entry))
            held.extend((f, pid) for f in facilities)
            shards.extend((k, pid) for k in keys)
            files[rel] = filemeta
            dirty.add(rel)
            written.append(rel)
        db.executemany(f"INSERT OR REPLACE INTO persons VALUES ({','.join('?' * 12)})", rows)
        db.executemany(f"INSERT OR REPLACE INTO texts VALUES ({','.join('?' * 6)})", texts)
        db.executemany("INSERT OR REPLACE INTO search VALUES (?,?)", entries)
        db.executemany("INSERT INTO blocks VALUES (?,?,?)", blocks)
        db.executemany("INSERT INTO held VALUES (?,?)", held)
        db.executemany("INSERT INTO shards VALUES (?,?)", shards)
    release_connections()
    _sync_media(out, files, dirty, written, report, say)
    # Persons published before and not now (set internal, merged, deleted): pages go.
    for pid in sorted(removed):
        affected.note_stored(db, pid)
        uid = db.execute("SELECT uid FROM persons WHERE id=?", (pid,)).fetchone()[0]
        rel = static_path("person", uid)
        (out / rel).unlink(missing_ok=True)
        files.pop(rel, None)
        report.deleted.append(rel)
        for table in ("persons", "texts", "search", "held", "shards"):
            db.execute(f"DELETE FROM {table} WHERE id=?", (pid,))
    report.rendered, report.removed = changed, len(removed)
    say(f"{changed} person pages rendered, {len(removed)} removed")

    if full or changed or removed:
        with translation.override(language):
            _write_aggregates(db, out, put, put_parts, gaz, full, affected, files, report)
    if full:
        # Anything in the folder that this build did not produce is stale: remove it.
        for folder, _dirs, names in os.walk(out):
            for name in sorted(names):
                rel = os.path.relpath(os.path.join(folder, name), out).replace(os.sep, "/")
                if rel not in files and rel not in CONTROL_FILES:
                    os.unlink(os.path.join(folder, name))
                    report.deleted.append(rel)
    report.persons = db.execute("SELECT count(*) FROM persons").fetchone()[0]
    report.written = written
    if full or dirty or report.deleted:
        _sign(db, out, files, report)
        # Only the manifest entries that changed are rewritten in the state.
        db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in report.deleted])
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?)", [(p, *files[p]) for p in sorted(dirty) if p in files])
    else:
        report.manifest_sha256 = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('started', ?)", (started_clock.isoformat(),))
    db.commit()
    db.close()
    report.files = len(files)
    report.seconds = round((timezone.now() - started_clock).total_seconds(), 2)
    return report


def _sync_media(out: Path, files: dict, dirty: set[str], written: list[str], report: Report,
                say: Callable[[str], None]) -> None:
    """media/: exactly the files policy.public_media publishes, copied from the vault and checked
    against their SHA-256 on the way (a damaged original never reaches a mirror). A file published
    for the first time is a custody event."""
    from aigaq.ledger import log as ledger
    from aigaq.ledger.models import Entry, EventKind
    from aigaq.vault.storage import get_storage

    wanted = {f"media/{name}": sha for media_list in public_media().values() for name, sha in files_of(media_list)}
    for rel in sorted(r for r in files if r.startswith("media/") and r not in wanted):
        (out / rel).unlink(missing_ok=True)
        files.pop(rel)
        report.deleted.append(rel)
    storage = get_storage()
    copied: list[tuple[str, str]] = []
    for rel, sha in sorted(wanted.items()):
        size = storage.size(sha)
        if files.get(rel) == (sha, size) and _size(out, rel) == size:
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        h = hashlib.sha256()
        with storage.open(sha) as src, open(tmp, "wb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                dst.write(chunk)
        if h.hexdigest() != sha:
            tmp.unlink()
            raise BuildError(f"evidence item {sha} does not match its SHA-256 in the vault: run aigaq verify")
        os.replace(tmp, target)
        copied.append((sha, rel))
        files[rel] = (sha, size)
        dirty.add(rel)
        written.append(rel)
    logged = set(Entry.objects.filter(kind=EventKind.PUBLISHED, subject__in=[s for s, _ in copied])
                 .values_list("subject", flat=True))
    for sha, rel in copied:
        if sha not in logged:  # the first publication of a file, in any mirror
            ledger.append(EventKind.PUBLISHED, sha, {"mirror_file": rel})
    if wanted:
        say(f"{len(wanted)} media files published ({len(copied)} copied)")


def _file_sha256(out: Path, rel: str) -> str:
    h = hashlib.sha256()
    with open(os.path.join(out, rel), "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _write_parts(out: Path, rel: str, parts: list[bytes]) -> None:
    """Write a file from pieces: a temporary file, then a rename over the old one."""
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.writelines(parts)
    os.replace(tmp, path)


def _size(out: Path, rel: str) -> int:
    try:
        return os.stat(os.path.join(out, rel)).st_size
    except FileNotFoundError:
        return -1


def _statistics(db: sqlite3.Connection) -> dict:
    """site.statistics() over the state, by SQL: the same counts without loading every summary."""
    by: dict[str, Counter] = defaultdict(Counter)
    for ethnicity, status, year, level, home, n in db.execute(
        "SELECT ethnicity, status, year, level, coalesce(home_code, ''), count(*) FROM persons GROUP BY 1, 2, 3, 4, 5"
    ):
        by["ethnicity"][ethnicity] += n
        by["status"][status] += n
        by["year"][year] += n
        by["level"][level] += n
        by["home"][home] += n
    by["facility"].update(dict(db.execute("SELECT facility, count(*) FROM held GROUP BY facility")))
    home_labels = {code: (label, level) for code, label, level in db.execute(
        "SELECT home_code, home_label, home_level FROM persons WHERE home_code IS NOT NULL GROUP BY home_code")}
    total = sum(by["level"].values())
    return {"total": total, "by": by, "home_labels": home_labels}


def _write_aggregates(db, out: Path, put, put_parts, gaz: Gazetteer, full: bool, affected: _Affected, files: dict,
                      report: Report) -> None:
    counts = dict(db.execute("SELECT bucket, count(*) FROM persons GROUP BY bucket"))
    held_counts = dict(db.execute("SELECT facility, count(*) FROM held GROUP BY facility"))
    facilities = public_facilities(gaz, counts=held_counts)
    put("index.html", render_file("index.html", "home.html", pages.home(sum(counts.values()))))
    put("search.html", render_file("search.html", "search.html", {"q": ""}))
    put("persons/index.html", render_file("persons/index.html", "persons.html", pages.persons(counts)))
    for b in sorted(set(counts) if full else affected.buckets):
        rel = static_path("bucket", b)
        if b in counts:
            rows = [{"uid": u, "name": n, "level": lv, "status": st, "year": y} for u, n, lv, st, y in db.execute(
                "SELECT uid, name, level, status, year FROM persons WHERE bucket=? ORDER BY id", (b,))]
            put(rel, render_file(rel, "bucket.html", pages.bucket(b, rows, Links.for_file(rel))))
        elif rel in files:
            (out / rel).unlink(missing_ok=True)
            files.pop(rel)
            report.deleted.append(rel)
    put("facilities/index.html", render_file("facilities/index.html", "facilities.html", pages.facilities(facilities)))
    for f in facilities:
        if full or f.uid in affected.facilities:
            rel = static_path("facility", f.uid)
            held = db.execute("SELECT p.uid, p.name FROM held h JOIN persons p ON p.id = h.id WHERE h.facility=? "
                              "ORDER BY p.id", (f.uid,)).fetchall()
            persons = tuple(sorted(held, key=lambda v: v[1].casefold()))
            put(rel, render_file(rel, "facility.html", pages.facility(replace(f, persons=persons), Links.for_file(rel))))
    names = {f.uid: f.name for f in facilities}
    put("statistics.html", render_file("statistics.html", "statistics.html", pages.statistics(_statistics(db), names)))
    put("map.html", render_file("map.html", "map.html", pages.map_page(facilities, Links.for_file("map.html"))))
    put("open-data/index.html", render_file("open-data/index.html", "open_data.html", pages.open_data()))
    put("about.html", render_file("about.html", "about.html", pages.about()))
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            put(f"static/publish/{path.relative_to(STATIC_DIR).as_posix()}", path.read_bytes())
    _write_search_index(db, put, full, affected.shards, files, out, report)
    _write_open_data(db, put, put_parts, facilities, full, affected.blocks)


def _write_search_index(db, put, full: bool, shards: set[str], files: dict, out: Path, report: Report) -> None:
    """One JS file per shard, loaded with <script> so that search works from file:// too. Each
    person's entry is kept in the state as JSON text: a shard is their concatenation."""
    wanted = {k for (k,) in db.execute("SELECT DISTINCT shard FROM shards")} if full else shards
    for key in sorted(wanted):
        rel = f"static/publish/search/{key}.js"
        entries = [t for (t,) in db.execute(
            "SELECT e.entry FROM shards s JOIN search e ON e.id = s.id WHERE s.shard = ? ORDER BY s.id", (key,))]
        if entries:
            put(rel, f'(window.AIGAQ_INDEX=window.AIGAQ_INDEX||{{}})["{key}"]=[{",".join(entries)}];\n'.encode())
        elif rel in files:
            (out / rel).unlink(missing_ok=True)
            files.pop(rel)
            report.deleted.append(rel)


def _update_blocks(db, blocks: set[int]) -> None:
    """Recompute the open-data blocks of the persons that changed. (A full build's workers hand in
    every block as they render it.)"""
    db.executemany("DELETE FROM blocks WHERE block=?", [(b,) for b in sorted(blocks)])
    for b in sorted(blocks):
        where = f"WHERE id >= {int(b * BLOCK)} AND id < {int((b + 1) * BLOCK)}"
        parts: dict[tuple[str, int], list[str]] = defaultdict(list)
        for pid, *texts in db.execute(f"SELECT id, {', '.join(_PART_COLUMNS)} FROM texts {where} ORDER BY id"):
            for part, text in zip(OPEN_DATA_PARTS, texts, strict=True):
                if text:
                    parts[(part, pid // BLOCK)].append(text)
        db.executemany("INSERT INTO blocks VALUES (?,?,?)",
                       [(part, block, ("," if part == "json" else "").join(texts).encode("utf-8"))
                        for (part, block), texts in parts.items()])


_PART_COLUMNS = ("csv_persons", "csv_names", "csv_events", "csv_testimonies", "json")


def _write_open_data(db, put, put_parts, facilities, full: bool, blocks: set[int]) -> None:
    """A CSV file is its header and the concatenation of its blocks; persons.json likewise. The
    big files are hashed and written block by block, never joined into one string."""
    if not full:
        _update_blocks(db, blocks)

    def stored(part: str) -> list[bytes]:
        return [d for (d,) in db.execute("SELECT data FROM blocks WHERE part=? ORDER BY block", (part,))]

    for r in opendata.RESOURCES:
        if r.name == "facilities":
            data = "".join(opendata.csv_chunks("facilities", (opendata.facility_row(f) for f in facilities)))
            put(f"open-data/{r.path}", data.encode("utf-8"))
        else:
            put_parts(f"open-data/{r.path}", [next(opendata.csv_chunks(r.name, ())).encode("utf-8"), *stored(r.name)])
    head, tail = "".join(opendata.json_chunks(())).split("]}", 1)
    body: list[bytes] = [head.encode("utf-8")]
    for i, data in enumerate(stored("json")):
        body.extend((b",", data) if i else (data,))
    body.append(("]}" + tail).encode("utf-8"))
    put_parts(f"open-data/{opendata.JSON_PATH}", body)
    put("open-data/datapackage.json", opendata.datapackage_text().encode("utf-8"))


# --- signing -------------------------------------------------------------------------------


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _sign(db, out: Path, files: dict[str, tuple[str, int]], report: Report) -> None:
    from aigaq.core.keys import load_instance_key, public_key_b64

    listing = [{"path": p, "sha256": s, "size": n} for p, (s, n) in sorted(files.items())]
    listing_json = canonical(listing)
    content_digest = hashlib.sha256(listing_json).hexdigest()
    if _meta(db, "content_digest") == content_digest and all((out / f).exists() for f in CONTROL_FILES):
        report.manifest_sha256 = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
        return  # nothing changed: the signed manifest stands
    checkpoint = _ledger_checkpoint(content_digest, len(listing))
    manifest = {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "public_key": public_key_b64(),
        "fingerprint": pages.key_facts()[0],
        "content_sha256": content_digest,
        "checkpoint": checkpoint,
        "files": "AIGAQFILES",
    }
    # canonical(manifest) with the listing encoded once (100,000 entries): the same bytes.
    data = canonical(manifest).replace(b'"AIGAQFILES"', listing_json, 1)
    signature = base64.b64encode(load_instance_key().sign(data)).decode("ascii")
    write_if_changed(out, "manifest.json", data)
    write_if_changed(out, "manifest.sig", (signature + "\n").encode("ascii"))
    write_if_changed(out, "pubkey", (public_key_b64() + "\n").encode("ascii"))
    write_if_changed(out, "checkpoint.json", canonical(checkpoint) + b"\n")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('content_digest', ?)", (content_digest,))
    report.manifest_sha256 = hashlib.sha256(data).hexdigest()
    report.checkpoint = checkpoint


def _ledger_checkpoint(content_digest: str, files: int) -> dict | None:
    """Record the publication in the custody ledger and return the signed checkpoint that covers it."""
    try:
        from aigaq.ledger import log
    except ImportError:  # an instance without the ledger still signs its manifest
        return None
    log.append("mirror.published", subject=f"sha256:{content_digest}", data={"files": files})
    return log.checkpoint().as_dict()


def copy_tree(src: Path, dst: Path) -> None:
    """Used by tests and operators: a mirror is just files."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
