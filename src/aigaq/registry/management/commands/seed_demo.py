"""`aigaq seed-demo --persons N [--seed S]`: add synthetic but realistic persons to the instance.

Families of Kazakhs, Uyghurs, Kyrgyz, Tatars, Hui and Uzbeks from the gazetteer's Xinjiang
counties, their names in the scripts they are really written in (and Chinese forms for part of
them), events 2017–2023, witnesses and testimonies. Works up to a million persons in bounded
memory. Running it again appends new persons (a different sequence, because it starts from the
number of persons already there); the demo facilities and source are created once and reused.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from aigaq.registry.demo.seed import GazetteerMissing
from aigaq.registry.demo.seed import seed as seed_demo

MAX_PERSONS = 2_000_000


class Command(BaseCommand):
    help = "Add N synthetic persons (families, events, witnesses, testimonies) for demos and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=2000, help="how many persons to add (default 2000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data (default 1)")
        parser.add_argument("--chunk", type=int, default=2000, help="persons written per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, persons: int, seed: int, chunk: int, no_progress: bool, **opts):
        if persons < 1 or persons > MAX_PERSONS:
            raise CommandError(f"--persons must be between 1 and {MAX_PERSONS:,}, not {persons}")
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        try:
            # The progress line is redrawn with "\r": write to the raw stream, not Django's wrapper
            # (which would end every write with a newline).
            stats = seed_demo(
                persons, seed=seed, chunk=chunk, stream=getattr(self.stderr, "_out", sys.stderr),
                progress=not no_progress and opts.get("verbosity", 1) > 0,
            )
        except GazetteerMissing as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(stats.as_dict(), ensure_ascii=False, sort_keys=True))
            return
        rate = stats.persons / stats.seconds if stats.seconds else 0
        self.stdout.write(
            f"Added {stats.persons:,} synthetic persons in {stats.seconds:,.1f} s ({rate:,.0f}/s): "
            f"{stats.names:,} names ({stats.name_keys:,} search keys), {stats.events:,} events, "
            f"{stats.witnesses:,} witnesses, {stats.testimonies:,} testimonies"
            + (f", {stats.facilities_created} facilities" if stats.facilities_created else "") + "."
        )
        eth = ", ".join(f"{k} {v:,}" for k, v in stats.by_ethnicity.most_common())
        status = ", ".join(f"{k} {v:,}" for k, v in stats.by_status.most_common())
        self.stdout.write(f"  ethnicity: {eth}\n  status: {status}")
