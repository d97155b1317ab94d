"""Keys for comparing Vietnamese names of people (SPEC §2).

Two keys per name, both "canonical": the regional variants of a family name are one
(Huỳnh → Hoàng, Võ → Vũ) and a middle Thị/Văn is left out (women often drop Thị):

- the *folded* key: no diacritics, lower case, single spaces — ``nguyen lan``;
- the *accented* key: :func:`~xl_nhandao.vn.text.name_key` (tone placement old or new
  alike, tone as a digit at the end of each word) — ``nguyên4 lan0``.

Names that agree on the accented key are the same name; names that agree only on the
folded key are the same name when one side was typed without any diacritics, and
*different* names when both sides have them (Lan / Lân).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vn.text import name_key, strip_diacritics

#: Family names written differently by region, folded → the one used in keys.
FAMILY_VARIANTS = {"huynh": "hoang", "vo": "vu"}
#: The same, accented keys (tone digit at the end).
_ACCENT_VARIANTS = {"huynh2": "hoang2", "vo4": "vu4"}
#: Middle names that say the gender and are often dropped.
_MIDDLE = {"thi": "f", "van": "m"}


@dataclass(frozen=True, slots=True)
class NameKeys:
    folded: str  # canonical, no diacritics
    accented: str  # canonical, accents kept (tone placement normalised)
    plain: bool  # typed without any diacritics (so accents cannot disagree)
    middle: str | None  # "f" (Thị), "m" (Văn), None
    variant: str | None  # the family name as written when a variant was mapped ("huynh", "vo")
    dropped: bool  # a middle Thị/Văn was left out of the keys
    full: str  # folded, nothing left out (a mistyped Thị/Văn: "Văm", "Tịh")
    loose: str  # folded, leaving out a middle word one letter from Thị/Văn ("Tị", "Vn")


def name_keys(name: str) -> NameKeys | None:
    """Both keys of a person's name; None for a name with no letters."""
    hit = _CACHE.get(name)
    if hit is not None or name in _CACHE:
        return hit
    accented = name_key(name).split()
    if not accented:
        _CACHE[name] = None
        return None
    folded = [_FOLDED.get(w) or _fold_word(w) for w in accented]
    every = list(folded)
    plain = name.isascii()
    middle = None
    dropped = False
    variant = None
    if len(folded) >= 3:
        keep = [0]
        for i in range(1, len(folded) - 1):
            m = _MIDDLE.get(folded[i])
            if m is not None and middle is None:
                middle, dropped = m, True
                continue
            keep.append(i)
        keep.append(len(folded) - 1)
        if dropped:
            accented = [accented[i] for i in keep]
            folded = [folded[i] for i in keep]
    first = folded[0]
    if first in FAMILY_VARIANTS and len(folded) >= 2:
        variant = first
        folded[0] = FAMILY_VARIANTS[first]
        accented[0] = _ACCENT_VARIANTS.get(accented[0], accented[0])
        every[0] = folded[0]
    loose = folded
    if not dropped and len(folded) >= 3:
        for i in range(1, len(folded) - 1):
            near = _NEAR.get(folded[i])
            if near is None:
                near = _NEAR[folded[i]] = _near_middle(folded[i])
            if near:
                loose = folded[:i] + folded[i + 1:]
                break
    keys = NameKeys(" ".join(folded), " ".join(accented), plain, middle, variant, dropped, " ".join(every),
                    " ".join(loose))
    if len(_CACHE) < 1 << 20:
        _CACHE[name] = keys
    return keys


_CACHE: dict[str, NameKeys | None] = {}
_FOLDED: dict[str, str] = {}  # accented word key → folded word
_NEAR: dict[str, bool] = {}


def _fold_word(word: str) -> str:
    folded = strip_diacritics(word.rstrip("0123456789")) or word
    if len(_FOLDED) < 1 << 16:  # names share a few thousand syllables
        _FOLDED[word] = folded
    return folded


def _near_middle(word: str) -> bool:
    """A word one typing slip from "thi" or "van" (``ti``, ``thj``, ``tih``, ``vn``, ``vam``):
    an optimal-string-alignment distance of one, by hand (these words are 1–4 letters)."""
    for target in ("thi", "van"):
        if abs(len(word) - len(target)) > 1 or word == target:
            continue
        if len(word) == len(target):
            diff = [i for i in range(len(word)) if word[i] != target[i]]
            if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]]):
                return True
        else:
            short, long_ = (word, target) if len(word) < len(target) else (target, word)
            if any(long_[:i] + long_[i + 1:] == short for i in range(len(long_))):
                return True
    return False


def hash_key(name: str, year: int) -> str | None:
    """What ``hash-list`` hashes for a name and a birth year: the folded canonical key
    and the year (``nguyen lan|1960``); None when the name has no letters."""
    keys = name_keys(name)
    return None if keys is None else f"{keys.folded}|{year}"
