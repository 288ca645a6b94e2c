"""The `aigaq` command, run as a real subprocess against a real data folder."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aigaq.names import engine_version

AIGAQ = [sys.executable, "-m", "aigaq.cli"]


def run(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.run([*AIGAQ, *args], env=env, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"aigaq {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    data = tmp_path_factory.mktemp("instance")
    pw = data.parent / "pw.txt"
    pw.write_text("a long enough passphrase 123\n")
    first = run(data, "init", "--admin-password-file", str(pw))
    return data, first


def test_init_creates_the_data_folder_database_keys_and_gazetteer(instance):
    data, first = instance
    assert (data / "aigaq.sqlite3").exists()
    assert (data / "keys" / "instance-ed25519.pem").exists()
    assert oct((data / "keys" / "instance-ed25519.pem").stat().st_mode & 0o777) == "0o600"
    db = sqlite3.connect(data / "aigaq.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT count(*) FROM registry_place WHERE code LIKE '65%'").fetchone()[0] > 100
    assert db.execute("SELECT role FROM accounts_user WHERE username='admin'").fetchone()[0] == "admin"
    assert "Administrator 'admin' created with the password from" in first.stdout
    # an empty registry's search keys are the running names engine's, and init records which
    assert (data / "names-engine.txt").read_text().strip() == engine_version()
    assert "Name search keys: current" in first.stdout


def test_init_is_idempotent(instance):
    data, _ = instance
    again = run(data, "init")
    assert "Administrator 'admin': exists" in again.stdout
    assert "Gazetteer: 0 places added, 0 updated" in again.stdout
    db = sqlite3.connect(data / "aigaq.sqlite3")
    assert db.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == 1


def test_init_prints_a_generated_password_once(tmp_path):
    out = run(tmp_path / "d", "init", "--admin-username", "root", "--quiet").stdout
    assert "Administrator 'root' created. Password (shown once):" in out
    assert "Password" not in run(tmp_path / "d", "init", "--admin-username", "root").stdout


def test_init_refuses_a_weak_password_file(tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("12345")
    proc = run(tmp_path / "d", "init", "--admin-password-file", str(pw), check=False)
    assert proc.returncode != 0
    assert "too short" in proc.stderr


def test_token_create_prints_a_token_that_only_its_hash_is_stored(instance):
    data, _ = instance
    token = run(data, "token", "create", "admin").stdout.strip()
    assert token.startswith("aiq_") and len(token) > 30
    db = sqlite3.connect(data / "aigaq.sqlite3")
    stored = [r[0] for r in db.execute("SELECT token_hash FROM accounts_apitoken")]
    assert token not in stored and len(stored) == 1


def test_unknown_user_gets_a_one_line_reason(instance):
    data, _ = instance
    proc = run(data, "token", "create", "nobody", check=False)
    assert proc.returncode == 1
    assert "no user named 'nobody'" in proc.stderr
