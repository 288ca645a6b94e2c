"""Publishing benchmark: a static mirror of N persons, then a republish after 10 changed persons.

    .venv/bin/python bench/publish_bench.py [--persons 100000] [--workers 2] [--data DIR] [--keep]

Targets (issue 5): the full publish of 100,000 persons in at most 180 s on 2 cores, the republish
after 10 changes in at most 10 s. Seeds with `aigaq seed-demo` into a throwaway data folder (or
reuses --data if it already holds persons), makes every seeded person publishable (the seeder
leaves about 30% internal; the target is about published persons), then times `aigaq publish`.
Prints the figures; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIGAQ = [sys.executable, "-m", "aigaq.cli"]

CHANGE = """
import django, random
django.setup()
from aigaq.registry import record
from aigaq.registry.models import Event, Person
ids = list(Person.objects.filter(publication="public").order_by("id").values_list("id", flat=True)[:2000])
for pid in random.Random(5).sample(ids, 10):
    p = Person.objects.get(pk=pid)
    Event.objects.create(person=p, type="released", description="bench: released")
    record.events_changed(p)
"""

PUBLISH_ALL = """
import django
django.setup()
from aigaq.registry.models import Person
n = Person.objects.filter(publication="internal").update(publication="anonymised")
print(Person.objects.filter(merged_into__isnull=True).exclude(publication="internal").count())
"""


LAST_CPU = [0.0]


def run(args: list[str], env: dict) -> tuple[float, str]:
    """Wall seconds and stdout; the CPU seconds (user + system, all processes) go to LAST_CPU, a
    fairer figure than wall time on a machine shared with other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t0, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data", default="")
    ap.add_argument("--keep", action="store_true", help="keep the data folder and the mirror")
    a = ap.parse_args()
    data = Path(a.data or tempfile.mkdtemp(prefix="aigaq-publish-bench-"))
    env = {**os.environ, "AIGAQ_DATA": str(data), "DJANGO_SETTINGS_MODULE": "aigaq.settings"}
    out = data / "mirror"
    py = [sys.executable, "-c"]
    try:
        if not (data / "aigaq.sqlite3").exists():
            run([*AIGAQ, "init", "--quiet"], env)
            secs, _ = run([*AIGAQ, "seed-demo", "--persons", str(a.persons), "--no-progress"], env)
            print(f"seeded {a.persons:,} persons in {secs:.0f} s")
        else:
            run([*AIGAQ, "migrate", "--noinput"], env)  # a data folder made by an older version
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        _, published = run([*py, PUBLISH_ALL], env)
        shutil.rmtree(out, ignore_errors=True)
        full_s, text = run([*AIGAQ, "publish", str(out), "--json", "--workers", str(a.workers)], env)
        full = json.loads(text)
        print(f"full publish: {int(published):,} published persons, {full['files']:,} files in {full_s:.1f} s wall "
              f"(target 180 s: {'met' if full_s <= 180 else 'MISSED'}; {LAST_CPU[0]:.0f} CPU-s)")
        noop_s, text = run([*AIGAQ, "publish", str(out), "--json"], env)
        print(f"republish, nothing changed: {noop_s:.1f} s ({LAST_CPU[0]:.1f} CPU-s), "
          f"{json.loads(text)['written']} files written")
        run([*py, CHANGE], env)
        inc_s, text = run([*AIGAQ, "publish", str(out), "--json"], env)
        inc = json.loads(text)
        print(f"republish after 10 changed persons: {inc_s:.1f} s wall, {inc['rendered']} pages rendered, "
              f"{inc['written']} files written (target 10 s: {'met' if inc_s <= 10 else 'MISSED'}; "
              f"{LAST_CPU[0]:.1f} CPU-s)")
        ver_s, _ = run([*AIGAQ, "mirror-verify", str(out)], env)
        print(f"mirror-verify of {full['files']:,} files: {ver_s:.1f} s")
        print(f"load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    finally:
        if not a.keep and not a.data:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
