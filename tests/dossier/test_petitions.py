"""Petition templates: shipped defaults in four languages, the sandbox, DOCX/PDF, admin-only editing."""

from __future__ import annotations

import io

import pytest
from dossier_helpers import NAMES, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    from aigaq.dossier.models import PetitionTemplate
    from aigaq.dossier.petitions import install_defaults

    assert install_defaults() == 12
    assert install_defaults() == 0  # never twice, never over an administrator's edits
    return PetitionTemplate.objects


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "zh"])
def test_every_default_template_fills_from_the_case_in_its_language(case, templates, lang):
    from aigaq.dossier.petitions import case_context, render

    ctx = case_context(case["person"], lang)
    marks = {"en": "Detained in a camp", "ru": "Помещение в лагерь", "kk": "Лагерьге қамалды",
             "zh": "被关押在营地"}
    for t in templates.filter(language=lang):
        text = render(t, ctx)
        assert "Bekzat Ospanuly" in text and "2017-11-02" in text, t.name
        assert "Facility Alpha Public" in text and marks[lang] in text, t.name
        assert "{{" not in text and "{%" not in text, t.name
        assert "SENTINELW1CONTACT" not in text and "SENTINELW1ADDRESS" not in text
    wgeid = render(templates.get(language=lang, kind="wgeid"), ctx)
    assert NAMES["Cyrl"] in wgeid and NAMES["Hans"] in wgeid and NAMES["Arab"] in wgeid  # other names


def test_docx_opens_with_python_docx_and_holds_the_filled_name(case, templates):
    from docx import Document

    from aigaq.dossier.petitions import generate

    for lang in ("en", "zh"):
        t = templates.get(language=lang, kind="wgeid")
        content, name, ctype = generate(t, case["person"], "docx")
        assert name.endswith(".docx") and "wordprocessingml" in ctype
        text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert "Bekzat Ospanuly" in text and NAMES["Hans"] in text


def test_petition_pdf_holds_the_filled_text(case, templates):
    from aigaq.dossier.petitions import generate

    content, _, ctype = generate(templates.get(language="ru", kind="embassy"), case["person"], "pdf")
    assert ctype == "application/pdf"
    assert "Bekzat Ospanuly" in pdf_text(content) and "Ваше Превосходительство" in pdf_text(content)


@pytest.mark.parametrize("body", [
    "{% load static %}{% static 'x' %}", "{% include 'base.html' %}", "{% extends 'base.html' %}",
    "{% debug %}", "{% url 'registry:person-list' %}", "{% csrf_token %}", "{{ person.__class__ }}",
])
def test_sandbox_refuses_tags_that_reach_outside_the_case(body):
    from aigaq.dossier.petitions import TemplateRefused, render

    with pytest.raises(TemplateRefused):
        render(body, {"person": {"name": "x"}})


def test_sandbox_still_allows_the_ordinary_tags_and_filters():
    from aigaq.dossier.petitions import render

    body = "{% for e in events %}{{ forloop.counter }}. {{ e.what|upper }}{% if e.date %} {{ e.date }}{% endif %}\n{% endfor %}"
    out = render(body, {"events": [{"what": "detained", "date": "2018"}, {"what": "sentenced", "date": ""}]})
    assert out == "1. DETAINED 2018\n2. SENTENCED\n"


def test_only_administrators_edit_templates(client, alice, erin, templates):
    t = templates.get(language="en", kind="letter")
    url = f"/staff/dossier/templates/{t.pk}/"
    client.force_login(erin)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": t.name, "language": "en", "kind": "letter", "body": "x"}).status_code == 403
    assert client.get("/staff/dossier/templates/").status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 200
    # An administrator's template that tries to load a library is refused with a reason.
    bad = client.post(url, {"name": t.name, "language": "en", "kind": "letter", "body": "{% load static %}"})
    assert bad.status_code == 200 and "cannot be used" in bad.content.decode()
    ok = client.post(url, {"name": t.name, "language": "en", "kind": "letter", "body": "Dear {{ person.name }}"})
    assert ok.status_code == 302
    t.refresh_from_db()
    assert t.body == "Dear {{ person.name }}" and t.updated_by == alice


def test_staff_pages_give_dossiers_and_petitions(client, erin, wendy, case, templates):
    pk = case["person"].pk
    client.force_login(wendy)  # a viewer: the external dossier, nothing that leaves with the full record
    r = client.get(f"/staff/dossier/person/{pk}/?lang=kk&format=pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]
    assert client.get(f"/staff/dossier/person/{pk}/internal/").status_code == 403
    assert client.get(f"/staff/dossier/person/{pk}/petitions/").status_code == 403
    internal = case["rec"].internal_uid
    from aigaq.registry.models import Person

    refused = client.get(f"/staff/dossier/person/{Person.objects.get(uid=internal).pk}/?format=html")
    assert refused.status_code == 409 and b"not published" in refused.content
    client.force_login(erin)
    page = client.get(f"/staff/dossier/person/{pk}/petitions/")
    assert page.status_code == 200 and "UN WGEID" in page.content.decode()
    t = templates.get(language="kk", kind="letter")
    r = client.get(f"/staff/dossier/person/{pk}/petitions/", {"template": t.pk, "format": "docx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_cli_writes_a_dossier_and_refuses_an_internal_person(aigaq_env, tmp_path):
    import subprocess

    env, cli = aigaq_env
    seed = ("from aigaq.registry import record; "
            "p = record.create_person(['Бекзат Оспанұлы'], publication='public'); "
            "q = record.create_person(['Secret Internal'], publication='internal'); print(p.pk, q.pk)")
    out = subprocess.run([*cli, "shell", "-c", seed], env=env, capture_output=True, text=True, check=True)
    pub, internal = out.stdout.strip().splitlines()[-1].split()
    target = tmp_path / "d.html"
    ok = subprocess.run([*cli, "dossier", pub, "--lang", "ru", "--format", "html", "-o", str(target)],
                        env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "Бекзат Оспанұлы" in target.read_text(encoding="utf-8") and "Досье дела" in target.read_text()
    bad = subprocess.run([*cli, "dossier", internal, "-o", str(tmp_path / "x.pdf")], env=env,
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "not published" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()
