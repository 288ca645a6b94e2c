"""Registry benchmark: 100,000 synthetic persons, a real server, the three pages staff use most.

    .venv/bin/python bench/registry_bench.py                      # fresh temp folder, 100k persons
    .venv/bin/python bench/registry_bench.py --data /tmp/aq-bench --reuse   # keep and reuse a seeded folder

It runs `aigaq init` and `aigaq seed-demo`, starts `aigaq serve --no-worker` on a free port of
127.0.0.1, logs in over HTTP as the administrator (password and second factor, as a person
would), then requests the person list (first page, a filtered page, a deep page), random
person pages and name searches drawn from stored names in every script. It prints the median
and p95 of the server's own time (the `Server-Timing: app;dur=` header set by
aigaq.core.middleware) and of the client round trip, and whether each stays under the target
(150 ms p95 on a 2-core machine with SQLite). Not a timed test: it prints figures.

With --cpu it also requests the same pages in this process (Django's test client, logged in as
the administrator) and prints the process CPU time of each request (time.process_time): on a
machine shared with other work, wall-clock times grow with the load, CPU time hardly does.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).with_name("aigaq")
PASSWORD = "bench-only password 7 long enough"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # this throwaway instance only
_TIMING = re.compile(r"app;dur=([0-9.]+)")


def aigaq(data: Path, *args: str, quiet: bool = False) -> None:
    env = {**os.environ, "AIGAQ_DATA": str(data)}
    env.pop("DATABASE_URL", None)
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([str(BIN), *args], env=env, check=True, stdout=out)


def prepare(data: Path, persons: int, seed: int, reuse: bool) -> float | None:
    """Init (always: it sets the known password) and seed unless a seeded folder is reused."""
    pw = data / "bench-admin-password"
    data.mkdir(parents=True, exist_ok=True)
    pw.write_text(PASSWORD, encoding="utf-8")
    aigaq(data, "init", "--quiet", "--admin-password-file", str(pw), quiet=True)
    have = _count(data, "SELECT COUNT(*) FROM registry_person")
    seconds = None
    if not (reuse and have >= persons):
        print(f"seeding {persons:,} persons into {data} ...", flush=True)
        start = time.monotonic()
        aigaq(data, "seed-demo", "--persons", str(persons), "--seed", str(seed))
        seconds = time.monotonic() - start
    # The administrator must use a second factor: give them a known authenticator secret.
    aigaq(data, "shell", "-c", (
        "from django.utils import timezone; from aigaq.accounts.models import TOTPDevice, User; "
        "u = User.objects.get(username='admin'); TOTPDevice.objects.filter(user=u).delete(); "
        f"TOTPDevice.objects.create(user=u, secret='{TOTP_SECRET}', confirmed_at=timezone.now())"
    ), quiet=True)
    return seconds


def _db(data: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data / 'aigaq.sqlite3'}?mode=ro", uri=True)


def _count(data: Path, sql: str) -> int:
    try:
        with _db(data) as db:
            return db.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


def samples(data: Path, n: int, rng: random.Random) -> tuple[list[int], list[str]]:
    """Random person ids, and search queries taken from stored names in each script."""
    with _db(data) as db:
        top = db.execute("SELECT MAX(id) FROM registry_person").fetchone()[0]
        ids = [db.execute("SELECT id FROM registry_person WHERE id >= ? ORDER BY id LIMIT 1",
                          (rng.randint(1, top),)).fetchone()[0] for _ in range(n)]
        queries: list[str] = []
        for script in ("Cyrl", "Latn", "Hans", "Arab"):
            rows = db.execute(
                "SELECT text FROM registry_personname WHERE script = ? AND id >= ? LIMIT ?",
                (script, rng.randint(1, max(1, top * 2)), n),
            ).fetchall() or db.execute(
                "SELECT text FROM registry_personname WHERE script = ? LIMIT ?", (script, n)).fetchall()
            for (text,) in rows:
                given = re.split(r"[\s·]", text)[0]
                queries.append(rng.choice([text, given, given[: max(2, len(given) // 2)]]))
    rng.shuffle(queries)
    return ids, queries[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "AIGAQ_DATA": str(data)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--no-worker"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 60 s")


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, float, float | None]:
        start = time.perf_counter()
        with self.opener.open(self.base + path, timeout=60) as resp:
            body = resp.read().decode("utf-8", "replace")
            rtt = (time.perf_counter() - start) * 1000
            m = _TIMING.search(resp.headers.get("Server-Timing", ""))
            return resp.status, body, rtt, float(m[1]) if m else None

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        csrf = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **fields}).encode()
        req = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        with self.opener.open(req, timeout=60) as resp:
            return resp.status, resp.geturl()

    def login(self) -> None:
        import pyotp

        self.get("/accounts/login/")
        _, url = self.post("/accounts/login/", {"username": "admin", "password": PASSWORD, "next": "/staff/"})
        if "/login/code/" in url:
            _, url = self.post("/accounts/login/code/", {"code": pyotp.TOTP(TOTP_SECRET).now()})
        if not url.rstrip("/").endswith("/staff"):
            raise SystemExit(f"login failed: ended on {url}")


def measure(client: Client, paths: list[str], expect: str | None = None) -> dict[str, float]:
    server, rtt = [], []
    for path in paths:
        status, body, ms, dur = client.get(path)
        if status != 200 or (expect and expect not in body):
            raise SystemExit(f"GET {path}: status {status}, expected text {expect!r} missing")
        rtt.append(ms)
        if dur is not None:
            server.append(dur)
    return {"n": len(paths), "server_median": _median(server), "server_p95": _p95(server),
            "client_median": _median(rtt), "client_p95": _p95(rtt)}


def measure_cpu(data: Path, plan: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """The same requests in this process: CPU time per request, robust to other processes' load."""
    os.environ["AIGAQ_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aigaq.settings")
    import django

    django.setup()
    from django.test import Client as DjangoClient

    from aigaq.accounts.models import User

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))
    results = {}
    for name, paths in plan.items():
        client.get(paths[0])  # warm: templates compiled, options cached
        cpu = []
        for path in paths:
            start = time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} in process: status {response.status_code}")
        results[name] = {"cpu_median": _median(cpu), "cpu_p95": _p95(cpu)}
    return results


def _median(xs: list[float]) -> float:
    return round(statistics.median(xs), 1) if xs else float("nan")


def _p95(xs: list[float]) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(0.95 * len(xs)))], 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="data folder (default: a new temporary one, removed after)")
    ap.add_argument("--reuse", action="store_true", help="reuse the folder's persons if it has enough")
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200, help="requests per page kind")
    ap.add_argument("--target-ms", type=float, default=150.0, help="p95 server time to stay under")
    ap.add_argument("--json", action="store_true", help="print the results as JSON as well")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--cpu", action="store_true",
                    help="also measure CPU time per request in this process (robust to the machine's load)")
    args = ap.parse_args(argv)

    temp = args.data is None
    data = Path(tempfile.mkdtemp(prefix="aigaq-bench-")) if temp else args.data.resolve()
    try:
        seed_s = prepare(data, args.persons, args.seed, args.reuse)
        total = _count(data, "SELECT COUNT(*) FROM registry_person")
        if seed_s is not None:
            print(f"seed-demo: {args.persons:,} persons in {seed_s:,.1f} s ({args.persons / seed_s:,.0f}/s)")
        rng = random.Random(args.seed)
        ids, queries = samples(data, args.requests, rng)
        port = free_port()
        server = start_server(data, port)
        try:
            client = Client(f"http://127.0.0.1:{port}")
            client.login()
            n = args.requests
            # Warm the server's caches and connections a little, as a working day would.
            for path in ["/staff/", f"/staff/persons/{ids[0]}/", "/staff/?q=" + urllib.parse.quote(queries[0])]:
                client.get(path)
            filters = ["status=detained", "ethnicity=uyghur", "status=imprisoned&ethnicity=kazakh",
                       "year=2018", "place=654000", "place=653100&status=released"]
            plan = {
                "person list, first page": ["/staff/"] * n,
                "person list, filtered": [f"/staff/?{filters[i % len(filters)]}" for i in range(n)],
                "person list, page 2-200": [f"/staff/?page={rng.randint(2, 200)}" for _ in range(n)],
                "person page": [f"/staff/persons/{i}/" for i in ids[:n]],
                "name search": ["/staff/?q=" + urllib.parse.quote(q) for q in queries[:n]],
            }
            expect = {"person page": None, "name search": None}
            results = {name: measure(client, paths, expect.get(name, "<table")) for name, paths in plan.items()}
        finally:
            server.terminate()
            server.wait(timeout=30)
        if args.cpu:
            for name, r in measure_cpu(data, plan).items():
                results[name].update(r)
    finally:
        if temp:
            shutil.rmtree(data, ignore_errors=True)

    print(f"\n{total:,} persons, SQLite, {os.cpu_count()} CPUs; {args.requests} requests each; "
          f"times in ms (server: Server-Timing app;dur, client: round trip"
          f"{', cpu: process CPU time in process' if args.cpu else ''}); load average "
          f"{os.getloadavg()[0]:.1f}")
    cpu_head = f"{'cpu med':>9}{'cpu p95':>9}" if args.cpu else ""
    print(f"{'page':<26}{'server med':>11}{'server p95':>11}{'client med':>11}{'client p95':>11}{cpu_head}  target")
    failed = False
    for name, r in results.items():
        ok = r["server_p95"] < args.target_ms
        failed |= not ok
        cpu = f"{r['cpu_median']:>9.1f}{r['cpu_p95']:>9.1f}" if args.cpu else ""
        print(f"{name:<26}{r['server_median']:>11.1f}{r['server_p95']:>11.1f}{r['client_median']:>11.1f}"
              f"{r['client_p95']:>11.1f}{cpu}  {'pass' if ok else 'FAIL'} (server p95 < {args.target_ms:.0f})")
    if args.json:
        print(json.dumps({"persons": total, "seed_seconds": seed_s, "results": results}, indent=1))
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
