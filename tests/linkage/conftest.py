"""Persons for linkage tests: one Kazakh recorded twice (Cyrillic, then Chinese), siblings who share
a father's name, a father and son whose names are each other's reversed, a Uyghur."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def people(gazetteer, victor):
    from aigaq.registry import record
    from aigaq.registry.models import Event, Facility, Place, Testimony, TestimonyPerson, Witness

    ili = Place.objects.get(code="654002")
    camp = Facility.objects.create(name="Yining No. 3 camp", kind="camp", place=ili)
    nurlan = record.create_person(["Нұрлан Серікұлы", "Nurlan Serikuly"], gender="m", birth_year_min=1978,
                                  birth_year_max=1978, ethnicity="kazakh", home_place=ili)
    nurlan_cn = record.create_person(["努尔兰·赛力克"], gender="m", birth_year_min=1979, birth_year_max=1979,
                                     ethnicity="kazakh", home_place=ili)
    sister = record.create_person(["Айгүл Серікқызы"], gender="f", birth_year_min=1981, birth_year_max=1981,
                                  ethnicity="kazakh", home_place=ili)
    brother = record.create_person(["Ерлан Серікұлы"], gender="m", birth_year_min=1976, birth_year_max=1976,
                                   ethnicity="kazakh", home_place=ili)
    father = record.create_person(["Болат Маратұлы"], gender="m", birth_year_min=1950, birth_year_max=1950,
                                  ethnicity="kazakh", home_place=ili)
    son = record.create_person(["Марат Болатұлы"], gender="m", birth_year_min=1976, birth_year_max=1976,
                               ethnicity="kazakh", home_place=ili)
    alim = record.create_person(["Alim Tursun"], gender="m", ethnicity="uyghur",
                                home_place=Place.objects.get(code="653101"))
    witness = Witness.objects.create(full_name="Гүлнар", contact="+7 701 555 0101", created_by=victor)
    t1 = Testimony.objects.create(witness=witness, title="Ерім туралы", recorded_on=date(2019, 5, 14), created_by=victor)
    t2 = Testimony.objects.create(witness=witness, title="Again", recorded_on=date(2020, 1, 2), created_by=victor)
    TestimonyPerson.objects.create(testimony=t1, person=nurlan, relationship="spouse")
    TestimonyPerson.objects.create(testimony=t1, person=sister, relationship="other")
    TestimonyPerson.objects.create(testimony=t2, person=nurlan_cn, relationship="spouse")
    TestimonyPerson.objects.create(testimony=t2, person=sister, relationship="other")
    for p in (nurlan, nurlan_cn):
        ev = Event.objects.create(person=p, type="detained", date_start=date(2017, 10, 1),
                                  date_end=date(2017, 10, 31), date_precision="month", facility=camp)
        ev.testimonies.add(t1 if p is nurlan else t2)
        record.events_changed(p)
    return {"nurlan": nurlan, "nurlan_cn": nurlan_cn, "sister": sister, "brother": brother, "father": father,
            "son": son, "alim": alim, "camp": camp, "t1": t1, "t2": t2}
