"""Staff pages: log in, person list (search, filters, pages), person, testimony and facility pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from personas import PASSWORD


def login(client, username: str):
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def record_set(gazetteer, victor):
    """Three persons: two Kazakhs from Ili (one detained in a camp in 2017), one Uyghur from Kashgar."""
    from aigaq.registry import record
    from aigaq.registry.models import Event, Facility, Place, Testimony, TestimonyPerson, Witness

    camp = Facility.objects.create(name="Yining No. 3 camp", kind="camp", place=Place.objects.get(code="654002"))
    prison = Facility.objects.create(name="Kashgar prison", kind="prison", place=Place.objects.get(code="653101"))
    kairat = record.create_person(["Қайрат Самарқан", "凯拉特·萨马尔汗"], ethnicity="kazakh",
                                  home_place=Place.objects.get(code="654002"), created_by=victor)
    nurlan = record.create_person(["Нұрлан Серікұлы"], ethnicity="kazakh", home_place=Place.objects.get(code="654021"),
                                  created_by=victor)
    alim = record.create_person(["Alim Tursun"], ethnicity="uyghur", home_place=Place.objects.get(code="653101"),
                                created_by=victor)
    witness = Witness.objects.create(full_name="Гүлнар", contact="+7 701 555 0101", created_by=victor)
    testimony = Testimony.objects.create(witness=witness, title="Ерім туралы", recorded_on=date(2019, 5, 14),
                                         summary="Ерім лагерьде.", created_by=victor)
    TestimonyPerson.objects.create(testimony=testimony, person=kairat, relationship="spouse")
    detained = Event.objects.create(person=kairat, type="detained", date_start=date(2017, 10, 1),
                                    date_end=date(2017, 10, 31), date_precision="month", facility=camp)
    detained.testimonies.add(testimony)
    Event.objects.create(person=alim, type="sentenced", date_start=date(2018, 1, 1), date_end=date(2018, 12, 31),
                         date_precision="year", facility=prison, sentence_months=121, charge="separatism")
    for p in (kairat, nurlan, alim):
        record.events_changed(p)
    return {"kairat": kairat, "nurlan": nurlan, "alim": alim, "camp": camp, "prison": prison, "testimony": testimony}


def names_listed(response) -> list[str]:
    return re.findall(r'<td><a href="/staff/persons/\d+/">([^<]+)</a>', response.content.decode())


# --- log in --------------------------------------------------------------------------------------


def test_every_staff_page_asks_an_anonymous_visitor_to_log_in(client, record_set):
    pages = [
        reverse("registry:person-list"), reverse("registry:person-detail", args=[record_set["kairat"].pk]),
        reverse("registry:testimony-detail", args=[record_set["testimony"].pk]),
        reverse("registry:facility-list"), reverse("registry:facility-detail", args=[record_set["camp"].pk]),
        reverse("registry:intake"), reverse("registry:person-edit", args=[record_set["kairat"].pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_the_login_page_is_labelled(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "<h1>Log in</h1>" in html
    assert 'for="id_username"' in html and 'for="id_password"' in html


# --- person list ------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Alim Tursun", "Нұрлан Серікұлы", "Қайрат Самарқан"]),
    ("ethnicity=kazakh", ["Нұрлан Серікұлы", "Қайрат Самарқан"]),
    ("status=imprisoned", ["Alim Tursun"]),
    ("status=detained", ["Қайрат Самарқан"]),
    ("place=654000", ["Нұрлан Серікұлы", "Қайрат Самарқан"]),  # the prefecture holds both counties
    ("place=654021", ["Нұрлан Серікұлы"]),
    ("year=2017", ["Қайрат Самарқан"]),
    ("year=2018&ethnicity=uyghur", ["Alim Tursun"]),
    ("year=2018&ethnicity=kazakh", []),
])
def test_list_filters(client, wendy, record_set, query, expected):
    login(client, "wendy")
    if "facility" in query:
        query = query.format(**{k: v.pk for k, v in record_set.items()})
    response = client.get(f"{reverse('registry:person-list')}?{query}")
    assert sorted(names_listed(response)) == expected


def test_list_filter_by_facility(client, wendy, record_set):
    login(client, "wendy")
    response = client.get(reverse("registry:person-list"), {"facility": record_set["prison"].pk})
    assert names_listed(response) == ["Alim Tursun"]
    assert f'<option value="{record_set["prison"].pk}" selected>' in response.content.decode()


def test_search_shows_the_name_that_matched(client, wendy, record_set):
    login(client, "wendy")
    response = client.get(reverse("registry:person-list"), {"q": "凯拉特"})
    html = response.content.decode()
    assert names_listed(response) == ["Қайрат Самарқан"]
    assert "Matched name" in html and "<td>凯拉特·萨马尔汗</td>" in html


def test_search_and_filters_combine(client, wendy, record_set):
    login(client, "wendy")
    response = client.get(reverse("registry:person-list"), {"q": "Нұрлан", "ethnicity": "uyghur"})
    assert names_listed(response) == []
    response = client.get(reverse("registry:person-list"), {"q": "Нұрлан", "ethnicity": "kazakh"})
    assert names_listed(response) == ["Нұрлан Серікұлы"]


def test_filters_survive_pagination(client, wendy, db):
    from aigaq.registry.models import Person

    Person.objects.bulk_create(Person(display_name=f"Person {i:03}", ethnicity="kazakh") for i in range(60))
    Person.objects.bulk_create(Person(display_name=f"Other {i:03}", ethnicity="uyghur") for i in range(5))
    login(client, "wendy")
    response = client.get(reverse("registry:person-list"), {"ethnicity": "kazakh"})
    html = response.content.decode()
    assert len(names_listed(response)) == 50 and "60 persons found." in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html)[1].replace("&amp;", "&")
    assert "ethnicity=kazakh" in next_link and "page=2" in next_link
    response = client.get(reverse("registry:person-list") + next_link)
    assert names_listed(response) == [f"Person {i:03}" for i in range(50, 60)]
    prev_link = re.search(r'<a href="([^"]+)" rel="prev">', response.content.decode())[1].replace("&amp;", "&")
    assert "ethnicity=kazakh" in prev_link and "page=1" in prev_link


# --- person page and edits -------------------------------------------------------------------


def test_person_page_shows_names_timeline_testimonies_and_status(client, wendy, record_set):
    login(client, "wendy")
    kairat = record_set["kairat"]
    html = client.get(kairat.get_absolute_url()).content.decode()
    assert "凯拉特·萨马尔汗" in html and "Chinese characters" in html and "Cyrillic" in html
    assert "2017-10" in html and "Detained in a camp" in html and "Yining No. 3 camp" in html
    assert reverse("registry:testimony-detail", args=[record_set["testimony"].pk]) in html
    assert "relationship: Spouse" in html
    assert "<strong>Detained</strong>" in html
    # A viewer is not offered the edit links.
    assert reverse("registry:person-edit", args=[kairat.pk]) not in html
    alim_html = client.get(record_set["alim"].get_absolute_url()).content.decode()
    assert "121 months" in alim_html and "separatism" in alim_html


def test_a_viewer_may_not_open_edit_pages(client, wendy, record_set):
    login(client, "wendy")
    kairat = record_set["kairat"]
    event = kairat.events.get()
    for url in [reverse("registry:person-edit", args=[kairat.pk]), reverse("registry:name-add", args=[kairat.pk]),
                reverse("registry:event-add", args=[kairat.pk]), reverse("registry:event-edit", args=[event.pk]),
                reverse("registry:facility-create")]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"ethnicity": "other"}).status_code == 403, url
    kairat.refresh_from_db()
    assert kairat.ethnicity == "kazakh"


def test_a_volunteer_edits_only_the_records_they_created(client, django_user_model, record_set):
    django_user_model.objects.create_user(username="vera", password=PASSWORD, role="volunteer")
    login(client, "vera")
    kairat = record_set["kairat"]
    event = kairat.events.first()
    for url in (reverse("registry:person-edit", args=[kairat.pk]), reverse("registry:event-add", args=[kairat.pk]),
                reverse("registry:event-edit", args=[event.pk])):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("registry:name-add", args=[kairat.pk]), {"name-text": "Kairat Samarkan"})
    assert response.status_code == 403
    assert not kairat.names.filter(text="Kairat Samarkan").exists()


def test_edit_person_details(client, erin, record_set):
    login(client, "erin")
    nurlan = record_set["nurlan"]
    url = reverse("registry:person-edit", args=[nurlan.pk])
    html = client.get(url).content.decode()
    assert 'value="654021"' in html  # the home place is shown as its gazetteer code
    response = client.post(url, {"gender": "m", "ethnicity": "kazakh", "birth_year_min": "1985",
                                 "birth_year_max": "1984", "home_place": "654021", "publication": "internal"})
    assert "The latest birth year is before the earliest." in response.content.decode()
    response = client.post(url, {"gender": "m", "ethnicity": "kazakh", "birth_year_min": "1984",
                                 "birth_year_max": "1985", "home_place": "Nowhere", "publication": "internal"})
    assert "Unknown place “Nowhere”" in response.content.decode()
    response = client.post(url, {"gender": "m", "ethnicity": "kazakh", "birth_year_min": "1984",
                                 "birth_year_max": "1985", "home_place": "654002", "occupation": "driver",
                                 "publication": "internal"})
    assert response.status_code == 302
    nurlan.refresh_from_db()
    assert (nurlan.birth_label, nurlan.home_place.code, nurlan.occupation) == ("1984–1985", "654002", "driver")


def test_add_a_name_refuses_html_and_overlong_names(client, victor, record_set):
    login(client, "victor")
    nurlan = record_set["nurlan"]
    url = reverse("registry:name-add", args=[nurlan.pk])
    response = client.post(url, {"name-text": "<img src=x onerror=alert(1)>", "name-kind": "full"})
    html = response.content.decode()
    assert "Remove the HTML or script" in html and "<img src=x" not in html
    response = client.post(url, {"name-text": "Н" * 201, "name-kind": "full"})
    assert "A name is at most 200 characters; this one has 201." in response.content.decode()
    assert list(nurlan.names.values_list("text", flat=True)) == ["Нұрлан Серікұлы"]
    response = client.post(url, {"name-text": "努尔兰·赛力克", "name-kind": "chinese"})
    assert response.status_code == 302
    added = nurlan.names.get(text="努尔兰·赛力克")
    assert (added.script, added.kind) == ("Hans", "chinese")


def test_add_and_edit_an_event_recomputes_status(client, victor, record_set):
    login(client, "victor")
    kairat = record_set["kairat"]
    response = client.post(reverse("registry:event-add", args=[kairat.pk]), {
        "type": "released", "date": "2019-02", "place": "", "facility": "", "sentence_months": "", "charge": "",
        "description": "", "testimony": record_set["testimony"].pk,
    })
    assert response.status_code == 302
    kairat.refresh_from_db()
    assert kairat.status == "released"
    released = kairat.events.get(type="released")
    assert list(released.testimonies.all()) == [record_set["testimony"]]

    url = reverse("registry:event-edit", args=[released.pk])
    assert 'value="2019-02"' in client.get(url).content.decode()
    response = client.post(url, {"type": "released", "date": "2030-01-01", "place": "", "facility": ""})
    assert "is in the future" in response.content.decode()
    response = client.post(url, {"type": "disappeared", "date": "2019-02", "place": "", "facility": ""})
    assert response.status_code == 302
    kairat.refresh_from_db()
    assert kairat.status == "disappeared"


# --- testimony page ---------------------------------------------------------------------------


def test_testimony_page(client, erin, record_set):
    login(client, "erin")
    testimony = record_set["testimony"]
    html = client.get(reverse("registry:testimony-detail", args=[testimony.pk])).content.decode()
    assert "Ерім туралы" in html and "Гүлнар" in html and "Ерім лагерьде." in html
    assert record_set["kairat"].get_absolute_url() in html and "Spouse" in html
    assert "+7 701 555 0101" in html  # an editor sees the contact details


def test_a_viewer_does_not_see_witness_contact_details(client, wendy, record_set):
    login(client, "wendy")
    html = client.get(reverse("registry:testimony-detail", args=[record_set["testimony"].pk])).content.decode()
    assert "Гүлнар" in html
    assert "+7 701 555 0101" not in html and "restricted" in html


# --- facilities -------------------------------------------------------------------------------


def test_facility_list_and_page(client, wendy, record_set):
    from aigaq.registry.models import FacilityName

    FacilityName.objects.create(facility=record_set["camp"], text="伊宁市第三职业技能教育培训中心", language="zh")
    login(client, "wendy")
    html = client.get(reverse("registry:facility-list")).content.decode()
    assert "Yining No. 3 camp" in html and "Kashgar prison" in html and "伊宁市第三职业技能教育培训中心" in html
    html = client.get(reverse("registry:facility-detail", args=[record_set["camp"].pk])).content.decode()
    assert "Re-education camp" in html and "Yining City" in html
    assert "Қайрат Самарқан" in html and "Alim Tursun" not in html


def test_create_a_facility(client, victor, gazetteer):
    from aigaq.registry.models import Facility

    login(client, "victor")
    url = reverse("registry:facility-create")
    response = client.post(url, {"name": "<b>Camp</b>", "kind": "camp", "place": "654002", "lat": "95", "lon": ""})
    html = response.content.decode()
    assert "Remove the HTML or script" in html and "A latitude lies between -90 and 90." in html
    assert Facility.objects.count() == 0
    response = client.post(url, {"name": "Yining No. 3 camp", "kind": "camp", "place": "654002", "lat": "43.95",
                                 "lon": "81.30", "other_names": "伊宁市第三职业技能教育培训中心\nҮшінші лагерь\n"})
    facility = Facility.objects.get()
    assert response["Location"] == reverse("registry:facility-detail", args=[facility.pk])
    assert (facility.place.code, facility.lat, facility.lon) == ("654002", 43.95, 81.30)
    assert sorted(facility.names.values_list("text", flat=True)) == ["Үшінші лагерь", "伊宁市第三职业技能教育培训中心"]
    html = client.get(response["Location"]).content.decode()
    assert "43.95000, 81.30000" in html


# --- translations -----------------------------------------------------------------------------

SCREENS = {
    # language -> (url name, [strings that must appear])
    "kk": [
        ("registry:person-list", ["Адамдар", "Ұлты", "Іздеу", "Жағдайы"]),
        ("registry:intake", ["Куәлікті тіркеу", "1. Куәгер", "Куәлікті сақтау", "Тағы бір адам қосу"]),
        ("registry:facility-list", ["Қамау орындары", "Қамау орнын қосу"]),
    ],
    "ru": [
        ("registry:person-list", ["Люди", "Национальность", "Поиск", "Статус"]),
        ("registry:intake", ["Записать свидетельство", "1. Свидетель", "Сохранить свидетельство",
                             "Добавить ещё одного человека"]),
        ("registry:facility-list", ["Места содержания", "Добавить место содержания"]),
    ],
}
DETAIL_STRINGS = {
    "kk": {"person": ["Хронология", "Есімдері", "Лагерьге қамалды", "Ұсталған"], "testimony": ["Куәгер", "Қысқаша мазмұны"],
           "facility": ["«Қайта тәрбиелеу» лагері", "Мұнда болған адамдар"]},
    "ru": {"person": ["Хронология", "Имена", "Помещение в лагерь", "Задержан(а)"], "testimony": ["Свидетель", "Краткое содержание"],
           "facility": ["Лагерь «перевоспитания»", "Люди, связанные с этим местом"]},
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_screen_speaks_kazakh_and_russian(client, victor, record_set, lang):
    login(client, "victor")
    for url_name, strings in SCREENS[lang]:
        html = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert f'<html lang="{lang}"' in html
        for s in strings:
            assert s in html, (url_name, s)
    pages = {
        "person": record_set["kairat"].get_absolute_url(),
        "testimony": reverse("registry:testimony-detail", args=[record_set["testimony"].pk]),
        "facility": reverse("registry:facility-detail", args=[record_set["camp"].pk]),
    }
    for page, url in pages.items():
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        for s in DETAIL_STRINGS[lang][page]:
            assert s in html, (page, s)


@pytest.mark.parametrize(("lang", "message"), [
    ("kk", "Есім ең көбі 200 таңба болады; мұнда 201 таңба."),
    ("ru", "Имя может содержать не более 200 символов, а здесь их 201."),
])
def test_form_errors_are_translated(client, victor, gazetteer, lang, message):
    login(client, "victor")
    from test_intake import intake_data

    html = client.post(reverse("registry:intake"), intake_data([{"names": "Н" * 201}]),
                       HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert message in html


def test_the_language_switcher_sets_the_language(client, victor, db):
    login(client, "victor")
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("registry:intake")})
    assert response.status_code == 302
    html = client.get(reverse("registry:intake")).content.decode()
    assert "Записать свидетельство" in html


def test_login_page_in_kazakh_and_russian(client, db):
    assert "Кіру" in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Войти" in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
