"""Dates as witnesses give them: a day, a month, a year or a range ("in 2018", "spring 2019").

One parser for forms, the API and imports, so every entry point accepts and refuses the same.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

EARLIEST_YEAR = 1900

_MONTHS = {
    # English, Russian, Kazakh month names (nominative and genitive), lower-case.
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7, "июля": 7,
    "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10, "октября": 10,
    "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}


class DateError(ValueError):
    """A date that cannot be understood or cannot be true. The message says what to write."""


@dataclass(frozen=True)
class FuzzyDate:
    start: date
    end: date
    precision: str  # "day" | "month" | "year" | "range"

    def __str__(self) -> str:
        return format_fuzzy(self.start, self.end, self.precision)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(text: str) -> FuzzyDate:
    t = text.strip().lower().rstrip(".")
    try:
        if m := re.fullmatch(r"(\d{4})", t):
            y = int(m[1])
            return FuzzyDate(date(y, 1, 1), date(y, 12, 31), "year")
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            y, mo = int(m[1]), int(m[2])
            return FuzzyDate(date(y, mo, 1), _month_end(y, mo), "month")
        if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", t):
            y, mo = int(m[2]), int(m[1])
            return FuzzyDate(date(y, mo, 1), _month_end(y, mo), "month")
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return FuzzyDate(d, d, "day")
        if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", t):
            d = date(int(m[3]), int(m[2]), int(m[1]))  # day.month.year, as written in KZ/RU
            return FuzzyDate(d, d, "day")
        if m := re.fullmatch(r"([^\W\d_]+)\.?\s+(\d{4})(?:\s*(?:г|ж)\.?)?", t):
            mo = _MONTHS.get(m[1])
            if mo:
                y = int(m[2])
                return FuzzyDate(date(y, mo, 1), _month_end(y, mo), "month")
        if m := re.fullmatch(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})(?:\s*(?:г|ж)\.?)?", t):
            mo = _MONTHS.get(m[2])
            if mo:
                d = date(int(m[3]), mo, int(m[1]))
                return FuzzyDate(d, d, "day")
    except ValueError as exc:
        raise DateError(_("“%(text)s” is not a real date (%(reason)s).") % {"text": text, "reason": exc}) from None
    raise DateError(
        _("“%(text)s” is not a date Aigaq understands. Write 2018, 2018-03, March 2018, "
          "12.03.2018 or 2018-03-12, or a range such as 2017–2019.") % {"text": text}
    )


_RANGE_SPLIT = re.compile(r"\s*(?:\.\.|–|—|/(?=\s*\d{4}\b(?!\s*[./-]))|\s-\s|\bto\b|\bпо\b)\s*")


def parse_fuzzy_date(text: str, *, today: date | None = None) -> FuzzyDate:
    """Parse one date or a range. Raises DateError with a message for the person who typed it."""
    text = (text or "").strip()
    if not text:
        raise DateError(_("The date is empty."))
    if len(text) > 60:
        raise DateError(_("The date is too long; write 2018, 2018-03 or 2018-03-12."))
    parts = _RANGE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        a, b = _single(parts[0]), _single(parts[1])
        result = FuzzyDate(a.start, b.end, "range")
        if b.end < a.start:
            raise DateError(_("The range %(text)s ends before it starts.") % {"text": text})
    else:
        result = _single(text)
    today = today or date.today()
    if result.start.year < EARLIEST_YEAR:
        raise DateError(_("%(text)s is before %(year)s; check the year.") % {"text": text, "year": EARLIEST_YEAR})
    if result.start > today:
        raise DateError(_("%(text)s is in the future.") % {"text": text})
    return result


def format_fuzzy(start: date | None, end: date | None, precision: str) -> str:
    if start is None:
        return ""
    if precision == "day":
        return start.isoformat()
    if precision == "month":
        return start.strftime("%Y-%m")
    if precision == "year":
        return str(start.year)
    end = end or start
    left = start.isoformat() if start.day != 1 or start.month != 1 else str(start.year)
    right = end.isoformat() if (end.month, end.day) != (12, 31) else str(end.year)
    return f"{left}–{right}"
