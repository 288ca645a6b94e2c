"""What keeps the staff person list and page fast at 100,000 persons (bench/registry_bench.py)
without changing what they show: pre-rendered filter options that follow edits, no decryption of
fields the pages do not show, a query count that does not grow with the rows, filters that walk
an index in list order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from personas import PASSWORD


@pytest.fixture
def staff(client, wendy):
    assert client.login(username="wendy", password=PASSWORD)
    return client


def test_filter_options_follow_facility_and_gazetteer_edits(staff, gazetteer):
    from aigaq.registry.models import Facility, Place

    camp = Facility.objects.create(name="Camp Before", kind="camp")
    html = staff.get(reverse("registry:person-list")).content.decode()
    assert f'<option value="{camp.pk}">Camp Before</option>' in html
    camp.name = "Camp After"
    camp.save()
    Place.objects.filter(code="654000").update(name_en="Ili Renamed", name_kk="Іле Жаңа")
    html = staff.get(reverse("registry:person-list"), {"facility": camp.pk, "place": "654000"}).content.decode()
    assert "Camp Before" not in html
    assert f'<option value="{camp.pk}" selected>Camp After</option>' in html
    assert '<option value="654000" selected>Ili Renamed</option>' in html
    html = staff.get(reverse("registry:person-list"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert '<option value="654000">Іле Жаңа</option>' in html
    assert "Ili Renamed" not in html


def test_an_unknown_filter_value_selects_nothing_and_is_escaped(staff, gazetteer):
    html = staff.get(reverse("registry:person-list"), {"place": '"><b>x'}).content.decode()
    assert " selected>" not in html.split('id="f-place"')[1].split("</select>")[0]
    assert '"><b>x' not in html


def test_list_and_person_page_leave_person_notes_encrypted(staff, monkeypatch):
    from aigaq.core import crypto
    from aigaq.registry import record

    person = record.create_person(["Қайрат Самарқан"], ethnicity="kazakh")
    person.internal_notes = "SENTINEL-NOTES"
    person.save()
    contexts = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda stored, context: contexts.append(context) or real(stored, context))
    assert staff.get(reverse("registry:person-list")).status_code == 200
    assert staff.get(person.get_absolute_url()).status_code == 200
    assert "registry.person.internal_notes" not in contexts


def test_list_queries_do_not_grow_with_the_rows(staff, django_assert_max_num_queries):
    from aigaq.registry.models import Person

    Person.objects.bulk_create(Person(display_name=f"Person {i:03}", ethnicity="kazakh") for i in range(120))
    with django_assert_max_num_queries(10):
        html = staff.get(reverse("registry:person-list"), {"ethnicity": "kazakh", "page": 2}).content.decode()
    assert "Person 050" in html and "Person 099" in html and "Person 100" not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("query", [{}, {"status": "detained"}, {"ethnicity": "uyghur"}, {"year": 2018},
                                   {"place": "654021"}])
def test_each_filter_walks_a_live_person_index_in_list_order(gazetteer, query):
    from aigaq.registry.filters import PersonFilters, filter_persons
    from aigaq.registry.models import Person

    qs = filter_persons(Person.objects.filter(merged_into__isnull=True), PersonFilters(**query))
    sql, params = qs.defer("internal_notes").order_by("display_name", "id")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        plan = " ".join(row[3] for row in cursor.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "person_live_" in plan and "TEMP B-TREE" not in plan, plan
