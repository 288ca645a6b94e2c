"""The takedown watch: is each captured source still online? Polite (one request per host every
AIGAQ_RECHECK_HOST_DELAY_MS, exponential backoff on 429 and 5xx) and keeps a history."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aigaq.capture.fetch import FetchError, Hop, Limits, fetch
from aigaq.capture.models import GONE, Availability, CapturedSource, SourceCheck

SAMPLE = 1024 * 1024  # enough of a page to find a platform's "removed" notice
RETRIES = 3

# Platform notices, checked in this order (a terminated account's video page also says "unavailable").
_MARKERS: list[tuple[str, re.Pattern]] = [
    (Availability.TERMINATED, re.compile(
        r"account (?:associated with this video )?has been terminated|account has been (?:suspended|disabled)"
        r"|channel (?:was|has been) terminated|this account (?:doesn.t|does not) exist|page (?:was|has been) permanently (?:closed|removed)"
        r"|аккаунт (?:был )?(?:удал[её]н|заблокирован)|страница (?:удалена|заблокирована)", re.I)),
    (Availability.GEO_BLOCKED, re.compile(
        r"(?:not|isn.t|is not) available in your (?:country|region)|uploader has not made this video available in your country"
        r"|blocked in your (?:country|region)|недоступн\w* в вашей стране", re.I)),
    (Availability.REMOVED, re.compile(
        r"this video has been removed|video (?:has been )?removed by the uploader|this video (?:is|isn.t) (?:no longer )?(?:un)?available"
        r"|video unavailable|this content isn.t available|this page isn.t available|content (?:is )?no longer available"
        r"|removed for violating|видео удалено|запись удалена|видеозапись (?:была )?(?:удалена|изъята)", re.I)),
]


@dataclass
class CheckResult:
    status: str
    http_status: int | None
    detail: str
    final_url: str = ""


def classify(hop: Hop | None, body: bytes = b"", error: FetchError | None = None) -> CheckResult:
    """What a response (or a failure to get one) says about a source's availability."""
    if error is not None:
        return CheckResult(Availability.UNREACHABLE, None, error.reason[:300])
    assert hop is not None
    if hop.status in (404, 410):
        return CheckResult(Availability.REMOVED, hop.status, f"{hop.status} {hop.reason}"[:300], hop.url)
    if hop.status == 451:
        return CheckResult(Availability.GEO_BLOCKED, hop.status, f"451 {hop.reason} (legal block)"[:300], hop.url)
    text = body.decode("utf-8", "replace")
    for status, pattern in _MARKERS:
        m = pattern.search(text)
        if m:
            return CheckResult(status, hop.status, f"page says: {m.group(0)!r}"[:300], hop.url)
    if hop.status >= 400:
        return CheckResult(Availability.UNREACHABLE, hop.status, f"{hop.status} {hop.reason}"[:300], hop.url)
    return CheckResult(Availability.AVAILABLE, hop.status, f"{hop.status} {hop.reason}"[:300], hop.url)


class HostPacer:
    """At most one request per host per interval; `sleep` is injectable for tests."""

    def __init__(self, interval: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.sleep = sleep
        self.last: dict[str, float] = {}
        self.waited = 0.0

    def wait(self, host: str, extra: float = 0.0) -> None:
        due = self.last.get(host, float("-inf")) + max(self.interval, extra)
        delay = due - time.monotonic()
        if delay > 0:
            self.waited += delay
            self.sleep(delay)
        self.last[host] = time.monotonic()


def _retry_after(hop: Hop, attempt: int, base: float) -> float:
    """Seconds to wait before asking again: exponential backoff, longer if the server asks."""
    backoff = base * 2 ** attempt
    value = hop.header("retry-after").strip()
    asked = 0.0
    if value.isdigit():
        asked = float(value)
    elif value:
        try:
            asked = (parsedate_to_datetime(value) - timezone.now()).total_seconds()
        except (TypeError, ValueError):
            asked = 0.0
    return min(max(backoff, asked), 600.0)


def check_url(url: str, pacer: HostPacer, limits: Limits | None = None) -> CheckResult:
    host = urlsplit(url).netloc
    limits = limits or Limits.from_settings()
    extra = 0.0
    for attempt in range(RETRIES + 1):
        pacer.wait(host, extra)
        try:
            result = fetch(url, None, limits=limits, sample=SAMPLE)
        except FetchError as exc:
            return classify(None, error=exc)
        hop = result.final
        if (hop.status == 429 or hop.status >= 500) and attempt < RETRIES:
            extra = _retry_after(hop, attempt, max(pacer.interval, 1.0))
            continue
        return classify(hop, result.sample)
    raise AssertionError("unreachable")


def due_sources(now=None) -> Iterable[CapturedSource]:
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.AIGAQ_RECHECK_HOURS)
    return CapturedSource.objects.filter(last_checked_at__lt=cutoff) | CapturedSource.objects.filter(
        last_checked_at__isnull=True)


def record(source: CapturedSource, result: CheckResult) -> SourceCheck:
    now = timezone.now()
    with transaction.atomic():
        check = SourceCheck.objects.create(source=source, checked_at=now, status=result.status,
                                           http_status=result.http_status, detail=result.detail,
                                           final_url=result.final_url[:2000])
        was_gone = source.last_status in GONE
        source.last_status, source.last_status_detail = result.status, result.detail
        source.last_checked_at = now
        if result.status in GONE and not was_gone:
            source.gone_since = now
        elif result.status == Availability.AVAILABLE:
            source.gone_since = None
        source.save(update_fields=["last_status", "last_status_detail", "last_checked_at", "gone_since"])
    return check


def recheck(sources: Iterable[CapturedSource], *, pacer: HostPacer | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> list[tuple[CapturedSource, SourceCheck]]:
    """Check each source once, politely; the history grows by one row per source."""
    pacer = pacer or HostPacer(settings.AIGAQ_RECHECK_HOST_DELAY_MS / 1000)
    sources = list(sources)
    done = []
    for n, source in enumerate(sources, 1):
        done.append((source, record(source, check_url(source.url, pacer))))
        if progress:
            progress(n, len(sources), source.url)
    return done
