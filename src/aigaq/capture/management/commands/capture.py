"""`aigaq capture URL…`: preserve online sources in the vault now; `--recheck`: the takedown watch.

Exit 0 when every URL was captured (or checked); 1 when any was refused, each with its reason
on stderr. With --json, one JSON object per URL on stdout.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from aigaq.vault.management.commands.ingest import find_record


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Capture web pages and videos into the vault, or recheck captured URLs for takedowns."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", metavar="URL")
        parser.add_argument("--testimony", metavar="ID", help="link the captured items to this testimony")
        parser.add_argument("--person", metavar="ID", help="link the captured items to this person")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--video", action="store_true",
                          help="fetch the video with yt-dlp even on a site it is not known for")
        mode.add_argument("--page-only", action="store_true", help="keep only the web page (no yt-dlp)")
        parser.add_argument("--recheck", action="store_true",
                            help="check whether captured URLs are still online (the given ones, or all)")
        parser.add_argument("--json", action="store_true", help="one JSON object per URL on stdout")

    def handle(self, *args, urls, testimony, person, video, page_only, recheck, json: bool, **opts):
        if recheck:
            return self._recheck(urls, json)
        if not urls:
            raise CommandError("give at least one URL (or --recheck)")
        from aigaq.capture.service import CaptureError, capture_url
        from aigaq.ledger.log import checkpoint
        from aigaq.registry.models import Person, Testimony

        testimony_obj = find_record(Testimony, testimony, "--testimony") if testimony else None
        person_obj = find_record(Person, person, "--person") if person else None
        mode = "video" if video else "page" if page_only else "auto"
        failed = 0
        for url in urls:
            try:
                outcome = capture_url(url, testimony=testimony_obj, person=person_obj, mode=mode,
                                      progress=_progress(url) if not json and sys.stderr.isatty() else None)
            except CaptureError as exc:
                failed += 1
                if sys.stderr.isatty():
                    sys.stderr.write("\r\033[K")
                self.stderr.write(f"aigaq capture: {exc}")
                if json:
                    self.stdout.write(_dumps({"url": url, "ok": False, "error": str(exc)}))
                continue
            if sys.stderr.isatty() and not json:
                sys.stderr.write("\r\033[K")
            if json:
                self.stdout.write(_dumps({"ok": True, **outcome.as_dict()}))
            else:
                self.stdout.write(f"{url}: captured {len(outcome.items)} file(s)")
                for item in outcome.items:
                    self.stdout.write(f"  {item['role']:<11} sha256:{item['sha256']}  {item['size']:>12,} bytes"
                                      f"{'' if item['created'] else '  (already in the vault)'}")
                for warning in outcome.warnings:
                    self.stdout.write(f"  note: {warning}")
        if failed < len(urls):
            checkpoint()
        if failed:
            raise CommandError(f"{failed} of {len(urls)} URL(s) not captured")

    def _recheck(self, urls: list[str], json: bool) -> None:
        from aigaq.capture.models import CapturedSource
        from aigaq.capture.takedown import recheck

        sources = CapturedSource.objects.order_by("id")
        if urls:
            sources = sources.filter(url__in=urls)
            missing = set(urls) - set(sources.values_list("url", flat=True))
            if missing:
                raise CommandError(f"not a captured URL: {', '.join(sorted(missing))}")
        for source, check in recheck(sources):
            if json:
                self.stdout.write(_dumps({"url": source.url, "status": check.status,
                                          "http_status": check.http_status, "detail": check.detail,
                                          "checked_at": check.checked_at.isoformat()}))
            else:
                self.stdout.write(f"{check.status:<12} {source.url}  ({check.detail})")


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _progress(url: str):
    def show(done: int, total: int, label: str) -> None:
        pct = f" {100 * done // total:3d}%" if total else (f" {done:,} bytes" if done else "")
        sys.stderr.write(f"\r\033[K{label}{pct}  {url[:60]}")
        sys.stderr.flush()

    return show
