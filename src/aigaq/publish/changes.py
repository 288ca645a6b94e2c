"""Notice changes that affect a person's public record, for incremental republishing.

A safety net, not the only guard: `aigaq publish` also sweeps every person's publication level
and `updated_at` on each run, and `--full` recomputes everything. Bulk writes that skip signals
(``QuerySet.update``, ``bulk_create``) are seen by that sweep only when they touch the Person row;
code that moves rows that way says so with ``rows_moved`` (the merge of two records and its undo).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


def touch(person_ids: Iterable[int]) -> None:
    from aigaq.publish.models import PersonChange

    ids = sorted({int(i) for i in person_ids if i is not None})
    if not ids:
        return
    now = timezone.now()
    PersonChange.objects.bulk_create(
        [PersonChange(person_id=i, changed_at=now) for i in ids],
        update_conflicts=True, unique_fields=["person_id"], update_fields=["changed_at"],
    )


def rows_moved(person_ids: Iterable[int]) -> None:
    """Rows of these persons were moved without signals (a merge, its undo): republish them and
    everyone named with them in a testimony (the all-public rule reads every person of it)."""
    from aigaq.registry.models import TestimonyPerson

    ids = [int(i) for i in person_ids if i is not None]
    testimonies = TestimonyPerson.objects.filter(person_id__in=ids).values_list("testimony_id", flat=True)
    touch([*ids, *_persons_of_testimonies(list(testimonies))])


def _persons_of_testimonies(testimony_ids: Iterable[int]) -> list[int]:
    from aigaq.registry.models import TestimonyPerson

    return list(TestimonyPerson.objects.filter(testimony_id__in=list(testimony_ids))
                .values_list("person_id", flat=True))


def _on_person_child(sender, instance, **kw) -> None:
    touch([instance.person_id])


def _on_testimony(sender, instance, **kw) -> None:
    touch(_persons_of_testimonies([instance.pk]))


def _on_link(sender, instance, **kw) -> None:
    # A link changes what every person of that testimony may show (the all-public rule).
    touch([instance.person_id, *_persons_of_testimonies([instance.testimony_id])])


def _on_translation(sender, instance, **kw) -> None:
    touch(_persons_of_testimonies([instance.testimony_id]))


def _on_witness(sender, instance, **kw) -> None:
    if instance.pk is None:
        return
    touch(_persons_of_testimonies(instance.testimonies.values_list("id", flat=True)))


def _on_person(sender, instance, **kw) -> None:
    touch([instance.pk, *_persons_of_testimonies(
        instance.testimony_links.values_list("testimony_id", flat=True) if instance.pk else [])])


def _on_testimony_persons(sender, instance, action, pk_set, **kw) -> None:
    if action.startswith("post_"):
        touch(list(pk_set or []) + _persons_of_testimonies([instance.pk]))


def _persons_of_item(item_id: int) -> list[int]:
    """Everyone whose page may show this evidence item: linked directly or through a testimony."""
    from aigaq.vault.models import EvidenceLink

    links = list(EvidenceLink.objects.filter(item_id=item_id).values_list("person_id", "testimony_id"))
    return [p for p, _ in links if p] + _persons_of_testimonies([t for _, t in links if t])


def _on_evidence_item(sender, instance, created=False, **kw) -> None:
    # Cleared for publication or withdrawn: its media appear on, or leave, these pages. A new item
    # has no links yet (and is not cleared): nothing to look up.
    if not created and instance.derivative_of_id is None:
        touch(_persons_of_item(instance.pk))


def _on_evidence_link(sender, instance, **kw) -> None:
    # A new link can publish a cleared file on another page, or keep it in (the all-public rule).
    touch([instance.person_id, *_persons_of_testimonies([instance.testimony_id]),
           *_persons_of_item(instance.item_id)])


def connect() -> None:
    from aigaq.registry.models import (
        Event,
        Person,
        PersonName,
        Testimony,
        TestimonyPerson,
        Translation,
        Witness,
    )

    uid = "aigaq.publish.changes"
    for model, handler in ((PersonName, _on_person_child), (Event, _on_person_child),
                           (Testimony, _on_testimony), (TestimonyPerson, _on_link),
                           (Translation, _on_translation), (Witness, _on_witness)):
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    from aigaq.vault.models import EvidenceItem, EvidenceLink

    post_save.connect(_on_evidence_item, sender=EvidenceItem, dispatch_uid=f"{uid}.save.EvidenceItem")
    for event, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_on_evidence_link, sender=EvidenceLink, dispatch_uid=f"{uid}.{event}.EvidenceLink")
    # A person's own publication level can hide or show the text of shared testimonies.
    post_save.connect(_on_person, sender=Person, dispatch_uid=f"{uid}.save.Person")
    m2m_changed.connect(_on_testimony_persons, sender=Testimony.persons.through,
                        dispatch_uid=f"{uid}.m2m.persons")
