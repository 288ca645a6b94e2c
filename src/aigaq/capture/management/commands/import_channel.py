"""`aigaq import-channel DIR`: import a yt-dlp download of a whole channel (videos + .info.json).

Idempotent: run it again after the download grew, and only the new videos are imported.
Prints what was imported and what was skipped, and why; --json for one JSON report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Import a yt-dlp channel download: each video a preserved original and a draft testimony."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--json", action="store_true", help="one JSON report on stdout")
        parser.add_argument("--quiet", action="store_true", help="only the summary line")

    def handle(self, *args, folder, json: bool, quiet, **opts):
        from aigaq.capture.channel import import_channel
        from aigaq.ledger.log import checkpoint

        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"{folder}: not a folder")
        bar = _Bar(sys.stderr) if sys.stderr.isatty() else None
        report = import_channel(root, on_progress=bar)
        if bar:
            bar.clear()
        if report.imported:
            checkpoint()
        if json:
            self.stdout.write(_dumps({
                "imported": len(report.imported), "skipped": len(report.skipped),
                "entries": [e.as_dict() for e in report.entries]}))
            return
        if not quiet:
            for e in report.entries:
                what = f"testimony {e.testimony}" if e.status == "imported" else e.reason
                self.stdout.write(f"{e.status:<9} {e.info_path.name[:-10]}  {e.title[:60]}  ({what})")
        reasons: dict[str, int] = {}
        for e in report.skipped:
            key = e.reason.split(":")[0].split(" (")[0]
            reasons[key] = reasons.get(key, 0) + 1
        detail = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        self.stdout.write(f"{len(report.imported)} imported, {len(report.skipped)} skipped"
                          + (f" ({detail})" if detail else "") + ".")


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


class _Bar:
    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, done: int, total: int, label: str) -> None:
        width = 30
        filled = width * done // total if total else 0
        self.stream.write(f"\r\033[K[{'#' * filled}{' ' * (width - filled)}] {done}/{total} {label[:40]}")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()
