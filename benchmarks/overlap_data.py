"""Labelled synthetic data for ``benchmarks/overlap.py``: a campaign and a beneficiary
list that share known people, with the noise clerks put into names, years, identity
numbers and villages, and decoys that look like the shared people but are not.

Nobody here exists. Places are real (the 2025 communes of
:mod:`xl_nhandao.vn.adminunits`); names follow the name tables of
:mod:`xl_nhandao.demo.synth` (family names with their population shares, regional
Hoàng/Huỳnh and Vũ/Võ, middle names by gender), with given names extended to ~150 per
gender and drawn with a Zipf-like frequency, so namesakes occur at the rate those
distributions give. Everything is drawn from one seeded ``numpy`` generator: the same
arguments give the same data.

How a side is built (:func:`generate`):

* **people** — every person has a commune (communes weighted log-normally, so sizes are
  skewed), a village (6–14 per commune), gender, birth year (1925–2015, skewed old), a
  name, and a 12-digit CCCD ``PPP G YY RRRRRR`` consistent with year and gender (unique
  across everyone). The campaign holds *shared* people (the true pairs) and its own
  people; the list holds the shared people again, *decoys* and its own people.
* **decoys** — :data:`DECOY_OTHER_COMMUNE`: the same name and birth year as a campaign
  person, in another commune of the province; :data:`DECOY_YEARS_APART`: the same name in
  the same commune, born 5–15 years earlier or later. Each is a different person (own
  CCCD, own village).
* **each row as a clerk writes it** — independently per side and per row: no diacritics,
  upper case, old tone placement (``Hoà``, ``Thuỷ``, ``Khoẻ``), a middle ``Thị``/``Văn``
  dropped, Hoàng↔Huỳnh and Vũ↔Võ, a one-letter typo, birth year ±1, no CCCD (65 % have
  one; fewer children), a CCCD stored as a number (leading zero lost: ``id_text`` has
  10–11 digits, ``cccd`` the padded number), the village written another way or left
  out, the gender not given (a list without that column). A small share of true pairs
  gets two or three kinds of noise at once on the list side.

A true pair's noise (:data:`NOISE`, a bit mask in :attr:`Sides.noise`) is what differs
between its two rows: a name typed without diacritics on both sides is no noise.
"""

from __future__ import annotations

import random
import time
import unicodedata
from dataclasses import dataclass

import numpy as np

from xl_nhandao.demo import synth
from xl_nhandao.overlap.model import CAMPAIGN, People
from xl_nhandao.vn import adminunits
from xl_nhandao.vn.text import strip_diacritics

# -- vocabulary --------------------------------------------------------------------------
# Given names beyond those of the synthetic registers (which come first: the common
# ones), so each gender has ~150 and namesakes are not overstated.
_MORE_MALE = (
    "Anh", "Bắc", "Bằng", "Biên", "Cảnh", "Chính", "Chung", "Cương", "Danh", "Doanh", "Dương", "Duy",
    "Đại", "Điền", "Định", "Đoàn", "Đồng", "Giang", "Hào", "Hiển", "Hiệp", "Hoan", "Hoàng", "Học",
    "Hợp", "Huấn", "Hữu", "Kha", "Khải", "Khang", "Khiêm", "Khôi", "Kỳ", "Lành", "Lập", "Liêm",
    "Linh", "Luân", "Lượng", "Mẫn", "Ngọc", "Nghị", "Nguyên", "Nhật", "Ninh", "Phú", "Phước", "Quang",
    "Quảng", "Quốc", "Quyền", "Quỳnh", "Sâm", "Sinh", "Sửu", "Sỹ", "Tạo", "Tân", "Thạch", "Thái",
    "Thanh", "Thăng", "Thiện", "Thọ", "Thông", "Thủy", "Thụy", "Tín", "Tình", "Toản", "Triều",
    "Trình", "Trọng", "Trường", "Tuân", "Tuyển", "Tường", "Tý", "Vĩnh", "Vượng", "Xuân", "Hòe",
    "Kế", "Lịch", "Luyện", "Nên", "Tiệp", "Tới", "Ước", "Vận", "Khuê", "Thuyên", "Hoạt", "Huân",
)
_MORE_FEMALE = (
    "Anh", "Ánh", "Ân", "Bình", "Cẩm", "Chi", "Chinh", "Diệp", "Diệu", "Dịu", "Duyên", "Giang", "Hoài",
    "Hợi", "Hường", "Huyền", "Kiều", "Kim", "Lam", "Lành", "Liễu", "Luyến", "Lý", "Mến", "Miên", "Minh",
    "Mùi", "Mỹ", "Ngân", "Nghĩa", "Nhi", "Như", "Nhạn", "Nương", "Phượng", "Quế", "Quỳnh", "Sương",
    "Thanh", "Thêu", "Thơ", "Thơm", "Thuận", "Thúy", "Thùy", "Thương", "Thư", "Tiên", "Tình", "Trâm",
    "Trà", "Tú", "Tuyền", "Uyên", "Vui", "Xoan", "Xuyến", "Hậu", "Hoan", "Khuyên", "Lụa", "Mận",
    "Nụ", "Phấn", "Sinh", "Thìn", "Thục", "Tịnh", "Trúc", "Xinh", "Hòe", "Thụy", "Khánh", "Mười",
    "Chín", "Đông", "Hải", "Hiệp", "Lợi", "Năm", "Hảo", "Hiên", "Hòa", "Loan", "Lành", "Nhàn", "Nhị",
    "Phúc", "Quyến", "Tâm", "Thủy", "Vinh", "Xuyên", "Yên",
)
_YOUNG_FEMALE = ("Ngọc", "Thu", "Thanh", "Mỹ", "Khánh", "Bảo", "Thùy")  # as the synthetic registers
_YOUNG_MALE = ("Minh", "Gia", "Đức", "Quốc", "Anh", "Hoàng")
_VARIANT_OF = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ"}
_NAMED_VILLAGES = ("Phú Lộc", "An Bình", "Tân Hòa", "Đông Sơn", "Bình Minh", "Hòa Thuận", "Trung Hậu",
                   "Xuân Phong", "Cây Da", "Bàu Sen", "Phước Lợi", "Lộc Thọ", "Thủy Tú", "Hòa Khánh")


def _unique(names: tuple[str, ...] | list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _zipf(n: int, offset: float = 5.0) -> np.ndarray:
    w = 1.0 / (np.arange(n) + offset)
    return w / w.sum()


# Surnames: one vocabulary, two regional weightings (north: province code < 38).
SURNAMES = [s for s, _ in synth._SURNAMES] + ["Hoàng", "Huỳnh", "Vũ", "Võ"]
_W_NORTH = np.array([w for _, w in synth._SURNAMES] + [w for _, w in synth._SURNAMES_NORTH], float)
_W_SOUTH = np.array([w for _, w in synth._SURNAMES] + [w for _, w in synth._SURNAMES_SOUTH], float)
assert [s for s, _ in synth._SURNAMES_NORTH] == ["Hoàng", "Huỳnh", "Vũ", "Võ"] == [s for s, _ in synth._SURNAMES_SOUTH]
# Middle names: index 0 is "no middle name".
MIDDLES = _unique(["", *(m for m, _ in synth._MIDDLE_MALE), *(m for m, _ in synth._MIDDLE_FEMALE),
                   *_YOUNG_FEMALE, *_YOUNG_MALE])
_M_INDEX = {m: i for i, m in enumerate(MIDDLES)}
GIVEN = _unique([*synth._GIVEN_MALE, *_MORE_MALE, *synth._GIVEN_FEMALE, *_MORE_FEMALE])
_G_INDEX = {g: i for i, g in enumerate(GIVEN)}
_GIVEN_M = np.array([_G_INDEX[g] for g in _unique([*synth._GIVEN_MALE, *_MORE_MALE])])
_GIVEN_F = np.array([_G_INDEX[g] for g in _unique([*synth._GIVEN_FEMALE, *_MORE_FEMALE])])


def _middle_table(pairs: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    idx = np.array([_M_INDEX[m] for m, _ in pairs])
    w = np.array([w for _, w in pairs], float)
    return idx, w / w.sum()


_MID_M = _middle_table(synth._MIDDLE_MALE)
_MID_F = _middle_table(synth._MIDDLE_FEMALE)

# -- noise -------------------------------------------------------------------------------
PLAIN, UPPER, OLD_TONE, DROP_MIDDLE, VARIANT = 1, 2, 4, 8, 16  # text operations on a name
TEXT_OPS = (PLAIN, UPPER, OLD_TONE, DROP_MIDDLE, VARIANT)
#: Noise of a true pair: bit → name (a pair's :attr:`Sides.noise` is a mask of these).
NOISE = {
    PLAIN: "no diacritics", UPPER: "upper case", OLD_TONE: "old tone placement",
    DROP_MIDDLE: "Thị/Văn dropped", VARIANT: "Hoàng/Huỳnh, Vũ/Võ", 32: "one-letter typo",
    64: "birth year ±1", 128: "CCCD on one side only", 256: "CCCD on neither side",
    512: "CCCD stored as a number", 1024: "thôn written differently", 2048: "thôn missing",
    4096: "gender not given",
}
TYPO, YEAR_OFF, CCCD_ONE, CCCD_NONE, CCCD_NUMBER, THON_OTHER, THON_MISSING, GENDER_MISSING = (
    32, 64, 128, 256, 512, 1024, 2048, 4096)
#: Decoy kinds of list rows (:attr:`Sides.decoy`).
DECOY_NONE, DECOY_OTHER_COMMUNE, DECOY_YEARS_APART = 0, 1, 2
DECOYS = {DECOY_OTHER_COMMUNE: "namesake in another commune", DECOY_YEARS_APART: "same name, same commune, 5–15 years apart"}


@dataclass(frozen=True)
class Rates:
    """How often each kind of noise occurs, per row of a side (campaign, list)."""

    plain: tuple[float, float] = (0.08, 0.15)
    upper: tuple[float, float] = (0.05, 0.15)
    old_tone: tuple[float, float] = (0.35, 0.35)  # of the names that have oa/oe/uy
    drop_thi: tuple[float, float] = (0.08, 0.15)  # of the names with a middle Thị
    drop_van: tuple[float, float] = (0.03, 0.05)  # of the names with a middle Văn
    variant: tuple[float, float] = (0.12, 0.15)  # of Hoàng/Huỳnh/Vũ/Võ
    typo: tuple[float, float] = (0.015, 0.025)
    year_off: tuple[float, float] = (0.01, 0.04)
    cccd: tuple[float, float] = (0.65, 0.65)  # has a CCCD (adults; children 0.35)
    cccd_number: tuple[float, float] = (0.15, 0.15)  # of those: stored as a number
    thon_style: tuple[float, float] = (0.10, 0.10)  # a row written unlike its side's habit
    thon_missing: tuple[float, float] = (0.02, 0.08)
    gender_given: tuple[float, float] = (1.0, 0.7)  # communes whose rows give the gender
    combined: float = 0.02  # true pairs with 2–3 kinds of noise forced on the list row
    decoy_other_commune: float = 0.10  # decoys per campaign row
    decoy_years_apart: float = 0.10


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def old_tone(word: str) -> str:
    """The tone of an open ``oa``/``oe``/``uy`` moved to its last vowel, as older
    typing puts it: ``Hòa`` → ``Hoà``, ``Thủy`` → ``Thuỷ``, ``khỏe`` → ``khoẻ``;
    other words as they are."""
    d = unicodedata.normalize("NFD", word)
    marks = [i for i, c in enumerate(d) if c in _TONES]
    if len(marks) != 1:
        return word
    i = marks[0]
    low = (d[:i] + d[i + 1:]).lower()
    # an open oa/oe/uy (not after another vowel, not qu-) whose o/u carries the tone
    if (low[-2:] not in ("oa", "oe", "uy") or low.startswith("qu") or i != len(d) - 2
            or (len(low) >= 3 and low[-3] in "aeiouy\u0306\u0302\u031b")):
        return word
    return unicodedata.normalize("NFC", d[:i] + d[i + 1:] + d[i])


def _has_old_tone(name: str) -> bool:
    return any(old_tone(w) != w for w in name.split())


def apply_text(name: str, ops: int) -> str:
    """``name`` as a clerk may type it: the text operations of ``ops`` (variant, middle
    dropped, old tone, no diacritics, upper case — in that order)."""
    words = name.split()
    if ops & VARIANT and words and words[0] in _VARIANT_OF:
        words[0] = _VARIANT_OF[words[0]]
    if ops & DROP_MIDDLE and len(words) >= 3 and words[1] in ("Thị", "Văn"):
        del words[1]
    if ops & OLD_TONE:
        words = [old_tone(w) for w in words]
    s = " ".join(words)
    if ops & PLAIN:
        s = strip_diacritics(s)
    if ops & UPPER:
        s = s.upper()
    return s


_LETTERS = "abcdeghiklmnopqrstuvxy"


def typo(name: str, rng: random.Random) -> str:
    """One letter substituted, deleted, inserted, or swapped with its neighbour."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    for _ in range(20):
        i = rng.choice(letters)
        op = rng.randrange(4)
        c = rng.choice(_LETTERS)
        c = c.upper() if name[i].isupper() else c
        if op == 0:
            out = name[:i] + c + name[i + 1:]
        elif op == 1 and len(letters) > 4:
            out = name[:i] + name[i + 1:]
        elif op == 2:
            out = name[:i] + c + name[i:]
        elif i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1] != name[i]:
            out = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        else:
            continue
        if out != name and " " not in (out[:1], out[-1:]) and "  " not in out:
            return out
    return name + rng.choice(_LETTERS)


# -- places ------------------------------------------------------------------------------
@dataclass
class Places:
    """Communes with their weights, provinces and villages (global village ids)."""

    codes: list[str]
    province: np.ndarray  # province index per commune
    north: np.ndarray  # bool per commune
    ppp: list[list[int]]  # birth-registration province codes per province index
    weight_campaign: np.ndarray
    weight_list: np.ndarray
    village_start: np.ndarray  # first village id of each commune (+ a final end)
    village_cdf: np.ndarray  # per village: commune index + cumulative share within it
    village_word: list[str]  # e.g. "Thôn", "Ấp", "Tổ dân phố"
    village_label: list[str]  # "1" … or a name


def communes_of(provinces: list[str] | None) -> list[str]:
    """Commune codes (scheme 2025) of the given provinces, or of the whole country."""
    out = []
    for p in adminunits.provinces("2025"):
        if provinces is None or p.code in provinces:
            out.extend(u.code for u in adminunits.children(p.code, "2025"))
    return out


def make_places(codes: list[str], rng: np.random.Generator) -> Places:
    provinces: dict[str, int] = {}
    prov = np.empty(len(codes), np.int32)
    north = np.empty(len(codes), bool)
    ppp: list[list[int]] = []
    words: list[str] = []
    labels: list[str] = []
    starts = [0]
    cdf: list[np.ndarray] = []
    for i, code in enumerate(codes):
        unit = adminunits.lookup(code, "2025", "Xã")
        assert unit is not None, code
        p = unit.province_code
        if p not in provinces:
            provinces[p] = len(ppp)
            olds = [o.code for o in adminunits.provinces("2004") if adminunits.province_to_2025(o.code) == p]
            ppp.append([int(o) for o in olds] or [int(p)])
        prov[i] = provinces[p]
        north[i] = int(p) < 38
        n = int(rng.integers(6, 15))
        if unit.kind == "Phường":
            word = "Tổ dân phố" if rng.random() < 0.65 else "Khu phố"
        elif north[i]:
            word = "Thôn" if rng.random() < 0.7 else "Xóm"
        else:
            word = "Ấp" if rng.random() < 0.5 else "Thôn"
        if unit.kind != "Phường" and rng.random() < 0.4:
            names = list(rng.choice(_NAMED_VILLAGES, size=min(n, len(_NAMED_VILLAGES)), replace=False))
        else:
            names = [str(k) for k in range(1, n + 1)]
        words.extend([word] * len(names))
        labels.extend(names)
        starts.append(starts[-1] + len(names))
        w = np.cumsum(rng.uniform(0.5, 2.0, len(names)))
        w /= w[-1]
        w[-1] = 1.0 - 1e-12
        cdf.append(i + w)
    weight = rng.lognormal(0.0, 0.7, len(codes))
    weight_list = weight * rng.lognormal(0.0, 0.3, len(codes))
    return Places(codes, prov, north, ppp, weight / weight.sum(), weight_list / weight_list.sum(),
                  np.array(starts), np.concatenate(cdf), words, labels)


_ABBREVIATION = {"Tổ dân phố": "Tổ", "Khu phố": "KP", "Thôn": "Thôn", "Xóm": "Xóm", "Ấp": "Ấp"}
STYLES = 5


def village_text(word: str, label: str, style: int) -> str:
    """A village as clerks write it: ``Thôn 1``, ``thôn 01``, ``Thôn số 1``, ``THON 1``,
    ``Tổ 3``; ``Ấp Bình Minh``, ``ấp Bình Minh``, ``Bình Minh``, ``Ap Binh Minh``,
    ``ẤP BÌNH MINH``."""
    if label.isdigit():
        n = int(label)
        return (f"{word} {n}", f"{word.lower()} {n:02d}", f"{word} số {n}",
                strip_diacritics(f"{word} {n}").upper(), f"{_ABBREVIATION[word]} {n}")[style]
    return (f"{word} {label}", f"{word.lower()} {label}", label, strip_diacritics(f"{word} {label}"),
            f"{word} {label}".upper())[style]


# -- people ------------------------------------------------------------------------------
@dataclass
class Persons:
    """People before they are written into a side, column by column (numpy)."""

    commune: np.ndarray
    village: np.ndarray
    female: np.ndarray
    year: np.ndarray
    name: np.ndarray  # name id: (surname * len(MIDDLES) + middle) * len(GIVEN) + given
    cccd: np.ndarray  # int64, the 12-digit number

    def take(self, idx: np.ndarray) -> Persons:
        return Persons(*(getattr(self, f)[idx] for f in ("commune", "village", "female", "year", "name", "cccd")))

    @staticmethod
    def concat(parts: list[Persons]) -> Persons:
        return Persons(*(np.concatenate([getattr(p, f) for p in parts])
                         for f in ("commune", "village", "female", "year", "name", "cccd")))

    def __len__(self) -> int:
        return len(self.commune)


def _villages(places: Places, commune: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.searchsorted(places.village_cdf, commune + rng.random(len(commune))).astype(np.int32)


def _years(n: int, rng: np.random.Generator) -> np.ndarray:
    kind = rng.random(n)
    old = rng.triangular(1925, 1944, 1962, n)  # the elderly: most beneficiaries
    adult = rng.triangular(1940, 1968, 2005, n)
    child = rng.uniform(2004, 2016, n)
    return np.where(kind < 0.5, old, np.where(kind < 0.9, adult, child)).astype(np.int32)


def _draw(n: int, table: tuple[np.ndarray, np.ndarray] | np.ndarray, rng: np.random.Generator,
          p: np.ndarray | None = None) -> np.ndarray:
    if isinstance(table, tuple):
        values, p = table
    else:
        values = table
    return values[rng.choice(len(values), size=n, p=p)]


def _names(commune: np.ndarray, female: np.ndarray, year: np.ndarray, places: Places,
           rng: np.random.Generator) -> np.ndarray:
    n = len(commune)
    north = places.north[commune]
    surname = np.where(north, rng.choice(len(SURNAMES), n, p=_W_NORTH / _W_NORTH.sum()),
                       rng.choice(len(SURNAMES), n, p=_W_SOUTH / _W_SOUTH.sum()))
    middle = np.where(female, _draw(n, _MID_F, rng), _draw(n, _MID_M, rng))
    young = (year >= 1990) & (rng.random(n) < 0.5)
    thi = np.isin(middle, [_M_INDEX["Thị"], _M_INDEX["Thị Thu"], _M_INDEX["Thị Kim"], _M_INDEX["Thị Ngọc"]])
    yf = np.array([_M_INDEX[m] for m in _YOUNG_FEMALE])
    ym = np.array([_M_INDEX[m] for m in _YOUNG_MALE])
    middle = np.where(female & young & thi, yf[rng.integers(0, len(yf), n)], middle)
    middle = np.where(~female & young & (middle == _M_INDEX["Văn"]), ym[rng.integers(0, len(ym), n)], middle)
    middle = np.where(female & ~(young & thi) & (rng.random(n) < 0.05), 0, middle)  # no middle name
    given = np.where(female, _draw(n, _GIVEN_F, rng, _zipf(len(_GIVEN_F))),
                     _draw(n, _GIVEN_M, rng, _zipf(len(_GIVEN_M))))
    return (surname.astype(np.int64) * len(MIDDLES) + middle) * len(GIVEN) + given


def name_text(name_id: int) -> str:
    rest, given = divmod(int(name_id), len(GIVEN))
    surname, middle = divmod(rest, len(MIDDLES))
    return " ".join(w for w in (SURNAMES[surname], MIDDLES[middle], GIVEN[given]) if w)


def _cccd(commune: np.ndarray, female: np.ndarray, year: np.ndarray, places: Places,
          rng: np.random.Generator) -> np.ndarray:
    n = len(commune)
    prov = places.province[commune]
    home = np.array([rng.choice(places.ppp[p]) for p in range(len(places.ppp))])
    everywhere = np.array(sorted(int(c) for c in adminunits.cccd_province_codes()))
    ppp = np.where(rng.random(n) < 0.85, home[prov], everywhere[rng.integers(0, len(everywhere), n)])
    # the homes of a merged province: pick among its old provinces per person
    for p, olds in enumerate(places.ppp):
        if len(olds) > 1:
            sel = (prov == p) & np.isin(ppp, olds)
            ppp[sel] = rng.choice(olds, int(sel.sum()))
    g = 2 * ((year - 1900) // 100) + female
    prefix = ppp.astype(np.int64) * 1_000_000_000 + g.astype(np.int64) * 100_000_000 + (year % 100).astype(np.int64) * 1_000_000
    out = prefix + rng.integers(0, 1_000_000, n)
    for _ in range(100):  # one number per person
        _, first = np.unique(out, return_index=True)
        dup = np.ones(n, bool)
        dup[first] = False
        if not dup.any():
            return out
        out[dup] = prefix[dup] + rng.integers(0, 1_000_000, int(dup.sum()))
    raise AssertionError("could not draw unique CCCD numbers")


def make_persons(commune: np.ndarray, places: Places, rng: np.random.Generator) -> Persons:
    n = len(commune)
    female = rng.random(n) < 0.58
    year = _years(n, rng)
    return Persons(commune.astype(np.int32), _villages(places, commune, rng), female, year,
                   _names(commune, female, year, places, rng), np.zeros(n, np.int64))


# -- the two sides -----------------------------------------------------------------------
@dataclass
class Sides:
    """A campaign, a list and the truth about them."""

    campaign: People
    other: People
    true_a: np.ndarray  # the true pairs: campaign row ↔ list row
    true_b: np.ndarray
    noise: np.ndarray  # per true pair, a mask of :data:`NOISE` bits
    decoy: np.ndarray  # per list row: DECOY_* kind
    decoy_of: np.ndarray  # per list row: the campaign row it imitates, or -1
    village_a: np.ndarray  # the true village of each row (global id), -1 where the row has no thôn
    village_b: np.ndarray
    seconds: float = 0.0


@dataclass
class _Written:
    """One side's rows as written: text ops, typo, year shift, CCCD, village, gender."""

    ops: np.ndarray
    typo: np.ndarray
    year_shift: np.ndarray
    has_cccd: np.ndarray
    as_number: np.ndarray
    style: np.ndarray
    thon_missing: np.ndarray
    gender_given: np.ndarray


def _applicable(name_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: has a middle Thị, a middle Văn, a variant family name, an oa/oe/uy."""
    rest, given = np.divmod(name_ids, len(GIVEN))
    surname, middle = np.divmod(rest, len(MIDDLES))
    first_middle = np.array([m.split()[0] if m else "" for m in MIDDLES])
    thi = first_middle[middle] == "Thị"
    van = first_middle[middle] == "Văn"
    variant = np.isin(surname, [SURNAMES.index(s) for s in _VARIANT_OF])
    tone_m = np.array([_has_old_tone(m) for m in MIDDLES])
    tone_g = np.array([_has_old_tone(g) for g in GIVEN])
    return thi, van, variant, tone_m[middle] | tone_g[given]


def _write(persons: Persons, side: int, rates: Rates, places: Places, rng: np.random.Generator) -> _Written:
    n = len(persons)

    def r(rate: tuple[float, float]) -> np.ndarray:
        return rng.random(n) < rate[side]

    thi, van, variant, tone = _applicable(persons.name)
    ops = (np.where(r(rates.plain), PLAIN, 0) | np.where(r(rates.upper), UPPER, 0)
           | np.where(tone & r(rates.old_tone), OLD_TONE, 0)
           | np.where((thi & r(rates.drop_thi)) | (van & r(rates.drop_van)), DROP_MIDDLE, 0)
           | np.where(variant & r(rates.variant), VARIANT, 0)).astype(np.int32)
    shift = np.where(r(rates.year_off), rng.choice([-1, 1], n), 0).astype(np.int32)
    adult = persons.year < 2008
    has = np.where(adult, rng.random(n) < rates.cccd[side], rng.random(n) < 0.35)
    # each commune's clerk writes villages one way; some rows another way
    habit = rng.integers(0, STYLES, len(places.codes))
    style = np.where(r(rates.thon_style), rng.integers(0, STYLES, n), habit[persons.commune]).astype(np.int8)
    gender_communes = rng.random(len(places.codes)) < rates.gender_given[side]
    return _Written(ops, r(rates.typo), shift, has, has & r(rates.cccd_number), style, r(rates.thon_missing),
                    gender_communes[persons.commune])


def _force_combined(w: _Written, persons: Persons, rows: np.ndarray, rng: np.random.Generator) -> None:
    """Two or three kinds of noise at once on the given list rows."""
    thi, van, variant, tone = _applicable(persons.name[rows])
    kinds = ("plain", "upper", "tone", "drop", "variant", "typo", "year", "cccd", "thon")
    for k, row in enumerate(rows):
        possible = [x for x in kinds if (x != "tone" or tone[k]) and (x != "drop" or thi[k] or van[k])
                    and (x != "variant" or variant[k])]
        for x in rng.choice(possible, size=int(rng.integers(2, 4)), replace=False):
            if x in ("plain", "upper", "tone", "drop", "variant"):
                w.ops[row] |= {"plain": PLAIN, "upper": UPPER, "tone": OLD_TONE, "drop": DROP_MIDDLE,
                               "variant": VARIANT}[x]
            elif x == "typo":
                w.typo[row] = True
            elif x == "year":
                w.year_shift[row] = rng.choice([-1, 1])
            elif x == "cccd":
                w.has_cccd[row] = w.as_number[row] = False
            else:
                w.thon_missing[row] = True


_NONE_LIST: list[None] = [None]


def _people(programme: str, kind: str, file: str, sheet: str, persons: Persons, w: _Written, places: Places,
            seed: int) -> tuple[People, np.ndarray]:
    """The side's :class:`People` (lists filled at once) and each row's written name id."""
    n = len(persons)
    # names: build each distinct (name, ops) once, typos one by one
    combo = persons.name * 32 + w.ops
    uniq, inverse = np.unique(combo, return_inverse=True)
    texts = np.array([apply_text(name_text(c // 32), int(c % 32)) for c in uniq], dtype=object)
    names = texts[inverse].tolist()
    text_rng = random.Random(seed)
    for i in np.flatnonzero(w.typo).tolist():
        names[i] = typo(names[i], text_rng)
    # years shared as objects
    year_objects = np.array(list(range(1900, 2031)), dtype=object)
    years = year_objects[persons.year + w.year_shift - 1900].tolist()
    # CCCD and the identity number as typed
    cccd: list[str | None] = [None] * n
    id_text: list[str | None] = [None] * n
    rows = np.flatnonzero(w.has_cccd)
    if len(rows):
        padded = np.char.zfill(persons.cccd[rows].astype("U12"), 12).tolist()
        for i, text in zip(rows.tolist(), padded):
            cccd[i] = id_text[i] = text
        # stored as a number: the leading zero(s) lost in the text as typed
        for i in np.flatnonzero(w.as_number).tolist():
            id_text[i] = str(int(persons.cccd[i]))
    # villages as written, each distinct (village, style) once
    vcombo = persons.village.astype(np.int64) * STYLES + w.style
    vuniq, vinverse = np.unique(vcombo, return_inverse=True)
    vtexts = np.array([village_text(places.village_word[v // STYLES], places.village_label[v // STYLES],
                                    int(v % STYLES)) for v in vuniq.tolist()] + [None], dtype=object)
    thon = vtexts[np.where(w.thon_missing, len(vuniq), vinverse)].tolist()
    gender = np.array(["Nam", "Nữ", None], dtype=object)[np.where(w.gender_given, persons.female, 2)].tolist()
    commune_codes = np.array(places.codes, dtype=object)
    communes = commune_codes[persons.commune].tolist()
    p = People(programme, kind=kind, files=[file])
    p.file = [0] * n
    p.sheet = [sheet] * n
    p.row = list(range(2, n + 2))
    p.name, p.cccd, p.id_text, p.birth_year, p.gender = names, cccd, id_text, years, gender
    p.commune, p.thon = communes, thon
    for col in ("address", "household", "date", "value", "voucher", "cccd_hash", "name_hash", "unit", "code", "key"):
        setattr(p, col, _NONE_LIST * n)
    if kind == "campaign":
        # the unit is the commune; Mã địa chỉ numbered within it
        order = np.argsort(persons.commune, kind="stable")
        seq = np.empty(n, np.int64)
        counts = np.bincount(persons.commune, minlength=len(places.codes))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        seq[order] = np.arange(n) - np.repeat(starts, counts)
        p.unit = communes
        p.code = [f"{c}-{s + 1:04d}" for c, s in zip(communes, seq.tolist())]
        p.key = [f"{c}|{code}" for c, code in zip(communes, p.code)]
    village = np.where(w.thon_missing, -1, persons.village).astype(np.int32)
    return p, village


def generate(communes: list[str], n_campaign: int, n_list: int, true_share: float = 0.3, seed: int = 0,
             rates: Rates | None = None, programme: str = "Giảm nghèo") -> Sides:
    """A campaign of ``n_campaign`` addresses and a list of ``n_list`` rows over the given
    communes, ``true_share`` of the campaign being in the list too (see the module)."""
    t = time.perf_counter()
    rates = rates or Rates()
    rng = np.random.default_rng(seed)
    places = make_places(communes, rng)
    n_true = round(n_campaign * true_share)
    n_d1 = round(n_campaign * rates.decoy_other_commune)
    n_d2 = round(n_campaign * rates.decoy_years_apart)
    n_own = n_list - n_true - n_d1 - n_d2
    if n_own < 0 or n_true > n_campaign:
        raise ValueError("the list is too short for the shared people and the decoys")
    ncom = len(communes)
    campaign = make_persons(rng.choice(ncom, n_campaign, p=places.weight_campaign), places, rng)
    # decoys imitate campaign people
    src1 = rng.integers(0, n_campaign, n_d1)
    other_commune = _other_commune(campaign.commune[src1], places, rng)
    d1 = campaign.take(src1)
    d1.commune = other_commune
    d1.village = _villages(places, other_commune, rng)
    src2 = rng.integers(0, n_campaign, n_d2)
    d2 = campaign.take(src2)
    d2.year = d2.year + rng.choice([-1, 1], n_d2) * rng.integers(5, 16, n_d2)
    d2.year = np.where((d2.year < 1925) | (d2.year > 2015), campaign.year[src2] + np.sign(1970 - campaign.year[src2]) * rng.integers(5, 16, n_d2), d2.year)
    d2.village = _villages(places, d2.commune, rng)
    own = make_persons(rng.choice(ncom, n_own, p=places.weight_list), places, rng)
    shared = rng.choice(n_campaign, n_true, replace=False)
    listed = Persons.concat([campaign.take(shared), d1, d2, own])
    everyone = Persons.concat([campaign, listed])
    # one CCCD per person: the shared people keep theirs
    numbers = _cccd(everyone.commune, everyone.female, everyone.year, places, rng)
    campaign.cccd = numbers[:n_campaign]
    listed.cccd = numbers[n_campaign:]
    listed.cccd[:n_true] = campaign.cccd[shared]
    decoy = np.concatenate([np.zeros(n_true, np.int8), np.full(n_d1, DECOY_OTHER_COMMUNE, np.int8),
                            np.full(n_d2, DECOY_YEARS_APART, np.int8), np.zeros(n_own, np.int8)])
    decoy_of = np.concatenate([np.full(n_true, -1), src1, src2, np.full(n_own, -1)])
    pair_of = np.concatenate([shared, np.full(n_list - n_true, -1)])  # list row → campaign person

    # the rows as written
    wa = _write(campaign, 0, rates, places, rng)
    wb = _write(listed, 1, rates, places, rng)
    combined = rng.choice(n_true, round(n_true * rates.combined), replace=False)
    _force_combined(wb, listed, combined, rng)

    # rows in the order of a consolidated file: by commune, shuffled within it
    order_a = np.lexsort((rng.random(n_campaign), campaign.commune))
    order_b = np.lexsort((rng.random(n_list), listed.commune))
    campaign, listed = campaign.take(order_a), listed.take(order_b)
    wa = _Written(*(getattr(wa, f)[order_a] for f in wa.__dataclass_fields__))
    wb = _Written(*(getattr(wb, f)[order_b] for f in wb.__dataclass_fields__))
    row_a = np.empty(n_campaign, np.int64)
    row_a[order_a] = np.arange(n_campaign)
    decoy, pair_of, decoy_of = decoy[order_b], pair_of[order_b], decoy_of[order_b]
    decoy_of = np.where(decoy_of >= 0, row_a[np.maximum(decoy_of, 0)], -1)
    true_b = np.flatnonzero(pair_of >= 0)
    true_a = row_a[pair_of[true_b]]

    a_people, village_a = _people(CAMPAIGN, "campaign", "tong-hop.xlsx", "DiaChi", campaign, wa, places, seed * 2 + 1)
    b_people, village_b = _people(programme, "list", "danh-sach.xlsx", "DanhSach", listed, wb, places, seed * 2 + 2)
    noise = _noise(a_people, b_people, wa, wb, true_a, true_b)
    return Sides(a_people, b_people, true_a, true_b, noise, decoy, decoy_of, village_a, village_b,
                 time.perf_counter() - t)


def _other_commune(commune: np.ndarray, places: Places, rng: np.random.Generator) -> np.ndarray:
    """Another commune of the same province (of the country when the province has one)."""
    out = np.empty_like(commune)
    by_province: dict[int, np.ndarray] = {}
    for p in np.unique(places.province):
        by_province[int(p)] = np.flatnonzero(places.province == p)
    prov = places.province[commune]
    for p, members in by_province.items():
        sel = np.flatnonzero(prov == p)
        if not len(sel):
            continue
        pool = members if len(members) > 1 else np.arange(len(places.codes))
        pick = pool[rng.integers(0, len(pool), len(sel))]
        clash = pick == commune[sel]
        while clash.any() and len(pool) > 1:
            pick[clash] = pool[rng.integers(0, len(pool), int(clash.sum()))]
            clash = pick == commune[sel]
        out[sel] = pick
    return out


def _noise(a: People, b: People, wa: _Written, wb: _Written, true_a: np.ndarray, true_b: np.ndarray) -> np.ndarray:
    """What differs between the two rows of each true pair (a :data:`NOISE` mask)."""
    ops_a, ops_b = wa.ops[true_a], wb.ops[true_b]
    diff = ops_a ^ ops_b
    # upper case on both sides, or old tone on a name typed without diacritics, is no difference
    plain_both = (ops_a & PLAIN) & (ops_b & PLAIN)
    diff = np.where(plain_both, diff & ~OLD_TONE, diff)
    noise = diff.astype(np.int64)
    noise |= np.where(wa.typo[true_a] | wb.typo[true_b], TYPO, 0)
    noise |= np.where(wa.year_shift[true_a] != wb.year_shift[true_b], YEAR_OFF, 0)
    has_a, has_b = wa.has_cccd[true_a], wb.has_cccd[true_b]
    noise |= np.where(has_a ^ has_b, CCCD_ONE, 0) | np.where(~has_a & ~has_b, CCCD_NONE, 0)
    noise |= np.where((has_a & wa.as_number[true_a]) | (has_b & wb.as_number[true_b]), CCCD_NUMBER, 0)
    missing = wa.thon_missing[true_a] | wb.thon_missing[true_b]
    ta = np.array(a.thon, dtype=object)[true_a]
    tb = np.array(b.thon, dtype=object)[true_b]
    noise |= np.where(missing, THON_MISSING, np.where(ta != tb, THON_OTHER, 0))
    noise |= np.where(~wb.gender_given[true_b] | ~wa.gender_given[true_a], GENDER_MISSING, 0)
    return noise
