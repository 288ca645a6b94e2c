"""Server-Timing: how long the server spent on each response, for browsers' dev tools and bench/.

The header reveals only a duration (no query text, no names), so it is on for every response;
bench/registry_bench.py reads it to tell server time from network and client time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>, cpu;dur=<ms>` (wall time and the thread's CPU time), measured around the rest of the middleware and the view.

    For a streaming response this is the time to the first byte, not to the last.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start, cpu_start = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.thread_time() - cpu_start) * 1000
        existing = response.get("Server-Timing")
        # cpu: this thread's CPU time, which a loaded machine does not inflate as it does wall time
        value = f"app;dur={ms:.1f}, cpu;dur={cpu_ms:.1f}"
        response["Server-Timing"] = f"{existing}, {value}" if existing else value
        return response
