"""Lockout after failed logins, per username and per client address, kept in the database.

After AIGAQ_LOGIN_MAX_FAILURES failures for one username (or AIGAQ_LOGIN_IP_MAX_FAILURES from
one address) within AIGAQ_LOGIN_LOCKOUT_SECONDS, further attempts are refused, without even
checking the password, until that many seconds have passed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aigaq.accounts.models import LoginThrottle


def keys(username: str, ip: str) -> list[tuple[str, int]]:
    return [(f"user:{username.strip().lower()}", settings.AIGAQ_LOGIN_MAX_FAILURES),
            (f"ip:{ip}", settings.AIGAQ_LOGIN_IP_MAX_FAILURES)]


def locked_for(username: str, ip: str) -> int:
    """Seconds until a login for this username from this address may be tried again (0: now)."""
    now = timezone.now()
    until = LoginThrottle.objects.filter(
        key__in=[k for k, _ in keys(username, ip)], locked_until__gt=now
    ).order_by("-locked_until").values_list("locked_until", flat=True).first()
    return int((until - now).total_seconds()) + 1 if until else 0


def failed(username: str, ip: str) -> bool:
    """Count a failure; True if it locked the username or the address."""
    from aigaq import audit

    now = timezone.now()
    window = timedelta(seconds=settings.AIGAQ_LOGIN_LOCKOUT_SECONDS)
    locked = False
    with transaction.atomic():
        for key, limit in keys(username, ip):
            row, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key)
            if now - row.window_start > window:
                row.failures, row.window_start = 0, now
            row.failures += 1
            if row.failures >= limit:
                row.locked_until, row.failures, row.window_start = now + window, 0, now
                locked = True
                audit.record("lockout", object_type="accounts.user", changes={"key": key})
            row.save()
    return locked


def succeeded(username: str) -> None:
    LoginThrottle.objects.filter(key=f"user:{username.strip().lower()}").delete()
