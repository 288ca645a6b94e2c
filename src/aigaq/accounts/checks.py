"""Aigaq's own deployment checks, run by `aigaq check --deploy` next to Django's.

Each returns warnings (W) that make `check --deploy` exit non-zero: a production instance must
have none. Django's own deployment checks cover DEBUG, secure cookies, HSTS, SSL redirect and a
weak SECRET_KEY; these cover what is specific to Aigaq.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register

CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
POLICY_MIDDLEWARE = "aigaq.accounts.middleware.AccessPolicyMiddleware"
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "*"}


@register(Tags.security, deploy=True)
def check_debug_and_hosts(app_configs=None, **kw) -> list[Warning]:
    found = []
    if settings.DEBUG:
        found.append(Warning("AIGAQ_DEBUG is on: error pages show code, settings and data.",
                             hint="Unset AIGAQ_DEBUG in production.", id="aigaq.W001"))
    hosts = settings.ALLOWED_HOSTS
    if not hosts or any(h in ("*", ".") for h in hosts):
        found.append(Warning(f"ALLOWED_HOSTS is {hosts!r}: name the host(s) this instance serves.",
                             hint="Set AIGAQ_ALLOWED_HOSTS=records.example.org.", id="aigaq.W002"))
    return found


@register(Tags.security, deploy=True)
def check_cookies_and_transport(app_configs=None, **kw) -> list[Warning]:
    found = []
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        found.append(Warning("Session and CSRF cookies may travel without TLS.",
                             hint="Set AIGAQ_SECURE_COOKIES=1 (and serve over HTTPS).", id="aigaq.W003"))
    if settings.SECURE_HSTS_SECONDS < 31536000:
        found.append(Warning(f"HSTS is {settings.SECURE_HSTS_SECONDS} seconds: browsers may be talked "
                             "into plain HTTP.", hint="Set AIGAQ_HSTS_SECONDS=31536000.", id="aigaq.W004"))
    return found


@register(Tags.security, deploy=True)
def check_csp(app_configs=None, **kw) -> list[Warning]:
    csp = getattr(settings, "SECURE_CSP", {}) or {}
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE or not csp:
        return [Warning("No Content-Security-Policy header is sent.",
                        hint=f"Keep {CSP_MIDDLEWARE} in MIDDLEWARE and SECURE_CSP set.", id="aigaq.W005")]
    script = csp.get("script-src", csp.get("default-src", []))
    if UNSAFE & set(script) or not csp.get("default-src"):
        return [Warning("The Content-Security-Policy allows inline or foreign scripts.",
                        hint="script-src must be 'self' only.", id="aigaq.W006")]
    return []


@register(Tags.security, deploy=True)
def check_policy_middleware(app_configs=None, **kw) -> list[Warning]:
    if POLICY_MIDDLEWARE not in settings.MIDDLEWARE:
        return [Warning("The access-policy middleware is not installed: pages are not protected.",
                        id="aigaq.W007")]
    return []


def _key_problem(label: str, path: Path, env: str = "") -> Warning | None:
    if env and os.environ.get(env):
        return None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return Warning(f"{label} {path} is missing.", hint="Run `aigaq init`, or restore it from a backup.",
                       id="aigaq.W008")
    if mode & 0o077:
        return Warning(f"{label} {path} can be read by other users (mode {mode:o}).",
                       hint=f"chmod 600 {path}", id="aigaq.W009")
    return None


@register(Tags.security, deploy=True)
def check_keys(app_configs=None, **kw) -> list[Warning]:
    from aigaq.audit.chain import audit_key_path
    from aigaq.core.crypto import field_key_path
    from aigaq.core.keys import instance_key_path

    found = [w for w in (
        _key_problem("Instance key", instance_key_path()),
        _key_problem("Field key", field_key_path(), "AIGAQ_FIELD_KEY"),
        _key_problem("Audit key", audit_key_path(), "AIGAQ_AUDIT_KEY"),
    ) if w]
    if not os.environ.get("AIGAQ_SECRET_KEY"):
        w = _key_problem("Secret key file", settings.KEYS_DIR / "django-secret", "AIGAQ_SECRET_KEY")
        if w:
            found.append(w)
    if len(settings.SECRET_KEY) < 50 or settings.SECRET_KEY.startswith("django-insecure"):
        found.append(Warning("SECRET_KEY is short or a default.", hint="Unset AIGAQ_SECRET_KEY to use a "
                             "generated one, or give 50+ random characters.", id="aigaq.W010"))
    return found
