"""Messages a clerk reads: a year, a row number or a code is never written with a
thousands separator (``năm sinh 1.978``), English counts agree with their noun (``1 error``,
``2 errors``), and an invalid CCCD says what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from books import clean_book, write
from conftest import TODAY

from xl_nhandao.errors import RunError
from xl_nhandao.i18n import render
from xl_nhandao.issues import Issue
from xl_nhandao.validate import validate_file
from xl_nhandao.vn.adminunits import cccd_province_codes
from xl_nhandao.vn.values import cccd_fault, parse_cccd


# -- a year, a row, a code: no thousands separator -------------------------------------------
def test_birth_year_from_the_cccd_is_a_year(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 0, "Năm sinh", 1978)  # the CCCD 056050001234 says 1950
    report = validate_file(write(book, tmp_path / "nam-sinh-lech-cccd.xlsx"), TODAY)
    issue = next(i for i in report.issues if i.code == "cccd-year-mismatch")
    assert issue.message("vi") == "Số CCCD cho năm sinh 1950 nhưng Năm sinh ghi 1978."
    assert issue.message("en") == "The CCCD says born 1950 but the birth year is 1978."


def test_birth_year_out_of_range_names_years(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 0, "Năm sinh", 1850)
    report = validate_file(write(book, tmp_path / "nam-sinh-1850.xlsx"), TODAY)
    issue = next(i for i in report.issues if i.code == "year-out-of-range")
    assert issue.message("vi") == "Năm sinh 1850 ngoài khoảng 1900–2024."
    assert issue.message("en") == "Birth year 1850 is outside 1900–2024."


def test_row_numbers_are_never_grouped() -> None:
    issue = Issue("duplicate-address-code", "DiaChi", 2345, "Mã địa chỉ", "B2345", "22333-0001",
                  {"first_row": 1204})
    assert issue.message("vi") == "Mã địa chỉ 22333-0001 đã dùng ở dòng 1204."
    assert issue.message("en") == "Address code 22333-0001 is already used on row 1204."
    missing = Issue("required-missing", "DiaChi", 12345, "Họ và tên", "C12345")
    assert missing.hint("vi") == "Điền “Họ và tên” cho dòng 12345."
    too_long = RunError("too-many-rows", sheet="DiaChi", path="so.xlsx", rows=1048576, cell="A1048576", limit=600000)
    assert "có dữ liệu đến dòng 1048576 (ô A1048576), vượt giới hạn 600.000 dòng" in too_long.message("vi")
    assert "has data down to row 1048576 (cell A1048576), over the 600,000-row limit" in too_long.message("en")


def test_amounts_keep_their_separator() -> None:
    issue = Issue("total-row-mismatch", "TroGiup", 9, "Giá trị (đồng)", "G9", "2.000.000", {"expected": 16750000})
    assert issue.message("vi").endswith("nhưng cộng các dòng được 16.750.000.")
    assert issue.message("en").endswith("but the rows add up to 16,750,000.")


# -- English plurals ---------------------------------------------------------------------------
def test_english_plurals_agree_with_their_count() -> None:
    one = Issue("legacy-text", "DiaChi", params={"count": 1, "column": "Họ và tên", "encoding": "VNI"})
    two = Issue("legacy-text", "DiaChi", params={"count": 2, "column": "Họ và tên", "encoding": "VNI"})
    assert one.message("en") == "1 cell in column “Họ và tên” uses the legacy VNI encoding; read as Unicode."
    assert two.message("en") == "2 cells in column “Họ và tên” use the legacy VNI encoding; read as Unicode."
    assert one.message("vi").startswith("1 ô ở cột")
    none = RunError("no-submissions", count=1, example="a.xlsx: …", example_en="a.xlsx: …")
    assert none.message("en").startswith("No usable submission among the 1 file read;")
    assert RunError("no-submissions", count=3, example="", example_en="").message("en").startswith(
        "No usable submission among the 3 files read;")


def test_plural_choice_in_any_template() -> None:
    template = "{n} {n:row|rows} of {total} {total:row|rows}"
    assert render(template, {"n": 1, "total": 1200}, "en") == "1 row of 1,200 rows"
    assert render(template, {"n": 0, "total": 1}, "en") == "0 rows of 1 row"


# -- the CCCD says what is wrong ---------------------------------------------------------------
PROVINCES = cccd_province_codes()


@pytest.mark.parametrize(
    ("raw", "vi", "en"),
    [
        ("99912345678", "11 chữ số, thiếu 1", "11 digits, 1 missing"),  # no province even padded
        (99912345678.0, "11 chữ số, thiếu 1", "11 digits, 1 missing"),  # a number cell
        ("12345", "5 chữ số, thiếu 7", "5 digits, 7 missing"),
        ("7", "1 chữ số, thiếu 11", "1 digit, 11 missing"),
        ("0791234567890", "13 chữ số, thừa 1", "13 digits, 1 too many"),
        ("099123456789", "3 số đầu 099 không phải mã tỉnh nơi đăng ký khai sinh",
         "the first three digits 099 are not a birth-province code"),
        ("07912345678A", "có ký tự không phải chữ số", "it has characters other than digits"),
        ("079.123.456.78O", "có ký tự không phải chữ số", "it has characters other than digits"),
        (-79123456789.0, "có ký tự không phải chữ số", "it has characters other than digits"),
    ],
)
def test_invalid_cccd_says_why(raw: object, vi: str, en: str) -> None:
    assert parse_cccd(raw, PROVINCES) == (None, "cccd-invalid")
    assert cccd_fault(raw, PROVINCES) is not None
    from xl_nhandao.vn.values import display

    issue = Issue("cccd-invalid", "DiaChi", 5, "Số CCCD", "G5", display(raw))
    assert issue.message("vi") == f"Số CCCD “{display(raw)}” không hợp lệ: {vi}."
    assert issue.message("en") == f"CCCD number “{display(raw)}” is not valid: {en}."


@pytest.mark.parametrize("raw", ["079123456789", "79123456789", 79123456789.0, "123456789", "079 123 456 789"])
def test_a_cccd_that_is_taken_has_no_fault(raw: object) -> None:
    value, code = parse_cccd(raw, PROVINCES)
    assert value is not None and code != "cccd-invalid"
    assert cccd_fault(raw, PROVINCES) is None


def test_invalid_cccd_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xl_nhandao.cli import main

    book = clean_book()
    book.set("DiaChi", 0, "Số CCCD", "99912345678")
    path = write(book, tmp_path / "cccd-thieu-so.xlsx")
    assert main(["validate", str(path)]) == 1
    assert "Số CCCD “99912345678” không hợp lệ: 11 chữ số, thiếu 1." in capsys.readouterr().out


def test_consolidation_reasons_count_in_english() -> None:
    from xl_nhandao.consolidate.model import Reason

    assert Reason("covered-twice", {"count": 1, "units": "22333"}).text("en") == (
        "1 row of unit(s) 22333 is already in their own submission; not counted again.")
    assert Reason("covered-twice", {"count": 1200, "units": "22333"}).text("vi").startswith("1.200 dòng của đơn vị")


def test_a_rate_keeps_its_decimal() -> None:
    """A rate of 59.0 % reads 59,0 like 67,6 beside it, not as a count."""
    from xl_nhandao.i18n import fmt_int

    assert (fmt_int(59.0), fmt_int(67.6), fmt_int(59.0, "en"), fmt_int(1_500_000)) == ("59,0", "67,6", "59.0", "1.500.000")
