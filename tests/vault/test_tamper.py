"""`aigaq verify` finds every kind of tampering, names the item, and is silent on an intact vault."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest


def run(env_cli, *args, check=None):
    env, cli = env_cli
    out = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=300)
    if check is not None:
        assert out.returncode == check, (out.returncode, out.stdout, out.stderr)
    return out


@pytest.fixture
def vault(aigaq_env, tmp_path):
    """A data folder with five ingested files; returns (env_cli, data dir, [json lines])."""
    files = tmp_path / "in"
    files.mkdir()
    for i in range(5):
        (files / f"doc{i}.bin").write_bytes(os.urandom(1000 + i * 50_000))
    out = run(aigaq_env, "ingest", "--json", str(files), check=0)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 5
    return aigaq_env, Path(aigaq_env[0]["AIGAQ_DATA"]), lines


def object_path(data: Path, sha256: str) -> Path:
    return data / "vault" / "sha256" / sha256[:2] / sha256[2:4] / sha256


def db(data: Path) -> sqlite3.Connection:
    return sqlite3.connect(data / "aigaq.sqlite3", isolation_level=None)


def verify_json(env_cli) -> tuple[int, dict]:
    out = run(env_cli, "verify", "--json")
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout)


def test_an_intact_vault_verifies(vault):
    env_cli, _, lines = vault
    rc, report = verify_json(env_cli)
    assert (rc, report["problems"]) == (0, [])
    text = run(env_cli, "verify", check=0).stdout
    assert "PROBLEM" not in text and "All intact" in text


def test_a_flipped_byte_is_found_and_named(vault):
    env_cli, data, lines = vault
    victim = lines[2]
    path = object_path(data, victim["sha256"])
    os.chmod(path, 0o600)
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(content)
    rc, report = verify_json(env_cli)
    assert rc == 1
    assert [(p["subject"], p["sha256"]) for p in report["problems"]] == [(f"item {victim['item']}", victim["sha256"])]
    assert "content has changed" in report["problems"][0]["what"]
    human = run(env_cli, "verify", check=1).stdout
    assert victim["sha256"] in human and f"item {victim['item']}" in human


def test_a_deleted_original_is_found_and_named(vault):
    env_cli, data, lines = vault
    object_path(data, lines[0]["sha256"]).unlink()
    rc, report = verify_json(env_cli)
    assert rc == 1
    assert [p["sha256"] for p in report["problems"]] == [lines[0]["sha256"]]
    assert "missing" in report["problems"][0]["what"]


def test_an_edited_ledger_entry_is_found(vault):
    env_cli, data, lines = vault
    with db(data) as conn:
        body = conn.execute("SELECT body FROM ledger_entry WHERE seq=1").fetchone()[0]
        conn.execute("UPDATE ledger_entry SET body=? WHERE seq=1", (body.replace('"size":', '"size":1'),))
    rc, report = verify_json(env_cli)
    assert rc == 1
    whats = [(p["subject"], p["what"]) for p in report["problems"]]
    assert any(s == "ledger entry #1" and "edited" in w for s, w in whats), whats
    assert any(p["sha256"] == lines[1]["sha256"] for p in report["problems"])


def test_an_edited_entry_with_its_hash_recomputed_breaks_the_chain_and_the_signed_root(vault):
    from aigaq.ledger import proofs

    env_cli, data, lines = vault
    with db(data) as conn:
        body = conn.execute("SELECT body FROM ledger_entry WHERE seq=4").fetchone()[0]
        forged = body.replace('"source":""', '"source":"forged"')
        assert forged != body
        conn.execute("UPDATE ledger_entry SET body=?, leaf_hash=? WHERE seq=4",
                     (forged, proofs.leaf_hash(forged.encode()).hex()))
    rc, report = verify_json(env_cli)
    assert rc == 1
    whats = " | ".join(p["what"] for p in report["problems"])
    assert "tree root that was signed" in whats


@pytest.mark.parametrize("seq", [0, 2, 4])
def test_a_deleted_ledger_entry_is_found(vault, seq):
    env_cli, data, lines = vault
    with db(data) as conn:
        conn.execute("DELETE FROM ledger_entry WHERE seq=?", (seq,))
    rc, report = verify_json(env_cli)
    assert rc == 1
    # The item whose ingest entry is gone is named.
    assert any(p["sha256"] == lines[seq]["sha256"] and p["subject"] == f"item {lines[seq]['item']}"
               for p in report["problems"]), report["problems"]


def test_reordered_ledger_entries_are_found(vault):
    env_cli, data, lines = vault
    with db(data) as conn:
        rows = conn.execute("SELECT id, seq FROM ledger_entry WHERE seq IN (1, 3) ORDER BY seq").fetchall()
        (id1, s1), (id3, s3) = rows
        conn.execute("UPDATE ledger_entry SET seq=-1 WHERE id=?", (id1,))
        conn.execute("UPDATE ledger_entry SET seq=? WHERE id=?", (s1, id3))
        conn.execute("UPDATE ledger_entry SET seq=? WHERE id=?", (s3, id1))
    rc, report = verify_json(env_cli)
    assert rc == 1
    subjects = {p["subject"] for p in report["problems"]}
    assert {"ledger entry #1", "ledger entry #3"} <= subjects


def test_a_changed_hash_in_the_database_is_found_and_named(vault):
    env_cli, data, lines = vault
    victim = lines[3]
    forged = "f" * 64
    with db(data) as conn:
        conn.execute("UPDATE vault_evidenceitem SET sha256=? WHERE id=?", (forged, victim["item"]))
    rc, report = verify_json(env_cli)
    assert rc == 1
    named = {(p["subject"], p["sha256"]) for p in report["problems"]}
    assert (f"item {victim['item']}", forged) in named  # the row as it now stands
    assert any(sha == victim["sha256"] for _, sha in named)  # and what the ledger recorded


def test_a_changed_sha512_in_the_database_is_found(vault):
    env_cli, data, lines = vault
    with db(data) as conn:
        conn.execute("UPDATE vault_evidenceitem SET sha512=? WHERE id=?", ("0" * 128, lines[1]["item"]))
    rc, report = verify_json(env_cli)
    assert rc == 1
    assert [p["sha256"] for p in report["problems"]] == [lines[1]["sha256"]]


def test_verify_exits_2_when_it_cannot_run(aigaq_env, tmp_path):
    env, cli = aigaq_env
    env = {**env, "AIGAQ_DATA": str(tmp_path / "never-initialised")}
    out = subprocess.run([*cli, "verify"], env=env, capture_output=True, text=True)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "aigaq init" in out.stderr


def test_sample_rehashes_only_part(vault):
    env_cli, data, lines = vault
    rc, report = verify_json(env_cli)
    out = run(env_cli, "verify", "--sample", "40", "--json", check=0)
    assert "2 items" in " ".join(json.loads(out.stdout)["notes"])


def test_a_truncated_original_is_found_and_named(vault):
    env_cli, data, lines = vault
    victim = lines[4]
    path = object_path(data, victim["sha256"])
    os.chmod(path, 0o600)
    os.truncate(path, victim["size"] - 1)
    rc, report = verify_json(env_cli)
    assert rc == 1
    assert [(p["sha256"], p["what"]) for p in report["problems"]] == [
        (victim["sha256"], f"the stored original has {victim['size'] - 1} bytes, {victim['size']} were recorded")]


def _new_key_b64():
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key, base64.b64encode(raw).decode("ascii")


def test_a_checkpoint_re_signed_with_a_key_of_its_own_is_found(vault):
    """Whoever can write the database can sign a rewritten tree with a key of their own and store
    that key beside it: the signature is then valid, but the key is not the instance's."""
    import base64

    env_cli, data, lines = vault
    key, key_b64 = _new_key_b64()
    with db(data) as conn:
        cp_id, size, text = conn.execute(
            "SELECT id, size, text FROM ledger_checkpoint ORDER BY size DESC LIMIT 1").fetchone()
        signature = base64.b64encode(key.sign(text.encode("utf-8"))).decode("ascii")
        conn.execute("UPDATE ledger_checkpoint SET signature=?, public_key=? WHERE id=?", (signature, key_b64, cp_id))
    rc, report = verify_json(env_cli)
    assert rc == 1
    assert [(p["subject"], "not this instance's" in p["what"]) for p in report["problems"]] == [
        (f"checkpoint of size {size}", True)]


def test_checkpoints_of_a_retired_instance_key_count_when_it_is_listed(vault):
    from cryptography.hazmat.primitives import serialization

    env_cli, data, lines = vault
    keys = data / "keys"
    old_pem = keys / "instance-ed25519.pem"
    old = serialization.load_pem_private_key(old_pem.read_bytes(), password=None)
    old_b64 = __import__("base64").b64encode(old.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode("ascii")
    new, _ = _new_key_b64()
    old_pem.write_bytes(new.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    rc, report = verify_json(env_cli)
    assert rc == 1 and report["problems"] and all("not this instance's" in p["what"] for p in report["problems"])
    (keys / "retired-instance-keys.txt").write_text(f"# the key used until the move\n{old_b64}\n")
    rc, report = verify_json(env_cli)
    assert (rc, report["problems"]) == (0, [])
