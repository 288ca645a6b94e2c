"""`aigaq demo`: init, 2,000 synthetic persons if the instance is empty, then serve."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from aigaq.registry.models import Person

DEMO_USER = "admin"


class Command(BaseCommand):
    help = "Run a demo instance with synthetic data on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--persons", type=int, default=2000)

    def handle(self, *args, port, persons, **opts):
        # The demo prints a login on every start, so it sets a fresh password each time, handed
        # to init through a private temporary file (init never prints a password it was given).
        password = secrets.token_urlsafe(12)
        fd, name = tempfile.mkstemp(prefix="aigaq-demo-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(password)
            call_command("init", quiet=True, admin_username=DEMO_USER, admin_password_file=Path(name))
        finally:
            os.unlink(name)
        if not Person.objects.exists():
            self.stdout.write(f"Seeding {persons:,} synthetic persons (first start only)…")
            call_command("seed_demo", persons=persons, seed=1)
        self.stdout.write(
            f"\n  Aigaq demo, staff UI:  http://127.0.0.1:{port}/staff/\n"
            f"  Public portal:         http://127.0.0.1:{port}/\n"
            f"  Log in as {DEMO_USER!r} with password {password}\n"
            "  Administrators use two-factor login: the first login asks you to scan a code\n"
            "  with any authenticator app (or type its key).\n"
        )
        call_command("serve", port=port)
