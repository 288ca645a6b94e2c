"""Imported persons who may already be recorded: found with the names engine, proposed for review.

Candidates come from the names engine's selective `f:` keys (given name + father's name or
surname, across scripts) in the NameKey index, restricted to persons that existed before the
import; each pair whose best name similarity reaches names.MATCH_THRESHOLD is scored with the
linkage app's scorer and stored as an open linkage.MatchCandidate, so it appears in the same
review queue as `aigaq dedup` finds. The imported person is kept: a reviewer merges or rejects.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.utils import timezone

from aigaq import names as names_engine
from aigaq.core.bulk import BulkInsert
from aigaq.registry.models import NameKey, Person, PersonName
from aigaq.registry.search import name_keys

KEY_CAP = 200  # persons per key: a commoner key says little (linkage.dedup skips such blocks too)
PER_PERSON = 5  # proposals kept per imported person, best first


_KEYS: dict[str, tuple[str, ...]] = {}
KEYS_MAX = 300_000


def _compute(text: str) -> tuple[str, ...]:
    return tuple(sorted(name_keys(text)))


def cached_keys(text: str) -> tuple[str, ...]:
    """registry.search.name_keys, once per name form: names repeat a great deal in real files."""
    found = _KEYS.get(text)
    if found is None:
        if len(_KEYS) >= KEYS_MAX:
            _KEYS.clear()
        found = _KEYS[text] = _compute(text)
    return found


SEP = "\x1f"  # joins a form's keys for the trip between processes (one string pickles faster)


def packed_keys(text: str) -> str:
    return SEP.join(cached_keys(text))


def remember(packed: dict[str, str]) -> None:
    """Keys computed elsewhere (the import's checking process, packed_keys), as cached_keys gives them."""
    if len(_KEYS) + len(packed) > KEYS_MAX:
        _KEYS.clear()
    for text, keys in packed.items():
        _KEYS[text] = tuple(keys.split(SEP)) if keys else ()


def _django_query(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


class OwnConnection:
    """Read queries on a database connection of its own, for a forked process (which must never
    use the connection it inherited). It sees only committed rows: the persons recorded before
    the import, not the rows the importing transaction is writing."""

    def __init__(self):
        self.raw = None

    def __call__(self, sql: str, params: list) -> list[tuple]:
        if self.raw is None:
            self.raw = connection.get_new_connection(connection.get_connection_params())
        cur = self.raw.cursor()
        try:
            cur.execute(sql.replace("%s", "?") if connection.vendor == "sqlite" else sql, params)
            return cur.fetchall()
        finally:
            cur.close()

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()
            self.raw = None


def reads_committed_only() -> bool:
    """Whether another connection sees every person this one sees: a file database (not the
    test runner's in-memory one) and no transaction open (whose rows others cannot see)."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()
    return True


class Finder:
    def __init__(self, watermark: int, query=None):
        self.watermark = watermark  # persons with a higher id are this import's own
        self.query = query or _django_query
        qn = connection.ops.quote_name
        self.keys_table = qn(NameKey._meta.db_table)
        self.names_table = qn(PersonName._meta.db_table)
        self.persons_table = qn(Person._meta.db_table)

    def _in(self, sql: str, values, extra: tuple = ()) -> list[tuple]:
        """sql with one IN (…) list, in parts of 500 values."""
        values = sorted(values)
        out: list[tuple] = []
        for i in range(0, len(values), 500):
            part = values[i : i + 500]
            out.extend(self.query(sql.replace("(IN)", "(" + ", ".join(["%s"] * len(part)) + ")"),
                                  [*part, *extra]))
        return out

    def _existing(self, keys: set[str]) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        rows = self._in(f"SELECT key, person_id, name_id FROM {self.keys_table} WHERE key IN (IN) "
                        "AND person_id <= %s", keys, (self.watermark,))
        for key, pid, nid in rows:
            found.setdefault(key, []).append((pid, nid))
        return {k: v for k, v in found.items() if len({p for p, _ in v}) <= KEY_CAP}

    def matches(self, rows: list) -> list[dict]:
        """Rows (anything with .row and .names) -> proposals: dicts with row, name, existing,
        existing_name, similarity; "person" (the new person's id) is filled in by the writer."""
        wanted: dict[int, set[str]] = {}
        all_keys: set[str] = set()
        for i, r in enumerate(rows):
            ks = {k for t in r.names for k in cached_keys(t) if k.startswith("k:f:")}
            wanted[i] = ks
            all_keys |= ks
        if not all_keys:
            return []
        existing = self._existing(all_keys)
        name_ids = {nid for v in existing.values() for _, nid in v}
        texts = dict(self._in(f"SELECT id, text FROM {self.names_table} WHERE id IN (IN)", name_ids))
        merged = {r[0] for r in self._in(f"SELECT id FROM {self.persons_table} WHERE id IN (IN) "
                                         "AND merged_into_id IS NOT NULL",
                                         {p for v in existing.values() for p, _ in v})}
        out = []
        for i, r in enumerate(rows):
            cands: dict[int, set[int]] = {}
            for k in wanted[i]:
                for epid, enid in existing.get(k, ()):
                    if epid not in merged:
                        cands.setdefault(epid, set()).add(enid)
            if not cands:
                continue
            prepared = [names_engine.prepare(t) for t in r.names]
            scored = []
            for epid, nids in cands.items():
                best, best_pair = 0.0, ("", "")
                for nid in nids:
                    ep = names_engine.prepare(texts[nid])
                    for t, p in zip(r.names, prepared, strict=True):
                        s = names_engine.similarity_prepared(p, ep)
                        if s > best:
                            best, best_pair = s, (t, texts[nid])
                if best >= names_engine.MATCH_THRESHOLD:
                    scored.append((best, epid, best_pair))
            scored.sort(key=lambda x: (-x[0], x[1]))
            for sim, epid, (t, et) in scored[:PER_PERSON]:
                out.append({"row": r.row, "person": None, "name": t, "existing": epid, "existing_name": et,
                            "similarity": round(sim, 4)})
        return out

    @staticmethod
    def store(found: list[dict], written: list[tuple[int, object]]) -> list[dict]:
        """Give the proposals of written rows their new person ids and open them for review."""
        by_row = {r.row: pid for pid, r in written}
        found = [m for m in found if m["row"] in by_row]
        for m in found:
            m["person"] = by_row[m["row"]]
        if found and apps.is_installed("aigaq.linkage"):
            _store(found)
        return found


def _store(found: list[dict]) -> None:
    """Open linkage candidates, scored by the linkage scorer so the review page shows why."""
    from aigaq.linkage.models import MatchCandidate
    from aigaq.linkage.scoring import Facts, score_pair

    existing_ids = {m["existing"] for m in found}
    # Only what the scorer reads (a whole Person would decrypt its notes).
    facts = {row[0]: row for row in Person.objects.filter(pk__in=existing_ids | {m["person"] for m in found})
             .values_list("pk", "gender", "birth_year_min", "birth_year_max", "home_place_id", "detention_year")}

    def as_facts(row) -> Facts:
        _pk, gender, lo, hi, place, year = row
        birth = (lo or hi, hi or lo) if (lo or hi) else None
        return Facts(gender=gender, birth=birth, place=place, detention_year=year)

    table = BulkInsert(MatchCandidate, timezone.now())
    already = set(MatchCandidate.objects.filter(left_id__in=existing_ids).values_list("left_id", "right_id"))
    new = []
    for m in found:
        a, b = sorted((m["person"], m["existing"]))
        if (a, b) in already:
            continue
        already.add((a, b))
        s = score_pair(m["similarity"], as_facts(facts[a]), as_facts(facts[b]))
        s.add("source", 0.0, f"proposed by aigaq import (row {m['row']})")
        new.append(table.prepare({"left_id": a, "right_id": b, "score": round(s.total, 2),
                                  "name_similarity": m["similarity"], "evidence": s.evidence}))
    table.execute(new)  # what bulk_create writes, without building a model instance per row
