"""`aigaq check --deploy` fails on any warning, and passes on a properly configured instance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SECURE = {
    "AIGAQ_SECURE_COOKIES": "1", "AIGAQ_HSTS_SECONDS": "31536000", "AIGAQ_SSL_REDIRECT": "1",
    "AIGAQ_ALLOWED_HOSTS": "records.example.org",
}


def check(data: Path, **env_extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings", **env_extra}
    for name in ("DATABASE_URL", "AIGAQ_DEBUG"):
        env.pop(name, None)
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "aigaq.cli", "check", "--deploy"], env=env,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "AIGAQ_DATA": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "aigaq.cli", "init", "--quiet"], env=env, check=True,
                   capture_output=True, timeout=120)

    r = check(data)  # development defaults: plain-HTTP cookies, no HSTS
    assert r.returncode != 0
    assert "aigaq.W003" in r.stderr and "aigaq.W004" in r.stderr

    r = check(data, **SECURE)
    assert r.returncode == 0, r.stderr

    assert "aigaq.W001" in check(data, **SECURE, AIGAQ_DEBUG="1").stderr
    assert "aigaq.W002" in check(data, **{**SECURE, "AIGAQ_ALLOWED_HOSTS": "*"}).stderr
    (data / "keys" / "field-key").chmod(0o644)
    assert "aigaq.W009" in check(data, **SECURE).stderr
    (data / "keys" / "field-key").chmod(0o600)
    (data / "keys" / "audit-key").unlink()
    assert "aigaq.W008" in check(data, **SECURE).stderr
