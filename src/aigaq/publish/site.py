"""The public site's pages as data: one URL scheme and one set of page contexts for both the live
portal (Django views) and the static mirror (files written by `aigaq publish`).

Templates never build URLs themselves: ``{% purl "person" uid %}`` asks `Links`, which gives
``/person/<uid>/`` on the portal and a relative ``../person/<uid>.html`` in a mirror, so a mirror
works from any path on any static host and from a local folder (file://).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from aigaq.publish.policy import PublicPerson

# name -> (URL name in the portal, static file pattern)
PAGES: dict[str, tuple[str, str]] = {
    "home": ("portal:home", "index.html"),
    "search": ("portal:search", "search.html"),
    "persons": ("portal:persons", "persons/index.html"),
    "bucket": ("portal:bucket", "persons/{}.html"),
    "person": ("portal:person", "person/{}.html"),
    "facilities": ("portal:facilities", "facilities/index.html"),
    "facility": ("portal:facility", "facility/{}.html"),
    "statistics": ("portal:statistics", "statistics.html"),
    "map": ("portal:map", "map.html"),
    "open_data": ("portal:open-data", "open-data/index.html"),
    "data_file": ("portal:data-file", "open-data/{}"),
    "about": ("portal:about", "about.html"),
    "media": ("portal:media", "media/{}"),  # published evidence files (policy.public_media)
}


@dataclass(frozen=True)
class Links:
    """Where links point. `prefix` is None on the portal, else the way up to the mirror's root."""

    prefix: str | None = None

    @property
    def static_build(self) -> bool:
        return self.prefix is not None

    def url(self, page: str, *args: object) -> str:
        name, pattern = PAGES[page]
        if self.prefix is None:
            return reverse(name, args=[str(a) for a in args])
        return self.prefix + pattern.format(*args)

    def asset(self, path: str) -> str:
        if self.prefix is None:
            from django.templatetags.static import static

            return static(f"publish/{path}")
        return f"{self.prefix}static/publish/{path}"

    @classmethod
    def for_file(cls, relpath: str) -> Links:
        return cls("../" * relpath.count("/"))


PORTAL = Links()


def static_path(page: str, *args: object) -> str:
    return PAGES[page][1].format(*args)


# --- summaries: the small part of a person that lists, statistics and the search index need ----

_ASCII_LETTERS = re.compile(r"[^a-z]")


def fold(text: str) -> str:
    """Lower case, no accents, NFKC: what the client-side search compares."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or "").casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def romanize(text: str) -> str:
    """The names engine's romanisation, word by word: given names and patronymics repeat across
    thousands of persons, so the per-word cache makes a 100,000-person mirror affordable."""
    return " ".join(_romanize_word(w) for w in text.split())


# word -> romanisation. The static mirror seeds it from its state and keeps what it learns
# (LEARNED), so that a republish after a few changes need not even load the names engine.
ROMAN: dict[str, str] = {}
LEARNED: dict[str, str] = {}
ROMAN_MAX = 500_000


def _romanize_word(word: str) -> str:
    roman = ROMAN.get(word)
    if roman is None:
        from aigaq import names as names_engine

        try:
            roman = names_engine.romanize(word) or word
        except Exception:  # a name the engine cannot read is still listed and searchable as written
            roman = word
        if len(ROMAN) >= ROMAN_MAX:
            ROMAN.clear()
            LEARNED.clear()
        ROMAN[word] = LEARNED[word] = roman
    return roman


def bucket_of(label: str) -> str:
    """The browse page a name is listed on: its first two Latin letters once romanised."""
    roman = romanize(label)
    letters = _ASCII_LETTERS.sub("", fold(roman))
    return (letters[:2] or "0").ljust(2, "0") if letters else "0"


def summarise(pp: PublicPerson) -> dict:
    home = pp.home_place
    return {
        "uid": pp.uid,
        "name": pp.display_name,
        "level": pp.level,
        "status": pp.status,
        "ethnicity": pp.ethnicity,
        "gender": pp.gender,
        "birth": pp.birth,
        "year": pp.detention_year,
        "home": [home.code, home.name_en, home.level] if home else None,
        "facilities": list(pp.facility_uids),
        "bucket": bucket_of(pp.display_name),
    }


def search_entry(pp: PublicPerson) -> dict | None:
    """What the client-side search index holds of a person: public persons only (an anonymised
    person must not be findable by the name they are anonymised from)."""
    if pp.anonymised:
        return None
    forms: list[str] = []
    for text in [pp.display_name, *(n.text for n in pp.names)]:
        forms.append(fold(text))
        forms.append(fold(romanize(text)))
    forms = [f for f in dict.fromkeys(forms) if f]
    return {"u": pp.uid, "n": pp.display_name, "f": forms}


def shard_keys(entry: dict) -> set[str]:
    """The index shards an entry lives in: the first letter of every word of every form."""
    out = set()
    for form in entry["f"]:
        for word in re.split(r"[\W_]+", form):
            if word:
                out.add(shard_of(word))
    return out


def shard_of(word: str) -> str:
    c = word[0]
    if "a" <= c <= "z" or "0" <= c <= "9":
        return c
    return f"u{ord(c) % 64:02d}"  # other scripts: 64 shards by code point


# --- statistics ----------------------------------------------------------------------------


def statistics(summaries: Iterable[dict]) -> dict:
    """Counts over published persons only. Home places come from the redacted records, so an
    anonymised person counts under their prefecture, never their county."""
    by = defaultdict(Counter)
    home_labels: dict[str, tuple[str, str]] = {}
    total = 0
    for s in summaries:
        total += 1
        by["ethnicity"][s["ethnicity"] or ""] += 1
        by["status"][s["status"]] += 1
        by["year"][s["year"]] += 1
        by["level"][s["level"]] += 1
        if s["home"]:
            code, label, level = s["home"]
            by["home"][code] += 1
            home_labels[code] = (label, level)
        else:
            by["home"][""] += 1
        for f in s["facilities"]:
            by["facility"][f] += 1
    return {"total": total, "by": by, "home_labels": home_labels}
