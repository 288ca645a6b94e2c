"""`aigaq backup OUT`: an encrypted archive of the database, the vault and the keys (see aigaq.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aigaq.core.backup import BackupError, env_keys_outside, write_backup


def read_passphrase(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CommandError(f"--passphrase-file {path}: {exc.strerror}") from None
    if len(text) < 12:
        raise CommandError(f"--passphrase-file {path}: the passphrase must have 12 characters or more")
    return text


class Command(BaseCommand):
    help = "Write an encrypted backup (age) of the database, vault and keys; safe while the server runs."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--passphrase-file", type=Path, help="encrypt with the passphrase in this file")
        parser.add_argument("--recipient", action="append", default=[], metavar="AGE_RECIPIENT",
                            help="encrypt to this age public key (age1…); repeat for several")

    def handle(self, *args, out: Path, passphrase_file, recipient, **opts):
        if bool(passphrase_file) == bool(recipient):
            raise CommandError("give --passphrase-file or at least one --recipient (not both)")
        if out.exists():
            raise CommandError(f"{out} exists: choose a new file name")
        try:
            manifest = write_backup(out, passphrase=read_passphrase(passphrase_file), recipients=recipient)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        from aigaq import audit

        audit.record("backup", object_type="core.backup", object_id=out.name,
                     changes={"members": len(manifest["members"])})
        self.stdout.write(f"backup written: {out} ({len(manifest['members'])} files, database and keys included)")
        outside = env_keys_outside()
        if outside:
            self.stderr.write(f"warning: {', '.join(outside)} come from the environment and are NOT in "
                              "this backup: keep them safe separately, a restore needs them")
