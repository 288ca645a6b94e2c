"""Merge keeps everything and is logged; un-merge restores every row exactly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aigaq.linkage import merge as merging
from aigaq.linkage.models import MatchCandidate, Merge
from aigaq.registry.models import Event, NameKey, Person, PersonName, TestimonyPerson

pytestmark = pytest.mark.django_db


def full_state(*pids):
    return merging.snapshot(*pids)


def test_merge_then_unmerge_restores_the_records_exactly(people):
    a, b = people["nurlan"], people["nurlan_cn"]
    Person.objects.filter(pk=a.pk).update(internal_notes="only on a")  # an encrypted column too
    before = full_state(a.pk, b.pk)
    assert before["registry_personname"] and before["registry_testimonyperson"] and before["registry_event"]
    record = merging.merge(a, b)
    # everything of b is now a's, and b points at a
    assert not PersonName.objects.filter(person=b).exists()
    assert set(PersonName.objects.filter(person=a).values_list("text", flat=True)) >= {"努尔兰·赛力克", "Нұрлан Серікұлы"}
    assert Event.objects.filter(person=a).count() == 2
    assert TestimonyPerson.objects.filter(person=a).count() == 2
    assert NameKey.objects.filter(person=b).count() == 0
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    assert full_state(a.pk, b.pk) != before
    merging.unmerge(Merge.objects.get(pk=record.pk))
    assert full_state(a.pk, b.pk) == before


def test_unmerge_restores_a_link_the_merge_had_to_drop(people):
    from aigaq.registry.models import TestimonyPerson

    a, b = people["nurlan"], people["nurlan_cn"]
    TestimonyPerson.objects.create(testimony=people["t1"], person=b, relationship="child")  # both in t1
    before = full_state(a.pk, b.pk)
    record = merging.merge(a, b)
    assert TestimonyPerson.objects.filter(testimony=people["t1"], person=a).count() == 1
    merging.unmerge(record)
    assert full_state(a.pk, b.pk) == before


def test_merge_is_logged_in_the_audit_log(people):
    from aigaq.audit.models import AuditEntry

    merging.merge(people["nurlan"], people["nurlan_cn"])
    assert AuditEntry.objects.filter(action="merge", object_id=str(people["nurlan"].pk)).exists()


def test_review_queue_merge_and_undo_through_the_pages(people, client, erin, victor):
    from aigaq.linkage.dedup import run

    run(workers=1, progress=False)
    cand = MatchCandidate.objects.get()
    client.force_login(victor)
    assert client.get(reverse("linkage:queue")).status_code == 403  # volunteers do not merge
    client.force_login(erin)
    page = client.get(reverse("linkage:pair", args=[cand.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "努尔兰·赛力克" in html and "Нұрлан Серікұлы" in html and "same home place" in html
    r = client.post(reverse("linkage:merge", args=[cand.pk]))
    assert r.status_code == 302
    cand.refresh_from_db()
    assert cand.state == "merged"
    merged = Person.objects.get(pk=cand.right_id)
    assert merged.merged_into_id == cand.left_id
    record = Merge.objects.get()
    client.post(reverse("linkage:unmerge", args=[record.pk]))
    assert Person.objects.get(pk=cand.right_id).merged_into_id is None
    cand.refresh_from_db()
    assert cand.state == "open"


def test_not_the_same_closes_the_pair(people, client, erin):
    from aigaq.linkage.dedup import run

    run(workers=1, progress=False)
    cand = MatchCandidate.objects.get()
    client.force_login(erin)
    client.post(reverse("linkage:reject", args=[cand.pk]))
    cand.refresh_from_db()
    assert cand.state == "rejected"


def test_a_merged_persons_page_redirects_to_the_survivor(people, client, erin):
    from aigaq.linkage.merge import merge

    merge(people["nurlan"], people["nurlan_cn"])
    client.force_login(erin)
    r = client.get(f"/staff/persons/{people['nurlan_cn'].pk}/", follow=True)
    assert r.redirect_chain and r.redirect_chain[-1][0].endswith(f"/persons/{people['nurlan'].pk}/")
    assert "merged into this one" in r.content.decode()
    assert client.get(f"/staff/persons/{people['nurlan'].pk}/").status_code == 200
