"""`aigaq init`: data folder, database, instance keys, gazetteer and an administrator. Idempotent."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aigaq.accounts.models import Role
from aigaq.core.keys import ensure_instance_key, fingerprint
from aigaq.registry.gazetteer import load_gazetteer


class Command(BaseCommand):
    help = "Create or upgrade an instance: data folder, database, keys, gazetteer, administrator."

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument("--admin-password-file", type=Path, help="read the password from this file")
        parser.add_argument("--quiet", action="store_true", help="print only what must be seen")

    def handle(self, *args, admin_username, admin_password_file, quiet, **opts):
        say = (lambda msg: None) if quiet else self.stdout.write
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        say(f"Data folder: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        say("Database: up to date")
        path, created = ensure_instance_key()
        say(f"Instance key: {path} ({'created' if created else 'exists'}); fingerprint {fingerprint()}")
        for hook in _init_hooks():
            hook(say)
        made, changed = load_gazetteer()
        say(f"Gazetteer: {made} places added, {changed} updated")
        self._admin(admin_username, admin_password_file, say)

    def _admin(self, username: str, password_file: Path | None, say) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if password_file:
            try:
                password = password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"--admin-password-file {password_file}: {exc.strerror}") from None
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(f"--admin-password-file: {' '.join(exc.messages)}") from None
        if user is not None:
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
                say(f"Administrator {username!r}: password updated from {password_file}")
            else:
                say(f"Administrator {username!r}: exists")
            return
        generated = password is None
        password = password or secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email="", password=password, role=Role.ADMIN)
        if generated:
            # Printed once, even with --quiet: it is not stored anywhere in clear.
            self.stdout.write(f"Administrator {username!r} created. Password (shown once): {password}")
        else:
            say(f"Administrator {username!r} created with the password from {password_file}")


def _init_hooks():
    """Other parts (vault, ledger, accounts) add set-up steps here without editing this file."""
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "on_init", None)
        if hook:
            yield hook
