"""Receiving bytes into the vault: copy into a temp object while hashing.

Only SHA-256 (the address; SHA-NI makes it cheap) is computed while copying by default. SHA-512
costs about 2 CPU-seconds per GB on CPUs without SHA-512 instructions, so it is computed later by
the `vault.sha512` background job (aigaq.vault.jobs), or inline when asked (`sha512=True`).

Hashing runs in its own thread (hashlib releases the GIL on large buffers): the hash of one chunk
overlaps the read and write of the next, so on two cores the copy costs about max(copy, hash)
rather than their sum. Memory is bounded by two reusable buffers (copy_from) or QUEUE_DEPTH
chunks (write), whatever the file's size.
"""

from __future__ import annotations

import errno
import hashlib
import mmap
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from aigaq.vault.sniff import HEAD_BYTES
from aigaq.vault.storage import TempObject, start_writeback

CHUNK = 4 * 1024 * 1024  # streamed writes (uploads)
COPY_CHUNK = 8 * 1024 * 1024  # file copies: large reads keep syscalls and thread hand-offs rare
# copy_file_range: ranges this large cost half the CPU of 8 MiB ones here (measured); the hash
# thread reads each range back through HASH_WINDOW mappings, so memory does not grow with it.
COPY_RANGE = 64 * 1024 * 1024
HASH_WINDOW = COPY_CHUNK
QUEUE_DEPTH = 2

_lock = threading.Lock()
_pools: dict[str, ThreadPoolExecutor] = {}


_local = threading.local()


def _thread_buffer() -> memoryview:
    """One COPY_CHUNK buffer per hashing thread, reused for every file (no 8 MiB allocation,
    and its page faults, per file)."""
    if not hasattr(_local, "view"):
        _local.view = memoryview(bytearray(COPY_CHUNK))
    return _local.view


def _pool(name: str) -> ThreadPoolExecutor:
    # One single-thread pool per algorithm and process: updates to one hash run in order.
    with _lock:
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(1, thread_name_prefix=f"aigaq-{name}")
        return _pools[name]


class SourceChanged(Exception):
    """The file being copied grew while it was read (more bytes than its size said)."""


class Receiver:
    """write() chunks in order (or copy_from() a file descriptor), then finish();
    sha256/sha512/size/head are then set. sha512 is None unless asked for."""

    def __init__(self, temp: TempObject, *, sha512: bool = False) -> None:
        self.temp = temp
        self._hashers = [hashlib.sha256()] + ([hashlib.sha512()] if sha512 else [])
        self._pending: deque[Future] = deque()
        self._buffer = bytearray()
        self.size = 0
        self.head = b""
        self.sha256 = ""
        self.sha512: str | None = None

    # --- streamed input (uploads, derivatives) -------------------------------------------

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._buffer and len(data) >= CHUNK:
            self._dispatch(bytes(data))  # no copy when given bytes
            return
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._dispatch(chunk)

    def _dispatch(self, chunk: bytes) -> None:
        self._note(chunk)
        for h in self._hashers:
            self._pending.append(_pool(h.name).submit(h.update, chunk))
        self.temp.write(chunk)
        while len(self._pending) > len(self._hashers) * QUEUE_DEPTH:
            self._pending.popleft().result()

    def _note(self, chunk: bytes | memoryview) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += bytes(chunk[: HEAD_BYTES - len(self.head)])
        self.size += len(chunk)

    # --- a whole file (the CLI, capture, bag import) -------------------------------------

    def copy_from(self, fd: int, limit: int, on_progress: Callable[[int, int], None] | None = None) -> None:
        """Copy `fd` to its end. Raises SourceChanged past `limit` bytes (the file grew), so a
        growing file cannot fill the disk. Into a local temp file the kernel copies
        (copy_file_range: no trip through user space, about half the CPU time of read+write here)
        and the hash thread reads back each range just copied, so what is hashed is what was
        stored; otherwise read+write through two reusable buffers."""
        if getattr(self.temp, "fd", None) is not None and hasattr(os, "copy_file_range"):
            try:
                self._copy_range(fd, limit, on_progress)
                return
            except OSError as exc:
                # Not supported between these file systems / by this kernel: copy by hand, once
                # nothing has been copied yet (file offsets are then untouched).
                if self.size or exc.errno not in (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP,
                                                  errno.EBADF):
                    raise
        self._copy_rw(fd, limit, on_progress)

    def _copy_range(self, fd: int, limit: int, on_progress) -> None:
        out = self.temp.fd
        pending: deque[Future] = deque()
        writebacks: list[Future] = []
        try:
            while True:
                # never more than one byte past `limit`: a file that grows is caught at once
                n = os.copy_file_range(fd, out, max(1, min(COPY_RANGE, limit + 1 - self.size)))
                if not n:
                    break
                offset = self.size
                self.size += n
                if self.size > limit:
                    raise SourceChanged()
                # At most one range waiting behind the one being hashed: the copy runs ahead
                # of the hash by one chunk, no further (the page cache holds both).
                while len(pending) > 1:
                    pending.popleft().result()
                pending.append(_pool(self._hashers[0].name).submit(self._hash_range, out, offset, n))
                # The disk writes while the copy goes on; on its own thread, as the call can
                # block while the disk's queue is full.
                writebacks.append(_pool("writeback").submit(start_writeback, out, offset, n))
                if on_progress:
                    on_progress(self.size, limit)
        finally:
            while pending:
                pending.popleft().result()
            for f in writebacks:  # none may outlive `out`
                f.result()

    def _hash_range(self, fd: int, offset: int, length: int) -> None:
        """Runs on the single sha256 thread (ranges in order): read back what was just copied,
        through read-only mappings of the temp file, HASH_WINDOW bytes at a time (no copy into a
        buffer: about a third less CPU than pread; the temp file is ours alone, nobody truncates
        it under the mapping)."""
        end = offset + length
        while offset < end:
            start = offset - offset % mmap.ALLOCATIONGRANULARITY
            stop = min(end, start + HASH_WINDOW)
            try:
                mapped = mmap.mmap(fd, stop - start, access=mmap.ACCESS_READ, offset=start)
            except (OSError, ValueError):
                self._hash_range_pread(fd, offset, end - offset)
                return
            with mapped:
                view = memoryview(mapped)
                chunk = view[offset - start:]
                try:
                    self._hash_chunk(chunk)
                finally:
                    chunk.release()
                    view.release()
            offset = stop

    def _hash_chunk(self, chunk: memoryview) -> None:
        if len(self.head) < HEAD_BYTES:  # ranges come in order, on this one thread
            self.head += bytes(chunk[: HEAD_BYTES - len(self.head)])
        later = [_pool(h.name).submit(h.update, chunk) for h in self._hashers[1:]]
        self._hashers[0].update(chunk)
        for f in later:
            f.result()

    def _hash_range_pread(self, fd: int, offset: int, length: int) -> None:
        view = _thread_buffer()
        end = offset + length
        while offset < end:
            n = os.preadv(fd, [view[: min(COPY_CHUNK, end - offset)]], offset)
            if not n:
                raise OSError(errno.EIO, "the temp file is shorter than what was copied into it")
            self._hash_chunk(view[:n])
            offset += n

    def _copy_rw(self, fd: int, limit: int, on_progress) -> None:
        """read+write through two reusable buffers: while the hash thread digests chunk k, this
        thread reads and writes chunk k+1."""
        bufs = [bytearray(COPY_CHUNK), bytearray(COPY_CHUNK)]
        views = [memoryview(b) for b in bufs]
        pending: list[Future] = []
        k = 0
        try:
            while True:
                view = views[k & 1]
                n = os.readv(fd, [view])  # into the buffer the hash of chunk k-2 has released
                if not n:
                    break
                chunk = view[:n]
                self._note(chunk)
                if self.size > limit:
                    raise SourceChanged()
                self.temp.write(chunk)
                if (out := getattr(self.temp, "fd", None)) is not None:
                    start_writeback(out, self.size - n, n)
                for f in pending:  # chunk k-1 hashed: its buffer is free, and order is kept
                    f.result()
                pending = [_pool(h.name).submit(h.update, chunk) for h in self._hashers]
                k += 1
                if on_progress:
                    on_progress(self.size, limit)
        finally:
            for f in pending:
                f.result()

    def finish(self) -> None:
        if self._buffer:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._dispatch(chunk)
        while self._pending:
            self._pending.popleft().result()
        self.sha256 = self._hashers[0].hexdigest()
        if len(self._hashers) > 1:
            self.sha512 = self._hashers[1].hexdigest()

    def abort(self) -> None:
        while self._pending:
            self._pending.popleft().result()
        self.temp.discard()


def hash_fd(fd: int, *, sha512: bool = True, on_progress: Callable[[int], None] | None = None
            ) -> tuple[str, str | None, int, bytes]:
    """(sha256, sha512 or None, size, head) of what `fd` reads to its end, with the same
    two-buffer overlap as Receiver.copy_from (the read of chunk k+1 overlaps the hashes of k)."""

    class _Null(TempObject):
        def write(self, data) -> None:
            return None

        def discard(self) -> None:
            return None

    r = Receiver(_Null(), sha512=sha512)
    r.copy_from(fd, limit=1 << 62, on_progress=(lambda d, t: on_progress(d)) if on_progress else None)
    r.finish()
    return r.sha256, r.sha512, r.size, r.head
