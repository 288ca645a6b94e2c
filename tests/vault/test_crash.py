"""SIGKILL during `aigaq ingest` at many random moments never leaves a broken vault, and every
file whose --json line was printed is present and intact."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest


@pytest.mark.slow
def test_ingest_killed_at_random_moments_leaves_a_vault_that_verifies(aigaq_env, tmp_path):
    env, cli = aigaq_env
    data = Path(env["AIGAQ_DATA"])
    rng = random.Random(int.from_bytes(os.urandom(4)))
    src = tmp_path / "in"
    src.mkdir()
    expected = {}
    # Enough bytes (about 300 MB) that an uninterrupted run outlasts the kill window below even
    # on a quiet machine: group commit makes a run of small files quick.
    for i in range(160):
        content = os.urandom(rng.choice([1, 300, 40_000, 700_000, 3_000_000, 8_000_000]))
        (src / f"f{i:03}.bin").write_bytes(content)
        expected[hashlib.sha256(content).hexdigest()] = len(content)

    # Time one uninterrupted start so that the kills land during the work, not before it.
    probe = tmp_path / "probe.bin"
    probe.write_bytes(b"probe")
    started = time.monotonic()
    subprocess.run([*cli, "ingest", "--json", str(probe)], env=env, check=True, capture_output=True)
    startup = time.monotonic() - started

    printed: dict[str, dict] = {}
    kills = 0
    for _ in range(14):
        proc = subprocess.Popen([*cli, "ingest", "--json", "--no-derivatives", str(src)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(rng.uniform(0.5 * startup, startup + 1.5))
        proc.send_signal(signal.SIGKILL)
        kills += proc.wait() == -signal.SIGKILL
        for line in proc.stdout.read().splitlines():
            obj = json.loads(line)
            printed[obj["sha256"]] = obj
        proc.stdout.close()
    assert kills >= 10, "most runs should have been killed mid-way"

    out = subprocess.run([*cli, "verify", "--json"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert printed, "some files must have been committed before the kills"
    for sha, obj in printed.items():
        assert sha in expected and obj["size"] == expected[sha]
        stored = data / "vault" / "sha256" / sha[:2] / sha[2:4] / sha
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha

    # No half-written file is visible under a hash: every object there hashes to its name.
    for obj in (data / "vault" / "sha256").rglob("*"):
        if obj.is_file():
            assert hashlib.sha256(obj.read_bytes()).hexdigest() == obj.name

    # A last, uninterrupted run takes in the rest (and clears dead writers' temp files).
    done = subprocess.run([*cli, "ingest", "--json", "--no-derivatives", str(src)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {json.loads(x)["sha256"] for x in done.stdout.splitlines()} == set(expected)
    assert list((data / "vault" / "tmp").iterdir()) == []
    assert subprocess.run([*cli, "verify"], env=env, capture_output=True).returncode == 0
