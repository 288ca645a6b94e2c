"""Enforces aigaq.accounts.policy on every request; expires idle sessions; forces 2FA enrolment."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from aigaq.accounts import policy
from aigaq.accounts.ninja_ops import operation_name, path_view_of

IDLE_KEY = "aigaq_last_seen"
# Pages that a user who must enrol in two-factor login may still reach.
ENROLMENT_PAGES = {"accounts:2fa-setup", "accounts:2fa-recovery-codes", "accounts:logout"}


def _is_api(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and "api" in match.namespaces) or request.path.startswith("/api/")


def _deny(request: HttpRequest, anonymous: bool, reason: str) -> HttpResponse:
    if _is_api(request):
        status = 401 if anonymous else 403
        return JsonResponse({"detail": reason}, status=status)
    if anonymous:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    return HttpResponse(reason, status=403, content_type="text/plain; charset=utf-8")


class AccessPolicyMiddleware:
    """Every view is reached only if its URL name has a rule in policy.URL_RULES that allows the user.

    API operations are checked again, with the token's scopes, in aigaq.api.auth after the
    token has been authenticated; here they only need to have a rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from aigaq.audit.context import bound_request

        expired = self._expire_idle(request)
        if expired is not None:
            return expired
        with bound_request(request):
            return self.get_response(request)

    def _expire_idle(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        if last is not None and now - last > settings.AIGAQ_IDLE_SECONDS:
            logout(request)
            if _is_api(request):
                return None  # the API then answers 401 itself
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if last is None or now - last > 60:  # one session write a minute at most
            request.session[IDLE_KEY] = now
        return None

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        url_name = match.view_name if match else None
        user = request.user
        role = policy.role_of(user)
        if path_view_of(view_func) is not None:
            op = operation_name(view_func, request.method or "GET")
            if op is None:
                return None  # ninja answers 405 itself
            if policy.api_rule(op) is None:
                return _deny(request, role is None, f"no access rule for API operation {op!r} "
                             "(add it to aigaq.accounts.policy.API_RULES)")
            return None  # enforced with token scopes in aigaq.api.auth
        rule = policy.url_rule(url_name)
        if rule is None:
            return _deny(request, role is None, f"no access rule for URL {url_name!r} "
                         "(add it to aigaq.accounts.policy.URL_RULES)")
        if role is not None and rule != policy.PUBLIC and url_name not in ENROLMENT_PAGES:
            from aigaq.accounts.twofactor import must_enrol

            if must_enrol(user):
                return redirect("accounts:2fa-setup")
        if policy.allows(role, rule):
            return None
        return _deny(request, role is None, _("You do not have permission to see this page."))
