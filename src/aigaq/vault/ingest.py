"""The one place that writes evidence into the vault.

Order of operations, so that a crash at any moment leaves nothing half-written visible:
bytes → temp object (SHA-256 computed while copied) → fsync → link into place under the SHA-256
→ fsync the folder → one database transaction with the item row and its ledger entry.
A crash before the transaction leaves at most an object with no row; it is not evidence
until its row exists, and ingesting the same bytes again adopts it.

SHA-512 is computed afterwards by the `vault.sha512` job (aigaq.vault.jobs) unless the caller
asks for it inline (`sha512=True`); `record_sha512` stores it and logs it in the ledger.

Entry points: `ingest_path` (one file, copied), `ingest_tempfile` (a finished temp file on the
vault's file system, linked into place without a copy), `ingest_many` (several files recorded
in one transaction), `ingest_stream` (many files with group commit: `aigaq ingest`), `commit`
(uploads and derivatives, bytes already received).
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from aigaq.audit.chain import head_written_once as audit_head_once
from aigaq.ledger import log as ledger
from aigaq.ledger.models import EventKind
from aigaq.vault import media
from aigaq.vault.models import EvidenceItem, EvidenceLink
from aigaq.vault.receive import CHUNK, Receiver, SourceChanged, hash_fd
from aigaq.vault.sniff import sniff
from aigaq.vault.storage import LocalStorage, LocalTemp, Storage, get_storage, sync_folders

Progress = Callable[[int, int], None]
NAME_MAX = 255


class IngestError(Exception):
    """A file that cannot be taken in, with a reason a person can act on."""


@dataclass
class IngestResult:
    item: EvidenceItem
    created: bool


@dataclass
class FileIn:
    """One file for ingest_many: `name` replaces the file's own name (bytes kept exactly);
    `take_over`: the file is the caller's finished temp file, linked into place (see
    ingest_tempfile)."""

    path: str | os.PathLike | bytes
    name: bytes | str | None = None
    provenance: dict | None = None
    take_over: bool = False


@dataclass
class Prepared:
    """Bytes durable in the vault under their SHA-256, not yet recorded (no row, no entry)."""

    sha256: str
    sha512: str | None
    size: int
    media_type: str
    raw_name: bytes
    metadata: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)


def display_name(raw: bytes) -> str:
    """A name safe to show: valid UTF-8, no control or format characters, no path parts."""
    text = raw.decode("utf-8", "replace")
    text = text.replace("/", "\ufffd").replace("\\", "\ufffd")
    text = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)
    return text[:NAME_MAX]


def _raw_name(path_b: bytes, name: bytes | str | None) -> bytes:
    if name is None:
        return os.path.basename(path_b)
    return os.fsencode(name) if isinstance(name, str) else name


# --- one file into the vault (no database) ------------------------------------------------


def prepare(
    path: str | os.PathLike | bytes,
    *,
    name: bytes | str | None = None,
    provenance: dict | None = None,
    sha512: bool = False,
    take_over: bool = False,
    on_progress: Progress | None = None,
    storage: Storage | None = None,
) -> Prepared:
    """Store one file durably under its SHA-256; record nothing. Refuses symlinks,
    non-regular and empty files, and files that change or disappear while they are read.
    With take_over, a file on the vault's file system with no other name is linked into place
    (one read, to hash it; no copy) and its name is gone afterwards; otherwise it is copied and,
    with take_over, removed once stored."""
    path_b = os.fsencode(path)
    shown = os.fsdecode(path_b)
    storage = storage or get_storage()
    fd, before = _open_source(path_b, shown)
    owned = True  # whether this function still has to close fd
    try:
        raw_name = _raw_name(path_b, name)
        if take_over and _can_link(storage, before):
            sha256, sha512_hex, size, head = hash_fd(
                fd, sha512=sha512, on_progress=(lambda d: on_progress(d, before.st_size)) if on_progress else None)
            _check_unchanged(fd, shown, before, size)
            media_type = sniff(head)
            metadata = media.technical_metadata(Path(os.fsdecode(path_b)), media_type)
            owned = False  # commit() closes it, whatever happens
            created = storage.commit(LocalTemp.adopt(Path(os.fsdecode(path_b)), fd), sha256)
            prepared = Prepared(sha256, sha512_hex, size, media_type, raw_name, metadata, provenance or {})
        else:
            prepared, created = _copy_in(storage, fd, shown, before, raw_name, provenance, sha512, on_progress)
            if take_over:
                os.unlink(path_b)
    finally:
        if owned:
            os.close(fd)
    if not created:
        _repair_if_damaged(storage, prepared.sha256)
    return prepared


def _open_source(path_b: bytes, shown: str) -> tuple[int, os.stat_result]:
    """An open descriptor on a regular, non-empty file (never through a symlink), and its stat."""
    try:
        fd = os.open(path_b, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise IngestError(f"{shown!r}: no such file (moved or deleted?)") from None
    except OSError as exc:
        if os.path.islink(path_b):
            raise IngestError(f"{shown!r}: is a symbolic link; give the file it points to") from None
        raise IngestError(f"{shown!r}: cannot open it ({exc.strerror})") from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise IngestError(f"{shown!r}: not a regular file")
        if before.st_size == 0:
            raise IngestError(f"{shown!r}: empty file (0 bytes), nothing to keep")
    except BaseException:
        os.close(fd)
        raise
    return fd, before


def _can_link(storage: Storage, st: os.stat_result) -> bool:
    # One name only: a second name (a hard link elsewhere) could still change the stored bytes.
    if not isinstance(storage, LocalStorage) or st.st_nlink != 1:
        return False
    storage.ensure()
    return os.stat(storage.tmp).st_dev == st.st_dev


def _check_unchanged(fd: int, shown: str, before: os.stat_result, done: int) -> None:
    after = os.fstat(fd)
    if after.st_nlink == 0:
        raise IngestError(f"{shown!r}: was deleted while it was being read; nothing kept")
    if (done, after.st_size, after.st_mtime_ns) != (before.st_size, before.st_size, before.st_mtime_ns):
        raise IngestError(f"{shown!r}: changed while it was being read ({before.st_size} bytes "
                          f"at the start, {done} read); nothing kept, try again")


def _copy_in(storage: Storage, fd: int, shown: str, before: os.stat_result, raw_name: bytes,
             provenance: dict | None, sha512: bool, on_progress: Progress | None) -> tuple[Prepared, bool]:
    receiver = _copy_to_temp(storage, fd, shown, before, sha512, on_progress)
    return _store(storage, receiver, raw_name, provenance)


def _copy_to_temp(storage: Storage, fd: int, shown: str, before: os.stat_result, sha512: bool,
                  on_progress: Progress | None) -> Receiver:
    """The file's bytes in a finished (hashed, not yet durable) temp object."""
    receiver = Receiver(storage.create_temp(), sha512=sha512)
    try:
        try:
            receiver.copy_from(fd, before.st_size, on_progress)
        except SourceChanged:
            raise IngestError(f"{shown!r}: grew while it was being read ({before.st_size} bytes at "
                              "the start); nothing kept, try again") from None
        receiver.finish()
        _check_unchanged(fd, shown, before, receiver.size)
    except BaseException:
        receiver.abort()
        raise
    return receiver


def _store(storage: Storage, receiver: Receiver, raw_name: bytes, provenance: dict | None) -> tuple[Prepared, bool]:
    if receiver.size == 0:
        receiver.abort()
        raise IngestError("empty file (0 bytes), nothing to keep")
    media_type = sniff(receiver.head)
    temp = receiver.temp
    metadata = media.technical_metadata(temp.path, media_type) if isinstance(temp, LocalTemp) else {}
    created = storage.commit(temp, receiver.sha256)
    return Prepared(receiver.sha256, receiver.sha512, receiver.size, media_type, raw_name,
                    metadata, provenance or {}), created


# --- recording (one transaction) ------------------------------------------------------------


def record(
    prepared: Sequence[Prepared],
    *,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    derivative_of: EvidenceItem | None = None,
    derivative_kind: str = "",
) -> list[IngestResult]:
    """Record stored files: item rows, their ledger entries (one per new item) and links, in
    one transaction. Joins the caller's transaction if there is one."""
    for attempt in (1, 2):
        try:
            return _record(prepared, source, user, testimony, person, derivative_of, derivative_kind)
        except IntegrityError:
            if attempt == 2:  # the same bytes were recorded by a concurrent writer: take theirs
                raise
    raise AssertionError("unreachable")


def _record(prepared, source, user, testimony, person, derivative_of, derivative_kind) -> list[IngestResult]:
    by = user.get_username() if user else ""
    kind = EventKind.DERIVATIVE if derivative_of is not None else EventKind.INGESTED
    results: list[IngestResult] = []
    with transaction.atomic():
        known = {i.sha256: i for i in EvidenceItem.objects.filter(sha256__in=[p.sha256 for p in prepared])}
        new: dict[str, tuple[EvidenceItem, dict]] = {}
        for p in prepared:
            if p.sha256 in known or p.sha256 in new:
                continue
            raw_name = p.raw_name[:1024]
            item = EvidenceItem(
                sha256=p.sha256, sha512=p.sha512, size=p.size, media_type=p.media_type,
                filename=display_name(raw_name), filename_raw=base64.b64encode(raw_name).decode("ascii"),
                metadata=p.metadata, provenance=p.provenance, source=source, created_by=user,
                derivative_of=derivative_of, derivative_kind=derivative_kind,
            )
            data = {"sha256": p.sha256, "size": p.size, "media_type": item.media_type,
                    "filename": item.filename, "source": source, "by": by}
            if p.sha512:
                data["sha512"] = p.sha512
            if p.provenance:
                data["provenance"] = p.provenance
            if derivative_of is not None:
                data.update(derivative_of=derivative_of.sha256, derivative_kind=derivative_kind)
            new[p.sha256] = (item, data)
        _insert_items([item for item, _ in new.values()])
        ledger.append_many([(kind, sha256, data) for sha256, (_, data) in new.items()])
        created_now = set(new)
        known.update((sha256, item) for sha256, (item, _) in new.items())
        for p in prepared:
            item = known[p.sha256]
            created = p.sha256 in created_now
            created_now.discard(p.sha256)  # the same bytes again in this batch: not created twice
            if not created:
                if item.size != p.size or (p.sha512 and item.sha512 and item.sha512 != p.sha512):
                    raise IngestError(f"sha256:{p.sha256}: already recorded with another SHA-512 or size; "
                                      "run `aigaq verify`")
                if p.sha512 and not item.sha512:
                    record_sha512(item, p.sha512)
            if testimony is not None or person is not None:
                link(item, testimony=testimony, person=person, user=user)
            results.append(IngestResult(item=item, created=created))
    return results


def _insert_items(items: list[EvidenceItem]) -> None:
    """Save new item rows, each with its audit entry ("create", as the audit signal writes for
    one save): one INSERT of the rows and one of their audit entries for many."""
    if len(items) > 1 and connection.features.can_return_rows_from_bulk_insert:
        from aigaq.audit.chain import record_many
        from aigaq.audit.signals import created_changes

        EvidenceItem.objects.bulk_create(items)  # no signals: the audit entries are written here
        record_many([("create", item, created_changes(item)) for item in items])
    else:
        for item in items:
            item.save(force_insert=True)


def record_sha512(item: EvidenceItem, sha512: str) -> bool:
    """Store an item's SHA-512 once it is known, with a ledger entry ("sha512 recorded") so that
    a later change in the database is found by `aigaq verify`. False if it was recorded already."""
    with transaction.atomic(savepoint=False):
        if not EvidenceItem.objects.filter(pk=item.pk, sha512__isnull=True).update(sha512=sha512):
            return False
        ledger.append(EventKind.SHA512, item.sha256, {"sha256": item.sha256, "sha512": sha512})
    item.sha512 = sha512
    return True


def link(item: EvidenceItem, *, testimony=None, person=None, user=None) -> list[EvidenceLink]:
    """Link an item to a testimony and/or a person, logging each new link in the ledger."""
    made = []
    with transaction.atomic():
        for field_name, target in (("testimony", testimony), ("person", person)):
            if target is None:
                continue
            obj, new = EvidenceLink.objects.get_or_create(item=item, **{field_name: target}, defaults={"created_by": user})
            if new:
                ledger.append(EventKind.LINKED, item.sha256, {field_name: str(target.uid), "by": user.get_username() if user else ""})
                made.append(obj)
    return made


def _after(results: list[IngestResult], storage: Storage, derivatives: bool, schedule: bool) -> None:
    if derivatives:
        for r in results:
            if r.created and r.item.derivative_of_id is None:
                make_derivatives(r.item, storage)
    if schedule and any(r.item.sha512 is None for r in results):
        from aigaq.vault.jobs import schedule_sha512

        schedule_sha512()


# --- public entry points --------------------------------------------------------------------


def ingest_path(
    path: str | os.PathLike | bytes,
    *,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    on_progress: Progress | None = None,
    derivatives: bool = True,
    provenance: dict | None = None,
    name: bytes | str | None = None,
    sha512: bool = False,
    schedule_sha512: bool = True,
) -> IngestResult:
    """Take one file into the vault (copied). sha512=True computes SHA-512 during the copy;
    otherwise the `vault.sha512` job fills it in (schedule_sha512=False: the caller queues it,
    e.g. once for a whole run)."""
    storage = get_storage()
    prepared = prepare(path, name=name, provenance=provenance, sha512=sha512, on_progress=on_progress,
                       storage=storage)
    result = record([prepared], source=source, user=user, testimony=testimony, person=person)[0]
    _after([result], storage, derivatives, schedule_sha512)
    return result


def ingest_tempfile(
    path: str | os.PathLike | bytes,
    *,
    name: bytes | str | None = None,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    provenance: dict | None = None,
    sha512: bool = False,
    derivatives: bool = True,
    on_progress: Progress | None = None,
) -> IngestResult:
    """Take over a finished temp file (best under the vault's tmp folder, `get_storage().tmp`):
    it is hashed in one read and linked into place, not copied. The caller must not write to it
    any more; its name is gone afterwards. Copied instead when it is on another file system or
    has other names (hard links), and then removed."""
    storage = get_storage()
    prepared = prepare(path, name=name, provenance=provenance, sha512=sha512, take_over=True,
                       on_progress=on_progress, storage=storage)
    result = record([prepared], source=source, user=user, testimony=testimony, person=person)[0]
    _after([result], storage, derivatives, True)
    return result


def ingest_many(
    files: Sequence[FileIn | str | os.PathLike | bytes],
    *,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    sha512: bool = False,
    derivatives: bool = True,
    errors: list[tuple[int, IngestError]] | None = None,
    then: Callable[[list[IngestResult]], None] | None = None,
) -> list[IngestResult]:
    """Store several files, then record them all (rows, one ledger entry per new item, links)
    in one transaction; `then(results)` runs inside that transaction (the caller's own rows).
    A refused file raises IngestError before anything is recorded, unless `errors` is given:
    then (index, error) is appended to it and the file is left out."""
    storage = get_storage()
    prepared: list[Prepared] = []
    for n, f in enumerate(files):
        spec = f if isinstance(f, FileIn) else FileIn(f)
        try:
            prepared.append(prepare(spec.path, name=spec.name, provenance=spec.provenance, sha512=sha512,
                                    take_over=spec.take_over, storage=storage))
        except IngestError as exc:
            if errors is None:
                raise
            errors.append((n, exc))
    with transaction.atomic():
        results = record(prepared, source=source, user=user, testimony=testimony, person=person)
        if then is not None:
            then(results)
    _after(results, storage, derivatives, True)
    return results


# --- group commit (the CLI) --------------------------------------------------------------

BATCH_FILES = 256  # at most this many files copied and not yet recorded
BATCH_SECONDS = 0.25  # how often the files sealed so far are recorded
# fsyncs in flight at once: the file system commits its journal once for all the fsyncs waiting
# on it (measured here: 60 files fsynced from 4 threads take as long as one `sync`, from one
# thread almost twice that). They wait on the disk, not on the CPU.
SEALERS = 4


@dataclass
class _Staged:
    key: object  # the caller's (its path)
    shown: str
    prepared: Prepared
    temp: LocalTemp
    sealed: Future  # its fsync, on the sealing thread


def ingest_stream(
    paths: Iterable[str | os.PathLike | bytes],
    *,
    on_done: Callable[[object, IngestResult], None],
    on_error: Callable[[object, IngestError], None],
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    sha512: bool = False,
    derivatives: bool = True,
    progress_for: Callable[[str], Progress | None] | None = None,
    batch_files: int = BATCH_FILES,
    batch_seconds: float = BATCH_SECONDS,
) -> None:
    """Ingest many files with group commit. Each file is copied and hashed into a temp object
    (the kernel writes each copied range to disk as the copy goes on, see
    storage.start_writeback); its fsync then runs on another thread (SEALERS of them) while the
    next file is copied. Every `batch_seconds` the files whose fsync has finished are linked
    into place and their folders fsynced (on other threads too); each such group whose folders
    are durable is recorded in one transaction (rows, ledger entries, audit entries, one INSERT
    each); only then is `on_done` called for each, in order. So: the same guarantees as
    ingest_path one file at a time (nothing recorded before its bytes and name are durable;
    on_done, the CLI's --json line, only after the commit), without a disk round trip and a
    transaction per file. `on_error` gets each file that is refused, and the run goes on."""
    storage = get_storage()
    if not isinstance(storage, LocalStorage):  # no sealing thread for other backends: one by one
        for path in paths:
            try:
                result = ingest_path(path, source=source, user=user, testimony=testimony, person=person,
                                     derivatives=derivatives, sha512=sha512, schedule_sha512=False)
            except IngestError as exc:
                on_error(path, exc)
                continue
            on_done(path, result)
        return
    sealer = ThreadPoolExecutor(SEALERS, thread_name_prefix="aigaq-fsync")
    folder_syncer = ThreadPoolExecutor(SEALERS, thread_name_prefix="aigaq-fsync-dir")
    pending: deque[_Staged] = deque()  # copied, in order; placed in order once sealed
    placed: deque[tuple[list, list[Future]]] = deque()  # placed groups, their folder fsyncs
    kw = dict(source=source, user=user, testimony=testimony, person=person, derivatives=derivatives)

    def commit_sealed(wait_all: bool) -> None:
        # Place the sealed ones and start their folders' fsyncs (on other threads, so that the
        # copying goes on meanwhile) ...
        ready = []
        while pending and (wait_all or pending[0].sealed.done() or len(pending) >= batch_files):
            ready.append(pending.popleft())
        if ready:
            group, folders = _place_batch(ready, storage, on_error)
            placed.append((group, [folder_syncer.submit(sync_folders, [f]) for f in dict.fromkeys(folders)]))
        # ... and record each group whose folders are durable: nothing is recorded before its
        # bytes and its name are.
        while placed and (wait_all or all(f.done() for f in placed[0][1])):
            group, syncs = placed.popleft()
            for f in syncs:
                f.result()
            _record_batch(group, storage, on_done, on_error, **kw)

    try:
        with audit_head_once():  # the audit log's head file: once at the end, not per batch
            _stream(paths, storage, sealer, pending, commit_sealed, sha512, progress_for, batch_files,
                    batch_seconds, on_error)
    finally:
        for st in pending:  # left by an exception: nothing of theirs was recorded
            st.sealed.exception()
            st.temp.discard()
        sealer.shutdown(wait=True)
        folder_syncer.shutdown(wait=True)  # placed but not recorded: adopted by a later ingest


def _stream(paths, storage, sealer, pending, commit_sealed, sha512, progress_for, batch_files, batch_seconds,
            on_error) -> None:
    """The loop of ingest_stream: copy each file into a temp object, hand its fsync to the
    sealers, and record those sealed every `batch_seconds`."""
    last = time.monotonic()
    for path in paths:
        path_b = os.fsencode(path)
        shown = os.fsdecode(path_b)
        try:
            fd, before = _open_source(path_b, shown)
            try:
                receiver = _copy_to_temp(storage, fd, shown, before, sha512,
                                         progress_for(shown) if progress_for else None)
            finally:
                os.close(fd)
            temp = receiver.temp
            assert isinstance(temp, LocalTemp)
            media_type = sniff(receiver.head)
            prepared = Prepared(receiver.sha256, receiver.sha512, receiver.size, media_type,
                                os.path.basename(path_b), media.technical_metadata(temp.path, media_type))
        except IngestError as exc:
            on_error(path, exc)
            continue
        pending.append(_Staged(path, shown, prepared, temp, sealer.submit(storage.seal, temp)))
        if time.monotonic() - last >= batch_seconds or len(pending) >= batch_files:
            commit_sealed(wait_all=False)
            last = time.monotonic()
    commit_sealed(wait_all=True)


def _place_batch(staged: list[_Staged], storage: LocalStorage, on_error) -> tuple[list[tuple[_Staged, bool]],
                                                                                  list[Path]]:
    """Link sealed temp objects into place (in order). Returns (the placed ones with whether
    each was new, the folders to fsync before any of them is recorded)."""
    placed: list[tuple[_Staged, bool]] = []
    folders: list[Path] = []
    for i, st in enumerate(staged):
        try:
            try:
                st.sealed.result()
            except OSError as exc:
                raise IngestError(f"{st.shown!r}: cannot be stored ({exc.strerror or exc}); nothing kept") from None
            created, dirs = storage.place(st.temp, st.prepared.sha256)
        except IngestError as exc:
            on_error(st.key, exc)
            continue
        except BaseException:
            for later in staged[i + 1:]:
                later.sealed.exception()
                later.temp.discard()
            raise
        folders += dirs
        placed.append((st, created))
    return placed, folders


def _record_batch(placed: list[tuple[_Staged, bool]], storage: LocalStorage, on_done, on_error, *, source, user,
                  testimony, person, derivatives) -> None:
    """Record placed files (their folders already fsynced) in one transaction, then report each."""
    ready: list[_Staged] = []
    for st, created in placed:
        if not created:  # same bytes stored before: never overwritten, checked instead
            try:
                _repair_if_damaged(storage, st.prepared.sha256)
            except IngestError as exc:
                on_error(st.key, IngestError(f"{st.shown!r}: {exc}"))
                continue
        ready.append(st)
    if not ready:
        return
    kw = dict(source=source, user=user, testimony=testimony, person=person)
    try:
        results = list(zip(ready, record([st.prepared for st in ready], **kw), strict=True))
    except IngestError:
        # One of them conflicts with what is recorded: record the others, one transaction each.
        results = []
        for st in ready:
            try:
                results.append((st, record([st.prepared], **kw)[0]))
            except IngestError as exc:
                on_error(st.key, IngestError(f"{st.shown!r}: {exc}"))
    for st, result in results:
        on_done(st.key, result)
    _after([r for _, r in results], storage, derivatives, False)


def commit(
    storage: Storage,
    receiver: Receiver,
    *,
    raw_name: bytes,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    derivative_of: EvidenceItem | None = None,
    derivative_kind: str = "",
    derivatives: bool = True,
    provenance: dict | None = None,
) -> IngestResult:
    """Make received bytes durable, then record them. For uploads and derivatives."""
    prepared, created = _store(storage, receiver, raw_name, provenance)
    if not created:
        _repair_if_damaged(storage, prepared.sha256)
    result = record([prepared], source=source, user=user, testimony=testimony, person=person,
                    derivative_of=derivative_of, derivative_kind=derivative_kind)[0]
    _after([result], storage, derivatives and derivative_of is None, True)
    return result


def _repair_if_damaged(storage: Storage, sha256: str) -> None:
    """The object was there already (same bytes stored once). If the stored copy is damaged,
    say so: the fresh bytes were not used to overwrite it (originals are never replaced)."""
    h = hashlib.sha256()
    with storage.open(sha256) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    if h.hexdigest() == sha256:
        return
    raise IngestError(f"sha256:{sha256}: the stored copy is damaged; it was not "
                      "overwritten. Run `aigaq verify` and restore it from a backup or this file")


def make_derivatives(item: EvidenceItem, storage: Storage | None = None) -> list[EvidenceItem]:
    """Thumbnail / poster frame as separate items linked to the original (optional tools)."""
    storage = storage or get_storage()
    if not isinstance(storage, LocalStorage):
        return []
    made = []
    for kind, path, tmpdir in media.derivatives_for(storage.path_for(item.sha256), item.media_type):
        try:
            if EvidenceItem.objects.filter(derivative_of=item, derivative_kind=kind).exists():
                continue
            receiver = Receiver(storage.create_temp())
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(CHUNK):
                        receiver.write(chunk)
                receiver.finish()
                result = commit(storage, receiver, raw_name=f"{kind}.jpg".encode(), derivative_of=item,
                                derivative_kind=kind, source=f"{kind} of sha256:{item.sha256}")
            except BaseException:
                receiver.abort()  # no temp file left behind (a no-op once committed)
                raise
            made.append(result.item)
        finally:
            tmpdir.cleanup()
    return made
