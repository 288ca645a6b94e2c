"""Evidence media on the portal: only originals an administrator cleared, linked to public records only."""

from __future__ import annotations

import io
from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def _png(tmp_path, name: str, *, gps: bool = False, color=(200, 30, 30)):
    from PIL import Image

    im = Image.new("RGB", (64, 48), color)
    path = tmp_path / name
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 53.0, 0.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG" if gps else "PNG", exif=exif.tobytes() if gps else b"")
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture
def world(gazetteer, alice, tmp_path):
    from aigaq.registry import record
    from aigaq.registry.models import Testimony, TestimonyPerson, Witness
    from aigaq.vault.ingest import ingest_path

    pub = record.create_person(["Bekzat Ospanuly"], publication="public")
    anon = record.create_person(["Sentinel Anonperson"], publication="anonymised")
    shy = Witness.objects.create(full_name="Shy Witness", publication="anonymised")
    t_shy = Testimony.objects.create(witness=shy, publication="public", recorded_on=date(2019, 3, 4), title="T")
    TestimonyPerson.objects.create(testimony=t_shy, person=pub, relationship="sibling")

    def item(name, **links):
        return ingest_path(_png(tmp_path, name, color=(len(name) * 9 % 255, 40, 90)), user=alice, **links).item

    return {
        "pub": pub, "anon": anon,
        "photo": item("photo.png", person=pub),                # public person only
        "both": item("both.png", person=pub),                  # also linked to the anonymised person below
        "via_shy": item("via_shy.png", testimony=t_shy),       # witness did not consent to be named
        "gps": ingest_path(_png(tmp_path, "gps.jpg", gps=True), user=alice, person=pub).item,
    }


def _clear(client, alice, item, cleared="1"):
    client.force_login(alice)
    return client.post(f"/staff/evidence/{item.pk}/publication", {"cleared": cleared})


def _page(client, uid) -> str:
    client.logout()
    return client.get(f"/person/{uid}/").content.decode()


def test_nothing_is_published_until_an_administrator_clears_it(client, world, alice, erin):
    from aigaq.ledger.models import Entry

    photo = world["photo"]
    assert photo.sha256 not in _page(client, world["pub"].uid)
    assert client.get(f"/media/{photo.sha256}.png").status_code == 404

    client.force_login(erin)  # an editor may not publish
    assert client.post(f"/staff/evidence/{photo.pk}/publication", {"cleared": "1"}).status_code == 403
    photo.refresh_from_db()
    assert not photo.cleared_for_publication

    assert _clear(client, alice, photo).status_code == 302
    photo.refresh_from_db()
    assert photo.cleared_for_publication and photo.cleared_by == alice
    assert Entry.objects.filter(subject=photo.sha256, kind="cleared to publish").count() == 1

    page = _page(client, world["pub"].uid)
    assert f"/media/{photo.sha256}.png" in page
    r = client.get(f"/media/{photo.sha256}.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    from aigaq.vault.storage import get_storage

    with get_storage().open(photo.sha256) as fh:
        assert b"".join(r.streaming_content) == fh.read()

    _clear(client, alice, photo, "0")  # withdrawn: gone again, and the withdrawal is in the ledger
    assert photo.sha256 not in _page(client, world["pub"].uid)
    assert client.get(f"/media/{photo.sha256}.png").status_code == 404
    assert Entry.objects.filter(subject=photo.sha256, kind="withdrawn").count() == 1


def test_one_non_public_record_keeps_the_file_in(client, world, alice):
    from aigaq.vault.ingest import link

    link(world["both"], person=world["anon"])
    for key in ("both", "via_shy"):
        _clear(client, alice, world[key])
    for uid in (world["pub"].uid, world["anon"].uid):
        page = _page(client, uid)
        assert world["both"].sha256 not in page
        assert world["via_shy"].sha256 not in page
    for key in ("both", "via_shy"):
        assert client.get(f"/media/{world[key].sha256}.png").status_code == 404


def test_a_photo_that_records_where_it_was_taken_is_published_as_its_thumbnail_only(client, world, alice):
    gps = world["gps"]
    assert gps.metadata.get("gps") is True
    thumb = gps.derivatives.get(derivative_kind="thumbnail")
    _clear(client, alice, gps)
    page = _page(client, world["pub"].uid)
    assert thumb.sha256 in page
    assert client.get(f"/media/{gps.sha256}.jpg").status_code == 404
    r = client.get(f"/media/{thumb.sha256}.jpg")
    assert r.status_code == 200
    assert b"GPS" not in b"".join(r.streaming_content)


def test_a_hostile_file_is_never_served_as_a_page(client, world, alice, tmp_path):
    from aigaq.vault.ingest import ingest_path

    html = tmp_path / "x.png"  # a name that lies about the content
    html.write_bytes(b"<!doctype html><html><script>alert(1)</script></html>")
    item = ingest_path(html, user=alice, person=world["pub"]).item
    _clear(client, alice, item)
    assert f"/media/{item.sha256}.bin" in _page(client, world["pub"].uid)
    r = client.get(f"/media/{item.sha256}.bin")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/octet-stream"
    assert r["Content-Disposition"].startswith("attachment")
    assert r["Content-Security-Policy"] == "default-src 'none'"
    assert client.get(f"/media/{item.sha256}.html").status_code == 404


def test_the_mirror_carries_exactly_the_published_media_and_verifies(client, world, alice, tmp_path):
    import json
    import os
    import subprocess
    import sys

    from aigaq.ledger.models import Entry
    from aigaq.publish.builder import build
    from aigaq.vault.ingest import link
    from aigaq.vault.storage import get_storage

    photo, both = world["photo"], world["both"]
    link(both, person=world["anon"])  # kept in: also shows an anonymised person
    for item in (photo, both, world["via_shy"]):
        _clear(client, alice, item)
    out = tmp_path / "mirror"
    build(out, workers=1)

    def verify():
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        return subprocess.run([sys.executable, "-m", "aigaq.publish.verify_mirror", str(out)],
                              capture_output=True, text=True, env=env, timeout=60)

    thumb = photo.derivatives.get(derivative_kind="thumbnail")
    media = {p.name for p in (out / "media").iterdir()}
    assert media == {f"{photo.sha256}.png", f"{thumb.sha256}.jpg"}  # the original and its thumbnail
    with get_storage().open(photo.sha256) as fh:
        assert (out / "media" / f"{photo.sha256}.png").read_bytes() == fh.read()
    listed = {f["path"] for f in json.loads((out / "manifest.json").read_text())["files"]}
    assert f"media/{photo.sha256}.png" in listed
    page = (out / "person" / f"{world['pub'].uid}.html").read_text()
    assert f"../media/{photo.sha256}.png" in page and both.sha256 not in page
    assert verify().returncode == 0
    assert Entry.objects.filter(subject=photo.sha256, kind="published").count() == 1

    build(out, workers=1)  # nothing changed: no second custody event
    assert Entry.objects.filter(subject=photo.sha256, kind="published").count() == 1

    _clear(client, alice, photo, "0")  # withdrawn: the next republish takes it out of the mirror
    report = build(out, workers=1)
    assert not report.full
    assert not (out / "media").exists() or not any((out / "media").iterdir())
    assert photo.sha256 not in (out / "person" / f"{world['pub'].uid}.html").read_text()
    assert verify().returncode == 0
