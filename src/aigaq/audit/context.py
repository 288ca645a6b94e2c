"""Who is acting, from where: the current request (web) or the OS user (commands)."""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_request: ContextVar[Any] = ContextVar("aigaq_audit_request", default=None)


@contextlib.contextmanager
def bound_request(request: Any) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def client_ip(request: Any) -> str:
    """The client's address; behind a trusted proxy, the last hop it added to X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def current() -> tuple[Any, str, str]:
    """(user or None, actor label, where) for the action being recorded."""
    request = _request.get()
    if request is None:
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = "unknown"
        return None, f"cli:{who}", "cli"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        token = getattr(request, "api_token", None)
        label = user.username + (f" (token {token.prefix}…)" if token is not None else "")
        return user, label, client_ip(request)
    return None, "anonymous", client_ip(request)
