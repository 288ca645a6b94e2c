"""Vault benchmark: whole `aigaq` commands against the shell tools on the same files, one run.

  ingest   `aigaq ingest`           vs  `cp` + `sync` + `openssl dgst -sha256` of the copies
  verify   `aigaq verify`           vs  `openssl dgst -sha256` of the stored originals
  memory   peak RSS of `aigaq ingest` of one big file (target < 200 MB)

OpenSSL is the baseline because it hashes with the CPU's SHA instructions (coreutils'
sha256sum here does not). Each comparison runs --repeat times (default 3) alternating which side
goes first, each ingest into a fresh vault; the table gives medians, so load from other work on
the machine cancels out as far as it can. Ingest computes SHA-256 only (its default); the
deferred SHA-512 job is timed separately, as is `aigaq verify` on an empty instance (the fixed
start-up cost).

    .venv/bin/python bench/vault_bench.py [--total-mb 2048] [--big-mb 4096] [--repeat 3] [--dir /tmp/aigaq-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
AIGAQ = [sys.executable, "-m", "aigaq.cli"]
SIZES_MB = [0.0625, 0.5, 2, 8, 32, 64]  # a mix: ID photos to phone videos


def make_files(folder: Path, total_mb: int) -> tuple[int, int]:
    folder.mkdir(parents=True)
    block = os.urandom(64 * 1024 * 1024)
    total = n = 0
    while total < total_mb * 1024 * 1024:
        size = int(SIZES_MB[n % len(SIZES_MB)] * 1024 * 1024)
        with open(folder / f"f{n:05}.bin", "wb") as fh:
            fh.write(n.to_bytes(8, "big") + os.urandom(56))  # unique content per file
            fh.write(block[: size - 64])
        total, n = total + size, n + 1
    return n, total


def make_big(path: Path, mb: int) -> int:
    block = os.urandom(64 * 1024 * 1024)
    with open(path, "wb") as fh:
        for i in range(mb // 64):
            fh.write(i.to_bytes(8, "big") + block[8:])
    return path.stat().st_size


def timed(cmd: str, env: dict) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys of the command and its children). CPU time
    says more than wall time on a machine that other work keeps busy."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, shell=True, env=env, check=True, stdout=subprocess.DEVNULL, executable="/bin/bash")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def peak_rss_mb(cmd: list[str], env: dict) -> float:
    """Peak RSS of the command alone, measured in a fresh wrapper process."""
    code = ("import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--total-mb", type=int, default=2048, help="mixed files, in all (default 2048)")
    ap.add_argument("--big-mb", type=int, default=4096, help="the one big file (default 4096)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each comparison, alternating which "
                    "side goes first; medians are reported (default 3)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/aigaq-bench"))
    ap.add_argument("--keep", action="store_true", help="keep the files afterwards")
    args = ap.parse_args()
    root = args.dir
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    load_start = os.getloadavg()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    (root / "pw").write_text("bench password for the vault 42")
    template = root / "template"
    subprocess.run([*AIGAQ, "init", "--quiet", "--admin-password-file", str(root / "pw")],
                   env={**env, "AIGAQ_DATA": str(template)}, check=True, stdout=subprocess.DEVNULL)
    print(f"generating {args.total_mb} MB of mixed files and one {args.big_mb} MB file in {root} …", file=sys.stderr)
    count, total = make_files(root / "mixed", args.total_mb)
    (root / "bigdir").mkdir()
    big = make_big(root / "bigdir" / "big.bin", args.big_mb)
    aigaq = " ".join(AIGAQ)
    results: dict[str, list] = {}  # label -> [size, [(base wall, cpu)], [(ours wall, cpu)]]

    def compare(label: str, size: int, baseline: str, ours: str, rep: int, env: dict, reset=None) -> None:
        row = results.setdefault(label, [size, [], []])
        sides = [(1, baseline), (2, ours)]
        for side, cmd in sides if rep % 2 == 0 else reversed(sides):  # alternate who goes first
            if reset:
                reset(side)
            subprocess.run("sync", shell=True)
            row[side].append(timed(cmd, env))

    copies = root / "copies"
    data = None
    for rep in range(args.repeat):
        print(f"run {rep + 1}/{args.repeat} (load {os.getloadavg()[0]:.1f}) …", file=sys.stderr)
        previous, data = data, root / f"data-{rep}"
        shutil.copytree(template, data)  # a fresh vault: every run really copies and hashes
        if previous is not None:
            shutil.rmtree(previous)
        env_rep = {**env, "AIGAQ_DATA": str(data)}

        def reset(side: int) -> None:
            if side == 1 and copies.exists():
                shutil.rmtree(copies)

        compare(f"ingest {count} mixed files", total,
                f"mkdir -p {copies}/m && cp -r {root}/mixed/. {copies}/m/ && sync && openssl dgst -sha256 {copies}/m/* >/dev/null",
                f"{aigaq} ingest --json --no-derivatives {root}/mixed", rep, env_rep, reset)
        compare("ingest 1 big file", big,
                f"mkdir -p {copies}/b && cp {root}/bigdir/big.bin {copies}/b/ && sync && openssl dgst -sha256 {copies}/b/big.bin >/dev/null",
                f"{aigaq} ingest --json --no-derivatives {root}/bigdir", rep, env_rep, reset)
        if copies.exists():
            shutil.rmtree(copies)
    env_last = {**env, "AIGAQ_DATA": str(data)}
    objects = data / "vault" / "sha256"
    for rep in range(args.repeat):
        compare(f"verify {count + 1} originals", total + big,
                f"find {objects} -type f -print0 | xargs -0 openssl dgst -sha256 >/dev/null",
                f"{aigaq} verify", rep, env_last)
    # Fixed costs and the deferred work, for the record.
    empty_env = {**env, "AIGAQ_DATA": str(template)}
    empty = median([timed(f"{aigaq} verify", empty_env)[0] for _ in range(args.repeat)])
    sha512_job = timed(f"{aigaq} worker --once --kind vault.sha512", env_last)
    # Peak memory of a big ingest, into a fresh vault so that it really copies and hashes.
    fresh = root / "data-rss"
    shutil.copytree(template, fresh)
    rss = peak_rss_mb([*AIGAQ, "ingest", "--no-derivatives", str(root / "bigdir" / "big.bin")],
                      {**env, "AIGAQ_DATA": str(fresh)})
    load_end = os.getloadavg()

    print(f"\nmedians of {args.repeat} runs, alternating which side goes first")
    print(f"{'what':<28} {'MB':>6} {'baseline s':>10} {'aigaq s':>8} {'speed':>6} {'base cpu s':>10} {'aigaq cpu s':>11}  per-run speeds")
    rows = []
    for label, (size, base, ours) in results.items():
        ratios = [b[0] / o[0] for b, o in zip(base, ours, strict=True)]
        tb, to = median([b[0] for b in base]), median([o[0] for o in ours])
        cb, co = median([b[1] for b in base]), median([o[1] for o in ours])
        print(f"{label:<28} {size / 2**20:>6.0f} {tb:>10.2f} {to:>8.2f} {median(ratios):>5.2f}x {cb:>10.2f} {co:>11.2f}  "
              + " ".join(f"{r:.2f}" for r in ratios))
        rows.append({"what": label, "bytes": size, "baseline_wall_cpu_s": base, "aigaq_wall_cpu_s": ours,
                     "median_speed": round(median(ratios), 3)})
    print("(speed: median of per-run baseline wall time / aigaq wall time; >= 1 means aigaq is as fast or faster)")
    print(f"fixed cost: `aigaq verify` of an empty instance {empty:.2f} s (median)")
    print(f"deferred SHA-512 of all {(total + big) / 2**20:.0f} MB (`aigaq worker --once --kind vault.sha512`): "
          f"{sha512_job[0]:.2f} s wall, {sha512_job[1]:.2f} CPU s")
    print(f"peak RSS of `aigaq ingest` of the {big / 2**20:.0f} MB file: {rss:.0f} MB (target < 200)")
    print("\nissue 3 targets (wall time, medians):")
    for row in rows:
        target = 0.9 if row["what"].startswith("verify") else 1.0
        what = ("`aigaq verify` throughput vs `openssl dgst -sha256` of the stored originals"
                if target == 0.9 else f"`aigaq {row['what']}` vs `cp` + `sync` + `openssl dgst -sha256`")
        verdict = "met" if row["median_speed"] >= target else "MISSED"
        print(f"  {what}: {row['median_speed']:.2f}x (target >= {target}) {verdict}")
    print(f"  peak RSS ingesting the {big / 2**20:.0f} MB file: {rss:.0f} MB (target < 200) "
          f"{'met' if rss < 200 else 'MISSED'}")
    print("load average (1, 5, 15 min): start " + " ".join(f"{x:.2f}" for x in load_start)
          + ", end " + " ".join(f"{x:.2f}" for x in load_end))
    print(json.dumps({"rows": rows, "empty_verify_s": round(empty, 3), "sha512_job_wall_cpu_s": sha512_job,
                      "peak_rss_mb": round(rss, 1), "load_start": load_start, "load_end": load_end}))
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
