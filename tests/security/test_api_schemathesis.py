"""Schemathesis against the real server: no request generated from the OpenAPI description gets a 5xx.

Starts `aigaq serve` on 127.0.0.1 over a small initialised instance, with an administrator's
read-write token, and runs `st run --checks not_a_server_error` (under a minute).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEED = """
from aigaq.registry.models import Person, PersonName
for i, name in enumerate(["Нұрлан Серікұлы", "Alim Tursun", "阿不都 热合曼"]):
    p = Person.objects.create(display_name=name, birth_year_min=1970 + i)
    PersonName.objects.create(person=p, text=name, script="Cyrl")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_api_has_no_server_error_under_schemathesis(tmp_path: Path):
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    if st is None:
        pytest.fail("schemathesis is not installed: pip install -e '.[test]'")
    data = tmp_path / "data"
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings"}
    env.pop("DATABASE_URL", None)
    run = [sys.executable, "-m", "aigaq.cli"]
    subprocess.run([*run, "init", "--quiet"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([*run, "shell", "--no-imports", "-c", SEED], env=env, check=True, capture_output=True, timeout=60)
    token = subprocess.run([*run, "token", "create", "admin", "--scopes", "read write"], env=env, check=True,
                           capture_output=True, text=True, timeout=60).stdout.strip()
    port = _free_port()
    server = subprocess.Popen([*run, "serve", "--port", str(port), "--no-worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        result = subprocess.run(
            [st, "run", f"http://127.0.0.1:{port}/api/v1/openapi.json", "-H", f"Authorization: Bearer {token}",
             "--checks", "not_a_server_error", "--max-examples", "30", "--phases", "examples,fuzzing", "--workers", "1", "--seed", "1",
             "--request-timeout", "20"],
            capture_output=True, text=True, timeout=240, env={**os.environ, "NO_COLOR": "1"},
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert " passed" in result.stdout and "Loaded specification" in result.stdout
        print(result.stdout[-1500:])
    finally:
        server.terminate()
        server.wait(timeout=10)
