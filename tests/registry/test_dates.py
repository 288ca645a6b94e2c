from datetime import date

import pytest

from aigaq.registry.dates import DateError, format_fuzzy, parse_fuzzy_date

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2018", date(2018, 1, 1), date(2018, 12, 31), "year"),
        ("2018-03", date(2018, 3, 1), date(2018, 3, 31), "month"),
        ("03.2018", date(2018, 3, 1), date(2018, 3, 31), "month"),
        ("March 2018", date(2018, 3, 1), date(2018, 3, 31), "month"),
        ("марта 2018", date(2018, 3, 1), date(2018, 3, 31), "month"),
        ("наурыз 2018", date(2018, 3, 1), date(2018, 3, 31), "month"),
        ("2018-03-12", date(2018, 3, 12), date(2018, 3, 12), "day"),
        ("12.03.2018", date(2018, 3, 12), date(2018, 3, 12), "day"),
        ("12 марта 2018 г.", date(2018, 3, 12), date(2018, 3, 12), "day"),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
        ("2017–2019", date(2017, 1, 1), date(2019, 12, 31), "range"),
        ("2017..2018-06", date(2017, 1, 1), date(2018, 6, 30), "range"),
        ("2017 - 2018", date(2017, 1, 1), date(2018, 12, 31), "range"),
    ],
)
def test_understands_the_ways_witnesses_give_dates(text, start, end, precision):
    d = parse_fuzzy_date(text, today=TODAY)
    assert (d.start, d.end, d.precision) == (start, end, precision)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("2018-02-30", "not a real date"),
        ("31.04.2019", "not a real date"),
        ("2018-13", "not a real date"),
        ("soon", "not a date Aigaq understands"),
        ("", "empty"),
        ("2031", "future"),
        ("1850", "before 1900"),
        ("2019–2017", "ends before it starts"),
        ("2" * 80, "too long"),
    ],
)
def test_refuses_impossible_dates_with_a_message_saying_what_to_write(text, fragment):
    with pytest.raises(DateError) as exc:
        parse_fuzzy_date(text, today=TODAY)
    assert fragment in str(exc.value)


def test_formats_back_to_what_was_meant():
    assert format_fuzzy(date(2018, 1, 1), date(2018, 12, 31), "year") == "2018"
    assert format_fuzzy(date(2018, 3, 1), date(2018, 3, 31), "month") == "2018-03"
    assert format_fuzzy(date(2017, 1, 1), date(2019, 12, 31), "range") == "2017–2019"
    assert format_fuzzy(None, None, "day") == ""
