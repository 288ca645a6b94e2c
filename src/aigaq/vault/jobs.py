"""The `vault.sha512` background job: SHA-512 of the originals that were ingested without it.

Ingest hashes only SHA-256 while copying (its address, cheap with SHA-NI); SHA-512 costs about
2 CPU-seconds per GB here, so it is done afterwards by the worker (`aigaq worker`, or the thread
of `aigaq serve`). One job takes every item still waiting, two files at a time (one per core),
and re-checks the SHA-256 in the same read, so a damaged copy never gets a SHA-512 recorded.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from aigaq.core.jobs import JobContext, JobError, enqueue, job_handler

SHA512_JOB = "vault.sha512"
READ = 8 * 1024 * 1024
BATCH = 64


def schedule_sha512() -> None:
    """Make sure a `vault.sha512` job is due now (one queued job is enough: it takes every item
    still waiting when it runs). One UPDATE in the usual case."""
    from aigaq.core.models import Job

    if not Job.objects.filter(kind=SHA512_JOB, state=Job.State.QUEUED).update(run_after=timezone.now()):
        enqueue(SHA512_JOB, {}, max_attempts=3)


def _hash_stored(storage, sha256: str, size: int) -> tuple[str | None, str]:
    """(sha512, "") when the stored object still has its SHA-256 and size, else (None, why)."""
    h256, h512 = hashlib.sha256(), hashlib.sha512()
    buf = bytearray(READ)
    view = memoryview(buf)
    read = 0
    try:
        with storage.open(sha256) as fh:
            while n := fh.readinto(buf):
                h256.update(view[:n])
                h512.update(view[:n])
                read += n
    except OSError as exc:
        return None, f"cannot read the stored original ({exc.strerror or exc})"
    if read != size or h256.hexdigest() != sha256:
        return None, "the stored original no longer matches its SHA-256 or size; run `aigaq verify`"
    return h512.hexdigest(), ""


def fill_sha512(progress=None) -> tuple[int, list[str]]:
    """Compute and record the missing SHA-512s. Returns (how many recorded, problems)."""
    from aigaq.vault.ingest import record_sha512
    from aigaq.vault.models import EvidenceItem
    from aigaq.vault.storage import get_storage

    storage = get_storage()
    done, problems, skip = 0, [], set()
    waiting = EvidenceItem.objects.filter(sha512__isnull=True)
    total = waiting.count()
    with ThreadPoolExecutor(min(2, os.cpu_count() or 1), thread_name_prefix="aigaq-sha512") as pool:
        while True:
            items = list(waiting.exclude(pk__in=skip).order_by("id")[:BATCH])
            if not items:
                break
            for item, (sha512, why) in zip(items, pool.map(lambda i: _hash_stored(storage, i.sha256, i.size), items),
                                           strict=True):
                if sha512 is None:
                    skip.add(item.pk)
                    problems.append(f"item {item.pk} sha256:{item.sha256}: {why}")
                else:
                    done += record_sha512(item, sha512)
                if progress:
                    progress(done + len(skip), max(total, done + len(skip)), "SHA-512")
    return done, problems


@job_handler(SHA512_JOB)
def run_sha512(payload: dict, ctx: JobContext) -> dict:
    done, problems = fill_sha512(progress=ctx.progress)
    if problems and not done:
        raise JobError("; ".join(problems[:5]))
    return {"recorded": done, "problems": problems}
