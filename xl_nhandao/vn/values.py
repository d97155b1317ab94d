"""Cell values as clerks type them (SPEC §2).

Every parser takes the raw cell value (what python-calamine or xlwings returns: str,
float, int, bool, date, datetime, time) and returns ``(value, code)``: the clean value
(or None) and the issue code of the catalogue that applies (None when the value is
clean). A warning code comes with a usable value; an error code with None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from itertools import repeat
from operator import getitem

from .text import fold, strip_diacritics

Parsed = tuple[object, str | None]

EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers Excel can show as dates (1900-01-01 … 9999-12-31).
MAX_SERIAL = 2958465

_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})(?:\s*thang\s*|\s+)(\d{1,2})(?:\s*nam\s*|\s+)(\d{4})$")


def is_blank(v: object) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def serial_to_date(n: float) -> date | None:
    if not 1 <= n <= MAX_SERIAL:
        return None
    return EXCEL_EPOCH + timedelta(days=int(n))


def _ymd(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(v: object, two_digit_years: bool = True) -> Parsed:
    """Day-first dates in every form clerks use; never month-first."""
    if isinstance(v, datetime):
        return v.date(), None
    if isinstance(v, date):
        return v, None
    if isinstance(v, bool):
        return None, "date-invalid"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return None, "date-invalid"
        d = serial_to_date(v)
        return (d, None) if d else (None, "date-invalid")
    if isinstance(v, (time, timedelta)):
        return None, "date-invalid"
    s = str(v).strip()
    m = _DMY.match(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if len(year) == 2:
            if not two_digit_years:
                return None, "date-invalid"
            y = 2000 + int(year)
        else:
            y = int(year)
        d = _ymd(y, month, day)
        return (d, None) if d else (None, "date-invalid")
    m = _YMD.match(s)
    if m:
        d = _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d, None) if d else (None, "date-invalid")
    m = _WORDS.match(fold(s))
    if m:
        d = _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return (d, None) if d else (None, "date-invalid")
    return None, "date-invalid"


_YEAR_ONLY = re.compile(r"^(\d{4})(?:\.0+)?$")


def parse_year(v: object) -> Parsed:
    """A birth year; a full date is accepted and its year kept. Range checks are the
    validator's (they depend on the report date)."""
    if isinstance(v, bool):
        return None, "year-invalid"
    if isinstance(v, (datetime, date)):
        return v.year, None
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (not math.isfinite(v) or not v.is_integer()):
            return None, "year-invalid"
        # A number is what the clerk sees: 19855 is a slip, not a date serial (a real
        # date in a date-formatted cell arrives as a date).
        n = int(v)
        return (n, None) if 1000 <= n <= 9999 else (None, "year-invalid")
    s = str(v).strip()
    m = _YEAR_ONLY.match(s)
    if m:
        return int(m.group(1)), None
    d, _ = parse_date(s, two_digit_years=False)
    if d is not None:
        return d.year, None  # type: ignore[union-attr]
    return None, "year-invalid"


_MULTIPLIERS = (
    ("ty dong", 10**9), ("ty", 10**9), ("ti", 10**9),
    ("trieu dong", 10**6), ("trieu", 10**6), ("tr", 10**6),
    ("nghin dong", 10**3), ("ngan dong", 10**3), ("nghin", 10**3), ("ngan", 10**3), ("k", 10**3),
)
_CURRENCY = re.compile(r"\s*(?:vnd|dong|d)\s*$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,0+)?$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.0+)?$")
_GROUPED_SPACE = re.compile(r"^\d{1,3}(?: \d{3})+$")
_DECIMAL = re.compile(r"^(\d+)(?:[.,](\d+))?$")


def parse_money(v: object) -> Parsed:
    """An amount in đồng: ``1.500.000``, ``1.500.000đ``, ``1,5 triệu`` → 1500000.

    The đồng has no minor unit, so a fraction (``1.5``, 1.5) is an error: it is
    ambiguous whether the clerk meant 1,5 triệu or 15 đồng. With a multiplier word a
    decimal comma or point is fine (``1,5 triệu``), but ``1.500 triệu`` (a point or
    comma followed by exactly three digits) could be either and is an error too.
    """
    if isinstance(v, bool):
        return None, "money-invalid"
    if isinstance(v, int):
        return (v, None) if v >= 0 else (None, "money-negative")
    if isinstance(v, float):
        if not math.isfinite(v):
            return None, "money-invalid"
        if not v.is_integer():
            return None, "money-ambiguous"
        return (int(v), None) if v >= 0 else (None, "money-negative")
    if not isinstance(v, str):
        return None, "money-invalid"
    s = " ".join(strip_diacritics(v).lower().split())
    if s.startswith("-"):
        return None, "money-negative"
    s = _CURRENCY.sub("", s.lstrip("+ ")).strip()
    multiplier = 1
    for word, mult in _MULTIPLIERS:
        if s.endswith(word) and (len(s) == len(word) or not s[-len(word) - 1].isalpha()):
            s = s[: -len(word)].strip()
            multiplier = mult
            break
    if not s:
        return None, "money-invalid"
    if multiplier == 1:
        if _GROUPED_DOT.match(s):
            return int(s.split(",")[0].replace(".", "")), None
        if _GROUPED_COMMA.match(s):
            return int(s.split(".")[0].replace(",", "")), None
        if _GROUPED_SPACE.match(s):
            return int(s.replace(" ", "")), None
        if s.isdigit():
            return int(s), None
        return None, ("money-ambiguous" if _DECIMAL.match(s) else "money-invalid")
    m = _DECIMAL.match(s.replace(" ", ""))
    if not m:
        grouped = _GROUPED_DOT.match(s) or _GROUPED_COMMA.match(s)
        return None, ("money-ambiguous" if grouped else "money-invalid")
    whole, frac = m.group(1), m.group(2) or ""
    if len(frac) == 3:
        return None, "money-ambiguous"
    scaled = int(frac or "0") * multiplier
    if scaled % 10 ** len(frac):
        return None, "money-ambiguous"
    return int(whole) * multiplier + scaled // 10 ** len(frac), None


def parse_int(v: object, minimum: int | None = None) -> Parsed:
    """A whole number (a count, a priority rank)."""
    if isinstance(v, bool):
        return None, "int-invalid"
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            return None, "int-invalid"
        v = int(v)
    if isinstance(v, int):
        n = v
    else:
        s = str(v).strip().replace(".", "").replace(" ", "") if isinstance(v, str) else ""
        if not s.isdigit():
            return None, "int-invalid"
        n = int(s)
    if minimum is not None and n < minimum:
        return None, "int-invalid"
    return n, None


def parse_number(v: object) -> Parsed:
    """Any number (an indicator value in SoLieu: counts, amounts, percentages)."""
    if isinstance(v, bool):
        return None, "number-invalid"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            return None, "number-invalid"
        return (int(v) if float(v).is_integer() else float(v)), None
    s = str(v).strip().rstrip("%").strip()
    money, code = parse_money(s)
    if code is None:
        return money, None
    m = _DECIMAL.match(s)
    if m:
        return float(f"{m.group(1)}.{m.group(2)}"), None
    return None, "number-invalid"


def parse_yesno(v: object, yes: frozenset[str], no: frozenset[str]) -> Parsed:
    if isinstance(v, bool):
        return v, None
    if isinstance(v, (int, float)):
        if v == 1:
            return True, None
        if v == 0:
            return False, None
        return None, "yesno-invalid"
    if not isinstance(v, str):
        return None, "yesno-invalid"
    f = fold(v)
    if f in yes:
        return True, None
    if f in no:
        return False, None
    return None, "yesno-invalid"


def _digits(v: object) -> str | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer() or v < 0:
            return None
        return str(int(v))
    if isinstance(v, int):
        return str(v) if v >= 0 else None
    if isinstance(v, str):
        s = v.strip().lstrip("'").replace(" ", "").replace(".", "").replace("-", "")
        return s if s.isdigit() and s.isascii() else None
    return None


def parse_cccd(v: object, provinces: frozenset[str]) -> Parsed:
    """A 12-digit citizen ID. 11 digits that become valid with a leading zero (Excel
    dropped it) are padded with a warning; 9-digit CMND numbers are kept with a
    warning (not a reliable key). Why an invalid one is invalid: :func:`cccd_fault`."""
    value, code, _ = _check_cccd(v, provinces)
    return value, code


def cccd_fault(v: object, provinces: frozenset[str]) -> tuple[str, dict[str, object]] | None:
    """Why ``v`` is not a CCCD (``cccd-invalid``), as a reason and its figures:
    ``("short", {"digits": 11, "missing": 1})``, ``("long", …)``, ``("province",
    {"prefix": "099"})`` or ``("not-digits", {})``; None when :func:`parse_cccd` takes it."""
    return _check_cccd(v, provinces)[2]


def _check_cccd(v: object, provinces: frozenset[str]) -> tuple[str | None, str | None,
                                                                tuple[str, dict[str, object]] | None]:
    s = _digits(v)
    if s is None:
        return None, "cccd-invalid", ("not-digits", {})
    n = len(s)
    if n == 12:
        if s[:3] in provinces:
            return s, None, None
        return None, "cccd-invalid", ("province", {"prefix": s[:3]})
    if n == 11 and ("0" + s)[:3] in provinces:
        return "0" + s, "cccd-padded", None
    if n == 10 and ("00" + s)[:3] in provinces:
        return "00" + s, "cccd-padded", None
    if n == 9:
        return s, "cmnd-old", None
    if n > 12:
        return None, "cccd-invalid", ("long", {"digits": n, "extra": n - 12})
    return None, "cccd-invalid", ("short", {"digits": n, "missing": 12 - n})


_CENTURIES = (1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800)
#: Birth year and gender by the digits GYY of a CCCD (at most 1,000 entries).
_BIRTHS: dict[str, tuple[int, str]] = {}


def cccd_birth(cccd: str) -> tuple[int, str] | None:
    """Birth year and gender encoded in a 12-digit CCCD (G = century+gender, YY)."""
    if len(cccd) != 12:
        return None
    gyy = cccd[3:6]
    born = _BIRTHS.get(gyy)
    if born is None:
        g = int(gyy[0])
        born = _BIRTHS[gyy] = (_CENTURIES[g] + int(gyy[1:]), "Nam" if g % 2 == 0 else "Nữ")
    return born


def cccd_births(numbers: Sequence[str]) -> list[tuple[int, str]]:
    """:func:`cccd_birth` of each of a list of 12-digit CCCD numbers, at once."""
    digits = list(map(getitem, numbers, repeat(slice(3, 6))))
    for gyy in set(digits).difference(_BIRTHS):
        cccd_birth("000" + gyy + "000000")
    return list(map(_BIRTHS.__getitem__, digits))


def parse_code_digits(v: object, width: int) -> str | None:
    """A numeric administrative code whose leading zeros Excel may have dropped."""
    s = _digits(v)
    if s is None or len(s) > width:
        return None
    return s.zfill(width)


def display(v: object) -> str | None:
    """A raw cell value as the clerk sees it, for messages and the ``value`` field."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.strftime("%d/%m/%Y")
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return str(v)
