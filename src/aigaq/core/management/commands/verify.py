"""`aigaq verify`: re-hash the originals, check the ledger and its signed checkpoints, and the
database against the ledger. Runs every check registered in aigaq.core.verify.

Exit 0: all intact. Exit 1: problems found, each named. Exit 2: the checks could not run.
"""

from __future__ import annotations

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from aigaq.core.verify import VerifyContext, checks, run_all


class Command(BaseCommand):
    # Skipping system checks (they import every URL module) keeps the command quick to start.
    requires_system_checks: list = []
    help = "Check that every original, the custody ledger and the database are intact."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=float, default=100.0, metavar="PERCENT",
                            help="re-hash only a random sample of the items (default: all)")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--check", action="append", metavar="NAME",
                            help="run only this check (repeatable): " + ", ".join(checks()))

    def handle(self, *args, sample, json: bool, check, **opts):
        if not 0 < sample <= 100:
            raise CommandError("--sample: give a percentage above 0 and at most 100", returncode=2)
        unknown = set(check or ()) - set(checks())
        if unknown:
            raise CommandError(f"--check: no check named {', '.join(sorted(unknown))}", returncode=2)
        progress = _Progress(sys.stderr)
        ctx = VerifyContext(sample=sample, progress=progress)
        problems = []
        started = time.monotonic()
        try:
            for name, problem in run_all(ctx, check):
                problems.append((name, problem))
                if not json:
                    progress.clear()
                    self.stdout.write(f"PROBLEM [{name}] {problem}")
        except DatabaseError as exc:
            raise CommandError(f"cannot read the database ({exc}); has `aigaq init` been run?", returncode=2) from None
        except OSError as exc:
            raise CommandError(f"cannot read the vault: {exc}", returncode=2) from None
        progress.clear()
        seconds = round(time.monotonic() - started, 2)
        if json:
            self.stdout.write(_json_dumps({
                "ok": not problems,
                "problems": [{"check": n, **p.as_dict()} for n, p in problems],
                "notes": ctx.notes, "seconds": seconds,
            }))
        else:
            for note in ctx.notes:
                self.stdout.write(note)
            if problems:
                self.stdout.write(f"{len(problems)} problem(s) found.")
            else:
                self.stdout.write(f"All intact ({', '.join(checks())}); {seconds} s.")
        if problems:
            sys.stdout.flush()
            sys.exit(1)


def _json_dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


class _Progress:
    """A one-line progress display on a terminal; silent when stderr is not a terminal,
    except for a line every 30 s so that logs of long runs show life."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last = time.monotonic()
        self.shown = False

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        interval = 0.2 if self.tty else 30
        if now - self.last < interval and done < total:
            return
        self.last = now
        pct = f"{100 * done / total:5.1f}%" if total else "  —  "
        if self.tty:
            self.stream.write(f"\r{label}: {pct}  ")
            self.shown = True
        elif done < total:
            self.stream.write(f"{label}: {pct}\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
