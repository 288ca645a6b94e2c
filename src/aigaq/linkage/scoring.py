"""The pair scorer: a Fellegi–Sunter-style sum of log-odds weights, each with its reason.

Every comparison adds a weight in bits (log2 of how much likelier the observation is for one
person recorded twice than for two different persons); the sum is the pair's score, and the
list of (field, weight, detail) is the evidence the review page shows for and against. The
weights were set by hand on the labelled data of bench/linkage_bench.py and are written here
rather than trained by EM so that a reviewer can read why a pair was proposed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 12.0  # best F1 on bench/linkage_bench.py (20k seeded + 500 injected)
# Below this name similarity a pair is never a candidate, whatever else agrees.
NAME_MIN = 0.78
# A relative's name this common (per 10,000 persons) is no evidence that two families are one.
COMMON_PER_10K = 4.0

NAME_LEVELS = ((0.97, 7.0, "names agree"), (0.90, 5.5, "names agree across scripts or spellings"),
               (0.85, 4.0, "names close"), (0.80, 2.5, "names similar"), (0.0, 0.0, "names only partly alike"))


@dataclass
class Facts:
    """What the scorer knows of one person (None: not recorded)."""

    gender: str = ""
    birth: tuple[int, int] | None = None
    place: int | None = None
    prefecture: int | None = None
    detention_year: int | None = None
    facilities: frozenset[int] = frozenset()
    testimonies: frozenset[int] = frozenset()
    witnesses: frozenset[int] = frozenset()
    relatives: tuple[str, ...] = ()  # names of persons named in the same testimonies


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


def birth_weight(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[float, str] | None:
    if a is None or b is None:
        return None
    gap = max(0, max(a[0], b[0]) - min(a[1], b[1]))
    if gap == 0:
        exact = a[0] == a[1] == b[0] == b[1]
        return (4.0 if exact else 2.5), f"birth years agree ({_years(a)} / {_years(b)})"
    if gap == 1:
        return 2.0, f"birth years one apart ({_years(a)} / {_years(b)})"
    if gap <= 3:
        return -1.5, f"birth years {gap} apart ({_years(a)} / {_years(b)})"
    if gap <= 6:
        return -4.0, f"birth years {gap} apart ({_years(a)} / {_years(b)})"
    return -8.0, f"birth years {gap} apart ({_years(a)} / {_years(b)})"


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
            s.add("gender", 0.5, "same gender")
        else:
            s.add("gender", -8.0, "different gender")
    if a.place and b.place:
        if a.place == b.place:
            s.add("home", 3.0, "same home place")
        elif places_same_name:
            s.add("home", 3.0, "home places have the same name across scripts")
        elif a.prefecture and a.prefecture == b.prefecture:
            s.add("home", 1.0, "home places in the same prefecture")
        else:
            s.add("home", -2.0, "home places in different prefectures")
    if a.detention_year and b.detention_year:
        gap = abs(a.detention_year - b.detention_year)
        if gap == 0:
            s.add("events", 1.5, f"first detained the same year ({a.detention_year})")
        elif gap == 1:
            s.add("events", 0.5, f"first detained a year apart ({a.detention_year} / {b.detention_year})")
        else:
            s.add("events", -1.0, f"first detained {gap} years apart")
    if a.facilities and b.facilities:
        if a.facilities & b.facilities:
            s.add("events", 2.5, "held in the same facility")
        else:
            s.add("events", -0.5, "held in different facilities")
    if a.testimonies & b.testimonies:
        s.add("relatives", -4.0, "named side by side in the same testimony (two persons)")
    elif a.witnesses & b.witnesses:
        s.add("relatives", 2.0, "reported by the same witness")
    if relatives_match:
        s.add("relatives", 2.5, "relatives named with them have matching names")
    return s


# The most that the facts fetched in a second pass (facilities, testimonies) can add: pairs that
# cannot reach the threshold even with them are dropped before those facts are read.
MAX_LATE_BONUS = 2.5 + 2.0 + 2.5
