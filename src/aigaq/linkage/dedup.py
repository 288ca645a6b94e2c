"""Find persons recorded twice: block on name keys, score name pairs, then score the whole record.

1. Persons' facts (gender, birth years, home place, detention year) go into compact arrays
   indexed by person id; name texts are interned (a million persons have a few hundred thousand
   distinct name forms), each name row being one int in an array.
2. Blocking: the names engine's `f:` keys (given name + father's name/surname codes, across
   scripts) are read in key order from the NameKey index. A key held by more than BLOCK_CAP
   persons is skipped (a very common name + father pair; those persons still meet through
   their other keys when they have names in other scripts). Inside a block, persons are
   compared only with those whose birth years are within two years (two overlapping 4-year
   buckets) and whose gender does not differ.
3. Name similarity (names.similarity_prepared) for each surviving pair, in worker processes
   (fork: the arrays are shared copy-on-write). Pairs below scoring.NAME_MIN are dropped.
4. The record score (scoring.score_pair) from the arrays; pairs that could still reach the
   threshold get their facilities, testimonies, witnesses and relatives read in batches.
5. Pairs at or above the threshold are stored as MatchCandidate rows (open); pairs already
   decided (merged or rejected) are left as they are, so re-runs neither duplicate nor reopen.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction

from aigaq import names as names_engine
from aigaq.core.db import release_connections
from aigaq.linkage.scoring import (
    COMMON_PER_10K,
    DEFAULT_THRESHOLD,
    MAX_LATE_BONUS,
    NAME_MIN,
    Facts,
    score_pair,
)

BLOCK_CAP = 400  # persons per blocking key; see the module docstring
BUCKET = 4
_GENDER = {"": 0, "m": 1, "f": 2}


@dataclass
class DedupStats:
    persons: int = 0
    names: int = 0
    blocks: int = 0
    blocks_skipped: int = 0
    pairs_compared: int = 0
    pairs_named: int = 0
    pairs_scored: int = 0
    candidates: int = 0
    created: int = 0
    updated: int = 0
    kept_decided: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    pairs: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _q(table: str) -> str:
    return connection.ops.quote_name(table)


def _stream(sql: str, params: list | tuple = (), size: int = 50_000) -> Iterator[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        while rows := cur.fetchmany(size):
            yield from rows


class _Data:
    """Compact per-person and per-name arrays (module global in workers, via fork)."""

    def __init__(self) -> None:
        self.gender = array("b")
        self.bmin = array("h")
        self.bmax = array("h")
        self.place = array("i")
        self.det = array("h")
        self.alive = array("b")
        self.name_text = array("i")  # name id -> index in texts
        self.texts: list[str] = []
        self.count = array("i")  # text index -> how many name rows hold it (common names weigh less)
        self.index: dict[str, int] = {}

    def load(self) -> tuple[int, int]:
        from aigaq.registry.models import Person, PersonName

        pt, nt = _q(Person._meta.db_table), _q(PersonName._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(f"SELECT MAX(id) FROM {pt}")
            top = (cur.fetchone()[0] or 0) + 1
            cur.execute(f"SELECT MAX(id) FROM {nt}")
            ntop = (cur.fetchone()[0] or 0) + 1
        for arr in (self.gender, self.alive):
            arr.frombytes(bytes(top))
        for arr in (self.bmin, self.bmax, self.det):
            arr.frombytes(bytes(2 * top))
        self.place.frombytes(bytes(4 * top))
        persons = 0
        for pid, g, lo, hi, place, det in _stream(
            f"SELECT id, gender, birth_year_min, birth_year_max, home_place_id, detention_year FROM {pt} "
            "WHERE merged_into_id IS NULL"
        ):
            persons += 1
            self.alive[pid] = 1
            self.gender[pid] = _GENDER.get(g or "", 0)
            lo, hi = lo or hi, hi or lo
            if lo:
                self.bmin[pid], self.bmax[pid] = lo, max(lo, hi)
            self.place[pid] = place or 0
            self.det[pid] = det or 0
        self.name_text.frombytes(bytes(4 * ntop))
        index = self.index
        n = 0
        for nid, text in _stream(f"SELECT id, text FROM {nt}"):
            n += 1
            i = index.get(text)
            if i is None:
                i = index[text] = len(self.texts)
                self.texts.append(text)
                self.count.append(0)
            self.count[i] += 1
            self.name_text[nid] = i
        return persons, n

    def birth(self, pid: int) -> tuple[int, int] | None:
        lo = self.bmin[pid]
        return (lo, self.bmax[pid]) if lo else None


_DATA: _Data | None = None


def _prepared(i: int, cache: dict) -> names_engine.Prepared:
    p = cache.get(i)
    if p is None:
        if len(cache) > 400_000:  # bounded: a worker never holds every form
            cache.clear()
        p = cache[i] = names_engine.prepare(_DATA.texts[i])
    return p


_CACHE: dict[int, names_engine.Prepared] = {}


def _buckets(d: _Data, pid: int) -> list[tuple[int, int]]:
    lo = d.bmin[pid]
    if not lo:
        return [(-1, 0)]
    hi = d.bmax[pid]
    out = []
    for off in (0, BUCKET // 2):
        for b in range((lo + off) // BUCKET, (hi + off) // BUCKET + 1):
            out.append((off, b))
    return out


def _block_pairs(members: list[tuple[int, int]]) -> Iterator[tuple[int, int, int, int]]:
    """(pid_a, text_a, pid_b, text_b) for each pair of a block worth comparing."""
    d = _DATA
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    unknown: list[tuple[int, int]] = []
    for pid, t in members:
        for b in _buckets(d, pid):
            if b[0] == -1:
                unknown.append((pid, t))
            else:
                groups[b].append((pid, t))
    seen: set[tuple[int, int]] = set()
    lists = list(groups.values())
    for grp in lists:
        for i in range(len(grp)):
            pa, ta = grp[i]
            ga = d.gender[pa]
            for j in range(i + 1, len(grp)):
                pb, tb = grp[j]
                if pa == pb:
                    continue
                gb = d.gender[pb]
                if ga and gb and ga != gb:
                    continue
                key = (pa, pb) if pa < pb else (pb, pa)
                if key in seen:
                    continue
                seen.add(key)
                yield pa, ta, pb, tb
    for pa, ta in unknown:  # no birth year: compare with the whole block
        for pb, tb in members:
            if pa == pb:
                continue
            key = (pa, pb) if pa < pb else (pb, pa)
            if key not in seen:
                seen.add(key)
                yield pa, ta, pb, tb


def _score_blocks(blocks: list[list[tuple[int, int]]]) -> tuple[int, list[tuple[int, int, float, int]]]:
    """Worker: name similarity of every pair in these blocks; keeps those at NAME_MIN or above."""
    out = []
    compared = 0
    memo: dict[tuple[int, int], float] = {}
    for members in blocks:
        for pa, ta, pb, tb in _block_pairs(members):
            compared += 1
            if ta == tb:
                sim = 1.0
            else:
                k = (ta, tb) if ta < tb else (tb, ta)
                sim = memo.get(k)
                if sim is None:
                    sim = names_engine.similarity_prepared(_prepared(ta, _CACHE), _prepared(tb, _CACHE))
                    if len(memo) > 200_000:
                        memo.clear()
                    memo[k] = sim
            if sim >= NAME_MIN:
                common = max(_DATA.count[ta], _DATA.count[tb])
                out.append((pa, pb, sim, common) if pa < pb else (pb, pa, sim, common))
    return compared, out


def _blocks(stats: DedupStats, batch_pairs: int = 40_000) -> Iterator[list[list[tuple[int, int]]]]:
    """Batches of blocks (members: (person id, name text index)) read in key order."""
    from aigaq.registry.models import NameKey

    d = _DATA
    sql = (f"SELECT key, person_id, name_id FROM {_q(NameKey._meta.db_table)} "
           "WHERE key >= %s AND key < %s ORDER BY key")
    batch: list[list[tuple[int, int]]] = []
    weight = 0
    cur_key, members, seen = None, [], set()

    def flush_block():
        nonlocal weight
        if len(members) < 2:
            return
        stats.blocks += 1
        if len(members) > BLOCK_CAP:
            stats.blocks_skipped += 1
            return
        batch.append(list(members))
        weight += len(members) * len(members) // 8 + 1

    for key, pid, nid in _stream(sql, ["k:f:", "k:f;"]):
        if key != cur_key:
            flush_block()
            if weight >= batch_pairs:
                yield batch
                batch, weight = [], 0
            cur_key, members, seen = key, [], set()
        if pid in seen or not d.alive[pid]:
            continue
        seen.add(pid)
        members.append((pid, d.name_text[nid]))
    flush_block()
    if batch:
        yield batch


def _peak_rss_mb() -> float:
    import resource

    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((self_kb + kids_kb) / 1024, 1)


class _Progress:
    def __init__(self, stream: TextIO | None, enabled: bool):
        self.stream, self.enabled, self.start = stream or sys.stderr, enabled, time.monotonic()

    def say(self, msg: str) -> None:
        if self.enabled:
            self.stream.write(f"dedup: [{time.monotonic() - self.start:7.1f} s] {msg}\n")
            self.stream.flush()


def find_pairs(stats: DedupStats, workers: int, progress: _Progress) -> dict[tuple[int, int], tuple[float, int]]:
    """Pairs with name similarity >= NAME_MIN that blocking reaches: {(a, b): (sim, name count)}."""
    pairs: dict[tuple[int, int], tuple[float, int]] = {}

    def take(result):
        compared, found = result
        stats.pairs_compared += compared
        for a, b, sim, common in found:
            old = pairs.get((a, b))
            if old is None or old[0] < sim:
                pairs[(a, b)] = (sim, common)

    if workers > 1 and "fork" in mp.get_all_start_methods():
        # Fork after loading: workers share the arrays; the database connection is not used there.
        release_connections()
        ctx = mp.get_context("fork")
        with ctx.Pool(workers) as pool:
            results = pool.imap_unordered(_score_blocks, _blocks(stats), chunksize=1)
            for i, r in enumerate(results, 1):
                take(r)
                if i % 50 == 0:
                    progress.say(f"{stats.blocks:,} blocks, {stats.pairs_compared:,} pairs compared, "
                                 f"{len(pairs):,} with similar names")
    else:
        for i, batch in enumerate(_blocks(stats), 1):
            take(_score_blocks(batch))
            if i % 50 == 0:
                progress.say(f"{stats.blocks:,} blocks, {stats.pairs_compared:,} pairs compared")
    stats.pairs_named = len(pairs)
    return pairs


def _place_info() -> tuple[dict[int, int], dict[int, frozenset[str]]]:
    """place id -> prefecture id, and place id -> its names folded (all scripts, romanised)."""
    from aigaq.registry.models import Place

    rows = {p.pk: p for p in Place.objects.all()}
    pref: dict[int, int] = {}
    fold: dict[int, frozenset[str]] = {}
    for pk, p in rows.items():
        node = p
        while node is not None and node.level != "prefecture":
            node = rows.get(node.parent_id)
        if node is not None:
            pref[pk] = node.pk
        forms = set()
        for n in p.all_names():
            base = n
            for suffix in (" County", " City", " District", "县", "市", "区", " ауданы", " қаласы"):
                base = base.replace(suffix, "")
            forms.add(names_engine.romanize(base).casefold().replace(" ", "") or base)
        fold[pk] = frozenset(f for f in forms if f)
    return pref, fold


def _facts_late(pids: list[int]) -> dict[int, dict]:
    """Facilities, testimonies, witnesses and relatives' names of these persons, in batches."""
    from aigaq.registry.models import Event, PersonName, Testimony, TestimonyPerson

    out: dict[int, dict] = {p: {"fac": set(), "tes": set(), "wit": set(), "rel": set()} for p in pids}
    ev, tp, te, pn = (_q(m._meta.db_table) for m in (Event, TestimonyPerson, Testimony, PersonName))
    with connection.cursor() as cur:
        for i in range(0, len(pids), 500):
            chunk = pids[i : i + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(f"SELECT person_id, facility_id FROM {ev} WHERE person_id IN ({marks}) "
                        "AND facility_id IS NOT NULL", chunk)
            for pid, fac in cur.fetchall():
                out[pid]["fac"].add(fac)
            cur.execute(f"SELECT l.person_id, l.testimony_id, t.witness_id FROM {tp} l JOIN {te} t "
                        f"ON t.id = l.testimony_id WHERE l.person_id IN ({marks})", chunk)
            tids: dict[int, set[int]] = defaultdict(set)
            for pid, tid, wid in cur.fetchall():
                out[pid]["tes"].add(tid)
                tids[tid].add(pid)
                if wid:
                    out[pid]["wit"].add(wid)
            if tids:
                tl = sorted(tids)
                for j in range(0, len(tl), 500):
                    tc = tl[j : j + 500]
                    cur.execute(
                        f"SELECT l.testimony_id, l.person_id, n.text FROM {tp} l JOIN {pn} n ON n.person_id = "
                        f"l.person_id WHERE l.testimony_id IN ({', '.join(['%s'] * len(tc))})", tc)
                    for tid, other, text in cur.fetchall():
                        for pid in tids[tid]:
                            if other != pid:
                                out[pid]["rel"].add(text)
    return out


def _relatives_match(a: set[str], b: set[str], rare) -> bool:
    a, b = {x for x in a if rare(x)}, {x for x in b if rare(x)}
    if not a or not b:
        return False
    pa = [names_engine.prepare(x) for x in sorted(a)[:6]]
    pb = [names_engine.prepare(x) for x in sorted(b)[:6]]
    return any(names_engine.similarity_prepared(x, y) >= 0.9 for x in pa for y in pb)


def score_pairs(pairs: dict[tuple[int, int], tuple[float, int]], threshold: float, progress: _Progress,
                persons: int) -> list[tuple]:
    """(a, b, score, name_sim, evidence) for pairs at or above the threshold, best first."""
    d = _DATA
    pref, fold = _place_info()
    per10k = 10_000 / max(persons, 1)

    def rare(text: str) -> bool:
        i = d.index.get(text)
        return i is None or d.count[i] * per10k < COMMON_PER_10K

    def facts(pid: int, late: dict | None = None) -> Facts:
        place = d.place[pid] or None
        f = Facts(gender={1: "m", 2: "f"}.get(d.gender[pid], ""), birth=d.birth(pid), place=place,
                  prefecture=pref.get(place) if place else None, detention_year=d.det[pid] or None)
        if late:
            f.facilities, f.testimonies = frozenset(late["fac"]), frozenset(late["tes"])
            f.witnesses, f.relatives = frozenset(late["wit"]), tuple(late["rel"])
        return f

    def same_name(a: int | None, b: int | None) -> bool:
        return bool(a and b and a != b and fold.get(a, frozenset()) & fold.get(b, frozenset()))

    promising = []
    for (a, b), (sim, common) in pairs.items():
        fa, fb = facts(a), facts(b)
        s = score_pair(sim, fa, fb, same_name(fa.place, fb.place), name_count=common)
        if s.total + MAX_LATE_BONUS >= threshold:
            promising.append((a, b, sim, common))
    progress.say(f"{len(promising):,} of {len(pairs):,} pairs could reach the threshold; reading their relatives")
    out = []
    for i in range(0, len(promising), 5000):
        chunk = promising[i : i + 5000]
        late = _facts_late(sorted({p for a, b, *_ in chunk for p in (a, b)}))
        for a, b, sim, common in chunk:
            fa, fb = facts(a, late[a]), facts(b, late[b])
            rel = _relatives_match(set(fa.relatives), set(fb.relatives), rare)
            s = score_pair(sim, fa, fb, same_name(fa.place, fb.place), rel, name_count=common)
            if s.total >= threshold:
                out.append((a, b, round(s.total, 2), round(sim, 4), s.evidence))
    out.sort(key=lambda r: (-r[2], r[0], r[1]))
    return out


def store(rows: list[tuple], stats: DedupStats) -> None:
    """Upsert open candidates; decided pairs keep their state."""
    from aigaq.linkage.models import MatchCandidate

    decided = set()
    existing: dict[tuple[int, int], int] = {}
    for pk, left, right, state in MatchCandidate.objects.values_list("pk", "left_id", "right_id", "state").iterator():
        if state != MatchCandidate.State.OPEN:
            decided.add((left, right))
        else:
            existing[(left, right)] = pk
    new, update = [], []
    for a, b, score, sim, evidence in rows:
        if (a, b) in decided:
            stats.kept_decided += 1
            continue
        if (a, b) in existing:
            update.append(MatchCandidate(pk=existing[(a, b)], left_id=a, right_id=b, score=score,
                                         name_similarity=sim, evidence=evidence))
        else:
            new.append(MatchCandidate(left_id=a, right_id=b, score=score, name_similarity=sim, evidence=evidence))
    with transaction.atomic():
        MatchCandidate.objects.bulk_create(new, batch_size=2000)
        MatchCandidate.objects.bulk_update(update, ["score", "name_similarity", "evidence"], batch_size=2000)
    stats.created, stats.updated = len(new), len(update)


def run(threshold: float = DEFAULT_THRESHOLD, workers: int | None = None, progress: bool = True,
        stream: TextIO | None = None, save: bool = True) -> tuple[DedupStats, list[tuple]]:
    """Find candidate duplicates over the whole registry; store them unless save is False."""
    global _DATA
    started = time.monotonic()
    stats = DedupStats()
    say = _Progress(stream, progress)
    _DATA = _Data()
    _CACHE.clear()
    stats.persons, stats.names = _DATA.load()
    say.say(f"loaded {stats.persons:,} persons, {stats.names:,} names ({len(_DATA.texts):,} distinct forms)")
    workers = workers or min(2, os.cpu_count() or 1)
    pairs = find_pairs(stats, workers, say)
    say.say(f"{stats.blocks:,} blocks ({stats.blocks_skipped:,} over {BLOCK_CAP} skipped), "
            f"{stats.pairs_compared:,} pairs compared, {len(pairs):,} with similar names")
    rows = score_pairs(pairs, threshold, say, stats.persons)
    stats.pairs_scored = len(pairs)
    del pairs
    stats.candidates = len(rows)
    if save:
        store(rows, stats)
    stats.seconds = round(time.monotonic() - started, 1)
    stats.peak_rss_mb = _peak_rss_mb()
    say.say(f"{stats.candidates:,} candidates ({stats.created:,} new) in {stats.seconds:,.1f} s, "
            f"peak memory {stats.peak_rss_mb:,.0f} MB")
    _DATA = None
    return stats, rows
