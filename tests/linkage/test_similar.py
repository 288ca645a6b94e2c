"""The intake form's warning while typing: GET /staff/persons/similar?name=..."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_similar_names_are_returned_with_links(people, client, victor):
    client.force_login(victor)
    r = client.get("/staff/persons/similar", {"name": "Nurlan Serikuly"})
    assert r.status_code == 200
    found = {x["id"]: x for x in r.json()["results"]}
    assert people["nurlan"].pk in found and people["nurlan_cn"].pk in found
    assert people["alim"].pk not in found
    assert found[people["nurlan"].pk]["url"] == f"/staff/persons/{people['nurlan'].pk}/"
    assert all(x["score"] >= r.json()["threshold"] for x in r.json()["results"])


def test_an_unknown_name_returns_nothing(people, client, victor):
    client.force_login(victor)
    assert client.get("/staff/persons/similar", {"name": "Zzzyx Qwrtp"}).json()["results"] == []


def test_anonymous_visitors_get_no_names(people, client):
    r = client.get("/staff/persons/similar", {"name": "Nurlan"})
    assert r.status_code in (302, 403)


def test_the_intake_form_loads_the_script(client, victor):
    client.force_login(victor)
    html = client.get("/staff/intake/").content.decode()
    assert "linkage/similar.js" in html and 'data-similar-url="/staff/persons/similar"' in html
