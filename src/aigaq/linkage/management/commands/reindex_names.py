"""`aigaq reindex-names [--json]`: recompute stored name search keys after a names-engine change."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from aigaq.linkage.rekey import reindex


class Command(BaseCommand):
    help = "Recompute the search keys of every stored name (run after upgrading the names engine)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, no_progress, **opts):
        stats = reindex(progress=not no_progress and opts.get("verbosity", 1) > 0,
                        stream=getattr(self.stderr, "_out", sys.stderr))
        if opts["json"]:
            self.stdout.write(json.dumps(stats.as_dict(), sort_keys=True))
            return
        self.stdout.write(f"{stats.names:,} names, {stats.names_changed:,} with new keys "
                          f"(+{stats.keys_added:,} / -{stats.keys_removed:,} keys) in {stats.seconds:,.1f} s.")
