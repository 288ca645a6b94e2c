"""Name structure: which part is the given name, which the father's.

Conventions met in the records (see docs/names.md):

* Kazakh, Kyrgyz, Uzbek, Tatar: given + father's name + -ұлы/-uly/-uulu/
  -oglu/-ogli (son) or -қызы/-kyzy/-qizi (daughter), either order, the suffix
  sometimes a separate word (Turgunbek uulu, Нургали улы);
* Russian-style documents: SURNAME Given Patronymic, surname from the father
  or grandfather with -ов/-ев/-ова/-ева (-ин/-ина), patronymic -ович/-овна;
* Xinjiang Chinese and pinyin: given·father, no suffix (努尔兰·赛力克);
* Xinhua Chinese for Russian-style names: given·surname with -耶夫 etc.;
* "SURNAME, Given" with a comma in lists and passports.

Roles come from suffixes first, then from the script's convention. Two bare
words in Latin or Cyrillic ("Bolat Marat") are read given-first but marked
``order_known=False`` so that comparison may also try them reversed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from anyascii import anyascii

from .arabic import abjad_words, is_abjad, romanize_arabic
from .chinese import (
    chinese_gender,
    looks_like_pinyin,
    read_chinese,
    read_pinyin,
    segment_pinyin,
    xinhua_variant,
)
from .cyrillic import romanize_cyrillic
from .kana import kana_full, romanize_kana
from .latin import romanize_latin
from .normalize import MIDDLE_DOTS, tokenize
from .phonetic import e_as_i, final_il, o_as_a, vowel_code, weak_onset
from .script import detect_script, is_chinese

# (ending in Turkic Latin, kind, gender); longest first within each kind.
PATRONYMIC_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ovich", "patronymic", "m"), ("evich", "patronymic", "m"), ("ovych", "patronymic", "m"),
    ("ovna", "patronymic", "f"), ("evna", "patronymic", "f"),
    # French and German spellings of the Russian patronymic (UN documents in French, German press)
    ("ovitch", "patronymic", "m"), ("evitch", "patronymic", "m"), ("ovitsch", "patronymic", "m"),
    ("evitsch", "patronymic", "m"), ("owitsch", "patronymic", "m"), ("ewitsch", "patronymic", "m"),
    ("owich", "patronymic", "m"), ("ewich", "patronymic", "m"),   # Turkmen -owiç, -ewiç
    ("oghlu", "patronymic", "m"), ("oghli", "patronymic", "m"), ("ughli", "patronymic", "m"),
    ("oglu", "patronymic", "m"), ("ogly", "patronymic", "m"), ("ogli", "patronymic", "m"),
    ("ugli", "patronymic", "m"), ("uulu", "patronymic", "m"), ("uuly", "patronymic", "m"),
    ("uly", "patronymic", "m"), ("uli", "patronymic", "m"), ("ulu", "patronymic", "m"),
    ("üly", "patronymic", "m"),     # 2021 Kazakh Latin ú (ü) typed for u: Bákirúly
    ("qyzy", "patronymic", "f"), ("kyzy", "patronymic", "f"), ("qizi", "patronymic", "f"),
    ("kizi", "patronymic", "f"), ("kyzi", "patronymic", "f"), ("qyzi", "patronymic", "f"),
    ("gyzy", "patronymic", "f"), ("ghyzy", "patronymic", "f"),
    # the short Russian form after a vowel stem: Сафич (Safa), Ильич
    ("ich", "patronymic", "m"),
)
SURNAME_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ova", "surname", "f"), ("eva", "surname", "f"), ("ov", "surname", "m"),
    ("ev", "surname", "m"), ("off", "surname", "m"), ("eff", "surname", "m"), ("ow", "surname", "m"),
    ("ew", "surname", "m"),
)
# -in/-ina (Tatar Хабибуллин, Russian Ильин) is also the end of many given
# names (Madina, Nuriddin, Imin), so it only counts on long words that do
# not end like a given name.
WEAK_SURNAME_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ina", "surname", "f"), ("in", "surname", "m"),
)
_WEAK_EXCEPT_ENDINGS = ("din", "dina", "tin", "mina", "imin", "emin", "amin", "yasin", "yin")
_WEAK_EXCEPT = frozenset(
    "kristina valentina ekaterina albina karolina angelina regina galina marina zarina "
    "madina karina alina nurlina gulmira".split()
)
# Separate words that mark the word before them as a father's name.
PATRONYMIC_WORDS = {
    "uly": "m", "uli": "m", "ulu": "m", "uulu": "m", "ogly": "m", "oglu": "m", "oghlu": "m",
    "ogli": "m", "ugli": "m", "oghli": "m", "ughli": "m", "qyzy": "f", "kyzy": "f", "qizi": "f", "kizi": "f", "kyzi": "f",
    "tegin": "m",
}
# Words before the father's name (Arabic ibn, bin, bint): Molla Bilal bin Molla Yusuf Nazim.
# Tajik writes ibn with the izafet (ибни, ibn-i); Chinese as 本 or 伊本.
FATHER_NEXT_WORDS = {"ibn": "m", "bin": "m", "bint": "f", "binti": "f", "bn": "m", "abn": "m", "bnt": "f",
                     "ibni": "m", "ibne": "m", "iben": "m", "ben": "m"}
MIN_STEM = 3
# The first half of an Arabic compound written as a word of its own (Abdul Kerim, Абдул Керим):
# joined to the next word, as most forms write it (Abdulkerim, 阿不都克里木).
# Abu and the name after it likewise (Abu Ali, Абӯалӣ).
JOIN_NEXT = frozenset("abd abdu abdul abdur abdus abdi abdel abdal abdil abdy abdyl abu äbu abou ebu".split())
# Titles written as words of their own (Khoja Ahmed Yasawi, Muhammad Salih Hajim, Satuq Bughra
# Khan, Kurmanjan Datka): set aside as a last, extra part when two other words remain, since other
# forms of the name drop them or keep them. Matched by vowel code, so spellings across scripts count. Words that are also common
# given names (Batyr, Mirza, Sultan, Töre) are not in the list.
TITLES = (
    "khoja hoja khwaja khawaja xoja qoja hoca kozha қожа хожа ходжа خوجا قوجا خواجه خواجة "
    "haji hajji hadji hajim qazhy қажы хаджи ھاجى حاجى ھاجىم حاجم حاجي حاجی khodji ходжи "
    "hazrat хазрат хәзрәт حضرة حضرت خزرات "
    "molla mulla mullah damolla молда молла мулла موللا داموللا ملا ملّا domla домла "
    "sheikh shaykh sheykh шейх شيخ شەيخ akhun akhund axun ахун ئاخۇن "
    "datka датка khagan qaghan kaghan kağan qağan каган қаған khan xan хан خان "
    "хаан khaan хунтайж khuntaij hongtaiji huntaiji khungtaidschi"     # Mongolian khan, khong tayiji
)
# Bek/Beg and the -jan of endearment written as a word of their own inside a name (Ishaq Beg Munonov,
# نور احمد جان بغرا): joined to the word before, as Isakbek, Ahmadjan and 伊斯哈克拜克 write them. As
# the last word they stay a word.
JOIN_PREV = frozenset("bek beg бек بەگ بك بيك jan jon zhan жан джан جان باي shah шах شاه".split())
# The second half of a compound written apart, joined to the word before even as the last word:
# Persian زاده "born of" (قاهر رسول زاده Qohir Rasulzoda), and ad-Din in Latin and Cyrillic
# (Shams al-Din, Шамс ад-Дин: Shamsiddin).
JOIN_PREV_LAST = frozenset("زاده زادە zade zoda zada заде зода aldin addin uddin eddin аддин алдин уддин "
                           "әддин".split())
# Titles that Chinese writes glued to the name they follow (沙比提大毛拉 Sabit Damolla): cut off as a title.
CHINESE_TITLE_ENDINGS = ("大毛拉", "毛拉", "阿吉", "哈吉", "阿訇", "阿洪")
# Titles as Chinese words of their own (穆罕默德·萨利赫·阿吉 Muhammad Salih Hajim): haji, molla,
# damolla, akhun, khoja, sheikh.
CHINESE_TITLES = frozenset("阿吉 哈吉 毛拉 大毛拉 阿訇 阿洪 阿匍 和卓 霍加 谢赫 卡宰".split())
# ... read as the titles they write, not syllable by syllable (和卓 is Khoja, not hjo)
_CHINESE_TITLE_READINGS = {"阿吉": "haji", "哈吉": "haji", "毛拉": "molla", "大毛拉": "damolla",
                           "阿訇": "akhun", "阿洪": "akhun", "和卓": "khoja", "霍加": "khoja",
                           "谢赫": "sheykh", "卡宰": "qazhy"}
# An optional ending of endearment: Huseyincan / Hüseyin, Ehmetjan / Ehmet, 艾合买提江. (-bek as
# well, Azizbek / Aziz, was measured in session 8: on the synthetic test split it made father and son
# alike, 0 -> 30 pairs above the threshold, Erbol / Erbolbek being two generations.)
_ENDEARMENT = ("jan", "jon", "can", "zhan", "dzhan")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, romanised, with any patronymic/surname ending removed."""

    text: str
    script: str
    roman: str
    stem: str
    kind: str | None = None     # "patronymic", "surname", "title" or None
    gender: str | None = None   # "m", "f" or None
    alt: str | None = None      # a second reading of a Chinese word (Xinhua tradition)
    alts: tuple[str, ...] = ()  # second readings of the stem from transcription conventions
    marked: bool = False        # the father's name by a word before it (ibn, bin)


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into parts, every part romanised to Turkic Latin stems.

    ``father`` is the father's name from a patronymic (Серікұлы, Серикович,
    the second part of 努尔兰·赛力克); ``surname`` a Russian-style surname
    stem (Сериков -> serik), which is usually the father's or grandfather's
    name; ``extra`` any further words.
    """

    given: str
    father: str | None = None
    surname: str | None = None
    extra: tuple[str, ...] = ()
    gender: str | None = None
    order_known: bool = True
    script: str = "Zyyy"
    unsplit: bool = False
    abjad: bool = False         # Arabic or Persian orthography: short vowels not written
    ntitles: int = 0            # how many of the extra parts, at the end, are titles (Hajim, Khoja)
    titled: tuple[str, ...] = ()  # parts that are titles but kept as parts: two words, one a title
    pinyin: bool = False        # a Latin name read as pinyin
    kunya: str | None = None    # Abu X set aside before the given name of a name with ibn (Abu Ali)
    tokens: tuple[Token, ...] = field(default=(), repr=False)

    def alt(self, part: str) -> str | None:
        """Second reading of a part (Chinese words only), or None."""
        for t in self.tokens:
            if t.stem == part and t.alt:
                return t.alt
        return None

    def alts(self, part: str) -> tuple[str, ...]:
        """Second readings of a part from transcription conventions (see ``second_readings``)."""
        for t in self.tokens:
            if t.stem == part and t.alts:
                return t.alts
        return ()

    @property
    def family(self) -> tuple[str, ...]:
        """Father's name, surname and extra parts: what a second word can match."""
        out = [p for p in (self.father, self.surname) if p]
        out.extend(self.extra)
        return tuple(out)


def strip_suffix(roman: str) -> tuple[str, str | None, str | None]:
    """(stem, kind, gender) of a romanised word: serikuly -> ('serik', 'patronymic', 'm')."""
    for table in (PATRONYMIC_SUFFIXES, SURNAME_SUFFIXES):
        for suf, kind, gender in table:
            if roman.endswith(suf) and len(roman) - len(suf) >= MIN_STEM:
                if suf.startswith("u") and roman[-len(suf) - 1] == "g":
                    continue   # -gul/-guli is gül "flower" (Nazguli), not -uly
                return roman[: -len(suf)], kind, gender
    if len(roman) >= 7 and roman not in _WEAK_EXCEPT and not roman.endswith(_WEAK_EXCEPT_ENDINGS):
        for suf, kind, gender in WEAK_SURNAME_SUFFIXES:
            if roman.endswith(suf):
                return roman[: -len(suf)], kind, gender
    return roman, None, None


_CHINESE_E = frozenset("艾爱埃哎")
_N_BEFORE_LABIAL = re.compile(r"n(?=[mbp])")


def second_readings(text: str, script: str, stem: str, conv: str = "") -> tuple[str, ...]:
    """Other readings of a word's stem that transcription conventions allow.

    * Uyghur é and ey before a consonant as i (``phonetic.e_as_i``): Eysa / Isa. A Latin é or ë
      is ULY é (the Latin table folds it to e, so it is read from the text); Chinese 艾 at the
      start of a word writes Uyghur e, é and ey alike (艾沙 Eysa, Isa), so it may be i too.
    * o after the first syllable as a (``phonetic.o_as_a``): Uzbek Islom / Islam.
    * Russian ch as Kazakh sh: Чокан Чингисович / Шоқан Шыңғысұлы.
    * a final -ail/-ayil without its l, alone and with the initial vowel dropped
      (``phonetic.final_il``): Ismail / 司马义.
    * a European press convention (German, French, Czech) that the word or another word of the
      same name shows (``latin_conventions``, ``conv``): Rachat Alijew, Chamil Tchorobaev.
    """
    out: list[str] = []
    if is_chinese(script):
        if text[:1] in _CHINESE_E and stem.startswith("e"):
            out.append("i" + stem[1:])
        # Chinese has no syllable-final m: Turkic mm, mb, mp are written n + m/b/p (穆罕默德
        # Muhammad, 坎巴尔 Qambar); a plain nb (Janbolat) is as likely, so this is a second reading.
        nasal = _N_BEFORE_LABIAL.sub("m", stem)
        if nasal != stem:
            out.append(nasal)
        out.extend(_without_endearment(stem))
        return tuple(out)
    e = e_as_i(stem)
    if script == "Latn" and ("é" in text or "ë" in text):
        e2 = strip_suffix(romanize_latin(text.replace("é", "i").replace("ë", "i")))[0]
        e = e_as_i(e2) or e2
    if e and e != stem:
        out.append(e)
    o = o_as_a(stem)
    if o:
        out.append(o)
    if "ch" in stem and script in ("Cyrl", "Latn"):
        # Russian writes Kazakh ш as ч in names fixed in Russian use: Shoqan / Чокан, Shyngys /
        # Чингис (as in Shymkent / Чимкент); English spellings of those follow the Russian.
        out.append(stem.replace("ch", "sh"))
    f = final_il(stem)
    if f:
        out.append(f)
        w = weak_onset(f)
        if w:
            out.append(w)
    out.extend(_without_endearment(stem))
    out.extend(_without_khoja(stem))
    out.extend(_without_khan(stem))
    out.extend(_without_abdu(stem))
    out.extend(_tatar_short(stem))
    out.extend(_without_zoda(stem))
    if stem.endswith("zyan") and len(stem) >= 7:
        # Russian spells the Tatar -җан -зян (Габдуллазян, Галимзян): -jan, and without it.
        out.extend((stem[:-4] + "jan", stem[:-4]))
    if script == "Latn" and ("x" in text or "q" in text) and segment_pinyin(text) is not None:
        # A pinyin word inside a name spelt otherwise (Gulidarriya Xilizati: English spelling of a
        # Chinese ID's pinyin): x and q are then Chinese sh and ch, not Uyghur Latin kh and q.
        py = strip_suffix(read_pinyin(text)[0])[0]
        if py != stem:
            out.append(py)
    elif script == "Latn" and "x" in text:
        # x is kh in Uyghur Latin (ULY) and Uzbek, but sh in the Latin spelling of Uyghur names
        # on Chinese documents and in the older Uyghur New Script (Dilxat Raxit, Ⱨuxur Islam):
        # Dilshat Reshit, Hushur Islam.
        out.extend(_respelt(text.replace("x", "sh"), stem))
    if script == "Latn" and ("g" in conv or _GERMAN.search(text)):
        # German press spells Russian and Kazakh names its own way: sch, tsch, j for y, w for v
        # (Qanysch Sätbajew, Wassiljewitsch)
        out.extend(_respelt(_german_to_latin(text), stem))
    if script == "Latn" and ("f" in conv or "tch" in text and "tsch" not in text):
        # French spells Russian ч tch, ш ch and у ou (Tchoroev, Tchoulpan)
        fr = text.replace("tch", "\0").replace("ch", "sh").replace("\0", "ch")
        out.extend(_respelt(fr.replace("ou", "u"), stem))
    if script == "Latn" and text.endswith("ová") and len(text) >= 7:
        # Czech and Slovak press give a foreign woman's surname their -ová (Kabajevová for Kabaeva)
        out.extend(_respelt(text[:-3] + "a", stem))
    if script == "Latn" and "c" in conv and "ch" in text:
        # ... and spell Russian х ch, as Polish does (Radij Faritovič Chabirov, Хабиров)
        out.extend(_respelt(text.replace("ch", "kh"), stem))
    if script == "Cyrl" and "ҙ" in text:
        # Bashkir ҙ also writes the d of Arabic loans, which Russian spells д (Һәҙиә, Хадия); it
        # reads z first, as in ҡыҙы.
        out.extend(_respelt(text.replace("ҙ", "д"), stem, romanize_cyrillic))
    if script in ("Arab", "Latn") and len(stem) >= 6 and stem.endswith(_UYGHUR_OV):
        # Uyghur writes a Russian -ov/-ev surname -وف / -يېف / -ۇف / -وپ / -يېۋ (Abbasof, Rozibaqiyef,
        # Sugurbayuf, Munonop, Abdullayéw); a word that ends so is also read without it (as a second
        # reading: Sharof, Yusef, Abdurauf and Yusup are given names).
        out.append(stem[:-2])
    return tuple(out)


def _respelt(text: str, stem: str, romanize=romanize_latin) -> tuple[str, ...]:
    """The word as another convention would spell it, read as any word is: its stem, if new."""
    other = strip_suffix(romanize(text))[0]
    return (other,) if other != stem else ()


_UYGHUR_OV = ("of", "ef", "éf", "uf", "éw", "op", "up")
_ABDU = re.compile(r"(?:gh?)?[aäoe]bd[iuoeä]?[lr]?(?=[bcdfghjklmnpqrstvwxyz])")


# German spelling in a word or, its words joined, a name: sch, a final -ow or -owa, lj before a vowel.
_GERMAN = re.compile(r"sch|[aeo]wa?\b|lj(?=[aeiou])")
_GERMAN_S = re.compile(r"(?<=[aeiouäöü])s(?=[aeiouäöü])")
_CZECH = re.compile(r"[čšžř]|ová\b")


def latin_conventions(words: list[str]) -> str:
    """Which European press conventions a Latin name shows in any of its words: g German (sch,
    -ow, lj), f French (tch), c Czech or another Slavic Latin (č, š, ž, ř, -ová). Each applies to
    every word of the name: Rachat Alijew spells the х of Рахат ch because it is German."""
    text = " ".join(words)
    return ("g" if _GERMAN.search(text) else "") + \
           ("f" if "tch" in text and "tsch" not in text else "") + \
           ("c" if _CZECH.search(text) else "")


def _german_to_latin(text: str) -> str:
    """German spelling to English-like Latin: dsch j, tsch ch, sch sh, ch kh, j y, w v, and s between
    vowels z (Dilshod Nasarow, Raschid Alimow, Abu Dschafar al-Chwarizmi)."""
    text = text.replace("dsch", "\0").replace("tsch", "\1").replace("sch", "sh").replace("ch", "kh")
    text = _GERMAN_S.sub("z", text.replace("j", "y").replace("w", "v"))
    return text.replace("\0", "j").replace("\1", "ch")


# Tatar and Bashkir formal given names are compounds, which everyday use, pen names and other
# languages shorten: Ğäbdelmäcit / Mäcit (Abd-, written with the Ğ of Tatar: _ABDU), Möxämmätfatix /
# Fatix, Мухаметхади / Хади (Muhammad-), Ризаэтдин / Риза, Kamaletdinov / Kamal (-al-Din, as Tatar
# writes it: -etdin, -itdin, -eddin; not the -iddin of Uzbek and Uyghur, Zahiriddin).
_MUHAMMAD_HEAD = re.compile(r"m[uöo](?:kh|h)[aä]m+[aäe][dt]")
_DIN_END = re.compile(r"(?:[eäi]td|[eä]dd)in$")


def _tatar_short(stem: str) -> tuple[str, ...]:
    out: list[str] = []
    m = _MUHAMMAD_HEAD.match(stem)
    if m and len(stem) - m.end() >= 4:
        out.append(stem[m.end():])
    m = _DIN_END.search(stem)
    if m and m.start() >= 4:
        out.append(stem[: m.start()])
    return tuple(out)


def _without_abdu(stem: str) -> tuple[str, ...]:
    """Abdu-, Abdul-, Abdur- ("servant of") may be left out in everyday use: Abduljelil is Jelil,
    Abdurehim Rehim. Not where less than four letters would remain (Abdulla)."""
    m = _ABDU.match(stem)
    return (stem[m.end():],) if m and len(stem) - m.end() >= 4 else ()


# Tajik and Persian -zoda, -zade "born of" (Rasulzoda, Rasulzade), as the Russian -ov: Tajik officials
# changed Rasulov to Rasulzoda or Rahmonov to Rahmon. A second reading without it (a first reading
# would cut Shahzoda, a given name).
_ZODA_END = re.compile(r"z[oa]d[ae]$")


def _without_zoda(stem: str) -> tuple[str, ...]:
    m = _ZODA_END.search(stem)
    return (stem[: m.start()],) if m and m.start() >= 3 else ()


# Khoja glued after a given name (Нәзәрғоҗа, Nazarkhoja), which other forms write apart as a title
# (نەزەر خوجا) or leave out.
_KHOJA_END = re.compile(r"(?:kh|gh|h|x|q|k)o(?:j|zh|dzh|dj)a$")


def _without_khoja(stem: str) -> tuple[str, ...]:
    m = _KHOJA_END.search(stem)
    return (stem[: m.start()],) if m and m.start() >= 3 else ()


# Khan glued after a given name (Uzbek Usmonxon, Usmankhan; Uyghur Zeynephan), which other forms
# write apart (عثمان خان) or leave out. Not where less than four letters remain (Orhan, Gökhan).
_KHAN_END = re.compile(r"(?:kh|x|h)[ao]n$")


def _without_khan(stem: str) -> tuple[str, ...]:
    m = _KHAN_END.search(stem)
    return (stem[: m.start()],) if m and m.start() >= 4 else ()


# The pinyin of a title that Chinese glues to a name (CHINESE_TITLE_ENDINGS): Munong'aji.
_PINYIN_TITLE_ENDINGS = (("da", "mao", "la"), ("mao", "la"), ("a", "ji"), ("ha", "ji"), ("a", "hong"))


def _without_pinyin_title(text: str) -> tuple[str, ...]:
    segs = segment_pinyin(text) or ()
    for end in _PINYIN_TITLE_ENDINGS:
        if len(segs) - len(end) >= 2 and tuple(segs[-len(end):]) == end:
            return (read_pinyin("".join(segs[: -len(end)]))[0],)
    return ()


def _without_endearment(stem: str) -> tuple[str, ...]:
    for end in _ENDEARMENT:
        if stem.endswith(end) and len(stem) - len(end) >= 4:
            return (stem[: -len(end)],)
    return ()


@lru_cache(maxsize=300_000)
def analyse_token(text: str, pinyin: bool = False, conv: str = "") -> Token:
    """Romanise one normalised word and take its ending off."""
    script = detect_script(text)
    if is_chinese(script):
        if text in _CHINESE_TITLE_READINGS:
            roman = _CHINESE_TITLE_READINGS[text]
            return Token(text, script, roman, roman)
        roman, kind, gender = read_chinese(text)
        return Token(text, script, roman, roman, kind, gender or chinese_gender(text),
                     xinhua_variant(roman), second_readings(text, script, roman))
    if pinyin and segment_pinyin(text) is not None:
        roman, kind, gender = read_pinyin(text)
        if not kind and (text.endswith(("guli", "gul"))):
            gender = "f"
        # passport pinyin AI- is 艾
        alts = ("i" + roman[1:],) if text.startswith("ai") and roman.startswith("e") else ()
        return Token(text, script, roman, roman, kind, gender, None, alts + _without_pinyin_title(text))
    if script == "Kana":
        roman = romanize_kana(text)
        stem, kind, gender = strip_suffix(roman)
        full = strip_suffix(kana_full(text))[0]
        return Token(text, script, roman, stem, kind, gender, None,
                     (*((full,) if full != stem else ()), *second_readings(text, script, stem)))
    if script == "Cyrl":
        roman = romanize_cyrillic(text)
    elif script == "Arab":
        roman = romanize_arabic(text)
    elif script == "Zyyy" and any(ch.isalpha() for ch in text):
        # A script the engine has no table for (Greek press, Georgian, Armenian, Mongolian
        # script): anyascii's general romanisation, then read as Latin. Καμίλα -> kamila.
        roman = romanize_latin(anyascii(text).lower())
    else:
        roman = romanize_latin(text)
    stem, kind, gender = strip_suffix(roman)
    return Token(text, script, roman, stem, kind, gender, None, second_readings(text, script, stem, conv))


@lru_cache(maxsize=1)
def _title_codes() -> frozenset[str]:
    return frozenset(vowel_code(analyse_token(w).roman) for w in TITLES.split())


def _is_title(tok: Token, pinyin: bool) -> bool:
    return _title_word(tok.text, tok.script, tok.roman, tok.alts, pinyin)


@lru_cache(maxsize=100_000)
def _title_word(text: str, script: str, roman: str, alts: tuple[str, ...], pinyin: bool) -> bool:
    if is_chinese(script):
        return text in CHINESE_TITLES
    codes = _title_codes()
    # an abjad word's other readings count too: الملا is al- + molla
    return not pinyin and (vowel_code(roman) in codes
                           or script == "Arab" and any(vowel_code(a) in codes for a in alts))


def _set_titles_aside(out: list[Token], pinyin: bool = False) -> list[Token]:
    """A title (Khoja, Hajim, Khan, 阿吉) goes last, as an extra part, when two other words remain:
    Khoja Ahmed Yasawi is Ahmed Yasawi + khoja, matching both Ahmed Yasawi and Ahmed Khoja."""
    titles = [t for t in out if t.kind is None and _is_title(t, pinyin)]
    if titles and len(out) - len(titles) >= 2:
        out = [t for t in out if t not in titles] + [replace(t, kind="title", gender=None) for t in titles]
    return out


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isalpha() and not is_chinese(detect_script(word))


def _tokens(tokens: list[str], pinyin: bool, conv: str = "") -> list[Token]:
    out: list[Token] = []
    # An initial (Nury A. Turkel) says only a letter of a part: left out when two words remain.
    initials = [t for t in tokens if _is_initial(t)]
    if initials and len(tokens) - len(initials) >= 2:
        tokens = [t for t in tokens if not _is_initial(t)]
    pending = ""
    father_next: str | None = None
    glued: list[Token] = []
    for i, t in enumerate(tokens):
        if pending:
            t, pending = pending + t, ""
        whole = None
        if is_chinese(detect_script(t)):
            for end in CHINESE_TITLE_ENDINGS:
                if t.endswith(end) and len(t) - len(end) >= 2:
                    glued.append(replace(analyse_token(end), kind="title", gender=None))
                    whole, t = t, t[: -len(end)]
                    break
        tok = analyse_token(t, pinyin, conv)
        if whole:
            # A glued title may also be read as part of the word, as the pinyin of the same form
            # is (木农阿吉 Mùnóngājí): the whole word is a second reading.
            w = analyse_token(whole).stem
            if w != tok.stem and w not in tok.alts:
                tok = replace(tok, alts=(*tok.alts, w))
        if tok.roman in JOIN_NEXT and i + 1 < len(tokens) and len(tokens) >= 3 and not is_chinese(tok.script):
            pending = t
            continue
        if tok.roman in FATHER_NEXT_WORDS and i + 1 < len(tokens) and out:
            father_next = FATHER_NEXT_WORDS[tok.roman]
            continue
        if father_next and tok.stem and not _is_title(tok, pinyin):
            if tok.kind is None:
                tok = replace(tok, kind="patronymic", gender=father_next, marked=True)
            father_next = None      # bin Yusupov: the word has a kind of its own
        marker = PATRONYMIC_WORDS.get(tok.roman)
        if marker and out and out[-1].kind is None:
            prev = out[-1]
            out[-1] = Token(prev.text, prev.script, prev.roman, prev.stem, "patronymic", marker,
                            prev.alt, prev.alts)
            continue
        if tok.stem:
            out.append(tok)
    return _set_titles_aside(_kunya_aside(out), pinyin) + glued


# Abu + a name (joined: Abu Ali, ابو علی) before the given name of a classical Arabic name.
_KUNYA = ("abu", "äbu", "ebu", "abou")


def _kunya_aside(out: list[Token]) -> list[Token]:
    """In a name with ibn, a kunya (Abu Abdullah) before the given name goes aside as a title: Abu
    Abdullah Muhammad ibn Musa is Muhammad ibn Musa. Only with ibn: Abubakir is a Turkic given name."""
    if out and out[0].roman.startswith(_KUNYA) and out[0].kind is None and _first_marked(out) >= 2:
        return [*out[1:], replace(out[0], kind="title", gender=None)]
    return out


def _first_marked(toks: list[Token]) -> int:
    """Index of the first token marked by ibn or bin, or 0 if none (the first token never is)."""
    for i, t in enumerate(toks):
        if t.marked:
            return i
    return 0


# Russian endings as Arabic-language press writes them (رشيدوف Rashidov, توكاييف Tokayev, أتايفيتش
# Atayevich with تش read ch, كريموفا Karimova), read without short vowels: only after the first word, and only where
# a stem of four letters remains (معروف Maaruf keeps its ending).
# The y of -ييف (-yev) stays with the stem, as Tokayev's does (tokay-ev); after a consonant the
# two ي read ii (ساتكالييف Satkaliyev), and one i stays.
# Persian writes -ovich as ويچ (شريفويچ Sharifovich).
_ABJAD_RUSSIAN = (("yifich", "patronymic", "m"), ("iifich", "patronymic", "m"), ("ufich", "patronymic", "m"),
                  ("yuych", "patronymic", "m"), ("uych", "patronymic", "m"),
                  ("fich", "patronymic", "m"), ("ufna", "patronymic", "f"), ("yifna", "patronymic", "f"),
                  ("iifna", "patronymic", "f"), ("yifa", "surname", "f"), ("iifa", "surname", "f"),
                  ("ufa", "surname", "f"), ("yif", "surname", "m"), ("iif", "surname", "m"),
                  ("uf", "surname", "m"))


def _abjad_suffix(roman: str) -> tuple[str, str | None, str | None]:
    for suf, kind, gender in _ABJAD_RUSSIAN:
        cut = len(suf) - 1 if suf.startswith(("y", "ii")) else len(suf)
        if roman.endswith(suf) and len(roman) - cut >= MIN_STEM + 1:
            return roman[:-cut], kind, gender
    return strip_suffix(roman)


def _abjad_tokens(words: list[str]) -> list[Token]:
    out: list[Token] = []
    read = abjad_words(words)
    father_next: str | None = None
    for i, (roman, alts) in enumerate(read):
        if roman in FATHER_NEXT_WORDS and out and i + 1 < len(read):
            father_next = FATHER_NEXT_WORDS[roman]      # بن, ابن, بنت
            continue
        cut = _abjad_suffix if i else strip_suffix
        stem, kind, gender = cut(roman)
        marked = False
        if father_next and vowel_code(roman) not in _title_codes():
            if kind is None:
                kind, gender, marked = "patronymic", father_next, True
            father_next = None
        if stem:
            more: tuple[str, ...] = _without_zoda(stem)
            if i and len(stem) >= 5 and stem[-1] == "f" and stem[-2] not in "aeiou":
                # Persian spells the Tajik -ov with ف alone (رحمانف Rahmonov, غفورف Ghafurov)
                more += (stem[:-1],)
            others = tuple(dict.fromkeys(a for a in (*(cut(x)[0] for x in alts), *more) if a and a != stem))
            out.append(Token(roman, "Arab", roman, stem, kind, gender, None, others, marked))
    return _set_titles_aside(_kunya_aside(out))


def _join_prev(words: list[str]) -> list[str]:
    """Bek, Beg, -jan written apart inside a name joined to the word before (JOIN_PREV); -zoda and
    al-Din written apart joined even as the last word (JOIN_PREV_LAST)."""
    out: list[str] = []
    for i, w in enumerate(words):
        if ((w in JOIN_PREV and i < len(words) - 1 or w in JOIN_PREV_LAST) and out
                and detect_script(out[-1]) == detect_script(w)):
            out[-1] += w        # Ishaq Beg -> ishaqbeg, احمد جان -> احمدجان
        else:
            out.append(w)
    return out


@lru_cache(maxsize=100_000)
def parse(name: str) -> ParsedName:
    """Split a name into given name, father's name, surname and extra parts."""
    words, comma = tokenize(name)
    script = detect_script(name)
    if is_chinese(script):
        # Chinese has no family-name-first comma: a comma there stands for the dot (吐尔孙汗,阿不都热合曼)
        comma = None
    if comma is None and len(words) >= 3:
        words = _join_prev(words)
    pinyin = script == "Latn" and looks_like_pinyin(words)
    abjad = script == "Arab" and is_abjad(words)
    conv = latin_conventions(words) if script == "Latn" and not pinyin else ""
    toks = _abjad_tokens(words) if abjad else _tokens(words, pinyin, conv)
    if not toks:
        return ParsedName(given="", script=script)
    titles = tuple(t.stem for t in toks if t.kind == "title")
    if titles:
        core = _roles([t for t in toks if t.kind != "title"], name, words, comma, script, pinyin, abjad)
        out = replace(core, extra=core.extra + titles, tokens=tuple(toks), ntitles=len(titles))
        kunya = next((t.stem for t in toks if t.kind == "title" and t.roman.startswith(_KUNYA)), None)
        if kunya and core.father:
            out = replace(out, kunya=kunya)
    else:
        out = _roles(toks, name, words, comma, script, pinyin, abjad)
        titled = tuple(t.stem for t in toks if t.kind is None and _is_title(t, pinyin))
        if titled:
            out = replace(out, titled=titled)
    return replace(out, pinyin=True) if pinyin else out


def _roles(toks: list[Token], name: str, words: list[str], comma: int | None, script: str,
           pinyin: bool, abjad: bool) -> ParsedName:
    """Given name, father's name, surname and extra parts from the tokens' kinds and the script."""
    chinese = is_chinese(script)
    first = _first_marked(toks)
    if first:
        # A classical Arabic name: given name (and other names) ibn father ibn grandfather ... and a
        # nisba (al-Bukhari). The words other than the given and the father's are extra parts, in
        # the order written; none is glued to the given name.
        rest = toks[1:first] + toks[first + 1:]
        return ParsedName(given=toks[0].stem, father=toks[first].stem, extra=tuple(t.stem for t in rest),
                          gender=toks[first].gender, order_known=True, script=script, abjad=abjad,
                          tokens=tuple(toks))
    if abjad and len(toks) == 3 and toks[2].kind == "patronymic" and toks[1].kind is None:
        sur, kind, gender = _abjad_suffix(toks[0].roman)
        if kind == "surname":
            # Russian order, as the Arabic press copies it from Russian lists: كرجانوف ألبير
            # ريفكاتوفيتش, Krganov Albir Rifkatovich
            first = replace(toks[0], stem=sur, kind=kind, gender=gender,
                            alts=tuple(dict.fromkeys(_abjad_suffix(a)[0] for a in toks[0].alts)))
            return ParsedName(given=toks[1].stem, father=toks[2].stem, surname=sur, gender=gender,
                              order_known=True, script=script, abjad=True,
                              tokens=(first, *toks[1:]))
    if abjad:
        # Given name first, then the father's or family name, as in Uyghur Arabic script.
        return ParsedName(given=toks[0].stem, father=toks[1].stem if len(toks) > 1 else None,
                          extra=tuple(t.stem for t in toks[2:]), order_known=True, script=script,
                          abjad=True, tokens=tuple(toks))

    gender = next((t.gender for t in toks if t.gender), None)
    patr = [t for t in toks if t.kind == "patronymic"]
    surn = [t for t in toks if t.kind == "surname"]
    bare = [t for t in toks if t.kind is None]
    father = patr[0].stem if patr else None
    surname = surn[0].stem if surn else None
    extra = tuple(t.stem for t in patr[1:] + surn[1:])

    if comma is not None and not patr and not surn and 0 < comma < len(toks):
        # "SAILIKE, NUERLAN" / "Серік, Нұрлан": family part first
        fam, giv = toks[:comma], toks[comma:]
        return ParsedName(
            given="".join(t.stem for t in giv), father=fam[0].stem,
            extra=tuple(t.stem for t in fam[1:]), gender=gender, order_known=True,
            script=script, tokens=tuple(toks),
        )
    if patr or surn:
        if patr and not surn and len(bare) == 2:
            # Асқар Ұзақбайұлы Мамин (given, patronymic, surname) or
            # Мамин Асқар Ұзақбайұлы (Russian order: surname first)
            pi = toks.index(patr[0])
            gi = 1 if pi == len(toks) - 1 and toks.index(bare[1]) < pi else 0
            given, surname = bare[gi].stem, bare[1 - gi].stem
        elif surn and not patr and len(bare) == 2 and len(toks) == 3 and toks[1] in bare:
            # Муса Ярулла Бигиев, Musa Jarullah Bigiev: a father's name written without its
            # ending between the given name and the surname (Tatar, Bashkir, Arabic-language press).
            # A compound given name written in two words (Нур Султан Назарбаев) is read joined too
            # (similarity_prepared, Prepared.joinable).
            given, father = bare[0].stem, bare[1].stem
        elif bare:
            given = "".join(t.stem for t in bare)
        else:
            # "Serikov Nurlanov": nothing bare, the first word is the given name
            first = toks[0]
            given = first.stem
            rest = [t.stem for t in toks[1:]]
            father = rest[0] if rest else None
            surname, extra = None, tuple(rest[1:])
        return ParsedName(given=given, father=father, surname=surname, extra=extra,
                          gender=gender, order_known=True, script=script, tokens=tuple(toks))
    # only bare words: given first, father second (Chinese, pinyin, Uyghur Arabic
    # and most Latin/Cyrillic lists), further words as extra parts.
    # Pinyin with the middle dot (Nu'erlan·Sailike) copies the Chinese order; pinyin with a space
    # may be passport order, family name first (Silamu Hanati for 哈那提·斯拉木).
    pinyin_dotted = pinyin and any(ch in name for ch in MIDDLE_DOTS)
    order_known = chinese or pinyin_dotted or script == "Arab" or len(bare) > 2
    unsplit = chinese and len(bare) == 1 and len(words[0]) >= 4
    return ParsedName(
        given=bare[0].stem,
        father=bare[1].stem if len(bare) > 1 else None,
        extra=tuple(t.stem for t in bare[2:]),
        gender=gender, order_known=order_known, script=script, unsplit=unsplit,
        tokens=tuple(toks),
    )


def romanize(text: str) -> str:
    """A name in Turkic Latin, word by word, endings kept: Нұрлан Серікұлы -> nurlan serikuly."""
    words, _ = tokenize(text)
    pinyin = detect_script(text) == "Latn" and looks_like_pinyin(words)
    return " ".join(analyse_token(w, pinyin).roman for w in words)
