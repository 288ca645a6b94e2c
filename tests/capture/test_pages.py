"""Staff pages: capture as a background job with progress; the gone-from-the-web list and its CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from aigaq.capture.models import Availability, CapturedSource
from aigaq.core.jobs import run_worker
from aigaq.core.models import Job

pytestmark = pytest.mark.django_db


def test_volunteer_captures_through_the_form_and_follows_the_job(client, victor, site, capture_settings):
    client.force_login(victor)
    page = client.get(reverse("capture:new"))
    assert page.status_code == 200 and b'name="urls"' in page.content
    response = client.post(reverse("capture:new"), {"urls": site.url("/media/clip.mp4") + "\n", "mode": "auto"})
    job = Job.objects.get(kind="capture")
    assert response.status_code == 302 and response["Location"] == reverse("capture:job", args=[job.pk])
    waiting = client.get(response["Location"])
    assert b'http-equiv="refresh"' in waiting.content and b"<script" not in waiting.content
    run_worker(threading.Event(), once=True, kinds=["capture"])
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    done = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in done.content
    assert hashlib.sha256(site.video).hexdigest().encode() in done.content


def test_form_refuses_what_is_not_a_web_address(client, victor):
    client.force_login(victor)
    response = client.post(reverse("capture:new"), {"urls": "file:///etc/passwd", "mode": "auto"})
    assert response.status_code == 200 and b"Not a web address" in response.content
    assert not Job.objects.exists()


def test_a_failed_capture_shows_its_reason(client, victor, site, capture_settings):
    client.force_login(victor)
    client.post(reverse("capture:new"), {"urls": site.url("/huge-declared"), "mode": "auto"})
    run_worker(threading.Event(), once=True, kinds=["capture"])
    job = Job.objects.get(kind="capture")
    assert job.state == Job.State.FAILED and "AIGAQ_CAPTURE_MAX_BYTES" in job.error
    assert b"AIGAQ_CAPTURE_MAX_BYTES" in client.get(reverse("capture:job", args=[job.pk])).content


def test_viewers_cannot_capture_and_others_jobs_are_hidden(client, wendy, victor, erin):
    client.force_login(wendy)
    assert client.get(reverse("capture:new")).status_code == 403
    from aigaq.core.jobs import enqueue

    job = enqueue("capture", {"urls": ["http://example.org/"]}, user=erin)
    client.force_login(victor)
    assert client.get(reverse("capture:job", args=[job.pk])).status_code == 404


@pytest.fixture
def gone_sources(db):
    now = timezone.now()
    removed = CapturedSource.objects.create(url="https://www.youtube.com/watch?v=aaaaaaaaaaa", host="www.youtube.com",
                                            title="=HYPERLINK(\"http://evil\")", last_status=Availability.REMOVED,
                                            last_status_detail="404 Not Found", gone_since=now, last_checked_at=now)
    CapturedSource.objects.create(url="https://www.facebook.com/atajurt/videos/1", host="www.facebook.com",
                                  title="Ерлан", last_status=Availability.TERMINATED, gone_since=now, last_checked_at=now)
    CapturedSource.objects.create(url="https://example.org/still-here", host="example.org", title="still here",
                                  last_status=Availability.AVAILABLE, last_checked_at=now)
    return removed


def test_gone_list_shows_only_what_disappeared(client, wendy, gone_sources):
    client.force_login(wendy)
    page = client.get(reverse("capture:gone"))
    assert page.status_code == 200
    assert b"watch?v=aaaaaaaaaaa" in page.content and "Ерлан".encode() in page.content
    assert b"still-here" not in page.content


def test_gone_csv_for_an_appeal(client, erin, gone_sources):
    client.force_login(erin)
    response = client.get(reverse("capture:gone-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["url"] for r in rows} == {"https://www.youtube.com/watch?v=aaaaaaaaaaa",
                                         "https://www.facebook.com/atajurt/videos/1"}
    by_url = {r["url"]: r for r in rows}
    assert by_url["https://www.youtube.com/watch?v=aaaaaaaaaaa"]["status"] == "removed"
    assert by_url["https://www.youtube.com/watch?v=aaaaaaaaaaa"]["title"].startswith("'=")  # not a formula


def test_viewers_cannot_export(client, wendy, gone_sources):
    client.force_login(wendy)
    assert client.get(reverse("capture:gone-csv")).status_code == 403
