"""Background jobs of the capture app: `capture` (from the UI) and the periodic `takedown-recheck`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from aigaq.core.jobs import JobContext, JobError, job_handler, periodic


@job_handler("capture")
def run_capture(payload: dict, ctx: JobContext) -> dict:
    from aigaq.capture.service import CaptureError, capture_url
    from aigaq.registry.models import Person, Testimony

    user = get_user_model().objects.filter(pk=payload.get("user")).first()
    testimony = Testimony.objects.filter(pk=payload.get("testimony")).first() if payload.get("testimony") else None
    person = Person.objects.filter(pk=payload.get("person")).first() if payload.get("person") else None
    urls = payload.get("urls") or []
    done, failed = [], []
    for n, url in enumerate(urls):
        def progress(d: int, t: int, label: str, n=n, url=url) -> None:
            ctx.progress(d, t, f"{n + 1}/{len(urls)} {label}: {url}")

        try:
            outcome = capture_url(url, testimony=testimony, person=person, user=user,
                                  mode=payload.get("mode", "auto"), progress=progress)
        except CaptureError as exc:
            failed.append({"url": url, "error": str(exc)})
            continue
        done.append(outcome.as_dict())
    if failed and not done:
        raise JobError("; ".join(f["error"] for f in failed))
    return {"captured": done, "failed": failed}


@job_handler("takedown-recheck")
def run_recheck(payload: dict, ctx: JobContext) -> dict:
    from aigaq.capture.models import CapturedSource
    from aigaq.capture.takedown import due_sources, recheck

    sources = (CapturedSource.objects.filter(pk__in=payload["sources"]) if payload.get("sources")
               else due_sources())
    results = recheck(sources, progress=lambda d, t, label: ctx.progress(d, t, label))
    counts: dict[str, int] = {}
    for _, check in results:
        counts[check.status] = counts.get(check.status, 0) + 1
    return {"checked": len(results), "statuses": counts}


# The scheduler looks every hour; each source is checked once per AIGAQ_RECHECK_HOURS.
periodic("takedown-recheck", lambda: min(3600, settings.AIGAQ_RECHECK_HOURS * 3600))
