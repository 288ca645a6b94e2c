"""A real HTTP server on 127.0.0.1 with the situations a capture meets on the web."""

from __future__ import annotations

import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(200_000)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Testimony of Serikzhan — day 1</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><h1>Свидетельство</h1>
<img src="img/photo.png" alt=""><img srcset="/img/small.png 1x, /img/large.png 2x" alt="">
<video controls poster="/img/poster.png"><source src="/media/clip.mp4" type="video/mp4"></video>
<img src="/missing.png"><a href="/other">not a requisite</a>
</body></html>""".encode()
CSS = b"body { background: url('/img/bg.png') }"


class Site:
    """The server's state: tests flip what a URL answers (e.g. a page that later goes away)."""

    def __init__(self) -> None:
        self.gone_status = 200
        self.hits: dict[str, list[float]] = {}
        self.flaky_left = 0
        self.base = ""
        self.video = VIDEO
        self.png = PNG

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0]
            site.hits.setdefault(path, []).append(time.monotonic())
            if path == "/page.html":
                return self.send(200, PAGE)
            if path == "/chunked.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for part in (b"<html><title>chunked</title>", b"<img src='/img/photo.png'></html>"):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
                return None
            if path == "/static/style.css":
                return self.send(200, CSS, "text/css")
            if path.startswith("/img/") and path.endswith(".png"):
                return self.send(200, PNG, "image/png")
            if path == "/media/clip.mp4":
                return self.send(200, VIDEO, "video/mp4")
            if path == "/video-page.html":
                body = (b"<html><head><title>A video page</title></head><body>"
                        b"<video src='/media/clip.mp4' controls></video></body></html>")
                return self.send(200, body)
            if path in ("/r1", "/r2", "/r3"):
                target = {"/r1": "/r2", "/r2": "r3", "/r3": "/page.html"}[path]
                code = {"/r1": 301, "/r2": 302, "/r3": 307}[path]
                return self.send(code, b"moved", headers=[("Location", target)])
            if path == "/loop":
                return self.send(302, b"", headers=[("Location", "/loop")])
            if path == "/later-gone":
                if site.gone_status == 200:
                    return self.send(200, b"<html><title>Still here</title><p>A testimony.</p></html>")
                return self.send(site.gone_status, b"<html>gone</html>")
            if path == "/removed-notice":
                return self.send(200, b"<html><p>This video has been removed by the uploader</p></html>")
            if path == "/terminated":
                return self.send(200, b"<html>This video is no longer available because the YouTube account "
                                      b"associated with this video has been terminated.</html>")
            if path == "/geo":
                return self.send(200, b"<html>The uploader has not made this video available in your country.</html>")
            if path == "/flaky":
                if site.flaky_left > 0:
                    site.flaky_left -= 1
                    return self.send(503, b"busy", headers=[("Retry-After", "0")])
                return self.send(200, b"<html>ok</html>")
            if path == "/stall":
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                self.wfile.write(b"x" * 1000)
                self.wfile.flush()
                time.sleep(4)
                return None
            if path == "/stall-headers":
                time.sleep(4)
                return None
            if path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", str(50 * 1024**3))
                self.end_headers()
                self.wfile.write(b"x" * 65536)
                return None
            if path == "/huge-undeclared":
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"y" * 65536
                try:
                    for _ in range(200):  # 12.5 MiB, well over the tests' 2 MiB limit
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return None
            return self.send(404, b"<html>not found</html>")

    return Handler


@pytest.fixture
def site():
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def capture_settings(settings):
    """Short timeouts and a small size limit, so that stalls and floods fail fast."""
    settings.AIGAQ_CAPTURE_CONNECT_TIMEOUT = 3
    settings.AIGAQ_CAPTURE_READ_TIMEOUT = 1
    settings.AIGAQ_CAPTURE_TOTAL_TIMEOUT = 30
    settings.AIGAQ_CAPTURE_MAX_BYTES = 2 * 1024 * 1024
    settings.AIGAQ_CAPTURE_BROWSER = ""
    settings.AIGAQ_RECHECK_HOST_DELAY_MS = 0
    return settings
