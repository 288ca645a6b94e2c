"""Merge two person records into one, and undo it exactly.

Before a merge, every database row that the merge may change is copied, raw, into the Merge
row: both persons, persons already merged into either, and every row of every table that points
at either person (names, name keys, events, testimony links, evidence links, whatever a later
app adds: found through Person's reverse relations, not listed by hand). Raw means the values as
stored, so encrypted columns stay encrypted in the snapshot. Un-merge writes those rows back
(ids included) and re-inserts any the merge deleted, so the records are restored exactly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from aigaq.linkage.models import MatchCandidate, Merge
from aigaq.registry.models import Person
from aigaq.registry.status import refresh_derived

# Fields of the survivor filled from the merged record when the survivor has none.
FILL_FIELDS = ("gender", "birth_year_min", "birth_year_max", "ethnicity", "citizenship", "home_place_id",
               "occupation")
_SKIP_MODELS = {"linkage.matchcandidate", "linkage.merge"}


class MergeError(Exception):
    pass


def _plain(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, uuid.UUID | decimal.Decimal):
        return str(v)
    if isinstance(v, bytes | memoryview):
        return bytes(v).hex()
    return v


def _relations() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to Person, other than linkage's own tables."""
    out = set()
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if model is Person or model._meta.label_lower in _SKIP_MODELS:
            continue
        out.add((model._meta.db_table, rel.field.column))
    return sorted(out)


def _rows(table: str, where: str, params: list) -> list[dict]:
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {qn(table)} WHERE {where} ORDER BY id", params)
        cols = [c[0] for c in cur.description]
        return [{c: _plain(v) for c, v in zip(cols, row, strict=True)} for row in cur.fetchall()]


def snapshot(*person_ids: int) -> dict[str, list[dict]]:
    """Raw rows of these persons, of persons merged into them, and of rows pointing at them."""
    ids = list(person_ids)
    marks = ", ".join(["%s"] * len(ids))
    person_table = Person._meta.db_table
    snap = {person_table: _rows(person_table, f"id IN ({marks}) OR merged_into_id IN ({marks})", ids + ids)}
    for table, column in _relations():
        if table == person_table:
            continue
        snap[table] = snap.get(table, []) + _rows(table, f"{connection.ops.quote_name(column)} IN ({marks})", ids)
    return snap


def _write_row(table: str, row: dict) -> None:
    qn = connection.ops.quote_name
    cols = [c for c in row if c != "id"]
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {qn(table)} SET {', '.join(f'{qn(c)} = %s' for c in cols)} WHERE id = %s",
            [row[c] for c in cols] + [row["id"]],
        )
        if cur.rowcount == 0:
            all_cols = list(row)
            cur.execute(
                f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in all_cols)}) "
                f"VALUES ({', '.join(['%s'] * len(all_cols))})",
                [row[c] for c in all_cols],
            )


def _republish(*person_ids: int) -> None:
    # Rows move here with plain SQL, which no signal sees: tell the mirror's incremental republish
    # (a stale survivor page after an undo would still show the other person's record).
    try:
        from aigaq.publish.changes import rows_moved
    except ImportError:  # the publish app is optional for this app
        return
    rows_moved(person_ids)


def _audit(action: str, person: Person, changes: dict, user) -> None:
    try:
        from aigaq import audit
    except ImportError:  # the audit module is optional for this app
        return
    audit.record(action, person, changes=changes, user=user)


@transaction.atomic
def merge(survivor: Person, merged: Person, user=None, candidate: MatchCandidate | None = None) -> Merge:
    """Move everything of `merged` onto `survivor`; `merged` points at the survivor from now on."""
    if survivor.pk == merged.pk:
        raise MergeError("a person cannot be merged into themselves")
    if survivor.merged_into_id or merged.merged_into_id:
        raise MergeError("one of these persons is already merged into another")
    snap = snapshot(survivor.pk, merged.pk)
    qn = connection.ops.quote_name
    for table, column in _relations():
        if table == Person._meta.db_table:
            continue
        for row in _rows(table, f"{qn(column)} = %s", [merged.pk]):
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s", [survivor.pk, row["id"]])
            except IntegrityError:
                # The survivor already has this row (e.g. both named in one testimony): keep theirs.
                with connection.cursor() as cur:
                    cur.execute(f"DELETE FROM {qn(table)} WHERE id = %s", [row["id"]])
    Person.objects.filter(merged_into_id=merged.pk).update(merged_into_id=survivor.pk)
    fill = {f: getattr(merged, f) for f in FILL_FIELDS if not getattr(survivor, f) and getattr(merged, f)}
    Person.objects.filter(pk=survivor.pk).update(**fill)
    Person.objects.filter(pk=merged.pk).update(merged_into_id=survivor.pk)
    survivor.refresh_from_db()
    refresh_derived(survivor)
    record = Merge.objects.create(survivor=survivor, merged=merged, candidate=candidate, snapshot=snap, merged_by=user)
    if candidate is not None:
        MatchCandidate.objects.filter(pk=candidate.pk).update(
            state=MatchCandidate.State.MERGED, decided_at=timezone.now(), decided_by=user)
    _republish(survivor.pk, merged.pk)
    _audit("merge", survivor, {"merged": [None, merged.pk], "merge": [None, record.pk]}, user)
    return record


@transaction.atomic
def unmerge(record: Merge, user=None) -> None:
    """Put back every row the merge changed, exactly as it was before."""
    if record.undone_at is not None:
        raise MergeError("this merge was already undone")
    later = Merge.objects.filter(undone_at__isnull=True, merged_at__gt=record.merged_at,
                                 survivor_id__in=[record.survivor_id, record.merged_id])
    if later.exists():
        raise MergeError("undo the later merges into this person first")
    for table, rows in record.snapshot.items():
        for row in rows:
            _write_row(table, row)
    record.undone_at, record.undone_by = timezone.now(), user
    record.save(update_fields=["undone_at", "undone_by"])
    if record.candidate_id:
        MatchCandidate.objects.filter(pk=record.candidate_id).update(
            state=MatchCandidate.State.OPEN, decided_at=None, decided_by=None)
    _republish(record.survivor_id, record.merged_id)
    _audit("unmerge", record.survivor, {"merged": [record.merged_id, None], "merge": [record.pk, None]}, user)


def pick_survivor(a: Person, b: Person) -> tuple[Person, Person]:
    """The older record survives (created first, then lower id)."""
    return (a, b) if (a.created_at, a.pk) <= (b.created_at, b.pk) else (b, a)
