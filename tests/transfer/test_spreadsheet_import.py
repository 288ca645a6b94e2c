"""`aigaq import FILE.csv|.xlsx` on the files groups really have: legacy encodings, odd separators,
two-row headers, formulas, empty rows, four styles of date; all or nothing unless asked."""

from __future__ import annotations

import codecs
from datetime import date, datetime

import pytest

from aigaq.registry.models import Event, Person, PersonName
from aigaq.transfer import load
from aigaq.transfer.load import run_import

pytestmark = pytest.mark.django_db

HEADER = ["ФИО", "Пол", "Туған жылы", "Дата задержания", "Домашний уезд", "Примечание"]
ROWS = [
    ["Нұрлан Серікұлы", "м", "1975", "12.03.2018", "654021", "свидетель: сестра"],
    ["Айгүл Болатқызы", "ж", "1980", "2018-03-12", "Yining County", ""],
    ["Ержан Маратұлы", "ер", "1966", "March 2018", "", ""],
    ["Гүлнар Қайратқызы", "әйел", "1990", "2018", "", ""],
]


def write_csv(path, rows, *, encoding="utf-8", sep=","):
    text = "\r\n".join(sep.join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def names_of_imported() -> list[str]:
    return sorted(PersonName.objects.values_list("text", flat=True))


def test_utf8_with_bom_is_read_and_the_bom_is_not_part_of_the_first_header(tmp_path, gazetteer):
    path = write_csv(tmp_path / "bom.csv", [HEADER, *ROWS], encoding="utf-8-sig")
    report = run_import(path)
    assert report.encoding == "UTF-8 with BOM"
    assert report.headers[0] == "ФИО" and report.mapping[0] == "name"
    assert report.written and report.persons == 4
    assert names_of_imported() == sorted(r[0] for r in ROWS)


def test_windows_1251_with_semicolons(tmp_path, gazetteer):
    # cp1251 has no Kazakh letters: legacy files spell names the Russian way.
    rows = [["ФИО", "Пол", "Год рождения", "Дата задержания"],
            ["Серiков Нурлан Серiкович", "муж", "1975", "12.03.2018"],
            ["Болатова Айгуль", "жен", "1980", "март 2018"]]
    path = write_csv(tmp_path / "legacy.csv", rows, encoding="cp1251", sep=";")
    report = run_import(path)
    assert (report.encoding, report.delimiter) == ("cp1251", ";")
    assert report.written, report.issues
    assert names_of_imported() == sorted(["Серiков Нурлан Серiкович", "Болатова Айгуль"])
    assert set(Person.objects.values_list("gender", flat=True)) == {"m", "f"}


def test_utf16_with_tabs_as_excel_saves_unicode_text(tmp_path, gazetteer):
    path = tmp_path / "excel.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join("\t".join(r) for r in [HEADER, *ROWS]).encode("utf-16-le"))
    report = run_import(path)
    assert report.encoding == "UTF-16" and report.delimiter == "\t"
    assert report.written and names_of_imported() == sorted(r[0] for r in ROWS)


def test_the_four_date_styles_keep_their_precision(tmp_path, gazetteer):
    run_import(write_csv(tmp_path / "dates.csv", [HEADER, *ROWS]))
    got = {e.person.display_name: (e.date_start, e.date_end, e.date_precision)
           for e in Event.objects.select_related("person")}
    assert got["Нұрлан Серікұлы"] == (date(2018, 3, 12), date(2018, 3, 12), "day")
    assert got["Айгүл Болатқызы"] == (date(2018, 3, 12), date(2018, 3, 12), "day")
    assert got["Ержан Маратұлы"] == (date(2018, 3, 1), date(2018, 3, 31), "month")
    assert got["Гүлнар Қайратқызы"] == (date(2018, 1, 1), date(2018, 12, 31), "year")
    assert Person.objects.get(display_name="Нұрлан Серікұлы").status == "detained"
    assert Person.objects.get(display_name="Нұрлан Серікұлы").home_place.code == "654021"


def test_empty_rows_are_skipped_not_reported(tmp_path, gazetteer):
    path = write_csv(tmp_path / "gaps.csv", [HEADER, ROWS[0], [""] * 6, [], ROWS[1], [" "] * 6])
    report = run_import(path)
    assert report.empty_rows == 3 and report.rows == 2 and not report.issues
    assert report.persons == 2


def test_a_bad_row_is_reported_by_file_row_column_value_and_expectation(tmp_path, gazetteer):
    bad = ["Болат", "x", "1975", "31.02.2018", "Atlantis", ""]
    path = write_csv(tmp_path / "bad.csv", [HEADER, ROWS[0], bad])
    report = run_import(path)
    issues = {i.column: i for i in report.issues}
    assert set(issues) == {"B (Пол)", "D (Дата задержания)", "E (Домашний уезд)"}
    date_issue = issues["D (Дата задержания)"]
    assert (date_issue.file, date_issue.row, date_issue.value) == ("bad.csv", 3, "31.02.2018")
    assert "not a real date" in date_issue.expected
    assert "gazetteer place" in issues["E (Домашний уезд)"].expected
    line = load.format_report(report)
    assert "bad.csv row 3, column B (Пол): “x” — a gender" in line
    assert "--only-valid" in line


def test_nothing_is_half_imported_from_a_file_with_a_late_error(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)  # so good rows are written before the bad one is read
    before = (Person.objects.count(), PersonName.objects.count(), Event.objects.count())
    rows = [HEADER, *ROWS, ["", "м", "1970", "2019", "", ""], *ROWS]  # row 6 has no name
    report = run_import(write_csv(tmp_path / "late.csv", rows))
    assert report.invalid == 1 and report.issues[0].row == 6 and "name" in report.issues[0].expected
    assert not report.written and report.persons == 0
    assert (Person.objects.count(), PersonName.objects.count(), Event.objects.count()) == before


def test_only_valid_imports_the_valid_rows(tmp_path, gazetteer, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)
    rows = [HEADER, *ROWS, ["Болат", "x", "", "", "", ""]]
    report = run_import(write_csv(tmp_path / "some.csv", rows), only_valid=True)
    assert report.written and report.persons == 4 and report.invalid == 1
    assert "Болат" not in names_of_imported()


def test_dry_run_writes_nothing_and_reports_the_same(tmp_path, gazetteer):
    report = run_import(write_csv(tmp_path / "dry.csv", [HEADER, *ROWS]), dry_run=True)
    assert report.valid == 4 and not report.written
    assert Person.objects.count() == 0


def test_xlsx_with_a_merged_two_row_header_dates_and_a_formula(tmp_path, gazetteer):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ФИО", "Пол", "Задержание", None, "Туған жылы"])
    ws.append([None, None, "Дата", "Место", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:E2")
    ws.append(["Нұрлан Серікұлы", "м", datetime(2018, 3, 12), "Yining County", 1975])
    ws.append([None, None, None, None, None])
    ws.append(["Айгүл Болатқызы", "ж", "March 2018", "654021", "=1900+80"])  # never computed: no value
    path = tmp_path / "merged.xlsx"
    wb.save(path)

    report = run_import(path)
    assert report.headers == ["ФИО", "Пол", "Задержание / Дата", "Задержание / Место", "Туған жылы"]
    assert report.mapping == ["name", "gender", "detained_on", "detention_place", "birth"]
    assert report.empty_rows == 1 and report.rows == 2
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (5, "E (Туған жылы)", "=1900+80")
    assert "formula" in issue.expected
    assert not report.written and Person.objects.count() == 0

    report = run_import(path, only_valid=True)
    person = Person.objects.get()
    event = person.events.get()
    assert (person.display_name, person.birth_year_min) == ("Нұрлан Серікұлы", 1975)
    assert (event.date_start, event.date_precision, event.place.code) == (date(2018, 3, 12), "day", "654021")


def test_the_mapping_of_a_layout_is_remembered(tmp_path, gazetteer):
    rows = [HEADER, *ROWS]
    first = run_import(write_csv(tmp_path / "a.csv", rows), mapping="Примечание=event_notes")
    assert first.mapping_from == "given" and first.mapping[5] == "event_notes"
    assert Event.objects.filter(description="свидетель: сестра").exists()
    second = run_import(write_csv(tmp_path / "b.csv", rows), dry_run=True)
    assert second.mapping_from == "remembered" and second.mapping == first.mapping
    other = run_import(write_csv(tmp_path / "c.csv", [[*HEADER, "Extra"], *[[*r, ""] for r in ROWS]]), dry_run=True)
    assert other.mapping_from == "guessed" and other.mapping[5] == "notes"


def test_an_imported_person_who_matches_an_existing_one_across_scripts_is_proposed_for_review(tmp_path, gazetteer):
    from aigaq.registry.record import create_person

    existing = create_person(["Нұрлан Серікұлы"], gender="m", birth_year_min=1975, birth_year_max=1975)
    rows = [["Name", "Gender", "Birth year"], ["努尔兰·赛力克", "m", "1975"], ["Бақыт Ержанұлы", "m", "1990"]]
    report = run_import(write_csv(tmp_path / "zh.csv", rows))
    assert report.written and report.persons == 2
    [match] = report.matches
    assert match["existing"] == existing.pk and match["name"] == "努尔兰·赛力克" and match["row"] == 2
    new = Person.objects.get(names__text="努尔兰·赛力克")
    from aigaq.linkage.models import MatchCandidate

    cand = MatchCandidate.objects.get()
    assert {cand.left_id, cand.right_id} == {existing.pk, new.pk} and cand.state == "open"
    assert cand.name_similarity >= 0.8
    # The imported person is kept (for a reviewer to merge), not silently folded in.
    assert Person.objects.count() == 2 + 1
