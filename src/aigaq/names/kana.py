"""Japanese katakana (and hiragana) forms of Turkic names, read back.

Japanese press and the Uyghur community in Japan write Uyghur and Kazakh names in katakana:
イリハム・トフティ Ilham Tohti, アフメット Ahmet, メフムジャン Mehmutjan. Every kana is a
syllable, so a consonant cluster or a final consonant gets a kana whose vowel is not
pronounced, much as in Chinese transcription: u after most consonants (イリハム iriham-u,
アクバル ak-u-bar), o after t and d (メメット memet-o). Japanese has one liquid (ラ行 for r and
l, which the codes merge anyway) and writes a Turkic h before a consonant as フ (fu).

``romanize_kana`` reads a word without those carrier vowels (at the end of a word and before
a consonant); ``kana_full`` keeps every vowel, for the names whose u or o is real (ヌル Nur).
Small kana (ァ ィ ゥ ェ ォ ャ ュ ョ) change the vowel of the kana before them, ッ doubles the next
consonant and ー lengthens a vowel: neither matters to the codes, so both are dropped.
"""

from __future__ import annotations

from functools import lru_cache

_ROWS = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n", "ヴ": "vu",
}
_SMALL_VOWELS = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
# Kana whose vowel Japanese adds to a consonant it cannot end a syllable with.
_CARRIER = frozenset("クグスズツフブプムルヌトド")


def _syllables(word: str) -> list[list]:
    """(consonant, vowel, carrier) for each kana syllable; carrier: the vowel may be epenthetic."""
    out: list[list] = []
    for ch in word:
        o = ord(ch)
        if 0x3041 <= o <= 0x3096:      # hiragana: the same syllables as katakana
            ch = chr(o + 0x60)
        if ch in _ROWS:
            r = _ROWS[ch]
            if r == "n":
                out.append(["n", "", False])
            else:
                cons, vow = r[:-1], r[-1]
                out.append([cons, vow, ch in _CARRIER])
        elif ch in _SMALL_VOWELS and out:
            # フ+ァ fa, テ+ィ ti, ウ+ィ wi, ト+ゥ tu: the written vowel is real
            prev = out[-1]
            cons = prev[0] or ("w" if prev[1] == "u" else "")
            out[-1] = [cons, _SMALL_VOWELS[ch], False]
        elif ch in _SMALL_Y and out:
            prev = out[-1]             # キ+ャ kya, シ+ャ sha, ジ+ャ ja
            cons = prev[0] if prev[0] in ("sh", "ch", "j") else prev[0] + "y"
            out[-1] = [cons, _SMALL_Y[ch], False]
        elif ch in "ッー":
            continue
        elif ch.isascii() and ch.isalpha():
            out.append([ch.lower(), "", False])
    return out


def _read(word: str, drop: bool) -> str:
    """The syllables joined; with ``drop``, a carrier vowel is left out at the end of the word, and
    before a consonant where the syllable closes one that kept its vowel (ヌル nur, グルバハル
    gurbahar, ヌルムハンメド nurmuhanmed: the mu after a dropped ru is real). o is a carrier only
    at the end (メメット memet; サウトバイ keeps it)."""
    syls = _syllables(word)
    parts = []
    kept = False                     # did the syllable before keep its vowel?
    for i, (cons, vow, carrier) in enumerate(syls):
        nxt = syls[i + 1] if i + 1 < len(syls) else None
        if nxt is None:
            dropped = carrier and i > 0
        else:
            dropped = carrier and vow == "u" and kept and nxt[0] not in ("", "y", "w")
        if drop and dropped and cons:
            # アフメット Ahmet, トフティ Tohti: fu before a consonant writes h
            parts.append("h" if cons == "f" and nxt is not None else cons)
            kept = False
        else:
            parts.append(cons + vow)
            kept = bool(vow)
    return "".join(parts)


@lru_cache(maxsize=50_000)
def romanize_kana(word: str) -> str:
    """A katakana or hiragana word read as a Turkic name: イリハム -> iriham, アフメット -> ahmet."""
    return _read(word, drop=True)


@lru_cache(maxsize=50_000)
def kana_full(word: str) -> str:
    """The same word with every written vowel: ヌル -> nuru (Nur), where the u is real."""
    return _read(word, drop=False)
