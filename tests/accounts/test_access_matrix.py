"""Every URL and API operation, for each role and the anonymous public, gets exactly what the policy allows.

The cases are generated from the URL configuration (and the API's operations), not listed by
hand: a URL added without a rule in aigaq.accounts.policy makes test_every_url_has_a_rule fail
naming it, and its matrix cases expect it to be denied to everyone.
"""

from __future__ import annotations

import sys
import types

import pytest
from django.apps import apps
from django.urls import reverse

from aigaq.accounts import policy, urlrules
from aigaq.accounts.models import ApiToken, Role

ROLES = ["admin", "editor", "volunteer", "viewer", "anonymous"]
PERSONA = {"admin": "alice", "editor": "erin", "volunteer": "victor", "viewer": "wendy"}
ROUTES = urlrules.routes()


def test_every_url_has_a_rule():
    assert urlrules.missing_rules() == [], "add these to aigaq.accounts.policy"


def test_a_new_url_without_a_rule_is_reported_and_denied(settings, client, alice, monkeypatch):
    from django.http import HttpResponse
    from django.urls import path

    from aigaq.urls import urlpatterns as site

    extra = types.ModuleType("aigaq_test_urls_extra")
    extra.urlpatterns = [*site, path("extra/", lambda request: HttpResponse("leaked"), name="no-rule-here")]
    monkeypatch.setitem(sys.modules, extra.__name__, extra)
    settings.ROOT_URLCONF = extra.__name__
    assert any("no-rule-here" in m for m in urlrules.missing_rules(extra.__name__))
    client.force_login(alice)
    response = client.get("/extra/")
    assert response.status_code == 403
    assert b"no access rule" in response.content


@pytest.fixture
def world(db, alice, erin, victor, wendy):
    """One object of each record model, recorded by victor (the volunteer), so ids in URLs resolve."""
    from aigaq.registry.models import (
        Event,
        Facility,
        Person,
        PersonName,
        Place,
        Source,
        Testimony,
        TestimonyPerson,
        Witness,
    )

    place = Place.objects.create(code="T-1", level="county", name_en="Test county")
    facility = Facility.objects.create(name="Test camp", place=place)
    person = Person.objects.create(display_name="Test Person", created_by=victor, home_place=place)
    PersonName.objects.create(person=person, text="Test Person", script="Latn")
    witness = Witness.objects.create(full_name="Test Witness", contact="+7 700 000", created_by=victor)
    source = Source.objects.create(title="Own intake")
    testimony = Testimony.objects.create(witness=witness, created_by=victor, source=source)
    TestimonyPerson.objects.create(testimony=testimony, person=person)
    event = Event.objects.create(person=person, type="detained", facility=facility)
    return {"person": person, "facility": facility, "place": place, "witness": witness,
            "testimony": testimony, "event": event, "source": source,
            "users": {"alice": alice, "erin": erin, "victor": victor, "wendy": wendy}}


def _object_for(segment: str, world: dict):
    """The object a URL parameter names, from the path segment before it ('persons' -> a person)."""
    seg = segment.lower().rstrip("s").replace("-", "").replace("_", "")
    if seg.endswith("ie"):
        seg = seg[:-2] + "y"  # testimonies -> testimony, facilities -> facility
    if seg in world:
        return world[seg]
    for model in apps.get_models():
        if model._meta.model_name == seg:
            return model.objects.order_by("pk").first()
    return None


def _url(route: urlrules.Route, world: dict) -> str:
    kwargs = {}
    for conv, name, before in route.params():
        obj = _object_for(before, world)
        if conv == "int":
            kwargs[name] = obj.pk if obj is not None else 1
        elif conv == "uuid":
            kwargs[name] = str(getattr(obj, "uid", "00000000-0000-0000-0000-000000000000"))
        else:
            kwargs[name] = getattr(obj, "sha256", None) or "x"
    if route.name is None:
        pytest.fail(f"URL {route.route} has no name: name it and give it a rule in aigaq.accounts.policy")
    return reverse(route.name, kwargs=kwargs)


def _role(name: str) -> Role | None:
    return None if name == "anonymous" else Role(name)


def _denied_html(response) -> str | None:
    if response.status_code == 403:
        return "403"
    # The policy sends the anonymous to log in with ?next=; a view's own redirect has no `next`.
    if response.status_code == 302 and response.get("Location", "").startswith(
            reverse("accounts:login") + "?next="):
        return "login"
    return None


CASES = [(r, role) for r in ROUTES for role in ROLES]


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r.method or 'GET'} {r.route} {role}" for r, role in CASES])
def test_access_matrix(route, role, world, client):
    allowed = policy.allows(_role(role), route.rule)
    url = _url(route, world)
    headers = {}
    if role != "anonymous":
        user = world["users"][PERSONA[role]]
        if route.operation:
            _, raw = ApiToken.issue(user, scopes="read write")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.force_login(user)
    if route.operation:
        method = route.method.lower()
        kw = {"data": "{}", "content_type": "application/json"} if method in ("post", "put", "patch") else {}
        response = getattr(client, method)(url, **kw, **headers)
        status = response.status_code
        if allowed:
            assert status not in (401, 403) and status < 500, f"{role} should reach {route.operation}: {status}"
        elif role == "anonymous":
            assert status == 401, f"anonymous should get 401 from {route.operation}, got {status}"
        else:
            assert status == 403, f"{role} should get 403 from {route.operation}, got {status}"
        return
    response = client.get(url)
    denied = _denied_html(response)
    if allowed:
        assert denied is None and response.status_code < 500, (
            f"{role} should reach {route.name}: {response.status_code} {response.get('Location', '')}")
    elif role == "anonymous":
        assert denied == "login", f"anonymous should be sent to log in from {route.name}: {response.status_code}"
    else:
        assert denied == "403", f"{role} should get 403 from {route.name}: {response.status_code}"
