"""API tokens: scopes are enforced and revoked tokens are refused."""

from __future__ import annotations

from django.core.management import call_command

from aigaq.accounts.models import ApiToken

PERSON = {"names": ["Nurlan Serikuly"], "ethnicity": "kazakh"}


def _post(client, raw):
    return client.post("/api/v1/persons", PERSON, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}")


def _get(client, raw):
    return client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_read_token_reads_but_cannot_write(client, erin):
    _, raw = ApiToken.issue(erin, scopes="read")
    assert _get(client, raw).status_code == 200
    r = _post(client, raw)
    assert r.status_code == 403 and "write" in r.json()["detail"]


def test_write_token_writes(client, erin):
    _, raw = ApiToken.issue(erin, scopes="read write")
    assert _post(client, raw).status_code == 201


def test_a_viewer_token_with_write_scope_still_cannot_write(client, wendy):
    _, raw = ApiToken.issue(wendy, scopes="read write")
    assert _post(client, raw).status_code == 403


def test_revoked_tokens_are_refused(client, erin, capsys):
    token, raw = ApiToken.issue(erin, scopes="read")
    assert _get(client, raw).status_code == 200
    call_command("token", "revoke", token.prefix)
    assert _get(client, raw).status_code == 401


def test_tokens_of_deactivated_users_are_refused(client, erin):
    _, raw = ApiToken.issue(erin, scopes="read")
    erin.is_active = False
    erin.save()
    assert _get(client, raw).status_code == 401


def test_no_token_no_data(client, db):
    assert client.get("/api/v1/persons").status_code == 401
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer aiq_forged").status_code == 401
