"""`aigaq token create USERNAME` prints a new API token; `token list`, `token revoke PREFIX`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aigaq.accounts.models import ApiToken

SCOPES = {"read", "write"}


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (sent as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for USERNAME (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument("--scopes", default="read", help="space- or comma-separated: read write")
        lst = sub.add_parser("list", help="list tokens")
        lst.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **opts):
        return getattr(self, f"_{action}")(**opts)

    def _create(self, username, name, scopes, **_):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        wanted = set(scopes.replace(",", " ").split())
        if not wanted or wanted - SCOPES:
            raise CommandError(f"--scopes: use {', '.join(sorted(SCOPES))} (got {scopes!r})")
        _, raw = ApiToken.issue(user, name=name, scopes=" ".join(sorted(wanted)))
        self.stdout.write(raw)

    def _list(self, username=None, **_):
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            self.stdout.write(f"{t.prefix}…  {t.user.username}  {t.scopes}  {t.name}  {state}")

    def _revoke(self, prefix, **_):
        n = ApiToken.objects.active().filter(prefix__startswith=prefix[:10]).update(revoked_at=timezone.now())
        if n == 0:
            raise CommandError(f"no active token starts with {prefix!r}")
        self.stdout.write(f"revoked {n} token(s)")
