"""API authentication: a bearer token for scripts, or the staff session (with CSRF) for the UI."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from aigaq.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        # One write per minute at most: last-used is for humans, not an audit trail.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class StaffSession(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_token = None
        return user


AUTH = [BearerToken(), StaffSession()]


def can_write(request) -> bool:
    from aigaq.accounts.models import Role

    token = getattr(request, "api_token", None)
    if token is not None and not token.has_scope("write"):
        return False
    return request.user.role in (Role.ADMIN, Role.EDITOR, Role.VOLUNTEER) or request.user.is_superuser
