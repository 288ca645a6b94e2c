"""`aigaq worker`: run background jobs (captures, takedown rechecks…) until stopped.

`aigaq serve` runs the same loop in a thread unless given --no-worker; run this command
instead on another machine, or as a separate service, or from cron with --once.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from aigaq.core.jobs import handlers, run_worker


class Command(BaseCommand):
    help = "Run background jobs (capture, takedown recheck, …) until stopped (Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")
        parser.add_argument("--kind", action="append", metavar="KIND",
                            help="run only jobs of this kind (repeatable)")
        parser.add_argument("--poll", type=float, default=1.0, metavar="SECONDS",
                            help="how often to look for new jobs when idle (default 1)")

    def handle(self, *args, once, kind, poll, **opts):
        unknown = set(kind or ()) - set(handlers())
        if unknown:
            raise CommandError(f"--kind: no job kind {', '.join(sorted(unknown))} "
                               f"(known: {', '.join(sorted(handlers()))})")
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                # Finish the job at hand, then stop: a capture cut short would be lost work.
                signal.signal(sig, lambda *a: stop.set())
            self.stderr.write("aigaq worker: waiting for jobs (Ctrl-C to stop after the current one)")

        def report(job):
            line = f"job {job.pk} {job.kind}: {job.state}"
            if job.error:
                line += f" ({job.error.splitlines()[0]})"
            self.stderr.write(line)

        try:
            ran = run_worker(stop, kinds=kind, poll=poll, once=once, on_job=report)
        except DatabaseError as exc:
            raise CommandError(f"cannot read the job queue ({exc}); has `aigaq init` been run?") from None
        if once:
            self.stdout.write(f"{ran} job(s) run.")
