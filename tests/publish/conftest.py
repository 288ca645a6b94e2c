"""A record at every publication level, with a unique sentinel in every field that must not leave.

`leak_record` returns (forbidden, required): strings that no public surface may contain, and
strings that the public surfaces must contain (so that a surface that publishes nothing cannot
pass the leak test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

SECRET_DATE = date(2018, 7, 19)


@pytest.fixture(autouse=True)
def _no_cached_summaries():
    """The portal caches its summaries of every person for a minute (publish.views): a page must
    not be served from what an earlier test's database held."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class LeakRecord:
    forbidden: dict[str, str] = field(default_factory=dict)  # sentinel -> what it stands for
    required: dict[str, str] = field(default_factory=dict)
    public_uid: str = ""
    anon_uid: str = ""
    internal_uid: str = ""
    merged_uid: str = ""
    facility_uid: str = ""


@pytest.fixture
def leak_record(gazetteer) -> LeakRecord:
    from aigaq.registry import record
    from aigaq.registry.models import (
        Event,
        Facility,
        Person,
        Place,
        Testimony,
        TestimonyPerson,
        Translation,
        Witness,
    )

    rec = LeakRecord()
    F, R = rec.forbidden, rec.required

    def secret(tag: str, what: str) -> str:
        F[f"SENTINEL{tag}"] = what
        return f"SENTINEL{tag}"

    county = Place.objects.get(code="653127")  # Makit County, a name found nowhere else
    prefecture = county.parent  # Kashgar Prefecture
    for text in (county.name_en, county.name_zh, county.name_ug, county.name_pinyin):
        F[text] = "county of an anonymised person's home"
    F[SECRET_DATE.isoformat()] = "exact date of an anonymised person's event"
    F[SECRET_DATE.strftime("%d.%m.%Y")] = "exact date of an anonymised person's event"
    R[prefecture.name_en] = "prefecture of the anonymised person"

    fac = Facility.objects.create(name="Facility Alpha Public", kind="camp", lat=39.3, lon=76.0,
                                  place=Place.objects.get(code="653101"))
    R[fac.name] = "facility name"
    rec.facility_uid = str(fac.uid)

    def witness(tag: str, level: str, *, public_name: str = "") -> Witness:
        return Witness.objects.create(
            full_name=public_name or secret(f"{tag}WITNESSNAME", f"name of a {level} witness"),
            contact=secret(f"{tag}CONTACT", "witness contact"), address=secret(f"{tag}ADDRESS", "witness address"),
            internal_notes=secret(f"{tag}WNOTES", "witness internal notes"), publication=level,
        )

    def testimony(tag: str, level: str, w: Witness | None, persons: list, *, public_text: bool = False):
        text = (lambda k: f"Public{tag}{k}") if public_text else (lambda k: secret(f"{tag}{k}", f"testimony {k}"))
        t = Testimony.objects.create(
            witness=w, publication=level, recorded_on=date(2019, 3, 4), title=text("TITLE"),
            summary=text("SUMMARY"), transcript=text("TRANSCRIPT"),
        )
        for p in persons:
            TestimonyPerson.objects.create(testimony=t, person=p, relationship="sibling")
        Translation.objects.create(testimony=t, language="en", text=text("TRANSLATION"))
        if public_text:
            for k in ("TITLE", "SUMMARY", "TRANSCRIPT", "TRANSLATION"):
                R[f"Public{tag}{k}"] = f"public testimony {k}"
        return t

    # A public person: everything but internal notes is published.
    pub = record.create_person(["Bekzat Ospanuly", "Бекзат Оспанұлы"], publication="public",
                               ethnicity="kazakh", home_place=Place.objects.get(code="653125"),
                               occupation="Shepherd-public")
    pub.internal_notes = secret("PUBNOTES", "public person's internal notes")
    pub.save()
    R.update({"Bekzat Ospanuly": "public name", "Бекзат Оспанұлы": "public name, other script",
              "Shepherd-public": "public occupation", "Yarkant County": "public person's home county"})
    Event.objects.create(person=pub, type="detained", date_start=date(2017, 11, 2), date_precision="day",
                         facility=fac, charge="Public charge text", description="Public event description")
    R.update({"2017-11-02": "exact date of a public person", "Public charge text": "charge",
              "Public event description": "event description"})
    record.events_changed(pub)
    rec.public_uid = str(pub.uid)

    # An anonymised person: initials, prefecture, years.
    anon = record.create_person(["Sentinelanongiven Sentinelanonsur", "СЕНТИНЕЛКИРИЛЛ Анон"],
                                publication="anonymised", ethnicity="uyghur", home_place=county,
                                occupation=secret("ANONOCCUPATION", "anonymised person's occupation"))
    F["Sentinelanongiven"] = F["Sentinelanonsur"] = F["СЕНТИНЕЛКИРИЛЛ"] = "name of an anonymised person"
    anon.internal_notes = secret("ANONNOTES", "anonymised person's internal notes")
    anon.save()
    Event.objects.create(person=anon, type="detained", date_start=SECRET_DATE, date_precision="day", place=county,
                         facility=fac, charge=secret("ANONCHARGE", "anonymised person's charge"),
                         description=secret("ANONEVENTDESC", "anonymised person's event description"))
    record.events_changed(anon)
    R["S. S."] = "initials of the anonymised person"
    rec.anon_uid = str(anon.uid)

    # An internal person: nothing at all.
    internal = record.create_person([secret("INTERNALNAME", "internal person's name")], publication="internal",
                                    occupation=secret("INTOCC", "internal person's occupation"))
    Event.objects.create(person=internal, type="detained", date_start=date(2019, 1, 5), facility=fac,
                         description=secret("INTEVENT", "internal person's event"))
    record.events_changed(internal)
    rec.internal_uid = str(internal.uid)

    # A public record merged into another: not published on its own.
    merged = record.create_person([secret("MERGEDNAME", "merged duplicate's name")], publication="public")
    Person.objects.filter(pk=merged.pk).update(merged_into=pub)
    rec.merged_uid = str(merged.uid)

    w_public = witness("W1", "public", public_name="Aigul Publicwitness")
    R["Aigul Publicwitness"] = "public witness name"
    w_anon = witness("W2", "anonymised")
    w_internal = witness("W3", "internal")
    # Public testimony, public witness, only the public person: shown in full.
    testimony("OK", "public", w_public, [pub], public_text=True)
    # Public testimony by a witness who did not consent to be named: text may identify them.
    testimony("ANONWIT", "public", w_anon, [pub])
    testimony("INTWIT", "public", w_internal, [pub])
    # Internal testimony about a public person: the person is fine, the testimony is not.
    testimony("INTERNALT", "internal", w_public, [pub])
    # Public testimony that also concerns the anonymised person: free text may name them.
    testimony("MIXED", "public", w_public, [pub, anon])
    # A draft.
    draft = testimony("DRAFT", "public", w_public, [pub])
    Testimony.objects.filter(pk=draft.pk).update(state="draft")
    return rec


@pytest.fixture
def no_leak():
    return assert_no_leak


def assert_no_leak(texts: dict[str, str], rec: LeakRecord, *, check_required: bool = True) -> None:
    """texts: where -> content. Fails naming the sentinel, what it stands for and where it was found."""
    leaks = [f"{s!r} ({why}) in {where}" for where, body in texts.items() for s, why in rec.forbidden.items()
             if s in body]
    assert not leaks, "leaked:\n" + "\n".join(leaks[:30])
    if check_required:
        everything = "\n".join(texts.values())
        missing = [f"{s!r} ({why})" for s, why in rec.required.items() if s not in everything]
        assert not missing, "missing from the public record:\n" + "\n".join(missing)
