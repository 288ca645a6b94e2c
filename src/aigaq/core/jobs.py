"""Background jobs: rows in the database, claimed with a conditional UPDATE, run by a worker.

No broker: a job is claimed by `UPDATE job SET state='running' WHERE id=? AND state='queued'`,
which changes exactly one row for exactly one worker, on SQLite and PostgreSQL alike. The
worker is `aigaq worker`, or a thread that `aigaq serve` starts (CoreConfig.start_background).
Periodic work (the takedown recheck) is a kind registered with `periodic()`: the worker keeps
one queued job of that kind, due `every` seconds after the last one finished.

See docs/jobs.md.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import OperationalError
from django.db.models import F
from django.utils import timezone

from aigaq.core.db import close_stale_connections, release_connections
from aigaq.core.models import Job

log = logging.getLogger(__name__)

Handler = Callable[[dict, "JobContext"], dict | None]
_HANDLERS: dict[str, Handler] = {}
_PERIODIC: dict[str, Callable[[], float]] = {}
STALE_AFTER = timedelta(minutes=10)  # a running job without a heartbeat this long lost its worker
RETRY_BASE_SECONDS = 30


class JobError(Exception):
    """A failure with a message a person can act on; not retried when `retry` is False."""

    def __init__(self, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Decorator: `@job_handler("capture")` registers `func(payload, ctx) -> result dict`."""

    def decorate(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return decorate


def periodic(kind: str, every: Callable[[], float]) -> None:
    """Keep one job of `kind` queued, due `every()` seconds after the previous one finished."""
    _PERIODIC[kind] = every


def handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


def enqueue(kind: str, payload: dict | None = None, *, user=None, run_after=None,
            max_attempts: int = 1, unique: bool = False) -> Job:
    """Add a job. With unique=True, return the queued or running job of this kind if there is one."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    if unique:
        existing = Job.objects.filter(kind=kind, state__in=(Job.State.QUEUED, Job.State.RUNNING)).first()
        if existing is not None:
            return existing
    return Job.objects.create(
        kind=kind, payload=payload or {}, created_by=user, max_attempts=max_attempts,
        run_after=run_after or timezone.now(),
    )


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def claim_one(kinds: list[str] | None = None) -> Job | None:
    """Claim the next due job, or None. Safe with any number of workers: the UPDATE that moves a
    job from queued to running must change exactly one row, and only one worker's can."""
    now = timezone.now()
    due = Job.objects.filter(state=Job.State.QUEUED, run_after__lte=now)
    if kinds:
        due = due.filter(kind__in=kinds)
    for pk in due.order_by("run_after", "id").values_list("pk", flat=True)[:10]:
        changed = Job.objects.filter(pk=pk, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
            worker=_worker_name(),
        )
        if changed == 1:
            return Job.objects.get(pk=pk)
    return None


@dataclass
class JobContext:
    """What a handler gets besides its payload: the job row and a progress reporter."""

    job: Job
    min_interval: float = 0.5
    _last: float = 0.0

    def progress(self, done: int, total: int = 0, label: str = "") -> None:
        """Record progress (rate-limited writes); also serves as the heartbeat."""
        now = time.monotonic()
        if now - self._last < self.min_interval and (not total or done < total):
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=total, progress_label=label[:200], heartbeat_at=timezone.now()
        )


def run_job(job: Job) -> Job:
    """Run one claimed job to its end and record the outcome."""
    handler = _HANDLERS.get(job.kind)
    ctx = JobContext(job)
    try:
        if handler is None:
            raise JobError(f"no handler for job kind {job.kind!r} in this install")
        result = handler(job.payload, ctx) or {}
    except Exception as exc:  # a job's failure must not stop the worker
        retry = isinstance(exc, JobError) and exc.retry or not isinstance(exc, JobError)
        message = str(exc) or exc.__class__.__name__
        if not isinstance(exc, JobError):
            log.error("job %s (%s) failed:\n%s", job.pk, job.kind, traceback.format_exc())
        if retry and job.attempts < job.max_attempts:
            delay = RETRY_BASE_SECONDS * 2 ** (job.attempts - 1)
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, error=message, run_after=timezone.now() + timedelta(seconds=delay)
            )
        else:
            Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=message, finished_at=timezone.now())
    else:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.DONE, result=result, error="", finished_at=timezone.now(),
            progress_done=F("progress_total"),
        )
    job.refresh_from_db()
    return job


def requeue_stale() -> int:
    """Jobs left running by a worker that died (no heartbeat for STALE_AFTER) go back to the queue."""
    cutoff = timezone.now() - STALE_AFTER
    return Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff).update(state=Job.State.QUEUED)


def schedule_periodic(now=None) -> list[Job]:
    """Make sure each periodic kind has one job queued or running."""
    now = now or timezone.now()
    made = []
    for kind, every in _PERIODIC.items():
        if Job.objects.filter(kind=kind, state__in=(Job.State.QUEUED, Job.State.RUNNING)).exists():
            continue
        last = Job.objects.filter(kind=kind, finished_at__isnull=False).order_by("-finished_at").first()
        due = last.finished_at + timedelta(seconds=every()) if last else now
        made.append(enqueue(kind, {}, run_after=max(due, now) if last else now))
    return made


def run_worker(stop_event: threading.Event, *, kinds: list[str] | None = None, poll: float = 1.0,
               once: bool = False, on_job: Callable[[Job], Any] | None = None) -> int:
    """Run jobs until `stop_event` is set (or, with once=True, until none is due). Returns the
    number of jobs run."""
    ran = 0
    last_housekeeping = 0.0
    try:
        while not stop_event.is_set():
            close_stale_connections()
            try:
                if time.monotonic() - last_housekeeping > 30:
                    requeue_stale()
                    if not kinds:
                        schedule_periodic()
                    last_housekeeping = time.monotonic()
                job = claim_one(kinds)
            except OperationalError as exc:
                # A locked or briefly unreachable database is weather, not a reason to stop
                # the worker for the life of the server: wait and try again.
                if once:
                    raise
                log.warning("job worker: database not available (%s); retrying", exc)
                stop_event.wait(poll)
                continue
            if job is None:
                if once:
                    break
                stop_event.wait(poll)
                continue
            job = run_job(job)
            ran += 1
            if on_job:
                on_job(job)
    finally:
        release_connections()  # this thread's connection; the web server's are its own
    return ran


_background: tuple[threading.Thread, threading.Event] | None = None


def start_worker_thread() -> threading.Thread | None:
    """The worker thread `aigaq serve` runs beside the web server: one per process
    (idempotent); None when AIGAQ_WORKER turns it off."""
    global _background
    from django.conf import settings

    if not getattr(settings, "AIGAQ_WORKER", True):
        return None
    if _background is not None and _background[0].is_alive():
        return _background[0]
    stop = threading.Event()

    def loop() -> None:
        try:
            run_worker(stop)
        except Exception:  # a crashed worker must show in the log, not vanish
            log.exception("background worker stopped")

    thread = threading.Thread(target=loop, name="aigaq-worker", daemon=True)
    thread.start()
    atexit.register(stop.set)
    _background = (thread, stop)
    return thread


def stop_worker_thread(timeout: float = 10.0) -> None:
    global _background
    if _background is not None:
        thread, stop = _background
        stop.set()
        thread.join(timeout)
        _background = None
