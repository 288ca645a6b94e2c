"""Deferred SHA-512, fsyncs per object, and the hooks the capture part uses: provenance on the
item, the "captured" ledger kind, taking over a temp file without a copy, several files in one
transaction, and stale-temp cleanup that copes with folders."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aigaq.core.jobs import run_worker
from aigaq.core.models import Job
from aigaq.core.verify import VerifyContext, run_all
from aigaq.ledger.models import Entry, EventKind
from aigaq.vault.ingest import FileIn, IngestError, ingest_many, ingest_path, ingest_tempfile
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import get_storage

pytestmark = pytest.mark.django_db


def problems(*only: str) -> list[str]:
    ctx = VerifyContext()
    return [str(p) for _, p in run_all(ctx, list(only) or None)]


def write(path: Path, size: int = 70_000) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    return data


def body(entry: Entry) -> dict:
    return json.loads(entry.body)["data"]


# --- SHA-512 after the copy -----------------------------------------------------------------


def test_sha512_is_filled_by_the_job_and_verify_checks_it_only_once_recorded(tmp_path):
    data = write(tmp_path / "a.bin")
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    assert item.sha512 is None and Job.objects.filter(kind="vault.sha512", state="queued").count() == 1
    write(tmp_path / "b.bin")
    ingest_path(tmp_path / "b.bin", derivatives=False)
    assert Job.objects.filter(kind="vault.sha512").count() == 1  # one queued job serves every item
    ctx = VerifyContext()
    assert [str(p) for _, p in run_all(ctx)] == []
    assert any("wait for their SHA-512" in n for n in ctx.notes)
    assert run_worker(threading.Event(), once=True, kinds=["vault.sha512"]) == 1
    item.refresh_from_db()
    assert item.sha512 == hashlib.sha512(data).hexdigest()
    assert Entry.objects.filter(kind=EventKind.SHA512).count() == 2
    assert problems() == []
    EvidenceItem.objects.filter(pk=item.pk).update(sha512="0" * 128)
    assert problems("database vs ledger") == [
        f"item {item.pk} sha256:{item.sha256}: its SHA-512 in the database differs from the custody ledger"]


def test_a_sha512_set_in_the_database_before_the_job_is_found(tmp_path):
    write(tmp_path / "a.bin")
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    EvidenceItem.objects.filter(pk=item.pk).update(sha512="1" * 128)
    assert problems("database vs ledger") == [
        f"item {item.pk} sha256:{item.sha256}: its SHA-512 in the database was never recorded in the custody ledger"]


def test_the_job_records_no_sha512_for_a_damaged_original(tmp_path):
    write(tmp_path / "a.bin")
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    stored = get_storage().path_for(item.sha256)
    stored.chmod(0o600)
    stored.write_bytes(b"tampered" + stored.read_bytes()[8:])
    run_worker(threading.Event(), once=True, kinds=["vault.sha512"])
    job = Job.objects.get(kind="vault.sha512")
    item.refresh_from_db()
    assert item.sha512 is None and job.state == "failed" and item.sha256 in job.error


def test_bag_export_computes_and_keeps_a_missing_sha512(tmp_path):
    from aigaq.vault import bag

    data = write(tmp_path / "a.bin")
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    report = bag.export(tmp_path / "bag")
    assert report.valid
    item.refresh_from_db()
    assert item.sha512 == hashlib.sha512(data).hexdigest()
    assert item.sha512 in (tmp_path / "bag" / "manifest-sha512.txt").read_text()
    assert problems() == []


def test_ingest_command_sha512_option_and_one_job_per_run(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        write(folder / f"{i}.bin", 1000 + i)
    call_command("ingest", str(folder), json=True, no_derivatives=True)
    assert EvidenceItem.objects.filter(sha512__isnull=True).count() == 3
    assert Job.objects.filter(kind="vault.sha512").count() == 1
    data = write(tmp_path / "now.bin")
    call_command("ingest", str(tmp_path / "now.bin"), json=True, no_derivatives=True, sha512=True)
    assert EvidenceItem.objects.get(sha256=hashlib.sha256(data).hexdigest()).sha512 == hashlib.sha512(data).hexdigest()


# --- durability cost ----------------------------------------------------------------------


def test_two_fsyncs_per_object_once_its_shard_folder_exists(tmp_path, monkeypatch):
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    # A worker's data folder is shared by its tests: pick bytes whose top shard folder is new.
    storage = get_storage()
    for _ in range(1000):
        data = write(tmp_path / "a.bin")
        if not storage.path_for(hashlib.sha256(data).hexdigest()).parent.parent.exists():
            break
    else:
        pytest.fail("every top shard folder exists already in this worker's data folder")
    item = ingest_path(tmp_path / "a.bin", derivatives=False).item
    assert len(calls) == 4  # the file, its folder, and the two shard folders made for it
    # Another object in the same shard folder: find bytes whose SHA-256 starts the same way.
    prefix = item.sha256[:4]
    n = 0
    while hashlib.sha256(b"x%d" % n).hexdigest()[:4] != prefix:
        n += 1
    (tmp_path / "b.bin").write_bytes(b"x%d" % n)
    calls.clear()
    ingest_path(tmp_path / "b.bin", derivatives=False)
    assert len(calls) == 2  # the file and its folder entry


def test_recording_one_file_takes_few_queries(tmp_path):
    write(tmp_path / "first.bin")
    ingest_path(tmp_path / "first.bin", derivatives=False, schedule_sha512=False)  # makes the ledger head
    write(tmp_path / "a.bin")
    with CaptureQueriesContext(connection) as queries:
        ingest_path(tmp_path / "a.bin", derivatives=False, schedule_sha512=False)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    # the item, its ledger entry and head; the audit log's entry
    assert len(writes) <= 4, "\n".join(w[:80] for w in writes)
    # Transaction control and PostgreSQL's advisory locks (SQLite locks with BEGIN IMMEDIATE) are
    # not work on the record.
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SELECT pg_advisory_xact_lock"))]
    assert len(statements) <= 7, "\n".join(w[:80] for w in statements)  # and one read before each


# --- hooks for the capture part -----------------------------------------------------------


def test_provenance_sits_on_the_item_in_its_ledger_entry_and_on_its_page(tmp_path, client, victor):
    write(tmp_path / "page.wacz")
    prov = {"url": "https://example.org/a", "captured_at": "2024-01-02T03:04:05+00:00", "role": "wacz"}
    item = ingest_path(tmp_path / "page.wacz", provenance=prov, derivatives=False).item
    item.refresh_from_db()
    assert item.provenance == prov
    assert body(Entry.objects.get(subject=item.sha256, kind="ingested"))["provenance"] == prov
    client.force_login(victor)
    page = client.get(reverse("vault:item-detail", args=[item.pk])).content.decode()
    assert 'id="provenance"' in page and "https://example.org/a" in page
    EvidenceItem.objects.filter(pk=item.pk).update(provenance={**prov, "url": "https://elsewhere.example"})
    assert problems("database vs ledger") == [
        f"item {item.pk} sha256:{item.sha256}: its provenance in the database differs from the custody ledger"]


def test_capture_logs_captured_and_channel_import_logs_imported():
    from aigaq.capture import channel, service

    assert EventKind.CAPTURED == "captured" and service.LEDGER_KIND == EventKind.CAPTURED
    assert channel.LEDGER_KIND == EventKind.IMPORTED == "imported"


def test_ingest_tempfile_links_the_file_into_place_without_a_copy():
    storage = get_storage()
    storage.ensure()
    work = storage.tmp / f"{os.getpid()}-capture-test"
    work.mkdir()
    temp = work / "random-temp-name"
    data = write(temp, 3 * 1024 * 1024)
    inode = temp.stat().st_ino
    result = ingest_tempfile(temp, name="clip.mp4", provenance={"role": "video"}, derivatives=False)
    stored = storage.path_for(result.item.sha256)
    assert stored.stat().st_ino == inode  # the same file, not a copy
    assert not temp.exists() and stored.read_bytes() == data and stored.stat().st_mode & 0o777 == 0o400
    assert (result.item.filename, result.item.provenance) == ("clip.mp4", {"role": "video"})
    assert result.item.sha256 == hashlib.sha256(data).hexdigest()
    assert problems() == []
    work.rmdir()


def test_ingest_tempfile_copies_a_file_with_another_name_and_removes_its_own(tmp_path):
    storage = get_storage()
    storage.ensure()
    temp = storage.tmp / f"{os.getpid()}-linked"
    data = write(temp)
    other = storage.tmp / f"{os.getpid()}-other-name"
    os.link(temp, other)
    item = ingest_tempfile(temp, derivatives=False).item
    stored = storage.path_for(item.sha256)
    assert stored.stat().st_ino != other.stat().st_ino  # a second name could change it: copied
    assert not temp.exists() and other.read_bytes() == data == stored.read_bytes()
    other.unlink()


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="needs a second file system (/dev/shm)")
def test_ingest_tempfile_from_another_file_system_is_copied():
    path = Path("/dev/shm") / f"aigaq-test-{os.getpid()}"
    data = write(path)
    try:
        item = ingest_tempfile(path, derivatives=False).item
        assert get_storage().path_for(item.sha256).read_bytes() == data and not path.exists()
    finally:
        path.unlink(missing_ok=True)


def test_ingest_many_records_all_files_in_one_transaction(tmp_path, erin):
    from aigaq.registry.models import Testimony

    testimony = Testimony.objects.create(title="t", created_by=erin)
    paths = [tmp_path / f"{i}.bin" for i in range(3)]
    for p in paths:
        write(p)
    seen = []
    results = ingest_many([FileIn(paths[0], provenance={"n": 0}), paths[1], FileIn(paths[2], name=b"third")],
                          testimony=testimony, user=erin, derivatives=False,
                          then=lambda rs: seen.append(connection.in_atomic_block))
    assert [r.created for r in results] == [True, True, True] and seen == [True]
    assert results[2].item.filename == "third" and results[0].item.provenance == {"n": 0}
    for r in results:
        kinds = list(Entry.objects.filter(subject=r.item.sha256).values_list("kind", flat=True))
        assert kinds == ["ingested", "linked"]
        assert r.item.links.get().testimony == testimony


def test_ingest_many_records_nothing_when_a_file_is_refused_or_the_caller_fails(tmp_path):
    write(tmp_path / "a.bin")
    with pytest.raises(IngestError, match="no such file"):
        ingest_many([tmp_path / "a.bin", tmp_path / "missing.bin"], derivatives=False)
    assert not EvidenceItem.objects.exists() and not Entry.objects.exists()

    def fail(results):
        raise RuntimeError("the caller's own rows failed")

    with pytest.raises(RuntimeError):
        ingest_many([tmp_path / "a.bin"], derivatives=False, then=fail)
    assert not EvidenceItem.objects.exists() and not Entry.objects.exists()
    errors: list = []
    results = ingest_many([tmp_path / "missing.bin", tmp_path / "a.bin"], derivatives=False, errors=errors)
    assert len(results) == 1 and [n for n, _ in errors] == [0]
    assert EvidenceItem.objects.count() == 1 and problems() == []


def test_clean_stale_temps_removes_dead_writers_files_and_folders():
    storage = get_storage()
    storage.ensure()
    dead = 2**22 + 12345  # above the default pid_max: no such process
    (storage.tmp / f"{dead}-abc.part").write_bytes(b"x")
    folder = storage.tmp / f"{dead}-capture-xyz"
    (folder / "bodies").mkdir(parents=True)
    (folder / "bodies" / "b").write_bytes(b"y")
    live = storage.tmp / f"{os.getpid()}-capture-live"
    live.mkdir()
    other = storage.tmp / "not-a-pid"
    other.mkdir()
    assert storage.clean_stale_temps() >= 2
    assert not folder.exists() and not (storage.tmp / f"{dead}-abc.part").exists()
    assert live.is_dir() and other.is_dir()
    live.rmdir()
    other.rmdir()
