"""`aigaq bag export DIR [--person ID] | validate DIR | import DIR` (BagIt, RFC 8493)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aigaq.vault import bag
from aigaq.vault.ingest import IngestError
from aigaq.vault.management.commands.ingest import find_record


class Command(BaseCommand):
    # Skipping system checks (they import every URL module) keeps the command quick to start.
    requires_system_checks: list = []
    help = "Export a case as a BagIt bag, validate a bag, or import a partner's bag."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("export", help="write the evidence of a case (or all) as a bag")
        ex.add_argument("dir", type=Path)
        ex.add_argument("--person", metavar="ID", help="only this person's case (number or UUID)")
        for name in ("validate", "import"):
            p = sub.add_parser(name)
            p.add_argument("dir", type=Path)
            p.add_argument("--json", action="store_true")
        ex.add_argument("--json", action="store_true")

    def handle(self, *args, action, dir: Path, json: bool = False, **opts):
        getattr(self, f"do_{action}")(dir, json, **opts)

    def do_export(self, target: Path, as_json: bool, person=None, **_):
        from aigaq.registry.models import Person

        person_obj = find_record(Person, person, "--person") if person else None
        try:
            report = bag.export(target, person=person_obj)
        except bag.BagInvalid as exc:
            raise CommandError(str(exc)) from None
        oxum = report.info.get("Payload-Oxum", ["0.0"])[0]
        self._out(as_json, {"bag": str(target), "payload_oxum": oxum, "valid": True},
                  f"Bag written to {target} (Payload-Oxum {oxum}); it validates.")

    def do_validate(self, target: Path, as_json: bool, **_):
        report = bag.validate(target)
        if as_json:
            self.stdout.write(_dumps({"bag": str(target), "valid": report.valid, "errors": report.errors}))
        if not report.valid:
            more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
            raise CommandError(f"{target}: invalid bag: {report.errors[0]}{more}")
        if not as_json:
            self.stdout.write(f"{target}: valid bag (BagIt {report.version}, {len(report.payload)} payload files)")

    def do_import(self, target: Path, as_json: bool, **_):
        try:
            results = bag.import_bag(target)
        except (bag.BagInvalid, IngestError) as exc:
            raise CommandError(f"{target}: not imported: {exc}") from None
        for rel, result in results:
            self._out(as_json, {"path": rel, "sha256": result.item.sha256, "size": result.item.size,
                                "item": result.item.pk, "created": result.created},
                      f"{result.item.sha256}  {rel}  ({'added' if result.created else 'already in the vault'})")

    def _out(self, as_json: bool, obj: dict, text: str) -> None:
        self.stdout.write(_dumps(obj) if as_json else text)


def _dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)
