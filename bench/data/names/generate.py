"""Build the labelled name-variant set from lexicon.csv.

Run: .venv/bin/python bench/data/names/generate.py  (writes variants.csv)

Each person gets the forms their name really takes in the records, produced
here by spelling conventions written independently of aigaq.names (the
library is never imported, so the data does not inherit its rules):

* Kazakh: Kazakh Cyrillic with -ұлы/-қызы, Russian-style Cyrillic (surname
  first, -ов/-ович), official 2021 Latin, 2018 acute-accent Latin, passport
  Latin, Turkish spelling, Xinjiang Chinese given·father and its pinyin;
* Kyrgyz: Kyrgyz Cyrillic with uulu/kyzy, Russian-style, passport Latin,
  Chinese, pinyin;
* Tatar: Tatar Cyrillic with улы/кызы, Russian-style three-part names,
  Tatar Latin, English Latin, Chinese, pinyin;
* Uyghur: Arabic script, ULY, English-style Latin, Turkish, Uyghur
  Cyrillic (Kazakhstan), Chinese, pinyin.

Plus typos, missing father's names, upper case and swapped order. Names
are split into a dev half and a held-out test half by a hash of the name,
and every person is built from names of one half only.

The Chinese forms in lexicon.csv follow the published Xinjiang practice as
far as the author knows it; they are plausible, not taken from documents.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).parent

# -- converters ---------------------------------------------------------------

KK_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş",
    "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
KK_2018 = dict(KK_2021, **{"ә": "á", "ғ": "ǵ", "ң": "ń", "ө": "ó", "у": "ý", "ұ": "u",
                           "ү": "ú", "ч": "ch", "ш": "sh", "і": "i", "и": "ı", "й": "ı"})
PASSPORT = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "җ": "zh",
}
TURKISH = dict(PASSPORT, **{"ә": "e", "ж": "c", "җ": "c", "ш": "ş", "ч": "ç", "ғ": "ğ",
                            "ы": "ı", "ө": "ö", "ү": "ü", "х": "h", "й": "y", "щ": "ş"})
TATAR_LATIN = dict(PASSPORT, **{"ә": "ä", "ө": "ö", "ү": "ü", "җ": "c", "ж": "j", "ң": "ñ",
                                "ш": "ş", "ч": "ç", "ы": "ı", "х": "x", "һ": "h", "й": "y",
                                "ю": "yu", "я": "ya", "г": "g", "к": "k"})
TO_RUSSIAN = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
              "і": "и", "җ": "дж"}

ULY_TO_ARABIC = [
    ("ch", "چ"), ("sh", "ش"), ("gh", "غ"), ("ng", "ڭ"), ("zh", "ژ"),
    ("a", "ا"), ("e", "ە"), ("b", "ب"), ("p", "پ"), ("t", "ت"), ("j", "ج"), ("x", "خ"),
    ("d", "د"), ("r", "ر"), ("z", "ز"), ("s", "س"), ("f", "ف"), ("q", "ق"), ("k", "ك"),
    ("g", "گ"), ("l", "ل"), ("m", "م"), ("n", "ن"), ("h", "ھ"), ("o", "و"), ("u", "ۇ"),
    ("ö", "ۆ"), ("ü", "ۈ"), ("w", "ۋ"), ("é", "ې"), ("i", "ى"), ("y", "ي"),
]
ULY_TO_CYR = [
    ("ch", "ч"), ("sh", "ш"), ("gh", "ғ"), ("ng", "ң"), ("zh", "ж"),
    ("a", "а"), ("e", "ә"), ("b", "б"), ("p", "п"), ("t", "т"), ("j", "җ"), ("x", "х"),
    ("d", "д"), ("r", "р"), ("z", "з"), ("s", "с"), ("f", "ф"), ("q", "қ"), ("k", "к"),
    ("g", "г"), ("l", "л"), ("m", "м"), ("n", "н"), ("h", "һ"), ("o", "о"), ("u", "у"),
    ("ö", "ө"), ("ü", "ү"), ("w", "в"), ("é", "е"), ("i", "и"), ("y", "й"),
]
ULY_VOWELS = set("aeouöüéi")
PINYIN_FIX = {"勒": "le", "什": "shi", "都": "du", "柏": "bo", "卜": "bu", "伽": "jia", "单": "dan"}


def conv(word: str, table: dict[str, str]) -> str:
    out = "".join(table.get(c, c) for c in word.lower())
    return out[:1].upper() + out[1:]


def uly_tokens(word: str, pairs: list[tuple[str, str]]) -> list[str]:
    w, out, i = word.lower(), [], 0
    while i < len(w):
        for lat, tgt in pairs:
            if w.startswith(lat, i):
                out.append((lat, tgt))
                i += len(lat)
                break
        else:
            i += 1
    return out


def uly_to_arabic(word: str) -> str:
    out, prev_vowel = [], True
    for lat, ar in uly_tokens(word, ULY_TO_ARABIC):
        if lat in ULY_VOWELS and prev_vowel:
            out.append("ئ")   # hamza carrier before a word-initial or hiatus vowel
        out.append(ar)
        prev_vowel = lat in ULY_VOWELS
    return "".join(out)


def uly_to_cyr(word: str) -> str:
    s = "".join(c for _, c in uly_tokens(word, ULY_TO_CYR))
    return s[:1].upper() + s[1:]


def uly_informal(word: str) -> str:
    w = word.lower()
    for a, b in (("x", "kh"), ("q", "k"), ("é", "e"), ("ö", "o"), ("ü", "u"), ("gh", "g")):
        w = w.replace(a, b)
    return w.capitalize()


def uly_turkish(word: str) -> str:
    w = word.lower()
    for a, b in (("ch", "ç"), ("sh", "ş"), ("gh", "ğ"), ("zh", "j"), ("j", "c"), ("x", "h"),
                 ("q", "k"), ("ng", "n"), ("w", "v"), ("é", "e")):
        w = w.replace(a, b)
    return w[:1].upper() + w[1:]


def pinyin(hanzi: str, upper: bool) -> str:
    parts = []
    for part in hanzi.split("·"):
        syl = [PINYIN_FIX.get(c) or lazy_pinyin(c, style=Style.NORMAL)[0] for c in part]
        s = "".join(syl).replace("ü", "u").replace("v", "u")
        parts.append(s.upper() if upper else s.capitalize())
    return " ".join(parts)


def russian_base(cyr: str, rng: random.Random) -> str:
    s = "".join(TO_RUSSIAN.get(c, c) for c in cyr.lower())
    if rng.random() < 0.3 and s.startswith("ж"):
        s = "дж" + s[1:]   # older Russian spelling: Джанбулатов
    return s.capitalize()


def ru_surname(base: str, female: bool) -> str:
    b = base
    if b.endswith("й"):
        b, suf = b[:-1], "ев"
    elif b[-1] in "аеиоуыэюяь" or b[-1] in "жшчщц":
        suf = "ев"
        b = b.rstrip("ь")
    else:
        suf = "ов"
    return b + suf + ("а" if female else "")


def ru_patronymic(base: str, female: bool) -> str:
    s = ru_surname(base, False)
    return s[:-2] + ("ев" if s.endswith("ев") else "ов") + ("на" if female else "ич")


def latin_surname(lat_base: str, female: bool) -> str:
    suf = "ev" if lat_base[-1].lower() in "aeiouy" else "ov"
    return lat_base + suf + ("a" if female else "")


# -- names and people ---------------------------------------------------------

def load_lexicon() -> list[dict[str, str]]:
    with open(HERE / "lexicon.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        h = hashlib.sha256((r["eth"] + r["native"]).encode()).digest()[0]
        r["split"] = "dev" if h % 2 == 0 else "test"
    return rows


def forms(eth: str, g: dict, f: dict, female: bool, rng: random.Random) -> list[tuple[str, str]]:
    """(form label, text) for one person."""
    out: list[tuple[str, str]] = []
    gh, fh = g["hanzi"], f["hanzi"]
    out.append(("hanzi", f"{gh}·{fh}"))
    out.append(("pinyin", pinyin(f"{gh}·{fh}", upper=rng.random() < 0.5)))
    if eth == "ug":
        G, F = g["native"], f["native"]
        out.append(("ug_arab", f"{uly_to_arabic(G)} {uly_to_arabic(F)}"))
        out.append(("uly", f"{G} {F}"))
        out.append(("latn_informal", f"{uly_informal(G)} {uly_informal(F)}"))
        out.append(("latn_turkish", f"{uly_turkish(G)} {uly_turkish(F)}"))
        cg, cf = uly_to_cyr(G), uly_to_cyr(F)
        if rng.random() < 0.5:
            out.append(("ug_cyrl", f"{cg} {cf}"))
        else:
            out.append(("ru_cyrl", f"{ru_surname(cf, female)} {cg}"))
        return out
    G, F = g["native"], f["native"]
    rg, rf = russian_base(G, rng), russian_base(F, rng)
    son = {"kk": ("ұлы", "қызы"), "ky": (" уулу", " кызы"), "tt": (" улы", " кызы")}[eth]
    suf = son[1] if female else son[0]
    out.append((f"{eth}_cyrl", f"{G} {F}{suf}"))
    style = rng.choice(["sg", "gps", "sgp"])
    if style == "sg":
        out.append(("ru_cyrl", f"{ru_surname(rf, female)} {rg}"))
    elif style == "gps":
        out.append(("ru_cyrl", f"{rg} {ru_patronymic(rf, female)} {ru_surname(rf, female)}"))
    else:
        out.append(("ru_cyrl", f"{ru_surname(rf, female)} {rg} {ru_patronymic(rf, female)}"))
    pg, pf = conv(G, PASSPORT), conv(F, PASSPORT)
    if eth == "kk":
        lat_suf = "qyzy" if female else "ūly"
        out.append(("kk_latn2021", f"{conv(G, KK_2021)} {conv(F, KK_2021)}{lat_suf}"))
        if rng.random() < 0.5:
            suf18 = "qyzy" if female else "uly"
            out.append(("kk_latn2018", f"{conv(G, KK_2018)} {conv(F, KK_2018)}{suf18}"))
        out.append(("latn_passport", (f"{pg} {latin_surname(pf, female)}").upper()))
        tsuf = "kızı" if female else "oğlu"
        out.append(("latn_turkish", f"{conv(G, TURKISH)} {conv(F, TURKISH)}{tsuf}"))
    elif eth == "ky":
        out.append(("latn_passport", f"{pg} {pf} {'kyzy' if female else 'uulu'}"))
        out.append(("latn_informal", f"{pg} {latin_surname(pf, female)}"))
    else:
        out.append(("tt_latn", f"{conv(G, TATAR_LATIN)} {conv(F, TATAR_LATIN)} {'qızı' if female else 'ulı'}"))
        out.append(("latn_informal", f"{conv(rg, PASSPORT)} {latin_surname(conv(rf, PASSPORT), female)}"))
    return out


def typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) < 4:
        return text
    k = rng.randrange(1, len(w) - 1)
    op = rng.choice(["del", "dup", "swap", "sub"])
    if op == "del":
        w = w[:k] + w[k + 1:]
    elif op == "dup":
        w = w[:k] + w[k] + w[k:]
    elif op == "swap":
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    else:
        pool = "аеиоуыіәөүұ" if "\u0400" <= w[k] <= "\u04ff" else "aeiouy"
        w = w[:k] + rng.choice(pool) + w[k + 1:]
    words[i] = w
    return " ".join(words)


def swapped(eth: str, label: str, text: str) -> str | None:
    """Reversed order, for forms where the suffix keeps it readable."""
    words = text.split(" ")
    if eth == "kk" and label in ("kk_cyrl", "kk_latn2021", "latn_turkish") and len(words) == 2:
        return f"{words[1]} {words[0]}"
    return None


def people(rows: list[dict], split: str, rng: random.Random) -> list[dict]:
    out: list[dict] = []
    counts = {"kk": 70, "ug": 70, "ky": 30, "tt": 22}
    for eth, n in counts.items():
        pool = [r for r in rows if r["eth"] == eth and r["split"] == split]
        men = [r for r in pool if r["gender"] == "m"]
        used: set[tuple[str, str]] = set()

        def add(g: dict, f: dict, why: str, eth: str = eth, used: set = used) -> None:
            key = (g["native"], f["native"])
            if key in used or g["native"] == f["native"]:
                return
            used.add(key)
            out.append({"eth": eth, "g": g, "f": f, "female": g["gender"] == "f", "why": why})

        start = len(out)
        while len(out) - start < n:
            r = rng.random()
            if r < 0.25:
                # siblings: one father, two or three children
                f = rng.choice(men)
                for g in rng.sample(pool, min(3, len(pool))):
                    add(g, f, "sibling")
            elif r < 0.4:
                # father/son with the names swapped: Bolat Maratuly / Marat Bolatuly
                a, b = rng.sample(men, 2)
                add(a, b, "swap")
                add(b, a, "swap")
            elif r < 0.55:
                # father and child: the child's father's name is the father's given name
                a, b, c = rng.sample(men, 3)
                add(b, c, "father")
                add(rng.choice(pool), b, "child")
            else:
                add(rng.choice(pool), rng.choice(men), "plain")
    return out


def main() -> None:
    rng = random.Random(20240601)
    rows = load_lexicon()
    out_rows = []
    pid = 0
    for split in ("dev", "test"):
        for p in people(rows, split, rng):
            pid += 1
            fs = forms(p["eth"], p["g"], p["f"], p["female"], rng)
            extra = []
            # noise: typos, missing father's name, swapped order, letter case
            for label, text in fs:
                if label in ("hanzi", "ug_arab"):
                    continue
                if rng.random() < 0.12:
                    extra.append((label + "+typo", typo(text, rng)))
                sw = swapped(p["eth"], label, text)
                if sw and rng.random() < 0.3:
                    extra.append((label + "+swap", sw))
            if rng.random() < 0.35:
                label, text = rng.choice(fs)
                given = text.split("·")[0].split(" ")[0] if label != "ru_cyrl" else text.split(" ")[1]
                extra.append((label + "+nofather", given))
            for label, text in fs + extra:
                out_rows.append({
                    "split": split, "person": pid, "eth": p["eth"], "why": p["why"],
                    "form": label, "name": text,
                })
    with open(HERE / "variants.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["split", "person", "eth", "why", "form", "name"])
        w.writeheader()
        w.writerows(out_rows)
    print(f"{pid} persons, {len(out_rows)} names -> variants.csv")


if __name__ == "__main__":
    main()
