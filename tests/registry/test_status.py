from dataclasses import dataclass
from datetime import date

from aigaq.registry.status import derive


@dataclass
class E:
    type: str
    date_start: date | None
    pk: int = 0


def test_no_events_means_unknown():
    d = derive([])
    assert d.status == "unknown" and d.detention_year is None


def test_latest_event_sets_status_whatever_the_entry_order():
    d = derive([E("sentenced", date(2019, 5, 1), 2), E("detained", date(2018, 3, 1), 1)])
    assert d.status == "imprisoned"
    assert d.since == date(2019, 5, 1)
    assert d.detention_year == 2018


def test_transfer_keeps_the_person_held():
    d = derive([E("detained", date(2018, 3, 1)), E("transferred", date(2019, 1, 1))])
    assert d.status == "detained"


def test_release_then_passport_confiscated_reads_as_restricted():
    d = derive([E("detained", date(2018, 3, 1)), E("released", date(2019, 9, 1)),
                E("documents_confiscated", date(2019, 10, 1))])
    assert d.status == "restricted"


def test_death_is_final():
    d = derive([E("detained", date(2018, 3, 1)), E("died", date(2019, 1, 1)), E("released", date(2020, 1, 1))])
    assert d.status == "deceased"


def test_undated_events_count_after_dated_ones():
    d = derive([E("disappeared", None, 5), E("detained", date(2018, 3, 1), 1)])
    assert d.status == "disappeared"
