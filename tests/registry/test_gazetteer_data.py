"""Checks on the shipped gazetteer data file (no Django, no database).

Only the standard library is used, so this runs before any loader exists.
"""

import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

CSV_PATH = (
    Path(__file__).resolve().parents[2] / "src" / "aigaq" / "registry" / "data" / "gazetteer.csv"
)
HEADER = [
    "code",
    "parent_code",
    "level",
    "name_zh",
    "name_pinyin",
    "name_en",
    "name_kk",
    "name_ug",
    "name_ru",
    "sources",
]
LEVELS = {"country", "region", "prefecture", "county", "township", "village"}
XINJIANG = "650000"
# Ürümqi, Ili (directly administered part), Tacheng, Altay
KK_UG_REQUIRED_PARENTS = {"650100", "654000", "654200", "654300"}
# Characters allowed in names besides letters of the expected script.
NEUTRAL = set(" -'’()")


def _read():
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, r, strict=False)) for r in reader]
        return header, rows


HEADER_READ, ROWS = _read()
BY_CODE = {r["code"]: r for r in ROWS}


def _ancestors(row):
    # Dangling parents are reported by test_parents_exist_and_levels_valid;
    # here they just end the walk so collection never crashes.
    seen = []
    while row["parent_code"] and len(seen) < 10:
        seen.append(row["parent_code"])
        row = BY_CODE.get(row["parent_code"])
        if row is None:
            break
    return seen


UNDER_XJ = [r for r in ROWS if XINJIANG in _ancestors(r)]


def _script_ok(text, prefix):
    for ch in text:
        if ch in NEUTRAL:
            continue
        if not unicodedata.name(ch, "").startswith(prefix):
            return False
    return True


def test_header():
    assert HEADER_READ == HEADER


def test_every_row_has_all_columns():
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.reader(f)):
            assert len(rec) == len(HEADER), f"line {i + 1}: {rec}"


def test_codes_unique_and_nonempty():
    codes = [r["code"] for r in ROWS]
    assert all(codes)
    dup = [c for c, n in Counter(codes).items() if n > 1]
    assert not dup


def test_parents_exist_and_levels_valid():
    for r in ROWS:
        assert len(_ancestors(r)) < 10, ("parent cycle", r["code"])
        assert r["level"] in LEVELS, r
        if r["level"] == "country":
            assert r["parent_code"] == "", r
        else:
            assert r["parent_code"] in BY_CODE, r
            assert r["parent_code"] != r["code"]


def test_chinese_codes_are_gbt2260_shaped():
    for r in UNDER_XJ + [BY_CODE[XINJIANG]]:
        code = r["code"]
        assert len(code) == 6 and code.isdigit() and code.startswith("65"), r
        if r["level"] == "county":
            assert not code.endswith("00"), r


def test_xinjiang_rows_have_core_names():
    for r in UNDER_XJ + [BY_CODE[XINJIANG]]:
        for col in ("name_zh", "name_pinyin", "name_en"):
            assert r[col].strip(), (r["code"], col)


def test_kazakh_and_uyghur_names_for_core_counties():
    rows = [
        r for r in ROWS if r["parent_code"] in KK_UG_REQUIRED_PARENTS and r["level"] == "county"
    ]
    assert len(rows) >= 33
    for r in rows:
        assert r["name_kk"].strip(), r["code"]
        assert r["name_ug"].strip(), r["code"]


def test_fourteen_prefecture_level_divisions():
    prefs = [r for r in UNDER_XJ if r["level"] == "prefecture"]
    assert len(prefs) == 14
    # Tacheng and Altay prefectures sit under Ili Kazakh Autonomous Prefecture
    assert BY_CODE["654200"]["parent_code"] == "654000"
    assert BY_CODE["654300"]["parent_code"] == "654000"


def test_county_level_count_in_known_range():
    counties = [r for r in UNDER_XJ if r["level"] == "county"]
    # 110 as of the 2024 MCA code list incl. 12 XPCC cities; allow for
    # later creations (e.g. 2026) without silently accepting a gutted file.
    assert 100 <= len(counties) <= 115, len(counties)
    xpcc = [r for r in counties if r["code"].startswith("6590")]
    assert all(r["parent_code"] == XINJIANG for r in xpcc)
    assert len(xpcc) >= 12


def test_no_markup_or_control_characters_and_nfc():
    for r in ROWS:
        for col, val in r.items():
            assert "<" not in val, (r["code"], col)
            assert val == val.strip(), (r["code"], col)
            for ch in val:
                assert unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs"), (
                    r["code"],
                    col,
                    hex(ord(ch)),
                )
            assert unicodedata.normalize("NFC", val) == val, (r["code"], col)


@pytest.mark.parametrize(
    "col,prefix",
    [
        ("name_zh", "CJK UNIFIED IDEOGRAPH"),
        ("name_ug", "ARABIC"),
        ("name_kk", "CYRILLIC"),
        ("name_ru", "CYRILLIC"),
    ],
)
def test_scripts(col, prefix):
    bad = [(r["code"], r[col]) for r in ROWS if r[col] and not _script_ok(r[col], prefix)]
    assert not bad


def test_pinyin_and_english_are_latin():
    for r in ROWS:
        for col in ("name_pinyin", "name_en"):
            if r[col]:
                assert _script_ok(r[col], "LATIN"), (r["code"], col, r[col])


def test_sources_present():
    for r in ROWS:
        assert r["sources"].strip(), r["code"]
        assert all(tok.strip() for tok in r["sources"].split(";")), r["code"]
