"""`aigaq dedup [--json] [--threshold T] [--limit N]`: find persons recorded twice, for review."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from aigaq.linkage import dedup
from aigaq.linkage.scoring import DEFAULT_THRESHOLD


class Command(BaseCommand):
    help = "Find candidate duplicate persons (across scripts) and put them in the review queue."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help=f"minimum score in bits (default {DEFAULT_THRESHOLD})")
        parser.add_argument("--limit", type=int, default=50, help="how many pairs to print (default 50)")
        parser.add_argument("--workers", type=int, default=0, help="scoring processes (default: up to 2)")
        parser.add_argument("--dry-run", action="store_true", help="do not store candidates")
        parser.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
        parser.add_argument("--json", action="store_true", help="print the summary and pairs as JSON")

    def handle(self, *args, threshold, limit, workers, dry_run, no_progress, **opts):
        if limit < 0:
            raise CommandError("--limit must be 0 or more")
        if workers < 0:
            raise CommandError("--workers must be 0 or more")
        stats, rows = dedup.run(
            threshold=threshold, workers=workers or None, save=not dry_run,
            progress=not no_progress and opts.get("verbosity", 1) > 0,
            stream=getattr(self.stderr, "_out", sys.stderr),
        )
        pairs = [{"left": a, "right": b, "score": s, "name_similarity": sim, "evidence": ev}
                 for a, b, s, sim, ev in rows[:limit]]
        if opts["json"]:
            out = stats.as_dict()
            out["pairs"] = pairs
            self.stdout.write(json.dumps(out, ensure_ascii=False, sort_keys=True))
            return
        self.stdout.write(
            f"{stats.candidates:,} candidate pairs ({stats.created:,} new, {stats.kept_decided:,} already decided) "
            f"among {stats.persons:,} persons in {stats.seconds:,.1f} s."
        )
        for p in pairs:
            why = "; ".join(f"{e['detail']} ({e['weight']:+g})" for e in p["evidence"] if e["weight"])
            self.stdout.write(f"  {p['left']} ~ {p['right']}  {p['score']:+.1f}  {why}")
