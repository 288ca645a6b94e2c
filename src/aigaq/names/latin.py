"""Latin spellings of Turkic names to the common Turkic Latin.

One table serves every Latin tradition met in the records, because their
letters barely collide once read as sounds:

* official 2021 Kazakh Latin (á ó ú ý ǵ ń ş ı), and the 2017-2018 drafts
  (apostrophes, handled in normalize) and the ū/ı variant;
* Uyghur Latin ULY (x = kh, q, gh, é, ö, ü, zh) and the letters of the older New Script
  (ⱨ ⱪ ƣ ɵ ⱬ);
* passport and English spellings (Zh, Kh, Y for й/ы);
* Russian-style spellings (Yerlan, Dzhanbulatov, -ov/-ev endings);
* Turkish spellings (c = j, ç, ş, ğ, ı: Bekcan Serikoğlu);
* French-style ou for u (Toursoun).

Pinyin is the exception and is read by the ``chinese`` module first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LETTERS = str.maketrans({
    "á": "ä", "à": "a", "â": "a", "ã": "a", "å": "a", "ā": "a", "ǎ": "a", "ă": "a",
    "ą": "a", "æ": "ä", "ə": "ä", "ǝ": "ä",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "ē": "e", "ě": "e", "ė": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i", "ī": "i", "ı": "i", "ǐ": "i",
    "ó": "ö", "ò": "o", "ô": "o", "õ": "o", "ō": "o", "ø": "ö", "ǒ": "o",
    "ú": "ü", "ù": "u", "û": "u", "ū": "u", "ǔ": "u", "ů": "u", "ǖ": "ü", "ǘ": "ü",
    "ý": "u", "ÿ": "y",
    "ş": "sh", "ș": "sh", "š": "sh", "ś": "sh", "ç": "ch", "č": "ch", "ć": "ch",
    "ž": "j", "ź": "z", "ż": "z", "ğ": "gh", "ǧ": "gh", "ǵ": "gh",
    "ń": "ng", "ñ": "ng", "ŋ": "ng", "ň": "n", "ß": "ss", "ł": "l", "đ": "d",
    "ħ": "h", "ḥ": "h", "ṭ": "t", "ṣ": "s", "ẓ": "z", "ḍ": "d",
    # Uyghur New Script (UYY, 1965-1982, still in older books and some exile writing): ⱨ h, ⱪ q,
    # ƣ gh, ɵ ö, ⱬ j (its x is sh: see structure.second_readings)
    "ⱨ": "h", "ⱪ": "q", "ƣ": "gh", "ɵ": "ö", "ⱬ": "j",
})

_RULES = [
    (re.compile(r"dzh|dj|zh"), "j"),
    (re.compile(r"(?<=[oe]vi)c$"), "ch"),  # -ović, Tajik Latin -ovic: the patronymic -ovich
    (re.compile(r"c(?!h)"), "j"),      # Turkish c is the sound of Kazakh ж
    (re.compile(r"x"), "kh"),          # ULY and Uzbek x is kh (pinyin is handled elsewhere)
    (re.compile(r"ph"), "f"),
    (re.compile(r"ou"), "u"),          # French-style Toursoun, Nourlan
    (re.compile(r"^ye"), "e"),         # Russian-style Yerlan, Yermek for Kazakh Ерлан, Ермек
    (re.compile(r"iy$|yy$"), "i"),     # Russian-style -ий endings
    (re.compile(r"llah$"), "lla"),     # English and Arabic -ullah is Turkic -ulla (Nafigullah, Nurulla)
]


@lru_cache(maxsize=100_000)
def romanize_latin(token: str) -> str:
    """One lower-case Latin token in Turkic Latin: Serikoğlu -> serikoghlu."""
    t = token.translate(LETTERS)
    if not t.isascii():
        # Anything else with a diacritic: keep the base letter, but keep ä ö ü,
        # which carry vowel harmony information.
        t = "".join(
            c if c in "äöü" else unicodedata.normalize("NFD", c)[0] for c in t
        )
    for pat, rep in _RULES:
        t = pat.sub(rep, t)
    return "".join(c for c in t if c.isalpha())
