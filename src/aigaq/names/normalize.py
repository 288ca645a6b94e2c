"""Unicode clean-up and tokenisation of a name string.

Names arrive from intake forms, spreadsheets, OCR and web pages: full-width
forms, a dozen look-alike "middle dots" between a Chinese given name and the
father's name, hyphens inside compound names (Қасым-Жомарт, 卡瑟姆-若马尔特),
Latin letters typed inside Cyrillic words. Everything here is about making
those equal before any romanisation happens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .script import char_script

# Separators between name parts. NFKC already maps some (full-width ．) to
# ASCII; the rest are listed explicitly because NFKC leaves them alone.
SEPARATORS = (
    "\u00b7"  # · middle dot (the official one in Chinese minority names)
    "\u0387"  # · Greek ano teleia (what some keyboards produce for ·)
    "\u2022"  # • bullet
    "\u2027"  # ‧ hyphenation point
    "\u2219"  # ∙ bullet operator
    "\u22c5"  # ⋅ dot operator
    "\u30fb"  # ・ katakana middle dot
    "\uff65"  # ･ half-width katakana middle dot
    "\u318d"  # ㆍ
    "\u2e31"  # ⸱ word separator middle dot
    "\u16eb"  # ᛫
    "\u00b8"  # ¸
    "\u3002"  # 。
    "\u3001"  # 、
    "._/\\|;:+()[]{}\"«»“”„"
)
# The middle dots among them: a name written with one has its parts in the official order.
MIDDLE_DOTS = SEPARATORS[: SEPARATORS.index("\u00b8")]
# Joiners: removed so that "Қасым-Жомарт" and "Қасымжомарт" become one token,
# and apostrophes in 2017-style Kazakh Latin (Qazaqstan, Nu'rlan) disappear.
# ʿ and ʾ (U+02BF, U+02BE) write the Arabic ayn and hamza in scholarly transliteration (Jaʿfar, Muʾmin).
JOINERS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad'`´ʼʻ’‘\u02bc\u02b9\u02bf\u02be\u0640\u200c\u200d\u200b"

_SEP_RE = re.compile("[" + re.escape(SEPARATORS) + r"\s]+")
_JOIN_TABLE = str.maketrans("", "", JOINERS)

# Latin letters that look exactly like Cyrillic ones and the other way round,
# for tokens that mix the two (a very common OCR and keyboard-layout slip).
_LAT_TO_CYR = str.maketrans("aceopxykmthib", "асеорхукмтһів")
_CYR_TO_LAT = str.maketrans("асеорхукмтһів", "aceopxykmthib")
# ... and the Kazakh letters typed into a Latin word (Bәkirúly: ә for the 2021 Latin á)
_CYR_TO_LAT_MORE = str.maketrans({"ә": "ä", "ө": "ö", "ү": "ü", "ұ": "u", "қ": "q", "ғ": "ğ", "ң": "ñ"})


_ASCII_LETTER = re.compile(r"[a-z]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


def _fix_homoglyphs(token: str) -> str:
    if token.isascii() or not _ASCII_LETTER.search(token) or not _CYRILLIC_LETTER.search(token):
        return token
    cyr = lat = 0
    for ch in token:
        s = char_script(ch)
        if s == "Cyrl":
            cyr += 1
        elif s == "Latn":
            lat += 1
    if cyr and lat:
        return token.translate(_LAT_TO_CYR) if cyr >= lat else token.translate(_CYR_TO_LAT).translate(_CYR_TO_LAT_MORE)
    return token


# Pinyin written with its tones (Sāinǔbài'ěr Tǔ'ěrxùn, Sàilìkè): a macron, caron or grave on a
# vowel is used by no Latin orthography of the region (Kazakh 2021 Latin has á ó ú, ULY é ö ü,
# Turkmen carons only on consonants), so a name carrying one is pinyin and its tone marks go,
# the acute ones (2nd tone) too.
_PINYIN_TONED = re.compile("[āēīōūǖǎěǐǒǔǚàèìòùǜ]")
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0304\u030c\u0306"))  # and a breve typed for the caron (ŭ)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _untone(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_TONE_MARKS))


_t2s = None


def _simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified (維吾爾 -> 维吾尔): the Xinjiang transcription
    table (chinese.py) lists the Simplified ones that PRC documents use. OpenCC, loaded on the
    first Chinese name."""
    global _t2s
    if _t2s is None:
        import opencc

        _t2s = opencc.OpenCC("t2s")
    return _t2s.convert(text)


# The Arabic article written with a hyphen on a word after the first (Muhammad ibn Ismail al-Bukhari,
# Абу Али аль-Хусейн): dropped, as the Arabic-script reading drops ال there (see arabic.abjad_words).
# Kept after Abd and Abu (Abd al-Rahman is one name) and before Din (Shams al-Din is one name).
_ARTICLE = re.compile(r"(?<=\s)(?<!abd\s)(?<!abu\s)(?<!абд\s)(?<!абу\s)(?:al|el|ал|аль|әл|эль)[-\u2010\u2011]"
                      r"(?!din\b|дин\b)")


# A title joined to a name with a hyphen (Альбир-хазрат, Сэцэн-хан, Жәнібек-хан): a word of its own,
# as other forms write it, so that structure.TITLES sets it aside.
_TITLE_HYPHEN = re.compile(r"[-\u2010\u2011](?=(?:khan|xan|хан|хаан|hazrat|хазрат|хәзрәт|khoja|xoja|hoja|хожа|"
                           r"ходжа|қожа|haji|hajji|хаджи|қажы|molla|mulla|молла|мулла|datka|датка)\b)")


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """NFKC, casefold, every separator to one space, joiners removed; Traditional Chinese as
    Simplified, pinyin tone marks dropped.

    Commas are kept (as " , ") because "SURNAME, Given" carries order.
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    if _HAN.search(t):
        t = _simplified(t)
    if _PINYIN_TONED.search(t):
        t = _untone(t)
    # casefold turns Turkish İ into i + combining dot; the dot carries nothing.
    t = t.replace("\u0307", "")
    if "-" in t or "\u2010" in t or "\u2011" in t:
        t = _TITLE_HYPHEN.sub(" ", _ARTICLE.sub("", t))
    t = t.translate(_JOIN_TABLE)
    t = t.replace(",", " , ").replace("\uff0c", " , ")
    t = _SEP_RE.sub(" ", t).strip()
    return " ".join(_fix_homoglyphs(tok) for tok in t.split(" ") if tok)


def tokenize(text: str) -> tuple[list[str], int | None]:
    """Tokens of a name and the number of tokens before a comma (or None)."""
    toks = normalize(text).split(" ") if text else []
    comma = None
    out: list[str] = []
    for tok in toks:
        if tok == ",":
            if comma is None and out:
                comma = len(out)
            continue
        if tok:
            out.append(tok)
    return out, comma
