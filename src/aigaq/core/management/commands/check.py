"""`aigaq check [--deploy]`: Django's system checks; with --deploy, fail on any warning.

Overrides Django's `check` (an app's command wins over Django's own): with --deploy it runs
Django's deployment checks and Aigaq's (aigaq.accounts.checks) and exits non-zero on any
warning, so that a deployment script can stop on it.
"""

from __future__ import annotations

from django.core.management.commands.check import Command as DjangoCheck


class Command(DjangoCheck):
    help = "Check the instance; with --deploy, also its production settings (exit 1 on any warning)."

    def handle(self, *app_labels, **options):
        if options.get("deploy") and options.get("fail_level") in (None, "ERROR"):
            options["fail_level"] = "WARNING"
        return super().handle(*app_labels, **options)
