"""The static mirror: the whole portal as files, signed, rebuilt incrementally.

`build(out)` renders the portal's own templates (publish.pages, with relative links) for every
published person, facility and list, writes the open data and a client-side search index, and
signs a manifest of every file. A state database in the data folder (not in the mirror, which
must hold only what the manifest lists) remembers each person's public-record hash, summary,
search entry and open-data rows, so a republish after a few changes renders only those persons
and the lists, statistics and index shards they appear in. A file whose bytes did not change is
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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from aigaq.core.db import release_connections
from aigaq.publish import opendata, pages
from aigaq.publish.policy import (
    POLICY_VERSION,
    Gazetteer,
    public_facilities,
    public_persons,
    published_persons_queryset,
)
from aigaq.publish.site import (
    Links,
    search_entry,
    shard_keys,
    static_path,
    statistics,
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


def write_if_changed(out: Path, rel: str, data: bytes) -> tuple[str, int, bool]:
    """(sha256, size, written). Unchanged bytes are left alone; new bytes replace the file atomically."""
    path = out / rel
    digest = hashlib.sha256(data).hexdigest()
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return digest, len(data), False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return digest, len(data), True


def render_file(rel: str, template: str, context: dict) -> bytes:
    return pages.render(template, context, Links.for_file(rel)).encode("utf-8")


# --- state ---------------------------------------------------------------------------------


def state_path(out: Path) -> Path:
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return Path(settings.DATA_DIR) / "publish" / f"mirror-v2-{key}.sqlite3"


def open_state(out: Path) -> sqlite3.Connection:
    path = state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
        CREATE TABLE IF NOT EXISTS persons (id INTEGER PRIMARY KEY, uid TEXT, hash TEXT, summary TEXT,
            search TEXT, csv_persons TEXT, csv_names TEXT, csv_events TEXT, csv_testimonies TEXT, json TEXT);
        CREATE TABLE IF NOT EXISTS shards (shard TEXT, id INTEGER, PRIMARY KEY (shard, id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS shards_by_person ON shards (id);
        CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER);
    """)
    return db


def _meta(db: sqlite3.Connection, k: str) -> str | None:
    row = db.execute("SELECT v FROM meta WHERE k=?", (k,)).fetchone()
    return row[0] if row else None


def code_version(language: str, gaz: Gazetteer) -> str:
    """Changes when anything that shapes every page changes: policy, schema, templates, code,
    the language, the gazetteer or the facilities. Then every page is rebuilt."""
    h = hashlib.sha256(f"{FORMAT}|{POLICY_VERSION}|{opendata.SCHEMA_VERSION}|{language}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".mo") and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    h.update(json.dumps([gaz.rows, gaz.facilities], sort_keys=True, default=str).encode())
    h.update(pages.key_facts()[0].encode())
    return h.hexdigest()


# --- persons (run in worker processes for big builds) -----------------------------------------


def _render_persons(args: tuple[list[int], dict[int, str], str, str, bool]) -> list[tuple]:
    ids, old_hashes, out, language, force = args
    outp = Path(out)
    results = []
    with translation.override(language):
        gaz = Gazetteer()
        for pid, pp in public_persons(ids, gazetteer=gaz):
            text = opendata.person_json(pp)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            rel = static_path("person", pp.uid)
            if not force and old_hashes.get(pid) == digest:
                results.append((pid, pp.uid, digest, None, None, None, None, rel, None))
                continue
            html = pages.render_in_shell("_person.html", pp.display_name, pages.person(pp), Links.for_file(rel))
            sha, size, _ = write_if_changed(outp, rel, html.encode("utf-8"))
            results.append((
                pid, pp.uid, digest,
                json.dumps(summarise(pp), ensure_ascii=False),
                json.dumps(search_entry(pp), ensure_ascii=False),
                {k: opendata.csv_text(v) for k, v in opendata.person_rows(pp).items()},
                text, rel, (sha, size),
            ))
    release_connections()
    return results


def _run_persons(ids: list[int], old_hashes: dict[int, str], out: Path, language: str, force: bool,
                 workers: int) -> Iterable[tuple]:
    step = 2000
    jobs = [(ids[i : i + step], {p: old_hashes[p] for p in ids[i : i + step] if p in old_hashes},
             str(out), language, force) for i in range(0, len(ids), step)]
    if workers <= 1 or len(jobs) < 2:
        for job in jobs:
            yield from _render_persons(job)
        return
    release_connections()  # each forked worker opens its own connection
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        for chunk in pool.imap_unordered(_render_persons, jobs):
            yield from chunk


# --- the build -----------------------------------------------------------------------------


def _published_ids_now() -> set[int]:
    return set(published_persons_queryset().values_list("id", flat=True))


def _changed_since(since: datetime) -> set[int]:
    from aigaq.publish.models import PersonChange
    from aigaq.registry.models import Person

    ids = set(Person.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    ids |= set(PersonChange.objects.filter(changed_at__gte=since).values_list("person_id", flat=True))
    return ids


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
    else:
        since = datetime.fromisoformat(previous_start)
        candidates = sorted((published - set(known)) | (_changed_since(since) & published))
    say(f"{len(candidates)} persons to check, {len(removed)} to remove")

    files: dict[str, tuple[str, int]] = {p: (s, n) for p, s, n in db.execute("SELECT path, sha256, size FROM files")}
    written: list[str] = []
    dirty: set[str] = set()  # paths whose manifest entry changed

    def put(rel: str, data: bytes) -> None:
        sha, size, did = write_if_changed(out, rel, data)
        if files.get(rel) != (sha, size):
            dirty.add(rel)
        files[rel] = (sha, size)
        if did:
            written.append(rel)

    # Old summaries and search entries of persons that change: their lists and shards change too.
    affected_buckets: set[str] = set()
    affected_facilities: set[str] = set()
    affected_shards: set[str] = set()

    def note_old(pid: int) -> None:
        row = db.execute("SELECT summary, search FROM persons WHERE id=?", (pid,)).fetchone()
        if row and row[0]:
            s = json.loads(row[0])
            affected_buckets.add(s["bucket"])
            affected_facilities.update(s["facilities"])
        if row and row[1] and row[1] != "null":
            affected_shards.update(shard_keys(json.loads(row[1])))

    changed = 0
    for pid, uid, digest, summary, search, rows, text, rel, filemeta in _run_persons(
        candidates, known, out, language, full, workers if len(candidates) > 4000 else 1
    ):
        if summary is None:  # the public record did not change
            continue
        changed += 1
        if not full:
            note_old(pid)
        s = json.loads(summary)
        affected_buckets.add(s["bucket"])
        affected_facilities.update(s["facilities"])
        if search != "null":
            affected_shards.update(shard_keys(json.loads(search)))
        db.execute("INSERT OR REPLACE INTO persons VALUES (?,?,?,?,?,?,?,?,?,?)",
                   (pid, uid, digest, summary, search, rows["persons"], rows["names"], rows["events"],
                    rows["testimonies"], text))
        db.execute("DELETE FROM shards WHERE id=?", (pid,))
        if search != "null":
            db.executemany("INSERT INTO shards VALUES (?,?)", [(k, pid) for k in shard_keys(json.loads(search))])
        files[rel] = filemeta
        dirty.add(rel)
        written.append(rel)
    release_connections()
    # Persons published before and not now (set internal, merged, deleted): pages go.
    for pid in sorted(removed):
        note_old(pid)
        uid = db.execute("SELECT uid FROM persons WHERE id=?", (pid,)).fetchone()[0]
        rel = static_path("person", uid)
        (out / rel).unlink(missing_ok=True)
        files.pop(rel, None)
        report.deleted.append(rel)
        db.execute("DELETE FROM persons WHERE id=?", (pid,))
        db.execute("DELETE FROM shards WHERE id=?", (pid,))
    report.rendered, report.removed = changed, len(removed)
    say(f"{changed} person pages rendered, {len(removed)} removed")

    if full or changed or removed:
        with translation.override(language):
            _write_aggregates(db, out, put, gaz, full, affected_buckets, affected_facilities, affected_shards, files,
                              report)
    if full:
        # Anything in the folder that this build did not produce is stale: remove it.
        for path in sorted(out.rglob("*")):
            rel = path.relative_to(out).as_posix()
            if path.is_file() and rel not in files and rel not in CONTROL_FILES:
                path.unlink()
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


def _summaries(db: sqlite3.Connection) -> list[dict]:
    return [json.loads(s) for (s,) in db.execute("SELECT summary FROM persons ORDER BY id")]


def _write_aggregates(db, out: Path, put, gaz: Gazetteer, full: bool, buckets: set[str], facility_uids: set[str],
                      shards: set[str], files: dict, report: Report) -> None:
    summaries = _summaries(db)
    by_bucket: dict[str, list[dict]] = defaultdict(list)
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in summaries:
        by_bucket[s["bucket"]].append(s)
        for f in s["facilities"]:
            held[f].append((s["uid"], s["name"]))
    facilities = public_facilities(gaz, counts={f: len(v) for f, v in held.items()})
    counts = {b: len(rows) for b, rows in by_bucket.items()}
    put("index.html", render_file("index.html", "home.html", pages.home(len(summaries))))
    put("search.html", render_file("search.html", "search.html", {"q": ""}))
    put("persons/index.html", render_file("persons/index.html", "persons.html", pages.persons(counts)))
    for b in sorted(set(by_bucket) if full else buckets):
        rel = static_path("bucket", b)
        if b in by_bucket:
            put(rel, render_file(rel, "bucket.html", pages.bucket(b, by_bucket[b], Links.for_file(rel))))
        elif rel in files:
            (out / rel).unlink(missing_ok=True)
            files.pop(rel)
            report.deleted.append(rel)
    put("facilities/index.html", render_file("facilities/index.html", "facilities.html", pages.facilities(facilities)))
    for f in facilities:
        if full or f.uid in facility_uids:
            from dataclasses import replace

            rel = static_path("facility", f.uid)
            persons = tuple(sorted(held.get(f.uid, []), key=lambda v: v[1].casefold()))
            put(rel, render_file(rel, "facility.html", pages.facility(replace(f, persons=persons), Links.for_file(rel))))
    names = {f.uid: f.name for f in facilities}
    put("statistics.html", render_file("statistics.html", "statistics.html",
                                       pages.statistics(statistics(summaries), names)))
    put("map.html", render_file("map.html", "map.html", pages.map_page(facilities, Links.for_file("map.html"))))
    put("open-data/index.html", render_file("open-data/index.html", "open_data.html", pages.open_data()))
    put("about.html", render_file("about.html", "about.html", pages.about()))
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            put(f"static/publish/{path.relative_to(STATIC_DIR).as_posix()}", path.read_bytes())
    _write_search_index(db, put, full, shards, files, out, report)
    _write_open_data(db, put, facilities)


def _write_search_index(db, put, full: bool, shards: set[str], files: dict, out: Path, report: Report) -> None:
    """One JS file per shard, loaded with <script> so that search works from file:// too."""
    wanted = {k for (k,) in db.execute("SELECT DISTINCT shard FROM shards")} if full else shards
    for key in sorted(wanted):
        rel = f"static/publish/search/{key}.js"
        entries = [json.loads(t) for (t,) in db.execute(
            "SELECT p.search FROM shards s JOIN persons p ON p.id = s.id WHERE s.shard = ? ORDER BY p.id", (key,))]
        if entries:
            body = json.dumps([[e["u"], e["n"], e["f"]] for e in entries], ensure_ascii=False, separators=(",", ":"))
            put(rel, f'(window.AIGAQ_INDEX=window.AIGAQ_INDEX||{{}})["{key}"]={body};\n'.encode())
        elif rel in files:
            (out / rel).unlink(missing_ok=True)
            files.pop(rel)
            report.deleted.append(rel)


def _write_open_data(db, put, facilities) -> None:
    """Each person's CSV lines are kept in the state: a file is its header and their concatenation."""
    for r in opendata.RESOURCES:
        if r.name == "facilities":
            data = "".join(opendata.csv_chunks("facilities", (opendata.facility_row(f) for f in facilities)))
        else:
            header = next(opendata.csv_chunks(r.name, ()))
            data = header + "".join(t for (t,) in db.execute(f"SELECT csv_{r.name} FROM persons ORDER BY id"))
        put(f"open-data/{r.path}", data.encode("utf-8"))
    persons_json = "".join(opendata.json_chunks(t for (t,) in db.execute("SELECT json FROM persons ORDER BY id")))
    put(f"open-data/{opendata.JSON_PATH}", persons_json.encode("utf-8"))
    put("open-data/datapackage.json", opendata.datapackage_text().encode("utf-8"))


# --- signing -------------------------------------------------------------------------------


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _sign(db, out: Path, files: dict[str, tuple[str, int]], report: Report) -> None:
    from aigaq.core.keys import load_instance_key, public_key_b64

    listing = [{"path": p, "sha256": s, "size": n} for p, (s, n) in sorted(files.items())]
    content_digest = hashlib.sha256(canonical(listing)).hexdigest()
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
        "files": listing,
    }
    data = canonical(manifest)
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
