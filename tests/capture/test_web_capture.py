"""Capturing web pages and media over real HTTP from a server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from warcio.archiveiterator import ArchiveIterator

from aigaq.capture.archive import validate_wacz
from aigaq.capture.models import Availability, Capture, CapturedSource
from aigaq.capture.service import CaptureError, capture_url
from aigaq.ledger.models import Entry
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import get_storage

pytestmark = pytest.mark.django_db


def stored(item_sha: str) -> bytes:
    return get_storage().path_for(item_sha).read_bytes()


def by_role(outcome, role: str) -> list[dict]:
    return [i for i in outcome.items if i["role"] == role]


def verify_ok() -> None:
    """`aigaq verify` on the test database and vault: returns normally only on exit 0."""
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "All intact" in out.getvalue()


def warc_records(wacz_bytes: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(wacz_bytes)) as zf:
        warc = zf.read("archive/data.warc.gz")
    out = []
    for rec in ArchiveIterator(io.BytesIO(warc)):
        out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                    rec.rec_headers.get_header("WARC-IP-Address"),
                    rec.http_headers.get_statuscode() if rec.http_headers and rec.rec_type == "response" else None,
                    rec.content_stream().read()))
    return out


def test_page_with_images_and_embedded_video_is_preserved_with_provenance(site, capture_settings, erin):
    outcome = capture_url(site.url("/page.html"), user=erin)
    wacz = by_role(outcome, "wacz")[0]
    assert wacz["filename"].endswith(".wacz")
    records = warc_records(stored(wacz["sha256"]))
    responses = {uri: (ip, status, body) for kind, uri, ip, status, body in records if kind == "response"}
    for path in ("/page.html", "/static/style.css", "/img/photo.png", "/img/small.png", "/img/large.png",
                 "/img/poster.png", "/img/bg.png", "/media/clip.mp4"):
        assert site.url(path) in responses, f"{path} missing from the WARC"
        assert responses[site.url(path)][0] == "127.0.0.1"
    assert responses[site.url("/media/clip.mp4")][2] == site.video
    assert responses[site.url("/missing.png")][1] == "404"
    assert site.url("/other") not in responses  # links are not requisites
    assert sum(1 for r in records if r[0] == "request") == len(responses)
    # The embedded video is also an original of its own, byte for byte as served.
    media = by_role(outcome, "media")
    assert [m["sha256"] for m in media] == [hashlib.sha256(site.video).hexdigest()]
    assert stored(media[0]["sha256"]) == site.video
    source = CapturedSource.objects.get(url=site.url("/page.html"))
    assert source.title == "Testimony of Serikzhan — day 1"
    assert source.last_status == Availability.AVAILABLE
    assert set(source.items.values_list("sha256", flat=True)) == {wacz["sha256"], media[0]["sha256"]}
    entry = Entry.objects.get(kind="captured")
    data = json.loads(entry.body)["data"]
    assert data["url"] == site.url("/page.html") and data["server_ip"] == "127.0.0.1" and data["by"] == "erin"
    assert data["chain"][0]["status"] == 200 and data["tools"]["warcio"] == "1.8.1"
    assert ["Content-Type", "text/html; charset=utf-8"] in data["chain"][0]["headers"]
    assert {i["sha256"] for i in data["items"]} == {wacz["sha256"], media[0]["sha256"]}
    assert any("missing.png" in w for w in outcome.warnings)
    verify_ok()


def test_direct_media_link_keeps_the_served_bytes(site, capture_settings):
    outcome = capture_url(site.url("/media/clip.mp4"))
    media = by_role(outcome, "media")[0]
    assert media["sha256"] == hashlib.sha256(site.video).hexdigest()
    assert media["filename"] == "clip.mp4"
    assert EvidenceItem.objects.get(sha256=media["sha256"]).media_type.startswith("video/")
    assert outcome.capture.method == "media"
    verify_ok()


def test_redirect_chain_is_recorded_hop_by_hop(site, capture_settings):
    outcome = capture_url(site.url("/r1"))
    chain = outcome.capture.provenance["chain"]
    assert [(h["url"], h["status"]) for h in chain] == [
        (site.url("/r1"), 301), (site.url("/r2"), 302), (site.url("/r3"), 307), (site.url("/page.html"), 200)]
    assert all(h["server_ip"] == "127.0.0.1" and h["time"] for h in chain)
    assert outcome.source.final_url == site.url("/page.html")
    records = warc_records(stored(by_role(outcome, "wacz")[0]["sha256"]))
    statuses = [(uri, status) for kind, uri, _, status, _ in records if kind == "response"][:4]
    assert statuses == [(site.url("/r1"), "301"), (site.url("/r2"), "302"), (site.url("/r3"), "307"),
                        (site.url("/page.html"), "200")]


def test_redirect_loop_is_refused(site, capture_settings):
    with pytest.raises(CaptureError, match="redirect loop"):
        capture_url(site.url("/loop"))


@pytest.mark.parametrize("path", ["/stall", "/stall-headers"])
def test_stalled_server_is_refused_with_a_reason_and_nothing_half_kept(site, capture_settings, path):
    with pytest.raises(CaptureError, match=r"stalled|no response within") as err:
        capture_url(site.url(path))
    assert "AIGAQ_CAPTURE_READ_TIMEOUT" in str(err.value)
    assert not EvidenceItem.objects.exists() and not Capture.objects.exists()
    assert not list((capture_settings.DATA_DIR / "vault" / "tmp").glob("*-capture-*"))
    verify_ok()


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-undeclared"])
def test_response_over_the_limit_is_refused(site, capture_settings, path):
    with pytest.raises(CaptureError, match="AIGAQ_CAPTURE_MAX_BYTES") as err:
        capture_url(site.url(path))
    assert "nothing kept" in str(err.value)
    assert not EvidenceItem.objects.exists()
    verify_ok()


def test_a_page_that_is_already_gone_is_refused(site, capture_settings):
    site.gone_status = 410
    with pytest.raises(CaptureError, match="410"):
        capture_url(site.url("/later-gone"))


def test_unreachable_and_non_http_addresses_are_refused(capture_settings):
    with pytest.raises(CaptureError, match="cannot connect"):
        capture_url("http://127.0.0.1:9/")  # discard port: nothing listens
    with pytest.raises(CaptureError, match="not an http"):
        capture_url("file:///etc/passwd")


def test_chunked_page_is_archived_without_a_double_dechunk(site, capture_settings):
    outcome = capture_url(site.url("/chunked.html"))
    wacz_bytes = stored(by_role(outcome, "wacz")[0]["sha256"])
    with zipfile.ZipFile(io.BytesIO(wacz_bytes)) as zf:
        warc = zf.read("archive/data.warc.gz")
    for rec in ArchiveIterator(io.BytesIO(warc)):
        if rec.rec_headers.get_header("WARC-Target-URI") == site.url("/chunked.html") and rec.rec_type == "response":
            assert rec.http_headers.get_header("Transfer-Encoding") is None
            assert rec.http_headers.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
            assert rec.content_stream().read() == b"<html><title>chunked</title><img src='/img/photo.png'></html>"
            break
    else:
        pytest.fail("page not in the WARC")


def test_warc_passes_warcio_check_and_wacz_is_valid(site, capture_settings, tmp_path):
    outcome = capture_url(site.url("/page.html"))
    wacz_path = tmp_path / "capture.wacz"
    wacz_path.write_bytes(stored(by_role(outcome, "wacz")[0]["sha256"]))
    assert validate_wacz(wacz_path) == []
    with zipfile.ZipFile(wacz_path) as zf:
        assert zf.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        (tmp_path / "data.warc.gz").write_bytes(zf.read("archive/data.warc.gz"))
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
        assert json.loads(pages[1])["url"] == site.url("/page.html")
    warcio = Path(sys.executable).with_name("warcio")
    run = subprocess.run([str(warcio), "check", "-v", str(tmp_path / "data.warc.gz")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "digest pass" in run.stdout


def test_wacz_validator_finds_tampering(site, capture_settings, tmp_path):
    outcome = capture_url(site.url("/page.html"))
    good = stored(by_role(outcome, "wacz")[0]["sha256"])
    bad = tmp_path / "bad.wacz"
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"page.html", b"fake.html")
            dst.writestr(info, data)
    problems = validate_wacz(bad)
    assert any("pages/pages.jsonl: hash or size differs" in p for p in problems)


def test_same_page_twice_keeps_one_source_and_two_captures(site, capture_settings):
    capture_url(site.url("/page.html"))
    second = capture_url(site.url("/page.html"))
    assert CapturedSource.objects.count() == 1
    assert Capture.objects.filter(source=second.source).count() == 2
    media = by_role(second, "media")[0]
    assert media["created"] is False  # same video bytes are stored once
    verify_ok()


def test_links_to_testimony_and_person(site, capture_settings, victor):
    from aigaq.registry.models import Person, Testimony

    testimony = Testimony.objects.create(title="t", created_by=victor)
    person = Person.objects.create(display_name="p", created_by=victor)
    outcome = capture_url(site.url("/media/clip.mp4"), testimony=testimony, person=person, user=victor)
    item = EvidenceItem.objects.get(sha256=by_role(outcome, "media")[0]["sha256"])
    assert set(item.links.values_list("testimony_id", "person_id")) == {(testimony.pk, None), (None, person.pk)}


@pytest.mark.browser
def test_screenshot_with_headless_chromium(site, capture_settings):
    import shutil

    browser = shutil.which("chromium")
    if not browser:
        pytest.skip("no chromium installed")
    capture_settings.AIGAQ_CAPTURE_BROWSER = browser
    outcome = capture_url(site.url("/page.html"))
    [shot] = by_role(outcome, "screenshot")
    assert stored(shot["sha256"]).startswith(b"\x89PNG")
    assert "hromium" in outcome.capture.provenance["tools"]["browser"]
    records = warc_records(stored(by_role(outcome, "wacz")[0]["sha256"]))
    assert any(kind == "resource" and uri == f"urn:screenshot:{site.url('/page.html')}" for kind, uri, *_ in records)
