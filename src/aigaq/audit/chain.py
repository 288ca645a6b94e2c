"""Append to the audit log (one function, `record`) and check it (`verify_chain`)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from aigaq.env import envstr, secret_file

GENESIS = "0" * 64
REDACTED = "<redacted>"
_PG_LOCK_ID = 0x41494741  # "AIGA": advisory lock that serialises appends on PostgreSQL


def audit_key_path() -> Path:
    return settings.KEYS_DIR / "audit-key"


def ensure_audit_key() -> tuple[Path, bool]:
    path = audit_key_path()
    existed = path.exists()
    secret_file(path)
    return path, not existed


def _key() -> bytes:
    return (envstr("AIGAQ_AUDIT_KEY") or secret_file(audit_key_path())).encode("utf-8")


def _head_path() -> Path:
    return settings.DATA_DIR / "audit-head.json"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _digest(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _content(entry) -> dict[str, Any]:
    return {
        "seq": entry.seq, "at": entry.at.astimezone(UTC).isoformat(), "actor_id": entry.actor_id,
        "actor": entry.actor, "ip": entry.ip, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "changes": entry.changes, "prev_hash": entry.prev_hash,
    }


def _mac(entry_hash: str, key: bytes | None = None) -> str:
    return hmac.new(key or _key(), entry_hash.encode("ascii"), hashlib.sha256).hexdigest()


def record(action: str, obj: Any = None, *, changes: dict | None = None, object_type: str = "",
           object_id: str | int = "", user: Any = None, actor: str = "", ip: str = ""):
    """Append one entry. Who and from where default to the current request (or the OS user).

    `obj` is a model instance (its type and id are recorded); `changes` maps a field to
    [old, new] and must already have restricted values replaced by REDACTED.
    """
    return record_many([(action, obj, changes)], object_type=object_type, object_id=object_id, user=user,
                       actor=actor, ip=ip)[0]


def record_many(actions: list[tuple[str, Any, dict | None]], *, object_type: str = "", object_id: str | int = "",
                user: Any = None, actor: str = "", ip: str = "") -> list:
    """Append one entry per (action, obj, changes), in order, by the same actor: exactly what as
    many record() calls would write, in one read of the chain's end and one INSERT (a group
    commit of many files records one "create" per item)."""
    from aigaq.audit.context import current
    from aigaq.audit.models import AuditEntry

    if not actions:
        return []
    cur_user, cur_actor, cur_ip = current()
    user = user if user is not None else cur_user
    who = (actor or (user.username if user is not None and not cur_user else cur_actor))[:200]
    key = _key()
    with transaction.atomic():
        # SQLite: our transactions start IMMEDIATE, so only one writer is here at a time.
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AuditEntry.objects.order_by("-seq").values("seq", "entry_hash").first()
        seq, prev = (last["seq"], last["entry_hash"]) if last else (0, GENESIS)
        entries = []
        for action, obj, changes in actions:
            o_type, o_id = object_type, object_id
            if obj is not None:
                o_type = o_type or obj._meta.label_lower
                o_id = o_id or obj.pk
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=timezone.now(),
                actor_id=getattr(user, "pk", None),
                actor=who,
                ip=(ip or cur_ip)[:64],
                action=action[:32],
                object_type=str(o_type)[:100],
                object_id=str(o_id if o_id is not None else "")[:64],
                changes=_jsonable(changes or {}),
                prev_hash=prev,
            )
            entry.entry_hash = prev = _digest(_content(entry))
            entry.mac = _mac(entry.entry_hash, key)
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        _head_on_commit()
    return entries


_deferred = threading.local()  # inside head_written_once(): [committed since it began]


def _head_on_commit() -> None:
    """Write the head file once per transaction, after it commits, however many entries it
    added (a group commit of many files adds one per item): with the newest entry then in the
    database, which is also right when a savepoint with some of them was rolled back."""
    func = _note_commit if getattr(_deferred, "state", None) is not None else _write_latest_head
    conn = transaction.get_connection()
    if any(f is func for _, f, _ in conn.run_on_commit):
        return
    transaction.on_commit(func)


def _note_commit() -> None:
    state = getattr(_deferred, "state", None)
    if state is not None:
        state[0] = True
    else:  # committed after the block ended
        _write_latest_head()


@contextlib.contextmanager
def head_written_once() -> Iterator[None]:
    """Within this block (on this thread), the head file is written once when it ends, not after
    every transaction: for a command that commits many small transactions in a row (a group
    commit of files, about four a second). The head only moves forward; a crash inside the block
    leaves it where it was, as a crash between a commit and its head write always could."""
    if getattr(_deferred, "state", None) is not None:  # nested: the outer block writes it
        yield
        return
    _deferred.state = state = [False]
    try:
        yield
    finally:
        _deferred.state = None
        if state[0]:
            _write_latest_head()


def _write_latest_head() -> None:
    from aigaq.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    if last is not None:
        _write_head(*last)


def _genesis_hash() -> str | None:
    from aigaq.audit.models import AuditEntry

    return AuditEntry.objects.filter(seq=1).values_list("entry_hash", flat=True).first()


def _write_head(seq: int, entry_hash: str) -> None:
    """Remember the newest entry outside the database, so that cutting off the tail shows."""
    path = _head_path()
    head = _read_head()
    genesis = _genesis_hash()
    if head and head.get("genesis") == genesis and head.get("seq", 0) >= seq:
        return
    data = {"genesis": genesis, "seq": seq, "hash": entry_hash}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data folder must not stop the action; verify notes a stale head


def _read_head() -> dict | None:
    try:
        return json.loads(_head_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def verify_chain(entries: Iterable | None = None) -> list[str]:
    """Problems found in the audit log (empty when it is intact)."""
    from aigaq.audit.models import AuditEntry

    problems: list[str] = []
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    prev_hash, expected_seq, last = GENESIS, 1, None
    key = _key()  # read once, not once per entry
    for e in rows:
        if e.seq != expected_seq:
            problems.append(f"audit entry #{expected_seq}" + (
                f"–#{e.seq - 1} missing" if e.seq > expected_seq else f" out of order (found #{e.seq})"))
        if e.prev_hash != prev_hash:
            problems.append(f"audit entry #{e.seq}: does not link to the entry before it")
        if _digest(_content(e)) != e.entry_hash:
            problems.append(f"audit entry #{e.seq}: content was changed after it was written")
        elif not hmac.compare_digest(_mac(e.entry_hash, key), e.mac):
            problems.append(f"audit entry #{e.seq}: its MAC does not match (rewritten without the audit key)")
        prev_hash, expected_seq, last = e.entry_hash, e.seq + 1, e
        if len(problems) > 50:
            problems.append("more problems not listed")
            return problems
    head = _read_head()
    if head and entries is None:
        genesis = _genesis_hash()
        if genesis is None or head.get("genesis") == genesis:
            if last is None or last.seq < head["seq"]:
                problems.append(f"audit log ends at #{last.seq if last else 0} but held #{head['seq']}: "
                                "entries were removed from its end")
            elif not AuditEntry.objects.filter(seq=head["seq"], entry_hash=head["hash"]).exists():
                problems.append(f"audit entry #{head['seq']}: differs from the one recorded in the head file")
    return problems


def redact(field_name: str, value: Any, restricted: set[str]) -> Any:
    return REDACTED if field_name in restricted else _jsonable(value)
