"""The pair scorer: a Fellegi–Sunter-style sum of log-odds weights, each with its reason.

Every comparison adds a weight in bits (log2 of how much likelier the observation is for one
person recorded twice than for two different persons); the sum is the pair's score, and the
list of (field, weight, detail) is the evidence the review page shows for and against. The
weights were set by hand on the labelled data of bench/linkage_bench.py and are written here
rather than trained by EM so that a reviewer can read why a pair was proposed.

`score_pair` builds that evidence; `quick_score` is the same arithmetic on plain integers, with
no text, for the millions of pairs that dedup looks at and drops (tests/linkage/test_scoring.py
checks that both agree).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Near the best F1 of bench/linkage_bench.py at 20k, 300k and 1M persons (docs/linkage.md): precision
# 0.72 at 1M for a review queue; 8 gives a little more F1 at 1M with half the precision.
DEFAULT_THRESHOLD = 9.0
# Below this name similarity a pair is never a candidate, whatever else agrees.
NAME_MIN = 0.78
# A relative's name this common (per 10,000 persons) is no evidence that two families are one.
COMMON_PER_10K = 4.0

NAME_LEVELS = ((0.97, 7.0, "names agree"), (0.90, 5.5, "names agree across scripts or spellings"),
               (0.85, 4.0, "names close"), (0.80, 2.5, "names similar"), (0.0, 0.0, "names only partly alike"))

# Birth years: both one exact year and equal; the same range; ranges that overlap; gaps of 1, 2–3, 4–6, more.
W_BIRTH_EXACT, W_BIRTH_OVERLAP, W_BIRTH_INSIDE, W_BIRTH_1 = 4.0, 2.0, 1.0, 2.0
W_BIRTH_3, W_BIRTH_6, W_BIRTH_FAR = -1.5, -4.0, -8.0
W_GENDER_SAME, W_GENDER_DIFF = 0.5, -8.0
W_HOME_SAME, W_HOME_PREF, W_HOME_DIFF = 3.0, 1.0, -2.0
# The same event (type, dates, facility) on both records: W_EVENT_SAME less log2(holders / 2),
# holders being how many persons' records hold that exact event (the term-frequency adjustment
# again: detained in one camp on one day is rare; in one camp "in 2018", common).
W_EVENT_SAME = 8.0
# First detentions that overlap, in the same facility (both dated within a month; or looser), in
# different facilities; first detentions that do not overlap at all.
W_DET_FACILITY, W_DET_FACILITY_LOOSE, W_DET_OTHER_FACILITY, W_DET_OTHER_DATES = 2.5, 0.5, -2.0, -3.0
TIGHT_DAYS = 31
W_DET_YEAR_SAME, W_DET_YEAR_1, W_DET_YEAR_FAR = 1.5, 0.5, -1.0  # only when no event dates are known
W_SAME_TESTIMONY, W_SAME_WITNESS, W_RELATIVES = -4.0, 2.0, 1.5

# The most that the facts fetched in a second pass (witnesses, relatives) can add: pairs that
# cannot reach the threshold even with them are dropped before those facts are read.
MAX_LATE_BONUS = W_SAME_WITNESS + W_RELATIVES


@dataclass
class Facts:
    """What the scorer knows of one person (None: not recorded).

    `detention`: the first detention or arrest, (start, end, facility), dates as date.toordinal()
    (or any increasing day number); `events`: {event identity: its weight when shared, from
    event_weight}."""

    gender: str = ""
    birth: tuple[int, int] | None = None
    place: int | None = None
    prefecture: int | None = None
    detention_year: int | None = None
    facilities: frozenset[int] = frozenset()
    testimonies: frozenset[int] = frozenset()
    witnesses: frozenset[int] = frozenset()
    relatives: tuple[str, ...] = ()  # names of persons named in the same testimonies
    detention: tuple[int, int, int] | None = None
    events: dict = field(default_factory=dict)


@dataclass
class Score:
    total: float = 0.0
    evidence: list[dict] = field(default_factory=list)

    def add(self, field_: str, weight: float, detail: str) -> None:
        self.total += weight
        self.evidence.append({"field": field_, "weight": weight, "detail": detail})


def name_weight(sim: float) -> tuple[float, str]:
    for level, weight, detail in NAME_LEVELS:
        if sim >= level:
            return weight, detail
    return 0.0, ""


def _birth_w(alo: int, ahi: int, blo: int, bhi: int) -> float:
    gap = max(0, max(alo, blo) - min(ahi, bhi))
    if gap == 0:
        if alo == ahi == blo == bhi:
            return W_BIRTH_EXACT
        return W_BIRTH_OVERLAP if (alo, ahi) == (blo, bhi) else W_BIRTH_INSIDE
    if gap == 1:
        return W_BIRTH_1
    if gap <= 3:
        return W_BIRTH_3
    if gap <= 6:
        return W_BIRTH_6
    return W_BIRTH_FAR


def birth_weight(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[float, str] | None:
    if a is None or b is None:
        return None
    w = _birth_w(a[0], a[1], b[0], b[1])
    gap = max(0, max(a[0], b[0]) - min(a[1], b[1]))
    if gap == 0:
        return w, f"birth years agree ({_years(a)} / {_years(b)})"
    if gap == 1:
        return w, f"birth years one apart ({_years(a)} / {_years(b)})"
    return w, f"birth years {gap} apart ({_years(a)} / {_years(b)})"


def _years(r: tuple[int, int]) -> str:
    return str(r[0]) if r[0] == r[1] else f"{r[0]}–{r[1]}"


def common_name_weight(holders: int) -> float:
    """Agreeing on a common name says less (Fellegi–Sunter's term-frequency adjustment).

    `holders`: how many name records carry the (commoner) name form. Among c holders of one
    name, a given pair is the same person about 1/c as often as a pair of rare-name holders, so
    the name's weight falls by log2(c). The count, not the share: in a registry ten times the
    size, the same share means ten times the namesakes for each true duplicate."""
    if holders <= 2:
        return 0.0
    return -min(9.0, round(math.log2(holders / 2), 1))


def event_weight(holders: int) -> float:
    """What one identical event on both records is worth, when `holders` persons have it."""
    return max(0.0, round(W_EVENT_SAME - math.log2(max(holders, 2) / 2), 1))


def _same_event_weight(a: dict, b: dict) -> float:
    best = 0.0
    if a and b:
        for ev, w in a.items():
            if w > best and ev in b:
                best = w
    return best


def quick_score(name_sim: float, name_count: int, ga: int, gb: int, alo: int, ahi: int, blo: int, bhi: int,
                place_a: int, place_b: int, pref_a: int, pref_b: int, same_place_name: bool, same_event: float,
                det_a: tuple[int, int, int] | None, det_b: tuple[int, int, int] | None, year_a: int,
                year_b: int) -> float:
    """score_pair's total without the second-pass facts, on integers (0: not recorded)."""
    total = name_weight(name_sim)[0] + common_name_weight(name_count)
    if alo and blo:
        total += _birth_w(alo, ahi, blo, bhi)
    if ga and gb:
        total += W_GENDER_SAME if ga == gb else W_GENDER_DIFF
    if place_a and place_b:
        if place_a == place_b or same_place_name:
            total += W_HOME_SAME
        elif pref_a and pref_a == pref_b:
            total += W_HOME_PREF
        else:
            total += W_HOME_DIFF
    total += _event_w(same_event, det_a, det_b, year_a, year_b)[0]
    return total


def _event_w(same_event: float, det_a, det_b, year_a: int | None, year_b: int | None) -> tuple[float, str]:
    """The weight of the events (one line of evidence) and why."""
    if same_event > 0:
        return same_event, "the same event (what, when, where) on both records"
    if det_a and det_b:
        if det_a[0] > det_b[1] or det_b[0] > det_a[1]:
            return W_DET_OTHER_DATES, "first detained at different dates"
        if det_a[2] and det_b[2]:
            if det_a[2] == det_b[2]:
                if det_a[1] - det_a[0] <= TIGHT_DAYS and det_b[1] - det_b[0] <= TIGHT_DAYS:
                    return W_DET_FACILITY, "first detained in the same month in the same facility"
                return W_DET_FACILITY_LOOSE, "first detained about the same time in the same facility"
            return W_DET_OTHER_FACILITY, "first detained at the same time in different facilities"
        return 0.0, ""
    if year_a and year_b:
        gap = abs(year_a - year_b)
        if gap == 0:
            return W_DET_YEAR_SAME, f"first detained the same year ({year_a})"
        if gap == 1:
            return W_DET_YEAR_1, f"first detained a year apart ({year_a} / {year_b})"
        return W_DET_YEAR_FAR, f"first detained {gap} years apart"
    return 0.0, ""


def score_pair(name_sim: float, a: Facts, b: Facts, places_same_name: bool = False,
               relatives_match: bool = False, name_count: int = 0) -> Score:
    """Score two persons whose names have similarity `name_sim`; `name_count`: how many name rows
    hold the commoner of the two name forms."""
    s = Score()
    w, detail = name_weight(name_sim)
    s.add("name", w, f"{detail} ({name_sim:.2f})")
    tf = common_name_weight(name_count)
    if tf:
        s.add("name", tf, f"a common name (held by {name_count:,} records)")
    bw = birth_weight(a.birth, b.birth)
    if bw is None:
        s.add("birth", 0.0, "birth year not recorded on one side")
    else:
        s.add("birth", *bw)
    if a.gender and b.gender:
        if a.gender == b.gender:
            s.add("gender", W_GENDER_SAME, "same gender")
        else:
            s.add("gender", W_GENDER_DIFF, "different gender")
    if a.place and b.place:
        if a.place == b.place:
            s.add("home", W_HOME_SAME, "same home place")
        elif places_same_name:
            s.add("home", W_HOME_SAME, "home places have the same name across scripts")
        elif a.prefecture and a.prefecture == b.prefecture:
            s.add("home", W_HOME_PREF, "home places in the same prefecture")
        else:
            s.add("home", W_HOME_DIFF, "home places in different prefectures")
    det_a = a.detention
    det_b = b.detention
    if det_a is None and det_b is None and a.facilities and b.facilities:  # callers that know only facilities
        if a.facilities & b.facilities:
            s.add("events", W_DET_FACILITY, "held in the same facility")
        else:
            s.add("events", W_DET_OTHER_FACILITY, "held in different facilities")
    w, detail = _event_w(_same_event_weight(a.events, b.events), det_a, det_b, a.detention_year,
                         b.detention_year)
    if detail:
        s.add("events", w, detail)
    if a.testimonies & b.testimonies:
        s.add("relatives", W_SAME_TESTIMONY, "named side by side in the same testimony (two persons)")
    elif a.witnesses & b.witnesses:
        s.add("relatives", W_SAME_WITNESS, "reported by the same witness")
    if relatives_match:
        s.add("relatives", W_RELATIVES, "relatives named with them have matching names")
    return s
