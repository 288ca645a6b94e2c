"""Login (password, then a TOTP code when the account has one) and two-factor set-up."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from aigaq.accounts import throttle, twofactor
from aigaq.audit.context import client_ip

PENDING = "aigaq_2fa_pending"  # (user id, backend, time) between the password and the code
PENDING_SECONDS = 300


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return _("Too many failed attempts. Logging in is blocked for about %(n)d minutes.") % {"n": minutes}


class ThrottledLoginForm(AuthenticationForm):
    """Refuses a locked username or address before the password is even checked."""

    def clean(self):
        wait = throttle.locked_for(self.data.get("username", ""), client_ip(self.request))
        if wait:
            self.locked = True
            raise forms.ValidationError(_locked_message(wait), code="locked")
        return super().clean()


@sensitive_post_parameters()
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = ThrottledLoginForm(request, data=request.POST or None)
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), client_ip(request)
        if form.is_valid():
            user = form.get_user()
            if twofactor.confirmed_device(user) is not None:
                # Failures are forgotten only after the second factor: wrong codes keep counting.
                request.session[PENDING] = [user.pk, user.backend, int(time.time())]
                return redirect(f"{reverse('accounts:login-2fa')}?{urlencode({'next': _next(request)})}")
            throttle.succeeded(username)
            login(request, user)
            return redirect(_next(request))
        if not getattr(form, "locked", False) and throttle.failed(username, ip):
            form.add_error(None, _locked_message(settings.AIGAQ_LOGIN_LOCKOUT_SECONDS))
    return render(request, "accounts/login.html", {"form": form, "next": _next(request)})


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}))


@sensitive_post_parameters()
@never_cache
def login_2fa(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending[2] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending[0], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        wait = throttle.locked_for(user.username, ip)
        code = form.cleaned_data["code"]
        device = twofactor.confirmed_device(user)
        if wait:
            request.session.pop(PENDING, None)
            messages.error(request, _locked_message(wait))
            return redirect("accounts:login")
        if device and (twofactor.verify_code(device, code) or twofactor.use_recovery_code(user, code)):
            del request.session[PENDING]
            user.backend = pending[1]
            throttle.succeeded(user.username)
            login(request, user)
            left = twofactor.remaining_recovery_codes(user)
            if left <= 3:
                messages.warning(request, _("Only %(n)d recovery codes left: make new ones.") % {"n": left})
            return redirect(_next(request))
        throttle.failed(user.username, ip)
        from aigaq import audit

        audit.record("login_failed", user, user=user, changes={"step": "second factor"})
        form.add_error("code", _("That code is not right. Use the current code from your app, "
                                 "or one of your recovery codes."))
    return render(request, "accounts/login_2fa.html", {"form": form, "next": _next(request)})


@never_cache
def setup_2fa(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm a first code."""
    user = request.user
    if twofactor.confirmed_device(user) is not None:
        return render(request, "accounts/2fa_done.html", {
            "remaining": twofactor.remaining_recovery_codes(user), "form": CodeForm()})
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm(device, form.cleaned_data["code"])
        if codes is not None:
            from aigaq import audit

            audit.record("2fa_enrol", user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("That code is not right: check the time on your phone and try again."))
    return render(request, "accounts/2fa_setup.html", {
        "form": form, "qr": twofactor.qr_svg(device), "secret": device.secret,
        "required": twofactor.must_enrol(user),
    })


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), against a current code from the app."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:2fa-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and twofactor.verify_code(device, form.cleaned_data["code"]):
        from aigaq import audit

        audit.record("2fa_recovery_codes", request.user)
        return render(request, "accounts/recovery_codes.html",
                      {"codes": twofactor.new_recovery_codes(request.user)})
    if request.method == "POST":
        messages.error(request, _("That code is not right."))
    return redirect("accounts:2fa-setup")
