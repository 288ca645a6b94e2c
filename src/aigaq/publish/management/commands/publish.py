"""`aigaq publish OUT [--json]`: write the public record as a signed static mirror."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write the public portal, open data and search index to OUT as a signed static mirror."
    # No system checks (they import every URL module, the API and the names engine: seconds on a
    # republish that itself takes a few); `aigaq check` and the server run them.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("out", help="folder of the mirror (created; must be empty or an earlier mirror)")
        parser.add_argument("--json", action="store_true", help="print a JSON report")
        parser.add_argument("--full", action="store_true", help="recompute every page, not only what changed")
        parser.add_argument("--language", default=None, help="language of the pages (default: AIGAQ_LANGUAGE)")
        parser.add_argument("--workers", type=int, default=2, help="processes rendering person pages (default 2)")

    def handle(self, *args, out, json: bool, full: bool, language, workers, **opts):
        from pathlib import Path

        from django.conf import settings

        from aigaq.publish.builder import BuildError, build

        if language and language not in dict(settings.LANGUAGES):
            raise CommandError(f"unknown language {language!r}; one of {', '.join(dict(settings.LANGUAGES))}")
        progress = None if json else (lambda m: self.stderr.write(m))
        try:
            report = build(Path(out), full=full, language=language, workers=max(1, workers), progress=progress)
        except (BuildError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            self.stdout.write(
                f"{report.out}: {report.persons} persons, {report.files} files, {len(report.written)} written, "
                f"{len(report.deleted)} removed, in {report.seconds:.1f} s"
                f"{' (full build)' if report.full else ''}. Manifest sha256 {report.manifest_sha256}"
            )


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
