"""Staff pages: capture addresses (a background job with progress), and the sources that are
gone from the web but preserved here (with a CSV export for an appeal or a report)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from aigaq.accounts import policy
from aigaq.capture.forms import CaptureForm
from aigaq.capture.models import GONE, Availability, CapturedSource
from aigaq.core.jobs import enqueue
from aigaq.core.models import Job


@login_required
def capture_new(request: HttpRequest) -> HttpResponse:
    form = CaptureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = enqueue("capture", {
            "urls": form.cleaned_data["urls"], "mode": form.cleaned_data["mode"],
            "testimony": form.cleaned_data.get("testimony"), "user": request.user.pk,
        }, user=request.user)
        return redirect("capture:job", pk=job.pk)
    recent = Job.objects.filter(kind="capture", created_by=request.user).order_by("-id")[:10]
    return render(request, "capture/new.html", {"form": form, "recent": recent})


@login_required
def capture_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, kind="capture")
    if job.created_by_id != request.user.pk and not policy.can(request.user, policy.Action.CHANGE):
        return HttpResponse(status=404)  # other people's jobs: not theirs to see
    return render(request, "capture/job.html", {"job": job})


def _gone():
    return (CapturedSource.objects.filter(last_status__in=GONE)
            .prefetch_related("items").order_by("-gone_since", "-id"))


@login_required
def gone_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_gone(), 100).get_page(request.GET.get("page"))
    counts = {s: CapturedSource.objects.filter(last_status=s).count() for s in Availability.values}
    return render(request, "capture/gone.html", {
        "page": page, "counts": [(Availability(s).label, n) for s, n in counts.items()],
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = ["url", "final_url", "title", "status", "status_detail", "gone_since", "last_checked",
               "first_captured", "preserved_sha256"]


@login_required
def gone_csv(request: HttpRequest) -> StreamingHttpResponse:
    """One row per source that is gone from the web, with the SHA-256 of every preserved copy."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheets then read UTF-8 right
        for s in _gone().iterator(chunk_size=500):
            yield writer.writerow([
                _cell(s.url), _cell(s.final_url), _cell(s.title), s.last_status, _cell(s.last_status_detail),
                s.gone_since.isoformat() if s.gone_since else "",
                s.last_checked_at.isoformat() if s.last_checked_at else "", s.first_captured_at.isoformat(),
                " ".join(i.sha256 for i in s.items.all()),
            ])

    stamp = timezone.now().strftime("%Y%m%d")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aigaq-gone-from-the-web-{stamp}.csv"'
    return response


def _cell(value: str) -> str:
    # A title like "=HYPERLINK(…)" must stay text when the file is opened in a spreadsheet.
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
