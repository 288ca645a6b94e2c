"""The pair scorer: quick_score (what dedup filters millions of pairs with) agrees with score_pair
(what the review page shows), and namesakes whose facts disagree stay below the threshold."""

from __future__ import annotations

import itertools

from aigaq.linkage.scoring import (
    DEFAULT_THRESHOLD,
    Facts,
    event_weight,
    quick_score,
    score_pair,
)

DAY = 372  # dedup's day numbers: year * 372 + month * 31 + day


def _quick(sim, count, a: Facts, b: Facts, twins=False):
    ev = max((w for k, w in a.events.items() if k in b.events), default=0.0)
    return quick_score(sim, count, {"m": 1, "f": 2}.get(a.gender, 0), {"m": 1, "f": 2}.get(b.gender, 0),
                       *(a.birth or (0, 0)), *(b.birth or (0, 0)), a.place or 0, b.place or 0,
                       a.prefecture or 0, b.prefecture or 0, twins, ev, a.detention, b.detention,
                       a.detention_year or 0, b.detention_year or 0)


def test_quick_score_is_score_pair_without_second_pass_facts():
    births = [None, (1978, 1978), (1979, 1979), (1970, 1979), (1984, 1984), (1960, 1969)]
    places = [(None, None), (5, 1), (6, 1), (9, 2)]
    detentions = [None, (2018 * DAY, 2018 * DAY + 30, 7), (2018 * DAY, 2018 * DAY + 360, 7),
                  (2018 * DAY + 10, 2018 * DAY + 10, 8), (2019 * DAY, 2019 * DAY, 7)]
    events = [{}, {11: event_weight(1)}, {11: event_weight(500)}, {12: event_weight(3)}]
    checked = 0
    for sim, count in ((1.0, 1), (0.93, 40), (0.86, 3), (0.8, 700)):
        for (ba, bb), (pa, pb), (da, db), (ea, eb), g in itertools.product(
            itertools.combinations(births, 2), itertools.combinations(places, 2),
            itertools.combinations(detentions, 2), itertools.combinations(events, 2), ("mm", "mf", "m ")
        ):
            a = Facts(gender=g[0].strip(), birth=ba, place=pa[0], prefecture=pa[1], detention=da, events=ea,
                      detention_year=2018)
            b = Facts(gender=g[1].strip(), birth=bb, place=pb[0], prefecture=pb[1], detention=db, events=eb,
                      detention_year=2019)
            assert abs(_quick(sim, count, a, b) - score_pair(sim, a, b, name_count=count).total) < 1e-9
            checked += 1
    assert checked > 10_000


def _nurlan(**kw) -> Facts:
    base = dict(gender="m", birth=(1978, 1978), place=5, prefecture=1,
                detention=(2018 * DAY + 40, 2018 * DAY + 40, 7), events={("detained", 7): event_weight(1)})
    base.update(kw)
    return Facts(**base)


def test_a_re_report_with_the_same_event_passes_namesakes_with_other_facts_do_not():
    a = _nurlan()
    # Re-reported in another script, a year off, with the same detention: the same person.
    assert score_pair(0.93, a, _nurlan(birth=(1979, 1979)), name_count=4).total >= DEFAULT_THRESHOLD
    # Namesakes: same name, but born eight years apart; or another prefecture and another detention.
    assert score_pair(1.0, a, _nurlan(birth=(1986, 1986), events={}), name_count=4).total < DEFAULT_THRESHOLD
    other = _nurlan(place=9, prefecture=2, detention=(2017 * DAY, 2017 * DAY, 3), events={})
    assert score_pair(1.0, a, other, name_count=4).total < DEFAULT_THRESHOLD
    # Two persons named side by side in one testimony are two persons.
    assert score_pair(1.0, _nurlan(testimonies=frozenset({1})), _nurlan(testimonies=frozenset({1})),
                      name_count=4).total < score_pair(1.0, a, _nurlan(), name_count=4).total


def test_common_names_and_common_events_weigh_less():
    a, b = _nurlan(), _nurlan()
    assert score_pair(1.0, a, b, name_count=300).total < score_pair(1.0, a, b, name_count=2).total
    assert event_weight(1) == event_weight(2) > event_weight(50) > event_weight(5000) == 0.0
