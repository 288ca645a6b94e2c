"""`aigaq demo`: init, 2,000 synthetic persons if the instance is empty, then serve."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
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
        call_command("init", quiet=True)
        # The demo prints a login every time: it sets a fresh password on each start.
        password = secrets.token_urlsafe(12)
        user = get_user_model().objects.get(username=DEMO_USER)
        user.set_password(password)
        user.save(update_fields=["password"])
        if not Person.objects.exists():
            self.stdout.write(f"Seeding {persons:,} synthetic persons (first start only)…")
            call_command("seed_demo", persons=persons, seed=1)
        self.stdout.write(
            f"\n  Aigaq demo: http://127.0.0.1:{port}/staff/\n"
            f"  Log in as {DEMO_USER!r} with password {password}\n"
        )
        call_command("serve", port=port)
