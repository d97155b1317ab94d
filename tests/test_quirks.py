"""Each clerk quirk, pinned by a tiny workbook built here: it gives exactly the expected
issues and no others, and the values read are the clean ones."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from books import Book, clean_book, write
from conftest import TODAY
from openpyxl import load_workbook
from openpyxl.styles import Font

from xl_nhandao.validate import Report, validate_file
from xl_nhandao.vn.text import _unicode_to_tcvn3, _unicode_to_vni


def check(path: Path, today: date = TODAY) -> Report:
    return validate_file(path, today=today)


def found(report: Report) -> list[tuple[str, str | None, str | None]]:
    return [(i.code, i.sheet, i.cell) for i in report.issues]


def values(report: Report, sheet: str, key: str) -> list[object]:
    return [r.values.get(key) for r in report.records(sheet)]


def test_clean_book_has_no_issues(tmp_path: Path) -> None:
    report = check(write(clean_book(), tmp_path / "clean.xlsx"))
    assert found(report) == []
    assert report.valid
    assert report.rows == {"DiaChi": 3, "DangKy": 2, "TroGiup": 3}


def test_title_block_of_any_height(tmp_path: Path) -> None:
    book = clean_book()
    book.title_rows = 7
    report = check(write(book, tmp_path / "title-block.xlsx"))
    assert found(report) == []
    assert [r.row for r in report.records("DiaChi")] == [9, 10, 11]


def test_merged_title_cells(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "merged-title.xlsx")
    wb = load_workbook(path)
    for name in ("DiaChi", "DangKy", "TroGiup"):
        wb[name].merge_cells("A1:H1")
        wb[name].merge_cells("A2:H2")
    wb["ThongTin"].merge_cells("A1:C1")
    wb.save(path)
    assert found(check(path)) == []


def _group_columns(path: Path, sheet: str, group: str, labels: list[str]) -> None:
    """Rewrite ``sheet``'s header (row 3) as two rows, as official forms do: ``group``
    over the columns ``labels`` (their own labels on row 4), every other label merged
    down over both rows."""
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.insert_rows(4)
    cols = [c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value in labels]
    assert len(cols) == len(labels) and cols == list(range(cols[0], cols[0] + len(cols)))
    for c in range(1, ws.max_column + 1):
        if c in cols:
            ws.cell(4, c, ws.cell(3, c).value)
            ws.cell(3, c).value = None
        elif ws.cell(3, c).value is not None:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(3, cols[0], group)
    ws.merge_cells(start_row=3, start_column=cols[0], end_row=3, end_column=cols[-1])
    wb.save(path)


def test_two_row_header_with_grouped_columns(tmp_path: Path) -> None:
    clean = check(write(clean_book(), tmp_path / "clean.xlsx"))
    path = write(clean_book(), tmp_path / "two-row-header.xlsx")
    _group_columns(path, "DiaChi", "Địa chỉ", ["Thôn/Tổ dân phố", "Mã xã"])
    _group_columns(path, "TroGiup", "Chứng từ", ["Số chứng từ", "Ghi chú"])
    report = check(path)
    assert found(report) == []
    assert [r.row for r in report.records("DiaChi")] == [5, 6, 7]
    for sheet, keys in (("DiaChi", ("thon", "ma_xa", "ho_ten")), ("TroGiup", ("so_chung_tu", "ghi_chu", "gia_tri"))):
        for key in keys:
            assert values(report, sheet, key) == values(clean, sheet, key), (sheet, key)


def test_reordered_columns(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    order = list(reversed(range(len(hdrs))))
    book.tables["DiaChi"] = ([hdrs[i] for i in order], [[r[i] for i in order] for r in rows])
    report = check(write(book, tmp_path / "reordered.xlsx"))
    assert found(report) == []
    assert values(report, "DiaChi", "ho_ten") == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def test_renamed_headers_case_spacing_line_breaks_no_diacritics(tmp_path: Path) -> None:
    book = clean_book()
    renames = {"Họ và tên": "HỌ TÊN", "Số CCCD": "CMND/CCCD", "Thôn/Tổ dân phố": "Thon", "Năm sinh": "Năm\nsinh",
               "Ngày lập hồ sơ": "  ngay lap ho so ", "Mã địa chỉ": "Mã địa chỉ *"}
    hdrs, rows = book.tables["DiaChi"]
    book.tables["DiaChi"] = ([renames.get(h, h) for h in hdrs], rows)
    hdrs, rows = book.tables["TroGiup"]
    book.tables["TroGiup"] = ([{"Giá trị (đồng)": "Giá trị (VNĐ)"}.get(h, h) for h in hdrs], rows)
    report = check(write(book, tmp_path / "renamed-headers.xlsx"))
    assert found(report) == []
    assert values(report, "TroGiup", "gia_tri") == [1_000_000, 750_000, 15_000_000]


def test_unknown_extra_column_is_info(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    book.tables["DiaChi"] = ([*hdrs, "Số điện thoại"], [[*r, "0905000000"] for r in rows])
    report = check(write(book, tmp_path / "extra-column.xlsx"))
    assert found(report) == [("column-unknown", "DiaChi", "U3")]
    assert report.issues[0].severity == "info"
    assert report.valid


def test_nfd_headers_and_names(tmp_path: Path) -> None:
    book = clean_book()
    nfd = lambda s: unicodedata.normalize("NFD", s) if isinstance(s, str) else s  # noqa: E731
    for sheet, (hdrs, rows) in list(book.tables.items()):
        book.tables[sheet] = ([nfd(h) for h in hdrs], [[nfd(v) for v in r] for r in rows])
    book.info = {nfd(k): nfd(v) for k, v in book.info.items()}
    report = check(write(book, tmp_path / "nfd.xlsx"))
    assert found(report) == []
    names = values(report, "DiaChi", "ho_ten")
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def _legacy_names(tmp_path: Path, name: str, encode, font: str | None) -> Path:
    path = write(clean_book(), tmp_path / name)
    wb = load_workbook(path)
    ws = wb["DiaChi"]
    for row in range(4, 7):
        for col in (3, 8, 12):  # Họ và tên, Thôn, Hoàn cảnh
            cell = ws.cell(row, col)
            cell.value = encode(cell.value)
            if font:
                cell.font = Font(name=font)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "encode", "font", "label"),
    [
        ("tcvn3-font.xlsx", _unicode_to_tcvn3, ".VnTime", "TCVN3 (ABC)"),
        ("vni-font.xlsx", _unicode_to_vni, "VNI-Times", "VNI"),
        ("tcvn3-no-font.xlsx", _unicode_to_tcvn3, None, "TCVN3 (ABC)"),
        ("vni-no-font.xlsx", _unicode_to_vni, None, "VNI"),
    ],
)
def test_legacy_encoded_text_is_converted(tmp_path: Path, name, encode, font, label) -> None:
    report = check(_legacy_names(tmp_path, name, encode, font))
    legacy = [i for i in report.issues if i.code == "legacy-text"]
    assert [(i.code, i.sheet, i.column) for i in report.issues] == [
        ("legacy-text", "DiaChi", "Họ và tên"),
        ("legacy-text", "DiaChi", "Thôn/Tổ dân phố"),
        ("legacy-text", "DiaChi", "Hoàn cảnh"),
    ]
    assert [i.params["count"] for i in legacy] == [3, 3, 3]
    assert all(i.severity == "info" and i.params["encoding"] == label for i in legacy)
    assert values(report, "DiaChi", "ho_ten") == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert values(report, "DiaChi", "hoan_canh")[0] == "Già yếu, sống một mình"
    # The original text is kept for the audit trail.
    first = report.records("DiaChi")[0]
    assert first.original and first.original["ho_ten"] == encode("Nguyễn Văn An")


def test_vntimeh_font_is_upper_case(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "tcvn3h.xlsx")
    wb = load_workbook(path)
    cell = wb["DiaChi"]["C4"]
    cell.value = _unicode_to_tcvn3("nguyễn văn an")
    cell.font = Font(name=".VnTimeH")
    wb.save(path)
    report = check(path)
    assert values(report, "DiaChi", "ho_ten")[0] == "NGUYỄN VĂN AN"
    assert [i.code for i in report.issues] == ["legacy-text"]


def test_text_dates_in_every_clerk_form(tmp_path: Path) -> None:
    book = clean_book()
    forms = ["01/12/2023", "15-2-2024", "2023-06-01"]
    for i, text in enumerate(forms):
        book.set("DiaChi", i, "Ngày lập hồ sơ", text)
    book.set("TroGiup", 0, "Ngày trợ giúp", "ngày 20 tháng 12 năm 2023")
    book.set("TroGiup", 1, "Ngày trợ giúp", "Ngày 10 tháng 03 năm 2024")
    book.set("TroGiup", 2, "Ngày trợ giúp", 45384)  # Excel serial of 2/4/2024
    report = check(write(book, tmp_path / "text-dates.xlsx"))
    assert found(report) == []
    assert values(report, "DiaChi", "ngay_lap_ho_so") == [date(2023, 12, 1), date(2024, 2, 15), date(2023, 6, 1)]
    assert values(report, "TroGiup", "ngay") == [date(2023, 12, 20), date(2024, 3, 10), date(2024, 4, 2)]


def test_vietnamese_date_words_in_2026(tmp_path: Path) -> None:
    book = clean_book()
    book.info["Kỳ báo cáo"] = "2026"
    book.info["Ngày lập báo cáo"] = "ngày 20 tháng 11 năm 2026"
    book.set("TroGiup", 0, "Ngày trợ giúp", "ngày 5 tháng 3 năm 2026")
    report = check(write(book, tmp_path / "date-words.xlsx"), today=date(2026, 11, 23))
    assert found(report) == []
    assert values(report, "TroGiup", "ngay")[0] == date(2026, 3, 5)


def test_money_as_text(tmp_path: Path) -> None:
    book = clean_book()
    book.set("TroGiup", 0, "Giá trị (đồng)", "1.500.000đ")
    book.set("TroGiup", 1, "Giá trị (đồng)", "1,5 triệu")
    book.set("TroGiup", 2, "Giá trị (đồng)", "1.500.000 đ")
    book.set("DangKy", 0, "Giá trị cam kết (đồng/năm)", "12.000.000")
    report = check(write(book, tmp_path / "money-text.xlsx"))
    assert found(report) == []
    assert values(report, "TroGiup", "gia_tri") == [1_500_000, 1_500_000, 1_500_000]


def test_cccd_stored_as_number_lost_its_zero(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 0, "Số CCCD", 56050001234)  # Excel dropped the leading zero
    report = check(write(book, tmp_path / "cccd-number.xlsx"))
    assert found(report) == [("cccd-padded", "DiaChi", "G4")]
    assert report.issues[0].severity == "warning"
    assert values(report, "DiaChi", "cccd")[0] == "056050001234"
    assert report.valid


def test_trailing_total_row_agrees(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["TroGiup"]
    total = [None] * len(hdrs)
    total[0] = "Tổng cộng"
    total[hdrs.index("Giá trị (đồng)")] = 16_750_000
    rows.append(total)
    report = check(write(book, tmp_path / "total-row.xlsx"))
    assert found(report) == []
    assert report.rows["TroGiup"] == 3
    assert report.workbook.tables["TroGiup"].total_row == 7


def test_trailing_total_row_disagrees(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["TroGiup"]
    total = [None] * len(hdrs)
    total[1] = "TỔNG CỘNG:"
    total[hdrs.index("Giá trị (đồng)")] = 17_000_000
    rows.append(total)
    report = check(write(book, tmp_path / "total-row-wrong.xlsx"))
    assert found(report) == [("total-row-mismatch", "TroGiup", "G7")]
    assert report.issues[0].params["expected"] == 16_750_000


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    rows.insert(1, [None] * len(hdrs))
    rows.insert(1, ["", "  ", *([None] * (len(hdrs) - 2))])
    book.set("DiaChi", 4, "Năm sinh", 19855)
    report = check(write(book, tmp_path / "blank-rows.xlsx"))
    assert [r.row for r in report.records("DiaChi")] == [4, 7, 8]
    assert found(report) == [("year-invalid", "DiaChi", "D8")]


def test_formulas_are_read_from_cached_values(tmp_path: Path) -> None:
    import xlsxwriter

    book = clean_book()
    path = tmp_path / "formulas.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("ThongTin")
    for r, (label, value) in enumerate(book.info.items()):
        ws.write(r, 0, label)
        if isinstance(value, date):
            ws.write_string(r, 1, value.strftime("%d/%m/%Y"))
        else:
            ws.write(r, 1, value)
    for name, (hdrs, rows) in book.tables.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, hdrs)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if isinstance(v, date):
                    v = v.strftime("%d/%m/%Y")
                if c == 0:  # STT as a formula
                    ws.write_formula(r, c, "=ROW()-1", None, r)
                elif v is not None:
                    ws.write(r, c, v)
        if name == "TroGiup":
            col = hdrs.index("Giá trị (đồng)")
            ws.write_formula(1, col, "=500000*2", None, 1_000_000)
            ws.write(len(rows) + 1, 0, "Cộng")
            ws.write_formula(len(rows) + 1, col, f"=SUM(G2:G{len(rows) + 1})", None, 16_750_000)
    wb.close()
    report = check(path)
    assert found(report) == []
    assert values(report, "TroGiup", "gia_tri")[0] == 1_000_000


def test_hidden_rows_are_data(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "hidden-rows.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].row_dimensions[5].hidden = True
    wb.save(path)
    report = check(path)
    assert found(report) == []
    assert report.rows["DiaChi"] == 3


def test_vertically_merged_village_applies_to_each_row(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 2, "Thôn/Tổ dân phố", None)
    path = write(book, tmp_path / "merged-village.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].merge_cells("H5:H6")
    wb.save(path)
    report = check(path)
    assert found(report) == []
    assert values(report, "DiaChi", "thon") == ["Thôn 1", "Thôn 2", "Thôn 2"]


def test_column_number_row_and_section_rows(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    rows.insert(0, [f"({i})" for i in range(1, len(hdrs) + 1)])
    rows.insert(1, ["Thôn 1"] + [None] * (len(hdrs) - 1))
    path = write(book, tmp_path / "column-numbers.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].merge_cells("A5:T5")
    wb.save(path)
    report = check(path)
    assert found(report) == []
    assert [r.row for r in report.records("DiaChi")] == [6, 7, 8]


def test_sheet_names_as_clerks_type_them(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "sheet-names.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].title = "Dia chi"
    wb["ThongTin"].title = "Thông tin"
    wb["TroGiup"].title = "Sheet3"  # renamed: recognised by its headers
    wb.save(path)
    report = check(path)
    assert found(report) == []
    assert report.rows == {"DiaChi": 3, "DangKy": 2, "TroGiup": 3}


def test_codes_and_labels_match_without_case_or_diacritics(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 0, "Đối tượng", "nguoi cao tuoi neo don")
    book.set("DiaChi", 1, "Đối tượng", "HN - Hộ nghèo")
    book.set("DiaChi", 2, "Giới tính", "nam")
    book.set("TroGiup", 0, "Hình thức", "tiền mặt")
    book.set("TroGiup", 0, "Nguồn", "CUỘC VẬN ĐỘNG")
    book.set("TroGiup", 0, "Qua iNHANDAO", "x")
    book.set("DangKy", 1, "Người đứng đầu", "có")
    book.set("DiaChi", 2, "Dân tộc", "Ede")
    report = check(write(book, tmp_path / "codes-as-typed.xlsx"))
    assert found(report) == []
    assert values(report, "DiaChi", "doi_tuong") == ["NC", "HN", "MC"]
    assert values(report, "DiaChi", "dan_toc")[2] == "Ê-đê"
    assert values(report, "TroGiup", "qua_inhandao")[0] is True


def test_book_object_is_reusable() -> None:
    b = clean_book()
    assert isinstance(b, Book) and b.copy().tables == b.tables


def test_names_that_look_like_a_total_label_are_records(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DangKy", 0, "Tên tổ chức/cá nhân", "Tổng công ty Điện lực miền Trung")
    book.set("DangKy", 1, "Tên tổ chức/cá nhân", "Tống Công")
    report = check(write(book, tmp_path / "tong-cong-ty.xlsx"))
    assert found(report) == []
    assert values(report, "DangKy", "ten") == ["Tổng công ty Điện lực miền Trung", "Tống Công"]


def test_total_row_label_with_a_count(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    rows.append([None, None, "Tổng cộng: 3 hộ"] + [None] * (len(hdrs) - 3))
    report = check(write(book, tmp_path / "tong-cong-3-ho.xlsx"))
    assert found(report) == []
    assert report.workbook.tables["DiaChi"].total_row == 7


def test_pre_numbered_empty_rows_are_blank(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    for n in range(4, 30):
        rows.append([n] + [None] * (len(hdrs) - 1))
    report = check(write(book, tmp_path / "stt-truoc.xlsx"))
    assert found(report) == []
    assert report.rows["DiaChi"] == 3
