"""Find persons recorded twice: block on name keys, score name pairs, then score the whole record.

One pass over each table, raw SQL, only the columns needed, into compact integer arrays:

1. Persons (gender, birth years, home place and its prefecture, detention year), the first
   detention or arrest (dates as day numbers, facility) and up to four events each as a hash of
   (type, dates, facility); name texts interned (a million persons have a few hundred thousand
   distinct forms), each name row two ints.
2. Blocking keys are computed here from the current names engine (`names.keys`, once per distinct
   form, in the worker processes), not read from the stored NameKey rows, which may date from an
   older engine: `f:` keys (given name + father's name/surname, across scripts) and, to catch a
   misspelt father's name or a one-part name, `g:` keys (given name alone) combined with the
   home county. A block larger than BLOCK_CAP is split by prefecture, then by county. Inside a
   block (part) persons are sorted by birth year and compared only with those born within
   BIRTH_WINDOW years (narrower in large parts, so that the pairs grow with a part's size, not
   its square), of compatible gender; persons with no birth year only in parts of UNKNOWN_CAP or
   fewer (the others are counted: `persons_in_skipped`).
3. For each such pair, in 2 worker processes (fork: the arrays are shared copy-on-write): name
   similarity (names.similarity_prepared, memoised per pair of forms), then the record score on
   integers (scoring.quick_score); only pairs that could still reach the threshold come back.
4. Their witnesses, testimonies and relatives are read in batches and the full score with its
   evidence (scoring.score_pair) decides.
5. Pairs at or above the threshold are stored as MatchCandidate rows (open) in bulk; pairs already
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
    W_RELATIVES,
    Facts,
    event_weight,
    name_weight,
    quick_score,
    score_pair,
)

BLOCK_CAP = 100  # persons compared inside one block (or one part of a split block)
UNKNOWN_CAP = 100  # a person with no birth year is compared with a whole block only this small
BIRTH_WINDOW = 2  # years between birth ranges still compared (BIRTH_WINDOW_LARGE in parts over SMALL)
BIRTH_WINDOW_LARGE, SMALL, LARGE = 1, 40, 1000
EVENT_SLOTS = 4
_GENDER = {"": 0, "m": 1, "f": 2}
_DETENTION = ("detained", "arrested")


@dataclass
class DedupStats:
    persons: int = 0
    names: int = 0
    forms: int = 0
    blocks: int = 0
    blocks_split: int = 0
    blocks_skipped: int = 0  # block parts whose persons with no birth year were not compared
    persons_in_skipped: int = 0  # those persons
    pairs_compared: int = 0
    pairs_named: int = 0  # pairs whose facts could reach the threshold: their names were compared
    pairs_scored: int = 0
    candidates: int = 0
    created: int = 0
    updated: int = 0
    kept_decided: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    phases: dict = field(default_factory=dict)
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


def _day(text) -> int:
    """A date (ISO text from SQLite, a date from PostgreSQL) as an increasing day number; 0: none."""
    if not text:
        return 0
    if isinstance(text, str):
        return int(text[:4]) * 372 + int(text[5:7]) * 31 + int(text[8:10])
    return text.year * 372 + text.month * 31 + text.day


class _Data:
    """Compact per-person arrays and interned name forms (module global in workers, via fork)."""

    def __init__(self) -> None:
        self.gender = array("b")
        self.bmin = array("h")
        self.bmax = array("h")
        self.place = array("i")
        self.pref = array("i")
        self.det = array("h")
        self.alive = array("b")
        self.det_start = array("i")
        self.det_end = array("i")
        self.det_fac = array("i")
        self.ev = array("q")  # EVENT_SLOTS hashes a person; 0: empty
        self.ev_w = array("f")  # what each is worth when shared (rarer events weigh more)
        self.name_pid = array("i")  # one entry per name row
        self.name_text = array("i")
        self.texts: list[str] = []
        self.count = array("i")  # text index -> how many name rows hold it (common names weigh less)
        self.index: dict[str, int] = {}
        self.place_pref: dict[int, int] = {}
        self.place_twins: set[tuple[int, int]] = set()  # different places whose names match across scripts
        self.fold: dict[int, frozenset[str]] = {}

    def load(self) -> tuple[int, int]:
        from aigaq.registry.models import Event, Person, PersonName

        pt, nt, et = (_q(m._meta.db_table) for m in (Person, PersonName, Event))
        with connection.cursor() as cur:
            cur.execute(f"SELECT MAX(id) FROM {pt}")
            top = (cur.fetchone()[0] or 0) + 1
        for arr in (self.gender, self.alive):
            arr.frombytes(bytes(top))
        for arr in (self.bmin, self.bmax, self.det):
            arr.frombytes(bytes(2 * top))
        for arr in (self.place, self.pref, self.det_start, self.det_end, self.det_fac):
            arr.frombytes(bytes(4 * top))
        self.ev.frombytes(bytes(8 * EVENT_SLOTS * top))
        self.ev_w.frombytes(bytes(4 * EVENT_SLOTS * top))
        self.place_pref, self.fold = _place_info()
        by_fold: dict[str, list[int]] = defaultdict(list)
        for pk, forms in self.fold.items():
            for f in forms:
                by_fold[f].append(pk)
        self.place_twins = {(a, b) for pks in by_fold.values() if len(pks) < 50 for a in pks for b in pks if a != b}
        pref_of = self.place_pref
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
            if place:
                self.place[pid] = place
                self.pref[pid] = pref_of.get(place, 0)
            self.det[pid] = det or 0
        alive, ev = self.alive, self.ev
        holders: dict[int, int] = defaultdict(int)
        for pid, type_, start, end, fac in _stream(
            f"SELECT person_id, type, date_start, date_end, facility_id FROM {et}"
        ):
            if not alive[pid]:
                continue
            if fac:  # an event in a facility: its identity is (what, when, where)
                h = hash((type_, start, end, fac)) or 1
                base = pid * EVENT_SLOTS
                for k in range(base, base + EVENT_SLOTS):
                    if not ev[k]:
                        ev[k] = h
                        holders[h] += 1
                        break
            if type_ in _DETENTION and start:
                s = _day(start)
                if not self.det_start[pid] or s < self.det_start[pid]:
                    self.det_start[pid], self.det_end[pid] = s, _day(end) or s
                    self.det_fac[pid] = fac or 0
        ev_w, weights = self.ev_w, {}
        for k, h in enumerate(ev):
            if h:
                w = weights.get(h)
                if w is None:
                    w = weights[h] = event_weight(holders[h])
                ev_w[k] = w
        del holders, weights
        index, texts, count = self.index, self.texts, self.count
        n = 0
        for pid, text in _stream(f"SELECT person_id, text FROM {nt}"):
            if not alive[pid] or not text:
                continue
            n += 1
            i = index.get(text)
            if i is None:
                i = index[text] = len(texts)
                texts.append(text)
                count.append(0)
            count[i] += 1
            self.name_pid.append(pid)
            self.name_text.append(i)
        return persons, n

    def birth(self, pid: int) -> tuple[int, int] | None:
        lo = self.bmin[pid]
        return (lo, self.bmax[pid]) if lo else None

    def events(self, pid: int) -> dict:
        base = pid * EVENT_SLOTS
        return {self.ev[k]: round(self.ev_w[k], 1) for k in range(base, base + EVENT_SLOTS) if self.ev[k]}

    def detention(self, pid: int) -> tuple[int, int, int] | None:
        s = self.det_start[pid]
        return (s, self.det_end[pid], self.det_fac[pid]) if s else None

    def same_event(self, a: int, b: int) -> float:
        """The weight of the rarest event both records hold, 0 if none."""
        ev, w = self.ev, self.ev_w
        ba, bb = a * EVENT_SLOTS, b * EVENT_SLOTS
        if not ev[ba] or not ev[bb]:
            return 0.0
        best = 0.0
        for i in range(ba, ba + EVENT_SLOTS):
            h = ev[i]
            if not h:
                break
            for j in range(bb, bb + EVENT_SLOTS):
                if not ev[j]:
                    break
                if ev[j] == h and w[i] > best:
                    best = w[i]
        return round(best, 1)


_DATA: _Data | None = None
_BLOCKS: list = []
_THRESHOLD = DEFAULT_THRESHOLD
_PREPARED: list = []  # form index -> names.Prepared (made once, in the first pool, shared after)


def _keys_of(span: tuple[int, int]) -> list[tuple[names_engine.Prepared | None, tuple[str, ...]]]:
    """Worker: each form of texts[start:end] prepared, with its f:, c: and g: keys."""
    out = []
    for text in _DATA.texts[span[0] : span[1]]:
        try:
            p = names_engine.prepare(text)
            ks = tuple(k for k in names_engine.keys_prepared(p) if k.startswith(("f:", "c:", "g:")))
        except Exception:  # noqa: BLE001 - one unreadable form must not stop a registry-wide run
            p, ks = None, ()
        out.append((p, ks))
    return out


def _spans(total: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(total, i + size)) for i in range(0, total, size)]


def _build_blocks(keys: list[tuple[str, ...]], stats: DedupStats) -> list[array]:
    """Blocks of (person id * forms + form index), f: and c: keys alone and g: keys with the home
    county."""
    d = _DATA
    nt = max(1, len(d.texts))
    blocks: dict[str, array] = {}
    place = d.place
    for pid, t in zip(d.name_pid, d.name_text, strict=True):
        packed = pid * nt + t
        for k in keys[t]:
            if k[0] == "g":
                county = place[pid]
                if not county:
                    continue
                k = f"{k}|{county}"
            blk = blocks.get(k)
            if blk is None:
                blk = blocks[k] = array("q")
            blk.append(packed)
    out = [b for b in blocks.values() if len(b) > 1]
    stats.blocks = len(out)
    return out


def _compare(items: list[tuple[int, int]], out: list, counters: list, memo: dict) -> None:
    """Compare persons (pid, form) of one block (part): birth-sorted window, then names, then facts."""
    d = _DATA
    bmin, bmax, gender = d.bmin, d.bmax, d.gender
    known = sorted((bmin[p], p, t) for p, t in items if bmin[p])
    unknown = [(p, t) for p, t in items if not bmin[p]]
    pairs: list[tuple[int, int, int, int]] = []
    n = len(known)
    # The window narrows as the part grows: the pairs then grow with its size, not its square.
    window = BIRTH_WINDOW if n <= SMALL else BIRTH_WINDOW_LARGE if n <= LARGE else 0
    for i in range(n):
        lo_a, pa, ta = known[i]
        limit = bmax[pa] + window
        ga = gender[pa]
        for j in range(i + 1, n):
            lo_b, pb, tb = known[j]
            if lo_b > limit:
                break
            gb = gender[pb]
            if ga and gb and ga != gb:
                continue
            pairs.append((pa, ta, pb, tb))
    if unknown and len(items) > UNKNOWN_CAP:
        counters[3] += 1  # persons with no birth year are compared only in small parts
        counters[4] += len(unknown)
    elif unknown:
        for k, (pa, ta) in enumerate(unknown):
            for pb, tb in [(p, t) for _, p, t in known] + unknown[k + 1 :]:
                ga, gb = gender[pa], gender[pb]
                if not (ga and gb and ga != gb):
                    pairs.append((pa, ta, pb, tb))
    counters[0] += len(pairs)
    if not pairs:
        return
    count, place, pref, det = d.count, d.place, d.pref, d.det
    twins, floor = d.place_twins, _THRESHOLD - MAX_LATE_BONUS
    nt, top_name = len(d.texts), name_weight(1.0)[0]
    same_event, detention = d.same_event, d.detention
    for pa, ta, pb, tb in pairs:
        # The facts first, as if the names agreed fully: most pairs stop here, before any name work.
        common = max(count[ta], count[tb])
        pl_a, pl_b = place[pa], place[pb]
        q = quick_score(1.0, common, gender[pa], gender[pb], bmin[pa], bmax[pa], bmin[pb], bmax[pb], pl_a, pl_b,
                        pref[pa], pref[pb], (pl_a, pl_b) in twins, same_event(pa, pb), detention(pa),
                        detention(pb), det[pa], det[pb])
        if q < floor:
            continue
        counters[1] += 1
        if ta == tb:
            sim = 1.0
        else:
            k = ta * nt + tb if ta < tb else tb * nt + ta
            sim = memo.get(k)
            if sim is None:
                sim = names_engine.similarity_prepared(_PREPARED[ta], _PREPARED[tb])
                if len(memo) > 2_000_000:
                    memo.clear()
                memo[k] = sim
            if sim < NAME_MIN:
                continue
            q += name_weight(sim)[0] - top_name
            if q < floor:
                continue
        out.append((pa, pb, sim, common) if pa < pb else (pb, pa, sim, common))


def _split(items: list[tuple[int, int]], by) -> list[list[tuple[int, int]]]:
    parts: dict[int, list] = defaultdict(list)
    for it in items:
        parts[by[it[0]]].append(it)
    return list(parts.values())


def _score_blocks(span: tuple[int, int]) -> tuple[list[int], list[tuple[int, int, float, int]]]:
    """Worker: every pair worth comparing in blocks[start:end]; those that could reach the threshold."""
    d = _DATA
    nt = max(1, len(d.texts))
    out: list = []
    counters = [0, 0, 0, 0, 0]  # compared, named, split, skipped, persons in skipped parts
    memo: dict = {}
    for blk in _BLOCKS[span[0] : span[1]]:
        first: dict[int, int] = {}
        for packed in blk:
            pid, t = divmod(packed, nt)
            if pid not in first:
                first[pid] = t
        if len(first) < 2:
            continue
        items = list(first.items())
        if len(items) <= BLOCK_CAP:
            _compare(items, out, counters, memo)
            continue
        counters[2] += 1  # too large: by prefecture, then by county
        for part in _split(items, d.pref):
            if len(part) <= BLOCK_CAP:
                _compare(part, out, counters, memo)
            else:
                for sub in _split(part, d.place):
                    _compare(sub, out, counters, memo)
    return counters, out


def _tasks(total_weight_per_task: int = 500_000) -> list[tuple[int, int]]:
    spans, start, weight = [], 0, 0
    for i, blk in enumerate(_BLOCKS):
        n = len(blk)
        weight += n * min(n, BLOCK_CAP) // 4 + 16
        if weight >= total_weight_per_task:
            spans.append((start, i + 1))
            start, weight = i + 1, 0
    if start < len(_BLOCKS):
        spans.append((start, len(_BLOCKS)))
    return spans


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


def _facts_late(pids: set[int]) -> dict[int, dict]:
    """Testimonies, witnesses and relatives' names of these persons: one pass over each table."""
    from aigaq.registry.models import Testimony, TestimonyPerson

    d = _DATA
    out: dict[int, dict] = {p: {"tes": set(), "wit": set(), "rel": set()} for p in pids}
    tp, te = (_q(m._meta.db_table) for m in (TestimonyPerson, Testimony))
    witness_of = {}
    tids: dict[int, set[int]] = defaultdict(set)  # testimony -> these persons in it
    for pid, tid in _stream(f"SELECT person_id, testimony_id FROM {tp}"):
        if pid in out:
            out[pid]["tes"].add(tid)
            tids[tid].add(pid)
    if not tids:
        return out
    for tid, wid in _stream(f"SELECT id, witness_id FROM {te}"):
        if tid in tids and wid:
            witness_of[tid] = wid
    others: dict[int, set[int]] = defaultdict(set)  # another person in one of their testimonies -> them
    for tid, pid in _stream(f"SELECT testimony_id, person_id FROM {tp}"):
        for who in tids.get(tid, ()):
            if who != pid:
                others[pid].add(who)
    for pid, t in zip(d.name_pid, d.name_text, strict=True):
        whom = others.get(pid)
        if whom:
            text = d.texts[t]
            for who in whom:
                out[who]["rel"].add(text)
    for tid, persons in tids.items():
        wid = witness_of.get(tid)
        if wid:
            for pid in persons:
                out[pid]["wit"].add(wid)
    return out


def _relatives_match(a: set[str], b: set[str], rare) -> bool:
    a, b = {x for x in a if rare(x)}, {x for x in b if rare(x)}
    if not a or not b:
        return False
    pa = [names_engine.prepare(x) for x in sorted(a)[:6]]
    pb = [names_engine.prepare(x) for x in sorted(b)[:6]]
    return any(names_engine.similarity_prepared(x, y) >= 0.9 for x in pa for y in pb)


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


def _peak_rss_mb() -> float:
    import resource

    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((self_kb + kids_kb) / 1024, 1)


class _Progress:
    def __init__(self, stream: TextIO | None, enabled: bool):
        self.stream, self.enabled, self.start = stream or sys.stderr, enabled, time.monotonic()
        self.mark = self.start

    def say(self, msg: str) -> None:
        if self.enabled:
            self.stream.write(f"dedup: [{time.monotonic() - self.start:7.1f} s] {msg}\n")
            self.stream.flush()

    def lap(self) -> float:
        now = time.monotonic()
        took, self.mark = now - self.mark, now
        return round(took, 1)


def find_pairs(stats: DedupStats, workers: int, progress: _Progress) -> dict[tuple[int, int], tuple[float, int]]:
    """Pairs that blocking reaches and that could reach the threshold: {(a, b): (sim, name count)}."""
    global _BLOCKS
    d = _DATA
    pairs: dict[tuple[int, int], tuple[float, int]] = {}
    spans = _spans(len(d.texts), 5000)
    use_pool = workers > 1 and "fork" in mp.get_all_start_methods()
    pool = None
    if use_pool:
        # Fork after loading: workers share the arrays; the database connection is not used there.
        release_connections()
        pool = mp.get_context("fork").Pool(workers)
    try:
        keys: list[tuple[str, ...]] = []
        _PREPARED.clear()
        for part in pool.imap(_keys_of, spans) if pool else map(_keys_of, spans):
            for p, ks in part:
                _PREPARED.append(p)
                keys.append(ks if p is not None else ())
        stats.phases["keys_s"] = progress.lap()
        progress.say(f"blocking keys of {len(keys):,} name forms")
        if pool:
            pool.close()
            pool.join()
            pool = None
        _BLOCKS = _build_blocks(keys, stats)
        del keys
        stats.phases["blocks_s"] = progress.lap()
        progress.say(f"{stats.blocks:,} blocks")
        tasks = _tasks()
        if use_pool:
            pool = mp.get_context("fork").Pool(workers)  # forked again: the blocks are shared too
        results = pool.imap_unordered(_score_blocks, tasks) if pool else map(_score_blocks, tasks)
        for i, (counters, found) in enumerate(results, 1):
            stats.pairs_compared += counters[0]
            stats.pairs_named += counters[1]
            stats.blocks_split += counters[2]
            stats.blocks_skipped += counters[3]
            stats.persons_in_skipped += counters[4]
            for a, b, sim, common in found:
                old = pairs.get((a, b))
                if old is None or old[0] < sim:
                    pairs[(a, b)] = (sim, common)
            if i % 10 == 0:
                progress.say(f"{i:,}/{len(tasks):,} parts: {stats.pairs_compared:,} pairs compared, "
                             f"{stats.pairs_named:,} names compared, {len(pairs):,} kept")
    except BaseException:
        if pool:  # a worker failed or the run was interrupted: stop the others now, write nothing
            pool.terminate()
            pool.join()
            pool = None
        raise
    finally:
        if pool:
            pool.close()
            pool.join()
        _BLOCKS = []
    stats.phases["compare_s"] = progress.lap()
    return pairs


def score_pairs(pairs: dict[tuple[int, int], tuple[float, int]], threshold: float, progress: _Progress,
                persons: int) -> list[tuple]:
    """(a, b, score, name_sim, evidence) for pairs at or above the threshold, best first."""
    d = _DATA
    per10k = 10_000 / max(persons, 1)

    def rare(text: str) -> bool:
        i = d.index.get(text)
        return i is None or d.count[i] * per10k < COMMON_PER_10K

    def facts(pid: int, late: dict) -> Facts:
        place = d.place[pid] or None
        return Facts(gender={1: "m", 2: "f"}.get(d.gender[pid], ""), birth=d.birth(pid), place=place,
                     prefecture=d.pref[pid] or None, detention_year=d.det[pid] or None,
                     detention=d.detention(pid), events=d.events(pid), testimonies=frozenset(late["tes"]),
                     witnesses=frozenset(late["wit"]), relatives=tuple(late["rel"]))

    items = sorted(pairs.items())
    progress.say(f"{len(items):,} pairs could reach the threshold; reading their witnesses and relatives")
    out = []
    late = _facts_late({p for (a, b) in pairs for p in (a, b)})
    for (a, b), (sim, common) in items:
        fa, fb = facts(a, late[a]), facts(b, late[b])
        twins = (fa.place, fb.place) in d.place_twins
        s = score_pair(sim, fa, fb, twins, False, name_count=common)
        # Relatives' names are compared (several name pairs) only where they can matter.
        if s.total + W_RELATIVES >= threshold and _relatives_match(set(fa.relatives), set(fb.relatives), rare):
            s = score_pair(sim, fa, fb, twins, True, name_count=common)
        if s.total >= threshold:
            out.append((a, b, round(s.total, 2), round(sim, 4), s.evidence))
    out.sort(key=lambda r: (-r[2], r[0], r[1]))
    return out


def run(threshold: float = DEFAULT_THRESHOLD, workers: int | None = None, progress: bool = True,
        stream: TextIO | None = None, save: bool = True) -> tuple[DedupStats, list[tuple]]:
    """Find candidate duplicates over the whole registry; store them unless save is False."""
    global _DATA, _THRESHOLD
    started = time.monotonic()
    stats = DedupStats()
    say = _Progress(stream, progress)
    _DATA = _Data()
    _THRESHOLD = threshold
    try:
        stats.persons, stats.names = _DATA.load()
        stats.forms = len(_DATA.texts)
        stats.phases["load_s"] = say.lap()
        say.say(f"loaded {stats.persons:,} persons, {stats.names:,} names ({stats.forms:,} distinct forms)")
        workers = workers or min(2, os.cpu_count() or 1)
        pairs = find_pairs(stats, workers, say)
        say.say(f"{stats.blocks:,} blocks ({stats.blocks_split:,} split; {stats.persons_in_skipped:,} persons with "
                f"no birth year left out of {stats.blocks_skipped:,} large parts), {stats.pairs_compared:,} pairs "
                f"compared, {stats.pairs_named:,} names compared, {len(pairs):,} could reach {threshold}")
        rows = score_pairs(pairs, threshold, say, stats.persons)
        stats.pairs_scored = len(pairs)
        del pairs
        stats.candidates = len(rows)
        stats.phases["score_s"] = say.lap()
        if save:
            store(rows, stats)
            stats.phases["store_s"] = say.lap()
    finally:
        _DATA = None
        _PREPARED.clear()
    stats.seconds = round(time.monotonic() - started, 1)
    stats.peak_rss_mb = _peak_rss_mb()
    say.say(f"{stats.candidates:,} candidates ({stats.created:,} new) in {stats.seconds:,.1f} s, "
            f"peak memory {stats.peak_rss_mb:,.0f} MB")
    return stats, rows


