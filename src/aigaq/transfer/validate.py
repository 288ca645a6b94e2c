"""One spreadsheet row -> a person with names and events, or the problems that stop it.

The same rules as the staff forms and the API (registry.forms, registry.validators,
registry.dates.parse_fuzzy_date), applied cell by cell so that the report can name the file,
the row, the column, the value and what was expected. Lookups (places, facilities) are cached
per import: a 100,000-row file names a few hundred places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from aigaq.registry.choices import Ethnicity, Gender, Publication
from aigaq.registry.dates import DateError, FuzzyDate, parse_fuzzy_date
from aigaq.registry.models import NAME_MAX, Place
from aigaq.registry.validators import LINE_VALIDATORS, TEXT_VALIDATORS, clean_text
from aigaq.transfer.readers import CellError, column_letter

GENDERS = {
    "m": Gender.MALE, "male": Gender.MALE, "man": Gender.MALE, "м": Gender.MALE, "муж": Gender.MALE,
    "мужской": Gender.MALE, "мужчина": Gender.MALE, "ер": Gender.MALE, "еркек": Gender.MALE, "男": Gender.MALE,
    "f": Gender.FEMALE, "female": Gender.FEMALE, "woman": Gender.FEMALE, "ж": Gender.FEMALE,
    "жен": Gender.FEMALE, "женский": Gender.FEMALE, "женщина": Gender.FEMALE, "әйел": Gender.FEMALE,
    "қыз": Gender.FEMALE, "女": Gender.FEMALE,
}
ETHNICITIES = {
    Ethnicity.KAZAKH: ("kazakh", "qazaq", "казах", "казашка", "казахи", "қазақ", "哈萨克", "哈萨克族"),
    Ethnicity.UYGHUR: ("uyghur", "uighur", "uygur", "уйгур", "уйгурка", "ұйғыр", "维吾尔", "维吾尔族"),
    Ethnicity.KYRGYZ: ("kyrgyz", "kirghiz", "киргиз", "кыргыз", "киргизка", "қырғыз", "柯尔克孜", "柯尔克孜族"),
    Ethnicity.TATAR: ("tatar", "татар", "татарин", "татарка", "塔塔尔", "塔塔尔族"),
    Ethnicity.HUI: ("hui", "dungan", "дунган", "дүңген", "хуэй", "回", "回族"),
    Ethnicity.UZBEK: ("uzbek", "узбек", "узбечка", "өзбек", "乌孜别克", "乌孜别克族"),
    Ethnicity.HAN: ("han", "хань", "ханьцы", "китаец", "қытай", "汉", "汉族"),
    Ethnicity.OTHER: ("other", "другое", "другая", "басқа", "其他"),
}
ETHNICITY_WORDS = {w: code for code, words in ETHNICITIES.items() for w in words}
PUBLICATIONS = {
    "public": Publication.PUBLIC, "публично": Publication.PUBLIC, "да": Publication.PUBLIC,
    "yes": Publication.PUBLIC, "жария": Publication.PUBLIC, "иә": Publication.PUBLIC,
    "anonymised": Publication.ANONYMISED, "anonymized": Publication.ANONYMISED, "anonymous": Publication.ANONYMISED,
    "анонимно": Publication.ANONYMISED, "анонимді": Publication.ANONYMISED,
    "internal": Publication.INTERNAL, "no": Publication.INTERNAL, "нет": Publication.INTERNAL,
    "внутреннее": Publication.INTERNAL, "ішкі": Publication.INTERNAL, "жоқ": Publication.INTERNAL,
}
PLACE_NAMES = ("name_en", "name_zh", "name_pinyin", "name_kk", "name_ug", "name_ru")
_YEARS = re.compile(r"(\d{4})\s*(?:-|–|—|\.\.)\s*(\d{4})")


@dataclass(frozen=True)
class Issue:
    file: str
    row: int
    column: str  # "D (Дата задержания)"
    value: str
    expected: str

    def line(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "…"
        return f"{self.file} row {self.row}, column {self.column}: “{value}” — {self.expected}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "expected": self.expected}


@dataclass
class EventRow:
    type: str
    date: FuzzyDate | None = None
    place_id: int | None = None
    facility: str = ""  # name as written; resolved (or created) by the loader
    sentence_months: int | None = None
    charge: str = ""
    description: str = ""


@dataclass
class PersonRow:
    row: int
    names: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    events: list[EventRow] = field(default_factory=list)


class RowChecker:
    def __init__(self, filename: str, headers: list[str], mapping: list[str], *, today: date | None = None):
        self.filename, self.headers, self.mapping = filename, headers, mapping
        self.today = today or date.today()
        self.columns = [f"{column_letter(i)} ({h})" if h else column_letter(i) for i, h in enumerate(headers)]
        self._by_code: dict[str, int] | None = None
        self._by_name: dict[str, set[int]] = {}

    # -- lookups -----------------------------------------------------------------------------

    def load_places(self) -> None:
        """Read the whole gazetteer once (a few thousand rows), not a query per distinct cell.
        After this the checker reads no database (the importer may check rows in a fork)."""
        if self._by_code is not None:
            return
        self._by_code, self._by_name = {}, {}
        for row in Place.objects.values_list("pk", "code", *PLACE_NAMES):
            self._by_code[row[1]] = row[0]
            for name in row[2:]:
                if name:
                    self._by_name.setdefault(name.casefold(), set()).add(row[0])

    def place(self, text: str) -> int | str:
        """A place's id, or the reason it cannot be used (what to write instead)."""
        self.load_places()
        text = text.strip()
        if text in self._by_code:
            return self._by_code[text]
        ids = self._by_name.get(text.casefold(), set())
        if len(ids) > 1:
            return "several gazetteer places have this name: give the place's code instead"
        if ids:
            return next(iter(ids))
        return ("a gazetteer place: its code (e.g. 654002) or its name in English, Chinese, "
                "pinyin, Kazakh, Uyghur or Russian")

    # -- the row -----------------------------------------------------------------------------

    def check(self, row: int, cells: list) -> tuple[PersonRow | None, list[Issue]]:
        issues: list[Issue] = []
        out = PersonRow(row)
        values: dict[str, tuple[int, str]] = {}

        def bad(col: int, value: str, expected: str) -> None:
            issues.append(Issue(self.filename, row, self.columns[col] if col < len(self.columns)
                                else column_letter(col), value, expected))

        for col, field_name in enumerate(self.mapping):
            if not field_name:
                continue
            cell = cells[col] if col < len(cells) else ""
            if isinstance(cell, CellError):
                bad(col, cell.raw, cell.reason)
                continue
            text = clean_text(cell)
            if not text:
                continue
            if field_name == "name":
                problem = self._line(text, NAME_MAX)
                if problem:
                    bad(col, text, problem)
                else:
                    out.names.append(text)
            else:
                values[field_name] = (col, text)
        if len(cells) > len(self.mapping) and any(str(c).strip() for c in cells[len(self.mapping):]):
            extra = next(i for i in range(len(self.mapping), len(cells)) if str(cells[i]).strip())
            bad(extra, str(cells[extra]), "nothing here: this row has more cells than the header has columns")
        if not out.names:
            first = self.mapping.index("name")
            bad(first, "", "the person's name (every row needs at least one name)")
        self._person_fields(values, out, bad)
        self._events(values, out, bad)
        return (None if issues else out), issues

    @staticmethod
    def _line(text: str, limit: int, validators=LINE_VALIDATORS) -> str | None:
        if len(text) > limit:
            return f"at most {limit} characters (this has {len(text)})"
        if text.isprintable() and "<" not in text and "&" not in text and "script:" not in text.casefold():
            return None  # nothing the validators could refuse: skip them (most cells)
        for v in validators:
            try:
                v(text)
            except ValidationError as exc:
                return " ".join(str(m) for m in exc.messages)
        return None

    def _date(self, values, key, bad) -> FuzzyDate | None:
        if key not in values:
            return None
        col, text = values[key]
        try:
            return parse_fuzzy_date(text, today=self.today)
        except DateError as exc:
            bad(col, text, f"a date: {exc}")
            return None

    def _person_fields(self, values, out: PersonRow, bad) -> None:
        f = out.fields
        if "gender" in values:
            col, text = values["gender"]
            g = GENDERS.get(text.casefold().rstrip("."))
            if g is None:
                bad(col, text, "a gender: m or f (also male/female, м/ж, ер/әйел)")
            else:
                f["gender"] = str(g)
        if "ethnicity" in values:
            col, text = values["ethnicity"]
            e = ETHNICITY_WORDS.get(text.casefold())
            if e is None:
                bad(col, text, "an ethnicity: " + ", ".join(str(c) for c in ETHNICITIES))
            else:
                f["ethnicity"] = str(e)
        if "publication" in values:
            col, text = values["publication"]
            p = PUBLICATIONS.get(text.casefold())
            if p is None:
                bad(col, text, "public, anonymised or internal")
            else:
                f["publication"] = str(p)
        if "birth" in values:
            col, text = values["birth"]
            years = self._birth(text)
            if isinstance(years, str):
                bad(col, text, years)
            else:
                f["birth_year_min"], f["birth_year_max"] = years
        for key, limit in (("citizenship", 60), ("occupation", NAME_MAX)):
            if key in values:
                col, text = values[key]
                problem = self._line(text, limit)
                if problem:
                    bad(col, text, problem)
                else:
                    f[key] = text
        if "notes" in values:
            col, text = values["notes"]
            problem = self._line(text, 20_000, TEXT_VALIDATORS)
            if problem:
                bad(col, text, problem)
            else:
                f["internal_notes"] = text
        if "home_place" in values:
            col, text = values["home_place"]
            found = self.place(text)
            if isinstance(found, str):
                bad(col, text, found)
            else:
                f["home_place_id"] = found

    def _birth(self, text: str) -> tuple[int, int] | str:
        """A year, a range of years (1970-1979) or a date: the range of possible birth years."""
        expected = "a birth year between 1880 and this year (1975), a range (1970–1979) or a date"
        m = _YEARS.fullmatch(text)
        if m:
            lo, hi = int(m[1]), int(m[2])
        else:
            try:
                d = parse_fuzzy_date(text, today=self.today)
            except DateError:
                return expected
            lo, hi = d.start.year, d.end.year
        if not (1880 <= lo <= hi <= self.today.year):
            return expected
        return lo, hi

    def _events(self, values, out: PersonRow, bad) -> None:
        detained = self._date(values, "detained_on", bad)
        place_id = None
        if "detention_place" in values:
            col, text = values["detention_place"]
            found = self.place(text)
            if isinstance(found, str):
                bad(col, text, found)
            else:
                place_id = found
        facility = ""
        if "facility" in values:
            col, text = values["facility"]
            problem = self._line(text, NAME_MAX)
            if problem:
                bad(col, text, problem)
            else:
                facility = text
        description = ""
        if "event_notes" in values:
            col, text = values["event_notes"]
            problem = self._line(text, 20_000, TEXT_VALIDATORS)
            if problem:
                bad(col, text, problem)
            else:
                description = text
        if detained or place_id or facility or description:
            out.events.append(EventRow("detained", detained, place_id, facility, description=description))
        sentenced = self._date(values, "sentenced_on", bad)
        months = None
        if "sentence_years" in values:
            col, text = values["sentence_years"]
            m = re.fullmatch(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:years?|лет|года?|жыл|年)?", text.casefold())
            years = float(m[1].replace(",", ".")) if m else None
            if years is None or not 0 < years <= 100:
                bad(col, text, "a sentence in years, e.g. 10 or 7.5 (at most 100)")
            else:
                months = round(years * 12)
        charge = ""
        if "charge" in values:
            col, text = values["charge"]
            problem = self._line(text, 300)
            if problem:
                bad(col, text, problem)
            else:
                charge = text
        if sentenced or months or charge:
            out.events.append(EventRow("sentenced", sentenced, sentence_months=months, charge=charge))
        released = self._date(values, "released_on", bad)
        if released:
            out.events.append(EventRow("released", released))
        dated = [e.date for e in out.events if e.date]
        for a, b in zip(dated, dated[1:], strict=False):
            if b.end < a.start:
                col = values.get("released_on", values.get("sentenced_on", (0, "")))
                bad(col[0], col[1], "a date after the detention (the events are in the wrong order)")
                break
