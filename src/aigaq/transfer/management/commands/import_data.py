"""`aigaq import FILE`: a spreadsheet (.csv/.tsv/.txt/.xlsx) or an exchange file (.jsonl).

Spreadsheets: columns are mapped to fields (guessed from the headers, remembered per layout,
or given with --mapping), every row is checked, and nothing is written from a file with
problems unless --only-valid. Exchange files: see docs/exchange-format.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    requires_system_checks: list = []  # like the other data commands: ~0.5 s of start-up
    help = "Import a spreadsheet (CSV, XLSX) or an Aigaq exchange file (.jsonl)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv/.tsv/.txt/.xlsx spreadsheet or a .jsonl exchange file")
        parser.add_argument("--mapping", help="column=field pairs (comma-separated) or a JSON file "
                                              "{\"column\": \"field\"}; columns by header, letter or number")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--only-valid", action="store_true",
                            help="import the valid rows of a spreadsheet and leave out the rows with problems")
        parser.add_argument("--encoding", help="the CSV file's encoding, if detection gets it wrong")
        parser.add_argument("--delimiter", help="the CSV separator, if detection gets it wrong")
        parser.add_argument("--evidence", metavar="BAGDIR",
                            help="exchange files: a BagIt bag of the evidence the file links to (imported first)")
        parser.add_argument("--as", dest="as_user", help="record the import as made by this user")
        parser.add_argument("--workers", type=int, choices=[1, 2],
                            help="spreadsheets: 2 checks the rows in a second process while this one writes, "
                                 "1 does all in one (default: 2 for files of 1 MB or more, on 2 cores or more)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, file: str, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        user = None
        if opts.get("as_user"):
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=opts["as_user"]).first()
            if user is None:
                raise CommandError(f"no user named {opts['as_user']!r}")
            from aigaq.accounts.policy import Action, NotAllowed, require

            try:
                require(user, Action.CHANGE)
            except NotAllowed as exc:
                raise CommandError(str(exc)) from None
        stream = getattr(self.stderr, "_out", sys.stderr)
        progress = not opts["no_progress"] and opts.get("verbosity", 1) > 0
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return self._exchange(path, opts, user, progress, stream)
        from aigaq.transfer.load import ImportFailed, format_report, run_import

        try:
            report = run_import(path, mapping=opts.get("mapping"), dry_run=opts["dry_run"],
                                only_valid=opts["only_valid"], user=user, progress=progress, stream=stream,
                                encoding=opts.get("encoding"), delimiter=opts.get("delimiter"),
                                workers=opts.get("workers"))
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, sort_keys=True, default=str))
        else:
            self.stdout.write(format_report(report))
        if not report.ok:
            what = "dry run, nothing written" if report.dry_run else "nothing imported"
            raise CommandError(f"{path.name}: {report.invalid:,} of {report.rows:,} rows have problems ({what}); "
                               "see the report, or use --only-valid")
        if report.valid == 0:
            raise CommandError(f"{path.name}: no valid rows to import")

    def _exchange(self, path: Path, opts: dict, user, progress: bool, stream) -> None:
        from aigaq.transfer.exchange import ExchangeError, import_exchange

        try:
            stats = import_exchange(path, evidence=Path(opts["evidence"]) if opts.get("evidence") else None,
                                    dry_run=opts["dry_run"], user=user)
        except ExchangeError as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(stats, ensure_ascii=False, sort_keys=True))
        else:
            counts = ", ".join(f"{v:,} {k}" for k, v in stats["records"].items())
            verb = "Checked (dry run, nothing written)" if opts["dry_run"] else "Imported"
            self.stdout.write(f"{verb} {path.name}: {counts}; {stats['created']:,} created, "
                              f"{stats['updated']:,} updated, {stats['unchanged']:,} unchanged.")
