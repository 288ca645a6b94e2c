"""`aigaq publish` and `aigaq mirror-verify`: a signed mirror, rebuilt incrementally, checked file by file."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def mirror(leak_record, tmp_path) -> Path:
    out = tmp_path / "mirror"
    call_command("publish", str(out), "--json")
    return out


def _verify(target, *extra) -> subprocess.CompletedProcess:
    # Run as a third party would: the stand-alone module, no Django settings.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "aigaq.publish.verify_mirror", str(target), *extra],
                          capture_output=True, text=True, env=env, timeout=60)


def _key() -> str:
    from aigaq.core.keys import public_key_b64

    return public_key_b64()


def test_an_intact_mirror_verifies_with_the_instance_key(mirror):
    r = _verify(mirror, "--key", _key())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "intact" in r.stdout
    manifest = json.loads((mirror / "manifest.json").read_text())
    assert manifest["checkpoint"]["size"] >= 1  # the publication is in the custody ledger
    assert {f["path"] for f in manifest["files"]} >= {"index.html", "open-data/persons.csv", "open-data/datapackage.json"}


def test_mirror_verify_names_a_changed_byte_a_deleted_file_and_an_added_file(mirror):
    page = mirror / "statistics.html"
    data = bytearray(page.read_bytes())
    data[100] ^= 1
    page.write_bytes(bytes(data))
    (mirror / "map.html").unlink()
    (mirror / "extra.html").write_text("not signed")
    r = _verify(mirror, "--key", _key())
    assert r.returncode == 1
    assert "altered: statistics.html" in r.stdout
    assert "missing: map.html" in r.stdout
    assert "extra: extra.html" in r.stdout


def test_mirror_verify_refuses_a_wrong_key(mirror, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    keyfile = tmp_path / "other.pub"
    keyfile.write_text(base64.b64encode(other).decode())
    r = _verify(mirror, "--key", str(keyfile))
    assert r.returncode == 1
    assert "bad signature" in r.stdout


def test_mirror_verify_without_a_manifest_cannot_run(tmp_path):
    r = _verify(tmp_path)
    assert r.returncode == 2 and "no manifest.json" in r.stderr


def test_mirror_verify_over_http(mirror, tmp_path):
    server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(mirror)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N ..."
        port = int(line.split(" port ")[1].split()[0])
        url = f"http://127.0.0.1:{port}/"
        assert _verify(url, "--key", _key()).returncode == 0
        (mirror / "about.html").write_text("changed")
        r = _verify(url, "--key", _key())
        assert r.returncode == 1 and "altered: about.html" in r.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_republish_rewrites_only_what_changed(mirror, leak_record):
    from aigaq.registry.models import Event, Person

    before = {p: p.stat().st_mtime_ns for p in mirror.rglob("*") if p.is_file()}
    out = json.loads(_publish(mirror))
    assert out["rendered"] == 0 and out["written"] == 0  # nothing changed: nothing rewritten
    assert {p: p.stat().st_mtime_ns for p in mirror.rglob("*") if p.is_file()} == before

    pub = Person.objects.get(uid=leak_record.public_uid)
    Event.objects.create(person=pub, type="released", description="Released after two years")
    out = json.loads(_publish(mirror))
    assert out["rendered"] == 1
    page = mirror / f"person/{leak_record.public_uid}.html"
    assert "Released after two years" in page.read_text()
    anon_page = mirror / f"person/{leak_record.anon_uid}.html"
    assert anon_page.stat().st_mtime_ns == before[anon_page]

    # Withdrawn consent: the page goes, and the mirror still verifies.
    Person.objects.filter(pk=pub.pk).update(publication="internal")
    out = json.loads(_publish(mirror))
    assert out["removed"] == 1 and not page.exists()
    assert "Bekzat" not in (mirror / "open-data/persons.csv").read_text()
    assert _verify(mirror, "--key", _key()).returncode == 0


def _publish(out: Path) -> str:
    from io import StringIO

    buf = StringIO()
    call_command("publish", str(out), "--json", stdout=buf)
    return buf.getvalue()


def test_a_mirror_page_is_the_portal_page_with_relative_links(leak_record):
    from aigaq.publish import pages
    from aigaq.publish.policy import public_person
    from aigaq.publish.site import Links

    pp = public_person(leak_record.public_uid)
    links = Links.for_file(f"person/{pp.uid}.html")
    full = pages.render("person.html", pages.person(pp), links)
    assert pages.render_in_shell("_person.html", pp.display_name, pages.person(pp), links) == full
    assert 'href="../index.html"' in full and 'href="../static/publish/portal.css"' in full


@pytest.mark.parametrize("language", ["en", "kk", "ru", "zh-hans", "ug", "tr"])
def test_mirror_pages_match_the_portal_in_every_language(leak_record, language):
    # The mirror compiles each page's template once per language with its constant messages
    # already translated; the bytes must stay those of the template rendered as is.
    from django.utils import translation

    from aigaq.publish import pages
    from aigaq.publish.policy import public_person
    from aigaq.publish.site import Links

    with translation.override(language):
        for uid in (leak_record.public_uid, leak_record.anon_uid):
            pp = public_person(uid)
            links = Links.for_file(f"person/{pp.uid}.html")
            full = pages.render("person.html", pages.person(pp), links)
            assert pages.render_in_shell("_person.html", pp.display_name, pages.person(pp), links) == full


def test_republish_of_an_anonymised_person_drops_their_search_entry(mirror, leak_record):
    from aigaq.registry.models import Person

    shards = mirror / "static/publish/search"
    before = "".join(p.read_text() for p in shards.glob("*.js"))
    assert leak_record.public_uid in before
    person = Person.objects.get(uid=leak_record.public_uid)
    person.publication = "anonymised"
    person.save()
    assert json.loads(_publish(mirror))["rendered"] == 1
    after = "".join(p.read_text() for p in shards.glob("*.js"))
    assert leak_record.public_uid not in after and "Bekzat" not in after
    assert "Bekzat" not in (mirror / f"person/{leak_record.public_uid}.html").read_text()
    assert _verify(mirror, "--key", _key()).returncode == 0


def test_an_incremental_republish_writes_what_a_full_build_writes(mirror, leak_record, tmp_path):
    from aigaq.publish.builder import CONTROL_FILES
    from aigaq.registry.models import Event, Person

    Event.objects.create(person=Person.objects.get(uid=leak_record.public_uid), type="released",
                         description="Released after two years")
    anon = Person.objects.get(uid=leak_record.anon_uid)
    anon.publication = "public"
    anon.save()
    assert json.loads(_publish(mirror))["full"] is False
    fresh = tmp_path / "fresh"
    assert json.loads(_publish(fresh))["full"] is True

    def contents(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and p.name not in CONTROL_FILES}

    assert contents(mirror) == contents(fresh)


def test_a_changed_names_engine_rebuilds_every_page(mirror, monkeypatch):
    # Romanisations, browse letters and search entries come from the names engine: after it changes
    # (`names.engine_version()`, a fingerprint of its code), a republish must not keep old readings.
    import aigaq.names

    out = json.loads(_publish(mirror))
    assert not out["full"] and out["rendered"] == 0
    monkeypatch.setattr(aigaq.names, "engine_version", lambda: "another engine")
    out = json.loads(_publish(mirror))
    assert out["full"] and out["rendered"] >= 1
    assert _verify(mirror, "--key", _key()).returncode == 0


def test_a_merge_and_its_undo_reach_an_incremental_republish(mirror, leak_record, tmp_path):
    # Merge moves rows with plain SQL (no signals) and undo puts them back: the survivor's page
    # must show the merged record's event after the merge, and lose it after the undo, without
    # --full. A stale survivor page after an undo would keep another person's record on it.
    from aigaq.linkage.merge import merge, unmerge
    from aigaq.publish.builder import CONTROL_FILES
    from aigaq.registry import record
    from aigaq.registry.models import Event, Person

    def contents(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and p.name not in CONTROL_FILES}

    dup = record.create_person(["Bekzat Ospanov"], publication="public")
    Event.objects.create(person=dup, type="sentenced", description="Sentenced in the duplicate record")
    record.events_changed(dup)
    _publish(mirror)
    survivor = Person.objects.get(uid=leak_record.public_uid)
    page = mirror / f"person/{survivor.uid}.html"
    assert "Sentenced in the duplicate record" not in page.read_text()

    done = merge(survivor, dup)
    assert json.loads(_publish(mirror))["full"] is False
    assert "Sentenced in the duplicate record" in page.read_text()
    assert not (mirror / f"person/{dup.uid}.html").exists()
    assert contents(mirror) == contents(_fresh(tmp_path / "a"))

    unmerge(done)
    _publish(mirror)
    assert "Sentenced in the duplicate record" not in page.read_text()
    assert (mirror / f"person/{dup.uid}.html").exists()
    assert contents(mirror) == contents(_fresh(tmp_path / "b"))
    assert _verify(mirror, "--key", _key()).returncode == 0


def _fresh(out: Path) -> Path:
    assert json.loads(_publish(out))["full"] is True
    return out
