"""The one place that writes evidence into the vault.

Order of operations, so that a crash at any moment leaves nothing half-written visible:
bytes → temp object (hashed while copied) → fsync → link into place under the SHA-256 →
fsync the folders → one database transaction with the item row and its ledger entry.
A crash before the transaction leaves at most an object with no row; it is not evidence
until its row exists, and ingesting the same bytes again adopts it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from aigaq.ledger import log as ledger
from aigaq.ledger.models import EventKind
from aigaq.vault import media
from aigaq.vault.models import EvidenceItem, EvidenceLink
from aigaq.vault.receive import CHUNK, Receiver
from aigaq.vault.sniff import sniff
from aigaq.vault.storage import LocalStorage, LocalTemp, Storage, get_storage

Progress = Callable[[int, int], None]
NAME_MAX = 255


class IngestError(Exception):
    """A file that cannot be taken in, with a reason a person can act on."""


@dataclass
class IngestResult:
    item: EvidenceItem
    created: bool


def display_name(raw: bytes) -> str:
    """A name safe to show: valid UTF-8, no control or format characters, no path parts."""
    text = raw.decode("utf-8", "replace")
    text = text.replace("/", "\ufffd").replace("\\", "\ufffd")
    text = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)
    return text[:NAME_MAX]


def ingest_path(
    path: str | os.PathLike | bytes,
    *,
    source: str = "",
    user=None,
    testimony=None,
    person=None,
    on_progress: Progress | None = None,
    derivatives: bool = True,
) -> IngestResult:
    """Take one file into the vault. Refuses symlinks, non-regular and empty files, and files
    that change or disappear while they are read."""
    path_b = os.fsencode(path)
    shown = os.fsdecode(path_b)
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
        storage = get_storage()
        receiver = Receiver(storage.create_temp())
        try:
            done = 0
            while True:
                chunk = os.read(fd, CHUNK)
                if not chunk:
                    break
                receiver.write(chunk)
                done += len(chunk)
                if on_progress:
                    on_progress(done, before.st_size)
            receiver.finish()
            after = os.fstat(fd)
            if after.st_nlink == 0:
                raise IngestError(f"{shown!r}: was deleted while it was being read; nothing kept")
            if (done, after.st_size, after.st_mtime_ns) != (before.st_size, before.st_size, before.st_mtime_ns):
                raise IngestError(f"{shown!r}: changed while it was being read ({before.st_size} bytes "
                                  f"at the start, {done} read); nothing kept, try again")
        except BaseException:
            receiver.abort()
            raise
    finally:
        os.close(fd)
    return commit(
        storage, receiver, raw_name=os.path.basename(path_b), source=source, user=user,
        testimony=testimony, person=person, derivatives=derivatives,
    )


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
) -> IngestResult:
    """Make received bytes durable, then record them. Shared by the CLI, uploads and bag import."""
    if receiver.size == 0:
        receiver.abort()
        raise IngestError("empty file (0 bytes), nothing to keep")
    media_type = sniff(receiver.head)
    temp = receiver.temp
    metadata = {}
    if isinstance(temp, LocalTemp):
        metadata = media.technical_metadata(temp.path, media_type)
    created_object = storage.commit(temp, receiver.sha256)
    if not created_object:
        _repair_if_damaged(storage, receiver)
    raw_name = raw_name[:1024]
    fields = dict(
        sha512=receiver.sha512, size=receiver.size, media_type=media_type,
        filename=display_name(raw_name), filename_raw=base64.b64encode(raw_name).decode("ascii"),
        metadata=metadata, source=source, created_by=user,
        derivative_of=derivative_of, derivative_kind=derivative_kind,
    )
    for attempt in (1, 2):
        try:
            result = _record(receiver.sha256, fields, user, testimony, person)
            break
        except IntegrityError:
            if attempt == 2:  # the same bytes were recorded by a concurrent writer: take theirs
                raise
    if result.created and derivatives and derivative_of is None:
        make_derivatives(result.item, storage)
    return result


def _record(sha256: str, fields: dict, user, testimony, person) -> IngestResult:
    with transaction.atomic():
        item = EvidenceItem.objects.filter(sha256=sha256).first()
        created = item is None
        if item is None:
            item = EvidenceItem.objects.create(sha256=sha256, **fields)
            kind = EventKind.DERIVATIVE if item.derivative_of_id else EventKind.INGESTED
            data = {
                "sha256": sha256, "sha512": item.sha512, "size": item.size,
                "media_type": item.media_type, "filename": item.filename,
                "source": item.source, "by": user.get_username() if user else "",
            }
            if item.derivative_of_id:
                data.update(derivative_of=item.derivative_of.sha256, derivative_kind=item.derivative_kind)
            ledger.append(kind, sha256, data)
        elif item.sha512 != fields["sha512"] or item.size != fields["size"]:
            raise IngestError(f"sha256:{sha256}: already recorded with another SHA-512 or size; "
                              "run `aigaq verify`")
        if testimony is not None or person is not None:
            link(item, testimony=testimony, person=person, user=user)
    return IngestResult(item=item, created=created)


def link(item: EvidenceItem, *, testimony=None, person=None, user=None) -> list[EvidenceLink]:
    """Link an item to a testimony and/or a person, logging each new link in the ledger."""
    made = []
    with transaction.atomic():
        for field, target in (("testimony", testimony), ("person", person)):
            if target is None:
                continue
            obj, new = EvidenceLink.objects.get_or_create(item=item, **{field: target}, defaults={"created_by": user})
            if new:
                ledger.append(EventKind.LINKED, item.sha256, {field: str(target.uid), "by": user.get_username() if user else ""})
                made.append(obj)
    return made


def _repair_if_damaged(storage: Storage, receiver: Receiver) -> None:
    """The object was there already (same bytes stored once). If the stored copy is damaged,
    the fresh bytes we just received restore it: they hash to the address by construction."""
    h = hashlib.sha256()
    with storage.open(receiver.sha256) as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    if h.hexdigest() == receiver.sha256:
        return
    raise IngestError(f"sha256:{receiver.sha256}: the stored copy is damaged; it was not "
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
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    receiver.write(chunk)
            receiver.finish()
            result = commit(storage, receiver, raw_name=f"{kind}.jpg".encode(), derivative_of=item,
                            derivative_kind=kind, source=f"{kind} of sha256:{item.sha256}")
            made.append(result.item)
        finally:
            tmpdir.cleanup()
    return made
