"""Backup -> restore -> verify round trip; a wrong passphrase or a damaged archive changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = """
from aigaq.registry.models import Person, Witness, Testimony
w = Witness.objects.create(full_name="Backup Witness", contact="BACKUP-SENTINEL-PHONE", address="Addr 1")
t = Testimony.objects.create(witness=w, title="Backup testimony", transcript="He was taken in 2018.")
p = Person.objects.create(display_name="Backup Person", internal_notes="BACKUP-SENTINEL-NOTE")
t.persons.add(p)
"""
DUMP_APPS = ["registry", "accounts", "audit", "vault", "ledger"]


def aigaq(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings"}
    env.pop("DATABASE_URL", None)
    r = subprocess.run([sys.executable, "-m", "aigaq.cli", *args], env=env, capture_output=True, text=True,
                       timeout=180)
    if check:
        assert r.returncode == 0, f"aigaq {' '.join(args)}: {r.stderr}"
    return r


def records(data: Path) -> list:
    out = aigaq(data, "dumpdata", *DUMP_APPS, "--indent", "0").stdout
    return sorted(json.loads(out), key=lambda o: (o["model"], str(o["pk"])))


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    base = tmp_path_factory.mktemp("backup")
    data = base / "original"
    aigaq(data, "init", "--quiet")
    aigaq(data, "shell", "--no-imports", "-c", SEED)
    evidence = base / "id-photo.txt"
    evidence.write_text("pretend this is a photo of an ID card\n")
    aigaq(data, "ingest", str(evidence), check=False)  # the vault, when its command is there
    passphrase = base / "pass"
    passphrase.write_text("correct horse battery staple 42\n")
    archive = base / "instance.age"
    r = aigaq(data, "backup", str(archive), "--passphrase-file", str(passphrase))
    assert "backup written" in r.stdout
    return {"base": base, "data": data, "archive": archive, "pass": passphrase}


def test_round_trip_gives_identical_records_and_verify_passes(original):
    target = original["base"] / "restored"
    aigaq(target, "restore", str(original["archive"]), "--passphrase-file", str(original["pass"]))
    aigaq(target, "verify")
    # The original has one entry more: the log of the backup itself, written after the snapshot.
    before = [o for o in records(original["data"]) if o["fields"].get("action") != "backup"]
    after = records(target)
    assert len(after) > 10 and after == before
    assert any(o["fields"].get("contact") == "BACKUP-SENTINEL-PHONE" for o in after)  # keys came along
    assert (target / "keys" / "field-key").stat().st_mode & 0o077 == 0


def test_archive_is_encrypted(original):
    raw = original["archive"].read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    assert b"BACKUP-SENTINEL" not in raw and b"SQLite format" not in raw


def test_wrong_passphrase_is_a_clear_error_and_touches_nothing(original):
    wrong = original["base"] / "wrong"
    wrong.write_text("not the right passphrase at all")
    target = original["base"] / "never"
    r = aigaq(target, "restore", str(original["archive"]), "--passphrase-file", str(wrong), check=False)
    assert r.returncode != 0
    assert "cannot decrypt" in r.stderr and "wrong passphrase" in r.stderr
    assert not (target / "aigaq.sqlite3").exists() and not (target / "vault").exists()


def test_damaged_archive_is_a_clear_error_and_touches_nothing(original):
    damaged = original["base"] / "damaged.age"
    raw = bytearray(original["archive"].read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    target = original["base"] / "never2"
    r = aigaq(target, "restore", str(damaged), "--passphrase-file", str(original["pass"]), check=False)
    assert r.returncode != 0 and "damaged" in r.stderr
    assert not (target / "aigaq.sqlite3").exists()


def test_refuses_a_folder_that_is_not_empty(original):
    r = aigaq(original["data"], "restore", str(original["archive"]), "--passphrase-file", str(original["pass"]),
              check=False)
    assert r.returncode != 0 and "not empty" in r.stderr


def test_age_recipients_round_trip(original):
    """Encrypted to an age public key: the matching identity opens it, another does not."""
    import pyrage

    base = original["base"]
    ident, other = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    (base / "id").write_text(f"# test identity\n{ident}\n")
    (base / "other-id").write_text(f"{other}\n")
    archive = base / "to-recipient.age"
    aigaq(original["data"], "backup", str(archive), "--recipient", str(ident.to_public()))
    r = aigaq(base / "other", "restore", str(archive), "--identity", str(base / "other-id"), check=False)
    assert r.returncode != 0 and "cannot decrypt" in r.stderr
    assert not (base / "other" / "aigaq.sqlite3").exists()
    aigaq(base / "by-identity", "restore", str(archive), "--identity", str(base / "id"))
    aigaq(base / "by-identity", "verify")
