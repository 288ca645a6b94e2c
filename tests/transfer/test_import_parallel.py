"""Large files are checked in a forked process while this one writes (load._forked): the same
report and the same rows as checking in one process, and nothing half-imported when the
checking side fails or dies."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from aigaq.registry.models import Event, NameKey, Person, PersonName
from aigaq.transfer import load
from aigaq.transfer.load import ImportFailed, run_import

pytestmark = [pytest.mark.django_db,
              # the test runner has helper threads; the importer forks only when alone (load._use_fork)
              pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")]

HEADER = ["ФИО", "Пол", "Туған жылы", "Дата задержания", "Домашний уезд", "Примечание"]
ROWS = [
    ["Нұрлан Серікұлы", "м", "1975", "12.03.2018", "654021", "свидетель: сестра"],
    ["Айгүл Болатқызы", "ж", "1980", "2018-03-12", "Yining County", ""],
    ["Ержан Маратұлы", "ер", "1966", "March 2018", "", ""],
    ["Гүлнар Қайратқызы", "әйел", "1990", "2018", "", ""],
]


def write_csv(path, rows):
    path.write_bytes(("\r\n".join(",".join(r) for r in rows) + "\r\n").encode("utf-8"))
    return path


def snapshot() -> dict:
    return {
        "persons": sorted(Person.objects.values_list("display_name", "gender", "birth_year_min", "status",
                                                     "detention_year", "home_place__code")),
        "names": sorted(PersonName.objects.values_list("person__display_name", "text", "script")),
        "events": sorted(Event.objects.values_list("person__display_name", "type", "date_start", "date_end",
                                                   "date_precision", "description")),
        "keys": sorted(NameKey.objects.values_list("name__text", "key")),
    }


def comparable(report) -> dict:
    d = report.as_dict()
    for k in ("seconds", "peak_rss_mb", "batch", "mapping_from"):  # the second run remembers the layout
        d.pop(k)
    return d


def test_checking_in_a_fork_gives_the_same_report_and_rows(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 3)  # several batches cross the pipe
    rows = [HEADER, *ROWS, ["", "", "", "", "", ""], *[[f"{r[0]} {i}", *r[1:]] for i, r in enumerate(ROWS * 3)]]
    path = write_csv(tmp_path / "people.csv", rows)
    here = run_import(path, workers=1)
    first = snapshot()
    Person.objects.all().delete()
    forked = run_import(path, workers=2)
    assert here.persons == forked.persons == 16 and here.empty_rows == 1
    assert comparable(here) == comparable(forked)
    assert snapshot() == first


def test_the_report_of_a_file_with_problems_is_the_same_from_a_fork(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)
    rows = [HEADER, *ROWS, ["", "м", "1970", "2019", "", ""], *ROWS, ["Болат", "x", "19x", "", "", ""]]
    path = write_csv(tmp_path / "late.csv", rows)
    here, forked = run_import(path, workers=1), run_import(path, workers=2)
    assert comparable(here) == comparable(forked)
    assert forked.invalid == 2 and [i.row for i in forked.issues] == [6, 11, 11]
    assert not forked.written and Person.objects.count() == 0
    only = run_import(path, workers=2, only_valid=True)
    assert only.written and only.persons == 8 and Person.objects.count() == 8


def test_a_checking_process_that_dies_leaves_nothing_imported(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)
    parent = os.getpid()
    real = load._Checking._ready

    def dies_on_row_5(self, r):
        if os.getpid() != parent and r.row == 5:
            os._exit(9)  # as if killed: no message down the pipe
        return real(self, r)

    monkeypatch.setattr(load._Checking, "_ready", dies_on_row_5)
    with pytest.raises(ImportFailed, match="checking process stopped"):
        run_import(write_csv(tmp_path / "people.csv", [HEADER, *ROWS, *ROWS]), workers=2)
    assert (Person.objects.count(), PersonName.objects.count(), NameKey.objects.count()) == (0, 0, 0)


def test_a_file_unreadable_halfway_is_reported_from_the_fork_and_nothing_is_kept(tmp_path, gazetteer,
                                                                                 monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)
    good = "\r\n".join(",".join(r) for r in [HEADER, *ROWS, *ROWS]).encode("utf-8")
    path = tmp_path / "broken.csv"
    path.write_bytes(good + b"\r\n\xff\xfe broken,m,1970,,,\r\n")
    with pytest.raises(ImportFailed, match="not valid"):
        run_import(path, workers=2, encoding="utf-8")
    assert Person.objects.count() == 0


def test_duplicates_are_proposed_with_keys_computed_in_the_fork(tmp_path, gazetteer):
    from aigaq.linkage.models import MatchCandidate
    from aigaq.registry.record import create_person

    existing = create_person(["Нұрлан Серікұлы"], gender="m", birth_year_min=1975, birth_year_max=1975)
    rows = [["Name", "Gender", "Birth year"], ["努尔兰·赛力克", "m", "1975"], ["Бақыт Ержанұлы", "m", "1990"]]
    report = run_import(write_csv(tmp_path / "zh.csv", rows), workers=2)
    [match] = report.matches
    assert match["existing"] == existing.pk and match["row"] == 2
    new = Person.objects.get(names__text="努尔兰·赛力克")
    assert {(c.left_id, c.right_id) for c in MatchCandidate.objects.all()} == {tuple(sorted((existing.pk, new.pk)))}
    cand = MatchCandidate.objects.get()
    assert cand.state == "open" and cand.name_similarity >= 0.8 and cand.found_at is not None
    assert any("aigaq import (row 2)" in e["detail"] for e in cand.evidence), cand.evidence
    assert NameKey.objects.filter(person=new).exists()


def test_an_xlsx_checked_in_a_fork_gives_the_same_report(tmp_path, gazetteer, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(load, "CHUNK", 2)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ФИО", "Пол", "Задержание", None, "Туған жылы"])
    ws.append([None, None, "Дата", "Место", None])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        ws.merge_cells(cells)
    for i in range(5):
        ws.append([f"Нұрлан Серікұлы {i}", "м", datetime(2018, 3, 12 + i), "Yining County", 1975])
    ws.append(["Айгүл Болатқызы", "ж", "March 2018", "654021", "=1900+80"])  # never computed: no value
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    here, forked = run_import(path, workers=1), run_import(path, workers=2)
    assert comparable(here) == comparable(forked) and forked.invalid == 1 and forked.valid == 5
    written = run_import(path, workers=2, only_valid=True)
    assert written.persons == 5 and Person.objects.count() == 5
    assert Event.objects.filter(place__code="654021", date_precision="day").count() == 5
    assert Event.objects.filter(date_start=date(2018, 3, 16)).count() == 1
