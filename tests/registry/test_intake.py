"""The intake screen: one testimony, its witness, its victims and their events, saved all or nothing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from personas import PASSWORD

URL = "/staff/intake/"


class FormFields(HTMLParser):
    """What a browser without JavaScript would submit from the page's intake form (no button)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "intake-form":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("type") not in ("submit", "button") and "name" in a:
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.fields.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the one newline that follows <textarea>.
            self.fields[self._textarea] += data.removeprefix("\n") if not self.fields[self._textarea] else data


def page_fields(response) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.fields


WITNESS = {
    "full_name": "Гүлнар Әбдірахманқызы", "gender": "f", "contact": "+7 701 555 0101",
    "address": "Алматы", "publication": "internal", "internal_notes": "",
}
TESTIMONY = {
    "recorded_on": "2019-05-14", "language": "kk", "place_recorded": "KZ-75", "title": "Ерім мен інім туралы",
    "summary": "Ерім 2017 жылы лагерьге алынды.", "transcript": "", "publication": "internal",
}
VICTIM = {
    "existing": "", "names": "", "relationship": "other", "gender": "", "ethnicity": "", "birth_year_min": "",
    "birth_year_max": "", "home_place": "", "occupation": "", "citizenship": "", "publication": "internal",
}
EVENT = {"type": "", "date": "", "place": "", "facility": "", "sentence_months": "", "charge": "", "description": ""}


def intake_data(victims: list[dict], action: str = "save", witness=None, testimony=None) -> dict[str, str]:
    data = {f"witness-{k}": v for k, v in {**WITNESS, **(witness or {})}.items()}
    data.update({f"testimony-{k}": v for k, v in {**TESTIMONY, **(testimony or {})}.items()})
    data.update({"victims-TOTAL_FORMS": str(len(victims)), "victims-INITIAL_FORMS": "0"})
    for i, victim in enumerate(victims):
        victim = dict(victim)
        events = victim.pop("events", [])
        data.update({f"victims-{i}-{k}": str(v) for k, v in {**VICTIM, **victim}.items()})
        prefix = f"victims-{i}-events"
        data.update({f"{prefix}-TOTAL_FORMS": str(len(events)), f"{prefix}-INITIAL_FORMS": "0"})
        for j, event in enumerate(events):
            data.update({f"{prefix}-{j}-{k}": str(v) for k, v in {**EVENT, **event}.items()})
    data[action] = "1"
    return data


@pytest.fixture
def volunteer_client(client, victor, gazetteer):
    assert client.login(username="victor", password=PASSWORD)
    return client


@pytest.fixture
def camp(db):
    from aigaq.registry.models import Facility, Place

    return Facility.objects.create(name="Yining No. 3 camp", kind="camp", place=Place.objects.get(code="654002"))


def counts() -> dict[str, int]:
    from aigaq.registry.models import Event, Person, PersonName, Testimony, TestimonyPerson, Witness

    return {m.__name__: m.objects.count() for m in (Witness, Testimony, Person, PersonName, Event, TestimonyPerson)}


NOTHING = {"Witness": 0, "Testimony": 0, "Person": 0, "PersonName": 0, "Event": 0, "TestimonyPerson": 0}


def two_victims(camp) -> list[dict]:
    return [
        {
            "names": "Қайрат Самарқан\n凯拉特·萨马尔汗", "relationship": "spouse", "gender": "m", "ethnicity": "kazakh",
            "birth_year_min": "1978", "birth_year_max": "1979", "home_place": "654002",
            "events": [
                {"type": "detained", "date": "October 2017", "facility": camp.pk, "place": "654002"},
                {"type": "released", "date": "2018-10"},
            ],
        },
        {
            "names": "Нұрлан Серікұлы", "relationship": "sibling", "gender": "m", "ethnicity": "kazakh",
            "home_place": "Құлжа ауданы",
            "events": [
                {"type": "sentenced", "date": "12.03.2019", "sentence_months": "120",
                 "charge": "Инцитирование экстремизма", "place": "654021"},
            ],
        },
    ]


def test_a_volunteer_records_a_testimony_with_two_victims_and_three_events(volunteer_client, victor, camp):
    from aigaq.registry.models import Event, Person, Testimony, Witness

    response = volunteer_client.post(URL, intake_data(two_victims(camp)))

    testimony = Testimony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:testimony-detail", args=[testimony.pk])
    assert counts() == {"Witness": 1, "Testimony": 1, "Person": 2, "PersonName": 3, "Event": 3, "TestimonyPerson": 2}

    witness = Witness.objects.get()
    assert testimony.witness == witness and witness.full_name == "Гүлнар Әбдірахманқызы"
    assert witness.created_by == victor and testimony.created_by == victor
    assert testimony.place_recorded.code == "KZ-75" and str(testimony.recorded_on) == "2019-05-14"

    kairat = Person.objects.get(display_name="Қайрат Самарқан")
    assert sorted(n.text for n in kairat.names.all()) == ["Қайрат Самарқан", "凯拉特·萨马尔汗"]
    assert {n.text: n.script for n in kairat.names.all()} == {"Қайрат Самарқан": "Cyrl", "凯拉特·萨马尔汗": "Hans"}
    assert all(n.testimony == testimony for n in kairat.names.all())
    assert (kairat.birth_year_min, kairat.birth_year_max, kairat.home_place.code) == (1978, 1979, "654002")
    assert kairat.created_by == victor
    # Derived: detained in 2017, then released: status "released", first detention 2017.
    assert kairat.status == "released" and kairat.detention_year == 2017
    assert str(kairat.status_since) == "2018-10-01"
    detained = kairat.events.get(type="detained")
    assert detained.facility == camp and detained.date_precision == "month" and detained.place.code == "654002"

    nurlan = Person.objects.get(display_name="Нұрлан Серікұлы")
    assert nurlan.home_place.code == "654021"  # typed as its Kazakh name
    assert nurlan.status == "imprisoned" and nurlan.detention_year == 2019
    sentence = nurlan.events.get()
    assert (sentence.sentence_months, sentence.charge, str(sentence.date_start)) == (120, "Инцитирование экстремизма", "2019-03-12")

    # Every statement points at its support, and the witness's relationship is kept.
    assert all(list(e.testimonies.all()) == [testimony] for e in Event.objects.all())
    assert dict(testimony.links.values_list("person__display_name", "relationship")) == {
        "Қайрат Самарқан": "spouse", "Нұрлан Серікұлы": "sibling",
    }

    page = volunteer_client.get(response["Location"])
    assert "Testimony saved with 2 persons." in page.content.decode()


def test_an_existing_person_is_linked_not_duplicated(volunteer_client, camp):
    from aigaq.registry import record
    from aigaq.registry.models import Person, Testimony

    known = record.create_person(["Серік Жұмабай"], ethnicity="kazakh")
    victims = [{"existing": known.pk, "names": "Серик Жумабаев\nСерік Жұмабай", "relationship": "parent",
                "occupation": "teacher", "events": [{"type": "detained", "date": "2018", "facility": camp.pk}]}]
    response = volunteer_client.post(URL, intake_data(victims))

    assert response.status_code == 302
    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert sorted(known.names.values_list("text", flat=True)) == ["Серик Жумабаев", "Серік Жұмабай"]
    assert known.occupation == "teacher"  # was empty: filled in
    assert known.status == "detained" and known.detention_year == 2018
    assert Testimony.objects.get().links.get().person == known


def test_an_unknown_or_repeated_existing_person_is_refused(volunteer_client):
    from aigaq.registry import record

    known = record.create_person(["Серік Жұмабай"])
    r = volunteer_client.post(URL, intake_data([{"existing": 99999}]))
    assert "No person has the ID 99999" in r.content.decode()
    r = volunteer_client.post(URL, intake_data([{"existing": known.pk}, {"existing": known.pk}]))
    assert f"Person {known.pk} is listed twice" in r.content.decode()
    assert counts() == {**NOTHING, "Person": 1, "PersonName": 1}


def test_add_victim_without_javascript_keeps_what_was_typed(volunteer_client, camp):
    from aigaq.registry.models import Person

    first = two_victims(camp)[:1]
    response = volunteer_client.post(URL, intake_data(first, action="add_victim"))

    assert response.status_code == 200
    assert counts() == NOTHING  # a round trip saves nothing and complains about nothing
    html = response.content.decode()
    assert "Nothing was saved" not in html and "errorlist" not in html
    fields = page_fields(response)
    assert fields["victims-TOTAL_FORMS"] == "2"
    assert fields["witness-full_name"] == "Гүлнар Әбдірахманқызы"
    assert fields["witness-contact"] == "+7 701 555 0101"
    assert fields["testimony-recorded_on"] == "2019-05-14" and fields["testimony-language"] == "kk"
    assert fields["victims-0-names"] == "Қайрат Самарқан\n凯拉特·萨马尔汗"
    assert fields["victims-0-relationship"] == "spouse" and fields["victims-0-home_place"] == "654002"
    assert fields["victims-0-events-TOTAL_FORMS"] == "2"
    assert fields["victims-0-events-0-date"] == "October 2017"
    assert fields["victims-0-events-0-facility"] == str(camp.pk)
    assert fields["victims-1-names"] == "" and fields["victims-1-events-TOTAL_FORMS"] == "0"
    assert 'id="id_victims-1-existing"' in html and "autofocus" in html.split('id="id_victims-1-existing"')[0][-300:]

    # The volunteer fills the new victim, adds an event for them (another round trip), and saves.
    fields["victims-1-names"] = "Нұрлан Серікұлы"
    fields["victims-1-relationship"] = "sibling"
    response = volunteer_client.post(URL, {**fields, "add_event": "1"})
    fields = page_fields(response)
    assert fields["victims-1-events-TOTAL_FORMS"] == "1" and fields["victims-1-names"] == "Нұрлан Серікұлы"
    fields.update({"victims-1-events-0-type": "disappeared", "victims-1-events-0-date": "2019"})
    response = volunteer_client.post(URL, {**fields, "save": "1"})

    assert response.status_code == 302, page_fields(response)
    assert counts() == {"Witness": 1, "Testimony": 1, "Person": 2, "PersonName": 3, "Event": 3, "TestimonyPerson": 2}
    assert Person.objects.get(display_name="Нұрлан Серікұлы").status == "disappeared"


def test_enter_in_a_text_field_only_redraws(volunteer_client, camp):
    response = volunteer_client.get(URL)
    html = response.content.decode()
    form = html[html.index('id="intake-form"'):]
    first_button = form[form.index("<button"):form.index("</button>")]
    assert 'name="refresh"' in first_button  # the implicit-submission (Enter) button
    assert 'autofocus' in html.split('name="witness-full_name"')[0][-200:] + html.split('name="witness-full_name"')[1][:200]
    response = volunteer_client.post(URL, intake_data(two_victims(camp), action="refresh"))
    assert response.status_code == 200 and counts() == NOTHING
    assert page_fields(response)["victims-1-names"] == "Нұрлан Серікұлы"


def test_removing_a_victim_renumbers_the_rest(volunteer_client, camp):
    response = volunteer_client.post(URL, {**intake_data(two_victims(camp), action="remove_victim"), "remove_victim": "0"})
    fields = page_fields(response)
    assert fields["victims-TOTAL_FORMS"] == "1"
    assert fields["victims-0-names"] == "Нұрлан Серікұлы"
    assert fields["victims-0-events-0-sentence_months"] == "120"


def test_find_existing_records_offers_matches_to_pick(volunteer_client):
    from aigaq.registry import record

    known = record.create_person(["Нұрлан Серікұлы"])
    response = volunteer_client.post(URL, {**intake_data([{"names": "Нұрлан Серікұлы"}], action="lookup"), "lookup": "0"})
    assert f'name="pick" value="0:{known.pk}"' in response.content.decode()
    fields = page_fields(response)
    response = volunteer_client.post(URL, {**fields, "pick": f"0:{known.pk}"})
    assert page_fields(response)["victims-0-existing"] == str(known.pk)


BAD_INPUT = [
    ("invalid date", {"events": [{"type": "detained", "date": "31.02.2018"}]},
     "“31.02.2018” is not a real date", "id_victims-0-events-0-date"),
    ("unknown place", {"home_place": "Atlantis"},
     "Unknown place “Atlantis”: pick a place from the gazetteer list.", "id_victims-0-home_place"),
    ("empty name", {"names": "   \n  "},
     "Give at least one name for this person, or the ID of an existing person.", "id_victims-0-names"),
    ("overlong name", {"names": "Н" * 201},
     "A name is at most 200 characters; this one has 201.", "id_victims-0-names"),
    ("HTML name", {"names": "<script>alert(1)</script>"},
     "Remove the HTML or script", "id_victims-0-names"),
]


@pytest.mark.parametrize(("case", "victim", "message", "anchor"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_explained_and_nothing_is_written(volunteer_client, case, victim, message, anchor):
    good = {"names": "Қайрат Самарқан", "events": [{"type": "detained", "date": "2017"}]}
    bad = {"names": "Нұрлан Серікұлы", **victim}
    response = volunteer_client.post(URL, intake_data([good, bad] if case != "empty name" else [bad, good]))

    assert response.status_code == 200
    assert counts() == NOTHING
    html = response.content.decode()
    anchor = anchor.replace("victims-0", "victims-1") if case != "empty name" else anchor
    assert message in html
    assert "Nothing was saved: fix this problem." in html
    assert f'href="#{anchor}"' in html  # the summary links to the field
    assert f'id="{anchor}_error"' in html  # and the message sits next to it
    assert "<script>alert(1)</script>" not in html  # whatever was typed comes back escaped
    # What was typed is kept so that only the mistake needs fixing.
    assert "Қайрат Самарқан" in html


def test_html_in_a_witness_name_is_refused(volunteer_client):
    r = volunteer_client.post(URL, intake_data([{"names": "Қайрат"}], witness={"full_name": "<b>Гүлнар</b>"}))
    assert "Remove the HTML or script" in r.content.decode()
    assert 'href="#id_witness-full_name"' in r.content.decode()
    assert counts() == NOTHING


def test_events_without_a_person_are_refused(volunteer_client):
    r = volunteer_client.post(URL, intake_data([{"names": "Қайрат"}, {"events": [{"type": "detained", "date": "2018"}]}]))
    assert "These events have no person" in r.content.decode()
    assert counts() == NOTHING


def test_a_blank_added_victim_or_event_is_ignored(volunteer_client):
    r = volunteer_client.post(URL, intake_data([{"names": "Қайрат", "events": [{}]}, {}]))
    assert r.status_code == 302
    assert counts() == {"Witness": 1, "Testimony": 1, "Person": 1, "PersonName": 1, "Event": 0, "TestimonyPerson": 1}


def test_html_in_a_summary_is_stored_as_text_and_shown_escaped(volunteer_client):
    from aigaq.registry.models import Testimony

    payload = "<script>alert('x')</script><img src=x onerror=alert(2)>"
    r = volunteer_client.post(URL, intake_data([{"names": "Қайрат"}], testimony={"summary": payload}))
    testimony = Testimony.objects.get()
    assert testimony.summary == payload
    html = volunteer_client.get(r["Location"]).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert(" not in html and "<img src=x" not in html


def test_a_viewer_may_not_open_the_intake(client, wendy):
    client.login(username="wendy", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.post(URL, intake_data([{"names": "Қайрат"}])).status_code == 403
    assert counts() == NOTHING


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_intake_page_labels_every_input(volunteer_client, camp):
    html = volunteer_client.post(URL, intake_data(two_victims(camp), action="refresh")).content.decode()
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    ids = [re.search(r'\bid="([^"]+)"', t)[1] for t in tags if 'type="hidden"' not in t and "csrfmiddlewaretoken" not in t]
    assert len(ids) > 40
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_names_in_traditional_characters_kana_or_another_script_are_recorded(volunteer_client):
    # Taiwanese and Hong Kong press write Traditional characters, Japanese press katakana, and a
    # Greek or Georgian article its own letters: each is a name to keep, with its script.
    from aigaq.registry.models import Person

    names = "阿爾斯蘭·阿布都拉\nアルスラン・アブドゥラ\nΑρσλάν Αμπντουλά"
    response = volunteer_client.post(URL, intake_data([{"names": names}]))
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert {n.text: n.script for n in person.names.all()} == {
        "阿爾斯蘭·阿布都拉": "Hant", "アルスラン・アブドゥラ": "Kana", "Αρσλάν Αμπντουλά": "Zyyy",
    }
