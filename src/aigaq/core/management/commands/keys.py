"""`aigaq keys rotate`: a new field-encryption key; every encrypted value re-encrypted with it.

The new key is added to the keyring first (so a crash half-way leaves every value readable),
then every encrypted field of every row is rewritten, then the old keys are dropped (unless
--keep-old). `aigaq keys status` counts values per key id.
"""

from __future__ import annotations

import os
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from aigaq.core import crypto


def _raw_key_ids(model, names: list[str]) -> Counter:
    """Key id of every stored value, read past the field (so that nothing is decrypted)."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    counts: Counter = Counter()
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {table}")
        for row in cur.fetchall():
            for value in row:
                if value is not None:
                    counts[crypto.key_id_of(value) or "clear text"] += 1
    return counts


class Command(BaseCommand):
    help = "Rotate the key that encrypts restricted fields (`rotate`), or show which keys are in use (`status`)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate", help="new key; re-encrypt every value; drop the old keys")
        rotate.add_argument("--keep-old", action="store_true", help="keep the old keys in the keyring")
        sub.add_parser("status", help="count encrypted values per key id")

    def handle(self, *args, action, **opts):
        if action == "status":
            return self._status()
        return self._rotate(opts["keep_old"])

    def _status(self) -> None:
        ring = [kid for kid, _ in crypto.keyring()]
        self.stdout.write(f"keyring: {', '.join(ring)} (encrypts with {ring[0]})")
        for model, names in crypto.encrypted_fields():
            for kid, n in sorted(_raw_key_ids(model, names).items()):
                self.stdout.write(f"{model._meta.label}: {n} value(s) under {kid}")

    def _rotate(self, keep_old: bool) -> None:
        if os.environ.get("AIGAQ_FIELD_KEY"):
            raise CommandError("AIGAQ_FIELD_KEY is set: rotation rewrites a key file; use AIGAQ_FIELD_KEY_FILE")
        path, _ = crypto.ensure_field_key()
        old_lines = [ln for ln in path.read_text(encoding="ascii").splitlines() if ln.strip()]
        new_line = crypto.new_key_line()
        crypto.write_keyring(path, [new_line, *old_lines])
        crypto.forget_keys()
        total = 0
        for model, names in crypto.encrypted_fields():
            with transaction.atomic():
                for row in model._base_manager.only("pk", *names).iterator(chunk_size=500):
                    # update() writes through the field (re-encrypting) without model signals:
                    # one audit entry for the rotation, not one per row.
                    model._base_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
                    total += 1
        new_kid = new_line.split()[0]
        if not keep_old:
            crypto.write_keyring(path, [new_line])
            crypto.forget_keys()
        from aigaq import audit

        audit.record("keys_rotate", object_type="core.fieldkey", object_id=new_kid,
                     changes={"rows": total, "old_keys_kept": keep_old})
        self.stdout.write(f"rotated: {total} row(s) re-encrypted with key {new_kid}"
                          + ("" if keep_old else "; old keys removed") + f" ({path})")
