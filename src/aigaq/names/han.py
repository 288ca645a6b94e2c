"""Han (and Hui) names: a Chinese surname and a given name of one or two syllables.

Officials, police and witnesses in the records, and Hui (Dungan) people, bear Chinese names:
陈全国 Chen Quanguo, 马仲英 Ma Zhongying (older Wade-Giles Ma Chung-ying), 白崇禧 Bai Chongxi
(Pai Ch'ung-hsi). The rest of the engine reads every name as a Turkic one, where two names
alike in sound are likely one name spelt two ways. For Han names that is wrong in the way that
matters: the Ma brothers Ma Bufang and Ma Buqing share a surname and a generation syllable and
are two men, and Ma Zhanao and Ma Jian read alike once vowels are folded. So a name that reads
as a Han name on both sides is compared syllable for syllable: the same surname and the same
given name (up to romanisation: pinyin with or without tone marks, Wade-Giles with or without
its apostrophes, the Russian press's Palladius Cyrillic), or not the same person.

``han_name(tokens, script)`` gives the code of a name's surname and given name, or None.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .chinese import (
    HAN_COMPOUND_SURNAMES,
    HAN_SURNAMES,
    PINYIN_SYLLABLES,
    fewest_syllables,
    han_reading,
    segment_pinyin,
)
from .script import is_chinese

# Wade-Giles to pinyin, enough to compare (apostrophes and hyphens are already gone:
# Ch'ung-hsi is chunghsi). ch before i/ü is j or q, elsewhere zh or ch; hs is x; ts/tz is z or c;
# -ung is -ong, -ien -ian, -ieh -ie, final -ih -i.
_WG = (
    (re.compile(r"ch(?=[iü])"), "j"),
    (re.compile(r"ch"), "zh"),
    (re.compile(r"hs"), "x"),
    (re.compile(r"t[sz]"), "z"),
    (re.compile(r"ung"), "ong"),
    (re.compile(r"ien"), "ian"),
    (re.compile(r"[iü]eh"), "ie"),
    (re.compile(r"ih(?![aeiou])"), "i"),
)
# The code forgets what Wade-Giles without apostrophes cannot tell: aspiration (p/b, t/d, k/g,
# ch/zh/j/q, ts/z/c), and x/sh, ü/u, you/yu; and pinyin's spelling of a syllable without an initial,
# which Palladius does not mark where syllables meet (Shaowu / Шаоу, read sha-ou as well).
_FOLD = (
    (re.compile(r"yi|wu|y|w"), lambda m: {"yi": "i", "wu": "u", "y": "i", "w": "u"}[m.group(0)]),
    # Wade-Giles yu is pinyin you (Han Yu-wen, Han Youwen); yü, its pinyin yu, loses the umlaut
    (re.compile(r"iou"), lambda m: "iu"),
    (re.compile(r"zh|ch|sh"), lambda m: {"zh": "J", "ch": "J", "sh": "S"}[m.group(0)]),
    (re.compile(r"[jq]"), lambda m: "J"),
    (re.compile(r"[zc]"), lambda m: "Z"),
    (re.compile(r"x"), lambda m: "S"),
    (re.compile(r"[pbtdkg]"), lambda m: {"p": "B", "b": "B", "t": "D", "d": "D", "k": "G", "g": "G"}[m.group(0)]),
    (re.compile(r"[üv]"), lambda m: "u"),
)


def _code(pinyin: str) -> str:
    t = pinyin
    for rx, rep in _FOLD:
        t = rx.sub(rep, t)
    return t


@lru_cache(maxsize=100_000)
def _as_pinyin(word: str) -> tuple[str, int] | None:
    """The word as pinyin (itself, or read from Wade-Giles) and its number of syllables, or None.

    Of the two readings the one with fewer syllables wins: Wade-Giles chien is jian, not chi-en.
    """
    # Wade-Giles writes ê and ü (Chêng-hsiang, Fu-yüan) and tone numbers (Lin2 Tsê2-hsü2); pinyin
    # tone marks that the Latin reader keeps as letters (é of Uyghur, ú and í of Kazakh): the code
    # forgets them all
    word = "".join(c for c in unicodedata.normalize("NFD", word)
                   if not unicodedata.combining(c) and not c.isdigit())
    if not word.isascii() or not word.isalpha():
        return None
    best = None
    for w in (word, _from_wade_giles(word)):
        segs = segment_pinyin(w)
        if segs is not None and (best is None or len(segs) < best[1]):
            best = (w, len(segs))
    return best


def _from_wade_giles(word: str) -> str:
    t = word
    for rx, rep in _WG:
        t = rx.sub(rep, t)
    return t


# -- Palladius: Russian for Chinese (Чэнь Цюаньго, Си Цзиньпин, Ма Чжунъин) ----------------------
#
# The Palladius system is a fixed spelling of each pinyin syllable; the table is built from the
# pinyin syllables by its rules and read backwards, syllable by syllable.
_PAL_INITIALS = (("zh", "чж"), ("ch", "ч"), ("sh", "ш"), ("b", "б"), ("p", "п"), ("m", "м"), ("f", "ф"),
                 ("d", "д"), ("t", "т"), ("n", "н"), ("l", "л"), ("g", "г"), ("k", "к"), ("h", "х"),
                 ("j", "цз"), ("q", "ц"), ("x", "с"), ("r", "ж"), ("z", "цз"), ("c", "ц"), ("s", "с"))
_PAL_FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань",
    "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр", "i": "и", "ia": "я", "ie": "е",
    "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн",
    "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь",
    "uang": "уан", "v": "юй", "ve": "юэ", "van": "юань", "vn": "юнь",
}
_PAL_ZERO = {"yi": "и", "ya": "я", "yao": "яо", "ye": "е", "you": "ю", "yan": "янь", "yin": "инь",
             "yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань",
             "yun": "юнь", "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань",
             "wen": "вэнь", "wang": "ван", "weng": "вэн"}


def _palladius(syl: str) -> str | None:
    if syl in _PAL_ZERO:
        return _PAL_ZERO[syl]
    for ini, cyr in _PAL_INITIALS:
        if syl.startswith(ini):
            fin = syl[len(ini):]
            if ini in "jqx" and fin.startswith("u"):
                fin = "v" + fin[1:]            # ju is jü: цзюй
            if ini in ("z", "c", "s") and fin == "i":
                return cyr + "ы"               # zi ci si: цзы цы сы
            fin = fin.replace("ü", "v")
            return cyr + _PAL_FINALS[fin] if fin in _PAL_FINALS else None
    return _PAL_FINALS.get(syl)


@lru_cache(maxsize=1)
def _palladius_table() -> dict[str, str]:
    out: dict[str, str] = {}
    pal = {syl: _palladius(syl) for syl in sorted(PINYIN_SYLLABLES)}
    for syl, cyr in pal.items():
        if cyr:
            out.setdefault(cyr, syl)
    for syl, cyr in pal.items():
        if cyr and cyr.endswith("ь"):
            out.setdefault(cyr[:-1], syl)   # the soft sign is often left out (Цзиньпин, Цзинпин)
    return out


@lru_cache(maxsize=100_000)
def _from_palladius(word: str) -> tuple[str, int] | None:
    """A Cyrillic word read as Palladius: (pinyin, syllables), fewest syllables, or None."""
    segs = fewest_syllables(word, _palladius_table().get, 6, boundary="ъ")
    return ("".join(segs), len(segs)) if segs else None


@lru_cache(maxsize=2)
def _surname_codes(compound: bool) -> frozenset[str]:
    """Codes of the known surnames of one syllable, or of the two-syllable ones (Ouyang, Sima)."""
    out = set()
    for s in HAN_COMPOUND_SURNAMES if compound else HAN_SURNAMES:
        py = "".join(lazy_pinyin(s, style=Style.NORMAL, errors="ignore"))
        if py:
            out.add(_code(py))
    return frozenset(out)


def han_name(words: tuple[str, ...], script: str) -> tuple[str, str] | None:
    """(surname code, given-name code) if the name reads as a Han name, else None.

    Chinese characters: one word (no dot), a known surname first and a one- or two-character
    given name (``chinese.han_reading``). Latin or Cyrillic: two or three words in pinyin,
    Wade-Giles or Palladius, one of them at either end a known surname (of one syllable, or
    Ouyang, Sima ...), the rest a given name of one or two syllables (Ma Zhongying, Zhao Chang
    Ling, Quanguo Chen).
    """
    if is_chinese(script):
        if len(words) != 1:
            return None
        hr = han_reading(words[0])
        return (_code(hr[0]), _code(hr[1])) if hr else None
    if script not in ("Latn", "Cyrl") or not 2 <= len(words) <= 3:
        return None
    read = _as_pinyin if script == "Latn" else _from_palladius
    for sur, rest in ((words[0], words[1:]), (words[-1], words[:-1])):
        sp = read(sur)
        if sp is None or sp[1] > 2 or _code(sp[0]) not in _surname_codes(sp[1] == 2):
            continue
        parts = [read(w) for w in rest]
        if any(p is None for p in parts):
            continue
        if 1 <= sum(p[1] for p in parts) <= 2:   # type: ignore[index]
            return _code(sp[0]), _code("".join(p[0] for p in parts))   # type: ignore[index]
    return None
