"""The one way to write names and events, used by forms, the API, imports and the demo seeder."""

from __future__ import annotations

from django.db import transaction

from aigaq import names as names_engine
from aigaq.registry.choices import NameKind
from aigaq.registry.models import Person, PersonName
from aigaq.registry.search import index_name
from aigaq.registry.status import refresh_derived
from aigaq.registry.validators import clean_text


def add_name(person: Person, text: str, *, kind: str = NameKind.FULL, script: str = "", testimony=None) -> PersonName:
    text = clean_text(text)
    name = PersonName(
        person=person, text=text, kind=kind, testimony=testimony,
        script=script or names_engine.detect_script(text),
    )
    name.full_clean(exclude=["person", "testimony"])
    name.save()
    index_name(name)
    if not person.display_name:
        person.display_name = text
        person.save(update_fields=["display_name"])
    return name


@transaction.atomic
def create_person(names: list[str], **fields) -> Person:
    if not any(clean_text(n) for n in names):
        raise ValueError("a person needs at least one name")
    person = Person(display_name=clean_text(next(n for n in names if clean_text(n))), **fields)
    person.full_clean()
    person.save()
    for text in names:
        if clean_text(text):
            add_name(person, text)
    return person


def events_changed(person: Person) -> None:
    refresh_derived(person)
