"""Vietnamese administrative units (2025 and 2004 schemes) and the 2004 → 2025 mapping.

The data lives in ``xl_nhandao/vn/data/adminunits.json``, generated from the
``vietnamadminunits`` package by ``scripts/build_adminunits.py`` (see
``docs/adminunits.md``).  It is read lazily, once, on the first call that needs
it; importing this module does not touch it.

Schemes:

* ``"2025"``: 34 provinces and 3,321 communes ("Xã", "Phường", "Đặc khu"),
  no district level (in force from 1 July 2025);
* ``"2004"``: the earlier scheme (codes of Decision 124/2004/QĐ-TTg as amended up
  to mid-2025): 63 provinces, 696 districts, 10,035 communes.

Levels are spelt ``"Tỉnh"`` (province), ``"Huyện"`` (district, 2004 only) and
``"Xã"`` (commune); codes are strings of 2, 3 and 5 digits respectively.  A code
belongs to one scheme: the same 5 digits can name different communes in 2004
and 2025.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = [
    "LEVELS",
    "SCHEMES",
    "AdminUnit",
    "cccd_province_codes",
    "children",
    "communes_of",
    "find_by_name",
    "lookup",
    "map_district_to_2025",
    "map_to_2025",
    "normalize_code",
    "province_to_2025",
    "provinces",
]

SCHEMES = ("2025", "2004")
LEVELS = ("Tỉnh", "Huyện", "Xã")

_PROVINCE, _DISTRICT, _COMMUNE = LEVELS
_WIDTH = {_PROVINCE: 2, _DISTRICT: 3, _COMMUNE: 5}
_LEVEL_BY_WIDTH = {width: level for level, width in _WIDTH.items()}


@dataclass(frozen=True)
class AdminUnit:
    """One administrative unit.

    ``province_code`` is the unit's own code for a province.  ``district_code``
    is the unit's own code for a 2004 district, the parent district for a 2004
    commune, and ``None`` for provinces and for every 2025 unit.
    """

    code: str
    name: str  # full name, e.g. "Phường Bắc Nha Trang", "Tỉnh Khánh Hòa"
    level: str  # "Tỉnh" | "Huyện" | "Xã"
    scheme: str  # "2025" | "2004"
    kind: str  # e.g. "Phường", "Xã", "Đặc khu", "Thị trấn", "Quận", "Thị xã", "Tỉnh"
    province_code: str
    district_code: str | None

    @property
    def short_name(self) -> str:
        """The name without its kind prefix: "Bắc Nha Trang", "Khánh Hòa", "5"."""
        prefix = self.kind + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


# --------------------------------------------------------------------------- loading


@functools.cache
def _raw() -> dict[str, Any]:
    from importlib import resources

    payload = resources.files("xl_nhandao.vn").joinpath("data", "adminunits.json").read_bytes()
    return json.loads(payload)


@dataclass
class _Index:
    units: dict[tuple[str, str], AdminUnit]  # (level, code) -> unit
    by_level: dict[str, list[AdminUnit]]  # level -> units sorted by code
    children: dict[str, list[AdminUnit]]  # province/district code -> direct children
    communes: dict[str, list[AdminUnit]]  # province/district code -> all its communes


@functools.cache
def _index(scheme: str) -> _Index:
    data = _raw()[scheme]
    by_level: dict[str, list[AdminUnit]] = {level: [] for level in LEVELS}
    for code, name, short in data["provinces"]:
        kind = name[: -len(short) - 1] if name.endswith(" " + short) else _PROVINCE
        by_level[_PROVINCE].append(AdminUnit(code, name, _PROVINCE, scheme, kind, code, None))
    for code, name, kind, province_code in data.get("districts", ()):
        by_level[_DISTRICT].append(
            AdminUnit(code, name, _DISTRICT, scheme, kind, province_code, code)
        )
    for row in data["communes"]:
        if scheme == "2004":
            code, name, kind, district_code, province_code = row
        else:
            code, name, kind, province_code = row
            district_code = None
        by_level[_COMMUNE].append(
            AdminUnit(code, name, _COMMUNE, scheme, kind, province_code, district_code)
        )

    units: dict[tuple[str, str], AdminUnit] = {}
    children: dict[str, list[AdminUnit]] = {}
    communes: dict[str, list[AdminUnit]] = {}
    for level in LEVELS:
        by_level[level].sort(key=lambda unit: unit.code)
        for unit in by_level[level]:
            units[(level, unit.code)] = unit
            if level == _PROVINCE:
                children[unit.code] = []
                communes[unit.code] = []
            elif level == _DISTRICT:
                children[unit.code] = []
                communes[unit.code] = []
                children[unit.province_code].append(unit)
            else:
                communes[unit.province_code].append(unit)
                if unit.district_code is None:
                    children[unit.province_code].append(unit)
                else:
                    children[unit.district_code].append(unit)
                    communes[unit.district_code].append(unit)
    return _Index(units, by_level, children, communes)


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")


# --------------------------------------------------------------------------- codes

_DIGITS = re.compile(r"[0-9]+")


def normalize_code(value: object, level: str) -> str | None:
    """Return ``value`` as a code of ``level``, zero-padded to 2/3/5 digits, or ``None``.

    Accepts ints (and integral floats, as Excel stores numbers) and strings of
    ASCII digits whose leading zeros were lost (``4`` → ``"04"``, ``"1"`` →
    ``"00001"`` for a commune).  Surplus leading zeros are dropped (``"001"`` →
    ``"01"`` for a province).  Anything else (non-digits, negatives, bools, too
    many digits) gives ``None``.  Existence of the code is not checked.
    """
    _check_level(level)
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            return None
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _DIGITS.fullmatch(text):
            return None
    else:
        return None
    width = _WIDTH[level]
    if len(text) > width:
        text = text.lstrip("0")
        if len(text) > width:
            return None
    return text.zfill(width)


def _code_text(code: object) -> str:
    return code.strip() if isinstance(code, str) else str(code)


def lookup(code: str, scheme: str = "2025", level: str | None = None) -> AdminUnit | None:
    """The unit with this code, or ``None``.

    Without ``level`` the code's length decides it (2 digits: province,
    3: district, 5: commune) and lost leading zeros cannot be recovered; with
    ``level`` the code goes through :func:`normalize_code` first.
    """
    _check_scheme(scheme)
    if level is None:
        text = _code_text(code)
        level = _LEVEL_BY_WIDTH.get(len(text))
        if level is None or not _DIGITS.fullmatch(text):
            return None
    else:
        text = normalize_code(code, level)
        if text is None:
            return None
    return _index(scheme).units.get((level, text))


def provinces(scheme: str = "2025") -> list[AdminUnit]:
    """All provinces of the scheme, by code."""
    _check_scheme(scheme)
    return list(_index(scheme).by_level[_PROVINCE])


def children(code: str, scheme: str = "2025") -> list[AdminUnit]:
    """Direct children, by code: a 2004 province's districts, a 2025 province's
    communes, a 2004 district's communes.  ``[]`` for communes and unknown codes."""
    _check_scheme(scheme)
    return list(_index(scheme).children.get(_code_text(code), ()))


def communes_of(code: str, scheme: str = "2025") -> list[AdminUnit]:
    """All communes under a province or a 2004 district, by code (``[]`` otherwise)."""
    _check_scheme(scheme)
    return list(_index(scheme).communes.get(_code_text(code), ()))


# --------------------------------------------------------------------------- names


def _fold(text: str) -> str:
    """NFC, lower case, no diacritics (đ → d), single spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


# Type prefixes as they look after _fold, with the kind they denote.  Full words
# need a following space or dot; abbreviations a dot or a space (2 letters) or a
# dot (1 letter); any of them may be glued to a number ("Q1", "P.5", "F5").
_PREFIX_KINDS = {
    "thanh pho": "Thành phố",
    "thi tran": "Thị trấn",
    "thi xa": "Thị xã",
    "dac khu": "Đặc khu",
    "phuong": "Phường",
    "huyen": "Huyện",
    "quan": "Quận",
    "tinh": "Tỉnh",
    "xa": "Xã",
    "tp": "Thành phố",
    "tx": "Thị xã",
    "tt": "Thị trấn",
    "dk": "Đặc khu",
    "p": "Phường",
    "f": "Phường",
    "q": "Quận",
    "h": "Huyện",
    "x": "Xã",
}
_PREFIX = re.compile(
    r"(?:(thanh pho|thi tran|thi xa|dac khu|phuong|huyen|quan|tinh|xa|tp|tx|tt|dk)[\s.]+"
    r"|(p|f|q|h|x)\.\s*"
    r"|(thanh pho|thi tran|thi xa|dac khu|phuong|huyen|quan|tinh|xa|tp|tx|tt|dk|p|f|q|h|x)(?=\d))"
)
_PUNCTUATION = re.compile(r"[\s\-‐‑–—_.,;:/()'\"]+")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")


def _clean(folded: str) -> str:
    return _LEADING_ZEROS.sub("", " ".join(_PUNCTUATION.sub(" ", folded).split()))


def _query_keys(name: str) -> list[tuple[str | None, str]]:
    """(kind implied by a type prefix or None, key) pairs to try for a query."""
    folded = _fold(name)
    keys: list[tuple[str | None, str]] = []
    whole = _clean(folded)
    if whole:
        keys.append((None, whole))
    match = _PREFIX.match(folded)
    if match:
        rest = _clean(folded[match.end() :])
        if rest:
            keys.append((_PREFIX_KINDS[next(g for g in match.groups() if g)], rest))
    return keys


def _soft(text: str) -> str:
    """Lower case with diacritics kept, for ranking exact spellings first."""
    return " ".join(_PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


@functools.cache
def _name_index(scheme: str, level: str) -> dict[str, list[AdminUnit]]:
    index: dict[str, list[AdminUnit]] = {}
    for unit in _index(scheme).by_level[level]:
        index.setdefault(_clean(_fold(unit.short_name)), []).append(unit)
    return index


def find_by_name(
    name: str, scheme: str, level: str, parent_code: str | None = None
) -> list[AdminUnit]:
    """Units of ``level`` whose name matches ``name``, best match first.

    Case, diacritics, spacing, punctuation, leading zeros of numbers and the
    type prefix ("Xã", "Phường", "Tỉnh", "Thành phố", "TP.", "Huyện", "Quận",
    "Thị xã", "Thị trấn", "Đặc khu", and abbreviations such as "TT.", "TX",
    "P.", "Q1") are ignored.  ``parent_code`` (a province code, or a 2004
    district code) restricts the search.  Ranking: a unit whose kind matches the
    query's prefix, then one matched without stripping any prefix; within each,
    the spelling with the query's exact diacritics first.  Units of another kind
    than the query's prefix ("Huyện Ba Đình" → "Quận Ba Đình") are returned only
    when nothing better matched.
    """
    _check_scheme(scheme)
    _check_level(level)
    if not isinstance(name, str):
        return []
    keys = _query_keys(name)
    if not keys:
        return []
    parent = None if parent_code is None else _code_text(parent_code)
    index = _name_index(scheme, level)
    soft_query = _soft(name)
    ranked: dict[AdminUnit, tuple[int, int, str]] = {}
    for kind, key in keys:
        for unit in index.get(key, ()):
            if parent is not None and parent not in (unit.province_code, unit.district_code):
                continue
            kind_rank = 1 if kind is None else (0 if kind == unit.kind else 2)
            exact_rank = 0 if soft_query.endswith(_soft(unit.short_name)) else 1
            rank = (kind_rank, exact_rank, unit.code)
            if unit not in ranked or rank < ranked[unit]:
                ranked[unit] = rank
    if any(rank[0] < 2 for rank in ranked.values()):
        ranked = {unit: rank for unit, rank in ranked.items() if rank[0] < 2}
    return sorted(ranked, key=ranked.__getitem__)


# --------------------------------------------------------------------------- 2004 → 2025


def map_to_2025(old_commune_code: str) -> list[tuple[str, bool]]:
    """2025 commune codes that a 2004 commune became, as ``(code, is_default)``.

    Most old communes went whole into one new commune (one pair, default).  A
    divided old commune lists every new commune that received part of it; the
    default (listed first) is the package's choice for an address without a
    street.  ``[]`` for unknown codes.
    """
    code = normalize_code(old_commune_code, _COMMUNE)
    targets = _raw()["map_2004_2025"].get(code, []) if code else []
    return [(new_code, bool(is_default)) for new_code, is_default in targets]


def map_district_to_2025(old_district_code: str) -> list[tuple[str, bool]]:
    """Like :func:`map_to_2025`, for the 2004 districts that had no communes.

    These are island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn
    Đảo) that became a 2025 "Đặc khu".  ``[]`` for every other district: map
    its communes instead.
    """
    code = normalize_code(old_district_code, _DISTRICT)
    targets = _raw()["district_map_2004_2025"].get(code, []) if code else []
    return [(new_code, bool(is_default)) for new_code, is_default in targets]


def province_to_2025(old_province_code: str) -> str | None:
    """The 2025 province that a 2004 province went into (``None`` if unknown)."""
    code = normalize_code(old_province_code, _PROVINCE)
    return _raw()["province_map_2004_2025"].get(code) if code else None


@functools.cache
def cccd_province_codes() -> frozenset[str]:
    """Valid first 3 digits of a 12-digit CCCD number (place of birth registration).

    They are "0" followed by a 2004-scheme province code: 63 values, "001" to "096".
    """
    return frozenset("0" + unit.code for unit in _index("2004").by_level[_PROVINCE])
