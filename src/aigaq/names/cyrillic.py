"""Kazakh, Kyrgyz, Tatar, Uyghur, Uzbek and Russian Cyrillic to plain Latin.

The target is the project's internal "Turkic Latin": lower case, sh/ch/j/q/gh,
vowels with umlauts (ä ö ü). It is close to the official 2021 Kazakh Latin
and to Uyghur Latin (ULY), and readable; the comparison code folds it
further (see ``phonetic``). ICU's Kazakh-Latin/BGN gives a similar result,
but only for Kazakh, and needs PyICU compiled against libicu; a table is
simpler and covers the letters of every language here at once.
"""

from __future__ import annotations

from functools import lru_cache

CYRILLIC = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "gh", "ҕ": "gh",
    "д": "d", "ҙ": "z", "е": "e", "ё": "yo", "ж": "j", "җ": "j", "ҷ": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "қ": "q", "ҡ": "q", "л": "l", "м": "m",
    "н": "n", "ң": "ng", "ҥ": "ng", "о": "o", "ө": "ö", "ӧ": "ö", "п": "p",
    "р": "r", "с": "s", "ҫ": "s", "т": "t", "у": "u", "ұ": "u", "ү": "ü",
    "ӱ": "ü", "ў": "o", "ӯ": "u", "ф": "f", "х": "h", "һ": "h", "ҳ": "h",
    "ц": "ts", "ч": "ch", "ҹ": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ӣ": "i", "ә\u0301": "ä",
}
VOWELS = set("аәеёиоөұүуыіэюяӧӱӯӣ")


@lru_cache(maxsize=100_000)
def romanize_cyrillic(token: str) -> str:
    """One lower-case Cyrillic token in Turkic Latin.

    Russian е after a vowel is pronounced, and written by Russian-style
    spellings, as "ye": Токаев = Tokayev, which after removing -ev leaves
    "tokay", the same as the Kazakh stem Тоқай. Word-initial е is left as
    "e" because Kazakh Ерлан is Erlan, while the Russian-style Yerlan is
    folded back to e by the Latin rules.
    """
    # Russian writes the Turkic j (Kazakh ж, Uyghur ج) as дж: Джамиля Jamila, Миджит Mijit.
    token = token.replace("дж", "ж")
    out: list[str] = []
    prev = ""
    for ch in token:
        if ch == "е" and prev in VOWELS:
            out.append("ye")
        elif ch in CYRILLIC:
            out.append(CYRILLIC[ch])
        elif ch.isalpha() and ch.isascii():
            out.append(ch)
        prev = ch
    return "".join(out)
