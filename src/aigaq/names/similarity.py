"""How alike two names are, in [0, 1], across scripts.

A name is compared part by part: given name with given name, and the best
pairing of the family parts (father's name, surname, extra words). The two
scores are combined so that a match needs both: siblings share a father
(Серікұлы / Серікқызы) but differ in the given name, namesakes share a given
name but differ in the father's, and father and son (Bolat Maratuly /
Marat Bolatuly) differ in both once order is respected.

``prepare`` does all the per-name work once (romanisation, parsing, codes),
so that ``similarity_prepared`` is a handful of rapidfuzz C calls: a few
microseconds a pair, enough for tens of millions of candidate pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import OSA, Indel

from .chinese import han_reading
from .han import han_name
from .lexicon import lookup as lexicon_lookup
from .phonetic import consonant_code, h_before_consonant, silent_h, vowel_code, weak_onset
from .script import is_chinese
from .structure import ParsedName, parse

# Consonant codes are short and carry identity: a substitution must cost a
# full letter (Levenshtein); so does a typed transposition (Korsah / Korash: optimal string
# alignment, session 8). Vowel codes differ by inserted Chinese carrier vowels: insertions should
# cost less than substitutions (Indel).
_cons_sim = OSA.normalized_similarity
_vow_sim = Indel.normalized_similarity

# Weights and penalties, set on the dev split of bench/data/names (see docs).
ABJAD_FACTOR = 0.95      # a name in Arabic orthography: consonants only, a little less sure
ONSET_FACTOR = 0.75      # ... and one word starts with a vowel, the other not (أرمان Arman / Roman)
W_CONS = 0.4             # consonant code vs vowel code in a part score
GIVEN_ONLY_FACTOR = 0.78  # one side has no father's name: below the threshold, the name alone cannot tell
ALT_MIN = 0.45            # below this, a second reading is not tried
ALT_FACTOR = 0.95        # Hesen / 艾山 (dropped onset), 基 read as ki: a second reading costs a little
SWAP_FACTOR = 0.78       # order unknown on one side and the reversed reading fits: possible, never a match
UNSPLIT_FACTOR = 0.97    # 努尔兰赛力克 written without the dot
GENDER_FACTOR = 0.85     # -ұлы against -қызы, -ов against -ова
MATCH_THRESHOLD = 0.8
LOW_WEIGHT = 0.6         # weight of the weaker of given name and family in a name score
KNOWN_APART = 0.7        # at most this for two different names of the lexicon (Hasan / Husayn)
HAN_FACTOR = 0.95        # a Chinese word read as a Han name (surname + given name) instead of a transcription
HAN_APART = 0.7          # at most this for two Han names with another surname or given name (see han.py)


@dataclass(frozen=True, slots=True)
class Part:
    v: str                        # vowel code
    c: str                        # consonant code
    alts: tuple[Part, ...] = ()   # other readings: without a weak onset, Xinhua reading, é as i ...
    keyc: tuple[str, ...] = ()    # consonant codes of readings that also get blocking keys
    bare: bool = False            # from an abjad (Arabic orthography): short vowels not written
    name: str = ""                # the part read as a known name's Arabic form (lexicon.py) ...
    known: str = ""               # ... and that name (Muhammad for Memet and for Nurmemet)
    loose: bool = False           # Chinese or pinyin: a first vowel may be dropped (斯拉木 Islam)


def _code(roman: str) -> str:
    """The consonant code with p and b as one letter (f is p already): Turkic names alternate them
    (Polat / Bolat, Ubul / Obul), Chinese writes both with 甫 (吾甫力 Obul, 玉素甫 Yusup) and Arabic
    has no p (بولات Bolat / Polat)."""
    return consonant_code(roman).replace("p", "b")


@lru_cache(maxsize=300_000)
def _part(roman: str, other: str | None = None, readings: tuple[str, ...] = (), bare: bool = False,
          loose: bool = False) -> Part:
    """Codes of a part and of its second readings.

    ``other`` is the Xinhua reading of a Chinese word; ``readings`` the word's readings from
    transcription conventions (``structure.second_readings``: é as i, Uzbek o as a, Ismail
    without its final l). Those of them whose consonant code differs (Eysa as-, Isa is-;
    Ismail ismr, 司马义 sm) also give blocking keys, or the pair would never be compared.
    A part that is a form of a known name (Memet, Оспан, 买买提: ``lexicon.lookup``) carries
    that name (``name``, ``known``) and a key for it; a compound's reading is also an ``alt``.
    """
    alts: list[Part] = []
    v, c = vowel_code(roman), _code(roman)
    keyc: list[str] = []
    hit = None if bare else lexicon_lookup(roman)
    name, known = (hit[0], hit[1]) if hit else ("", "")
    if hit and name != v:
        # A whole known name counts only by equality (below, part_similarity): Hasan and Husayn
        # read as their Arabic forms would otherwise come close. A compound's reading is
        # compared like any other, its other half may be spelt differently (Nur / Nour).
        if hit[2]:
            readings = (*readings, name)
        elif _code(name) != c:
            keyc.append(_code(name))
    # A convention reading may itself have lost its onset in Chinese (Ⱨuxur read Hushur, 吾守尔 ushur).
    onsetless = tuple(w for w in map(weak_onset, readings) if w)
    for r in (weak_onset(roman), silent_h(roman), h_before_consonant(roman), other, *readings, *onsetless):
        if r:
            alt = Part(vowel_code(r), _code(r))
            if alt.v != v and alt not in alts:
                alts.append(alt)
    for r in readings:
        rc = _code(r)
        if rc and rc != c and rc not in keyc:
            keyc.append(rc)
    if bare:
        alts = [Part(vowel_code(r), _code(r)) for r in readings]
    return Part(v, c, tuple(alts), tuple(keyc), bare, name, known, loose)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name reduced to what comparison needs. Build with ``prepare``."""

    given: Part
    family: tuple[Part, ...]
    whole: Part              # given + first family part, for unsplit Chinese
    gender: str | None
    order_known: bool
    unsplit: bool
    joinable: bool           # given name and the next word may be one compound name (see similarity_prepared)
    parsed: ParsedName
    han: tuple[Prepared, ...] = ()   # a Chinese word read as a Han name, in pinyin, both orders
    hanp: tuple[str, str] | None = None   # codes of a Han name's surname and given name (han.py)
    kunya: tuple[Prepared, ...] = ()      # read with its kunya as the given name (Abu Rayhan al-Biruni)
    joined: tuple[Part, ...] = ()          # two neighbouring family parts read as one word (Fa Ming / Faming)


_EMPTY = Part("", "")


@lru_cache(maxsize=300_000)
def prepare(name: str) -> Prepared:
    """Parse and encode a name once, for repeated comparison."""
    p = parse(name)
    loose = p.pinyin or is_chinese(p.script)
    fam = tuple(_part(f, p.alt(f), p.alts(f), p.abjad, loose) for f in p.family)
    whole = _part(p.given + (p.family[0] if p.family else ""), bare=p.abjad, loose=loose)
    given = _part(p.given, p.alt(p.given), p.alts(p.given), p.abjad, loose) if p.given else _EMPTY
    return Prepared(
        given=given,
        family=fam,
        whole=whole,
        gender=p.gender,
        order_known=p.order_known,
        unsplit=p.unsplit,
        joinable=_joinable(p),
        parsed=p,
        han=_han(p),
        hanp=han_name(tuple(t.text for t in p.tokens if t.kind != "title"), p.script),
        kunya=_kunya(p, given, fam, loose),
        joined=_joined(fam[: len(fam) - p.ntitles]),
    )


def _joined(fam: tuple[Part, ...]) -> tuple[Part, ...]:
    """Neighbouring family parts written as one word: a Chinese given name in Arabic letters, one
    syllable a word (يانغ فا مينغ Yang Faming), or a compound father's name split in two. At least
    three consonants: two short syllables joined say too little (چع شيا, Xiao'erjing Chengxiang)."""
    return tuple(Part(x.v + y.v, x.c + y.c, bare=x.bare or y.bare, loose=x.loose or y.loose)
                 for x, y in pairwise(fam) if len(x.c) + len(y.c) >= 3)


def _kunya(p: ParsedName, given: Part, fam: tuple[Part, ...], loose: bool) -> tuple[Prepared, ...]:
    """Abu Rayhan Muhammad ibn Ahmad al-Biruni is also called by his kunya and nisba alone, Abu
    Rayhan al-Biruni: the name read with the kunya as the given name and every other part as family."""
    if not p.kunya:
        return ()
    rest = (given, *fam[: len(fam) - p.ntitles])
    k = _part(p.kunya, None, p.alts(p.kunya), p.abjad, loose)
    return (Prepared(given=k, family=rest, whole=k, gender=p.gender, order_known=True, unsplit=False,
                     joinable=False, parsed=replace(p, ntitles=0, titled=())),)


def _han(p: ParsedName) -> tuple[Prepared, ...]:
    """陈全国 (one word, a Han surname first) also read as the pinyin Quanguo Chen and Chen Quanguo.

    Both orders: Chinese and pinyin put the surname first, English often last. A Han surname is
    inherited, not the father's given name, so the order says nothing about who is who.
    """
    if not is_chinese(p.script) or len(p.tokens) != 1 or p.father:
        return ()
    hr = han_reading(p.tokens[0].text)
    if not hr:
        return ()
    surname, given = hr
    return (prepare(f"{given} {surname}"), prepare(f"{surname} {given}"))


def _joinable(p: ParsedName) -> bool:
    """Are the first two words both plain words, the second read as the father's name, with more after?

    Arabic-language press and some Uyghur forms write a compound given name as two words (نور سلطان
    نزارباييف Nursultan Nazarbayev, صابر مراد Saparmurat, Muhammad Amin Bughra), where other forms
    write one: such a name may also be read with the two joined.
    """
    t = [x for x in p.tokens if x.kind != "title"]
    return (len(t) >= 3 and t[0].kind is None and t[1].kind is None and p.father == t[1].stem
            and p.given == t[0].stem)


def _codes_similarity(a: Part, b: Part) -> float:
    if a.v == b.v:
        return 1.0
    return W_CONS * _cons_sim(a.c, b.c) + (1.0 - W_CONS) * _vow_sim(a.v, b.v)


def _skeleton(c: str) -> tuple[bool, str]:
    # The consonants alone: an abjad's first letter (ا, ع) says little about the first vowel, only
    # that there is one (so whether the word starts with a vowel is kept apart). Arabic writes p as
    # ب (صابر مراد Saparmurat): every code already has p and b as one letter (_code).
    if c[:1] in "aiu" and len(c) > 1:
        return True, c[1:]
    return False, c


def _bare_similarity(a: Part, b: Part) -> float:
    """One side written without short vowels: the consonants of every reading, at most 0.95.

    A word that starts with a vowel against one that does not scores ONSET_FACTOR less: the
    abjad writes that vowel's alef (أرمان Arman), which رومان Roman has not; not against Chinese
    or pinyin, which drop first vowels (斯拉木 Islam). A reading that only drops a first vowel (a
    weak onset: Arman read rman) is left out for the same reason."""
    best = 0.0
    xs = _skeletons(a)
    both = a.bare and b.bare
    for j, (vy, sy) in enumerate(_skeletons(b)):
        for i, (vx, sx) in enumerate(xs):
            if both and i and j:
                # two abjad forms spell a sound alike: one reading of each side is not paired with
                # another (شاروف Sharof without -of against سيرفير Server with ف as v)
                continue
            s = _cons_sim(sx, sy)
            if vx != vy and not (a.loose or b.loose):
                s *= ONSET_FACTOR
            if s > best:
                best = s
    return best * ABJAD_FACTOR


def _skeletons(p: Part) -> list[tuple[bool, str]]:
    first = _skeleton(p.c)
    out = [first]
    for alt in p.alts:
        sk = _skeleton(alt.c)
        if not (first[0] and not sk[0] and sk[1] == first[1]):
            out.append(sk)
    return out


def part_similarity(a: Part, b: Part) -> float:
    """Similarity of two name parts from their codes."""
    if not a.c or not b.c:
        return 0.0
    if a.bare or b.bare:
        return _bare_similarity(a, b)
    s = _codes_similarity(a, b)
    if a.known and b.known:
        if a.name == b.name:
            return s if s > ALT_FACTOR else ALT_FACTOR   # Memet / Muhammad / 买买提, Оспан / Osman
        if a.known != b.known:
            # Hasan / Husayn, Mahmut / Muhammad, Ehmetjan / Memetjan: two names, however alike,
            # and whatever second reading would bring them closer
            return s if s < KNOWN_APART else KNOWN_APART
    # Second readings only matter for parts that are already close; skipping
    # them for the rest keeps unrelated pairs (most of a dedup run) cheap. A
    # second reading scores at most ALT_FACTOR, so a part at or above it is done.
    if ALT_MIN <= s < ALT_FACTOR and (a.alts or b.alts):
        for x in (a, *a.alts):
            for y in (b, *b.alts):
                if x is a and y is b:
                    continue
                t = _codes_similarity(x, y) * ALT_FACTOR
                if t > s:
                    s = t
                    if t >= ALT_FACTOR:
                        return s
    return s


def _family_similarity(fa: tuple[Part, ...], fb: tuple[Part, ...]) -> float:
    """The family parts paired one to one, as well as they fit.

    One side with a single family part (a father's name, or a surname alone) matches it against
    the other side's best part: Dariga Nazarbayeva / Дариға Нұрсұлтанқызы Назарбаева. Two parts on
    both sides are both read (father with father, surname with surname, or crossed where one
    document's surname is the other's father's name): a shared patronymic with different
    surnames, Рашид Равильович Сафин / Рашид Равильович Ахметов, is two men (cousins,
    namesakes), so the weaker pair pulls the score down as the given name does in `_combine`.
    """
    if len(fa) == 1 or len(fb) == 1:
        best = 0.0
        for x in fa:
            for y in fb:
                s = part_similarity(x, y)
                if s > best:
                    best = s
        return best
    # Two (rarely three) parts each side: the best one-to-one pairing of two of them.
    best = 0.0
    for i, x in enumerate(fa):
        for j, y in enumerate(fb):
            s = part_similarity(x, y)
            if s <= best:
                continue
            for k, x2 in enumerate(fa):
                if k == i:
                    continue
                for m, y2 in enumerate(fb):
                    if m == j:
                        continue
                    t = _combine(s, part_similarity(x2, y2))
                    if t > best:
                        best = t
    return best


def _title_to_title(pa: ParsedName, pb: ParsedName) -> bool:
    """Does the reversed reading pair a title with a title (Сэнгэ хунтайж / Khungtaidschi Sengge)?
    A title is nobody's father's name, so that reversal cannot be a father and his son."""
    if not (pa.titled and pb.titled):
        return False
    return ((pa.given in pa.titled and pb.family[0] in pb.titled)
            or (pa.family[0] in pa.titled and pb.given in pb.titled))


def reversed_reading(a: Prepared, b: Prepared) -> float:
    """The two names read in reversed order (a's given name against b's first family part, and the
    other way round), before SWAP_FACTOR: bench/names_eval.py --headroom asks what it would find."""
    return _combine(part_similarity(a.given, b.family[0]), part_similarity(a.family[0], b.given))


def _combine(g: float, f: float) -> float:
    # Both parts must fit: the weaker one pulls the score down hard. With an equal father's name
    # a given name needs 0.75 to pass the threshold (0.733 with 0.5 / 0.25: sisters Gulshan and
    # Rushan Abbas, given names 0.736, passed). Session 3, best of 0.5-0.7 on the dev split.
    lo = g if g < f else f
    return LOW_WEIGHT * lo + (1.0 - LOW_WEIGHT) / 2 * (g + f)


def similarity_prepared(a: Prepared, b: Prepared) -> float:
    """similarity() on two prepared names."""
    score = _similarity(a, b)
    if a.hanp and b.hanp:
        # Two Han names: the same surname and given name up to romanisation, or two people
        # (Ma Bufang / Ma Buqing, brothers; Ma Zhanao / Ma Jian read alike as Turkic names)
        if a.hanp == b.hanp:
            return score if score > HAN_FACTOR else HAN_FACTOR
        return score if score < HAN_APART else HAN_APART
    if score < MATCH_THRESHOLD and (a.han or b.han):
        # 陈全国 against Chen Quanguo, Quanguo Chen or 陳全國: the Han readings (ordered names, so
        # each is compared as written; the reversed one is the other reading)
        score = max(score, _other_readings(a, b, a.han or (a,), b.han or (b,)) * HAN_FACTOR)
    if score < MATCH_THRESHOLD and (a.kunya or b.kunya):
        # Abu Rayhan al-Biruni against Abu Rayhan Muhammad ibn Ahmad al-Biruni: the kunya readings
        score = max(score, _other_readings(a, b, (a, *a.kunya), (b, *b.kunya)) * ALT_FACTOR)
    return score


def _other_readings(a: Prepared, b: Prepared, xs: tuple[Prepared, ...], ys: tuple[Prepared, ...]) -> float:
    """The best _similarity of a reading of a against a reading of b, a against b itself left out."""
    best = 0.0
    for x in xs:
        for y in ys:
            if x is not a or y is not b:
                t = _similarity(x, y)
                if t > best:
                    best = t
    return best


def _similarity(a: Prepared, b: Prepared) -> float:
    if not a.given.c or not b.given.c:
        return 0.0
    g = part_similarity(a.given, b.given)
    if a.family and b.family:
        fam = _family_similarity(a.family, b.family)
        fa, fb = a.family, b.family
        if (a.parsed.ntitles or b.parsed.ntitles) and fam < 1.0:
            # a title (Hajim, Khoja, 阿吉) may be written on one side, another title or none on
            # the other: the family parts without titles count as well
            fa = a.family[: len(a.family) - a.parsed.ntitles] or a.family
            fb = b.family[: len(b.family) - b.parsed.ntitles] or b.family
            bare = _family_similarity(fa, fb)
            if bare > fam:
                fam = bare
        if fam < MATCH_THRESHOLD:
            # two words of one side against one word of the other (see _joined)
            for xs, ys in ((a.joined, fb), (b.joined, fa)):
                if xs and len(ys) == 1:
                    for x in xs:
                        t = part_similarity(x, ys[0]) * ALT_FACTOR
                        if t > fam:
                            fam = t
        score = _combine(g, fam)
        if not (a.order_known and b.order_known):
            # "Bolat Marat" may be surname-first; never for two names whose
            # order is known (Bolat Maratuly / Marat Bolatuly are two people).
            sw = reversed_reading(a, b) * (1.0 if _title_to_title(a.parsed, b.parsed) else SWAP_FACTOR)
            if sw > score:
                score = sw
        if score < MATCH_THRESHOLD:
            for x, y in ((a, b), (b, a)):
                if x.joinable and len(x.family) > len(y.family):
                    g2 = part_similarity(x.whole, y.given)
                    if g2 >= ALT_MIN:
                        t = _combine(g2, _family_similarity(x.family[1:], y.family)) * ALT_FACTOR
                        if t > score:
                            score = t
    else:
        score = g * GIVEN_ONLY_FACTOR
        if a.unsplit and b.family:
            score = max(score, part_similarity(a.given, b.whole) * UNSPLIT_FACTOR)
        elif b.unsplit and a.family:
            score = max(score, part_similarity(a.whole, b.given) * UNSPLIT_FACTOR)
    if a.gender and b.gender and a.gender != b.gender:
        score *= GENDER_FACTOR
    return score


def similarity(a: str, b: str) -> float:
    """How likely two name strings name the same person, from the names alone, in [0, 1]."""
    return similarity_prepared(prepare(a), prepare(b))
