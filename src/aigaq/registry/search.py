"""Name search over persons: indexed keys find candidates, the names engine ranks them.

Two kinds of keys live in NameKey: `t:<token>` for every normalised and romanised token of a
name (prefix search as the user types), and `k:<key>` for the names engine's cross-script
blocking keys (so 努尔兰·赛力克 finds Нұрлан Серікұлы). Ranking uses aigaq.names.similarity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from aigaq import names as names_engine
from aigaq.registry.models import NameKey, Person, PersonName

MAX_CANDIDATES = 3000
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


@dataclass
class Hit:
    person: Person
    name: str
    score: float


def _candidate_ids(query: str, allowed: QuerySet | None) -> list[int]:
    qtokens = tokens(query)
    roman = names_engine.romanize(query)
    ids: set[int] = set()
    # 1. Every query token as a prefix of some indexed token (all tokens must match).
    for toks in (qtokens, tokens(roman) if roman and roman != query else []):
        if not toks:
            continue
        found: set[int] | None = None
        for t in sorted(toks, key=len, reverse=True)[:4]:
            q = NameKey.objects.filter(_prefix("key", f"t:{t}"))
            if allowed is not None:
                q = q.filter(person__in=allowed)
            got = set(q.values_list("person_id", flat=True)[:MAX_CANDIDATES * 4])
            found = got if found is None else found & got
            if not found:
                break
        ids |= found or set()
    # 2. Cross-script blocking keys from the names engine.
    bkeys = [f"k:{k}"[:64] for k in names_engine.keys(query)]
    if bkeys:
        q = NameKey.objects.filter(key__in=bkeys)
        if allowed is not None:
            q = q.filter(person__in=allowed)
        ids |= set(q.values_list("person_id", flat=True)[:MAX_CANDIDATES * 4])
    return list(ids)[: MAX_CANDIDATES * 4]


def search_persons(query: str, allowed: QuerySet | None = None, limit: int = 50) -> list[Hit]:
    """Best matches first, each with the name form that matched."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    ids = _candidate_ids(query, allowed)
    if not ids:
        return []
    best: dict[int, tuple[float, str]] = {}
    rows = PersonName.objects.filter(person_id__in=ids).values_list("person_id", "text")
    qtoks = tokens(query)
    for pid, text in rows.iterator(chunk_size=2000):
        score = names_engine.similarity(query, text)
        ntoks = tokens(text)
        if qtoks and all(any(n.startswith(t) for n in ntoks) for t in qtoks):
            score = max(score, 0.5 + 0.5 * score)  # typed prefix of this very form
        if pid not in best or score > best[pid][0]:
            best[pid] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    persons = Person.objects.in_bulk([pid for pid, _ in ranked])
    return [Hit(persons[pid], text, round(score, 4)) for pid, (score, text) in ranked if pid in persons]
