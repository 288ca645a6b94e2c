"""Families of synthetic persons, as plain records: no Django here, so it can be tested and timed alone.

A family is a few siblings who share their father's given name (and so the patronymic part of
every name form), sometimes with the father himself, one or two relatives who testified about
them, and what happened to each of them. One random.Random drives everything, so a seed and a
start offset give the same families on every machine.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from aigaq.registry.demo import pools as P

ETHNICITY_WEIGHTS = {"kazakh": 55, "uyghur": 30, "kyrgyz": 7, "tatar": 3, "hui": 3, "uzbek": 2}


@dataclass(slots=True)
class NameRec:
    text: str
    script: str  # Cyrl | Latn | Hans | Arab
    kind: str  # full | chinese


@dataclass(slots=True)
class EventRec:
    type: str
    date_start: date | None
    date_end: date | None
    precision: str
    facility: int | None = None  # index into the facility list
    sentence_months: int | None = None
    charge: str = ""
    description: str = ""
    pk: None = None  # registry.status.derive sorts by pk as a tie-breaker


@dataclass(slots=True)
class PersonRec:
    names: list[NameRec]
    gender: str
    ethnicity: str
    birth_min: int
    birth_max: int
    home: int  # index into the county list
    occupation: str
    citizenship: str
    publication: str
    grade: str
    events: list[EventRec] = field(default_factory=list)
    uid: int = 0

    @property
    def display_name(self) -> str:
        for script in ("Cyrl", "Latn", "Arab", "Hans"):
            for n in self.names:
                if n.script == script:
                    return n.text
        return self.names[0].text


@dataclass(slots=True)
class WitnessRec:
    full_name: str
    gender: str
    contact: str
    address: str
    publication: str
    uid: int = 0


@dataclass(slots=True)
class TestimonyRec:
    witness: int  # index into family.witnesses
    recorded_on: date
    language: str
    place_code: str
    title: str
    summary: str
    publication: str
    links: list[tuple[int, str]]  # (index into family.persons, relationship of witness to them)
    uid: int = 0


@dataclass(slots=True)
class FamilyRec:
    ethnicity: str
    father_given: str
    persons: list[PersonRec]
    witnesses: list[WitnessRec]
    testimonies: list[TestimonyRec]


@dataclass(frozen=True)
class World:
    """What the generator may point at: counties (code, prefecture code, English name) and facilities."""

    counties: list[tuple[str, str, str]]
    facilities: list[tuple[str, str]]  # (prefecture code, kind)

    def counties_in(self, prefecture: str) -> list[int]:
        return [i for i, c in enumerate(self.counties) if c[1] == prefecture]


def _weighted(rng: Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


# --- names ---------------------------------------------------------------------------------------

def _kazakh_names(rng: Random, given: tuple[str, str], father: tuple[str, str], female: bool) -> list[NameRec]:
    cyr = f"{given[0]} {father[0]}{'қызы' if female else 'ұлы'}"
    names = [NameRec(cyr, "Cyrl", "full")]
    if rng.random() < 0.3:  # Soviet-style documents from Kazakhstan: Сериков Нурлан Серикович
        g, f = P.kk_russian(given[0]), P.kk_russian(father[0])
        names.append(NameRec(
            f"{P.russian_surname(f, female)} {g} {P.russian_patronymic(f, female)}", "Cyrl", "full"))
    r = rng.random()
    if r < 0.45:
        names.append(NameRec(P.kk_informal(cyr), "Latn", "full"))
    elif r < 0.7:
        names.append(NameRec(P.kk_official(cyr), "Latn", "full"))
    elif r < 0.8 and len(names) == 1:
        names.append(NameRec(P.kk_informal(cyr), "Latn", "full"))
        names.append(NameRec(P.kk_official(cyr), "Latn", "full"))
    if rng.random() < 0.4:
        names.append(NameRec(f"{given[1]}·{father[1]}", "Hans", "chinese"))
    if len(names) < 2:  # every victim is known by at least two forms
        names.append(NameRec(P.kk_informal(cyr), "Latn", "full"))
    return names


def _uyghur_names(rng: Random, given: tuple[str, str], father: tuple[str, str]) -> list[NameRec]:
    latin = f"{given[0]} {father[0]}"
    names = []
    r = rng.random()
    if r < 0.8:
        names.append(NameRec(P.uly_arabic(latin), "Arab", "full"))
    if r >= 0.5 or not names:
        names.append(NameRec(latin, "Latn", "full"))
    if rng.random() < 0.25:
        names.append(NameRec(P.uly_cyrillic(latin), "Cyrl", "full"))
    if rng.random() < 0.5:
        names.append(NameRec(f"{given[1]}·{father[1]}", "Hans", "chinese"))
    if len(names) < 2:  # every victim is known by at least two forms
        scripts = {x.script for x in names}
        names.append(NameRec(latin, "Latn", "full") if "Latn" not in scripts
                     else NameRec(P.uly_arabic(latin), "Arab", "full"))
    return names


def _kyrgyz_names(rng: Random, given: str, father: str, female: bool) -> list[NameRec]:
    cyr = f"{given} {father} {'кызы' if female else 'уулу'}"
    names = [NameRec(cyr, "Cyrl", "full"), NameRec(P.kk_informal(cyr), "Latn", "full")]
    if rng.random() < 0.2:
        g, f = P.kk_russian(given), P.kk_russian(father)
        names.append(NameRec(
            f"{P.russian_surname(f, female)} {g} {P.russian_patronymic(f, female)}", "Cyrl", "full"))
    return names


def _tatar_names(rng: Random, given: str, father: str, surname: str, female: bool) -> list[NameRec]:
    sur = surname + ("а" if female and surname[-1] in "вн" else "")
    cyr = f"{given} {P.russian_patronymic(father, female)} {sur}"
    names = [NameRec(cyr, "Cyrl", "full")]
    if rng.random() < 0.6:
        names.append(NameRec(P.kk_informal(f"{given} {sur}"), "Latn", "full"))
    return names


def _hui_names(rng: Random, surname: tuple[str, str], given: tuple[str, str]) -> list[NameRec]:
    names = [NameRec(surname[0] + given[0], "Hans", "full"), NameRec(f"{surname[1]} {given[1]}", "Latn", "full")]
    if rng.random() < 0.4:
        names.append(NameRec(_pinyin_to_cyrillic(f"{surname[1]} {given[1]}"), "Cyrl", "full"))
    return names


def _pinyin_to_cyrillic(text: str) -> str:
    # Palladius-like, enough for the handful of Hui names in the pool.
    table = [("zh", "чж"), ("ch", "ч"), ("sh", "ш"), ("x", "с"), ("q", "ц"), ("j", "цз"), ("ang", "ан"),
             ("eng", "эн"), ("ing", "ин"), ("ong", "ун"), ("ua", "уа"), ("ue", "юэ"), ("ia", "я"),
             ("ui", "уй"), ("iu", "ю"), ("ao", "ао"), ("ai", "ай"), ("ei", "эй"), ("y", "и"),
             ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "э"), ("f", "ф"), ("g", "г"),
             ("h", "х"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
             ("p", "п"), ("r", "ж"), ("s", "с"), ("t", "т"), ("u", "у"), ("w", "в"), ("z", "цз")]
    words = []
    for word in text.lower().split():
        out, i = [], 0
        while i < len(word):
            for lat, cyr in table:
                if word.startswith(lat, i):
                    out.append(cyr)
                    i += len(lat)
                    break
            else:
                out.append(word[i])
                i += 1
        w = "".join(out)
        words.append(w[:1].upper() + w[1:])
    return " ".join(words)


def _uzbek_names(rng: Random, given: tuple[str, str, str], father: tuple[str, str, str], female: bool) -> list[NameRec]:
    lat_sur = father[0] + ("ova" if female else "ov")
    cyr_sur = father[1] + ("ова" if female else "ов")
    names = [NameRec(f"{given[0]} {lat_sur}", "Latn", "full"), NameRec(f"{given[1]} {cyr_sur}", "Cyrl", "full")]
    if rng.random() < 0.4:
        names.append(NameRec(f"{given[2]}·{father[2]}", "Hans", "chinese"))
    return names


# --- dates and events ------------------------------------------------------------------------------

def _day(rng: Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _fuzz(rng: Random, d: date, not_before: date | None) -> tuple[date, date, str]:
    """Witnesses often know only the month or the year; keep the order of a person's events intact."""
    r = rng.random()
    if r < 0.25:
        start, end, precision = date(d.year, 1, 1), date(d.year, 12, 31), "year"
    elif r < 0.6:
        start = date(d.year, d.month, 1)
        end, precision = date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]), "month"
    else:
        return d, d, "day"
    if not_before is not None and start <= not_before:
        return d, d, "day"
    return start, end, precision


def _events(rng: Random, world: World, prefecture: str, birth: int) -> list[EventRec]:
    if rng.random() < 0.06:
        return []  # mentioned only: nobody knows what happened yet
    local = [i for i, f in enumerate(world.facilities) if f[0] == prefecture] or list(range(len(world.facilities)))
    camps = [i for i in local if world.facilities[i][1] in ("camp", "detention")] or local
    prisons = [i for i, f in enumerate(world.facilities) if f[1] == "prison"] or local
    events: list[EventRec] = []
    last: date | None = None

    def add(type_: str, d: date, **kw) -> None:
        nonlocal last
        s, e, p = _fuzz(rng, d, last)
        events.append(EventRec(type_, s, e, p, **kw))
        last = s

    when = _day(rng, date(2017, 4, 1), date(2019, 6, 30))
    add("arrested" if rng.random() < 0.2 else "detained", when, facility=rng.choice(camps))
    if rng.random() < 0.3:
        when = when + timedelta(days=rng.randint(60, 420))
        add("transferred", when, facility=rng.choice(local))
    r = rng.random()
    if r < 0.35:
        when = max(when + timedelta(days=rng.randint(30, 500)), date(2018, 1, 15))
        when = min(when, date(2020, 12, 20))
        years = rng.choice([5, 6, 7, 8, 9, 10, 10, 12, 13, 15, 16, 17, 20, 25])
        add("sentenced", when, facility=rng.choice(prisons), sentence_months=years * 12,
            charge=rng.choice(P.CHARGES))
        if rng.random() < 0.05:
            add("died", _day(rng, when + timedelta(days=90), date(2023, 6, 30)))
    elif r < 0.75:
        when = max(when + timedelta(days=rng.randint(90, 700)), date(2019, 1, 10))
        when = min(when, date(2020, 12, 20))
        add("released", when)
        r2 = rng.random()
        if r2 < 0.55:
            add("documents_confiscated", when + timedelta(days=rng.randint(0, 60)))
        elif r2 < 0.65:
            add("forced_labour", when + timedelta(days=rng.randint(10, 120)), facility=rng.choice(local))
        elif r2 < 0.72:
            add("house_arrest", when + timedelta(days=rng.randint(0, 30)))
    elif r < 0.85:
        add("disappeared", _day(rng, when + timedelta(days=30), date(2021, 12, 31)))
    elif r < 0.88 or (birth < 1955 and r < 0.9):
        add("died", _day(rng, when + timedelta(days=20), date(2022, 12, 31)))
    # else: still held, as far as anyone knows
    return events


# --- families ------------------------------------------------------------------------------------

class Generator:
    def __init__(self, world: World, seed: int, offset: int = 0):
        if not world.counties or not world.facilities:
            raise ValueError("the demo world needs counties and facilities")
        self.world = world
        # The offset (persons already in the instance) makes appended persons new ones.
        self.rng = Random(f"aigaq-demo:{seed}:{offset}")
        self._homes = {
            eth: {i: w / max(1, len(world.counties_in(pref)))
                  for pref, w in weights.items() for i in world.counties_in(pref)}
            for eth, weights in P.HOME_WEIGHTS.items()
        }

    def persons(self, n: int) -> Iterator[FamilyRec]:
        """Families until exactly n persons have been produced (the last family may be cut short)."""
        made = 0
        while made < n:
            fam = self.family(max_size=n - made)
            made += len(fam.persons)
            yield fam

    def _uid(self) -> int:
        return self.rng.getrandbits(128)

    def family(self, max_size: int = 4) -> FamilyRec:
        rng = self.rng
        eth = _weighted(rng, ETHNICITY_WEIGHTS)
        size = min(max_size, rng.choices([1, 2, 3, 4], weights=[30, 35, 22, 13])[0])
        with_father = size >= 2 and rng.random() < 0.2
        homes = self._homes[eth]
        home = rng.choices(list(homes), weights=list(homes.values()))[0]
        prefecture = self.world.counties[home][1]
        eldest = rng.randint(1950, 1998)
        persons: list[PersonRec] = []
        namer = self._namer(eth)
        father_given = namer.father[0] if isinstance(namer.father, tuple) else namer.father
        for k in range(size):
            if with_father and k == 0:
                female, birth = False, eldest - rng.randint(22, 35)
                names = namer.names(rng, female, as_father=True)
            else:
                female = rng.random() < 0.35
                birth = min(2002, eldest + rng.randint(0, 14)) if k else eldest
                names = namer.names(rng, female)
            persons.append(self._person(names, female, eth, max(1935, birth), home, prefecture))
        witnesses, testimonies = self._testimonies(persons, eth, namer, with_father)
        return FamilyRec(eth, father_given, persons, witnesses, testimonies)

    def _person(self, names, female, eth, birth, home, prefecture) -> PersonRec:
        rng = self.rng
        if rng.random() < 0.6:
            lo = hi = birth
        else:  # "in his 40s": only the decade is known
            lo = birth - birth % 10
            hi = min(lo + 9, 2002)
        p = PersonRec(
            names=names, gender="f" if female else "m", ethnicity=eth, birth_min=lo, birth_max=hi,
            home=home, occupation=rng.choice(P.OCCUPATIONS) if rng.random() < 0.7 else "",
            citizenship="Kazakhstan" if eth == "kazakh" and rng.random() < 0.08 else "China",
            publication=_weighted(rng, {"public": 45, "anonymised": 25, "internal": 30}),
            grade="1_mentioned", uid=self._uid(),
        )
        p.events = _events(rng, self.world, prefecture, birth)
        return p

    def _namer(self, eth: str) -> _Namer:
        return _Namer(self.rng, eth)

    def _testimonies(self, persons, eth, namer, with_father):
        rng = self.rng
        witnesses: list[WitnessRec] = []
        testimonies: list[TestimonyRec] = []
        if rng.random() < 0.15:
            return witnesses, testimonies  # known only from a list or a report
        siblings = list(range(1 if with_father else 0, len(persons)))
        count = 2 if rng.random() < 0.1 else 1
        for _ in range(count):
            role = rng.choice(["sibling", "spouse", "child"])
            female = rng.random() < 0.6
            target = rng.choice(siblings)
            if role == "sibling":
                wname = namer.witness_name(rng, female, sibling=True)
                rel = {i: "sibling" for i in siblings}
                if with_father:
                    rel[0] = "child"
            elif role == "spouse":
                wname = namer.witness_name(rng, persons[target].gender == "m")
                rel = {target: "spouse"} | {i: "in_law" for i in siblings if i != target}
            else:
                parent = persons[target]
                dad = parent.names[0].text.split()[0] if parent.gender == "m" else None
                wname = namer.witness_name(rng, female, father=dad)
                rel = {target: "child"}
                rel |= {i: "nephew_niece" for i in siblings if i != target}
                if with_father:
                    rel[0] = "grandchild"
            linked = sorted(rel)[:3] if len(rel) <= 3 else sorted(rng.sample(sorted(rel), 3))
            if target not in linked:
                linked[-1] = target
                linked.sort()
            w = WitnessRec(
                full_name=wname, gender="f" if female else "m",
                contact=f"+7 {rng.choice(P.KZ_MOBILE_PREFIXES)} {rng.randint(100, 999)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                address=f"Алматы, {rng.choice(P.ALMATY_DISTRICTS)}" if rng.random() < 0.5 else "",
                publication=_weighted(rng, {"public": 40, "anonymised": 35, "internal": 25}),
                uid=self._uid(),
            )
            witnesses.append(w)
            first = min((e.date_start for i in linked for e in persons[i].events if e.date_start),
                        default=date(2018, 1, 1))
            recorded = _day(rng, max(first + timedelta(days=20), date(2018, 1, 1)), date(2023, 11, 30))
            language = _language(rng, eth)
            place = "KG-C" if eth == "kyrgyz" and rng.random() < 0.6 else _weighted(rng, P.RECORDED_AT)
            about = [persons[i] for i in linked]
            testimonies.append(TestimonyRec(
                witness=len(witnesses) - 1, recorded_on=recorded, language=language, place_code=place,
                title=f"{wname} about {', '.join(p.display_name for p in about)}",
                summary=_summary(wname, rel, linked, persons, self.world),
                publication=w.publication if w.publication != "public" else
                _weighted(rng, {"public": 80, "anonymised": 20}),
                links=[(i, rel[i]) for i in linked], uid=self._uid(),
            ))
            for i in linked:
                p = persons[i]
                grade = "3_with_id" if rng.random() < 0.4 else "2_relative"
                if any(e.type == "sentenced" for e in p.events) and rng.random() < 0.1:
                    grade = "4_document"
                p.grade = max(p.grade, grade)
        return witnesses, testimonies


def _language(rng: Random, eth: str) -> str:
    table = {"kazakh": {"kk": 70, "ru": 30}, "uyghur": {"ug": 65, "ru": 25, "kk": 10},
             "kyrgyz": {"ky": 60, "ru": 40}, "tatar": {"ru": 80, "kk": 20}}
    return _weighted(rng, table.get(eth, {"ru": 60, "zh": 40}))


_RELATION_WORD = {"sibling": "sibling", "spouse": "spouse", "in_law": "in-law", "child": "child",
                  "nephew_niece": "nephew or niece", "grandchild": "grandchild", "parent": "parent"}
_EVENT_WORD = {
    "detained": "was taken to a camp", "arrested": "was arrested and held in a detention centre",
    "transferred": "was moved to another facility", "released": "was released",
    "documents_confiscated": "had their passport taken", "forced_labour": "was sent to work in a factory",
    "house_arrest": "was placed under residential surveillance", "disappeared": "has not been heard from",
    "died": "died", "sentenced": "was sentenced",
}


def _summary(witness: str, rel: dict[int, str], linked: list[int], persons: list[PersonRec], world: World) -> str:
    parts = []
    for i in linked:
        p = persons[i]
        county = world.counties[p.home][2]
        story = []
        for e in p.events:
            when = e.date_start.year if e.date_start else "an unknown date"
            word = _EVENT_WORD.get(e.type, e.type)
            if e.type == "sentenced" and e.sentence_months:
                word = f"was sentenced to {e.sentence_months // 12} years for {e.charge}"
            story.append(f"{word} in {when}")
        what = "; ".join(story) if story else "the family has had no news"
        parts.append(f"{p.display_name} (the witness is their {_RELATION_WORD[rel[i]]}; from {county}): {what}.")
    return f"{witness} speaks about {len(linked)} relative(s). " + " ".join(parts)


def _pick(rng: Random, pool: list, not_this):
    """A child is not named after their own father."""
    while True:
        choice = rng.choice(pool)
        if choice != not_this:
            return choice


class _Namer:
    """Picks a family's father and names its members and witnesses in the family's own scripts."""

    def __init__(self, rng: Random, eth: str):
        self.eth = eth
        if eth == "kazakh":
            self.father = rng.choice(P.KAZAKH_MALE)
            self.grandfather = _pick(rng, P.KAZAKH_MALE, self.father)
        elif eth == "uyghur":
            self.father = rng.choice(P.UYGHUR_MALE)
            self.grandfather = _pick(rng, P.UYGHUR_MALE, self.father)
        elif eth == "kyrgyz":
            self.father, self.grandfather = rng.choice(P.KYRGYZ_MALE), rng.choice(P.KYRGYZ_MALE)
        elif eth == "tatar":
            self.father, self.grandfather = rng.choice(P.TATAR_MALE), rng.choice(P.TATAR_MALE)
            self.surname = rng.choice(P.TATAR_SURNAMES)
        elif eth == "hui":
            self.surname = rng.choice(P.HUI_SURNAMES)
            self.father = self.surname[0] + rng.choice(P.HUI_GIVEN_MALE)[0]
            self.grandfather = self.father
        else:
            self.father, self.grandfather = rng.choice(P.UZBEK_MALE), rng.choice(P.UZBEK_MALE)

    def names(self, rng: Random, female: bool, as_father: bool = False) -> list[NameRec]:
        father = self.grandfather if as_father else self.father
        eth = self.eth
        if eth == "kazakh":
            given = self.father if as_father else _pick(rng, P.KAZAKH_FEMALE if female else P.KAZAKH_MALE, father)
            return _kazakh_names(rng, given, father, female)
        if eth == "uyghur":
            given = self.father if as_father else _pick(rng, P.UYGHUR_FEMALE if female else P.UYGHUR_MALE, father)
            return _uyghur_names(rng, given, father)
        if eth == "kyrgyz":
            given = self.father if as_father else _pick(rng, P.KYRGYZ_FEMALE if female else P.KYRGYZ_MALE, father)
            return _kyrgyz_names(rng, given, father, female)
        if eth == "tatar":
            given = self.father if as_father else _pick(rng, P.TATAR_FEMALE if female else P.TATAR_MALE, father)
            return _tatar_names(rng, given, father, self.surname, female)
        if eth == "hui":
            given = rng.choice(P.HUI_GIVEN_FEMALE if female else P.HUI_GIVEN_MALE)
            return _hui_names(rng, self.surname, given)
        given = self.father if as_father else _pick(rng, P.UZBEK_FEMALE if female else P.UZBEK_MALE, father)
        return _uzbek_names(rng, given, father, female)

    def witness_name(self, rng: Random, female: bool, sibling: bool = False, father: str | None = None) -> str:
        """Witnesses are written as the intake volunteers type them: in Cyrillic, Kazakh-style."""
        if self.eth == "kazakh":
            given = rng.choice(P.KAZAKH_FEMALE if female else P.KAZAKH_MALE)[0]
            dad = father if father else (self.father[0] if sibling else rng.choice(P.KAZAKH_MALE)[0])
            return f"{given} {dad}{'қызы' if female else 'ұлы'}"
        if self.eth == "uyghur":
            given = rng.choice(P.UYGHUR_FEMALE if female else P.UYGHUR_MALE)[0]
            dad = self.father[0] if sibling else rng.choice(P.UYGHUR_MALE)[0]
            name = f"{given} {dad}"
            return P.uly_cyrillic(name) if rng.random() < 0.7 else name
        if self.eth == "kyrgyz":
            given = rng.choice(P.KYRGYZ_FEMALE if female else P.KYRGYZ_MALE)
            dad = self.father if sibling else rng.choice(P.KYRGYZ_MALE)
            return f"{given} {dad} {'кызы' if female else 'уулу'}"
        given = rng.choice(P.KAZAKH_FEMALE if female else P.KAZAKH_MALE)[0]
        return f"{P.kk_russian(given)} {P.russian_surname(P.kk_russian(rng.choice(P.KAZAKH_MALE)[0]), female)}"
