"""The staff import pages: upload → columns (pre-filled) → preview and report → import → result."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.registry.models import Person

pytestmark = pytest.mark.django_db

CSV = ("ФИО;Пол;Дата задержания;Комментарий\n"
       "Нұрлан Серікұлы;м;12.03.2018;сестра\n"
       "Болат;x;2018;\n").encode()


def test_an_editor_uploads_checks_and_imports_only_the_valid_rows(client, erin, gazetteer):
    client.force_login(erin)
    assert client.get("/staff/import/").status_code == 200
    response = client.post("/staff/import/", {"file": SimpleUploadedFile("list.csv", CSV)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<option value="name" selected>' in html and '<option value="gender" selected>' in html
    assert "list.csv row 3, column B (Пол): “x”" in html  # the user's file name, not the stored one
    assert "Import all" not in html and "Import only the 1 valid rows" in html
    assert Person.objects.count() == 0

    form = {f"col-{i}": f for i, f in enumerate(["name", "gender", "detained_on", "event_notes"])}
    done = client.post(response["Location"], {**form, "action": "import-valid"})
    assert done.status_code == 302 and re.search(r"/staff/import/\d+/result/$", done["Location"])
    person = Person.objects.get()
    assert person.display_name == "Нұрлан Серікұлы" and person.events.get().description == "сестра"
    result = client.get(done["Location"]).content.decode()
    assert "1 persons" in result and "Rows left out" in result
    # The file is finished: its page is gone, the uploaded copy deleted.
    assert client.get(response["Location"]).status_code == 404


def test_volunteers_and_viewers_may_not_import(client, victor, wendy):
    for user in (victor, wendy):
        client.force_login(user)
        assert client.get("/staff/import/").status_code == 403
