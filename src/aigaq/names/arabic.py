"""Uyghur (and Xinjiang Kazakh) Arabic script to Uyghur Latin (ULY).

Uyghur Ereb Yéziqi writes every vowel, so the mapping is a plain letter
table: no dictionary is needed. The ``umsc`` package does the same for
Uyghur; a table of forty letters is not worth a dependency, and it also
covers the Kazakh Arabic letters (ٵ ٶ ٷ and the front-vowel mark ٴ) and
the Persian/Arabic code points that keyboards substitute (ی ک ه).
"""

from __future__ import annotations

from functools import lru_cache

ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٵ": "ä", "ە": "e", "ه": "e",
    "ة": "e", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch",
    "ح": "h", "خ": "x", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh",
    "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "گ": "g", "ڭ": "ng",
    "ڠ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h", "و": "o", "ۇ": "u",
    "ۆ": "ö", "ٶ": "ö", "ۈ": "ü", "ٷ": "ü", "ۋ": "w", "ې": "é", "ى": "i",
    "ي": "y", "ی": "y", "ئ": "", "ء": "", "ٴ": "", "ؤ": "o", "ۉ": "ö",
}
# Arabic harakat (short-vowel marks) only appear in quoted Arabic names.
HARAKAT = {"\u064e": "a", "\u064f": "u", "\u0650": "i"}


@lru_cache(maxsize=100_000)
def romanize_arabic(token: str) -> str:
    """One Arabic-script token in Uyghur Latin: ئىلھام -> ilham."""
    out: list[str] = []
    for i, ch in enumerate(token):
        if ch in ARABIC:
            lat = ARABIC[ch]
            # ي between consonants (or word-final after a consonant) is the
            # vowel i in Kazakh Arabic and in loosely typed Uyghur.
            if ch in "يی" and i > 0 and (i + 1 == len(token) or token[i + 1] not in "اەېىوۇۆۈ"):
                prev = token[i - 1]
                if prev not in "اەېىوۇۆۈئ":
                    lat = "i"
            out.append(lat)
        elif ch in HARAKAT:
            out.append(HARAKAT[ch])
        elif ch.isascii() and ch.isalpha():
            out.append(ch)
    return "".join(out)
