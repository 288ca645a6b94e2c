"""`aigaq mirror-verify DIR_OR_URL [--key PUBKEY]`: check a mirror against its signed manifest."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Check a mirror (a folder or an http(s) URL) file by file against its signed manifest."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("target", help="mirror folder or URL")
        parser.add_argument("--key", default=None, help="expected Ed25519 public key: base64, or a file holding it")
        parser.add_argument("--json", action="store_true", help="print a JSON report")

    def handle(self, *args, target, key, json: bool, **opts):
        from aigaq.publish.verify_mirror import main

        code = main([target, *(["--key", key] if key else []), *(["--json"] if json else [])],
                    stdout=self.stdout, stderr=self.stderr)
        if code:
            sys.exit(code)
