"""Login: password then TOTP for enrolled accounts, forced enrolment, recovery codes, lockout, idle expiry."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.urls import reverse

from aigaq.accounts import twofactor
from aigaq.accounts.models import TOTPDevice

from personas import PASSWORD, TOTP_SECRET

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


def _password(client, username, password=PASSWORD, ip="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_editor_needs_the_code_after_the_password(client, erin):
    r = _password(client, "erin")
    assert r.status_code == 302 and r["Location"].startswith(CODE)
    assert not _logged_in(client)
    assert client.get(reverse("registry:person-list")).status_code == 302  # still not in
    r = client.post(CODE, {"code": "000000" if pyotp.TOTP(TOTP_SECRET).now() != "000000" else "111111"})
    assert not _logged_in(client)
    r = client.post(CODE, {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert r.status_code == 302 and _logged_in(client)


def test_a_code_is_accepted_once(client, erin, db):
    device = TOTPDevice.objects.get(user=erin)
    code = pyotp.TOTP(TOTP_SECRET).now()
    assert twofactor.verify_code(device, code)
    assert not twofactor.verify_code(TOTPDevice.objects.get(user=erin), code)  # replay


def test_recovery_codes_work_once(client, erin):
    codes = twofactor.new_recovery_codes(erin)
    assert len(codes) == 10 and len(set(codes)) == 10
    _password(client, "erin")
    client.post(CODE, {"code": codes[0].upper()})
    assert _logged_in(client)
    client.logout()
    _password(client, "erin")
    client.post(CODE, {"code": codes[0]})
    assert not _logged_in(client)


def test_admin_without_two_factor_must_enrol_first(client, django_user_model):
    admin = django_user_model.objects.create_user("adam", password=PASSWORD, role="admin")
    _password(client, "adam")
    assert _logged_in(client)
    r = client.get(reverse("registry:person-list"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:2fa-setup")
    page = client.get(reverse("accounts:2fa-setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    secret = TOTPDevice.objects.get(user=admin).secret
    assert secret.encode() in page.content  # the manual key
    r = client.post(reverse("accounts:2fa-setup"), {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 200 and len(r.context["codes"]) == 10
    assert client.get(reverse("registry:person-list")).status_code == 200


def test_admin_session_without_two_factor_gets_no_api(client, django_user_model):
    django_user_model.objects.create_user("adam", password=PASSWORD, role="admin")
    _password(client, "adam")
    assert client.get("/api/v1/persons").status_code == 403


def test_volunteer_may_skip_two_factor(client, victor):
    _password(client, "victor")
    assert _logged_in(client)
    assert client.get(reverse("registry:person-list")).status_code == 200


def test_five_failures_lock_the_username_with_a_clear_message(client, victor):
    for _ in range(4):
        r = _password(client, "victor", "wrong password")
        assert b"Too many" not in r.content
    r = _password(client, "victor", "wrong password")
    assert b"Too many failed attempts" in r.content
    r = _password(client, "victor", ip="198.51.100.77")  # right password, other address: still locked
    assert not _logged_in(client) and b"Too many failed attempts" in r.content


def test_lock_expires(client, victor, settings):
    settings.AIGAQ_LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(5):
        _password(client, "victor", "wrong password")
    assert not _logged_in(_password(client, "victor") and client)
    time.sleep(1.2)
    _password(client, "victor")
    assert _logged_in(client)


def test_one_address_trying_many_usernames_is_locked(client, victor, settings):
    settings.AIGAQ_LOGIN_IP_MAX_FAILURES = 3
    for name in ("a1", "a2", "a3"):
        _password(client, name, "x", ip="192.0.2.5")
    r = _password(client, "victor", ip="192.0.2.5")
    assert not _logged_in(client) and b"Too many failed attempts" in r.content
    _password(client, "victor", ip="192.0.2.6")
    assert _logged_in(client)


def test_wrong_codes_count_towards_the_lock(client, erin):
    for _ in range(5):
        _password(client, "erin")
        client.post(CODE, {"code": "123"})
    r = _password(client, "erin")
    assert b"Too many failed attempts" in r.content


def test_idle_sessions_expire(client, victor, settings):
    settings.AIGAQ_IDLE_SECONDS = 1
    client.force_login(victor)
    assert client.get(reverse("registry:person-list")).status_code == 200
    session = client.session
    session["aigaq_last_seen"] = int(time.time()) - 5
    session.save()
    r = client.get(reverse("registry:person-list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    assert not _logged_in(client)


@pytest.mark.parametrize("weak", ["short1A!", "password1234", "31415926535897"])
def test_weak_passwords_are_refused(victor, weak):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(weak, victor)


def test_secret_is_encrypted_at_rest(erin):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM accounts_totpdevice")
        (raw,) = cur.fetchone()
    assert raw.startswith("aq1:") and TOTP_SECRET not in raw


def test_pages_send_a_strict_content_security_policy(client):
    r = client.get(reverse("accounts:login"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
