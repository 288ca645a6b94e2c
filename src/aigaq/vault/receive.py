"""Receiving bytes into the vault: copy into a temp object while hashing SHA-256 and SHA-512.

Each hash runs in its own thread (hashlib releases the GIL on large buffers), so on two cores
hashing overlaps the copy instead of adding to it. Memory is bounded by QUEUE_DEPTH chunks,
whatever the file's size.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from aigaq.vault.sniff import HEAD_BYTES
from aigaq.vault.storage import TempObject

CHUNK = 4 * 1024 * 1024
QUEUE_DEPTH = 2

_lock = threading.Lock()
_pools: dict[str, ThreadPoolExecutor] = {}


def _pool(name: str) -> ThreadPoolExecutor:
    # One single-thread pool per algorithm and process: updates to one hash run in order.
    with _lock:
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(1, thread_name_prefix=f"aigaq-{name}")
        return _pools[name]


class Receiver:
    """write() chunks in order, then finish(); sha256/sha512/size/head are then set."""

    def __init__(self, temp: TempObject) -> None:
        self.temp = temp
        self._h256 = hashlib.sha256()
        self._h512 = hashlib.sha512()
        self._pending: deque[Future] = deque()
        self._buffer = bytearray()
        self.size = 0
        self.head = b""
        self.sha256 = ""
        self.sha512 = ""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._buffer and len(data) >= CHUNK:
            self._dispatch(bytes(data))  # no copy when given bytes
            return
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._dispatch(chunk)

    def _dispatch(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.size += len(chunk)
        self._pending.append(_pool("sha256").submit(self._h256.update, chunk))
        self._pending.append(_pool("sha512").submit(self._h512.update, chunk))
        self.temp.write(chunk)
        while len(self._pending) > 2 * QUEUE_DEPTH:
            self._pending.popleft().result()

    def finish(self) -> None:
        if self._buffer:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._dispatch(chunk)
        while self._pending:
            self._pending.popleft().result()
        self.sha256 = self._h256.hexdigest()
        self.sha512 = self._h512.hexdigest()

    def abort(self) -> None:
        while self._pending:
            self._pending.popleft().result()
        self.temp.discard()
