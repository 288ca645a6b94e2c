"""Ingest: content addressing, dedup, type sniffing, metadata, links, and hostile input."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings

from aigaq.ledger.models import Entry
from aigaq.vault.ingest import IngestError, display_name, ingest_path
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import get_storage


def _tmp_now() -> set[Path]:
    tmp = settings.DATA_DIR / "vault" / "tmp"
    return set(tmp.iterdir()) if tmp.exists() else set()


_BASELINE: set[Path] = set()


@pytest.fixture(autouse=True)
def _tmp_baseline():
    # A test worker's data folder is shared by the tests it runs (one folder per worker, see
    # settings_test): judge what this test left.
    _BASELINE.clear()
    _BASELINE.update(_tmp_now())


def vault_tmp_files() -> list[Path]:
    """Temporary files in the vault that were not there when the test started."""
    return sorted(_tmp_now() - _BASELINE)


@pytest.fixture
def jpeg(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "holding-id.txt"  # the name lies: the type comes from the content
    im = Image.new("RGB", (640, 480), "navy")
    exif = im.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2018:06:01 10:20:30"
    im.save(path, "JPEG", exif=exif)
    return path


def test_ingest_stores_by_hash_read_only_and_records_hashes_type_and_ledger(db, tmp_path):
    content = os.urandom(5 * 1024 * 1024 + 17)
    src = tmp_path / "verdict.pdf"
    src.write_bytes(b"%PDF-1.4\n" + content)
    result = ingest_path(src, source="court", derivatives=False)
    item = result.item
    data = src.read_bytes()
    assert result.created
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.sha512 is None  # computed afterwards by the vault.sha512 job
    assert (item.size, item.media_type, item.filename, item.source) == (len(data), "application/pdf", "verdict.pdf", "court")
    stored = get_storage().path_for(item.sha256)
    assert stored.read_bytes() == data
    assert stored.stat().st_mode & 0o777 == 0o400
    entry = Entry.objects.get(subject=item.sha256)
    assert entry.kind == "ingested" and "sha512" not in json.loads(entry.body)["data"]
    assert vault_tmp_files() == []
    from aigaq.core.jobs import run_worker

    assert run_worker(threading.Event(), once=True, kinds=["vault.sha512"]) == 1
    item.refresh_from_db()
    assert item.sha512 == hashlib.sha512(data).hexdigest()
    later = Entry.objects.get(subject=item.sha256, kind="sha512 recorded")
    assert json.loads(later.body)["data"]["sha512"] == item.sha512


def test_sha512_inline_when_asked(db, tmp_path):
    src = tmp_path / "a.bin"
    data = os.urandom(9 * 1024 * 1024 + 5)  # more than one copy buffer
    src.write_bytes(data)
    item = ingest_path(src, derivatives=False, sha512=True).item
    assert item.sha512 == hashlib.sha512(data).hexdigest()
    entry = Entry.objects.get(subject=item.sha256)
    assert json.loads(entry.body)["data"]["sha512"] == item.sha512
    assert not Entry.objects.filter(kind="sha512 recorded").exists()


def test_same_bytes_twice_are_stored_once(db, tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    first, second = ingest_path(a), ingest_path(b)
    assert first.created and not second.created
    assert first.item.pk == second.item.pk
    assert EvidenceItem.objects.count() == 1 and Entry.objects.count() == 1


def test_type_comes_from_content_and_image_metadata_and_thumbnail_are_made(db, jpeg):
    item = ingest_path(jpeg).item
    assert item.media_type == "image/jpeg"
    assert (item.metadata["width"], item.metadata["height"]) == (640, 480)
    assert item.metadata["exif"]["make"] == "PhoneMaker"
    assert item.metadata["created"] == "2018:06:01 10:20:30"
    thumb = item.derivatives.get()
    assert thumb.derivative_kind == "thumbnail" and thumb.media_type == "image/jpeg"
    assert thumb.metadata["width"] <= 320
    assert Entry.objects.get(subject=thumb.sha256).kind == "derivative made"
    # the original is untouched
    assert hashlib.sha256(get_storage().path_for(item.sha256).read_bytes()).hexdigest() == item.sha256


def test_links_to_testimony_and_person_are_logged(db, tmp_path):
    from aigaq.registry.models import Person, Testimony

    person = Person.objects.create(display_name="Test Person")
    testimony = Testimony.objects.create(title="t")
    src = tmp_path / "x.bin"
    src.write_bytes(b"linked")
    item = ingest_path(src, testimony=testimony, person=person).item
    assert {(lk.testimony_id, lk.person_id) for lk in item.links.all()} == {(testimony.pk, None), (None, person.pk)}
    assert list(Entry.objects.filter(subject=item.sha256).values_list("kind", flat=True)) == ["ingested", "linked", "linked"]
    ingest_path(src, person=person)  # linking again adds nothing
    assert item.links.count() == 2


def test_zero_byte_file_is_refused(db, tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(IngestError, match="empty"):
        ingest_path(empty)
    assert EvidenceItem.objects.count() == 0 and vault_tmp_files() == []


def test_symlink_is_refused(db, tmp_path):
    target = tmp_path / "real.bin"
    target.write_bytes(b"real")
    link = tmp_path / "link.bin"
    link.symlink_to(target)
    with pytest.raises(IngestError, match="symbolic link"):
        ingest_path(link)
    assert EvidenceItem.objects.count() == 0


def test_names_with_control_characters_bad_utf8_and_255_bytes_are_kept_safely(db, tmp_path):
    names = [b"evil\nname\x1b[31m.jpg", b"\xff\xfe-not-utf8.bin", b"\xd0\x90" * 127 + b"x", b"..%2f..%2fetc"]
    for i, raw in enumerate(names):
        path = os.path.join(os.fsencode(tmp_path), raw)
        with open(path, "wb") as fh:
            fh.write(f"content {i}".encode())
        item = ingest_path(path).item
        assert base64.b64decode(item.filename_raw) == raw
        assert not any(ord(c) < 32 or c == "/" for c in item.filename)
        assert len(item.filename) <= 255
    assert EvidenceItem.objects.count() == 4
    assert display_name(b"a/../b") == "a\ufffd..\ufffdb"
    # nothing was written outside the vault's own folders
    assert {p.name for p in (settings.DATA_DIR / "vault").iterdir()} <= {"sha256", "tmp"}


def test_a_file_that_vanishes_mid_read_is_refused_and_leaves_nothing(db, tmp_path):
    src = tmp_path / "going.bin"
    src.write_bytes(os.urandom(10 * 1024 * 1024))
    with pytest.raises(IngestError, match="deleted while it was being read"):
        ingest_path(src, on_progress=lambda done, total: src.unlink(missing_ok=True))
    assert EvidenceItem.objects.count() == 0 and Entry.objects.count() == 0
    assert vault_tmp_files() == []


def test_a_file_that_shrinks_mid_read_is_refused(db, tmp_path):
    src = tmp_path / "shrinking.bin"
    src.write_bytes(os.urandom(10 * 1024 * 1024))
    with pytest.raises(IngestError, match="changed while it was being read"):
        ingest_path(src, on_progress=lambda done, total: os.truncate(src, 5 * 1024 * 1024))
    assert EvidenceItem.objects.count() == 0 and vault_tmp_files() == []


def test_missing_file_and_directory_and_fifo_are_refused(db, tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        ingest_path(tmp_path / "nope")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file"):
        ingest_path(fifo)


def test_cli_reports_each_bad_file_and_ingests_the_good_ones(aigaq_env, tmp_path):
    env, cli = aigaq_env
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.bin").write_bytes(b"good")
    (src / "empty.bin").touch()
    (src / "link.bin").symlink_to(src / "good.bin")
    out = subprocess.run([*cli, "ingest", "--json", str(src)], env=env, capture_output=True, text=True)
    assert out.returncode == 1
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["path"].rsplit("/", 1)[1] for x in lines] == ["good.bin"]
    assert lines[0]["sha256"] == hashlib.sha256(b"good").hexdigest() and lines[0]["size"] == 4
    assert "empty.bin" in out.stderr and "empty" in out.stderr
    assert "link.bin" in out.stderr and "symbolic link" in out.stderr
    assert subprocess.run([*cli, "verify"], env=env, capture_output=True).returncode == 0


def test_sniffing_table():
    from aigaq.vault.sniff import sniff

    assert sniff(b"\x00\x00\x00\x18ftypmp42" + bytes(20)) == "video/mp4"
    assert sniff(b"\x00\x00\x00\x14ftypqt  " + bytes(20)) == "video/quicktime"
    assert sniff(b"\x89PNG\r\n\x1a\n" + bytes(8)) == "image/png"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"<!DOCTYPE html><html>") == "text/html"
    assert sniff("Қазақ тілі".encode()) == "text/plain"
    assert sniff(bytes([0, 1, 2, 3])) == "application/octet-stream"
    assert sniff(io.BytesIO(b"WARC/1.1\r\n").read()) == "application/warc"


def test_group_commit_records_each_file_before_reporting_it_and_refuses_the_bad_ones(db, tmp_path):
    """ingest_stream (`aigaq ingest`): good files are recorded (row, ledger entry) before on_done
    names them, in order; bad ones go to on_error and do not stop the others; same bytes twice
    are stored once; no temp file is left."""
    from aigaq.vault.ingest import ingest_stream

    src = tmp_path / "in"
    src.mkdir()
    contents = {f"{i}.bin": os.urandom(1000 + i * 300_000) for i in range(6)}
    for name, data in contents.items():
        (src / name).write_bytes(data)
    (src / "empty.bin").touch()
    (src / "link.bin").symlink_to(src / "0.bin")
    (src / "again.bin").write_bytes(contents["2.bin"])
    paths = [src / n for n in ["0.bin", "empty.bin", "1.bin", "2.bin", "link.bin", "again.bin", "3.bin", "4.bin",
                               "5.bin", "missing.bin"]]
    done, errors = [], []

    def on_done(path, result):
        sha = hashlib.sha256((src / path.name).read_bytes()).hexdigest()
        assert result.item.sha256 == sha
        # recorded before it is reported: the row and its ingest entry are there
        assert EvidenceItem.objects.filter(sha256=sha).exists()
        assert Entry.objects.filter(subject=sha, kind="ingested").count() == 1
        done.append((path.name, result.created))

    ingest_stream(paths, on_done=on_done, on_error=lambda path, exc: errors.append((path.name, str(exc))),
                  derivatives=False, batch_seconds=0)
    assert done == [("0.bin", True), ("1.bin", True), ("2.bin", True), ("again.bin", False), ("3.bin", True),
                    ("4.bin", True), ("5.bin", True)]
    assert [name for name, _ in errors] == ["empty.bin", "link.bin", "missing.bin"]
    assert "empty" in errors[0][1] and "symbolic link" in errors[1][1] and "no such file" in errors[2][1]
    assert EvidenceItem.objects.count() == 6 and vault_tmp_files() == []
    storage = get_storage()
    for data in contents.values():
        with storage.open(hashlib.sha256(data).hexdigest()) as fh:
            assert fh.read() == data


def test_group_commit_does_not_overwrite_a_damaged_stored_copy(db, tmp_path):
    from aigaq.vault.ingest import ingest_stream

    data = os.urandom(50_000)
    (tmp_path / "a.bin").write_bytes(data)
    (tmp_path / "b.bin").write_bytes(os.urandom(20_000))
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    stored = get_storage().path_for(item.sha256)
    os.chmod(stored, 0o600)
    stored.write_bytes(b"x" + data[1:])
    done, errors = [], []
    ingest_stream([tmp_path / "a.bin", tmp_path / "b.bin"], on_done=lambda p, r: done.append(p.name),
                  on_error=lambda p, e: errors.append((p.name, str(e))), derivatives=False)
    assert done == ["b.bin"]
    assert errors[0][0] == "a.bin" and "damaged" in errors[0][1]
    assert stored.read_bytes()[:1] == b"x"  # left as found, for `aigaq verify` to name


def test_items_recorded_together_get_the_same_audit_and_ledger_entries_as_one_alone(db, tmp_path):
    from aigaq.audit.chain import verify_chain
    from aigaq.audit.models import AuditEntry
    from aigaq.ledger.log import GENESIS
    from aigaq.vault.ingest import ingest_many

    for i in range(4):
        (tmp_path / f"{i}.bin").write_bytes(os.urandom(3000 + i))
    alone = ingest_path(tmp_path / "0.bin", derivatives=False).item
    together = [r.item for r in ingest_many([tmp_path / f"{i}.bin" for i in range(1, 4)], derivatives=False)]
    creates = {e.object_id: e for e in AuditEntry.objects.filter(action="create", object_type="vault.evidenceitem")}
    assert set(creates) == {str(i.pk) for i in [alone, *together]}
    shape = {k: v[0] for k, v in creates[str(alone.pk)].changes.items()}
    for item in together:
        changes = creates[str(item.pk)].changes
        assert {k: v[0] for k, v in changes.items()} == shape  # same fields, all new
        assert changes["sha256"] == [None, item.sha256] and changes["id"] == [None, item.pk]
    assert verify_chain() == []
    entries = list(Entry.objects.order_by("seq"))
    assert [e.subject for e in entries] == [i.sha256 for i in [alone, *together]]
    assert [e.seq for e in entries] == [0, 1, 2, 3]
    assert [e.prev_hash for e in entries] == [GENESIS] + [e.leaf_hash for e in entries[:-1]]
