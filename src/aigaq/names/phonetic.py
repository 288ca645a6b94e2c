"""Coarse phonetic codes for comparing romanised name parts.

Every script is first read into Turkic Latin (see the romanisers); the code
here then forgets the differences that spellings of one name show across
scripts and traditions:

* q, k, g, gh, h, kh, x all become ``k``: Қайрат is Kairat, Qairat and
  哈依拉提 (哈 = q), Ғалым is Galym and 哈力木, Tohti is Toxti;
* j, zh, dzh, Turkish c, ch and z become ``j`` (Жанар, Zhanar, Janar, Canar, 加娜尔;
  z because 扎 writes both z and ж: 纳扎尔 Nazar, 扎帕罗夫 Japarov);
* s, sh, ş, ts and pinyin x become ``s`` (Шынар, 西娜尔; Тұрсын, 吐尔逊);
* r and l become ``r`` (Chinese has no final r/l distinction: 力 is both);
* d and t, p and f, b stays b; v and w become the vowel u (Dawlet/Даулет);
* vowels fold into three classes: a (a ä e é), i (i ı y ы і) and u (o ö u ü);
* doubled letters collapse (Kassymov, Jeenbekov).

``vowel_code`` keeps the vowel classes, ``consonant_code`` keeps only the
first letter and the consonants. Chinese transcription adds and drops
vowels, so the consonant code carries most of the cross-script evidence and
the vowel code separates namesakes such as Marat and Murat.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGRAPHS = re.compile(r"shch|sh|ch|zh|ts|kh|gh|ng|dz")
_DIGRAPH_MAP = {"shch": "s", "sh": "s", "ch": "j", "zh": "j", "ts": "s", "kh": "k",
                "gh": "k", "ng": "n", "dz": "j"}
_FOLD = str.maketrans({
    "a": "a", "ä": "a", "e": "a", "é": "a",
    "i": "i", "y": "i", "ı": "i",
    "o": "u", "ö": "u", "u": "u", "ü": "u", "v": "u", "w": "u",
    "q": "k", "k": "k", "g": "k", "h": "k", "x": "k",
    "c": "j", "j": "j", "z": "j", "s": "s",
    "d": "t", "t": "t", "b": "b", "p": "p", "f": "p",
    "l": "r", "r": "r", "m": "m", "n": "n",
})
VOWEL_CLASSES = frozenset("aiu")
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def vowel_code(roman: str) -> str:
    """Folded code with vowel classes: Серік/serik/赛力克 -> 'sarik'."""
    t = _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], roman)
    t = t.translate(_FOLD)
    t = "".join(c for c in t if "a" <= c <= "z")
    return _RUNS.sub(r"\1", t)


@lru_cache(maxsize=200_000)
def consonant_code(roman: str) -> str:
    """First letter (vowel class or consonant) then consonants: 'sarik' -> 'srk'."""
    v = vowel_code(roman)
    if not v:
        return ""
    rest = "".join(c for c in v[1:] if c not in VOWEL_CLASSES)
    return _RUNS.sub(r"\1", v[0] + rest)


def skeleton(name_or_part: str) -> str:
    """Consonant skeleton of a romanised string (spaces kept between parts)."""
    return " ".join(consonant_code(p) for p in name_or_part.split())


_WEAK_ONSET = re.compile(r"^(?:kh|gh|h|x|y(?=[aeiouäöüé])|[aeiouäöüé](?=[^aeiouäöüéy]{1,2}[aeiouäöüéy]))")


def weak_onset(roman: str) -> str | None:
    """The word without an onset that Chinese transcription often drops, or None.

    Uyghur Hesen is 艾山 and Hüsen 玉山 (h dropped), Ghopur 吾甫尔, Ismayil 司马义
    (initial i dropped), Yüsüp and 玉素甫 (y as a glide). Only used when the
    first letters of two codes differ.
    """
    m = _WEAK_ONSET.match(roman)
    if not m or len(roman) - m.end() < 3:
        return None
    return roman[m.end():]


_SILENT_H = re.compile(r"(?<=[aeiouäöüéı])h(?=[ieéı])")


def silent_h(roman: str) -> str | None:
    """The word without an h between vowels before i/e, which Chinese writes as the glide 依, or None.

    Xinjiang transcription leaves such an h unwritten: Tahir 塔依尔, Mahire 玛依热, Rahile 热依拉,
    Zahide 扎依达; Russian and Latin forms keep it (Тахир, Rakhile). Only used as a second reading.
    """
    if "h" not in roman:
        return None
    out = _SILENT_H.sub("", roman)
    return out if out != roman else None


_H_BEFORE_CONSONANT = re.compile(r"(?<=[aeiouäöüéı])(?:kh|h|x)(?=[bdfjklmnpqrstvwzç])")


def h_before_consonant(roman: str) -> str | None:
    """The word without an h (kh, x) between a vowel and a consonant, or None.

    Xinjiang Chinese writes that h with 合 (艾合买提 Ehmet, 马合木提 Mahmut) or leaves it out (米日阿依
    Mihray, 玛木提 Mahmut), so the h-less reading is tried as a second reading.
    """
    if "h" not in roman and "x" not in roman:
        return None
    out = _H_BEFORE_CONSONANT.sub("", roman)
    return out if out != roman else None


# -- second readings from transcription conventions ------------------------------------------------
#
# Each function returns the word read another way, or None when the convention does not apply.
# They are tried only as second readings (similarity.ALT_FACTOR) and only for parts that are
# already close, so they can bring two spellings of one name together but cannot make unrelated
# names close.

_VOWELS = "aeiouäöüéı"
_E_AS_I = re.compile(rf"[eé]y(?=[^{_VOWELS}y])|é")


def e_as_i(roman: str) -> str | None:
    """Uyghur é, and ey before a consonant, read as i, or None.

    Uyghur ې (ULY é, older ë) is a raised e that English and Russian forms write i: Méhriban
    Mihriban, Téyip Tiyip; the sequence ئەي (ey) before a consonant is written i the same way:
    Eysa / Isa / Иса. ey before a vowel (Eyyüp, Meyir) is a glide and stays.
    """
    if "é" not in roman and "ey" not in roman:
        return None
    out = _E_AS_I.sub("i", roman)
    return out if out != roman else None


_FIRST_SYLLABLE = re.compile(rf"[^{_VOWELS}]*[{_VOWELS}]+")


def o_as_a(roman: str) -> str | None:
    """o after the first syllable read as a (Uzbek and Kyrgyz o for a), or None.

    Uzbek writes o for the a of Arabic and Persian loans (Islom Islam, Ilhom Ilham, Dilshod
    Dilshat, -jon -jan), Kyrgyz rounds later vowels after o (Чолпон / Kazakh Шолпан, Жолдош /
    Жолдас). Uyghur and Kazakh stems put o only in the first syllable, so an o after it is read
    as a; a first-syllable o (Orman / Arman, Bolat) is never changed.
    """
    m = _FIRST_SYLLABLE.match(roman)
    if not m or "o" not in roman[m.end():]:
        return None
    return roman[: m.end()] + roman[m.end():].replace("o", "a")


_FINAL_IL = re.compile(rf"(?<=[{_VOWELS}y])([iyı])l$")


def final_il(roman: str) -> str | None:
    """The word without a final l after -ai-/-ayi- (-ail, -ayil, -ayyl), or None.

    Chinese writes such a final syllable with 义/依 (yi) and no l: Ismayil, Ismail, Исмаил,
    Ысмайыл are 司马义 (with the initial i dropped as well, see ``weak_onset``). Only used as a
    second reading: a final l after a consonant (Adil 阿迪力, Jalil) is written 力 and kept.
    """
    if not roman.endswith("l"):
        return None
    out = _FINAL_IL.sub(r"\1", roman)
    return out if out != roman else None
