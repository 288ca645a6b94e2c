"""`aigaq verify` checks for the vault: fixity of the originals, and database against ledger."""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from aigaq.core.verify import Problem, VerifyContext, register
from aigaq.ledger.models import Entry, EventKind
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import Storage, get_storage

READ = 8 * 1024 * 1024
RECORDING_KINDS = (EventKind.INGESTED, EventKind.DERIVATIVE)


def _fixity(storage: Storage, sha256: str, size: int) -> str | None:
    """None when the stored object is intact, else what is wrong."""
    try:
        fh = storage.open(sha256)
    except FileNotFoundError:
        return "the stored original is missing"
    except OSError as exc:
        return f"the stored original cannot be read ({exc.strerror or exc})"
    h = hashlib.sha256()
    buf = bytearray(READ)
    view = memoryview(buf)
    read = 0
    with fh:
        while n := fh.readinto(buf):
            h.update(view[:n])
            read += n
    if read != size:
        return f"the stored original has {read} bytes, {size} were recorded"
    if h.hexdigest() != sha256:
        return f"the stored original's content has changed (it now hashes to {h.hexdigest()})"
    return None


@register("vault fixity")
def check_fixity(ctx: VerifyContext) -> Iterator[Problem]:
    storage = get_storage()
    items = list(EvidenceItem.objects.order_by("id").values_list("id", "sha256", "size"))
    if ctx.sample < 100:
        k = max(1, round(len(items) * ctx.sample / 100)) if items else 0
        items = sorted(random.sample(items, k))
        ctx.notes.append(f"vault fixity: re-hashed a random {ctx.sample:g}% sample, {k} items")
    total = sum(size for _, _, size in items)
    done = 0
    # Two readers keep both cores hashing (hashlib releases the GIL), which is what lets a
    # full check keep pace with one `openssl dgst` process.
    workers = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers, thread_name_prefix="aigaq-fixity") as pool:
        results = pool.map(lambda row: (row, _fixity(storage, row[1], row[2])), items)
        for (pk, sha256, size), what in results:
            done += size
            ctx.progress("vault fixity", done, total)
            if what:
                yield Problem(f"item {pk}", sha256, what)


@register("database vs ledger")
def check_db_vs_ledger(ctx: VerifyContext) -> Iterator[Problem]:
    """Every item was recorded in the ledger with the same hashes, and every recording has its item."""
    recorded: dict[str, dict] = {}
    for subject, body in Entry.objects.filter(kind__in=RECORDING_KINDS).values_list("subject", "body").iterator():
        try:
            recorded.setdefault(subject, json.loads(body).get("data", {}))
        except ValueError:
            continue  # the ledger check names entries whose body is broken
    seen = set()
    for pk, sha256, sha512, size in EvidenceItem.objects.order_by("id").values_list("id", "sha256", "sha512", "size").iterator():
        seen.add(sha256)
        data = recorded.get(sha256)
        if data is None:
            yield Problem(f"item {pk}", sha256, "has no ingest entry in the custody ledger (its hash was changed in the database, or it was added outside the vault)")
        elif data.get("sha512") != sha512 or data.get("size") != size:
            yield Problem(f"item {pk}", sha256, "its SHA-512 or size in the database differs from the custody ledger")
    for sha256 in recorded.keys() - seen:
        yield Problem("ledger ingest entry", sha256, "the ledger recorded this item but the database has no row for it (deleted, or its hash was changed)")
