"""A person's current status, derived from their events and never typed twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from aigaq.registry.choices import EventType, Status

# What each kind of event says about where the person is now. None: it says nothing new
# (a transfer keeps them held; a child's boarding school is about the child's family).
EVENT_STATUS: dict[str, str | None] = {
    EventType.DETAINED: Status.DETAINED,
    EventType.ARRESTED: Status.DETAINED,
    EventType.SENTENCED: Status.IMPRISONED,
    EventType.TRANSFERRED: None,
    EventType.RELEASED: Status.RELEASED,
    EventType.FORCED_LABOUR: Status.FORCED_LABOUR,
    EventType.DOCUMENTS_CONFISCATED: None,
    EventType.HOUSE_ARREST: Status.RESTRICTED,
    EventType.DISAPPEARED: Status.DISAPPEARED,
    EventType.DIED: Status.DECEASED,
    EventType.CHILD_BOARDING: None,
    EventType.OTHER: None,
}
DETENTION_TYPES = {EventType.DETAINED, EventType.ARRESTED, EventType.SENTENCED}


@dataclass(frozen=True)
class Derived:
    status: str
    since: date | None
    detention_year: int | None


def derive(events: Iterable) -> Derived:
    """Status from events in date order; undated events count after dated ones, in entry order.

    Death is final whatever is recorded later. A release followed by a confiscation of travel
    documents reads as "released, movement restricted", the common case for those let out of camps.
    """
    dated = sorted(events, key=lambda e: (e.date_start is None, e.date_start or date.min, e.pk or 0))
    status, since, first_detention = Status.UNKNOWN, None, None
    for e in dated:
        if e.type in DETENTION_TYPES and e.date_start and first_detention is None:
            first_detention = e.date_start.year
        if status == Status.DECEASED:
            continue
        new = EVENT_STATUS.get(e.type)
        if e.type == EventType.DOCUMENTS_CONFISCATED and status == Status.RELEASED:
            new = Status.RESTRICTED
        if new is not None:
            status, since = new, e.date_start
    return Derived(status=status, since=since, detention_year=first_detention)


def refresh_derived(person) -> Derived:
    """Recompute and store a person's derived fields. Call after any change to their events."""
    d = derive(person.events.all())
    type(person).objects.filter(pk=person.pk).update(
        status=d.status, status_since=d.since, detention_year=d.detention_year
    )
    person.status, person.status_since, person.detention_year = d.status, d.since, d.detention_year
    return d
