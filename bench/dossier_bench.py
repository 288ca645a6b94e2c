"""Dossier benchmark: one PDF dossier of a person with many names, events, testimonies and items.

    .venv/bin/python bench/dossier_bench.py [--events 40] [--testimonies 30] [--items 60] [--ledger 5000] [--runs 5]

Target (issue 8): one dossier PDF in at most 2 s. In a throwaway data folder (`aigaq init`), it
makes a public person with names in four scripts, E events, T public testimonies (each with a
summary and two translations) and N evidence items in the vault, pads the custody ledger to L
entries, then times:

- warm: `make()` again in one process (fonts, templates and code loaded), median of --runs;
- cold: a fresh Python process per run that sets Django up and makes the dossier (imports,
  font parsing, first query), timed inside it, median of --runs; and the whole
  `aigaq dossier` command, median of --runs;
- first: the very first dossier of a data folder, which also writes the reduced fonts to the cache.

Wall and CPU seconds are both printed: the machine may be shared. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIGAQ = [sys.executable, "-m", "aigaq.cli"]

SEED = """
import django, os, random, tempfile
from datetime import date, timedelta
django.setup()
from aigaq.ledger import log
from aigaq.registry import record
from aigaq.registry.gazetteer import load_gazetteer
from aigaq.registry.models import Event, Facility, Place, PersonName, Testimony, TestimonyPerson, Translation, Witness
from aigaq.vault.ingest import ingest_path
E, T, N, L = {events}, {testimonies}, {items}, {ledger}
load_gazetteer()
rnd = random.Random(8)
places = list(Place.objects.filter(level="county")[:20])
facs = [Facility.objects.create(name=f"Camp No. {{i}} 第{{i}}教培中心", place=places[i % len(places)]) for i in range(8)]
p = record.create_person(["Bekzat Ospanuly", "Бекзат Оспанұлы"], publication="public", ethnicity="kazakh",
                         home_place=places[0], occupation="Teacher")
for text, script, kind in [("别克扎提·奥斯潘", "Hans", "chinese"), ("بەكزات ئوسپان", "Arab", "full"),
                           ("Bekzat", "Latn", "given"), ("Оспан", "Cyrl", "patronymic"),
                           ("Bekzhat Ospanov", "Latn", "alias"), ("Бекжан", "Cyrl", "alias")]:
    PersonName.objects.create(person=p, text=text, script=script, kind=kind)
types = ["detained", "transferred", "sentenced", "forced_labour", "transferred", "house_arrest"]
for i in range(E):
    Event.objects.create(person=p, type=types[i % len(types)], date_start=date(2017, 3, 1) + timedelta(days=40 * i),
                         facility=facs[i % len(facs)], place=places[i % len(places)],
                         sentence_months=rnd.choice([None, 60, 120]), charge="Gathering a crowd to disturb social order",
                         description="Seen by a released detainee. " * 3)
record.events_changed(p)
w = Witness.objects.create(full_name="Aigul Ospanova", publication="public")
tids = []
for i in range(T):
    t = Testimony.objects.create(witness=w, publication="public", recorded_on=date(2018, 5, 1) + timedelta(days=i),
                                 title=f"Testimony of his sister, part {{i + 1}}", language="kk",
                                 summary="Менің ағам 2017 жылы ұсталды, содан бері хабар жоқ. " * 4)
    TestimonyPerson.objects.create(testimony=t, person=p, relationship="sibling")
    Translation.objects.create(testimony=t, language="en", text="My brother was detained in 2017; no news since. " * 4)
    Translation.objects.create(testimony=t, language="zh", text="我哥哥2017年被拘押，此后杳无音信。" * 4)
    tids.append(t)
folder = tempfile.mkdtemp()
for i in range(N):
    path = os.path.join(folder, f"item-{{i}}.txt")
    with open(path, "wb") as fh:
        fh.write(os.urandom(2048))
    ingest_path(path, testimony=tids[i % len(tids)] if i % 2 else None, person=None if i % 2 else p, derivatives=False)
for i in range(max(0, L - log.leaf_hashes().__len__())):
    log.append("verified", f"bench-{{i}}", {{}})
print(p.pk)
"""

TIME_ONE = """
import time, resource
t0, c0 = time.perf_counter(), time.process_time()
import django
django.setup()
from aigaq.dossier.render import make
content, _, _ = make([{pk}], language="{lang}")
print(time.perf_counter() - t0, time.process_time() - c0, len(content))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=40)
    ap.add_argument("--testimonies", type=int, default=30)
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--ledger", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lang", default="en", choices=["en", "ru", "kk", "zh"])
    ap.add_argument("--data", type=Path, help="keep the seeded data folder here (reused when it exists)")
    args = ap.parse_args()
    work = args.data or Path(tempfile.mkdtemp(prefix="aigaq-dossier-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AIGAQ_DATA": str(work / "data"), "DJANGO_SETTINGS_MODULE": "aigaq.settings"}
    env.pop("DATABASE_URL", None)
    try:
        if (work / "pk").exists():
            pk = (work / "pk").read_text().strip()
        else:
            (work / "pw").write_text("bench password 1234567")
            subprocess.run([*AIGAQ, "init", "--quiet", "--admin-password-file", str(work / "pw")], env=env,
                           check=True, cwd=ROOT)
            seed = SEED.format(events=args.events, testimonies=args.testimonies, items=args.items, ledger=args.ledger)
            pk = subprocess.run([sys.executable, "-c", seed], env=env, check=True, capture_output=True, text=True,
                                cwd=ROOT).stdout.split()[-1]
            (work / "pk").write_text(pk)
        shutil.rmtree(work / "data" / "cache", ignore_errors=True)
        one = TIME_ONE.format(pk=pk, lang=args.lang)

        def cold() -> tuple[float, float, int]:
            out = subprocess.run([sys.executable, "-c", one], env=env, check=True, capture_output=True, text=True,
                                 cwd=ROOT).stdout.split()
            return float(out[0]), float(out[1]), int(out[2])

        first = cold()
        colds = [cold() for _ in range(args.runs)]
        cmd = []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([*AIGAQ, "dossier", pk, "--lang", args.lang, "-o", str(work / "d.pdf")], env=env,
                           check=True, capture_output=True, cwd=ROOT)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cmd.append((time.perf_counter() - t0, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
        warm_code = one.replace('content, _, _ = make', f'make([{pk}], language="{args.lang}")\nt0, c0 = time.perf_counter(), '
                                'time.process_time()\ncontent, _, _ = make')
        warms = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", warm_code], env=env, check=True, capture_output=True,
                                 text=True, cwd=ROOT).stdout.split()
            warms.append((float(out[0]), float(out[1])))
        med = statistics.median
        result = {
            "person": {"events": args.events, "testimonies": args.testimonies, "items": args.items,
                       "ledger_entries": args.ledger, "language": args.lang},
            "pdf_bytes": first[2],
            "first_ever_s": {"wall": round(first[0], 3), "cpu": round(first[1], 3)},
            "cold_process_s": {"wall": round(med(c[0] for c in colds), 3), "cpu": round(med(c[1] for c in colds), 3)},
            "aigaq_dossier_command_s": {"wall": round(med(c[0] for c in cmd), 3),
                                        "cpu": round(med(c[1] for c in cmd), 3)},
            "warm_s": {"wall": round(med(w[0] for w in warms), 3), "cpu": round(med(w[1] for w in warms), 3)},
            "target_s": 2.0,
            "load_average": os.getloadavg()[0],
        }
        print(json.dumps(result, indent=1))
        cmd_s, warm_s = result["aigaq_dossier_command_s"], result["warm_s"]
        print(f"one dossier PDF: the whole `aigaq dossier` command {cmd_s['wall']:.2f} s wall "
              f"({cmd_s['cpu']:.2f} s CPU, start-up included); in a warm process {warm_s['wall']:.2f} s wall "
              f"({warm_s['cpu']:.2f} s CPU); target ≤ 2 s: "
              f"{'OK' if cmd_s['wall'] <= 2.0 else 'OVER TARGET'} for the command, "
              f"{'OK' if warm_s['wall'] <= 2.0 else 'OVER TARGET'} in process; load average {os.getloadavg()[0]:.1f}")
    finally:
        if not args.data:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
