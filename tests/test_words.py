"""Amounts in Vietnamese words and official dates (report/words.py): a golden table written
by hand (tests/data/words_golden.tsv, both reading styles), the rules as properties over
every amount, the reading parsed back to the number, and one clear line for bad input."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_nhandao.errors import RunError, UsageError
from xl_nhandao.report.words import (
    MAX_AMOUNT,
    amount_words,
    number_words,
    official_date,
    parse_amount,
    place_date,
)
from xl_nhandao.vn.values import parse_date

GOLDEN = Path(__file__).parent / "data" / "words_golden.tsv"


def _golden() -> list[tuple[int, str, str]]:
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        amount, bac = int(fields[0].replace(".", "")), fields[1]
        nam = fields[2] if len(fields) > 2 and fields[2] else bac
        rows.append((amount, bac, nam))
    return rows


ROWS = _golden()


# -- the golden table ----------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "bac", "nam"), ROWS, ids=[str(r[0]) for r in ROWS])
def test_golden_amount_in_words(amount: int, bac: str, nam: str) -> None:
    assert amount_words(amount) == bac
    assert amount_words(amount, style="bac") == bac
    assert amount_words(amount, style="nam") == nam


def test_golden_table_is_large_and_consistent() -> None:
    amounts = [a for a, _, _ in ROWS]
    assert len(amounts) >= 200
    assert len(set(amounts)) == len(amounts)
    for amount, bac, nam in ROWS:
        # the two styles differ in linh/lẻ only, and a row without a "nam" reading has no linh
        assert nam == bac.replace(" linh ", " lẻ "), amount
        assert ("linh" in bac) == (nam != bac), amount


def test_golden_table_covers_every_rule() -> None:
    amounts = {a for a, _, _ in ROWS}
    words = " ".join(b for _, b, _ in ROWS)
    for tens in range(2, 10):  # each tens word with 0, mốt, tư, lăm
        assert {tens * 10, tens * 10 + 1, tens * 10 + 4, tens * 10 + 5} <= amounts
    assert set(range(20)) <= amounts  # units and mười …
    assert {h * 100 for h in range(1, 10)} <= amounts
    for k in range(5):  # “không trăm linh năm” in each group, after a non-empty leading one
        assert 10 ** (3 * k) * 1005 in amounts
    # an empty group at each position below the leading one
    assert {1_000_005, 1_000_000_005, 1_000_005_000, 1_000_000_000_001, 1_000_000_000_000_005} <= amounts
    for word in ("nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "không trăm", "linh", "mốt", "tư", "lăm"):
        assert word in words
    assert {0, 1_500_000, 1_270_160_000, MAX_AMOUNT} <= amounts


# -- the examples of the brief and the SPEC --------------------------------------------------
@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (21, "Hai mươi mốt đồng"),
    (15, "Mười lăm đồng"),
    (25, "Hai mươi lăm đồng"),
    (105, "Một trăm linh năm đồng"),
    (24, "Hai mươi tư đồng"),
    (14, "Mười bốn đồng"),
    (104, "Một trăm linh bốn đồng"),
    (11, "Mười một đồng"),
    (101, "Một trăm linh một đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (1_270_160_000, "Một tỷ hai trăm bảy mươi triệu một trăm sáu mươi nghìn đồng"),
    (10**12, "Một nghìn tỷ đồng"),
    (2_300 * 10**9, "Hai nghìn ba trăm tỷ đồng"),
    (10**15, "Một triệu tỷ đồng"),
])
def test_examples(amount: int, words: str) -> None:
    assert amount_words(amount) == words


def test_southern_style_reads_le() -> None:
    assert amount_words(105, style="nam") == "Một trăm lẻ năm đồng"
    assert amount_words(1_000_005, style="nam") == "Một triệu không trăm lẻ năm đồng"
    assert amount_words(105, style="Nam") == amount_words(105, style="nam")
    assert amount_words(105, style="bắc") == amount_words(105)


def test_number_words_for_counts_in_a_narrative() -> None:
    assert number_words(32) == "ba mươi hai"
    assert number_words(0) == "không"
    assert number_words(105, style="nam") == "một trăm lẻ năm"
    assert f"{number_words(1_201)} địa chỉ" == "một nghìn hai trăm linh một địa chỉ"


def test_integral_floats_and_decimals_are_amounts() -> None:
    assert amount_words(1_500_000.0) == "Một triệu năm trăm nghìn đồng"
    assert amount_words(Decimal("2000")) == "Hai nghìn đồng"
    assert amount_words(Fraction(10, 2)) == "Năm đồng"


# -- the rules as properties over every amount -------------------------------------------------
_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def words_to_number(text: str) -> int:
    """The reading parsed back (independently of the writer): digits, mười, mươi, trăm,
    linh/lẻ within a group; nghìn and triệu close a group; tỷ multiplies all before it."""
    words = text.removesuffix(" đồng").lower().split()
    total = section = small = 0
    for w in words:
        if w in _DIGIT:
            small += _DIGIT[w]
        elif w == "mười":
            small += 10
        elif w == "mươi":
            small = small // 10 * 10 + small % 10 * 10
        elif w == "trăm":
            small *= 100
        elif w in ("linh", "lẻ"):
            continue
        elif w == "nghìn":
            section += small * 1000
            small = 0
        elif w == "triệu":
            section += small * 1_000_000
            small = 0
        elif w == "tỷ":
            total += (section + small) * 10**9
            section = small = 0
        else:
            raise AssertionError(f"unknown word {w!r} in {text!r}")
    return total + section + small


def _groups(text: str) -> list[str]:
    """The words between scale words (one group of three digits each)."""
    return [g.strip() for g in re.split(r"\b(?:nghìn|triệu|tỷ|đồng)\b", text.lower()) if g.strip()]


amounts = st.one_of(
    st.integers(0, 10**15),
    st.integers(0, MAX_AMOUNT),
    # many zeros: empty groups, empty hundreds and tens places
    st.lists(st.sampled_from([0, 0, 0, 1, 4, 5, 10, 11, 14, 15, 21, 24, 25, 100, 101, 105, 110, 999]),
             min_size=1, max_size=6).map(lambda gs: sum(g * 1000**i for i, g in enumerate(gs))),
)


@given(amounts)
def test_every_amount_follows_the_rules(n: int) -> None:
    text = amount_words(n)
    assert text[0].isupper() and text[1:] == text[1:].lower()
    assert text.endswith(" đồng")
    assert "  " not in text and text == text.strip()
    assert unicodedata.is_normalized("NFC", text)
    lower = f" {text.lower()} "
    for wrong in (" mươi một ", " mươi bốn ", " mươi năm ", " mười năm ", " mười tư ", " mười mốt "):
        assert wrong not in lower, text
    # mốt and tư only after a tens word of 20 or more, lăm after any tens word
    assert all(m.group(1) == "mươi" for m in re.finditer(r"(\S+) (?:mốt|tư) ", lower)), text
    assert all(m.group(1) in ("mươi", "mười") for m in re.finditer(r"(\S+) lăm ", lower)), text
    for scale in ("nghìn", "triệu", "tỷ"):
        assert f"không {scale}" not in lower, text
    assert lower.count(" tỷ ") <= 1 and "ngàn" not in lower and "tỉ" not in lower
    if n:
        assert "không" not in lower.replace("không trăm", ""), text
        assert not lower.startswith(" không trăm"), text
    # every group after the first reads its hundreds (“không trăm” when empty)
    for group in _groups(text)[1:]:
        assert " trăm" in f" {group}", text
    assert words_to_number(text) == n


@given(amounts)
def test_the_styles_differ_only_in_linh(n: int) -> None:
    bac, nam = amount_words(n), amount_words(n, style="nam")
    assert nam == bac.replace(" linh ", " lẻ ")
    assert number_words(n) == bac.removesuffix(" đồng").lower()


def test_round_trip_of_small_amounts_exhaustively() -> None:
    for n in range(0, 3000):
        assert words_to_number(amount_words(n)) == n


# -- bad input: one clear line --------------------------------------------------------------------
def _error(call, *args, **kwargs) -> RunError:
    with pytest.raises(RunError) as info:
        call(*args, **kwargs)
    assert isinstance(info.value, UsageError)
    for lang in ("vi", "en"):
        assert "\n" not in info.value.message(lang)
    return info.value


def test_the_limit_is_just_under_one_ty_ty() -> None:
    assert amount_words(MAX_AMOUNT).startswith("Chín trăm chín mươi chín triệu")
    e = _error(amount_words, MAX_AMOUNT + 1)
    assert e.code == "words-too-large"
    assert e.message("vi") == ("Số 1.000.000.000.000.000.000 quá lớn để đọc thành chữ "
                               "(tối đa 999.999.999.999.999.999).")
    assert e.message("en") == ("1,000,000,000,000,000,000 is too large to write in words "
                               "(at most 999,999,999,999,999,999).")


def test_negative_amounts_are_an_error() -> None:
    e = _error(amount_words, -5)
    assert e.code == "words-negative"
    assert e.message("vi") == "Số -5 âm; chỉ đọc thành chữ được số từ 0 trở lên."
    assert _error(number_words, -1).code == "words-negative"


def test_fractions_and_non_numbers_are_an_error() -> None:
    e = _error(amount_words, 1234.5)
    assert e.code == "words-fraction"
    assert e.message("vi").startswith("Số 1234,5 có phần lẻ")
    assert e.message("en").startswith("1234.5 has a fraction")
    assert _error(amount_words, Decimal("2.50")).code == "words-fraction"
    for value in ("1500000", True, float("nan"), float("inf"), [1]):
        assert _error(amount_words, value).code == "words-not-number"
    assert _error(amount_words, "x").message("vi") == "“x” không phải là số nên không đọc thành chữ được."
    assert _error(amount_words, None).code == "words-empty"


def test_unknown_style_is_an_error() -> None:
    e = _error(amount_words, 5, style="trung")
    assert e.code == "words-style-unknown"
    assert e.message("vi") == "Kiểu đọc “trung” không có; chọn bac (một trăm linh năm) hoặc nam (một trăm lẻ năm)."


# -- parse_amount: what `xl-nhandao words AMOUNT` accepts -----------------------------------------
@pytest.mark.parametrize("text", ["1500000", "1.500.000", "1.500.000đ", "1.500.000 đ", "1.500.000 đồng",
                                  "1,500,000", "1 500 000", "1,5 triệu", "1,5 tr", "1500 nghìn",
                                  " 1.500.000 VNĐ ", "1.500.000,00", 1500000, "1,5 trie\u0302\u0323u"])
def test_parse_amount_accepts_what_clerks_type(text: object) -> None:
    assert parse_amount(text) == 1_500_000


def test_parse_amount_big_units() -> None:
    assert parse_amount("2 tỷ") == 2_000_000_000
    assert parse_amount("0") == 0
    assert amount_words(parse_amount("1.270.160.000")) == "Một tỷ hai trăm bảy mươi triệu một trăm sáu mươi nghìn đồng"


def test_parse_amount_rejects_ambiguous_and_invalid_text() -> None:
    e = _error(parse_amount, "1.5")
    assert e.code == "amount-ambiguous"
    assert e.message("vi").startswith("“1.5” không rõ là bao nhiêu đồng")
    assert _error(parse_amount, "1.500 triệu").code == "amount-ambiguous"
    e = _error(parse_amount, "một triệu")
    assert e.code == "amount-invalid"
    assert e.message("vi") == ("“một triệu” không phải số tiền. Hãy ghi số đồng, ví dụ 1500000, 1.500.000, "
                               "1.500.000đ hoặc 1,5 triệu.")
    assert e.message("en").startswith("“một triệu” is not an amount.")
    assert _error(parse_amount, "-5.000").code == "words-negative"
    assert _error(parse_amount, -5).code == "words-negative"
    assert _error(parse_amount, "").code == "words-empty"
    assert _error(parse_amount, "  ").code == "words-empty"
    assert _error(parse_amount, "12abc").code == "amount-invalid"
    # the line stays one line whatever was typed
    assert "\\n" in _error(parse_amount, "1\n2").message("vi")


# -- official dates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
    (date(2025, 1, 1), "ngày 01 tháng 01 năm 2025"),
    (date(2023, 7, 20), "ngày 20 tháng 7 năm 2023"),
    (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
    (date(2025, 10, 31), "ngày 31 tháng 10 năm 2025"),
    (date(2025, 12, 15), "ngày 15 tháng 12 năm 2025"),
    (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
    (datetime(2026, 2, 5, 14, 30), "ngày 05 tháng 02 năm 2026"),
    ("05/02/2026", "ngày 05 tháng 02 năm 2026"),
    ("2026-02-05", "ngày 05 tháng 02 năm 2026"),
])
def test_official_date(day: object, text: str) -> None:
    assert official_date(day) == text


@given(st.dates(min_value=date(1000, 1, 1)))
def test_official_date_pads_as_the_decree_says_and_reads_back(d: date) -> None:
    text = official_date(d)
    m = re.fullmatch(r"ngày (\d\d) tháng (\d\d?) năm (\d{4})", text)
    assert m, text
    assert len(m.group(2)) == (2 if d.month <= 2 else 1 if d.month < 10 else 2)
    assert parse_date(text) == (d, None)


def test_official_date_rejects_what_is_not_a_date() -> None:
    e = _error(official_date, "31/02/2026")
    assert e.code == "official-date-invalid"
    assert e.message("vi") == ("“31/02/2026” không phải là ngày nên không ghi được ngày văn bản. "
                               "Hãy ghi ngày trước tháng sau, ví dụ 05/02/2026.")
    assert _error(official_date, None).code == "official-date-invalid"
    assert _error(official_date, 45000).code == "official-date-invalid"


def test_place_date() -> None:
    assert place_date("Khánh Hòa", date(2026, 2, 5)) == "Khánh Hòa, ngày 05 tháng 02 năm 2026"
    nfd = unicodedata.normalize("NFD", "Khánh Hòa")
    assert place_date(f"  {nfd}\u00a0 ", "20/7/2023") == "Khánh Hòa, ngày 20 tháng 7 năm 2023"
    assert place_date("Thành phố Hồ Chí Minh,", date(2025, 11, 24)) == \
        "Thành phố Hồ Chí Minh, ngày 24 tháng 11 năm 2025"
    e = _error(place_date, "  ", date(2026, 2, 5))
    assert e.code == "place-missing"
