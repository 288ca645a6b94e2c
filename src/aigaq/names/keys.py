"""Blocking keys: short strings that variants of one name share.

Stored in a table ``(key, person_id)`` and looked up with ``key IN (...)``.
Each key is built from consonant codes (see ``phonetic``), cut short so that
the spelling differences left after folding (Chinese inserted or lost
consonants, typos near the end) still share a key:

* ``g:`` + the first 4 letters of the given name's code: finds a name whose
  father's name is missing on one side. Hits everyone with a similar given
  name (for the commonest Kazakh names, about 1% of persons).
* ``f:`` + the first 3 letters of the given name's code + the first 2 of a
  family part's code: the selective key, one per family part (father,
  surname).
* ``c:`` + the given name's first letter + the first 3 letters of a family part
  (father, surname): for forms whose given name changes inside (Chinese drops or
  turns its consonants). Coarser than ``f:``: search reads it after ``f:`` and the
  typed prefixes.
* when order is unknown ("Bolat Marat"), the same keys for the reversed
  reading; Chinese written without the dot gets keys for every split point,
  and a Han name (陈全国) those of its pinyin in both orders and ``h:`` + its
  surname and given name (han.py), shared by pinyin and Wade-Giles forms.
"""

from __future__ import annotations

from .similarity import Prepared, _part, prepare

GIVEN_LEN = 4
PAIR_GIVEN_LEN = 3
PAIR_FAMILY_LEN = 2
COARSE_FAMILY_LEN = 3


def _pair(given: str, family: str) -> str:
    return "f:" + given[:PAIR_GIVEN_LEN] + "." + family[:PAIR_FAMILY_LEN]


def keys_prepared(p: Prepared) -> list[str]:
    """keys() of a prepared name."""
    g = p.given.c
    if not g:
        return []
    # Second readings whose code differs (Eysa as-, Isa is-; Ismail ismr, 司马义 sm) give the same
    # keys once more with the reading in place of the part, so that the pair is compared at all;
    # a reading of the given name is paired with the family parts as written, and a reading of a
    # family part with the given name as written.
    givens = (g, *p.given.keyc)
    out = {"g:" + x[:GIVEN_LEN] for x in givens}
    out.update(_pair(x, f.c) for x in givens for f in p.family)
    out.update(_pair(g, fk) for f in p.family for fk in f.keyc)
    if not p.order_known and p.family:
        # the reversed reading: the first family part (and its readings) as the given name
        first = p.family[0]
        for x in (first.c, *first.keyc):
            out.add("g:" + x[:GIVEN_LEN])
            out.add(_pair(x, g))
        out.update(_pair(first.c, gk) for gk in p.given.keyc)
    for f in p.family[:2]:
        # c: the first letter of the given name and three of the father's name or surname, for forms
        # whose given name changes inside (Chinese drops or turns its consonants: 米日古丽 Mihrigul,
        # 达丽加 Dariga, 沙夫卡特 Shavkat). Coarser than f:, read after it.
        if len(f.c) >= COARSE_FAMILY_LEN:
            out.add("c:" + g[0] + "." + f.c[:COARSE_FAMILY_LEN])
    for j in p.joined:
        # two family words that another form writes as one (يانغ فا مينغ / Yang Faming): the key of
        # the joined word, new only where the first word's code is shorter than the key's part
        out.add(_pair(g, j.c))
    if p.unsplit:
        # 努尔兰赛力克: try every split of the whole reading into given + father
        tok = p.parsed.tokens[0]
        text = tok.text
        from .chinese import read_chinese

        for i in range(2, len(text) - 1):
            gi = _part(read_chinese(text[:i])[0]).c
            fi = _part(read_chinese(text[i:])[0]).c
            if gi and fi:
                out.add(_pair(gi, fi))
                out.add("g:" + gi[:GIVEN_LEN])
    if p.hanp:
        # a Han name: its surname and given name, romanisation folded (Ma Chung-ying, 马仲英)
        out.add("h:" + p.hanp[0] + "." + p.hanp[1])
    for h in (*p.han, *p.kunya):
        # 陈全国 read as a Han name: the keys of Chen Quanguo and Quanguo Chen; a classical Arabic name
        # read with its kunya as the given name (Abu Rayhan al-Biruni)
        out.update(keys_prepared(h))
    return sorted(out)


def keys(name: str) -> list[str]:
    """A few short blocking keys for a name; variants of one name share at least one."""
    return keys_prepared(prepare(name))
