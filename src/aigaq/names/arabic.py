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
# Arabic harakat (short-vowel marks) only appear in quoted Arabic names and in Xiao'erjing.
# Xiao'erjing's tanwin (جً zhan, خٌ hong, بٍ bin) is left unread: its Han names would then pass
# as Turkic ones against other Han names of the same surname (Ma Zhanao / Ma Jian).
HARAKAT = {"\u064e": "a", "\u064f": "u", "\u0650": "i"}


_VOWEL_LETTERS = "اەېىوۇۆۈٵٶٷ"
_KAZAKH_MARKS = frozenset("حعٴٵٶٷٸ")     # Kazakh Arabic: х, ғ, the front-vowel hamza
_UYGHUR_MARKS = frozenset("ېۈئخغ")


def _kazakh_v(token: str, i: int) -> bool:
    """ۆ is Uyghur ö but Kazakh в (Baitursynov's alphabet writes ö as ٶ or و with ٴ). Uyghur
    never writes a vowel letter at the start of a word or after another vowel without the
    hamza seat ئ, so ۆ there, or in a word with Kazakh letters and none only Uyghur uses, is в:
    سۇگىرباەۆ Sügirbaev."""
    if i == 0 or token[i - 1] in _VOWEL_LETTERS:
        return True
    return not _KAZAKH_MARKS.isdisjoint(token) and _UYGHUR_MARKS.isdisjoint(token)


@lru_cache(maxsize=100_000)
def romanize_arabic(token: str) -> str:
    """One Arabic-script token in Uyghur Latin: ئىلھام -> ilham."""
    out: list[str] = []
    for i, ch in enumerate(token):
        if ch in ARABIC:
            lat = ARABIC[ch] if ch != "ع" or i else "a"     # an initial ع is a vowel (عثمان Usman)
            if ch == "ۆ" and _kazakh_v(token, i):
                lat = "v"
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


# --- Arabic and Persian orthography (an abjad: short vowels not written) -----------------------
#
# Arabic-language press and Gulf or Turkish documents write a Uyghur or Kazakh name the Arabic way:
# عبد القادر جلال الدين for Abduqadir Jalalidin. Uyghur script writes every vowel, with letters
# Arabic lacks (ە ې ۆ ۈ ۇ ۋ ڭ, the hamza seat ئ), so a name without any of them is read as an abjad:
# the Arabic compounds joined (Abd al-X, X al-Din, X Allah), the article taken off other words
# (al-Kashgari), and compared on consonants only (similarity.Part.bare).

# ئ only at the start of a word: inside one it is Arabic's hamza on a y (فائزوف Faizov).
_UYGHUR_ONLY = frozenset("ەېۆۈۇۋڭٵٶٷٴ")


_MARKS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0652")   # tanwin, short vowels, sukun


def is_abjad(words: list[str]) -> bool:
    """True for an Arabic-script name in Arabic or Persian orthography (no Uyghur vowel letters;
    ى only at the end of a word, where Arabic writes it: موسى). A name with a vowel mark on every
    word (Xiao'erjing, Mandarin in Arabic letters: مَا جًااَوْ Ma Zhanao) writes its vowels and is
    read letter by letter; compared on its consonants alone, ma + one short word would match
    every other."""
    if all(not _MARKS.isdisjoint(w) for w in words):
        return False
    for w in words:
        if not _UYGHUR_ONLY.isdisjoint(w) or "ى" in w[:-1] or w[:1] == "ئ":
            return False
    return bool(words)


_ABD = ("عبد", "ابو", "أبو")
_ABU = ("ابو", "أبو")
_JOINED_AFTER = {"الدين": ("iddin", "din"), "الدین": ("iddin", "din"), "الله": ("ulla", "la")}
_RUSSIAN_ENDS = frozenset(("وف", "وفا", "وفيتش", "وفنا", "ف"))
_RUSSIAN_SURNAME_ENDS = ("وف", "يف", "وفا", "يفا")


def abjad_words(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The words of an abjad name as (reading, other readings), compounds joined: عبد القادر ->
    abdulqadr (also abduqadr: Uyghur Abduqadir drops the article's l); جلال الدين -> jalaliddin
    (also jalaldin); الكاشغري -> kashghri."""
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _ABD and nxt.startswith("ال") and len(nxt) > 2:
            head = "abd" if w == "عبد" else "abu"
            rest = "la" if nxt == "الله" else _read_abjad(nxt[2:])     # عبد الله Abdulla
            # Uyghur Abdu- drops the article's l; Kazakh Äb- the d as well (عبد الستار Absattar)
            short = (head + "u" + rest, "ab" + rest) if head == "abd" else (head + "u" + rest,)
            out.append((head + "ul" + rest, short))
            i += 2
            continue
        if w in _ABU and nxt and len(words) >= 3:
            # Abu and the name after it are one name, as Tajik, Kazakh and Uyghur write it (ابو علی
            # Абӯалӣ, ابوریحان Aburayhan)
            out.append(("abu" + _read_abjad(nxt), tuple("abu" + a for a in _abjad_alts(nxt))))
            i += 2
            continue
        compound = next((k for k in _JOINED_AFTER if w.endswith(k) and len(w) > len(k) + 1), None)
        if compound:
            # the compound glued, as Persian writes it (عبدالله Abdulla, شمسالدین Shamsiddin)
            head = _read_abjad(w[: -len(compound)])
            full, short = _JOINED_AFTER[compound]
            out.append((head + full, (head + short,)))
            i += 1
            continue
        glued = next((k for k in _JOINED_AFTER if w.startswith(k) and w[len(k):] in _RUSSIAN_ENDS), None)
        if out and (w in _JOINED_AFTER or glued):
            # ... also with a Russian ending (علاء الدينوف Alyautdinov, محيي الدينوف Mukhetdinov)
            prev, alts = out[-1]
            full, short = _JOINED_AFTER[glued or w]
            end = _read_abjad(w[len(glued):]) if glued else ""
            out[-1] = (prev + full + end, (prev + short + end, *(a + full + end for a in alts)))
            i += 1
            continue
        if w.startswith("ال") and len(w) > 3:
            if out:
                w = w[2:]
            else:
                # a first word keeps its al-: a given name (البير Albir, الماس Almas, الياس Ilyas)
                # far more often than a title with the article (الملا)
                out.append((_read_abjad(w), (_read_abjad(w[2:]), *_abjad_alts(w))))
                i += 1
                continue
        out.append((_read_abjad(w), _abjad_alts(w)))
        i += 1
    return out


def _abjad_alts(word: str) -> tuple[str, ...]:
    """Other readings of an abjad word, from how Arabic spells the sounds of other languages:
    ع is g in Tatar and Kazakh (عين الدين Гайнутдин, طلعت Талгат, سميعولين Самигуллин); ف
    writes v, which Arabic lacks (سيرفر Server, إلفيرا Elvira); ج is g in Egypt, tried only in a
    Russian surname (كرجانوف Krganov: on consonants alone جليل Jalil as g would meet Guxur);
    ض is the Arabic d (ضمير Damir), z only in Persian."""
    out: list[str] = []
    for a, b in (("ع", "غ"), ("ف", "ۋ"), ("ج", "گ"), ("ض", "د")):
        if a in word and (a != "ج" or word.endswith(_RUSSIAN_SURNAME_ENDS)):
            out.append(_read_abjad(word.replace(a, b)))
    if "ع" in word and "ف" in word:
        out.append(_read_abjad(word.replace("ع", "غ").replace("ف", "ۋ")))
    return tuple(out)


def _read_abjad(word: str) -> str:
    # و in an abjad is the long u (or w), not Uyghur o. ھ is h only in Uyghur script; Arabic and
    # Persian write h with ه, Urdu uses ھ for aspiration and Tatar Arabic for the vowel ä
    # (موسا جھليل Musa Cälil): here it is not a consonant.
    # ه inside a word is h (هليل Helil); at the end it is the vowel of -a / -e (Fatimah, Zahra),
    # except after alef (شاه Shah).
    word = word[:-1].replace("ه", "h") + (word[-1:] if not word.endswith("اه") else "h")
    # Arabic spells j, ch and ng of other languages دج, تش and نغ (سيرفر دجيباروف Server Djeparov,
    # تشين Chen, تشينغيز Chingiz)
    word = word.replace("دج", "ج").replace("تش", "چ").replace("نغ", "ڭ")
    # ئ inside an Arabic word is a hamza on a y (فائزوف Faizov), not Uyghur's silent vowel seat
    word = word[:1] + word[1:].replace("ئ", "ي")
    return romanize_arabic(word.replace("و", "ۇ").replace("ھ", ""))
