"""API authentication: a bearer token for scripts, or the staff session (with CSRF) for the UI.

After authenticating, every operation is checked against aigaq.accounts.policy.API_RULES: the
user's role must allow the operation's action, and a token must carry the `write` scope for an
action that changes data. Revoked tokens and inactive users are refused.
"""

from __future__ import annotations

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from aigaq.accounts import policy
from aigaq.accounts.models import ApiToken
from aigaq.accounts.ninja_ops import operation_name


def _enforce(request, user, token: ApiToken | None) -> None:
    match = request.resolver_match
    op = operation_name(match.func, request.method) if match else None
    rule = policy.api_rule(op) if op else None
    if rule is None:
        raise HttpError(403, f"no access rule for API operation {op!r}")
    if not policy.allows(policy.role_of(user), rule):
        raise HttpError(403, "this account may not do that")
    if token is not None and rule in policy.WRITE_ACTIONS and not token.has_scope("write"):
        raise HttpError(403, "this token has no 'write' scope")


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
        _enforce(request, found.user, found)
        return found.user


class StaffSession(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        from aigaq.accounts.twofactor import must_enrol

        if must_enrol(user):
            raise HttpError(403, "enrol in two-factor login first")
        request.api_token = None
        _enforce(request, user, None)
        return user


AUTH = [BearerToken(), StaffSession()]


def can_write(request) -> bool:
    """Kept for views that create records: the role may create and a token has the write scope."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.has_scope("write"):
        return False
    return policy.can(request.user, policy.Action.CREATE)
