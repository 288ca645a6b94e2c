"""Which writing system a name (or one token of it) is in.

Scripts are named with ISO 15924 codes, as the registry stores them:
``Cyrl``, ``Latn``, ``Arab``, ``Hans`` (Simplified Chinese), ``Hant``
(Traditional Chinese), ``Kana`` (Japanese kana), and ``Zyyy`` when no letter
of those was found (digits only, or a script without a table: Greek, Georgian).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that exist only in Traditional Chinese and are common in
# transcribed Turkic and Russian names (爾 for 尔, 蘭 for 兰 ...). A name that
# contains none of them is reported as Hans: for names in Simplified
# characters this is exact, and a Traditional name written only with
# characters shared by both systems is, for matching, the same string anyway.
TRADITIONAL_ONLY = frozenset(
    "爾蘭買麥麗熱薩納瑪蘇達葉鐵庫謝羅諾維婭賽頓陽孫費鄧劉張陳黃趙吳鄭馮蔣韓楊"
    "門來們時裡為東車馬長開關問間頭見貝貢亞遠邁遜魯賈詹麼額顏顧齊龍歐奧蓋瓊絲綠"
    "縣聯蕭藍衛視詩話說誰調請諸譚讓財貴費賀賴輝農邊還鄉醫錦鍾鎮閔陸雙雲電靈韋"
    "顯馬騰體鳳鳴鴻漢澤濤瑤環畢當綸練紅約紗紹統經緯線網軒輪轉遼鋼錫闊險齋"
    "爾烏蘇庫爾圖蘭納齊麗婭託維諾羅"
)


def char_script(ch: str) -> str | None:
    """The script of one character, or None for marks, digits and punctuation."""
    o = ord(ch)
    if ch.isascii():
        return "Latn" if ch.isalpha() else None
    if 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF:
        return "Latn" if ch.isalpha() else None
    if 0x0400 <= o <= 0x052F or 0x1C80 <= o <= 0x1C8F or 0xA640 <= o <= 0xA69F:
        return "Cyrl" if ch.isalpha() else None
    if 0x3041 <= o <= 0x3096 or 0x30A1 <= o <= 0x30FA or o == 0x30FC:
        return "Kana"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return "Arab" if ch.isalpha() else None
    if (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    ):
        return "Hant" if ch in TRADITIONAL_ONLY else "Hans"
    return None


# The same ranges as char_script, as regular expressions: counting with
# findall is several times faster than a Python loop over characters, and
# detect_script runs on every name of a million-name import.
_RANGES = {
    "Latn": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "Cyrl": re.compile(r"[\u0400-\u0482\u048a-\u052f\u1c80-\u1c8f]"),
    "Arab": re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]"),
    "Hans": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"),
    # Japanese kana (katakana, hiragana, the long-vowel mark): Japanese press writes Turkic names
    # in katakana (イリハム・トフティ).
    "Kana": re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]"),
}


@lru_cache(maxsize=200_000)
def detect_script(text: str) -> str:
    """The dominant script of ``text``: Cyrl, Latn, Arab, Hans, Hant, Kana or Zyyy.

    Chinese counts as one script: if any character is Traditional-only, the
    whole Chinese part is Hant. Ties go to Latin, then Cyrillic.
    """
    if text.isascii():
        return "Latn" if _RANGES["Latn"].search(text) else "Zyyy"
    best, best_n = "Zyyy", 0
    for script, rx in _RANGES.items():
        n = len(rx.findall(text))
        if n > best_n:
            best, best_n = script, n
    if best == "Hans" and not TRADITIONAL_ONLY.isdisjoint(text):
        return "Hant"
    return best


def is_chinese(script: str) -> bool:
    return script in ("Hans", "Hant")
