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
    # Largest first, two readers: both cores stay busy to the end (a big file started last
    # would leave one core idle), which is what lets a full check outpace one `openssl dgst`.
    # hashlib releases the GIL on large buffers. Problems are reported in item order.
    items.sort(key=lambda row: -row[2])
    workers = min(2, os.cpu_count() or 1)
    found = []
    with ThreadPoolExecutor(workers, thread_name_prefix="aigaq-fixity") as pool:
        results = pool.map(lambda row: (row, _fixity(storage, row[1], row[2])), items)
        for (pk, sha256, size), what in results:
            done += size
            ctx.progress("vault fixity", done, total)
            if what:
                found.append(Problem(f"item {pk}", sha256, what))
    yield from sorted(found, key=lambda p: int(p.subject.split()[-1]))


@register("database vs ledger")
def check_db_vs_ledger(ctx: VerifyContext) -> Iterator[Problem]:
    """Every item was recorded in the ledger with the same size, SHA-512 (where one is recorded:
    in the ingest entry, or in a later "sha512 recorded" entry) and provenance, and every
    recording has its item."""
    recorded: dict[str, dict] = {}
    later_sha512: dict[str, str] = {}
    kinds = (*RECORDING_KINDS, EventKind.SHA512)
    for kind, subject, body in Entry.objects.filter(kind__in=kinds).values_list("kind", "subject", "body").iterator():
        try:
            data = json.loads(body).get("data", {})
        except ValueError:
            continue  # the ledger check names entries whose body is broken
        if kind == EventKind.SHA512:
            later_sha512.setdefault(subject, data.get("sha512"))
        else:
            recorded.setdefault(subject, data)
    seen = set()
    waiting = 0
    rows = EvidenceItem.objects.order_by("id").values_list("id", "sha256", "sha512", "size", "provenance")
    for pk, sha256, sha512, size, provenance in rows.iterator():
        seen.add(sha256)
        data = recorded.get(sha256)
        if data is None:
            yield Problem(f"item {pk}", sha256, "has no ingest entry in the custody ledger (its hash was changed in the database, or it was added outside the vault)")
            continue
        logged_sha512 = data.get("sha512") or later_sha512.get(sha256)
        if data.get("size") != size:
            yield Problem(f"item {pk}", sha256, "its size in the database differs from the custody ledger")
        if logged_sha512 != sha512:
            what = ("its SHA-512 in the database differs from the custody ledger" if logged_sha512 and sha512
                    else "its SHA-512 was removed from the database" if logged_sha512
                    else "its SHA-512 in the database was never recorded in the custody ledger")
            yield Problem(f"item {pk}", sha256, what)
        if (data.get("provenance") or {}) != (provenance or {}):
            yield Problem(f"item {pk}", sha256, "its provenance in the database differs from the custody ledger")
        waiting += sha512 is None
    for sha256 in recorded.keys() - seen:
        yield Problem("ledger ingest entry", sha256, "the ledger recorded this item but the database has no row for it (deleted, or its hash was changed)")
    if waiting:
        ctx.notes.append(f"vault: {waiting} item(s) wait for their SHA-512 (the vault.sha512 job; "
                         "`aigaq worker --once` runs it now)")
