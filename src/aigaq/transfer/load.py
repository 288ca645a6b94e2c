"""Take a spreadsheet in: read, check every row, write in bulk, propose matches for review.

All or nothing by default: the rows are written inside one transaction as they are checked,
and the first row with a problem stops the writing (checking goes on, so the report lists
every problem) and rolls the whole file back. With only_valid the rows with problems are left
out and the rest are kept. A dry run writes nothing and reports the same.

Rows are written with executemany (core.bulk) and NameKey rows are computed with
registry.search.name_keys, exactly as registry.record.add_name would, but without a round trip
per row. On a large file the two cores share the work: a forked process reads, checks and
prepares the rows (validation, status, name keys) while this one writes them, one batch behind
(100,000 rows well under a minute, bench/import_bench.py). The report is the same either way.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import resource
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

from django.db import connection, transaction
from django.utils import timezone

from aigaq.core.bulk import BulkInsert, insert_rows, new_uid
from aigaq.registry.models import Event, Facility, NameKey, Person, PersonName, Source
from aigaq.registry.status import derive
from aigaq.transfer import dedup
from aigaq.transfer import mapping as mapping_mod
from aigaq.transfer.models import ImportBatch, ImportedRow
from aigaq.transfer.readers import ReadError, Table, open_table
from aigaq.transfer.validate import Issue, PersonRow, RowChecker

CHUNK = 2000  # rows per batch: checked, handed over and written together
FORK_MIN_BYTES = 1_000_000  # smaller files are checked in this process (a fork costs more)
MAX_ISSUES = 1000  # listed one by one; beyond that only counted (per column)


class ImportFailed(Exception):
    """The file cannot be imported at all (unreadable, no usable mapping)."""


@dataclass
class Report:
    file: str
    sha256: str = ""
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)
    mapping_from: str = ""  # "guessed" | "remembered" | "given"
    rows: int = 0
    empty_rows: int = 0
    valid: int = 0
    invalid: int = 0
    issues: list[Issue] = field(default_factory=list)
    issues_total: int = 0
    issues_by_column: dict[str, int] = field(default_factory=dict)
    persons: int = 0
    names: int = 0
    events: int = 0
    facilities_created: list[str] = field(default_factory=list)
    matches: list[dict] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    only_valid: bool = False
    batch: int | None = None
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["issues"] = [i.as_dict() for i in self.issues]
        return d

    @property
    def ok(self) -> bool:
        return self.invalid == 0 or self.only_valid


class Progress:
    """A bar on stderr, redrawn in place on a terminal, every 10 % otherwise."""

    def __init__(self, name: str, stream: TextIO | None, enabled: bool):
        self.name, self.stream, self.enabled = name, stream or sys.stderr, enabled
        self.tty = self.stream.isatty()
        self.start, self.last = time.monotonic(), -1

    def update(self, fraction: float, rows: int, final: bool = False) -> None:
        if not self.enabled:
            return
        pct = min(100, int(fraction * 100))
        if not final and (pct == self.last or (not self.tty and pct // 10 == self.last // 10)):
            return
        self.last = pct
        bar = "#" * (pct // 4) + "." * (25 - pct // 4)
        rate = rows / max(time.monotonic() - self.start, 1e-6)
        line = f"import {self.name}: [{bar}] {pct:3d}% {rows:,} rows, {rate:,.0f}/s"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _display_name(names: list[str]) -> str:
    from aigaq import names as names_engine

    for script in ("Cyrl", "Latn", "Arab", "Hans"):
        for n in names:
            if names_engine.detect_script(n) == script:
                return n
    return names[0]


@contextmanager
def keyring_read_once():
    """Read the field-encryption keyring once for the whole import (aigaq.core.crypto reads the
    key file for every value it encrypts; an import encrypts a value per person)."""
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


class _Rollback(Exception):
    pass


class Ready(NamedTuple):
    """A valid row as the writer takes it: prepared on the checking side, ids filled in on write."""

    row: int
    names: list[str]
    scripts: list[str]
    person: tuple  # Person values in column order (bulk.BulkInsert.prepare)
    events: list[tuple[tuple, str]]  # (Event values, person and facility left empty; facility name)


@dataclass
class Batch:
    """What the checking side hands the writing side: counts, problems and the valid rows."""

    rows: int = 0  # rows with content read
    empty: int = 0
    invalid: int = 0
    issues: list[Issue] = field(default_factory=list)  # at most MAX_ISSUES over the whole file
    issues_total: int = 0
    issues_by_column: dict[str, int] = field(default_factory=dict)
    valid: list = field(default_factory=list)  # Ready when preparing, else PersonRow
    keys: dict[str, str] = field(default_factory=dict)  # name keys of forms not sent before (packed)
    matches: list[dict] = field(default_factory=list)  # possible duplicates (dedup.Finder.matches)
    fraction: float = 0.0


class _Tables:
    """The INSERT statements of one import, made before a checking process is forked."""

    def __init__(self):
        now = timezone.now()
        self.persons = BulkInsert(Person, now)
        self.names = BulkInsert(PersonName, now)
        self.events = BulkInsert(Event, now)
        self.person_uid = self.persons.position["uid"]
        self.event_person = self.events.position["person_id"]
        self.event_facility = self.events.position["facility_id"]


class _Checking:
    """Reads the file and checks every row; prepares the valid rows for the writer; runs the
    duplicate check when given a finder.

    It writes nothing and reads the database only through the finder (the gazetteer is read
    before): it runs in this process for small files and in a forked process for large ones
    while this one writes (_forked). Once a row has a problem in an all-or-nothing import it
    only checks: nothing will be kept.
    """

    def __init__(self, table: Table, checker: RowChecker, tables: _Tables | None, *, keys: bool,
                 only_valid: bool, preview: int = 0, finder: dedup.Finder | None = None):
        self.table, self.checker, self.tables = table, checker, tables
        self.keys, self.only_valid, self.preview, self.finder = keys, only_valid, preview, finder
        self.preparing = tables is not None
        self.sent: set[str] = set()
        self.issues_sent = self.read = 0
        checker.load_places()

    def batches(self) -> Iterator[Batch]:
        b = Batch()
        for n, cells in self.table.rows():
            if not any(str(c).strip() for c in cells):
                b.empty += 1
                continue
            b.rows += 1
            self.read += 1
            person, issues = self.checker.check(n, cells)
            if issues:
                b.invalid += 1
                b.issues_total += len(issues)
                for i in issues:
                    b.issues_by_column[i.column] = b.issues_by_column.get(i.column, 0) + 1
                    if self.issues_sent < MAX_ISSUES:
                        b.issues.append(i)
                        self.issues_sent += 1
                if not self.only_valid:
                    self.preparing = False
            else:
                b.valid.append(self._ready(person) if self.preparing else person)
            if self.preview and self.read >= self.preview:
                break
            if b.rows >= CHUNK:
                yield self._finish(b, self.table.fraction_read())
                b = Batch()
        yield self._finish(b, 1.0)

    def _finish(self, b: Batch, fraction: float) -> Batch:
        b.fraction = fraction
        if self.keys:
            if len(self.sent) > dedup.KEYS_MAX:
                self.sent.clear()  # the writer computes what it no longer holds
            for item in b.valid:
                for text in item.names:
                    if text not in self.sent:
                        self.sent.add(text)
                        b.keys[text] = dedup.packed_keys(text)
        # Matching is for rows that will be written (or a dry run's report).
        if self.finder and b.valid and (self.preparing or self.tables is None):
            b.matches = self.finder.matches(b.valid)
        return b

    def _ready(self, r: PersonRow) -> Ready:
        from aigaq import names as names_engine

        t = self.tables
        d = derive(_EventView(e) for e in r.events)
        person = t.persons.prepare({
            "uid": new_uid(), "display_name": _display_name(r.names), **r.fields,
            "status": str(d.status), "status_since": d.since, "detention_year": d.detention_year,
        })
        events = [(t.events.prepare({
            "uid": new_uid(), "type": e.type, "date_start": e.date.start if e.date else None,
            "date_end": e.date.end if e.date else None, "date_precision": e.date.precision if e.date else "day",
            "place_id": e.place_id, "sentence_months": e.sentence_months, "charge": e.charge,
            "description": e.description,
        }), e.facility) for e in r.events]
        return Ready(r.row, r.names, [names_engine.detect_script(x) for x in r.names], person, events)


def _checking_process(checking: _Checking, conn) -> None:
    """The forked side: batches down the pipe, then "done" (or what went wrong)."""
    try:
        for b in checking.batches():
            conn.send(("batch", b))
        conn.send(("done", None))
    except ReadError as exc:
        conn.send(("unreadable", str(exc)))
    except BaseException:  # noqa: BLE001 - reported to the writer, which rolls back
        import traceback

        conn.send(("failed", traceback.format_exc(limit=5)))
    finally:
        conn.close()
        if checking.finder and hasattr(checking.finder.query, "close"):
            checking.finder.query.close()


def _forked(checking: _Checking) -> Iterator[Batch]:
    """The checking side's batches, computed in a forked process while the caller writes.

    The pipe holds about one batch, so the checker runs at most a batch or two ahead and memory
    stays bounded. If the checker fails or dies, the caller gets an exception inside its
    transaction, which then rolls back: nothing is half-imported.
    """
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_checking_process, args=(checking, send), name="aigaq-import-check", daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                proc.join(5)
                raise ImportFailed(f"{checking.table.path.name}: the checking process stopped "
                                   f"(exit code {proc.exitcode}); nothing imported") from None
            if kind == "batch":
                yield payload
            elif kind == "done":
                return
            elif kind == "unreadable":
                raise ReadError(payload)
            else:
                raise RuntimeError(f"import: checking failed:\n{payload}")
    finally:
        receive.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()


def _use_fork(path: Path, workers: int | None, preview: int) -> bool:
    if preview:
        return False
    if workers is not None:
        return workers >= 2
    # Forking a process that runs threads (a web server) can copy a held lock: only alone.
    return (os.cpu_count() or 1) >= 2 and threading.active_count() == 1 and path.stat().st_size >= FORK_MIN_BYTES


class _Writer:
    def __init__(self, report: Report, batch: ImportBatch, filename: str, tables: _Tables):
        self.report, self.batch, self.filename, self.t = report, batch, filename, tables
        self.facilities: dict[str, int] = {}
        for pk, name in Facility.objects.values_list("pk", "name"):
            self.facilities.setdefault(name.casefold(), pk)
        from aigaq.registry.models import FacilityName

        for fid, text in FacilityName.objects.values_list("facility_id", "text"):
            self.facilities.setdefault(text.casefold(), fid)

    def facility(self, name: str, row: int) -> int:
        key = name.casefold()
        if key not in self.facilities:
            f = Facility.objects.create(
                name=name, kind="other",
                description=f"Created by aigaq import from {self.filename}, row {row}: check its kind and place.",
            )
            self.facilities[key] = f.pk
            self.report.facilities_created.append(name)
        return self.facilities[key]

    def write(self, rows: list[Ready]) -> list[tuple[int, Ready]]:
        t = self.t
        t.persons.execute([r.person for r in rows])
        pids = _ids_of(Person, "uid", [r.person[t.person_uid] for r in rows])
        name_values, name_texts, event_values = [], [], []
        for pid, r in zip(pids, rows, strict=True):
            for text, script in zip(r.names, r.scripts, strict=True):
                name_values.append(t.names.prepare({"person_id": pid, "text": text, "script": script, "kind": "full"}))
                name_texts.append((pid, text))
            for values, facility in r.events:
                v = list(values)
                v[t.event_person] = pid
                if facility:
                    v[t.event_facility] = self.facility(facility, r.row)
                event_values.append(tuple(v))
        t.names.execute(name_values)
        t.events.execute(event_values)
        # Rows of one transaction get increasing ids in insertion order, and these persons are
        # new: their names are exactly these rows, in this order.
        name_ids = _names_of(pids)
        if len(name_ids) != len(name_values):
            raise RuntimeError("import: name rows changed under the importer")
        keys = [(pid, nid, k) for (pid, text), nid in zip(name_texts, name_ids, strict=True)
                for k in dedup.cached_keys(text)]
        insert_rows(NameKey, ["person", "name", "key"], keys)
        insert_rows(ImportedRow, ["batch", "person", "row"], [(self.batch.pk, pid, r.row) for pid, r in zip(pids, rows, strict=True)])
        self.report.persons += len(pids)
        self.report.names += len(name_values)
        self.report.events += len(event_values)
        return list(zip(pids, rows, strict=True))


def _ids_of(model, column: str, values: list) -> list[int]:
    """The primary keys of the rows with these (unique) values, in the order given."""
    qn = connection.ops.quote_name
    sql = f"SELECT {qn(column)}, {qn(model._meta.pk.column)} FROM {qn(model._meta.db_table)} WHERE {qn(column)} IN "
    found = {}
    with connection.cursor() as cur:
        for i in range(0, len(values), 500):
            part = values[i : i + 500]
            cur.execute(sql + "(" + ", ".join(["%s"] * len(part)) + ")", part)
            found.update(cur.fetchall())
    return [found[v] for v in values]


def _names_of(pids: list[int]) -> list[int]:
    qn = connection.ops.quote_name
    sql = (f"SELECT {qn('id')} FROM {qn(PersonName._meta.db_table)} WHERE {qn('person_id')} IN ")
    ids: list[int] = []
    with connection.cursor() as cur:
        for i in range(0, len(pids), 500):
            part = pids[i : i + 500]
            cur.execute(sql + "(" + ", ".join(["%s"] * len(part)) + ")", part)
            ids.extend(r[0] for r in cur.fetchall())
    ids.sort()
    return ids


class _EventView:
    """What registry.status.derive reads of an event."""

    __slots__ = ("type", "date_start", "pk")

    def __init__(self, e):
        self.type, self.date_start, self.pk = e.type, e.date.start if e.date else None, None


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def resolve_mapping(table: Table, given: list[str] | str | None, report: Report) -> list[str]:
    try:
        if isinstance(given, list):
            width = len(table.headers)
            mapping, report.mapping_from = (list(given) + [""] * width)[:width], "given"
        elif given:
            mapping, report.mapping_from = mapping_mod.parse_mapping(given, table.headers), "given"
        else:
            mapping = mapping_mod.recall(table.headers)
            report.mapping_from = "remembered"
            if mapping is None:
                mapping, report.mapping_from = mapping_mod.guess(table.headers), "guessed"
        mapping_mod.check(mapping)
    except mapping_mod.MappingError as exc:
        raise ImportFailed(f"{table.path.name}: {exc}") from None
    return mapping


def run_import(path: Path, *, mapping: list[str] | str | None = None, dry_run: bool = False,
               only_valid: bool = False, user=None, progress: bool = False, stream: TextIO | None = None,
               encoding: str | None = None, delimiter: str | None = None, batch: ImportBatch | None = None,
               preview: int = 0, previewed: list | None = None, display_name: str = "",
               workers: int | None = None) -> Report:
    """Import one spreadsheet. Returns the report; raises ImportFailed if the file is unusable.

    `preview` > 0 stops after that many data rows (for the staff UI's preview), appending the
    checked rows to `previewed`. `workers`: 2 checks the rows in a forked process while this
    one writes, 1 does everything here; by default large files are checked in a forked process
    when there are two cores or more.
    """
    path = Path(path)
    started = time.monotonic()
    shown = display_name or path.name  # the user's name for the file (uploads are stored by hash)
    report = Report(file=shown, dry_run=dry_run, only_valid=only_valid)
    try:
        table = open_table(path, encoding=encoding, delimiter=delimiter)
    except ReadError as exc:
        raise ImportFailed(str(exc)) from None
    report.sha256 = _sha256(path)
    report.kind, report.encoding, report.delimiter = table.kind, table.encoding, table.delimiter
    report.sheet, report.notes, report.headers = table.sheet, table.notes, table.headers
    report.mapping = resolve_mapping(table, mapping, report)
    checker = RowChecker(shown, table.headers, report.mapping)
    bar = Progress(shown, stream, progress)
    watermark = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    fork = _use_fork(path, workers, preview)
    # The duplicate check runs on the checking side too when that side can read the persons
    # recorded before the import on a connection of its own; else here, batch by batch.
    apart = fork and dedup.reads_committed_only()
    finder = dedup.Finder(watermark, dedup.OwnConnection() if apart else None) if watermark else None

    def consume(writer: _Writer | None) -> None:
        checking = _Checking(table, checker, writer.t if writer else None, keys=bool(writer or finder),
                             only_valid=only_valid, preview=preview, finder=finder if apart or not fork else None)
        writing = writer is not None
        for b in _forked(checking) if fork else checking.batches():
            report.rows += b.rows
            report.empty_rows += b.empty
            report.invalid += b.invalid
            report.valid += len(b.valid)
            report.issues_total += b.issues_total
            report.issues.extend(b.issues)
            for column, count in b.issues_by_column.items():
                report.issues_by_column[column] = report.issues_by_column.get(column, 0) + count
            dedup.remember(b.keys)
            if b.invalid and not only_valid:
                writing = False  # nothing from this file will be kept: stop writing, keep checking
            found = b.matches
            if finder and b.valid and fork and not apart and (writing or writer is None):
                found = finder.matches(b.valid)
            if writing and b.valid:
                written = writer.write(b.valid)
                if found:
                    report.matches.extend(finder.store(found, written))
            elif writer is None:
                report.matches.extend(found)
            if previewed is not None:
                previewed.extend(b.valid)
            if b.fraction < 1.0:
                bar.update(b.fraction, report.rows)
        bar.update(1.0, report.rows, final=True)

    try:
        if dry_run:
            consume(None)
        else:
            with keyring_read_once():
                try:
                    with transaction.atomic():
                        source = Source.objects.create(
                            kind="spreadsheet", title=f"Spreadsheet {shown}"[:300],
                            citation=f"Imported with aigaq import from {shown} (SHA-256 {report.sha256}).",
                        )
                        if batch is None:
                            batch = ImportBatch.objects.create(filename=shown[:300], sha256=report.sha256,
                                                               created_by=user)
                        batch.source, batch.mapping, batch.sha256 = source, report.mapping, report.sha256
                        batch.save()
                        consume(_Writer(report, batch, shown, _Tables()))
                        if not report.ok or report.valid == 0:
                            raise _Rollback
                        batch.state = ImportBatch.State.IMPORTED
                        report.written, report.batch = True, batch.pk
                        batch.report = _summary(report)
                        batch.save()
                        mapping_mod.remember(table.headers, report.mapping)
                        from aigaq import audit

                        audit.record("import", batch, user=user, changes={
                            "file": shown, "sha256": report.sha256, "persons": report.persons,
                            "names": report.names, "events": report.events,
                            "rows_left_out": report.invalid, "facilities_created": len(report.facilities_created),
                        })
                except _Rollback:
                    report.persons = report.names = report.events = 0
                    report.facilities_created, report.matches = [], []
    except ReadError as exc:
        raise ImportFailed(str(exc)) from None
    report.seconds = round(time.monotonic() - started, 2)
    report.peak_rss_mb = round(_peak_rss_mb(), 1)
    return report


def _summary(report: Report) -> dict:
    d = report.as_dict()
    d["issues"] = d["issues"][:200]
    return d


def format_report(report: Report) -> str:
    """The report for people: what was read, every problem (file, row, column, value, expected)."""
    how = {"csv": f"CSV, {report.encoding}, separator {report.delimiter!r}",
           "xlsx": f"XLSX, sheet {report.sheet!r}"}.get(report.kind, report.kind)
    lines = [f"{report.file}: {report.rows:,} rows ({how}); {report.valid:,} valid, {report.invalid:,} with problems"
             + (f"; {report.empty_rows:,} empty rows skipped" if report.empty_rows else "")]
    lines += [f"  note: {n}" for n in report.notes]
    cols = [f"{h or '?'} → {m or '(ignored)'}" for h, m in zip(report.headers, report.mapping, strict=False)]
    lines.append(f"  columns ({report.mapping_from}): " + "; ".join(cols))
    lines += [i.line() for i in report.issues]
    if report.issues_total > len(report.issues):
        lines.append(f"… and {report.issues_total - len(report.issues):,} more problems: "
                     + ", ".join(f"{c}: {n:,}" for c, n in sorted(report.issues_by_column.items())))
    for m in report.matches[:50]:
        lines.append(f"  row {m['row']}: “{m['name']}” may be person {m['existing']} “{m['existing_name']}” "
                     f"(names {m['similarity']:.2f}): proposed for review")
    if len(report.matches) > 50:
        lines.append(f"  … {len(report.matches) - 50:,} more possible duplicates proposed for review")
    if report.facilities_created:
        lines.append(f"  new facilities: {', '.join(report.facilities_created[:20])}"
                     + (" …" if len(report.facilities_created) > 20 else ""))
    if report.dry_run:
        lines.append(f"Dry run: nothing written. {report.valid:,} rows would be imported"
                     + ("" if report.ok else " with --only-valid") + ".")
    elif report.written:
        lines.append(f"Imported {report.persons:,} persons ({report.names:,} names, {report.events:,} events) "
                     f"in {report.seconds:,.1f} s" + (f"; {report.invalid:,} rows with problems left out"
                                                     if report.invalid else "") + ".")
    elif report.valid == 0:
        lines.append("Nothing imported: no valid rows.")
    else:
        lines.append(f"Nothing imported: fix the rows above, or run again with --only-valid to import "
                     f"the {report.valid:,} valid rows.")
    return "\n".join(lines)
