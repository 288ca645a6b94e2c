"""`aigaq ledger checkpoint | prove ITEM | consistency OLD NEW | show`.

Proofs come out as JSON bundles that aigaq/ledger/proofs.py checks with no database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from aigaq.ledger import log, proofs
from aigaq.ledger.models import Checkpoint, Entry


class Command(BaseCommand):
    # Skipping system checks (they import every URL module) keeps the command quick to start.
    requires_system_checks: list = []
    help = "The custody ledger: sign a checkpoint, prove an item's custody entries, prove consistency."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        cp = sub.add_parser("checkpoint", help="sign the current tree size and root")
        cp.add_argument("--json", action="store_true")
        prove = sub.add_parser("prove", help="inclusion proof of an item's ingest entry (item number or SHA-256)")
        prove.add_argument("item")
        prove.add_argument("--entry", type=int, metavar="SEQ", help="prove this entry instead")
        prove.add_argument("--json", action="store_true", help="the proof bundle as JSON (default)")
        cons = sub.add_parser("consistency", help="proof that the tree at OLD size is a prefix of the tree at NEW size")
        cons.add_argument("old", type=int)
        cons.add_argument("new", type=int)
        cons.add_argument("--json", action="store_true")

    def handle(self, *args, action, **opts):
        getattr(self, f"do_{action}")(**opts)

    def do_checkpoint(self, json: bool = False, **_):
        cp = log.checkpoint()
        if json:
            self.stdout.write(_dumps(cp.as_dict()))
        else:
            self.stdout.write(cp.text + f"— {cp.signature}\n")

    def do_prove(self, item: str, entry: int | None = None, **_):
        from aigaq.vault.models import EvidenceItem

        if entry is not None:
            target = Entry.objects.filter(seq=entry).first()
            if target is None:
                raise CommandError(f"--entry {entry}: no such ledger entry")
        else:
            qs = EvidenceItem.objects.filter(sha256=item.lower()) if len(item) == 64 else (
                EvidenceItem.objects.filter(pk=int(item)) if item.isdigit() else EvidenceItem.objects.none())
            found = qs.first()
            if found is None:
                raise CommandError(f"{item}: no such item (give its number or SHA-256)")
            target = Entry.objects.filter(subject=found.sha256).order_by("seq").first()
            if target is None:
                raise CommandError(f"item {found.pk}: has no entry in the custody ledger; run `aigaq verify`")
        bundle = log.prove(target)
        errors = proofs.verify_bundle(bundle)
        if errors:
            raise CommandError(f"the proof does not verify: {'; '.join(errors)}; run `aigaq verify`")
        self.stdout.write(_dumps(bundle))

    def do_consistency(self, old: int, new: int, json: bool = False, **_):
        cps = {}
        for size in (old, new):
            cp = Checkpoint.objects.filter(size=size).order_by("id").first()
            if cp is None:
                raise CommandError(f"no signed checkpoint of size {size}; see `aigaq ledger checkpoint`")
            cps[size] = cp
        if old > new:
            raise CommandError("OLD must not be larger than NEW")
        bundle = log.consistency(cps[old], cps[new])
        path = [bytes.fromhex(h) for h in bundle["consistency_proof"]]
        ok = old == 0 or proofs.verify_consistency(old, new, bytes.fromhex(cps[old].root), bytes.fromhex(cps[new].root), path)
        if not ok:
            raise CommandError(f"the ledger at size {new} is not consistent with the checkpoint at size {old}")
        self.stdout.write(_dumps(bundle))


def _dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)
