"""Take a spreadsheet in: read, check every row, write in bulk, propose matches for review.

All or nothing by default: the rows are written inside one transaction as they are checked,
and the first row with a problem stops the writing (checking goes on, so the report lists
every problem) and rolls the whole file back. With only_valid the rows with problems are left
out and the rest are kept. A dry run writes nothing and reports the same.

Writes go through the demo seeder's executemany writer (registry.demo.seed) and NameKey rows
are computed with registry.search.name_keys, exactly as registry.record.add_name would, but
without a round trip per row: 100,000 rows in well under a minute (bench/import_bench.py).
"""

from __future__ import annotations

import hashlib
import os
import resource
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone

from aigaq.registry.demo.seed import _insert_rows, _Table
from aigaq.registry.models import Event, Facility, NameKey, Person, PersonName, Source
from aigaq.registry.status import derive
from aigaq.transfer import dedup
from aigaq.transfer import mapping as mapping_mod
from aigaq.transfer.models import ImportBatch, ImportedRow
from aigaq.transfer.readers import ReadError, Table, open_table
from aigaq.transfer.validate import Issue, PersonRow, RowChecker

CHUNK = 2000
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


class _Rows(_Table):
    """The seeder's executemany writer, with each column's default prepared once instead of once
    per row (most columns of an imported row keep their default). Encrypted columns are still
    encrypted per row: each value gets its own nonce."""

    def __init__(self, model, now):
        from aigaq.core.crypto import EncryptedTextField

        super().__init__(model, now)
        self.spec = []
        for name, default, f in zip(self.names, self.defaults, self.prep, strict=True):
            per_row = f is not None and isinstance(f, EncryptedTextField)
            ready = default if f is None or per_row else f.get_db_prep_save(default, connection)
            self.spec.append((name, default, f, per_row, ready))

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        values = []
        for row in rows:
            out = []
            for name, default, f, per_row, ready in self.spec:
                if name in row:
                    v = row[name]
                    out.append(v if f is None else f.get_db_prep_save(v, connection))
                else:
                    out.append(f.get_db_prep_save(default, connection) if per_row else ready)
            values.append(tuple(out))
        with connection.cursor() as cursor:
            for i in range(0, len(values), 20_000):
                cursor.executemany(self.sql, values[i : i + 20_000])


class _Writer:
    def __init__(self, report: Report, batch: ImportBatch, filename: str):
        now = timezone.now()
        self.report, self.batch, self.filename = report, batch, filename
        self.persons, self.names, self.events = _Rows(Person, now), _Rows(PersonName, now), _Rows(Event, now)
        self.facilities: dict[str, int] = {}
        self.keys = dedup.KeyPool()
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

    def write(self, rows: list[PersonRow]) -> list[tuple[int, PersonRow]]:
        computing = self.keys.start(t for r in rows for t in r.names)
        person_rows = []
        for r in rows:
            d = derive(_EventView(e) for e in r.events)
            person_rows.append({
                "uid": uuid.uuid4(), "display_name": _display_name(r.names), **r.fields,
                "status": str(d.status), "status_since": d.since, "detention_year": d.detention_year,
            })
        self.persons.insert(person_rows)
        by_uid = dict(Person.objects.filter(uid__in=[p["uid"] for p in person_rows]).values_list("uid", "pk"))
        pids = [by_uid[p["uid"]] for p in person_rows]
        from aigaq import names as names_engine

        name_rows, event_rows = [], []
        for pid, r in zip(pids, rows, strict=True):
            name_rows.extend({"person_id": pid, "text": t, "script": names_engine.detect_script(t), "kind": "full"}
                             for t in r.names)
            for e in r.events:
                event_rows.append({
                    "uid": uuid.uuid4(), "person_id": pid, "type": e.type,
                    "date_start": e.date.start if e.date else None, "date_end": e.date.end if e.date else None,
                    "date_precision": e.date.precision if e.date else "day", "place_id": e.place_id,
                    "facility_id": self.facility(e.facility, r.row) if e.facility else None,
                    "sentence_months": e.sentence_months, "charge": e.charge, "description": e.description,
                })
        self.names.insert(name_rows)
        self.events.insert(event_rows)
        self.keys.finish(computing)
        # Rows of one transaction get increasing ids in insertion order, and these persons are
        # new: their names are exactly these rows, in this order.
        name_ids = list(PersonName.objects.filter(person_id__in=pids).order_by("pk").values_list("pk", flat=True))
        if len(name_ids) != len(name_rows):
            raise RuntimeError("import: name rows changed under the importer")
        keys = [(row["person_id"], nid, k) for row, nid in zip(name_rows, name_ids, strict=True)
                for k in dedup.cached_keys(row["text"])]
        _insert_rows(NameKey, ["person", "name", "key"], keys)
        _insert_rows(ImportedRow, ["batch", "person", "row"], [(self.batch.pk, pid, r.row) for pid, r in zip(pids, rows, strict=True)])
        self.report.persons += len(pids)
        self.report.names += len(name_rows)
        self.report.events += len(event_rows)
        return list(zip(pids, rows, strict=True))


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
               preview: int = 0, previewed: list | None = None, display_name: str = "") -> Report:
    """Import one spreadsheet. Returns the report; raises ImportFailed if the file is unusable.

    `preview` > 0 stops after that many data rows (for the staff UI's preview), appending the
    checked rows to `previewed`.
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
    finder = dedup.Finder(watermark) if watermark else None

    def consume(writer: _Writer | None) -> None:
        chunk: list[PersonRow] = []
        writing = writer is not None

        def flush() -> None:
            nonlocal chunk
            if writing and chunk:
                written = writer.write(chunk)
                if finder:
                    report.matches.extend(finder.propose(written, batch=writer.batch))
            elif finder and chunk and not writer:
                report.matches.extend(finder.preview(chunk))
            chunk = []

        for n, cells in table.rows():
            if not any(str(c).strip() for c in cells):
                report.empty_rows += 1
                continue
            report.rows += 1
            person, issues = checker.check(n, cells)
            if issues:
                report.invalid += 1
                report.issues_total += len(issues)
                for i in issues:
                    report.issues_by_column[i.column] = report.issues_by_column.get(i.column, 0) + 1
                    if len(report.issues) < MAX_ISSUES:
                        report.issues.append(i)
                if not only_valid:
                    writing = False  # nothing from this file will be kept: stop writing, keep checking
            else:
                report.valid += 1
                chunk.append(person)
                if previewed is not None:
                    previewed.append(person)
            if len(chunk) >= CHUNK:
                flush()
            if report.rows % 1000 == 0:
                bar.update(table.fraction_read(), report.rows)
            if preview and report.rows >= preview:
                break
        flush()
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
                        writer = _Writer(report, batch, shown)
                        try:
                            consume(writer)
                        finally:
                            writer.keys.close()
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
