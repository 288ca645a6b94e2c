"""BagIt export, validation and import (RFC 8493), including hostile bags."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import bagit
import pytest

from aigaq.ledger import proofs
from aigaq.ledger.models import Entry
from aigaq.vault import bag
from aigaq.vault.ingest import ingest_path
from aigaq.vault.models import EvidenceItem


@pytest.fixture
def case(db, tmp_path):
    from aigaq.registry.models import Person, Testimony

    person = Person.objects.create(display_name="Case Person")
    other = Person.objects.create(display_name="Someone Else")
    testimony = Testimony.objects.create(title="t")
    testimony.persons.add(person)
    names = ["video 100%.mp4", "id-photo.jpg", ".hidden"]
    for i, name in enumerate(names):
        p = tmp_path / name
        p.write_bytes(os.urandom(2000 + i))
        ingest_path(p, testimony=testimony if i == 0 else None, person=person if i else None)
    unrelated = tmp_path / "unrelated.bin"
    unrelated.write_bytes(b"not in the case")
    ingest_path(unrelated, person=other)
    return person


def test_export_writes_a_valid_bag_of_the_case_that_the_library_also_accepts(case, tmp_path):
    out = tmp_path / "bag"
    report = bag.export(out, person=case)
    assert report.valid
    assert (out / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    payload = sorted(p.relative_to(out).as_posix() for p in (out / "data").rglob("*") if p.is_file())
    assert len(payload) == 3 and not any("unrelated" in p for p in payload)
    info = bag.validate(out).info
    assert info["Payload-Oxum"] == [f"{2000 + 2001 + 2002}.3"]
    assert info["Aigaq-Ledger-Checkpoint-Root"][0] and info["Aigaq-Ledger-Public-Key"][0]
    for alg in ("sha256", "sha512"):
        assert (out / f"manifest-{alg}.txt").is_file() and (out / f"tagmanifest-{alg}.txt").is_file()
    assert bagit.Bag(str(out)).is_valid()  # the field's library agrees
    # each item carries a proof a court expert can check alone
    proof_file = next((out / "aigaq" / "proofs").iterdir())
    import json

    assert proofs.verify_bundle(json.loads(proof_file.read_text())) == []
    assert Entry.objects.filter(kind="exported").count() == 3


def test_validate_finds_a_changed_payload_byte_and_a_missing_file(case, tmp_path):
    out = tmp_path / "bag"
    bag.export(out, person=case)
    victim = next(p for p in (out / "data").rglob("*") if p.is_file())
    data = bytearray(victim.read_bytes())
    data[0] ^= 1
    victim.write_bytes(data)
    report = bag.validate(out)
    assert not report.valid and "sha256" in report.errors[0]
    victim.unlink()
    assert any("missing" in e or "Payload-Oxum" in e for e in bag.validate(out).errors)


@pytest.mark.parametrize("evil", ["../../outside.txt", "/etc/passwd", "data/../../x", "~/x", "data/a\\..\\b", "C:/x"])
def test_a_bag_with_a_path_escape_is_refused(case, tmp_path, evil):
    out = tmp_path / "bag"
    bag.export(out, person=case)
    with open(out / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{'0' * 64}  {evil}\n")
    report = bag.validate(out)
    assert not report.valid and "unsafe path" in report.errors[0]
    before = EvidenceItem.objects.count()
    with pytest.raises(bag.BagInvalid, match="unsafe"):
        bag.import_bag(out)
    assert EvidenceItem.objects.count() == before
    assert not (tmp_path / "outside.txt").exists()


def test_a_symlink_in_the_payload_is_refused(case, tmp_path):
    out = tmp_path / "bag"
    bag.export(out, person=case)
    (out / "data" / "escape").symlink_to("/etc/passwd")
    assert "symbolic links" in bag.validate(out).errors[0]


def test_fetch_txt_rules(case, tmp_path):
    out = tmp_path / "bag"
    bag.export(out, person=case)
    (out / "fetch.txt").write_text("https://example.org/x 10 ../escape\n")
    assert "unsafe path" in bag.validate(out).errors[0]
    (out / "fetch.txt").write_text("https://example.org/x 10 data/later.bin\n")
    with open(out / "manifest-sha256.txt", "a") as fh:
        fh.write(f"{'a' * 64}  data/later.bin\n")
    assert any("fetch.txt and not fetched" in e for e in bag.validate(out).errors)


def test_tag_file_encoding_bom_and_percent_encoded_names(tmp_path):
    root = tmp_path / "partner"
    (root / "data").mkdir(parents=True)
    (root / "data" / "50% done\nnote.txt").write_bytes(b"hello")
    digest = hashlib.sha256(b"hello").hexdigest()
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (root / "manifest-sha256.txt").write_text(f"{digest}  data/50%25 done%0Anote.txt\n")
    assert bag.validate(root).valid, bag.validate(root).errors
    (root / "bag-info.txt").write_bytes(b"\xef\xbb\xbfSource-Organization: X\n")
    assert "byte-order mark" in bag.validate(root).errors[0]
    (root / "bag-info.txt").write_bytes("Source-Organization: Атажұрт\n".encode("cp1251", "replace"))
    assert "not valid UTF-8" in bag.validate(root).errors[0]
    (root / "bag-info.txt").write_text("Source-Organization: Partner\nPayload-Oxum: 5.1\n")
    assert bag.validate(root).valid


def test_import_takes_payload_in_through_ingest_and_rejects_an_invalid_bag(db, tmp_path):
    root = tmp_path / "partner"
    (root / "data" / "sub").mkdir(parents=True)
    files = {"data/sub/letter.pdf": b"%PDF-1.4 letter", "data/photo.bin": os.urandom(999)}
    lines = []
    for rel, content in files.items():
        (root / rel).write_bytes(content)
        lines.append(f"{hashlib.sha256(content).hexdigest()}  {rel}\n")
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (root / "manifest-sha256.txt").write_text("".join(lines))
    (root / "bag-info.txt").write_text("Source-Organization: Partner NGO\n")
    results = bag.import_bag(root)
    assert {r.item.sha256 for _, r in results} == {hashlib.sha256(c).hexdigest() for c in files.values()}
    assert EvidenceItem.objects.get(sha256=hashlib.sha256(files["data/sub/letter.pdf"]).hexdigest()).media_type == "application/pdf"
    assert Entry.objects.filter(kind="imported").count() == 2
    bad = tmp_path / "bad"
    shutil.copytree(root, bad)
    (bad / "data" / "photo.bin").write_bytes(b"changed")
    with pytest.raises(bag.BagInvalid):
        bag.import_bag(bad)


def test_cli_exit_codes(aigaq_env, tmp_path):
    import subprocess

    env, cli = aigaq_env
    f = tmp_path / "e.bin"
    f.write_bytes(b"evidence")
    subprocess.run([*cli, "ingest", str(f)], env=env, check=True, capture_output=True)
    out = tmp_path / "bag"
    subprocess.run([*cli, "bag", "export", str(out)], env=env, check=True, capture_output=True)
    assert subprocess.run([*cli, "bag", "validate", str(out)], env=env, capture_output=True).returncode == 0
    (out / "data" / "extra.txt").write_text("sneaked in")
    r = subprocess.run([*cli, "bag", "validate", str(out)], env=env, capture_output=True, text=True)
    assert r.returncode == 1 and "extra.txt" in r.stderr
    assert Path(out).is_dir()
