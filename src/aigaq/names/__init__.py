"""Names across scripts: detection, romanisation, structure, keys, similarity.

Pure Python, no Django: usable alone and benchmarked by bench/names_eval.py.

    >>> from aigaq import names
    >>> names.similarity("Нұрлан Серікұлы", "努尔兰·赛力克") >= names.MATCH_THRESHOLD
    True
    >>> names.similarity("Bolat Maratuly", "Marat Bolatuly") >= names.MATCH_THRESHOLD
    False
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .keys import keys, keys_prepared
from .normalize import normalize, tokenize
from .phonetic import consonant_code, vowel_code
from .script import detect_script
from .similarity import (
    MATCH_THRESHOLD,
    Prepared,
    part_similarity,
    prepare,
    similarity,
    similarity_prepared,
)
from .structure import ParsedName, Token, parse, romanize


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A fingerprint of this package's code: stored search keys made by another version may be stale.

    Any change to a file of the package changes it (a comment too: a needless reindex is cheap,
    a missed one makes search miss names).
    """
    return source_fingerprint(Path(__file__).parent)


def source_fingerprint(folder: Path) -> str:
    """16 hex digits of SHA-256 over a folder's .py files, names and contents, in name order."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def skeleton(name: str) -> str:
    """Consonant skeleton of each part of a name, given first: 'Нұрлан Серікұлы' -> 'nrn srk'."""
    p = parse(name)
    return " ".join(consonant_code(x) for x in (p.given, *p.family) if x)


__all__ = [
    "MATCH_THRESHOLD",
    "ParsedName",
    "Prepared",
    "Token",
    "consonant_code",
    "detect_script",
    "engine_version",
    "keys",
    "keys_prepared",
    "normalize",
    "parse",
    "part_similarity",
    "prepare",
    "romanize",
    "similarity",
    "similarity_prepared",
    "skeleton",
    "tokenize",
    "vowel_code",
]
