"""GET/POST /api/v1/persons with a bearer token, and the OpenAPI description."""

import pytest

from aigaq.accounts.models import ApiToken
from aigaq.registry import record
from aigaq.registry.models import Event, Person


@pytest.fixture
def token(erin):
    return ApiToken.issue(erin, scopes="read write")[1]


@pytest.fixture
def read_token(wendy):
    return ApiToken.issue(wendy, scopes="read")[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def nurlan(gazetteer):
    return record.create_person(["Нұрлан Серікұлы", "努尔兰·赛力克"], ethnicity="kazakh")


def test_openapi_description_is_served(client, db):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/persons" in spec["paths"]


def test_interactive_docs_load_only_from_this_instance(client, db):
    # The Content-Security-Policy allows scripts from our own origin only, and an instance may
    # have no internet: the Swagger UI page must use the copies bundled with django-ninja.
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    page = r.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http" not in page.split("<body", 1)[1]  # no script or style from elsewhere
    js = client.get("/static/ninja/swagger-ui-bundle.js")
    assert js.status_code == 200
    assert b"SwaggerUIBundle" in b"".join(js.streaming_content)


def test_anonymous_is_refused(client, db):
    assert client.get("/api/v1/persons?q=x").status_code == 401


def test_revoked_token_is_refused(client, erin):
    tok, raw = ApiToken.issue(erin)
    assert client.get("/api/v1/persons", **auth(raw)).status_code == 200
    tok.revoked_at = tok.created_at
    tok.save()
    assert client.get("/api/v1/persons", **auth(raw)).status_code == 401


def test_search_finds_the_person_and_shows_the_matching_name(client, token, nurlan):
    r = client.get("/api/v1/persons", {"q": "Нұрлан"}, **auth(token))
    assert r.status_code == 200
    body = r.json()
    assert body["results"][0]["id"] == nurlan.pk
    assert body["results"][0]["matched_name"] == "Нұрлан Серікұлы"


def test_filters_combine_with_search(client, token, nurlan):
    r = client.get("/api/v1/persons", {"q": "Нұрлан", "ethnicity": "uyghur"}, **auth(token))
    assert r.json()["results"] == []


def test_create_person_with_events_derives_status(client, token, gazetteer):
    payload = {
        "names": ["Бауыржан Ерланұлы", "巴吾尔江·叶尔兰"],
        "ethnicity": "kazakh", "gender": "m", "home_place": "654021",
        "events": [
            {"type": "detained", "date": "2018-03", "place": "654021"},
            {"type": "sentenced", "date": "12.05.2019", "sentence_months": 120, "charge": "extremism"},
        ],
    }
    r = client.post("/api/v1/persons", payload, content_type="application/json", **auth(token))
    assert r.status_code == 201, r.content
    person = Person.objects.get(pk=r.json()["id"])
    assert person.status == "imprisoned" and person.detention_year == 2018
    assert sorted(person.names.values_list("script", flat=True)) == ["Cyrl", "Hans"]
    assert Event.objects.filter(person=person).count() == 2


@pytest.mark.parametrize(
    "change, field, fragment",
    [
        ({"events": [{"type": "detained", "date": "2018-02-30"}]}, "events[0].date", "not a real date"),
        ({"events": [{"type": "detained", "date": "2018", "place": "999999"}]}, "events[0].place", "Unknown place"),
        ({"names": ["   "]}, "names[0].text", "empty"),
        ({"names": ["N" * 201]}, "names[0].text", "at most 200"),
        ({"names": ["<script>alert(1)</script>"]}, "names[0].text", "plain text"),
        ({"home_place": "nowhere"}, "home_place", "Unknown place"),
        ({"events": [{"type": "beheaded", "date": "2018"}]}, "events[0].type", "not one of the available choices"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(client, token, gazetteer, change, field, fragment):
    payload = {"names": ["Асқар Бекұлы"], **change}
    r = client.post("/api/v1/persons", payload, content_type="application/json", **auth(token))
    assert r.status_code == 422, r.content
    errors = r.json()["errors"]
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert Person.objects.count() == 0


def test_read_only_token_cannot_create(client, read_token, gazetteer):
    r = client.post("/api/v1/persons", {"names": ["X Y"]}, content_type="application/json", **auth(read_token))
    assert r.status_code == 403
    assert Person.objects.count() == 0
