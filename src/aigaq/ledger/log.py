"""Appending to the custody ledger, signing checkpoints, and building proofs.

`append()` is the only code that writes ledger entries; everything else calls it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime

from django.db import transaction

from aigaq.ledger import proofs
from aigaq.ledger.models import Checkpoint, Entry, Head

GENESIS = "0" * 64


def canonical(obj: object) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text. The hashed bytes are its UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _now() -> datetime:
    return datetime.now(UTC)


def append(kind: str, subject: str = "", data: dict | None = None) -> Entry:
    """Append one entry. Runs in (or joins) a transaction; the head row lock serialises writers,
    so `seq` has no gaps and every entry links to the one before it. No savepoint when nested:
    a failed append must fail the caller's whole transaction anyway (and it saves two statements
    per entry)."""
    return append_many([(kind, subject, data)])[0]


def append_many(events: list[tuple[str, str, dict | None]]) -> list[Entry]:
    """Append one entry per (kind, subject, data), in order: what as many append() calls would
    write, with one read and one update of the head and one INSERT (a group commit of many
    files logs one "ingested" per item)."""
    if not events:
        return []
    with transaction.atomic(savepoint=False):
        head = Head.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = Head.objects.get_or_create(pk=1)
            head = Head.objects.select_for_update().get(pk=1)
        entries = []
        for kind, subject, data in events:
            when = _now()
            body = canonical(
                {
                    "seq": head.size,
                    "time": when.isoformat(timespec="microseconds"),
                    "kind": kind,
                    "subject": subject,
                    "data": data or {},
                    "prev": head.last_hash,
                }
            )
            digest = proofs.leaf_hash(body.encode("utf-8")).hex()
            entries.append(Entry(
                seq=head.size, time=when, kind=kind, subject=subject, body=body,
                prev_hash=head.last_hash, leaf_hash=digest,
            ))
            head.size += 1
            head.last_hash = digest
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            Entry.objects.bulk_create(entries)
        head.save(update_fields=["size", "last_hash"])
    return entries


def leaf_hashes(limit: int | None = None) -> list[bytes]:
    """Leaf hashes in order, read straight from the stored column (fast enough for millions)."""
    qs = Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    if limit is not None:
        qs = qs[:limit]
    return [bytes.fromhex(h) for h in qs.iterator(chunk_size=20000)]


def origin() -> str:
    from aigaq.core.keys import public_key_bytes

    return f"{proofs.CHECKPOINT_ORIGIN_PREFIX}/{public_key_bytes().hex()[:16]}"


def checkpoint() -> Checkpoint:
    """Sign the current tree (size + root) with the instance key and keep the signed note."""
    from aigaq.core.keys import load_instance_key, public_key_b64

    with transaction.atomic():
        # Holding the head lock keeps appends out while the root is computed.
        Head.objects.get_or_create(pk=1)
        head = Head.objects.select_for_update().get(pk=1)
        last = Checkpoint.objects.order_by("-size", "-id").first()
        if last is not None and last.size == head.size:
            return last
        root = proofs.tree_root(leaf_hashes(head.size))
        when = _now()
        text = proofs.checkpoint_text(origin(), head.size, root, when.isoformat(timespec="seconds"))
        signature = base64.b64encode(load_instance_key().sign(text.encode("utf-8"))).decode("ascii")
        return Checkpoint.objects.create(
            size=head.size, root=root.hex(), created_at=when, text=text,
            signature=signature, public_key=public_key_b64(),
        )


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size", "-id").first()


def prove(entry: Entry, cp: Checkpoint | None = None) -> dict:
    """A self-contained proof bundle: the entry, its inclusion path and the signed checkpoint.

    proofs.verify_bundle() checks it with no database and no Django."""
    cp = cp or latest_checkpoint()
    if cp is None or cp.size <= entry.seq:
        cp = checkpoint()
    leaves = leaf_hashes(cp.size)
    path = proofs.inclusion_proof(entry.seq, leaves)
    return {
        "entry": entry.body,
        "leaf_index": entry.seq,
        "leaf_hash": entry.leaf_hash,
        "tree_size": cp.size,
        "root": cp.root,
        "inclusion_proof": [p.hex() for p in path],
        "checkpoint": cp.as_dict(),
    }


def consistency(old: Checkpoint, new: Checkpoint) -> dict:
    leaves = leaf_hashes(new.size)
    path = proofs.consistency_proof(old.size, leaves) if old.size else []
    return {
        "old": old.as_dict(),
        "new": new.as_dict(),
        "consistency_proof": [p.hex() for p in path],
    }


def history(subject: str) -> list[dict]:
    """An item's custody history, oldest first, as parsed entries."""
    return [
        {**json.loads(e.body), "leaf_hash": e.leaf_hash}
        for e in Entry.objects.filter(subject=subject).order_by("seq")
    ]


def iter_entries(chunk: int = 5000) -> Iterator[Entry]:
    return Entry.objects.order_by("seq").iterator(chunk_size=chunk)
