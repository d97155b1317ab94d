"""Every issue code of the catalogue, each triggered by one change to a clean workbook:
the validator reports exactly the expected issues (code, sheet, cell) and no others."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from books import Book, clean_book, write
from conftest import TODAY
from openpyxl import load_workbook

from xl_nhandao.issues import CATALOGUE
from xl_nhandao.validate import validate_file

Expected = list[tuple[str, str | None, str | None]]


def _set(sheet: str, index: int, header: str, value: object) -> Callable[[Book], None]:
    return lambda b: b.set(sheet, index, header, value)


def _info(label: str, value: object) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        assert b.info is not None
        if value is None:
            b.info.pop(label, None)
        else:
            b.info[label] = value

    return change


def _many(*changes: Callable[[Book], None]) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        for c in changes:
            c(b)

    return change


def _drop_sheet(name: str) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        if name == "ThongTin":
            b.info = None
        else:
            del b.tables[name]

    return change


def _drop_column(sheet: str, header: str) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        hdrs, rows = b.tables[sheet]
        i = hdrs.index(header)
        b.tables[sheet] = (hdrs[:i] + hdrs[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])

    return change


def _add_column(sheet: str, header: str, value: object) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        hdrs, rows = b.tables[sheet]
        b.tables[sheet] = ([*hdrs, header], [[*r, value] for r in rows])

    return change


def _copy_row(sheet: str, index: int, **changes: object) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        hdrs, rows = b.tables[sheet]
        row = list(rows[index])
        for header, value in changes.items():
            row[hdrs.index(header.replace("_", " "))] = value
        rows.append(row)

    return change


def _garbage_sheet(name: str) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        b.tables[name] = (["Cột 1", "Cột 2"], [["a", "b"]])

    return change


def _total(value: int) -> Callable[[Book], None]:
    def change(b: Book) -> None:
        hdrs, rows = b.tables["TroGiup"]
        row: list[object] = [None] * len(hdrs)
        row[0] = "Tổng cộng"
        row[hdrs.index("Giá trị (đồng)")] = value
        rows.append(row)

    return change


D, K, T = "DiaChi", "DangKy", "TroGiup"

# code -> (change, SoLieu rows or None, expected issues)
CASES: dict[str, tuple[Callable[[Book], None], list[list[object]] | None, Expected]] = {
    "sheet-missing": (_drop_sheet("ThongTin"), None, [("sheet-missing", "ThongTin", None)]),
    "sheet-empty-missing": (_drop_sheet(T), None, [("sheet-empty-missing", T, None)]),
    "header-not-found": (_garbage_sheet(K), None, [("header-not-found", K, None)]),
    "column-missing": (_drop_column(D, "Họ và tên"), None, [("column-missing", D, None)]),
    "column-duplicate": (_add_column(D, "Ghi chú", "x"), None, [("column-duplicate", D, "U3")]),
    "column-unknown": (_add_column(T, "Người nhận thay", "x"), None, [("column-unknown", T, "M3")]),
    "template-version": (_info("Phiên bản mẫu", "XLND-0"), None, [("template-version", "ThongTin", "B3")]),
    "legacy-text": (_set(D, 0, "Họ và tên", "NguyÔn V¨n An"), None, [("legacy-text", D, None)]),
    "total-row-mismatch": (_total(1), None, [("total-row-mismatch", T, "G7")]),
    "info-missing": (_info("Kỳ báo cáo", None), None, [("info-missing", "ThongTin", None)]),
    "unit-unknown": (_info("Mã xã", "99999"), None, [("unit-unknown", "ThongTin", "B7")]),
    "unit-name-mismatch": (_info("Xã/Phường", "Phường Nam Nha Trang"), None,
                           [("unit-name-mismatch", "ThongTin", "B6")]),
    "unit-outside-province": (_info("Mã tỉnh", "01"), None,
                              [("unit-name-mismatch", "ThongTin", "B4"), ("unit-outside-province", "ThongTin", "B7")]),
    "period-invalid": (_info("Kỳ báo cáo", "2024-H3"), None, [("period-invalid", "ThongTin", "B11")]),
    "period-dates-mismatch": (_many(_info("Từ ngày", date(2024, 1, 1)), _info("Đến ngày", date(2024, 6, 30))),
                              None, [("period-dates-mismatch", "ThongTin", "B16")]),
    "period-range-invalid": (_many(_info("Từ ngày", date(2024, 6, 1)), _info("Đến ngày", date(2024, 1, 1))),
                             None, [("period-range-invalid", "ThongTin", "B16")]),
    "report-date-missing": (_info("Ngày lập báo cáo", None), None, [("report-date-missing", "ThongTin", None)]),
    "report-date-early": (_info("Ngày lập báo cáo", date(2023, 11, 1)), None,
                          [("report-date-early", "ThongTin", "B12")]),
    "required-missing": (_set(D, 0, "Họ và tên", None), None,
                         [("required-missing", D, "C4"), ("address-has-errors", T, "C4")]),
    "date-invalid": (_set(D, 2, "Ngày lập hồ sơ", "31/02/2024"), None, [("date-invalid", D, "N6")]),
    "date-out-of-range": (_set(D, 2, "Ngày lập hồ sơ", "01/01/1999"), None, [("date-out-of-range", D, "N6")]),
    "date-in-future": (_set(D, 2, "Ngày lập hồ sơ", date(2025, 1, 1)), None, [("date-in-future", D, "N6")]),
    "date-after-report": (_set(T, 1, "Ngày trợ giúp", date(2024, 6, 1)), None, [("date-after-report", T, "B5")]),
    "year-invalid": (_set(D, 2, "Năm sinh", 19855), None, [("year-invalid", D, "D6")]),
    "year-out-of-range": (_set(D, 2, "Năm sinh", 1890), None, [("year-out-of-range", D, "D6")]),
    "money-invalid": (_set(T, 1, "Giá trị (đồng)", "bảy trăm"), None, [("money-invalid", T, "G5")]),
    "money-ambiguous": (_set(T, 1, "Giá trị (đồng)", "1.5"), None, [("money-ambiguous", T, "G5")]),
    "money-negative": (_set(T, 1, "Giá trị (đồng)", -750000), None, [("money-negative", T, "G5")]),
    "money-zero": (_set(T, 1, "Giá trị (đồng)", 0), None, [("money-zero", T, "G5")]),
    "int-invalid": (_set(D, 2, "Thứ tự ưu tiên", 0), None, [("int-invalid", D, "Q6")]),
    "number-invalid": (lambda b: None, [["dia_chi_co_ho_so", "Số địa chỉ", "ba"]],
                       [("number-invalid", "SoLieu", "C2")]),
    "yesno-invalid": (_set(K, 0, "Người đứng đầu", "Chắc vậy"), None, [("yesno-invalid", K, "D4")]),
    "code-unknown": (_set(D, 2, "Đối tượng", "XYZ"), None, [("code-unknown", D, "J6")]),
    "cccd-invalid": (_set(D, 2, "Số CCCD", "12AB"), None, [("cccd-invalid", D, "G6")]),
    "cccd-padded": (_set(D, 0, "Số CCCD", 56050001234), None, [("cccd-padded", D, "G4")]),
    "cmnd-old": (_set(D, 2, "Số CCCD", "212345678"), None, [("cmnd-old", D, "G6")]),
    "cccd-year-mismatch": (_set(D, 0, "Năm sinh", 1951), None, [("cccd-year-mismatch", D, "D4")]),
    "cccd-gender-mismatch": (_set(D, 0, "Giới tính", "Nữ"), None, [("cccd-gender-mismatch", D, "E4")]),
    "commune-unknown": (_set(D, 2, "Mã xã", "99999"), None, [("commune-unknown", D, "I6")]),
    "commune-name-as-code": (_set(D, 2, "Mã xã", "Bắc Nha Trang"), None, [("commune-name-as-code", D, "I6")]),
    "commune-outside-unit": (_set(D, 2, "Mã xã", "22366"), None, [("commune-outside-unit", D, "I6")]),
    "duplicate-address-code": (_set(D, 2, "Mã địa chỉ", "22333-0001"), None,
                               [("duplicate-address-code", D, "B6")]),
    "duplicate-cccd": (_many(_set(D, 2, "Số CCCD", "056050001234"), _set(D, 2, "Năm sinh", 1950)), None,
                       [("duplicate-cccd", D, "G6")]),
    "duplicate-person": (_many(_set(D, 2, "Họ và tên", "Trần Thị Bình"), _set(D, 2, "Năm sinh", 1985)), None,
                         [("duplicate-person", D, "C6")]),
    "approval-before-dossier": (_set(D, 2, "Ngày phê duyệt", date(2023, 5, 1)), None,
                                [("approval-before-dossier", D, "O6")]),
    "inhandao-before-dossier": (_set(D, 2, "Ngày cập nhật iNHANDAO", date(2023, 5, 1)), None,
                                [("inhandao-before-dossier", D, "P6")]),
    "address-unknown": (_set(T, 0, "Mã địa chỉ", "22333-9999"), None, [("address-unknown", T, "C4")]),
    "address-has-errors": (_set(D, 0, "Năm sinh", 19855), None,
                           [("year-invalid", D, "D4"), ("address-has-errors", T, "C4")]),
    "event-before-dossier": (_set(T, 0, "Ngày trợ giúp", date(2023, 11, 30)), None,
                             [("event-before-dossier", T, "B4")]),
    "other-programme-missing": (_set(T, 2, "Tên chương trình khác", None), None,
                                [("other-programme-missing", T, "I6")]),
    "duplicate-event": (_copy_row(T, 0, Số_chứng_từ="PC-009"), None, [("duplicate-event", T, "C7")]),
    "duplicate-voucher": (_set(T, 1, "Số chứng từ", "PC-001"), None, [("duplicate-voucher", T, "K5")]),
    "indicator-unknown": (lambda b: None, [["so_ho_ngheo", "Số hộ nghèo", 4]], [("indicator-unknown", "SoLieu", "A2")]),
    "solieu-mismatch": (lambda b: None, [["dia_chi_co_ho_so", "Số địa chỉ có hồ sơ", 5]],
                        [("solieu-mismatch", "SoLieu", "C2")]),
}


def test_every_catalogue_code_has_a_case() -> None:
    assert set(CASES) == set(CATALOGUE)


@pytest.mark.parametrize("code", sorted(CASES))
def test_issue_code(code: str, tmp_path: Path) -> None:
    change, solieu, expected = CASES[code]
    book = clean_book()
    change(book)
    path = write(book, tmp_path / f"{code}.xlsx", solieu=solieu)
    report = validate_file(path, today=TODAY)
    got = [(i.code, i.sheet, i.cell) for i in report.issues]
    assert got == expected
    issue = next(i for i in report.issues if i.code == code)
    assert issue.severity == CATALOGUE[code].severity
    assert report.valid == (not any(i.severity == "error" for i in report.issues))
    # Every placeholder of the message and the hint is filled (no "?" stand-ins), the
    # issue's own parameters and those derived from them (a CCCD's fault) included.
    params = issue._params()
    for lang in ("vi", "en"):
        for template in (issue.type.message(lang), issue.type.hint(lang)):
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert names <= set(params), names - set(params)
        assert issue.message(lang) and "{" not in issue.message(lang) + issue.hint(lang)


def test_messages_say_where_and_what(tmp_path: Path) -> None:
    book = clean_book()
    book.set(D, 2, "Năm sinh", 19855)
    report = validate_file(write(book, tmp_path / "typo.xlsx"), today=TODAY)
    (issue,) = report.issues
    assert issue.as_json("vi") == {
        "code": "year-invalid",
        "severity": "error",
        "sheet": "DiaChi",
        "row": 6,
        "column": "Năm sinh",
        "cell": "D6",
        "value": "19855",
        "message": "“19855” không phải năm sinh hợp lệ.",
        "hint": "Ghi năm sinh 4 chữ số, ví dụ 1956.",
    }
    assert issue.message("en") == "“19855” is not a valid birth year."


def test_rows_with_errors_leave_the_figures(tmp_path: Path) -> None:
    book = clean_book()
    report = validate_file(write(book, tmp_path / "clean.xlsx"), today=TODAY)
    assert report.figures is not None
    assert report.figures["dia_chi_co_ho_so"] == 3
    assert report.figures["gia_tri_tro_giup"] == 1_750_000
    book.set(D, 0, "Năm sinh", 19855)  # address 0001 now has an error: its event is not counted
    report = validate_file(write(book, tmp_path / "error.xlsx"), today=TODAY)
    assert report.figures is not None
    assert report.figures["dia_chi_co_ho_so"] == 2
    assert report.figures["gia_tri_tro_giup"] == 750_000
    assert report.figures["to_chuc_tham_gia"] == 1  # the registration still counts


def test_solieu_that_agrees_is_silent(tmp_path: Path) -> None:
    book = clean_book()
    rows = [["dia_chi_co_ho_so", "", 3], ["gia_tri_tro_giup", "", "1.750.000"], ["ty_le_duoc_tro_giup", "", 66.7],
            ["dat_chi_tieu_dia_chi_moi", "", "Không"]]
    report = validate_file(write(book, tmp_path / "solieu.xlsx", solieu=rows), today=TODAY)
    assert report.issues == []
    assert report.stated == {"dia_chi_co_ho_so": 3, "gia_tri_tro_giup": 1_750_000, "ty_le_duoc_tro_giup": 66.7,
                             "dat_chi_tieu_dia_chi_moi": False}


def test_aggregate_only_unit_needs_no_register(tmp_path: Path) -> None:
    book = clean_book()
    book.tables.clear()
    assert book.info is not None
    book.info["Cấp đơn vị"] = "Cơ quan"
    book.info["Tên đơn vị"] = "Sở Y tế"
    book.info["Mã đơn vị"] = "SYT"
    rows = [["dia_chi_co_ho_so", "", 12], ["gia_tri_tro_giup", "", 30_000_000]]
    report = validate_file(write(book, tmp_path / "agency.xlsx", solieu=rows), today=TODAY)
    assert report.issues == []
    assert report.unit.name == "Sở Y tế"
    assert report.stated["gia_tri_tro_giup"] == 30_000_000


def test_workbook_with_only_load_errors_is_loaded_once(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "x.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["ThongTin", "DiaChi", "DangKy", "TroGiup"]
