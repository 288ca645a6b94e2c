"""Vault benchmark: whole `aigaq` commands against the shell tools on the same files, one run.

  ingest   `aigaq ingest`           vs  `cp` + `sync` + `openssl dgst -sha256` of the copies
  verify   `aigaq verify`           vs  `openssl dgst -sha256` of the stored originals
  memory   peak RSS of `aigaq ingest` of one big file (target < 200 MB)

OpenSSL is the baseline because it hashes with the CPU's SHA instructions (coreutils'
sha256sum here does not). Page cache is warm for both sides: the baseline runs first.

    .venv/bin/python bench/vault_bench.py [--total-mb 2048] [--big-mb 4096] [--dir /tmp/aigaq-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--total-mb", type=int, default=2048, help="mixed files, in all (default 2048)")
    ap.add_argument("--big-mb", type=int, default=4096, help="the one big file (default 4096)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/aigaq-bench"))
    ap.add_argument("--keep", action="store_true", help="keep the files afterwards")
    args = ap.parse_args()
    root = args.dir
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["AIGAQ_DATA"] = str(root / "data")
    (root / "pw").write_text("bench password for the vault 42")
    subprocess.run([*AIGAQ, "init", "--quiet", "--admin-password-file", str(root / "pw")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"generating {args.total_mb} MB of mixed files and one {args.big_mb} MB file in {root} …", file=sys.stderr)
    count, total = make_files(root / "mixed", args.total_mb)
    (root / "bigdir").mkdir()
    big = make_big(root / "bigdir" / "big.bin", args.big_mb)
    aigaq = " ".join(AIGAQ)
    rows = []

    def compare(label: str, size: int, baseline: str, ours: str) -> None:
        subprocess.run("sync", shell=True)
        t_base = timed(baseline, env)
        subprocess.run("sync", shell=True)
        t_ours = timed(ours, env)
        rows.append((label, size, t_base, t_ours))

    copies = root / "copies"
    compare(f"ingest {count} mixed files", total,
            f"mkdir -p {copies}/m && cp -r {root}/mixed/. {copies}/m/ && sync && openssl dgst -sha256 {copies}/m/* >/dev/null",
            f"{aigaq} ingest --json --no-derivatives {root}/mixed")
    compare("ingest 1 big file", big,
            f"mkdir -p {copies}/b && cp {root}/bigdir/big.bin {copies}/b/ && sync && openssl dgst -sha256 {copies}/b/big.bin >/dev/null",
            f"{aigaq} ingest --json --no-derivatives {root}/bigdir")
    shutil.rmtree(copies)
    objects = root / "data" / "vault" / "sha256"
    compare(f"verify {count + 1} originals", total + big,
            f"find {objects} -type f -print0 | xargs -0 openssl dgst -sha256 >/dev/null",
            f"{aigaq} verify")
    # Peak memory of a big ingest, into a fresh vault so that it really copies and hashes.
    env2 = {**env, "AIGAQ_DATA": str(root / "data2")}
    subprocess.run([*AIGAQ, "init", "--quiet", "--admin-password-file", str(root / "pw")], env=env2, check=True,
                   stdout=subprocess.DEVNULL)
    rss = peak_rss_mb([*AIGAQ, "ingest", "--no-derivatives", str(root / "bigdir" / "big.bin")], env2)

    print(f"\n{'what':<28} {'MB':>6} {'baseline s':>10} {'aigaq s':>8} {'speed':>6} {'base cpu s':>10} {'aigaq cpu s':>11}")
    for label, size, (t_base, c_base), (t_ours, c_ours) in rows:
        print(f"{label:<28} {size / 2**20:>6.0f} {t_base:>10.2f} {t_ours:>8.2f} {t_base / t_ours:>5.2f}x {c_base:>10.2f} {c_ours:>11.2f}")
    print("(speed: baseline wall time / aigaq wall time; >= 1 means aigaq is as fast or faster)")
    print(f"peak RSS of `aigaq ingest` of the {big / 2**20:.0f} MB file: {rss:.0f} MB (target < 200)")
    print(json.dumps({"rows": [dict(zip(("what", "bytes", "baseline_wall_cpu_s", "aigaq_wall_cpu_s"), r, strict=True)) for r in rows],
                      "peak_rss_mb": round(rss, 1)}))
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
