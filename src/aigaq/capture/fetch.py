"""Fetching one URL over plain HTTP(S), recording every hop as evidence needs it.

Written on the standard library's http.client rather than urllib/requests because a capture
must record what those hide: each redirect hop separately, the server's IP address for each,
the exact status line and header order, and a body limit and stall detection enforced while
reading (not after). Bodies go to temporary files, never into memory.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A URL that could not be captured, with a reason a person can act on."""

    def __init__(self, url: str, reason: str, kind: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.kind = kind  # "scheme", "dns", "connect", "timeout", "stalled", "too_large", "redirects", "protocol"


@dataclass
class Limits:
    max_bytes: int
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_redirects: int = 10

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.AIGAQ_CAPTURE_MAX_BYTES,
            connect_timeout=settings.AIGAQ_CAPTURE_CONNECT_TIMEOUT,
            read_timeout=settings.AIGAQ_CAPTURE_READ_TIMEOUT,
            total_timeout=settings.AIGAQ_CAPTURE_TOTAL_TIMEOUT,
        )


@dataclass
class Hop:
    """One request and its response."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    protocol: str  # "HTTP/1.1"
    headers: list[tuple[str, str]]
    server_ip: str
    server_port: int
    time: datetime  # system clock, UTC, when the request was sent
    body_path: Path | None = None
    body_size: int = 0
    body_sha256: str = ""
    truncated: bool = False  # only when the caller asked for a sample (takedown checks)
    sample: bytes = b""  # the first bytes of the body, kept in memory when there is no workdir

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()

    def as_provenance(self) -> dict:
        return {
            "url": self.url, "method": self.method, "status": self.status, "reason": self.reason,
            "protocol": self.protocol, "headers": [list(h) for h in self.headers],
            "server_ip": self.server_ip, "server_port": self.server_port,
            "time": self.time.isoformat(timespec="microseconds"),
            "body_size": self.body_size, "body_sha256": self.body_sha256,
        }


@dataclass
class FetchResult:
    hops: list[Hop] = field(default_factory=list)

    @property
    def final(self) -> Hop:
        return self.hops[-1]

    @property
    def sample(self) -> bytes:
        return self.final.sample


Progress = Callable[[int, int], None]


def _connection(url: str, limits: Limits) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https addresses can be captured, not {parts.scheme or 'this'!r}", "scheme")
    if not parts.hostname:
        raise FetchError(url, "the address has no host name", "scheme")
    try:
        port = parts.port
    except ValueError:
        raise FetchError(url, "the address has an invalid port", "scheme") from None
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=limits.connect_timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=limits.connect_timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return conn, target


def _connect(conn: http.client.HTTPConnection, url: str, limits: Limits) -> None:
    try:
        conn.connect()
    except socket.gaierror:
        raise FetchError(url, f"the host name {urlsplit(url).hostname!r} does not resolve", "dns") from None
    except TimeoutError:
        raise FetchError(url, f"no connection within {limits.connect_timeout:g} s "
                              "(AIGAQ_CAPTURE_CONNECT_TIMEOUT)", "connect") from None
    except ssl.SSLError as exc:
        raise FetchError(url, f"TLS failed: {exc.reason or exc}", "connect") from None
    except OSError as exc:
        raise FetchError(url, f"cannot connect: {exc.strerror or exc}", "connect") from None


def _read_body(resp: http.client.HTTPResponse, url: str, path: Path | None, limits: Limits,
               started: float, sample: int | None, on_progress: Progress | None,
               keep: bytearray | None = None) -> tuple[int, str, bool]:
    """Stream the body to `path` (or only hash it), enforcing the size limit, stalls and the
    total deadline while reading."""
    declared = resp.getheader("Content-Length")
    total = int(declared) if declared and declared.isdigit() else 0
    if sample is None and total > limits.max_bytes:
        raise FetchError(url, f"the response is {total:,} bytes, over the limit of {limits.max_bytes:,} "
                              "(AIGAQ_CAPTURE_MAX_BYTES); nothing kept", "too_large")
    h = hashlib.sha256()
    size = 0
    out = open(path, "wb") if path else None  # noqa: SIM115 - closed in finally
    try:
        while True:
            if time.monotonic() - started > limits.total_timeout:
                raise FetchError(url, f"the server is too slow: {size:,} bytes in {limits.total_timeout:g} s "
                                      "(AIGAQ_CAPTURE_TOTAL_TIMEOUT); nothing kept", "stalled")
            try:
                chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
            except TimeoutError:
                raise FetchError(url, f"the server stalled: no data for {limits.read_timeout:g} s after "
                                      f"{size:,} bytes (AIGAQ_CAPTURE_READ_TIMEOUT); nothing kept", "stalled") from None
            except (http.client.IncompleteRead, ConnectionError) as exc:
                raise FetchError(url, f"the connection broke after {size:,} bytes ({exc.__class__.__name__}); "
                                      "nothing kept", "protocol") from None
            if not chunk:
                break
            if sample is not None and size + len(chunk) > sample:
                chunk = chunk[: sample - size]
                h.update(chunk)
                size += len(chunk)
                if out:
                    out.write(chunk)
                if keep is not None:
                    keep += chunk
                return size, h.hexdigest(), True
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(url, f"the response is larger than the limit of {limits.max_bytes:,} bytes "
                                      "(AIGAQ_CAPTURE_MAX_BYTES); nothing kept", "too_large")
            h.update(chunk)
            if out:
                out.write(chunk)
            if keep is not None:
                keep += chunk
            if on_progress:
                on_progress(size, total)
        if out:
            out.flush()
            os.fsync(out.fileno())
    finally:
        if out:
            out.close()
    return size, h.hexdigest(), False


def _new_body_path(workdir: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=workdir, prefix="body-")
    os.close(fd)
    return Path(name)


def fetch(url: str, workdir: Path | None, *, limits: Limits | None = None, method: str = "GET",
          sample: int | None = None, on_progress: Progress | None = None,
          headers: dict[str, str] | None = None) -> FetchResult:
    """Fetch `url`, following redirects; every hop is recorded. Bodies are written under
    `workdir` (None: hashed only). With `sample`, read at most that many body bytes per hop."""
    limits = limits or Limits.from_settings()
    result = FetchResult()
    seen: set[str] = set()
    current = url
    for _ in range(limits.max_redirects + 1):
        if current in seen:
            raise FetchError(url, f"redirect loop at {current}", "redirects")
        seen.add(current)
        hop = _one(current, workdir, limits, method, sample, on_progress, headers or {}, len(result.hops))
        result.hops.append(hop)
        location = hop.header("location")
        if hop.status in REDIRECTS and location:
            current = urljoin(current, location.strip())
            continue
        return result
    raise FetchError(url, f"more than {limits.max_redirects} redirects", "redirects")


def _one(url: str, workdir: Path | None, limits: Limits, method: str, sample: int | None,
         on_progress: Progress | None, extra: dict[str, str], index: int) -> Hop:
    conn, target = _connection(url, limits)
    started = time.monotonic()
    try:
        _connect(conn, url, limits)
        conn.sock.settimeout(limits.read_timeout)
        peer = conn.sock.getpeername()
        parts = urlsplit(url)
        request_headers = [
            ("Host", parts.netloc.rsplit("@", 1)[-1]),
            ("User-Agent", settings.AIGAQ_CAPTURE_USER_AGENT),
            ("Accept", "*/*"),
            # Identity encoding: the WARC then holds the bytes exactly as served, undecoded.
            ("Accept-Encoding", "identity"),
            *extra.items(),
        ]
        when = datetime.now(UTC)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for k, v in request_headers:
                conn.putheader(k, v)
            conn.endheaders()
            resp = conn.getresponse()
        except TimeoutError:
            raise FetchError(url, f"the server accepted the connection but sent no response within "
                                  f"{limits.read_timeout:g} s (AIGAQ_CAPTURE_READ_TIMEOUT)", "stalled") from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise FetchError(url, f"not a valid HTTP response ({exc.__class__.__name__}: {exc})", "protocol") from None
        hop = Hop(
            url=url, method=method, request_headers=request_headers, status=resp.status,
            reason=resp.reason or "", protocol="HTTP/1.0" if resp.version == 10 else "HTTP/1.1",
            headers=list(resp.getheaders()), server_ip=peer[0], server_port=peer[1], time=when,
        )
        if method != "HEAD":
            path = _new_body_path(workdir) if workdir else None
            keep = bytearray() if path is None and sample is not None else None
            hop.body_size, hop.body_sha256, hop.truncated = _read_body(
                resp, url, path, limits, started, sample, on_progress, keep)
            hop.body_path = path
            hop.sample = bytes(keep or b"")
        return hop
    finally:
        conn.close()
