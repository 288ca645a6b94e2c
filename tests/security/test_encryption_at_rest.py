"""Witness contact, addresses and internal notes are encrypted at rest, with a key outside the database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SENTINELS = {
    "contact": "SENTINEL-CONTACT-+77015550199",
    "address": "SENTINEL-ADDRESS-Abay-street-7",
    "internal_notes": "SENTINEL-WNOTES-fears-reprisals",
    "person_notes": "SENTINEL-PNOTES-brother-in-Almaty",
}


def _aigaq(data: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings", **(env_extra or {})}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "aigaq.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


SEED = """
from aigaq.registry.models import Person, Witness
Witness.objects.create(full_name="W", contact={contact!r}, address={address!r}, internal_notes={internal_notes!r})
Person.objects.create(display_name="P", internal_notes={person_notes!r})
"""

READ = """
from aigaq.registry.models import Person, Witness
w = Witness.objects.get(); p = Person.objects.get()
print(w.contact, w.address, w.internal_notes, p.internal_notes, sep="\\n")
"""


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    data = tmp_path_factory.mktemp("enc") / "data"
    assert _aigaq(data, "init", "--quiet").returncode == 0
    r = _aigaq(data, "shell", "--no-imports", "-c", SEED.format(**SENTINELS))
    assert r.returncode == 0, r.stderr
    return data


def _database_bytes(data: Path, tmp_path: Path) -> bytes:
    """A copy of the database file (and its WAL, checkpointed in the copy), opened with sqlite3 alone."""
    copy = tmp_path / "copy.sqlite3"
    src = sqlite3.connect(data / "aigaq.sqlite3")
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dump = "\n".join(dst.iterdump())
    dst.close()
    return copy.read_bytes() + dump.encode("utf-8")


def test_database_copy_holds_no_sentinel_in_clear(instance, tmp_path):
    raw = _database_bytes(instance, tmp_path)
    for name, value in SENTINELS.items():
        assert value.encode() not in raw, f"{name} is stored in clear"
    assert b"aq1:" in raw  # and the fields are there, encrypted


def test_the_application_reads_them_back(instance):
    r = _aigaq(instance, "shell", "--no-imports", "-c", READ)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:4] == list(SENTINELS.values())


def test_without_the_key_file_nothing_decrypts(instance, tmp_path):
    other_key = tmp_path / "other-key"
    from aigaq.core.crypto import new_key_line

    other_key.write_text(new_line := new_key_line())
    assert new_line
    r = _aigaq(instance, "shell", "--no-imports", "-c", READ, env_extra={"AIGAQ_FIELD_KEY_FILE": str(other_key)})
    assert r.returncode != 0
    assert "not in the keyring" in r.stderr


def test_key_rotation_reencrypts_every_value(instance, tmp_path):
    before = (instance / "keys" / "field-key").read_text().split()[0]
    r = _aigaq(instance, "keys", "rotate")
    assert r.returncode == 0, r.stderr
    after = (instance / "keys" / "field-key").read_text()
    assert before not in after and len(after.splitlines()) == 1  # old key gone
    status = _aigaq(instance, "keys", "status").stdout
    assert before not in status and "clear text" not in status
    r = _aigaq(instance, "shell", "--no-imports", "-c", READ)
    assert r.stdout.split("\n")[:4] == list(SENTINELS.values())
    raw = _database_bytes(instance, tmp_path)
    assert not any(v.encode() in raw for v in SENTINELS.values())


def test_key_file_is_private(instance):
    assert (instance / "keys" / "field-key").stat().st_mode & 0o077 == 0


def test_value_moved_to_another_field_does_not_decrypt(db):
    from aigaq.core import crypto

    stored = crypto.encrypt("secret", "registry.witness.contact")
    assert crypto.decrypt(stored, "registry.witness.contact") == "secret"
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        crypto.decrypt(stored, "registry.witness.address")
