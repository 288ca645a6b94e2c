"""`aigaq restore IN`: check an encrypted backup completely, then unpack it into an empty data folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aigaq.core.backup import BackupError, restore_backup
from aigaq.core.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = "Restore a backup into an empty data folder (AIGAQ_DATA, or --target)."
    requires_system_checks = []  # the data folder is empty: nothing to check yet

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--passphrase-file", type=Path)
        parser.add_argument("--identity", type=Path, help="age identity file (AGE-SECRET-KEY-1…)")
        parser.add_argument("--target", type=Path, help="data folder to create (default: AIGAQ_DATA)")

    def handle(self, *args, archive: Path, passphrase_file, identity, target, **opts):
        if bool(passphrase_file) == bool(identity):
            raise CommandError("give --passphrase-file or --identity (not both)")
        identities = None
        if identity:
            try:
                identities = identity.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"--identity {identity}: {exc.strerror}") from None
        target = target or settings.DATA_DIR
        try:
            manifest = restore_backup(archive, target, passphrase=read_passphrase(passphrase_file) if
                                      passphrase_file else None, identities=identities)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {len(manifest['members'])} files into {target}; "
                          "run `aigaq verify` and `aigaq init` (migrations) next")
