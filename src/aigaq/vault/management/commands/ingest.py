"""`aigaq ingest PATH…`: take files (or the files in folders) into the vault.

With --json, one JSON object per file on stdout as soon as that file is committed (files are
committed in groups, about once a second).
"""

from __future__ import annotations

import json
import os
import sys
import uuid

from django.core.management.base import BaseCommand, CommandError

from aigaq.ledger.log import checkpoint
from aigaq.vault.ingest import ingest_stream
from aigaq.vault.jobs import schedule_sha512
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import LocalStorage, get_storage


def find_record(model, value: str, option: str):
    """A record by number or by UUID."""
    try:
        lookup = {"uid": uuid.UUID(value)} if "-" in value or len(value) == 32 else {"pk": int(value)}
        return model.objects.get(**lookup)
    except (ValueError, model.DoesNotExist):
        raise CommandError(f"{option} {value}: no such {model._meta.verbose_name}") from None


def walk(paths: list[str]):
    """Files to ingest: each file given, and the files under each folder (sorted, symlinks
    reported rather than followed)."""
    for top in paths:
        top_b = os.fsencode(top)
        if os.path.isdir(top_b) and not os.path.islink(top_b):
            for dirpath, dirnames, filenames in os.walk(top_b):
                dirnames.sort()
                for name in sorted(filenames):
                    yield os.path.join(dirpath, name)
        else:
            yield top_b


class Command(BaseCommand):
    # Skipping system checks (they import every URL module) keeps the command quick to start.
    requires_system_checks: list = []
    help = "Ingest files into the evidence vault (same bytes are stored once)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--testimony", metavar="ID", help="link the items to this testimony (number or UUID)")
        parser.add_argument("--person", metavar="ID", help="link the items to this person (number or UUID)")
        parser.add_argument("--source", default="", metavar="TEXT", help="where the files came from")
        parser.add_argument("--json", action="store_true", help="one JSON object per file, as it is committed")
        parser.add_argument("--no-derivatives", action="store_true", help="skip thumbnails and poster frames")
        parser.add_argument("--sha512", action="store_true",
                            help="compute SHA-512 while copying (slower); by default the vault.sha512 "
                                 "background job computes it afterwards")

    def handle(self, *args, paths, testimony, person, source, json: bool, no_derivatives, sha512, **opts):
        from aigaq.registry.models import Person, Testimony

        testimony_obj = find_record(Testimony, testimony, "--testimony") if testimony else None
        person_obj = find_record(Person, person, "--person") if person else None
        storage = get_storage()
        if isinstance(storage, LocalStorage):
            storage.clean_stale_temps()
        counts = {"failed": 0, "added": 0}
        show_progress = not json and sys.stderr.isatty()

        def done(path, result) -> None:
            shown = os.fsdecode(path)
            counts["added"] += result.created
            item = result.item
            if json:
                line = _dumps({"path": shown, "sha256": item.sha256, "size": item.size, "item": item.pk})
            else:
                state = "added" if result.created else "already in the vault"
                line = f"{item.sha256}  {item.size:>12}  {item.media_type:<24} {shown}  ({state}, item {item.pk})"
            self.stdout.write(line)
            self.stdout.flush()

        def failed(path, exc) -> None:
            counts["failed"] += 1
            self.stderr.write(f"aigaq ingest: {exc}")

        # Group commit: files are copied back to back, and recorded about once a second in one
        # transaction; each line is printed once its file is committed (see ingest_stream).
        ingest_stream(walk(paths), on_done=done, on_error=failed, source=source, testimony=testimony_obj,
                      person=person_obj, derivatives=not no_derivatives, sha512=sha512,
                      progress_for=_progress if show_progress else None)
        added, failed = counts["added"], counts["failed"]
        if added:
            checkpoint()  # sign the grown ledger, so the new entries are covered at once
        if EvidenceItem.objects.filter(sha512__isnull=True).exists():
            # One job for the whole run (not one per file); it also picks up items of a run
            # that crashed before getting here.
            schedule_sha512()
        if failed:
            raise CommandError(f"{failed} file(s) not ingested (reasons above)")


def _dumps(obj: dict) -> str:
    # surrogateescape'd names (bytes that are not UTF-8) come out as \udcXX escapes
    return json.dumps(obj, ensure_ascii=True)


def _progress(label: str):
    state = {"last": -1}

    def show(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 100
        if pct != state["last"] and total > 64 * 1024 * 1024:
            state["last"] = pct
            sys.stderr.write(f"\r{label[-50:]}: {pct}%")
            if done >= total:
                sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    return show
