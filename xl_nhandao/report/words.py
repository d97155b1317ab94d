"""Amounts in Vietnamese words and official dates, as official documents write them.

``amount_words(1_500_000) == "Một triệu năm trăm nghìn đồng"`` is what a report's
``{{ … | chu }}`` filter and ``xl-nhandao words`` print; ``official_date`` writes
``ngày 05 tháng 02 năm 2026``. Our own implementation: num2words (0.5.14) drops
“không trăm” (1005 “một nghìn lẻ năm”), repeats tỷ (2 300 × 10^9 “hai nghìn tỷ ba trăm
tỷ”) and has only “bốn” and “lẻ”.

How an amount is read — the convention of the school textbooks (SGK Toán 3–5: 2005 “hai
nghìn không trăm linh năm”, 2020 “hai nghìn không trăm hai mươi”, 472 036 953 “bốn trăm bảy
mươi hai triệu không trăm ba mươi sáu nghìn chín trăm năm mươi ba”), which accounting
software, invoices and banking apps follow when they write “Số tiền bằng chữ”:

1. Digits: không một hai ba bốn năm sáu bảy tám chín; 10 “mười”, 20 … 90 “hai mươi” …
   “chín mươi” (never “một mươi”).
2. Units after a tens word change their name:
   - 1 is “mốt” after a tens word of 20 or more: 21 “hai mươi mốt”, 91 “chín mươi mốt”;
     after “mười” it stays “một”: 11 “mười một”; after linh: 101 “một trăm linh một”.
   - 4 is “tư” after a tens word of 20 or more: 24 “hai mươi tư” (“hai mươi bốn” is also
     correct speech; banks and accounting software write “tư”, so do we); 14 “mười bốn”;
     104 “một trăm linh bốn”.
   - 5 is “lăm” after any tens word: 15 “mười lăm”, 25 “hai mươi lăm”; alone and after
     linh it is “năm”: 5 “năm”, 105 “một trăm linh năm”. (“nhăm” is colloquial; not used.)
3. A zero tens digit between hundreds and units reads “linh” (style ``"bac"``, the
   default, as textbooks and most official documents write) or “lẻ” (style ``"nam"``,
   ``--kieu-doc nam``): 105 “một trăm linh năm” / “một trăm lẻ năm”. The style changes
   nothing else.
4. Groups of three digits from the right, named nghìn, triệu, tỷ. Always “nghìn” (the
   standard word in textbooks and administrative documents), never “ngàn”, in both styles;
   always “tỷ”, never “tỉ”.
5. The leading group reads only what it has: 5 000 “năm nghìn”, 15 000 “mười lăm nghìn”,
   205 000 “hai trăm linh năm nghìn”.
6. Every later group that is not empty reads all three places: an empty hundreds place is
   “không trăm”: 1 005 “một nghìn không trăm linh năm”, 1 050 “một nghìn không trăm năm
   mươi”, 1 050 000 “một triệu không trăm năm mươi nghìn”, 1 010 “một nghìn không trăm
   mười”.
7. An empty group (000) is not read at all — no “không nghìn”, no “không triệu” — and the
   next non-empty group still reads all three places (rule 6): 1 000 005 “một triệu không
   trăm linh năm”, 1 000 500 “một triệu năm trăm”, 1 000 000 005 “một tỷ không trăm linh
   năm”, 2 000 000 “hai triệu”. (Some speakers read “một triệu không nghìn không trăm linh
   năm”; documents and software skip the empty group.)
8. Above 999 999 999 the number of tỷ is itself read by these rules and followed by “tỷ”
   once: 10^12 “một nghìn tỷ”, 2 300 × 10^9 “hai nghìn ba trăm tỷ”, 1 005 × 10^9 “một
   nghìn không trăm linh năm tỷ”, 10^15 “một triệu tỷ”; what is below a tỷ follows as
   later groups (rule 6–7): 1 000 000 005 000 “một nghìn tỷ không trăm linh năm nghìn”.
   The largest amount read is 10^18 − 1 (“chín trăm chín mươi chín triệu … tỷ …”): one tỷ
   tỷ is not a reading anyone writes, and no humanitarian total comes near it
   (``words-too-large``).
9. 0 is “Không đồng”. A negative amount is an error (``words-negative``), not “Âm …”: a
   total in words on an official document is never negative, and a negative one is a
   computation to fix, as the register's reader treats a negative amount
   (``money-negative``).
10. ``amount_words`` capitalises the first letter and ends in “ đồng”, with no “chẵn” and
    no commas between groups; ``number_words`` gives the same reading in lower case
    without “đồng”, for counts in a narrative (“ba mươi hai xã”).

Dates (Decree 30/2020/NĐ-CP, Appendix I): “ngày 05 tháng 02 năm 2026” — a day below 10
and the months 1 and 2 take a leading zero, the other months do not (“ngày 20 tháng 7 năm
2023”, “ngày 15 tháng 12 năm 2025”); the year is never grouped.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from ..errors import RunError
from ..i18n import Phrase
from ..vn.text import strip_diacritics
from ..vn.values import parse_date, parse_money

__all__ = ["MAX_AMOUNT", "STYLES", "amount_words", "number_words", "official_date",
           "parse_amount", "place_date"]

#: The largest number read: just under one tỷ tỷ (10^18).
MAX_AMOUNT = 10**18 - 1

#: Reading styles: the word for a zero tens digit between hundreds and units.
STYLES = {"bac": "linh", "nam": "lẻ"}

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
#: The scale word of each group of three digits, from the units group up: the three
#: upper groups are the number of tỷ, read with nghìn and triệu and followed by “tỷ” (rule 8).
_SCALES = ("", "nghìn", "triệu", "", "nghìn", "triệu")


def _style_word(style: str) -> str:
    key = strip_diacritics(str(style)).strip().lower()
    if key not in STYLES:
        raise RunError("words-style-unknown", style=str(style))
    return STYLES[key]


def _tens_and_units(tens: int, units: int) -> list[str]:
    """The last two places after a tens word (rule 2); ``tens`` ≥ 1."""
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(n: int, full: bool, linh: str) -> list[str]:
    """One group of three digits, 1 ≤ ``n`` ≤ 999; ``full``: read the hundreds place even
    when it is zero (every group but the leading one, rule 6)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
        if tens == 0 and units:
            words += [linh, _DIGITS[units]]
    elif tens == 0:
        words.append(_DIGITS[units])
    if tens:
        words += _tens_and_units(tens, units)
    return words


def _whole(n: object) -> int:
    """``n`` as an int: any integral number (a float or Decimal read from a cell); anything
    else is a clear error."""
    if isinstance(n, bool):
        raise RunError("words-not-number", value=str(n))
    if isinstance(n, int):
        return n
    if isinstance(n, (float, Decimal, Fraction)):
        if isinstance(n, (float, Decimal)) and not math.isfinite(n):
            raise RunError("words-not-number", value=str(n))
        if n != int(n):
            shown = str(float(n)) if isinstance(n, Fraction) else str(n)
            raise RunError("words-fraction", value=Phrase(shown.replace(".", ","), shown))
        return int(n)
    if n is None or (isinstance(n, str) and not n.strip()):
        raise RunError("words-empty")
    raise RunError("words-not-number", value=str(n))


def number_words(n: int, *, style: str = "bac") -> str:
    """``n`` (0 … 10^18 − 1) in Vietnamese words, lower case: 32 → ``ba mươi hai``,
    105 → ``một trăm linh năm`` (``style="nam"``: ``một trăm lẻ năm``). The rules are the
    module's (docstring). A negative, fractional or larger number is a :class:`RunError`."""
    linh = _style_word(style)
    n = _whole(n)
    if n < 0:
        raise RunError("words-negative", value=n)
    if n > MAX_AMOUNT:
        raise RunError("words-too-large", value=n, limit=MAX_AMOUNT)
    if n == 0:
        return _DIGITS[0]
    groups = [n // 1000**i % 1000 for i in range(len(_SCALES))]
    top = max(i for i, g in enumerate(groups) if g)
    words: list[str] = []
    for i in range(top, -1, -1):
        if groups[i]:
            words += _group(groups[i], i < top, linh)
            if _SCALES[i]:
                words.append(_SCALES[i])
        if i == 3:  # the number of tỷ is read: “tỷ” follows it once (rule 8)
            words.append("tỷ")
    return " ".join(words)


def amount_words(amount: int, *, style: str = "bac") -> str:
    """An amount in đồng in words, as official documents write it: first letter capital,
    ending in “ đồng”. 1_500_000 → ``Một triệu năm trăm nghìn đồng``; 0 → ``Không đồng``;
    105 → ``Một trăm linh năm đồng`` (``style="nam"``: ``Một trăm lẻ năm đồng``).

    ``amount`` is a whole number of đồng from 0 to 10^18 − 1 (an integral float or Decimal
    is accepted); anything else raises :class:`RunError` with a one-line message."""
    words = number_words(amount, style=style)
    return f"{words[0].upper()}{words[1:]} đồng"


_AMOUNT_CODES = {"money-negative": "words-negative", "money-ambiguous": "amount-ambiguous"}


def parse_amount(text: object) -> int:
    """An amount as a user types it (``xl-nhandao words AMOUNT``): ``1500000``,
    ``1.500.000``, ``1.500.000đ``, ``1 500 000 đồng``, ``1,5 triệu``, ``2 tỷ`` → int, by
    the register's money reader (SPEC §2). ``1.5`` (1,5 triệu or 15 đồng?) and anything
    not an amount raise :class:`RunError`."""
    raw = unicodedata.normalize("NFC", text.strip()) if isinstance(text, str) else text
    if raw is None or raw == "":
        raise RunError("words-empty")
    value, code = parse_money(raw)
    if code is None and isinstance(value, int):
        return value
    if code == "money-negative" and isinstance(raw, int):
        raise RunError("words-negative", value=raw)
    raise RunError(_AMOUNT_CODES.get(code or "", "amount-invalid"), value=str(raw))


def official_date(d: date | datetime | str) -> str:
    """``ngày 05 tháng 02 năm 2026``: the date as an official document writes it (Decree
    30/2020/NĐ-CP): day below 10 and months 1–2 zero-padded, the year never grouped. A
    string is read day-first (``05/02/2026``, ``2026-02-05``)."""
    if isinstance(d, datetime):
        d = d.date()
    elif isinstance(d, str):
        parsed, _ = parse_date(d.strip())
        if not isinstance(parsed, date):
            raise RunError("official-date-invalid", value=d.strip())
        d = parsed
    elif not isinstance(d, date):
        raise RunError("official-date-invalid", value="" if d is None else str(d))
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date(place: str, d: date | datetime | str) -> str:
    """``Khánh Hòa, ngày 05 tháng 02 năm 2026``: the place-and-date line of an official
    document (the place as given, NFC, spaces tidied)."""
    name = " ".join(unicodedata.normalize("NFC", place or "").split()).rstrip(",")
    if not name:
        raise RunError("place-missing")
    return f"{name}, {official_date(d)}"
