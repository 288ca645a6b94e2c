"""Name search over persons: indexed keys find candidates, the names engine ranks them.

Two kinds of keys live in NameKey: `t:<token>` for every normalised and romanised token of a
name (prefix search as the user types), and `k:<key>` for the names engine's cross-script
blocking keys (so 努尔兰·赛力克 finds Нұрлан Серікұлы). Ranking uses aigaq.names.similarity.

Built for a million persons on SQLite (p95 under 50 ms, see bench/search_bench.py): every
lookup is a range or IN scan of the (key, person) index with a LIMIT, candidates are gathered
in tiers (the selective `k:f:` keys first, then typed prefixes, then given-name keys) and only
the name forms that matched a key are ranked, at most SCORE_CAP of them. Merged persons are
never returned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from aigaq import names as names_engine
from aigaq.registry.models import NameKey, Person, PersonName

# How many NameKey rows one index scan may return (each a cheap covering-index read).
SCAN_CAP = 20_000
# How many name forms are ranked by the names engine (the costly part: ~50 µs a form).
SCORE_CAP = 200
# With filters, candidates are matched against the filtered set before ranking: gather more.
FILTERED_SCAN_CAP = 60_000
MAX_CANDIDATES = SCORE_CAP  # kept for callers of the old name
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOP = "\U0010ffff"


def tokens(text: str) -> list[str]:
    norm = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for tok in _SPLIT.split(norm):
        if not tok:
            continue
        if _HAN.search(tok):
            # Chinese is written without spaces: index each character run and its 2-grams too.
            out.append(tok)
            out.extend(tok[i : i + 2] for i in range(len(tok) - 1))
        else:
            out.append(tok)
    return [t[:60] for t in dict.fromkeys(out)]


def name_keys(text: str) -> set[str]:
    keys = {f"t:{t}" for t in tokens(text)}
    roman = names_engine.romanize(text)
    if roman and roman != text:
        keys.update(f"t:{t}" for t in tokens(roman))
    keys.update(f"k:{k}"[:64] for k in names_engine.keys(text))
    return keys


def index_name(name: PersonName) -> None:
    NameKey.objects.filter(name=name).delete()
    NameKey.objects.bulk_create(
        NameKey(person_id=name.person_id, name=name, key=k) for k in sorted(name_keys(name.text))
    )


def _prefix(field: str, prefix: str) -> Q:
    # A range instead of LIKE: SQLite's LIKE is case-insensitive and cannot use the index.
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _TOP})


@dataclass
class Hit:
    person: Person
    name: str
    score: float


def _table() -> str:
    return connection.ops.quote_name(NameKey._meta.db_table)


def _rows_for_keys(keys: list[str], cap: int) -> list[tuple[int, int]]:
    """(person_id, name_id) of names holding one of these exact keys."""
    if not keys:
        return []
    marks = ", ".join(["%s"] * len(keys))
    sql = f"SELECT person_id, name_id FROM {_table()} WHERE key IN ({marks}) LIMIT %s"
    with connection.cursor() as cur:
        cur.execute(sql, [*keys, cap])
        return cur.fetchall()


def _rows_for_prefix(prefix: str, cap: int) -> list[tuple[int, int]]:
    sql = f"SELECT person_id, name_id FROM {_table()} WHERE key >= %s AND key < %s LIMIT %s"
    with connection.cursor() as cur:
        cur.execute(sql, [prefix, prefix + _TOP, cap])
        return cur.fetchall()


def _prefix_rows(query: str, cap: int) -> list[tuple[int, int]]:
    """Names whose tokens start with every typed token (original script, or romanised)."""
    out: list[tuple[int, int]] = []
    roman = names_engine.romanize(query)
    variants = [tokens(query)]
    if roman and roman != query:
        variants.append(tokens(roman))
    for toks in variants:
        toks = [t for t in toks if len(t) >= 2 or _HAN.search(t)]
        if not toks:
            continue
        toks = sorted(toks, key=len, reverse=True)[:3]
        rows = _rows_for_prefix(f"t:{toks[0]}", cap)
        for t in toks[1:]:
            # Same name form must hold every token: intersect on the name, not the person.
            names_ok = {nid for _, nid in _rows_for_prefix(f"t:{t}", cap)}
            rows = [r for r in rows if r[1] in names_ok]
            if not rows:
                break
        out.extend(rows)
    return out


def _candidate_names(query: str, allowed_ids: set[int] | None, scan_cap: int) -> dict[int, int]:
    """name_id -> person_id, best tiers first, at most SCORE_CAP names."""
    qkeys = names_engine.keys(query)
    fkeys = [f"k:{k}"[:64] for k in qkeys if k.startswith("f:")]
    gkeys = [f"k:{k}"[:64] for k in qkeys if not k.startswith("f:")]
    picked: dict[int, int] = {}
    # A tier is only read if the ones before it left room: most queries stop after one or two.
    tiers = (
        lambda: _rows_for_keys(fkeys, scan_cap),
        lambda: _prefix_rows(query, scan_cap),
        lambda: _rows_for_keys(gkeys, scan_cap),
    )
    for tier in tiers:
        for pid, nid in tier():
            if allowed_ids is not None and pid not in allowed_ids:
                continue
            picked.setdefault(nid, pid)
            if len(picked) >= SCORE_CAP:
                return picked
    return picked


def _allowed_ids(query: str, allowed: QuerySet) -> set[int]:
    """The filtered persons among everyone the query's keys reach (never the whole filtered set)."""
    reach: set[int] = set()
    qkeys = [f"k:{k}"[:64] for k in names_engine.keys(query)]
    reach.update(pid for pid, _ in _rows_for_keys(qkeys, FILTERED_SCAN_CAP))
    reach.update(pid for pid, _ in _prefix_rows(query, FILTERED_SCAN_CAP))
    out: set[int] = set()
    ids = sorted(reach)
    for i in range(0, len(ids), 900):
        out.update(allowed.filter(pk__in=ids[i : i + 900]).values_list("pk", flat=True))
    return out


def _prefixes(qtoks: list[str], ntoks: list[str]) -> bool:
    return bool(qtoks) and all(any(n.startswith(t) for n in ntoks) for t in qtoks)


def _score(qp, text: str, qtoks: list[str], qroman: list[str]) -> float:
    score = names_engine.similarity_prepared(qp, names_engine.prepare(text))
    if score < 1.0 and _prefixes(qtoks, tokens(text)) or _prefixes(qroman, tokens(names_engine.romanize(text))):
        score = max(score, 0.5 + 0.5 * score)  # typed prefix of this very form
    return score


def search_persons(query: str, allowed: QuerySet | None = None, limit: int = 50) -> list[Hit]:
    """Best matches first, each with the name form that matched. Merged persons are left out."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    allowed_ids = _allowed_ids(query, allowed) if allowed is not None else None
    if allowed_ids is not None and not allowed_ids:
        return []
    picked = _candidate_names(query, allowed_ids, SCAN_CAP)
    if not picked:
        return []
    texts = dict(PersonName.objects.filter(pk__in=list(picked)).values_list("pk", "text"))
    qp = names_engine.prepare(query)
    qtoks, qroman = tokens(query), tokens(names_engine.romanize(query) or query)
    by_text: dict[str, float] = {}
    best: dict[int, tuple[float, str]] = {}
    for nid, pid in picked.items():
        text = texts.get(nid)
        if text is None:
            continue
        if text not in by_text:  # names repeat: rank each form once
            by_text[text] = _score(qp, text, qtoks, qroman)
        score = by_text[text]
        if pid not in best or score > best[pid][0]:
            best[pid] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    hits: list[Hit] = []
    # Merged persons are dropped here, a page at a time (a handful are merged, rarely many).
    live = Person.objects.filter(merged_into__isnull=True).defer("internal_notes")
    for start in range(0, len(ranked), limit + 10):
        page = ranked[start : start + limit + 10]
        persons = live.in_bulk([pid for pid, _ in page])
        hits.extend(Hit(persons[pid], text, round(score, 4)) for pid, (score, text) in page if pid in persons)
        if len(hits) >= limit:
            break
    return hits[:limit]
