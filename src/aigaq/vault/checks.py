"""`aigaq verify` checks for the vault: fixity of the originals, and database against ledger."""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from aigaq.core.verify import Problem, VerifyContext, register
from aigaq.ledger.models import Entry, EventKind
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import Storage, get_storage

READ = 8 * 1024 * 1024
WINDOW = 16 * 1024 * 1024  # bytes of a file mapped at a time
RECORDING_KINDS = (EventKind.INGESTED, EventKind.DERIVATIVE)


def _fixity(storage: Storage, sha256: str, size: int) -> str | None:
    """None when the stored object is intact, else what is wrong."""
    try:
        fh = storage.open(sha256)
    except FileNotFoundError:
        return "the stored original is missing"
    except OSError as exc:
        return f"the stored original cannot be read ({exc.strerror or exc})"
    with fh:
        actual = os.fstat(fh.fileno()).st_size
        if actual != size:
            return f"the stored original has {actual} bytes, {size} were recorded"
        try:
            digest = _hash_mapped(fh.fileno(), size)
        except (OSError, ValueError):  # cannot be mapped: read it
            digest = _hash_read(fh)
    if digest != sha256:
        return f"the stored original's content has changed (it now hashes to {digest})"
    return None


def _hash_mapped(fd: int, size: int) -> str:
    """SHA-256 of the file through read-only mappings of WINDOW bytes: the hash reads the page
    cache directly, with no copy into a buffer (a third less CPU than read(), which is what
    lets two threads on two cores keep ahead of one `openssl dgst`). Memory stays bounded: one
    window mapped at a time. Vault objects are read-only files of ours; a file cut short while
    it is mapped would stop the process (SIGBUS), as for any reader that maps files."""
    h = hashlib.sha256()
    for offset in range(0, size, WINDOW):
        with mmap.mmap(fd, min(WINDOW, size - offset), access=mmap.ACCESS_READ, offset=offset) as mapped:
            mapped.madvise(mmap.MADV_SEQUENTIAL)
            with memoryview(mapped) as view:
                h.update(view)
    return h.hexdigest()


def _hash_read(fh) -> str:
    h = hashlib.sha256()
    buf = bytearray(READ)
    view = memoryview(buf)
    fh.seek(0)
    while n := fh.readinto(buf):
        h.update(view[:n])
    return h.hexdigest()


class _Fixity:
    """The re-hashing of the originals, started before the other checks and running beside
    them: two worker threads (one per core; hashlib releases the GIL), largest files first so
    that both stay busy to the end (a big file started last would leave one core idle)."""

    def __init__(self, ctx: VerifyContext) -> None:
        storage = get_storage()
        items = list(EvidenceItem.objects.order_by("id").values_list("id", "sha256", "size"))
        if ctx.sample < 100:
            k = max(1, round(len(items) * ctx.sample / 100)) if items else 0
            items = sorted(random.sample(items, k))
            ctx.notes.append(f"vault fixity: re-hashed a random {ctx.sample:g}% sample, {k} items")
        items.sort(key=lambda row: -row[2])
        self.total = sum(size for _, _, size in items)
        self.pool = ThreadPoolExecutor(min(2, os.cpu_count() or 1), thread_name_prefix="aigaq-fixity")
        self.work = [(row, self.pool.submit(_fixity, storage, row[1], row[2])) for row in items]

    def problems(self, ctx: VerifyContext) -> Iterator[Problem]:
        done = 0
        found = []
        for (pk, sha256, size), future in self.work:
            what = future.result()
            done += size
            ctx.progress("vault fixity", done, self.total)
            if what:
                found.append(Problem(f"item {pk}", sha256, what))
        ctx.progress("vault fixity", done, self.total)
        yield from sorted(found, key=lambda p: int(p.subject.split()[-1]))  # in item order

    def close(self) -> None:
        for _, future in self.work:
            future.cancel()
        self.pool.shutdown(wait=True)


@register("vault fixity", start=_Fixity)
def check_fixity(ctx: VerifyContext) -> Iterator[Problem]:
    run = ctx.started.get("vault fixity")
    if run is None:  # called on its own, not through run_all
        run = _Fixity(ctx)
        try:
            yield from run.problems(ctx)
        finally:
            run.close()
        return
    yield from run.problems(ctx)


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
