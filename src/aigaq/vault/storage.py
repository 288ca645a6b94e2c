"""Where the vault keeps its bytes: one interface, a local-folder backend now, S3 later.

Objects are addressed by the SHA-256 of their content. A writer fills a temporary object
that no reader can see; `commit` makes it visible under its hash only after it is durable.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings


class StorageError(Exception):
    pass


class TempObject(ABC):
    """A write-once object being filled; invisible until committed."""

    @abstractmethod
    def write(self, data: bytes | memoryview) -> None: ...

    @abstractmethod
    def discard(self) -> None: ...


class Storage(ABC):
    def ensure(self) -> None:
        """Create whatever the backend needs (folders, a bucket); idempotent."""
        return None

    @abstractmethod
    def create_temp(self) -> TempObject: ...

    @abstractmethod
    def commit(self, temp: TempObject, sha256: str) -> bool:
        """Make the temp object durable and visible as `sha256`. False if it was there already
        (the temp object is then dropped: same bytes are stored once)."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO: ...

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def size(self, sha256: str) -> int: ...

    @abstractmethod
    def iter_hashes(self) -> Iterator[str]: ...


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folders(folders: list[Path], pool=None) -> None:
    """fsync each folder once (the entries that name new objects and new shard folders); with a
    thread pool, several at once (the file system then commits its journal and flushes the disk's
    cache once for all of them, instead of once each)."""
    unique = list(dict.fromkeys(folders))
    if pool is None or len(unique) < 2:
        for folder in unique:
            _fsync_dir(folder)
    else:
        list(pool.map(_fsync_dir, unique))


_sync_file_range = None


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing this range to disk now (Linux sync_file_range with
    SYNC_FILE_RANGE_WRITE: it does not wait, and guarantees nothing: the fsync in seal() does).
    Writing while the copy goes on, instead of all at once at the fsync, is what lets a large
    ingest take about as long as the disk needs for its bytes. A no-op where not available."""
    global _sync_file_range
    if _sync_file_range is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols: libc's included
            func = libc.sync_file_range
            func.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
            func.restype = ctypes.c_int
            _sync_file_range = func
        except (OSError, AttributeError):
            _sync_file_range = False
    if _sync_file_range:
        _sync_file_range(fd, offset, length, 2)  # SYNC_FILE_RANGE_WRITE; errors ignored


def _check_hash(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise StorageError(f"not a SHA-256 in lower-case hex: {sha256!r}")
    return sha256


class LocalTemp(TempObject):
    def __init__(self, directory: Path) -> None:
        # The pid in the name lets a later run tell a crashed writer's leftovers from live ones.
        fd_path = directory / f"{os.getpid()}-{os.urandom(8).hex()}.part"
        self.path = fd_path
        # Read-write: the hash thread reads back what copy_file_range wrote (receive.py).
        self.fd = os.open(fd_path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)

    @classmethod
    def adopt(cls, path: Path, fd: int) -> LocalTemp:
        """A finished file of the caller's (same file system), taken over as a temp object:
        `fd` is open on it; commit() fsyncs it and links it into place, no copy."""
        temp = cls.__new__(cls)
        temp.path = Path(path)
        temp.fd = fd
        return temp

    def write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class LocalStorage(Storage):
    """Objects at ROOT/sha256/ab/cd/<hex>, read-only once written; temps in ROOT/tmp."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"
        self.objects = self.root / "sha256"

    def ensure(self) -> None:
        for d in (self.root, self.tmp, self.objects):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path_for(self, sha256: str) -> Path:
        h = _check_hash(sha256)
        return self.objects / h[:2] / h[2:4] / h

    def create_temp(self) -> LocalTemp:
        self.ensure()
        return LocalTemp(self.tmp)

    def commit(self, temp: TempObject, sha256: str) -> bool:
        """Two fsyncs per new object, the floor for "durable before recorded": the file's data,
        then the folder entry that names it (plus the parent folders' entries, only when a shard
        folder was just created). Dropping the temp name needs no fsync: a temp left behind by a
        crash is removed by clean_stale_temps()."""
        assert isinstance(temp, LocalTemp)
        self.seal(temp)
        created, folders = self.place(temp, sha256)
        sync_folders(folders)
        return created

    # commit() in three steps, for group commit (ingest of many files): seal each temp (its
    # fsync can run on another thread while the next file is copied), place them all, then
    # one sync_folders() for the lot: the first folder fsync commits the file system's journal,
    # and the others find nothing left to write.

    def seal(self, temp: TempObject) -> None:
        """Make the temp object's bytes durable and read-only (fsync); its name is still a temp
        name. Safe to call on another thread."""
        assert isinstance(temp, LocalTemp)
        try:
            os.fchmod(temp.fd, 0o400)
            os.fsync(temp.fd)
            temp.close()
        except BaseException:
            temp.discard()
            raise

    def place(self, temp: TempObject, sha256: str) -> tuple[bool, list[Path]]:
        """Link a sealed temp object into place under its hash. Returns (created, folders whose
        entries must be fsynced, see sync_folders) ; (False, []) if the object was there already
        (the temp is dropped: same bytes are stored once)."""
        assert isinstance(temp, LocalTemp)
        target = self.path_for(sha256)
        try:
            temp.close()
            if target.exists():
                temp.discard()
                return False, []
            made = self._make_shard(target.parent)
            try:
                # link() refuses to replace: two writers of the same bytes cannot clobber.
                os.link(temp.path, target)
            except FileExistsError:
                temp.discard()
                return False, []
            temp.path.unlink()
        except BaseException:
            temp.discard()
            raise
        # a new shard folder's own name must be durable too
        return True, [target.parent, *(folder.parent for folder in made)]

    def _make_shard(self, shard: Path) -> list[Path]:
        made = []
        for folder in (shard.parent, shard):
            try:
                os.mkdir(folder, 0o700)
                made.append(folder)
            except FileExistsError:
                pass
        return made

    def open(self, sha256: str) -> BinaryIO:
        path = self.path_for(sha256)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise StorageError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb", buffering=0)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path_for(sha256).stat().st_size

    def iter_hashes(self) -> Iterator[str]:
        if not self.objects.is_dir():
            return
        for a in sorted(self.objects.iterdir()):
            for b in sorted(a.iterdir()):
                for f in sorted(b.iterdir()):
                    yield f.name

    def clean_stale_temps(self) -> int:
        """Remove temp files and work folders (capture's) left by writers that died: their name
        starts with a pid that is no longer running."""
        removed = 0
        if not self.tmp.is_dir():
            return 0
        for f in self.tmp.iterdir():
            pid = f.name.split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            if f.is_dir() and not f.is_symlink():
                shutil.rmtree(f, ignore_errors=True)
            else:
                f.unlink(missing_ok=True)
            removed += 1
        return removed

    def same_filesystem(self, path: str | os.PathLike | bytes) -> bool:
        """Whether a file at `path` can be linked into the vault (no copy)."""
        self.ensure()
        return os.stat(path).st_dev == os.stat(self.tmp).st_dev


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


def get_storage() -> Storage:
    """The configured backend. Only the local folder (AIGAQ_DATA/vault) exists today; an
    S3-compatible backend implements the same Storage interface."""
    return LocalStorage(settings.DATA_DIR / "vault")
