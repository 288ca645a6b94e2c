"""Bring stored search keys up to date with the names engine (`aigaq reindex-names`).

NameKey rows are computed when a name is saved. When the names engine's keys or romanisation
change (a new reading, a phonetic class merged), names saved before keep their old keys: search
and dedup then miss them. This walks every name in id order, recomputes its keys once per
distinct text, and writes only the difference, a chunk per transaction.

The data folder's ``names-engine.txt`` records which names engine (``names.engine_version()``)
the stored keys come from: written by a completed reindex and by ``aigaq init`` on an empty
registry. ``keys_state()`` compares it with the running engine; `aigaq check --deploy` and
`aigaq serve` warn when they differ.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import connection, transaction

STAMP = "names-engine.txt"


def stamp_path() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / STAMP


def write_stamp() -> None:
    """Record that every stored key comes from the running names engine (atomic replace)."""
    from aigaq.names import engine_version

    path = stamp_path()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(engine_version() + "\n", encoding="utf-8")
    os.replace(tmp, path)


def keys_state() -> str | None:
    """None if the stored keys fit the running engine (or there are no names), else why not."""
    from aigaq.names import engine_version
    from aigaq.registry.models import PersonName

    try:
        stamped = stamp_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        stamped = ""
    if stamped == engine_version() or not PersonName.objects.exists():
        return None
    if not stamped:
        return "the stored name search keys predate the record of which names engine made them"
    return f"the stored name search keys come from names engine {stamped}, this is {engine_version()}"


@dataclass
class RekeyStats:
    names: int = 0
    names_changed: int = 0
    keys_added: int = 0
    keys_removed: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def reindex(chunk: int = 20_000, progress: bool = False, stream: TextIO | None = None) -> RekeyStats:
    from aigaq.registry.models import NameKey, PersonName
    from aigaq.registry.search import name_keys

    stats = RekeyStats()
    started = time.monotonic()
    nk, pn = (connection.ops.quote_name(m._meta.db_table) for m in (NameKey, PersonName))
    cache: dict[str, frozenset[str]] = {}
    last = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(f"SELECT id, person_id, text FROM {pn} WHERE id > %s ORDER BY id LIMIT %s", [last, chunk])
            names = cur.fetchall()
            if not names:
                break
            lo, last = names[0][0], names[-1][0]
            cur.execute(f"SELECT name_id, id, key FROM {nk} WHERE name_id BETWEEN %s AND %s", [lo, last])
            have: dict[int, dict[str, list[int]]] = {}
            for nid, kid, key in cur.fetchall():
                have.setdefault(nid, {}).setdefault(key, []).append(kid)
        drop: list[int] = []
        add: list[NameKey] = []
        for nid, pid, text in names:
            want = cache.get(text)
            if want is None:
                if len(cache) > 500_000:
                    cache.clear()
                want = cache[text] = frozenset(name_keys(text))
            old = have.get(nid, {})
            # Keys no longer produced, and any second copy of one that is.
            gone = [kid for key, kids in old.items() for kid in (kids if key not in want else kids[1:])]
            new = [key for key in want if key not in old]
            if gone or new:
                stats.names_changed += 1
                drop.extend(gone)
                add.extend(NameKey(person_id=pid, name_id=nid, key=k) for k in sorted(new))
        with transaction.atomic(), connection.cursor() as cur:
            # Plain SQL: a NameKey has no dependants, and the ORM's delete collector is slow here.
            for i in range(0, len(drop), 900):
                part = drop[i : i + 900]
                cur.execute(f"DELETE FROM {nk} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
            NameKey.objects.bulk_create(add, batch_size=2000)
        stats.names += len(names)
        stats.keys_added += len(add)
        stats.keys_removed += len(drop)
        if progress:
            (stream or sys.stderr).write(f"reindex-names: {stats.names:,} names, {stats.names_changed:,} changed "
                                         f"[{time.monotonic() - started:,.0f} s]\n")
    stats.seconds = round(time.monotonic() - started, 1)
    write_stamp()
    return stats
