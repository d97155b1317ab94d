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


def name_keys(name: str) -> NameKeys | None:
    """Both keys of a person's name; None for a name with no letters."""
    hit = _CACHE.get(name)
    if hit is not None or name in _CACHE:
        return hit
    accented = name_key(name).split()
    if not accented:
        _CACHE[name] = None
        return None
    folded = [strip_diacritics(w.rstrip("0123456789")) or w for w in accented]
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
    keys = NameKeys(" ".join(folded), " ".join(accented), plain, middle, variant, dropped)
    if len(_CACHE) < 1 << 20:
        _CACHE[name] = keys
    return keys


_CACHE: dict[str, NameKeys | None] = {}


def hash_key(name: str, year: int) -> str | None:
    """What ``hash-list`` hashes for a name and a birth year: the folded canonical key
    and the year (``nguyen lan|1960``); None when the name has no letters."""
    keys = name_keys(name)
    return None if keys is None else f"{keys.folded}|{year}"
