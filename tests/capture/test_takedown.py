"""The takedown watch: statuses, history, politeness, and the periodic job."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from aigaq.capture.models import Availability, CapturedSource, SourceCheck
from aigaq.capture.service import capture_url
from aigaq.capture.takedown import HostPacer, recheck
from aigaq.core import jobs
from aigaq.core.models import Job

pytestmark = pytest.mark.django_db


def test_a_page_that_later_returns_404_then_410_is_marked_removed_with_history(site, capture_settings):
    capture_url(site.url("/later-gone"))
    source = CapturedSource.objects.get()
    [(_, check)] = recheck([source])
    assert check.status == Availability.AVAILABLE
    site.gone_status = 404
    [(_, check)] = recheck([source])
    source.refresh_from_db()
    assert (check.status, check.http_status) == (Availability.REMOVED, 404)
    gone_since = source.gone_since
    assert gone_since is not None and source.last_status == Availability.REMOVED
    site.gone_status = 410
    recheck([source])
    source.refresh_from_db()
    assert source.gone_since == gone_since  # still gone since the first time it was seen gone
    history = list(source.checks.order_by("checked_at", "id").values_list("status", "http_status"))
    assert history == [("available", 200), ("available", 200), ("removed", 404), ("removed", 410)]
    site.gone_status = 200
    recheck([source])
    source.refresh_from_db()
    assert source.last_status == Availability.AVAILABLE and source.gone_since is None
    call_command("verify", stdout=open("/dev/null", "w"))  # exits 0: raises SystemExit otherwise


@pytest.mark.parametrize(("path", "status"), [
    ("/removed-notice", Availability.REMOVED),
    ("/terminated", Availability.TERMINATED),
    ("/geo", Availability.GEO_BLOCKED),
])
def test_platform_notices_are_classified(site, capture_settings, path, status):
    source = CapturedSource.objects.create(url=site.url(path), host="127.0.0.1")
    [(_, check)] = recheck([source])
    assert check.status == status, check.detail
    assert "page says" in check.detail


def test_unreachable_server(capture_settings):
    source = CapturedSource.objects.create(url="http://127.0.0.1:9/video", host="127.0.0.1")
    [(_, check)] = recheck([source])
    assert check.status == Availability.UNREACHABLE and "cannot connect" in check.detail


def test_backs_off_on_503_then_sees_the_page(site, capture_settings):
    site.flaky_left = 2
    source = CapturedSource.objects.create(url=site.url("/flaky"), host="127.0.0.1")
    slept = []
    [(_, check)] = recheck([source], pacer=HostPacer(0.0, sleep=slept.append))
    assert check.status == Availability.AVAILABLE
    assert len(site.hits["/flaky"]) == 3
    assert len(slept) == 2 and slept[1] > slept[0]  # exponential: 1 s, then 2 s (Retry-After: 0 is honoured as a floor)


def test_one_host_is_asked_at_most_once_per_interval(site, capture_settings):
    sources = [CapturedSource.objects.create(url=site.url(p), host="127.0.0.1")
               for p in ("/removed-notice", "/geo", "/terminated")]
    recheck(sources, pacer=HostPacer(0.3))
    times = sorted(t for p in ("/removed-notice", "/geo", "/terminated") for t in site.hits[p])
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.29, gaps


def test_recheck_command_json(site, capture_settings, capsys):
    capture_url(site.url("/later-gone"))
    site.gone_status = 410
    call_command("capture", "--recheck", "--json")
    line = json.loads(capsys.readouterr().out.strip())
    assert (line["url"], line["status"], line["http_status"]) == (site.url("/later-gone"), "removed", 410)


def test_periodic_recheck_job_checks_due_sources(site, capture_settings):
    capture_url(site.url("/later-gone"))
    capture_settings.AIGAQ_RECHECK_HOURS = 0  # everything is due
    site.gone_status = 404
    made = jobs.schedule_periodic()
    assert [j.kind for j in made] == ["takedown-recheck"]
    jobs.run_worker(__import__("threading").Event(), once=True, kinds=["takedown-recheck"])
    job = Job.objects.get(kind="takedown-recheck")
    assert job.state == Job.State.DONE and job.result["statuses"] == {"removed": 1}
    assert SourceCheck.objects.filter(status="removed").count() == 1
