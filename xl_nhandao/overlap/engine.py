"""The matching engine: which rows of two sides are the same person (SPEC §2, §5.4).

It works on columns (numpy arrays), never on a Python loop over pairs, because a
national run compares 500,000 campaign addresses with 1.3 million list rows:

1. **Keys**, once per distinct value: canonical name keys (:mod:`.names`), a village
   key, integer codes for CCCD, commune and birth year.
2. **Blocks**: the same valid CCCD; the same commune with birth years within one (every
   pair there is compared, so any typo or variant is seen); the same folded name with
   birth years within one in *another* commune, or where a side does not give the
   commune (rare names only: a common name there is everyone's namesake); the same
   commune and folded name when a birth year is missing. Blocks are ranges of a sorted
   key found with ``searchsorted`` and expanded with ``repeat``.
3. **Comparison** on the candidate pairs: name agreement (same, same without
   diacritics, only diacritics differ, one letter apart — rapidfuzz's optimal string
   alignment distance on the folded keys, over all pairs at once), birth year, village,
   gender; a differing CCCD on both sides, or a differing gender, vetoes a pair.
4. **Score**: the posterior probability that the pair is one person, from likelihood
   ratios (Fellegi–Sunter) with the prior set by the block's size and the name's weight
   by its frequency (a common name weighs less: Nguyễn is ~38% of people).
5. **Level**: ``match`` for a shared valid CCCD, or a confident pair (name the same, or
   the same where one side has no diacritics; same commune and birth year; no village
   that differs; score ≥ 0.9) that nothing else looks like — when another row on one
   side is within a factor of 10 of the pair's odds, no field tells them apart and every
   such pair is ``possible``. Everything else kept is ``possible``.

Why numpy and rapidfuzz rather than a database engine: the blocks above are sorted
ranges, which numpy expands at memory speed, and the only string comparison needed is
one edit distance per candidate, which ``rapidfuzz.process.cpdist`` computes on all
pairs in C++ on every core; a general engine (DuckDB, splink) spends its time and
memory materialising joins we never need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..vn.text import fold
from .model import People, Reason
from .names import name_keys

# reason flags, one bit each
CCCD, CCCD_PADDED, HASH_CCCD, HASH_NAME = 1, 2, 4, 8
NAME_SAME, NAME_FOLDED, NAME_ACCENT, NAME_TYPO = 16, 32, 64, 128
VARIANT, MIDDLE = 256, 512
YEAR_SAME, YEAR_OFF, YEAR_MISSING = 1024, 2048, 4096
COMMUNE_SAME, COMMUNE_OTHER, COMMUNE_MISSING = 8192, 16384, 32768
THON_SAME, THON_OTHER = 65536, 131072
AMBIGUOUS, COMMON = 262144, 524288

MATCH, POSSIBLE = 0, 1
BASIS_CCCD, BASIS_FUZZY, BASIS_HASH = 0, 1, 2
BASIS_NAMES = ("cccd", "fuzzy", "hash")

#: A pair is "match" from this score on (with the other conditions of the module doc).
MATCH_SCORE = 0.9
#: Pairs scoring below this are not shown.
MIN_SCORE = 0.02
#: Across communes, a name is compared only when at most this many rows of the other
#: side bear it (birth year within one): a rarer name is worth a look, a common one is not.
RARE_ACROSS = 3
#: ... and when the list does not give the commune at all.
RARE_NO_COMMUNE = 20
#: A name borne by at least this many rows is called common in the reasons.
COMMON_COUNT = 50

_YEAR0 = 1850
_NAME_LEVEL_FLAG = (NAME_SAME, NAME_FOLDED, NAME_ACCENT, NAME_TYPO)


@dataclass
class Found:
    """The pairs found, column by column: ``a`` indexes the left side (the campaign),
    ``b`` the right; ``flags`` are the reason bits; ``extra`` a count some reasons show
    (the look-alikes of an ambiguous pair, the bearers of a common name)."""

    a: np.ndarray
    b: np.ndarray
    level: np.ndarray
    score: np.ndarray
    basis: np.ndarray
    flags: np.ndarray
    ambiguous: np.ndarray
    bearers: np.ndarray

    def __len__(self) -> int:
        return len(self.a)


def _empty() -> Found:
    z = np.zeros(0, np.int64)
    return Found(z, z, z.astype(np.int8), z.astype(np.float32), z.astype(np.int8), z.astype(np.int32),
                 z.astype(np.int32), z.astype(np.int32))


# -- keys ------------------------------------------------------------------------------
_THON_PREFIX = re.compile(r"^(?:thon|to dan pho|tdp|to|xom|ap|ban|buon|plei|khu pho|kp|khom|khu|doi|lang|"
                          r"khoi|cum|so)\s+")


def thon_key(text: str) -> str:
    """A village as clerks write it, as one key: ``Thôn 01`` = ``thôn 1`` = ``1``,
    ``Ấp Bình Minh`` = ``binh minh``."""
    s = fold(text)
    for _ in range(2):  # "tổ dân phố số 3"
        s = _THON_PREFIX.sub("", s)
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in s.split())


class _Vocab:
    """Strings → small integers, shared by both sides."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.values: list[str] = []

    def id(self, s: str) -> int:
        i = self.ids.get(s)
        if i is None:
            i = self.ids[s] = len(self.values)
            self.values.append(s)
        return i


@dataclass
class _Side:
    n: int
    cccd: np.ndarray  # int64, -1
    year: np.ndarray  # int32, -1
    commune: np.ndarray  # int32, -1
    gender: np.ndarray  # int8: 0 unknown, 1 Nam, 2 Nữ
    folded: np.ndarray  # int32 vocab id, -1 no name
    full: np.ndarray  # folded with nothing left out (vocab id)
    loose: np.ndarray  # folded leaving out a mistyped middle Thị/Văn (vocab id)
    accented: np.ndarray
    plain: np.ndarray  # bool
    variant: np.ndarray  # bool
    dropped: np.ndarray  # bool
    thon: np.ndarray  # int32, -1
    padded: np.ndarray  # bool: the CCCD was typed with 11 digits
    unit: np.ndarray  # int32 (campaign), -1
    person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # who is who (ambiguity)


def _ints(values: list[object], width: int) -> np.ndarray:
    """Integers (CCCD, year, commune code) as an array, -1 where not given."""
    def one(v: object) -> int:
        if v.__class__ is int:
            return v  # type: ignore[return-value]
        if v.__class__ is str and v.isdigit() and len(v) <= width:  # type: ignore[attr-defined]
            return int(v)  # type: ignore[arg-type]
        return -1

    distinct = set(values)
    if len(distinct) * 4 < len(values):  # years, communes: convert each value once
        table = {v: one(v) for v in distinct}
        return np.fromiter(map(table.__getitem__, values), np.int64, len(values))
    return np.fromiter(map(one, values), np.int64, len(values))


def _side(p: People, vocab_f: _Vocab, vocab_a: _Vocab, vocab_t: _Vocab, units: _Vocab) -> _Side:
    n = len(p)
    try:  # valid CCCDs are 12-digit text: converted by numpy at C speed
        cccd = np.array([c or "-1" for c in p.cccd], dtype="U12").astype(np.int64) if n else np.zeros(0, np.int64)
    except ValueError:
        cccd = _ints(p.cccd, 12)
    year = _ints(p.birth_year, 4).astype(np.int32)
    commune = _ints(p.commune, 6).astype(np.int32)
    gender = np.array([1 if g == "Nam" else 2 if g == "Nữ" else 0 for g in p.gender], np.int8) if n else \
        np.zeros(0, np.int8)
    # names: keys once per distinct name
    distinct: dict[str, tuple[int, int, bool, bool, bool, int, int, int]] = {}
    none = (-1, -1, False, False, False, 0, -1, -1)
    folded = np.full(n, -1, np.int32)
    accented = np.full(n, -1, np.int32)
    plain = np.zeros(n, bool)
    variant = np.zeros(n, bool)
    dropped = np.zeros(n, bool)
    middle = np.zeros(n, np.int8)
    codes = []
    for name in p.name:
        if not name:
            codes.append(None)
            continue
        hit = distinct.get(name)
        if hit is None:
            k = name_keys(name)
            hit = none if k is None else (
                vocab_f.id(k.folded), vocab_a.id(k.accented), k.plain, k.variant is not None, k.dropped,
                1 if k.middle == "m" else 2 if k.middle == "f" else 0, vocab_f.id(k.full), vocab_f.id(k.loose))
            distinct[name] = hit
        codes.append(hit)
    if n:
        table = np.array([c if c is not None else none for c in codes], np.int64)
        folded[:] = table[:, 0]
        accented[:] = table[:, 1]
        plain[:] = table[:, 2].astype(bool)
        variant[:] = table[:, 3].astype(bool)
        dropped[:] = table[:, 4].astype(bool)
        middle[:] = table[:, 5]
    full = table[:, 6].astype(np.int32) if n else np.zeros(0, np.int32)
    loose = table[:, 7].astype(np.int32) if n else np.zeros(0, np.int32)
    # gender: as written, else from the CCCD's century-gender digit, else from Thị/Văn
    known = gender == 0
    from_cccd = known & (cccd >= 0)
    g_digit = (cccd // 10**8) % 10
    gender[from_cccd] = np.where(g_digit[from_cccd] % 2 == 0, 1, 2)
    still = (gender == 0) & (middle > 0)
    gender[still] = middle[still]
    thon_ids: dict[str, int] = {}
    for t in set(p.thon):
        if t:
            k = thon_key(t)
            thon_ids[t] = vocab_t.id(k) if k else -1
    thon = np.array([thon_ids.get(t, -1) if t else -1 for t in p.thon], np.int32) if n else np.zeros(0, np.int32)
    padded = np.zeros(n, bool)
    for i in np.flatnonzero(cccd >= 0).tolist():  # typed with 11 digits: the leading zero lost
        t = p.id_text[i]
        if t is not None:
            t = str(t)
            padded[i] = len(t) == 11 if t.isdigit() else len(t) < 20 and sum(ch.isdigit() for ch in t) == 11
    unit = np.array([-1 if u is None else units.id(u) for u in p.unit], np.int32) if n else np.zeros(0, np.int32)
    side = _Side(n, cccd, year, commune, gender, folded, full, loose, accented, plain, variant, dropped, thon,
                 padded, unit)
    side.person = np.arange(n, dtype=np.int64)
    if n and (p.kind == "campaign" or p.has_events):
        # A recipients list names one person on several rows, and two units may register
        # one person: rows alike in every field compared (and no two CCCDs) are one
        # person, not look-alikes. In other lists such rows stay two people.
        side.person = _persons(side)
    return side


def _persons(s: _Side) -> np.ndarray:
    """Rows alike in name, birth year, commune and village are one person, unless the
    group holds two different CCCDs (then each row is its own)."""
    sig = np.stack([s.folded.astype(np.int64), s.year.astype(np.int64), s.commune.astype(np.int64),
                    s.thon.astype(np.int64)], axis=1)
    _, group = np.unique(sig, axis=0, return_inverse=True)
    group = group.ravel().astype(np.int64)
    has = s.cccd >= 0
    pairs = np.unique(np.stack([group[has], s.cccd[has]], axis=1), axis=0)
    distinct = np.bincount(pairs[:, 0], minlength=int(group.max()) + 1) if len(pairs) else \
        np.zeros(int(group.max()) + 1, np.int64)
    return np.where(distinct[group] > 1, group.max() + 1 + np.arange(s.n), group)


# -- blocks ----------------------------------------------------------------------------
def _ranges(left_keys: np.ndarray, right_sorted: np.ndarray, below: int, above: int
            ) -> tuple[np.ndarray, np.ndarray]:
    lo = np.searchsorted(right_sorted, left_keys - below, "left")
    hi = np.searchsorted(right_sorted, left_keys + above, "right")
    return lo, hi


def _expand(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (left row, right row) of the ranges ``order[lo:hi]``."""
    counts = (hi - lo).astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        z = np.zeros(0, np.int64)
        return z, z
    a = np.repeat(rows, counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.arange(total, dtype=np.int64) - starts + np.repeat(lo.astype(np.int64), counts)
    return a, order[pos]


def _block(lk: np.ndarray, lrows: np.ndarray, rk: np.ndarray, rrows: np.ndarray, below: int, above: int,
           most: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs whose right key lies within [left key - below, left key + above]; also the
    size of each left row's block, per pair. ``most``: blocks larger than this are left
    out before any pair is made."""
    order = np.argsort(rk, kind="stable")
    rs = rk[order]
    lo, hi = _ranges(lk, rs, below, above)
    if most is not None:
        small = (hi - lo) <= most
        lrows, lo, hi = lrows[small], lo[small], hi[small]
    a, b = _expand(lrows, lo, hi, rrows[order])
    size = np.repeat((hi - lo).astype(np.int32), (hi - lo))
    return a, b, size


# -- the search ------------------------------------------------------------------------
def find_pairs(campaign: People, other: People, *, inside: bool = False,
               secret: bytes | None = None) -> Found:
    """Pairs of rows of ``campaign`` and ``other`` that may be one person (``inside``:
    ``other`` is the campaign itself; each pair once, rows of different units only).
    A hashed ``other`` is matched on its hashes with ``secret``."""
    if other.kind == "hashed":
        return _hashed(campaign, other, secret)
    vf, va, vt, vu = _Vocab(), _Vocab(), _Vocab(), _Vocab()
    L = _side(campaign, vf, va, vt, vu)
    R = L if inside else _side(other, vf, va, vt, vu)
    if L.n == 0 or R.n == 0:
        return _empty()
    bearers = np.bincount(np.concatenate([L.folded[L.folded >= 0], R.folded[R.folded >= 0]]),
                          minlength=len(vf.values)) if len(vf.values) else np.zeros(0, np.int64)
    total_names = max(int(bearers.sum()), 1)
    parts = [_by_cccd(L, R, inside), _by_commune(L, R, inside, vf, bearers, total_names),
             _across(L, R, inside), _no_year(L, R, inside, bearers, total_names)]
    a = np.concatenate([p[0] for p in parts])
    if len(a) == 0:
        return _empty()
    b = np.concatenate([p[1] for p in parts])
    score = np.concatenate([p[2] for p in parts]).astype(np.float32)
    basis = np.concatenate([p[3] for p in parts]).astype(np.int8)
    flags = np.concatenate([p[4] for p in parts]).astype(np.int32)
    keep = score >= MIN_SCORE
    a, b, score, basis, flags = a[keep], b[keep], score[keep], basis[keep], flags[keep]
    # a pair found by two blocks is kept once (the CCCD one first)
    _, first = np.unique(a * np.int64(R.n + 1) + b, return_index=True)
    first.sort()
    a, b, score, basis, flags = a[first], b[first], score[first], basis[first], flags[first]
    level = np.full(len(a), POSSIBLE, np.int8)
    level[basis == BASIS_CCCD] = MATCH
    # confident: the name the same, the same commune, nothing against it (a village that
    # differs, a birth year off by one)
    confident = ((basis == BASIS_FUZZY) & (score >= MATCH_SCORE) & ((flags & (NAME_SAME | NAME_FOLDED)) != 0)
                 & ((flags & COMMUNE_SAME) != 0) & ((flags & THON_OTHER) == 0)
                 & ((flags & YEAR_SAME) != 0))
    ambiguous = np.zeros(len(a), np.int32)
    if not inside:
        alike = (basis == BASIS_FUZZY) & ((flags & (NAME_SAME | NAME_FOLDED)) != 0) & ((flags & COMMUNE_SAME) != 0)
        ambiguous = _ambiguous(a, L.person[a], b, R.person[b], alike, score)
        flags[(ambiguous > 0) & confident] |= AMBIGUOUS
        confident &= ambiguous == 0
    level[confident] = MATCH
    fb = np.where(L.folded[a] >= 0, bearers[np.maximum(L.folded[a], 0)], 0).astype(np.int32)
    flags[(fb >= COMMON_COUNT) & (basis == BASIS_FUZZY)] |= COMMON
    order = np.lexsort((b, a, -score, level))
    return Found(a[order], b[order], level[order], score[order], basis[order], flags[order], ambiguous[order],
                 fb[order])


#: Two candidates of one row are told apart when one is this many times likelier.
SEPARABLE = 10.0


def _ambiguous(a: np.ndarray, person_a: np.ndarray, b: np.ndarray, person_b: np.ndarray, alike: np.ndarray,
               score: np.ndarray) -> np.ndarray:
    """For each pair (rows ``a`` and ``b``, their persons ``person_a`` and ``person_b``),
    the more of the :func:`_lookalikes` of its two rows, the scores taken as log-odds."""
    p = np.clip(score.astype(np.float64), 1e-9, 1 - 1e-9)
    log_odds = np.log(p) - np.log1p(-p)
    return np.maximum(_lookalikes(a, person_b, alike, log_odds), _lookalikes(b, person_a, alike, log_odds))


def _lookalikes(group: np.ndarray, person: np.ndarray, alike: np.ndarray, log_odds: np.ndarray) -> np.ndarray:
    """For each pair among the ``alike`` ones, how many *other* persons the same row of
    ``group`` pairs with that no field tells apart from this pair's person: candidates
    within a factor :data:`SEPARABLE` of its odds, or any better one (0: the pair is its
    row's one clear best)."""
    out = np.zeros(len(group), np.int32)
    idx = np.flatnonzero(alike)
    if len(idx) == 0:
        return out
    g, p, lo = group[idx], person[idx], log_odds[idx]
    # each person once per row (its best pair), rows' candidates best first
    order = np.lexsort((-lo, p, g))
    g, p, lo, idx = g[order], p[order], lo[order], idx[order]
    first = np.ones(len(g), bool)
    first[1:] = (g[1:] != g[:-1]) | (p[1:] != p[:-1])
    ug, up, ulo = g[first], p[first], lo[first]
    order = np.lexsort((-ulo, ug))
    ug, up, ulo = ug[order], up[order], ulo[order]
    start = np.ones(len(ug), bool)
    start[1:] = ug[1:] != ug[:-1]
    gid = np.cumsum(start) - 1
    best = ulo[start][gid]
    # persons of the row within the factor of the best (the best included)
    near = ulo >= best - np.log(SEPARABLE)
    n_near = np.bincount(gid, weights=near, minlength=gid.max() + 1).astype(np.int32)
    best_person = up[start]
    # map back to every alike pair: the row's best person, alone, is clear (0)
    ng = np.searchsorted(ug[start], g)  # group index of each alike pair
    clear = (p == best_person[ng]) & (n_near[ng] == 1)
    out[idx] = np.where(clear, 0, np.maximum(n_near[ng] - (p == best_person[ng]), 1))
    return out


def _pair_filter(L: _Side, R: _Side, a: np.ndarray, b: np.ndarray, inside: bool) -> np.ndarray:
    keep = np.ones(len(a), bool)
    if inside:
        keep &= (a < b) & (L.unit[a] != R.unit[b])
    # a CCCD on both sides: equal pairs were found by the CCCD, differing ones are vetoed
    keep &= ~((L.cccd[a] >= 0) & (R.cccd[b] >= 0))
    keep &= ~((L.gender[a] > 0) & (R.gender[b] > 0) & (L.gender[a] != R.gender[b]))
    return keep


def _by_cccd(L: _Side, R: _Side, inside: bool) -> tuple[np.ndarray, ...]:
    lrows = np.flatnonzero(L.cccd >= 0)
    rrows = np.flatnonzero(R.cccd >= 0)
    a, b, _ = _block(L.cccd[lrows], lrows, R.cccd[rrows], rrows, 0, 0)
    if inside:
        keep = (a < b) & (L.unit[a] != R.unit[b])
        a, b = a[keep], b[keep]
    flags = np.full(len(a), CCCD, np.int32)
    flags[L.padded[a] | R.padded[b]] |= CCCD_PADDED
    flags |= _name_flags(L, R, a, b)
    flags |= _place_flags(L, R, a, b)
    return a, b, np.ones(len(a), np.float32), np.full(len(a), BASIS_CCCD, np.int8), flags


def _name_flags(L: _Side, R: _Side, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    flags = np.zeros(len(a), np.int32)
    same_f = (L.folded[a] == R.folded[b]) & (L.folded[a] >= 0)
    same_a = same_f & (L.accented[a] == R.accented[b])
    flags[same_a] |= NAME_SAME
    flags[same_f & ~same_a & (L.plain[a] | R.plain[b])] |= NAME_FOLDED
    flags[same_f & ~same_a & ~(L.plain[a] | R.plain[b])] |= NAME_ACCENT
    flags[same_f & (L.variant[a] != R.variant[b])] |= VARIANT
    flags[same_f & (L.dropped[a] != R.dropped[b])] |= MIDDLE
    return flags


def _place_flags(L: _Side, R: _Side, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    flags = np.zeros(len(a), np.int32)
    ly, ry = L.year[a], R.year[b]
    known = (ly >= 0) & (ry >= 0)
    flags[known & (ly == ry)] |= YEAR_SAME
    flags[known & (np.abs(ly - ry) == 1)] |= YEAR_OFF
    flags[~known] |= YEAR_MISSING
    lc, rc = L.commune[a], R.commune[b]
    both = (lc >= 0) & (rc >= 0)
    flags[both & (lc == rc)] |= COMMUNE_SAME
    flags[both & (lc != rc)] |= COMMUNE_OTHER
    flags[~both] |= COMMUNE_MISSING
    lt, rt = L.thon[a], R.thon[b]
    tb = (lt >= 0) & (rt >= 0)
    flags[tb & (lt == rt)] |= THON_SAME
    flags[tb & (lt != rt)] |= THON_OTHER
    return flags


# likelihood ratios: P(agreement | same person) / P(agreement | two people)
_LR_YEAR_SAME, _LR_YEAR_OFF = 0.85 / (1 / 3), 0.15 / (2 / 3)
_LR_THON_SAME, _LR_THON_OTHER = 0.8 / 0.15, 0.2 / 0.85
_M_NAME = np.array([0.85, 0.75, 0.03, 0.06])  # same, same without diacritics, accent, typo
_U_TYPO = 0.004  # a random pair of names one letter apart (An/Anh, Lan/Lam)
_PRIOR_ROWS, _PRIOR_FREQ = 1000, 1 / 2000  # a typical full name: one person in 2,000


def _score(L: _Side, R: _Side, a: np.ndarray, b: np.ndarray, flags: np.ndarray, block: np.ndarray,
           bearers: np.ndarray, total: int, place_lr: float | np.ndarray = 1.0) -> np.ndarray:
    """Posterior probability of one person: prior 1 / (rows of the block), times the
    likelihood ratios of name (by its frequency), year, village and the place."""
    level = np.select([(flags & f) != 0 for f in _NAME_LEVEL_FLAG], [0, 1, 2, 3], 3)
    # the name's frequency, smoothed towards a typical name's: a short list (a commune's
    # Tết list) says little about how common a name is
    freq = (bearers[np.maximum(L.folded[a], 0)] + _PRIOR_ROWS * _PRIOR_FREQ) / (total + _PRIOR_ROWS)
    u = np.where(level == 3, _U_TYPO, freq)
    lr = _M_NAME[level] / u
    lr = lr * np.where((flags & YEAR_SAME) != 0, _LR_YEAR_SAME, np.where((flags & YEAR_OFF) != 0, _LR_YEAR_OFF, 1.0))
    lr = lr * np.where((flags & THON_SAME) != 0, _LR_THON_SAME, np.where((flags & THON_OTHER) != 0,
                                                                          _LR_THON_OTHER, 1.0))
    lr = lr * place_lr
    odds = lr / np.maximum(block, 1)
    return (odds / (1 + odds)).astype(np.float32)


def _by_commune(L: _Side, R: _Side, inside: bool, vf: _Vocab, bearers: np.ndarray, total: int
                ) -> tuple[np.ndarray, ...]:
    """Same commune, birth years within one: every pair compared by name."""
    def key(s: _Side, rows: np.ndarray) -> np.ndarray:
        return s.commune[rows].astype(np.int64) * 512 + np.clip(s.year[rows] - _YEAR0, 0, 500)

    lrows = np.flatnonzero((L.commune >= 0) & (L.year >= 0) & (L.folded >= 0))
    rrows = np.flatnonzero((R.commune >= 0) & (R.year >= 0) & (R.folded >= 0))
    a, b, block = _block(key(L, lrows), lrows, key(R, rrows), rrows, 1, 1)
    keep = _pair_filter(L, R, a, b, inside)
    a, b, block = a[keep], b[keep], block[keep]
    same = L.folded[a] == R.folded[b]
    near = _one_slip(L, R, a, b, ~same, vf)
    keep = same | near
    a, b, block, near = a[keep], b[keep], block[keep], near[keep]
    flags = _name_flags(L, R, a, b) | _place_flags(L, R, a, b)
    flags[near] |= NAME_TYPO
    score = _score(L, R, a, b, flags, block, bearers, total)
    return a, b, score, np.full(len(a), BASIS_FUZZY, np.int8), flags


def _one_slip(L: _Side, R: _Side, a: np.ndarray, b: np.ndarray, todo: np.ndarray, vf: _Vocab) -> np.ndarray:
    """Pairs whose names are one typing slip apart (an optimal-string-alignment distance
    of 1): on the folded keys, on the keys with nothing left out (a mistyped Thị/Văn:
    "Văm"), and on the keys leaving out a mistyped one ("Tị" against a dropped Thị)."""
    near = np.zeros(len(a), bool)
    lengths = np.fromiter((len(s) for s in vf.values), np.int32, len(vf.values))
    words: np.ndarray | None = None
    for key in ("folded", "full", "loose"):
        ka, kb = getattr(L, key)[a], getattr(R, key)[b]
        cand = np.flatnonzero(todo & ~near)
        if key != "folded":
            equal = cand[ka[cand] == kb[cand]]
            near[equal] = True
            cand = cand[ka[cand] != kb[cand]]
        cand = cand[np.abs(lengths[ka[cand]] - lengths[kb[cand]]) <= 1]
        if len(cand) == 0:
            continue
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if words is None:
            words = np.array(vf.values, dtype=object)
        d = process.cpdist(words[ka[cand]], words[kb[cand]], scorer=OSA.distance, score_cutoff=1, workers=-1)
        near[cand[d <= 1]] = True
    return near


def _across(L: _Side, R: _Side, inside: bool) -> tuple[np.ndarray, ...]:
    """The same folded name, birth years within one, where the communes differ or a side
    does not give one; only names rare enough to be worth a look."""
    def key(s: _Side, rows: np.ndarray) -> np.ndarray:
        return s.folded[rows].astype(np.int64) * 512 + np.clip(s.year[rows] - _YEAR0, 0, 500)

    lrows = np.flatnonzero((L.year >= 0) & (L.folded >= 0))
    rrows = np.flatnonzero((R.year >= 0) & (R.folded >= 0))
    a, b, block = _block(key(L, lrows), lrows, key(R, rrows), rrows, 1, 1, RARE_NO_COMMUNE)
    lc, rc = L.commune[a], R.commune[b]
    missing = (lc < 0) | (rc < 0)
    keep = (missing & (block <= RARE_NO_COMMUNE)) | (~missing & (lc != rc) & (block <= RARE_ACROSS))
    keep &= _pair_filter(L, R, a, b, inside)
    a, b, block, missing = a[keep], b[keep], block[keep], missing[keep]
    flags = _name_flags(L, R, a, b) | _place_flags(L, R, a, b)
    score = _across_score(flags, block, missing)
    return a, b, score, np.full(len(a), BASIS_FUZZY, np.int8), flags


def _across_score(flags: np.ndarray, block: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Across communes the name's frequency says little (the block already holds only
    the rows bearing it): the score is the chance of picking the right one of the
    block's rows, halved when the communes differ."""
    base = np.where(missing, 0.8, 0.4) / np.maximum(block, 1)
    base = base * np.where((flags & NAME_SAME) != 0, 1.0, np.where((flags & NAME_FOLDED) != 0, 0.9, 0.5))
    base = base * np.where((flags & YEAR_OFF) != 0, 0.6, 1.0)
    return base.astype(np.float32)


def _no_year(L: _Side, R: _Side, inside: bool, bearers: np.ndarray, total: int) -> tuple[np.ndarray, ...]:
    """A birth year missing on one side: the same commune and folded name."""
    def key(s: _Side, rows: np.ndarray) -> np.ndarray:
        return s.commune[rows].astype(np.int64) * (1 << 31) + s.folded[rows]

    lyear, ryear = L.year >= 0, R.year >= 0
    out = []
    for lmask, rmask in (((L.commune >= 0) & (L.folded >= 0) & ~lyear, (R.commune >= 0) & (R.folded >= 0)),
                         ((L.commune >= 0) & (L.folded >= 0) & lyear, (R.commune >= 0) & (R.folded >= 0) & ~ryear)):
        lrows, rrows = np.flatnonzero(lmask), np.flatnonzero(rmask)
        if len(lrows) and len(rrows):
            out.append(_block(key(L, lrows), lrows, key(R, rrows), rrows, 0, 0))
    if not out:
        z = np.zeros(0, np.int64)
        return z, z, z.astype(np.float32), z.astype(np.int8), z.astype(np.int32)
    a = np.concatenate([o[0] for o in out])
    b = np.concatenate([o[1] for o in out])
    block = np.concatenate([o[2] for o in out])
    keep = _pair_filter(L, R, a, b, inside)
    a, b, block = a[keep], b[keep], block[keep]
    flags = _name_flags(L, R, a, b) | _place_flags(L, R, a, b)
    # without the year, the block is the commune's bearers of the name
    score = _score(L, R, a, b, flags, block, bearers, total) * 0.5
    return a, b, score, np.full(len(a), BASIS_FUZZY, np.int8), flags


# -- hashed lists ----------------------------------------------------------------------
def _hashed(campaign: People, other: People, secret: bytes | None) -> Found:
    """A hashed list: the same keyed hash of the CCCD (``match``), or of the folded name
    and a birth year within one (``match`` in the same commune when nothing else looks
    alike, else ``possible``)."""
    from .hashing import hash_cccd, hash_name

    if secret is None or len(campaign) == 0 or len(other) == 0:
        return _empty()
    by_cccd: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for j, (hc, hn) in enumerate(zip(other.cccd_hash, other.name_hash)):
        if hc:
            by_cccd.setdefault(hc, []).append(j)
        if hn:
            by_name.setdefault(hn, []).append(j)
    rows: list[tuple[int, int, int, int, int]] = []  # a, b, kind (0 CCCD, 1 name), flags, bearers
    for i in range(len(campaign)):
        c = campaign.cccd[i]
        mine = hash_cccd(secret, c) if c else None
        if mine:
            for j in by_cccd.get(mine, ()):
                rows.append((i, j, 0, HASH_CCCD | CCCD, 0))
        name, year = campaign.name[i], campaign.birth_year[i]
        if name and year:
            for dy in (0, -1, 1):
                h = hash_name(secret, name, year + dy)
                for j in by_name.get(h, ()) if h else ():
                    theirs, g = other.cccd_hash[j], other.gender[j]
                    if (mine and theirs and mine != theirs) or (g and campaign.gender[i] and g != campaign.gender[i]):
                        continue  # two CCCDs that differ, or two genders: not one person
                    f = HASH_NAME | (YEAR_SAME if dy == 0 else YEAR_OFF)
                    rc, lc = other.commune[j], campaign.commune[i]
                    f |= COMMUNE_MISSING if not rc or not lc else COMMUNE_SAME if rc == lc else COMMUNE_OTHER
                    rows.append((i, j, 1, f, len(by_name.get(h, ()))))
    if not rows:
        return _empty()
    arr = np.array(rows, np.int64)
    a, b, kind, flags, block = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3].astype(np.int32), arr[:, 4]
    _, first = np.unique(a * np.int64(len(other) + 1) + b, return_index=True)
    first.sort()
    a, b, kind, flags, block = a[first], b[first], kind[first], flags[first], block[first]
    level = np.where(kind == 0, MATCH, POSSIBLE).astype(np.int8)
    score = np.where(kind == 0, 1.0, np.where((flags & COMMUNE_SAME) != 0, 0.92, 0.4) / np.maximum(block, 1))
    score = np.where((kind == 1) & ((flags & YEAR_OFF) != 0), score * 0.8, score).astype(np.float32)
    alike = (kind == 1) & ((flags & COMMUNE_SAME) != 0)
    amb = _ambiguous(a, a, b, b, alike, score)
    confident = alike & (amb == 0) & ((flags & YEAR_SAME) != 0)
    level[confident] = MATCH
    flags[alike & (amb > 0)] |= AMBIGUOUS
    order = np.lexsort((b, a, -score, level))
    z = np.zeros(len(a), np.int32)
    return Found(a[order], b[order], level[order], score[order], np.full(len(a), BASIS_HASH, np.int8)[order],
                 flags[order], amb[order].astype(np.int32), z)


# -- reasons ---------------------------------------------------------------------------
def reasons(found: Found, i: int, campaign: People, other: People) -> list[Reason]:
    """The reasons shown for pair ``i``, in the order a coordinator reads them."""
    f = int(found.flags[i])
    a, b = int(found.a[i]), int(found.b[i])
    out: list[Reason] = []
    if f & HASH_CCCD:
        out.append(Reason("hash-cccd"))
    elif f & CCCD:
        out.append(Reason("cccd-same"))
        if f & CCCD_PADDED:
            out.append(Reason("cccd-padded"))
    if f & HASH_NAME:
        out.append(Reason("hash-name"))
    for flag, code in ((NAME_SAME, "name-same"), (NAME_FOLDED, "name-folded"), (NAME_ACCENT, "name-accent"),
                       (NAME_TYPO, "name-typo")):
        if f & flag:
            out.append(Reason(code))
    if f & VARIANT:
        ka, kb = name_keys(campaign.name[a] or ""), name_keys(other.name[b] or "")
        names = [k.variant if k and k.variant else (k.folded.split()[0] if k else "") for k in (ka, kb)]
        shown = {"hoang": "Hoàng", "huynh": "Huỳnh", "vu": "Vũ", "vo": "Võ"}
        out.append(Reason("name-variant", {"a": shown.get(names[0], names[0]), "b": shown.get(names[1], names[1])}))
    if f & MIDDLE:
        out.append(Reason("name-middle"))
    if f & COMMON:
        out.append(Reason("name-common", {"count": int(found.bearers[i])}))
    for flag, code in ((YEAR_SAME, "year-same"), (YEAR_OFF, "year-off"), (YEAR_MISSING, "year-missing")):
        if f & flag and not (f & CCCD and code == "year-missing"):
            out.append(Reason(code))
    if f & COMMUNE_SAME:
        out.append(Reason("commune-same", {"code": campaign.commune[a]}))
    elif f & COMMUNE_OTHER:
        out.append(Reason("commune-other", {"code": campaign.commune[a], "other": other.commune[b]}))
    elif f & COMMUNE_MISSING and not (f & CCCD):
        out.append(Reason("commune-missing"))
    if f & THON_SAME:
        out.append(Reason("thon-same"))
    elif f & THON_OTHER:
        out.append(Reason("thon-other"))
    if f & AMBIGUOUS:
        out.append(Reason("ambiguous", {"count": max(int(found.ambiguous[i]), 1)}))
    return out
