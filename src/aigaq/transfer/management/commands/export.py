"""`aigaq export FILE.jsonl [--include-restricted] [--with-evidence BAGDIR]`: the whole record in
the exchange format (docs/exchange-format.md), and the evidence originals as a BagIt bag."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    requires_system_checks: list = []  # like the other data commands: ~0.5 s of start-up
    help = "Export the whole record as an Aigaq exchange file (.jsonl), optionally with an evidence bag."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .jsonl file to write (replaced if it exists)")
        parser.add_argument("--include-restricted", action="store_true",
                            help="include witness contact details, addresses and internal notes "
                                 "(left out by default; only for a trusted partner)")
        parser.add_argument("--with-evidence", metavar="BAGDIR", type=Path,
                            help="also write the evidence originals as a BagIt bag to this new folder")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, file: Path, include_restricted: bool, with_evidence: Path | None, **opts):
        from aigaq.transfer.exchange import ExchangeError, export_exchange

        if file.suffix.lower() != ".jsonl":
            raise CommandError(f"{file}: the exchange file's name must end in .jsonl")
        if not file.parent.is_dir():
            raise CommandError(f"{file.parent}: no such folder")
        try:
            result = export_exchange(file, include_restricted=include_restricted, evidence=with_evidence)
        except ExchangeError as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
            return
        counts = ", ".join(f"{v:,} {k}" for k, v in result["counts"].items() if v)
        self.stdout.write(f"Exported to {file}: {counts}"
                          + ("; restricted fields included" if include_restricted else "; restricted fields left out")
                          + (f"; evidence bag {with_evidence}" if with_evidence else "") + ".")
