"""`aigaq seed-demo`: deterministic, realistic synthetic persons, written consistently."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aigaq.registry.demo import pools
from aigaq.registry.demo.generate import Generator, World

SEED_N = 200


def _world() -> World:
    counties = [("654021", "654000", "Yining County"), ("654221", "654200", "Emin County"),
                ("654321", "654300", "Burqin County"), ("653121", "653100", "Shufu County"),
                ("653221", "653200", "Hotan County"), ("652922", "652900", "Wensu County"),
                ("653022", "653000", "Akto County"), ("650102", "650100", "Tianshan District"),
                ("652323", "652300", "Hutubi County"), ("650421", "650400", "Shanshan County"),
                ("650521", "650500", "Barkol Kazakh Autonomous County"), ("652722", "652700", "Jinghe County"),
                ("652822", "652800", "Luntai County")]
    facilities = [(p, k) for p, _ in pools.FACILITY_PLAN for k in ("camp", "detention", "prison")]
    return World(counties=counties, facilities=facilities)


def _digest(families) -> str:
    h = hashlib.sha256()
    for fam in families:
        for p in fam.persons:
            h.update(repr(([n.text for n in p.names], p.birth_min, p.home,
                           [(e.type, e.date_start, e.facility, e.sentence_months) for e in p.events])).encode())
        for t in fam.testimonies:
            h.update(repr((t.recorded_on, t.language, t.links, t.summary)).encode())
    return h.hexdigest()


# --- the generator, without a database ---------------------------------------------------------

def test_same_seed_gives_the_same_families_and_another_seed_does_not():
    a = _digest(Generator(_world(), seed=7).persons(500))
    assert a == _digest(Generator(_world(), seed=7).persons(500))
    assert a != _digest(Generator(_world(), seed=8).persons(500))
    # Appending to an instance that already has persons continues with new ones.
    assert a != _digest(Generator(_world(), seed=7, offset=500).persons(500))


def test_exactly_n_persons_in_families_of_up_to_four():
    families = list(Generator(_world(), seed=3).persons(1001))
    assert sum(len(f.persons) for f in families) == 1001
    sizes = Counter(len(f.persons) for f in families)
    assert set(sizes) <= {1, 2, 3, 4} and sizes[2] + sizes[3] + sizes[4] > sizes[1]


def test_siblings_share_their_fathers_name_in_every_script():
    families = list(Generator(_world(), seed=5).persons(3000))
    kazakh = [f for f in families if f.ethnicity == "kazakh" and len(f.persons) >= 2]
    assert len(kazakh) > 100
    for fam in kazakh:
        stems = set()
        for p in fam.persons:
            cyr = p.names[0].text  # "Нұрлан Серікұлы": given name and father's name + ұлы/қызы
            if p.names[0].script == "Cyrl" and not cyr.endswith((fam.father_given + "ұлы", fam.father_given + "қызы")):
                # the family's father himself, named after the grandfather
                assert cyr.startswith(fam.father_given + " ")
                continue
            stems.add(re.sub("(ұлы|қызы)$", "", cyr.split()[1]))
            for n in p.names:
                if n.script == "Hans":
                    assert n.text.endswith("·" + dict(pools.KAZAKH_MALE)[fam.father_given])
        assert stems == {fam.father_given}
    uyghur = [f for f in families if f.ethnicity == "uyghur" and len(f.persons) >= 2]
    assert len(uyghur) > 50
    for fam in uyghur:
        for p in fam.persons:
            for n in p.names:
                if n.script == "Latn":  # "Memet Abdulla": given name, then the father's
                    given, father = n.text.split()
                    assert fam.father_given in (father, given)  # a sibling, or the father himself


def test_names_are_in_the_scripts_each_people_really_uses():
    persons = [p for f in Generator(_world(), seed=11).persons(4000) for p in f.persons]
    by_eth = defaultdict(list)
    for p in persons:
        by_eth[p.ethnicity].append({n.script for n in p.names})
    share = {e: len(v) / len(persons) for e, v in by_eth.items()}
    assert 0.48 < share["kazakh"] < 0.62 and 0.24 < share["uyghur"] < 0.36
    assert 0.04 < share["kyrgyz"] < 0.10 and share["tatar"] < 0.06
    kz, ug = by_eth["kazakh"], by_eth["uyghur"]
    assert all("Cyrl" in s for s in kz)
    assert 0.5 < sum("Latn" in s for s in kz) / len(kz) < 0.95
    assert 0.3 < sum("Hans" in s for s in kz) / len(kz) < 0.5
    assert all(s & {"Arab", "Latn"} for s in ug)
    assert 0.4 < sum("Hans" in s for s in ug) / len(ug) < 0.7
    assert all(2 <= len(p.names) <= 5 for p in persons if p.ethnicity in ("kazakh", "uyghur"))
    assert all(s == {"Cyrl", "Latn"} or s == {"Cyrl"} or "Cyrl" in s for s in by_eth["kyrgyz"])


def test_transliteration_tables():
    assert pools.kk_official("Нұрлан Серікұлы") == "Nūrlan Serıkūly"
    assert pools.kk_informal("Ерлан Бауыржанұлы") == "Yerlan Bauyrzhanuly"
    assert pools.kk_russian("Серік") == "Серик"
    assert pools.russian_surname("Серик", female=False) == "Сериков"
    assert pools.russian_patronymic("Абай", female=True) == "Абаевна"
    assert pools.uly_arabic("Memet Abdulla") == "مەمەت ئابدۇللا"
    assert pools.uly_arabic("Eli") == "ئەلى"
    assert pools.uly_cyrillic("Tursun Qurban") == "Турсун Қурбан"


def test_events_are_dated_in_order_between_2017_and_2023():
    persons = [p for f in Generator(_world(), seed=2).persons(2000) for p in f.persons]
    kinds = Counter()
    for p in persons:
        starts = [e.date_start for e in p.events]
        assert starts == sorted(starts)
        for e in p.events:
            kinds[e.type] += 1
            assert date(2017, 1, 1) <= e.date_start <= e.date_end <= date(2023, 12, 31)
            if e.type == "sentenced":
                assert 60 <= e.sentence_months <= 300 and e.charge
        assert 1930 <= p.birth_min <= p.birth_max <= 2002
    for kind in ("detained", "arrested", "transferred", "sentenced", "released", "documents_confiscated",
                 "disappeared", "died"):
        assert kinds[kind] > 0, kind


# --- the command, with a database -------------------------------------------------------------

@pytest.mark.django_db
def test_seed_demo_writes_exactly_what_the_seed_generates(gazetteer):
    """Same seed, same records: the database holds the generator's output for that seed."""
    from aigaq.registry.demo.seed import prepare
    from aigaq.registry.models import Event, PersonName

    call_command("seed_demo", persons=SEED_N, seed=4, no_progress=True)
    world, _, _ = prepare(4)
    expected_names, expected_events = {}, {}
    for fam in Generator(world, seed=4).persons(SEED_N):
        for p in fam.persons:
            uid = uuid.UUID(int=p.uid, version=4)
            expected_names[uid] = [n.text for n in p.names]
            expected_events[uid] = [(e.type, e.date_start, e.sentence_months) for e in p.events]
    names, events = defaultdict(list), defaultdict(list)
    for uid, text in PersonName.objects.order_by("id").values_list("person__uid", "text"):
        names[uid].append(text)
    for uid, *row in Event.objects.order_by("id").values_list("person__uid", "type", "date_start", "sentence_months"):
        events[uid].append(tuple(row))
    assert dict(names) == expected_names
    assert {u: v for u, v in expected_events.items() if v} == dict(events)


@pytest.mark.django_db
def test_seeded_records_are_complete_and_consistent(gazetteer, capsys):
    from aigaq.registry.models import (
        Event,
        Facility,
        NameKey,
        Person,
        PersonName,
        Testimony,
        TestimonyPerson,
    )
    from aigaq.registry.status import derive

    call_command("seed_demo", persons=SEED_N, seed=9, no_progress=True)
    out = capsys.readouterr().out
    assert f"Added {SEED_N} synthetic persons" in out and "testimonies" in out

    persons = list(Person.objects.prefetch_related("names", "events").select_related("home_place"))
    assert len(persons) == SEED_N
    assert Facility.objects.count() == sum(n for _, n in pools.FACILITY_PLAN)
    for p in persons:
        d = derive(p.events.all())
        assert (p.status, p.status_since, p.detention_year) == (d.status, d.since, d.detention_year)
        assert p.home_place.code.startswith("65") and p.home_place.level == "county"
        assert p.display_name in {n.text for n in p.names.all()}
    statuses = Counter(p.status for p in persons)
    assert statuses["imprisoned"] and statuses["restricted"] and statuses["detained"]
    assert {p.publication for p in persons} == {"public", "anonymised", "internal"}

    scripts = Counter(PersonName.objects.values_list("script", flat=True))
    assert set(scripts) == {"Cyrl", "Latn", "Hans", "Arab"}
    han_persons = PersonName.objects.filter(script="Hans").values("person").distinct().count()
    assert 0.2 * SEED_N < han_persons < 0.6 * SEED_N
    # Every name form is indexed for search.
    assert not PersonName.objects.exclude(pk__in=NameKey.objects.values("name")).exists()
    assert Event.objects.filter(facility__isnull=False).exists()
    # Testimonies link 1-3 persons of a family, with the witness's relationship to each.
    t = Testimony.objects.prefetch_related("links").first()
    assert 1 <= t.links.count() <= 3
    assert TestimonyPerson.objects.exclude(relationship="other").exists()
    assert t.witness.contact.startswith("+7 7")  # decrypted on read
    assert Event.testimonies.through.objects.exists()


@pytest.mark.django_db
def test_seeded_names_are_found_by_search_in_their_script(gazetteer):
    from aigaq.registry.models import PersonName
    from aigaq.registry.search import search_persons

    call_command("seed_demo", persons=SEED_N, seed=6, no_progress=True)
    for script in ("Cyrl", "Hans", "Arab"):
        name = PersonName.objects.filter(script=script).order_by("id").first()
        hits = search_persons(name.text, limit=200)
        assert name.person_id in {h.person.pk for h in hits}, name.text


@pytest.mark.django_db
def test_appending_adds_new_persons(gazetteer):
    from aigaq.registry.models import Facility, Person

    call_command("seed_demo", persons=50, seed=1, no_progress=True)
    call_command("seed_demo", persons=30, seed=1, no_progress=True, json=True)
    assert Person.objects.count() == 80
    assert Person.objects.values("uid").distinct().count() == 80
    assert Facility.objects.count() == sum(n for _, n in pools.FACILITY_PLAN)  # reused, not duplicated


@pytest.mark.django_db
def test_refuses_without_the_gazetteer():
    with pytest.raises(CommandError, match="aigaq init"):
        call_command("seed_demo", persons=10, no_progress=True)


@pytest.mark.django_db
def test_refuses_a_silly_count(gazetteer):
    with pytest.raises(CommandError, match="--persons"):
        call_command("seed_demo", persons=0, no_progress=True)
