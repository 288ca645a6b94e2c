"""The public portal in its six languages, Uyghur right-to-left."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {
    "en": ("Persons", 'dir="ltr"'),
    "kk": ("Адамдар", 'dir="ltr"'),
    "ru": ("Люди", 'dir="ltr"'),
    "zh-hans": ("人员", 'dir="ltr"'),
    "ug": ("كىشىلەر", 'dir="rtl"'),
    "tr": ("Kişiler", 'dir="ltr"'),
}


@pytest.mark.parametrize("lang", EXPECTED)
def test_the_portal_speaks_each_language(client, leak_record, lang):
    word, direction = EXPECTED[lang]
    body = client.get(f"/person/{leak_record.anon_uid}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'lang="{lang}"' in body and direction in body
    assert word in body


def test_the_pages_work_without_javascript_and_without_inline_script(client, leak_record):
    for url in ["/", "/persons/", f"/person/{leak_record.public_uid}/", "/statistics/", "/map/", "/about/"]:
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body, url
    stats = client.get("/statistics/").content.decode()
    assert "<svg" in stats and "Kazakh" in stats  # charts drawn on the server
    assert "<circle" in client.get("/map/").content.decode()
