"""`aigaq dedup`: the person recorded twice is found; siblings and father/son are not."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from aigaq.linkage.models import MatchCandidate

pytestmark = pytest.mark.django_db(transaction=True)


def pairs():
    return {(c.left_id, c.right_id): c for c in MatchCandidate.objects.all()}


def key(a, b):
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def test_dedup_finds_the_cross_script_duplicate_only(people, capsys):
    call_command("dedup", "--json", "--no-progress", "--workers", "1")
    out = json.loads(capsys.readouterr().out)
    found = pairs()
    assert key(people["nurlan"], people["nurlan_cn"]) in found
    assert key(people["brother"], people["nurlan"]) not in found  # siblings share the father's name
    assert key(people["father"], people["son"]) not in found  # names reversed: two persons
    assert out["candidates"] == len(found) == 1
    cand = found[key(people["nurlan"], people["nurlan_cn"])]
    fields = {e["field"] for e in cand.evidence_for}
    assert {"name", "birth", "home", "events", "relatives"} <= fields
    assert cand.state == "open"


def test_rerun_is_idempotent_and_keeps_rejections(people):
    call_command("dedup", "--no-progress", "--workers", "1")
    MatchCandidate.objects.update(state="rejected")
    call_command("dedup", "--no-progress", "--workers", "1")
    assert MatchCandidate.objects.count() == 1
    assert MatchCandidate.objects.get().state == "rejected"


def test_dedup_with_two_worker_processes_finds_the_same(people):
    call_command("dedup", "--no-progress", "--workers", "2")
    assert set(pairs()) == {key(people["nurlan"], people["nurlan_cn"])}


def test_a_namesake_born_later_elsewhere_is_not_linked(people):
    """Hard negative: the same name (the seeded registry is full of them), another generation, another
    prefecture, detained elsewhere at another date."""
    from datetime import date

    from aigaq.registry import record
    from aigaq.registry.models import Event, Facility, Place

    kashgar = Place.objects.get(code="653101")
    namesake = record.create_person(["Nurlan Serikuly"], gender="m", birth_year_min=1991, birth_year_max=1991,
                                    ethnicity="kazakh", home_place=kashgar)
    camp = Facility.objects.create(name="Kashgar camp", kind="camp", place=kashgar)
    Event.objects.create(person=namesake, type="detained", date_start=date(2019, 3, 2), date_end=date(2019, 3, 2),
                         date_precision="day", facility=camp)
    record.events_changed(namesake)
    call_command("dedup", "--no-progress", "--workers", "2")
    found = pairs()
    assert key(people["nurlan"], people["nurlan_cn"]) in found
    assert not [p for p in found if namesake.pk in p]
