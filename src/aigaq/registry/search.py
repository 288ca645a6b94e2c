"""Name search over persons: indexed keys find candidates, the names engine ranks them.

Two kinds of keys live in NameKey: `t:<token>` for every normalised and romanised token of a
name (prefix search as the user types), and `k:<key>` for the names engine's cross-script
blocking keys (so 努尔兰·赛力克 finds Нұрлан Серікұлы). Ranking uses aigaq.names.similarity.

Built for a million persons on SQLite (p95 under 50 ms, see bench/search_bench.py): every
lookup reads only the (key, person) index (a covering index scan, never the table) with a LIMIT;
candidate persons are gathered in tiers (the selective `k:f:` keys first, then typed prefixes,
the coarse `k:c:` keys, then given-name keys) until there are enough, then their name forms are
read by person and ranked, at most SCORE_CAP of them. Merged persons are never returned. Keys are computed when a
name is saved: after a names-engine upgrade run `aigaq reindex-names` (aigaq.linkage.rekey).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet

from aigaq import names as names_engine
from aigaq.registry.models import NameKey, Person, PersonName

# How many NameKey rows one index scan may return. Scans read only the (key, person) index
# (SQLite: "USING COVERING INDEX"), a few µs a row; reading name_id too would cost a table
# lookup per row (ten times slower), so candidates are persons and their names are read after.
SCAN_CAP = 3_000
# Persons ranked by the names engine (each has 2-3 name forms, ~50 µs a form).
PERSON_CAP = 60
# Ranked name forms at most, whatever the limit asked for.
SCORE_CAP = 600
# With filters, the persons the query reaches are matched against the filtered set: reach further.
FILTERED_SCAN_CAP = 30_000
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


# The Person columns a hit carries: what every caller shows (API and CLI summaries, the staff list,
# intake matches, the similar-names box). Building a full Person costs twice as much per hit, and a
# search returns up to 210 of them; any other field still loads, with one query per person.
HIT_FIELDS = ("id", "uid", "display_name", "gender", "birth_year_min", "birth_year_max", "ethnicity",
              "status", "detention_year", "publication", "merged_into")


@dataclass
class Hit:
    person: Person | None  # only HIT_FIELDS loaded; None until load_persons() with load=False
    name: str
    score: float
    person_id: int = 0


def load_persons(hits: list[Hit]) -> list[Hit]:
    """Fill in `person` (HIT_FIELDS) for hits returned with load=False: one query for a page."""
    want = [h.person_id for h in hits if h.person is None]
    if want:
        persons = Person.objects.only(*HIT_FIELDS).in_bulk(want)
        for h in hits:
            if h.person is None:
                h.person = persons.get(h.person_id)
    return hits


def _table() -> str:
    return connection.ops.quote_name(NameKey._meta.db_table)


def _persons_for_keys(keys: list[str], cap: int) -> list[int]:
    """Persons holding one of these exact keys (index order), read from the covering index."""
    if not keys:
        return []
    marks = ", ".join(["%s"] * len(keys))
    sql = f"SELECT person_id FROM {_table()} WHERE key IN ({marks}) LIMIT %s"
    with connection.cursor() as cur:
        cur.execute(sql, [*keys, cap])
        return [r[0] for r in cur.fetchall()]


def _persons_for_prefix(prefix: str, cap: int) -> list[int]:
    """Persons holding a key that starts with `prefix`: exact keys come first (key order)."""
    sql = f"SELECT person_id FROM {_table()} WHERE key >= %s AND key < %s LIMIT %s"
    with connection.cursor() as cur:
        cur.execute(sql, [prefix, prefix + _TOP, cap])
        return [r[0] for r in cur.fetchall()]


def _prefix_persons(query: str, cap: int, lean: int) -> list[int]:
    """Persons with a name whose tokens start with every typed token (original script or romanised).
    A single token needs only `lean` rows; several are intersected on up to `cap` rows each."""
    out: list[int] = []
    roman = names_engine.romanize(query)
    variants = [tokens(query)]
    if roman and tokens(roman) != variants[0]:
        variants.append(tokens(roman))
    for toks in variants:
        toks = [t for t in toks if len(t) >= 2 or _HAN.search(t)]
        if not toks:
            continue
        # The longest token is the most selective: it drives, the others filter.
        toks = sorted(toks, key=len, reverse=True)[:3]
        found = list(dict.fromkeys(_persons_for_prefix(f"t:{toks[0]}", cap if len(toks) > 1 else lean)))
        for t in toks[1:]:
            if not found:
                break
            held = set(_persons_for_prefix(f"t:{t}", cap))
            found = [p for p in found if p in held]
        out.extend(found)
    return out


def _tiers(query: str, cap: int, lean: int):
    """Candidate persons, best tiers first: cross-script `k:f:` keys (given + father's name; a
    range, so a partly typed father's name matches too), typed prefixes, the coarse `k:c:` keys
    (a given name's first letter + father's name), then given-name keys."""
    qkeys = names_engine.keys(query)
    fkeys = [f"k:{k}"[:64] for k in qkeys if k.startswith("f:")]
    ckeys = [f"k:{k}"[:64] for k in qkeys if k.startswith("c:")]
    gkeys = [f"k:{k}"[:64] for k in qkeys if not k.startswith(("f:", "c:"))]
    for key in fkeys:
        yield lambda key=key: _persons_for_prefix(key, lean)
    yield lambda: _prefix_persons(query, cap, lean)
    yield lambda: _persons_for_keys(ckeys, lean)
    yield lambda: _persons_for_keys(gkeys, lean)


def _any_token_persons(query: str, lean: int) -> list[int]:
    """Read only when the tiers found no one: persons with any one typed word (longest first),
    so that a typo in one word of three (Максатова Сауле Максатонва) still finds the person by
    the other two instead of nothing."""
    out: list[int] = []
    toks = [t for t in tokens(query) if len(t) >= 3 and not _HAN.search(t)]
    for t in sorted(toks, key=len, reverse=True)[:3]:
        out.extend(_persons_for_prefix(f"t:{t}", lean))
    return out


def _candidates(query: str, allowed_ids: set[int] | None, want: int, cap: int) -> list[int]:
    """Up to `want` person ids; a tier is only read if the ones before it left room."""
    picked: dict[int, None] = {}
    # Without filters `want` persons are enough: a scan stops after a few times that many rows.
    lean = cap if allowed_ids is not None else want * 4
    for tier in _tiers(query, cap, lean):
        for pid in tier():
            if allowed_ids is not None and pid not in allowed_ids:
                continue
            picked.setdefault(pid)
            if len(picked) >= want:
                return list(picked)
    if not picked:
        for pid in _any_token_persons(query, lean):
            if allowed_ids is None or pid in allowed_ids:
                picked.setdefault(pid)
                if len(picked) >= want:
                    break
    return list(picked)


def _allowed_ids(query: str, allowed: QuerySet) -> set[int]:
    """The filtered persons among everyone the query's keys reach (never the whole filtered set)."""
    reach: set[int] = set()
    for tier in _tiers(query, FILTERED_SCAN_CAP, FILTERED_SCAN_CAP):
        reach.update(tier())
    if not reach:
        reach.update(_any_token_persons(query, FILTERED_SCAN_CAP))
    out: set[int] = set()
    ids = sorted(reach)
    for i in range(0, len(ids), 900):
        out.update(allowed.filter(pk__in=ids[i : i + 900]).values_list("pk", flat=True))
    return out


def _prefixes(qtoks: list[str], ntoks: tuple[str, ...]) -> bool:
    return bool(qtoks) and all(any(n.startswith(t) for n in ntoks) for t in qtoks)


@lru_cache(maxsize=100_000)
def _form_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A stored form's tokens as written and romanised (names repeat across persons and queries)."""
    return tuple(tokens(text)), tuple(tokens(names_engine.romanize(text)))


def _score(qp, text: str, qtoks: list[str], qroman: list[str]) -> float:
    score = names_engine.similarity_prepared(qp, names_engine.prepare(text))
    if score < 1.0:
        written, roman = _form_tokens(text)
        if _prefixes(qtoks, written) or _prefixes(qroman, roman):
            score = max(score, 0.5 + 0.5 * score)  # typed prefix of this very form
    return score


def search_persons(query: str, allowed: QuerySet | None = None, limit: int = 50, load: bool = True) -> list[Hit]:
    """Best matches first, each with the name form that matched. Merged persons are left out.

    With load=False the hits carry only person_id (person None): a paginated page loads the
    persons it shows with load_persons(), instead of building up to 200 Person objects.
    """
    query = (query or "").strip()[:200]
    if not query:
        return []
    allowed_ids = _allowed_ids(query, allowed) if allowed is not None else None
    if allowed_ids is not None and not allowed_ids:
        return []
    # Ranked: the persons asked for and ten more (merged persons are dropped after ranking). Twenty
    # more cost a 1M-person API search 4 ms at p95 and ranked no better (bench/search_bench.py).
    want = max(PERSON_CAP, min(limit + 10, SCORE_CAP // 3))
    picked = _candidates(query, allowed_ids, want, SCAN_CAP)
    if not picked:
        return []
    forms: list[tuple[int, str]] = []
    for i in range(0, len(picked), 900):
        forms.extend(PersonName.objects.filter(person_id__in=picked[i : i + 900]).values_list("person_id", "text"))
    qp = names_engine.prepare(query)
    qtoks, qroman = tokens(query), tokens(names_engine.romanize(query) or query)
    by_text: dict[str, float] = {}
    best: dict[int, tuple[float, str]] = {}
    for pid, text in forms[: SCORE_CAP * 2]:
        if text not in by_text:  # names repeat: rank each form once
            by_text[text] = _score(qp, text, qtoks, qroman)
        score = by_text[text]
        if pid not in best or score > best[pid][0]:
            best[pid] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    hits: list[Hit] = []
    # Merged persons are dropped here, a page at a time (a handful are merged, rarely many).
    # By primary key only, merged ones dropped here: a merged_into filter in SQL lets a planner
    # without statistics walk the merged_into index (every row NULL) instead of the key.
    for start in range(0, len(ranked), limit + 10):
        page = ranked[start : start + limit + 10]
        ids = [pid for pid, _ in page]
        if load:
            persons = Person.objects.only(*HIT_FIELDS).in_bulk(ids)
            live = {pid for pid, p in persons.items() if p.merged_into_id is None}
        else:
            persons = {}
            rows = Person.objects.filter(pk__in=ids).order_by().values_list("pk", "merged_into_id")
            live = {pk for pk, merged in rows if merged is None}
        hits.extend(Hit(persons.get(pid), text, round(score, 4), pid) for pid, (score, text) in page if pid in live)
        if len(hits) >= limit:
            break
    return hits[:limit]
