"""The template filler: each behaviour pinned on a tiny template made with openpyxl.

The data and filters here are small stand-ins; the real ones come from the report's
fields and words modules."""

from __future__ import annotations

import io
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from xl_nhandao.errors import InputError, OutputError, RunError
from xl_nhandao.i18n import fmt_int
from xl_nhandao.report.fill import TemplateData, fill_template, scan_template

FILTERS = {
    "chu": lambda v: f"[{v} bằng chữ]",
    "ngay_van_ban": lambda d: f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
    "ngay": lambda d: d.strftime("%d/%m/%Y"),
    "hoa": lambda s: str(s).upper(),
    "so": fmt_int,
}


def data(units: int = 3, addresses: int = 0, **scalars: object) -> TemplateData:
    base = {
        "gia_tri_tro_giup": 1_500_000, "ty_le_duoc_tro_giup": 36.6, "dia_chi_moi": 12, "ky.nam": 2025,
        "ky.ten": "6 tháng đầu năm 2025", "ky.den_ngay": date(2026, 2, 5), "ky.tu_ngay": date(2025, 11, 25),
        "don_vi.ten": "Tỉnh Khánh Hòa", "don_vi.ma": "56", "dat_chi_tieu_dia_chi_moi": True,
        "so_van_ban": "", "nguoi_ky": "Nguyễn Văn An", "chuc_vu_ky": "CHỦ TỊCH", "dia_danh": "Khánh Hòa",
        "to_chuc.ten": "HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒA", "ty_le_nguoi_dung_dau": None,
    }
    base.update(scalars)
    dv = [{"stt": i + 1, "ma": f"2245{i}", "ten": f"Xã số {i + 1}", "gia_tri_tro_giup": 100_000 * (i + 1),
           "dia_chi_moi": i + 1} for i in range(units)]
    dc = [{"stt": i + 1, "ma": f"22453-{i + 1:04d}", "ho_ten": f"Người {i + 1}", "nam_sinh": 1950 + i % 50,
           "ngay_lap_ho_so": date(2025, 12, 1 + i % 28), "trang_thai": "Đang trợ giúp"} for i in range(addresses)]
    return TemplateData(scalars=base, lists={"dv": dv, "dc": dc, "nb": []}, filters=dict(FILTERS),
                        list_fields={"dv": ["stt", "ma", "ten", "gia_tri_tro_giup", "dia_chi_moi"],
                                     "dc": ["stt", "ma", "ho_ten", "nam_sinh", "ngay_lap_ho_so", "trang_thai"],
                                     "nb": ["stt", "ten", "trang_thai"]})


def save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def fill(tmp_path: Path, wb: Workbook, d: TemplateData | None = None, name: str = "mau.xlsx"):
    template = save(wb, tmp_path / name)
    out = tmp_path / ("bao-cao-" + name.replace(".xltx", ".xlsx"))
    result = fill_template(template, d or data(), out)
    return load_workbook(out), result


def table_template() -> Workbook:
    """The classic data table: title, header, one ``dv`` row, a total row, a footer."""
    wb = Workbook()
    ws = wb.active
    ws.title = "BangSoLieu"
    ws["A1"] = "BẢNG SỐ LIỆU {{ ky.ten | hoa }}"
    ws.merge_cells("A1:E1")
    ws["A3"], ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "STT", "Đơn vị", "Giá trị", "Gấp đôi", "Mới"
    ws["A4"], ws["B4"], ws["C4"] = "{{ dv.stt }}", "{{ dv.ten }}", "{{ dv.gia_tri_tro_giup }}"
    ws["D4"], ws["E4"] = "=C4*2", "{{dv.dia_chi_moi}}"
    ws["C4"].number_format = "#,##0"
    ws["C4"].font = Font(name="Times New Roman", bold=True, color="FF0000")
    ws["A4"].border = Border(left=Side(style="thin"), bottom=Side(style="thin"))
    ws.row_dimensions[4].height = 21.5
    ws["A5"], ws["C5"], ws["D5"], ws["E5"] = "Tổng cộng", "=SUM(C4:C4)", "=SUM(D4)", "=SUM(E4:E4)"
    ws.merge_cells("A5:B5")
    ws.row_dimensions[5].height = 30
    ws["A7"] = "Bằng chữ: {{ gia_tri_tro_giup | chu }}"
    ws.merge_cells("A7:E7")
    ws["A8"] = "=C5/2"
    ws["D9"] = "{{ dia_danh }}, {{ ky.den_ngay | ngay_van_ban }}"
    ws.row_dimensions[9].height = 18
    return wb


# -- the language -------------------------------------------------------------------------
def test_a_lone_placeholder_gets_the_typed_value_and_keeps_the_cells_style(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "{{ gia_tri_tro_giup }}", "  {{ty_le_duoc_tro_giup}} ", "{{ ky.den_ngay }}"
    ws["A4"], ws["A5"], ws["A6"] = "{{ dat_chi_tieu_dia_chi_moi }}", "{{ ty_le_nguoi_dung_dau }}", "{{ don_vi.ten }}"
    ws["A7"] = "{{ ky.tu_ngay }}"
    ws["A1"].number_format = "#,##0"
    ws["A1"].font = Font(name="Times New Roman", size=13, bold=True)
    ws["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["A2"].number_format = "0.0"
    ws["A5"].fill = PatternFill("solid", fgColor="00FF00")
    ws["A7"].number_format = "d mmmm yyyy"
    out, _ = fill(tmp_path, wb)
    s = out.active
    assert s["A1"].value == 1_500_000 and s["A1"].data_type == "n"
    assert s["A1"].number_format == "#,##0"
    assert (s["A1"].font.name, s["A1"].font.sz, s["A1"].font.b) == ("Times New Roman", 13, True)
    assert s["A1"].fill.fgColor.rgb == "00FFFF00"
    assert s["A2"].value == 36.6 and s["A2"].number_format == "0.0"
    assert s["A3"].value == datetime(2026, 2, 5) and s["A3"].number_format == "dd/mm/yyyy"
    assert s["A4"].value == "Có"
    assert s["A5"].value is None and s["A5"].fill.fgColor.rgb == "0000FF00"  # empty, still styled
    assert s["A6"].value == "Tỉnh Khánh Hòa"
    assert s["A7"].number_format == "d mmmm yyyy"  # a date format the designer chose stays


def test_text_around_a_placeholder_makes_vietnamese_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Giá trị: {{ gia_tri_tro_giup }} đồng, đạt {{ ty_le_duoc_tro_giup }}%"
    ws["A2"] = "Năm {{ ky.nam }}, mã {{ don_vi.ma }}, đến {{ky.den_ngay}}; đạt: {{ dat_chi_tieu_dia_chi_moi }}"
    ws["A3"] = "Tỷ lệ: {{ ty_le_nguoi_dung_dau }}."
    ws["A4"] = "{{ dia_danh }}, {{ ky.den_ngay | ngay_van_ban }}"
    ws["A5"] = "{{ gia_tri_tro_giup|chu }}"
    ws["A6"] = "{{ gia_tri_tro_giup | so }}"
    ws["A7"] = "{{ to_chuc.ten }}{{ don_vi.ten | hoa }}"
    out, _ = fill(tmp_path, wb)
    s = out.active
    assert s["A1"].value == "Giá trị: 1.500.000 đồng, đạt 36,6%"
    assert s["A2"].value == "Năm 2025, mã 56, đến 05/02/2026; đạt: Có"  # years and codes never grouped
    assert s["A3"].value == "Tỷ lệ: ."
    assert s["A4"].value == "Khánh Hòa, ngày 05 tháng 02 năm 2026"
    assert s["A5"].value == "[1500000 bằng chữ]"  # a lone placeholder with a filter: the filter's value
    assert s["A6"].value == "1.500.000" and s["A6"].data_type == "s"
    assert s["A7"].value == "HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒATỈNH KHÁNH HÒA"


def test_filters_run_left_to_right_and_never_on_a_missing_value(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "{{ don_vi.ten | chu | hoa }}"
    ws["A2"] = "Ngày: {{ ty_le_nguoi_dung_dau | ngay_van_ban }}"
    out, _ = fill(tmp_path, wb)
    assert out.active["A1"].value == "[TỈNH KHÁNH HÒA BẰNG CHỮ]"
    assert out.active["A2"].value == "Ngày: "


def test_text_from_the_data_never_becomes_a_formula(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = "{{ nguoi_ky }}", "{{ dv.ten }}"
    d = data(units=1, nguoi_ky='=HYPERLINK("http://x","bấm")')
    d.lists["dv"][0]["ten"] = "=1+1\x01"
    out, _ = fill(tmp_path, wb, d)
    assert out.active["A1"].value == '=HYPERLINK("http://x","bấm")' and out.active["A1"].data_type == "s"
    assert out.active["A2"].value == "=1+1\\x01" and out.active["A2"].data_type == "s"


def test_numpy_and_pandas_values_are_plain_values(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "{{ a }}", "{{ b }}", "{{ c }}", "Tỷ lệ {{ d }}, ngày {{ e }}"
    ws["A5"], ws["A6"] = "{{ f }}", "{{ g }}"
    d = data(a=np.int64(1_500_000), b=np.float64("nan"), c=pd.Timestamp("2026-02-05"), d=np.float64(36.6),
             e=pd.NaT, f=np.bool_(True), g=pd.NA)
    out, _ = fill(tmp_path, wb, d)
    s = out.active
    assert s["A1"].value == 1_500_000 and s["A1"].data_type == "n"
    assert s["A2"].value is None and s["A3"].value == datetime(2026, 2, 5)
    assert s["A4"].value == "Tỷ lệ 36,6, ngày " and s["A5"].value == "Có" and s["A6"].value is None


def test_rich_text_keeps_its_runs(tmp_path: Path) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    ws = wb.active
    ws["A1"] = CellRichText([TextBlock(InlineFont(b=True), "Kính gửi: "), "Ban Thường vụ {{ to_chuc.ten }}"])
    ws["A2"] = CellRichText([TextBlock(InlineFont(i=True), "Không có chỗ điền")])
    template = save(wb, tmp_path / "mau.xlsx")
    fill_template(template, data(), tmp_path / "out.xlsx")
    s = load_workbook(tmp_path / "out.xlsx", rich_text=True).active
    runs = list(s["A1"].value)
    assert runs[0].font.b and runs[0].text == "Kính gửi: "
    assert str(s["A1"].value) == "Kính gửi: Ban Thường vụ HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒA"
    assert next(iter(s["A2"].value)).font.i


# -- errors ---------------------------------------------------------------------------------
def test_unknown_fields_and_filters_are_one_line_naming_each_cell_and_nothing_is_written(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bang"
    ws["B3"] = "{{ gia_tri_xyz }}"
    ws["C4"] = "Tổng: {{ gia_tri_tro_giup | bang_chu }}"
    ws["A6"] = "{{ dv.khong_co }}"
    other = wb.create_sheet("Phu luc")
    other["D2"] = "{{ ky.den }}"
    template = save(wb, tmp_path / "mau.xlsx")
    out = tmp_path / "out.xlsx"
    with pytest.raises(InputError) as err:
        fill_template(template, data(), out)
    vi, en = err.value.message("vi"), err.value.message("en")
    assert err.value.code == "template-unknown"
    assert "\n" not in vi and "\n" not in en
    assert vi.startswith("Mẫu báo cáo “") and "có 4 chỗ điền không dùng được:" in vi
    for part in ("Bang!B3 “{{ gia_tri_xyz }}”: không có trường “gia_tri_xyz”",
                 "Bang!C4 “{{ gia_tri_tro_giup | bang_chu }}”: không có bộ lọc “bang_chu” (có: chu, hoa, ngay, ngay_van_ban, so)",
                 "Bang!A6 “{{ dv.khong_co }}”: không có trường “dv.khong_co”",
                 "Phu luc!D2 “{{ ky.den }}”: không có trường “ky.den”"):
        assert part in vi
    assert "has 4 placeholders that cannot be filled" in en and "there is no filter “bang_chu”" in en
    assert not out.exists() and list(tmp_path.iterdir()) == [template]


def test_broken_placeholders_are_named(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Tổng {{ gia_tri_tro_giup "
    ws["A2"] = "{{ }}"
    ws["A3"] = "{{ gia tri }}"
    ws["A4"] = "{{ gia_tri_tro_giup | }}"
    ws["A5"] = '="{{ gia_tri_tro_giup }}"&"x"'
    template = save(wb, tmp_path / "mau.xlsx")
    with pytest.raises(RunError) as err:
        fill_template(template, data(), tmp_path / "out.xlsx")
    vi = err.value.message("vi")
    assert "có 5 chỗ điền" in vi
    assert "Sheet!A1: có “{{” mà không có “}}” đóng" in vi
    assert "Sheet!A2 “{{ }}”: chỗ điền không có tên trường" in vi
    assert "Sheet!A3 “{{ gia tri }}”: tên trường “gia tri” không đúng dạng" in vi
    assert "Sheet!A4 “{{ gia_tri_tro_giup | }}”: sau dấu | phải có tên bộ lọc" in vi
    assert "Sheet!A5: chỗ điền nằm trong công thức" in vi
    assert not (tmp_path / "out.xlsx").exists()
    # scanning alone finds the same, without data
    assert len(scan_template(template).problems) == 5


def test_many_problems_are_counted_past_the_first_ones(tmp_path: Path) -> None:
    wb = Workbook()
    for r in range(1, 31):
        wb.active.cell(r, 1, f"{{{{ sai_{r} }}}}")
    template = save(wb, tmp_path / "mau.xlsx")
    with pytest.raises(RunError) as err:
        fill_template(template, data(), tmp_path / "out.xlsx")
    assert "có 30 chỗ điền" in err.value.message("vi") and err.value.message("vi").count("không có trường") == 12
    assert "… và 18 chỗ khác" in err.value.message("vi") and "… and 18 more" in err.value.message("en")


def test_a_filter_failing_on_a_value_is_one_line(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["C2"] = "{{ don_vi.ten | ngay_van_ban }}"
    template = save(wb, tmp_path / "mau.xlsx")
    with pytest.raises(InputError) as err:
        fill_template(template, data(), tmp_path / "out.xlsx")
    assert err.value.code == "template-filter-failed"
    assert "Sheet!C2 “{{ don_vi.ten | ngay_van_ban }}”: bộ lọc “ngay_van_ban” không dùng được cho giá trị 'Tỉnh Khánh Hòa'" in err.value.message("vi")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_filter_failure_is_told_in_the_readers_language(tmp_path: Path) -> None:
    """No Python class name in the line: a filter's own error is its message in the
    reader's language; any other failure says what kind of value the filter was given."""
    from xl_nhandao.report.words import amount_words

    wb = Workbook()
    wb.active["C2"] = "{{ ty_le_duoc_tro_giup | tien }}"
    wb.active["C3"] = "{{ don_vi.ten | ngay_van_ban }}"
    template = save(wb, tmp_path / "mau.xlsx")
    d = data()
    d.filters["tien"] = amount_words
    with pytest.raises(InputError) as err:
        fill_template(template, d, tmp_path / "out.xlsx")
    vi, en = err.value.message("vi"), err.value.message("en")
    assert "Error" not in vi and "Error" not in en
    assert "cho giá trị 36.6 (Số 36,6 có phần lẻ; chỉ đọc thành chữ được số nguyên" in vi
    assert "the value 36.6 (36.6 has a fraction; only whole numbers are written in words" in en
    assert "cho giá trị 'Tỉnh Khánh Hòa' (giá trị là chữ)" in vi
    assert "the value 'Tỉnh Khánh Hòa' (the value is text)" in en


def test_an_unreadable_template_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "mau.xlsx"
    bad.write_text("không phải Excel")
    with pytest.raises(InputError) as err:
        fill_template(bad, data(), tmp_path / "out.xlsx")
    assert err.value.code == "not-a-workbook"
    with pytest.raises(InputError) as err:
        fill_template(tmp_path / "khong-co.xlsx", data(), tmp_path / "out.xlsx")
    assert err.value.code == "file-not-found"


def test_output_is_never_the_template_nor_someone_elses_file(tmp_path: Path) -> None:
    template = save(table_template(), tmp_path / "mau.xlsx")
    before = template.read_bytes()
    with pytest.raises(OutputError) as err:
        fill_template(template, data(), template)
    assert err.value.code == "output-is-input"
    clerks = tmp_path / "so-cua-can-bo.xlsx"
    save(Workbook(), clerks)
    with pytest.raises(OutputError) as err:
        fill_template(template, data(), clerks)
    assert err.value.code == "output-exists"
    out = tmp_path / "bao-cao.xlsx"
    fill_template(template, data(), out)
    fill_template(template, data(units=5), out)  # its own unedited output is replaced
    fill_template(template, data(), clerks, force=True)
    assert template.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.xlsx", "mau.xlsx", "so-cua-can-bo.xlsx"]


# -- defined names ----------------------------------------------------------------------------
def test_defined_names_bind_cells_to_fields(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bia"
    ws["B2"] = "(tổng giá trị)"
    ws["B3"] = 0
    ws["B4"] = "x"
    ws["B5"] = "giữ nguyên"
    wb.defined_names["gia_tri_tro_giup"] = DefinedName("gia_tri_tro_giup", attr_text="Bia!$B$2")
    wb.defined_names["KY_DEN_NGAY"] = DefinedName("KY_DEN_NGAY", attr_text="Bia!$B$3")  # _ for ., any case
    ws.defined_names["don_vi.ten"] = DefinedName("don_vi.ten", attr_text="Bia!$B$4")  # sheet scope, a period
    wb.defined_names["ghi_chu"] = DefinedName("ghi_chu", attr_text="Bia!$B$5")  # not a field: left alone
    out, _ = fill(tmp_path, wb)
    s = out["Bia"]
    assert s["B2"].value == 1_500_000 and s["B3"].value == datetime(2026, 2, 5) and s["B4"].value == "Tỉnh Khánh Hòa"
    assert s["B5"].value == "giữ nguyên" and "ghi_chu" in out.defined_names
    scan = scan_template(tmp_path / "mau.xlsx", data())
    assert scan.names == {"gia_tri_tro_giup": "Bia!B2", "KY_DEN_NGAY": "Bia!B3", "don_vi.ten": "Bia!B4"}
    assert [(p.cell, p.field, p.where) for p in scan.placeholders] == [
        ("B2", "gia_tri_tro_giup", "name"), ("B3", "ky.den_ngay", "name"), ("B4", "don_vi.ten", "name")]


def test_a_defined_name_on_a_merged_cell_fills_the_merge(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.merge_cells("B2:D3")
    wb.defined_names["gia_tri_tro_giup"] = DefinedName("gia_tri_tro_giup", attr_text="Sheet!$C$3")
    out, _ = fill(tmp_path, wb)
    assert out.active["B2"].value == 1_500_000


def test_a_field_name_over_several_cells_is_an_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.defined_names["dia_chi_moi"] = DefinedName("dia_chi_moi", attr_text="Sheet!$B$2:$B$3")
    template = save(wb, tmp_path / "mau.xlsx")
    with pytest.raises(RunError) as err:
        fill_template(template, data(), tmp_path / "out.xlsx")
    assert "tên “dia_chi_moi” phải chỉ đến đúng một ô (đang chỉ Sheet!$B$2:$B$3)" in err.value.message("vi")


def test_a_defined_name_on_a_list_row_repeats_it(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A2"], ws["B2"] = "x", "y"
    wb.defined_names["dv.ten"] = DefinedName("dv.ten", attr_text="Sheet!$A$2")
    ws["A3"] = "hết"
    out, result = fill(tmp_path, wb)
    assert [out.active.cell(r, 1).value for r in range(2, 6)] == ["Xã số 1", "Xã số 2", "Xã số 3", "hết"]
    assert [out.active.cell(r, 2).value for r in range(2, 5)] == ["y", "y", "y"]
    assert result.rows == {"dv": 3}


# -- repeating rows -------------------------------------------------------------------------
def test_a_list_row_repeats_with_its_styles_heights_and_merged_cells(tmp_path: Path) -> None:
    wb = table_template()
    wb.active.merge_cells("F4:G4")
    wb.active["F4"] = "{{ dv.ma }}"
    out, result = fill(tmp_path, wb, data(units=4))
    s = out.active
    assert [s.cell(r, 2).value for r in range(4, 8)] == ["Xã số 1", "Xã số 2", "Xã số 3", "Xã số 4"]
    assert [s.cell(r, 1).value for r in range(4, 8)] == [1, 2, 3, 4]
    assert [s.cell(r, 3).value for r in range(4, 8)] == [100_000, 200_000, 300_000, 400_000]
    for r in range(4, 8):
        assert s.cell(r, 3).number_format == "#,##0" and s.cell(r, 3).font.b and s.cell(r, 3).font.color.rgb == "00FF0000"
        assert s.cell(r, 1).border.left.style == "thin"
        assert s.row_dimensions[r].height == 21.5
        assert f"F{r}:G{r}" in {str(m) for m in s.merged_cells.ranges}
        assert s.cell(r, 6).value == f"2245{r - 4}"
    assert result.rows == {"dv": 4}
    assert result.fields == ["dia_danh", "dv.dia_chi_moi", "dv.gia_tri_tro_giup", "dv.ma", "dv.stt", "dv.ten",
                             "gia_tri_tro_giup", "ky.den_ngay", "ky.ten"]


def test_rows_below_move_down_with_merged_cells_heights_and_formulas(tmp_path: Path) -> None:
    out, _ = fill(tmp_path, table_template(), data(units=5))
    s = out.active
    # 5 units: rows 4..8; the total row 5 is now 9
    assert s["A9"].value == "Tổng cộng" and s.row_dimensions[9].height == 30
    merged = {str(m) for m in s.merged_cells.ranges}
    assert {"A1:E1", "A9:B9", "A11:E11"} <= merged and "A5:B5" not in merged
    assert s["C9"].value == "=SUM(C4:C8)"  # the sum grows over the copies
    assert s["D9"].value == "=SUM(D4:D8)"  # a lone aggregate argument too
    assert s["E9"].value == "=SUM(E4:E8)"
    assert [s.cell(r, 4).value for r in range(4, 9)] == [f"=C{r}*2" for r in range(4, 9)]  # per copy
    assert s["A12"].value == "=C9/2"  # a formula below points at the moved total
    assert s["A11"].value == "Bằng chữ: [1500000 bằng chữ]"
    assert s["D13"].value == "Khánh Hòa, ngày 05 tháng 02 năm 2026" and s.row_dimensions[13].height == 18


def test_the_total_row_computes_in_a_spreadsheet_program(tmp_path: Path) -> None:
    """The moved formulas are right where it counts: LibreOffice computes the total."""
    out_dir = tmp_path / "csv"
    fill(tmp_path, table_template(), data(units=5))
    soffice(tmp_path, ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out_dir),
                       str(tmp_path / "bao-cao-mau.xlsx")])
    rows = (out_dir / "bao-cao-mau.csv").read_text(encoding="utf-8").splitlines()
    total = rows[8].split(",")
    assert total[0] == "Tổng cộng" and total[2] == "1500000" and total[3] == "3000000" and total[4] == "15"
    assert rows[11].split(",")[0] == "750000"


def soffice(tmp_path: Path, args: list[str]) -> None:
    import shutil
    import subprocess

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    subprocess.run(["soffice", "--headless", *args], check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})


def test_a_template_saved_by_a_spreadsheet_program_fills(tmp_path: Path) -> None:
    """LibreOffice writes its own styles, names and shared formulas; the fill follows."""
    from openpyxl.drawing.image import Image

    wb = table_template()
    wb.active.add_image(Image(png()), "F1")
    wb.active.conditional_formatting.add("C4", CellIsRule(operator="lessThan", formula=["0"],
                                                          fill=PatternFill("solid", fgColor="FFC7CE")))
    wb.active.print_area = "A1:E9"
    save(wb, tmp_path / "goc.xlsx")
    (tmp_path / "lo").mkdir()
    soffice(tmp_path, ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"),
                       str(tmp_path / "goc.xlsx")])
    out = tmp_path / "bao-cao.xlsx"
    fill_template(tmp_path / "lo" / "goc.xlsx", data(units=4), out)
    s = load_workbook(out).active
    assert [s.cell(r, 2).value for r in range(4, 8)] == ["Xã số 1", "Xã số 2", "Xã số 3", "Xã số 4"]
    assert s["C8"].value == "=SUM(C4:C7)" and s["A11"].value == "=C8/2"
    assert s.print_area == "'BangSoLieu'!$A$1:$E$12"
    assert [str(cf.sqref) for cf in s.conditional_formatting] == ["C4:C7"]
    assert len(s._images) == 1
    assert s["D12"].value == "Khánh Hòa, ngày 05 tháng 02 năm 2026"


def test_an_empty_list_leaves_its_row_once_and_empty(tmp_path: Path) -> None:
    wb = table_template()
    wb.active["F4"] = "=D4/E4"
    out, result = fill(tmp_path, wb, data(units=0))
    s = out.active
    assert [s.cell(4, c).value for c in range(1, 7)] == [None] * 6  # fields and formulas emptied
    assert s["C4"].number_format == "#,##0" and s.row_dimensions[4].height == 21.5
    assert s["A5"].value == "Tổng cộng" and s["C5"].value == "=SUM(C4:C4)"
    assert result.rows == {"dv": 0}


def test_a_list_row_may_hold_scalar_fields(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "{{ dv.ten }}", "{{ don_vi.ten }}", "Kỳ {{ ky.ten }} – {{ dv.ma }}"
    out, _ = fill(tmp_path, wb, data(units=2))
    s = out.active
    assert [[c.value for c in row] for row in s.iter_rows(min_row=1, max_row=2)] == [
        ["Xã số 1", "Tỉnh Khánh Hòa", "Kỳ 6 tháng đầu năm 2025 – 22450"],
        ["Xã số 2", "Tỉnh Khánh Hòa", "Kỳ 6 tháng đầu năm 2025 – 22451"]]


def test_rows_left_at_automatic_height_grow_to_show_wrapped_text(tmp_path: Path) -> None:
    long = "Đang trợ giúp, cần thêm hỗ trợ sửa nhà và học bổng cho hai cháu"
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 20
    ws["A1"], ws["B1"] = "{{ dc.stt }}", "{{ dc.trang_thai }}"
    ws["B1"].alignment = Alignment(wrap_text=True)
    ws["B3"] = "{{ dv.ten }}"  # not wrapped: left alone
    ws["B5"] = "{{ dv.ten }}"
    ws["B5"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[5].height = 15  # the designer's height stays
    d = data(units=1, addresses=2)
    d.lists["dc"][1]["trang_thai"] = long
    d.lists["dv"][0]["ten"] = long
    out, _ = fill(tmp_path, wb, d)
    s = out.active
    assert s["B2"].value == long and s["B6"].value == long
    assert s.row_dimensions[1].height is None  # one line: left automatic
    assert s.row_dimensions[2].height >= 3 * 11 * 1.2  # several lines of 11 pt
    assert s.row_dimensions[4].height is None
    assert s.row_dimensions[6].height == 15


def test_a_height_the_saving_program_computed_grows_like_an_automatic_one(tmp_path: Path) -> None:
    """LibreOffice writes a height for every row, ``customHeight="false"`` where it is
    automatic; openpyxl reads it as fixed. Those rows (and their copies) still grow to
    show wrapped text; a height marked custom stays."""
    import re
    import zipfile

    long = "Đang trợ giúp, cần thêm hỗ trợ sửa nhà và học bổng cho hai cháu"
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 20
    ws["A1"], ws["B1"] = "{{ dc.stt }}", "{{ dc.trang_thai }}"
    ws["B3"] = "{{ dv.ten }}"
    for cell in ("B1", "B3"):
        ws[cell].alignment = Alignment(wrap_text=True)
    plain = save(wb, tmp_path / "plain.xlsx")
    template = tmp_path / "luu-bang-libreoffice.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            xml = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(rb'<row r="1"[^>]*>', b'<row r="1" ht="15" customHeight="false">', xml)
                xml = re.sub(rb'<row r="3"[^>]*>', b'<row r="3" ht="15" customHeight="true">', xml)
            zout.writestr(info, xml)
    d = data(units=1, addresses=3)
    d.lists["dc"][1]["trang_thai"] = long
    d.lists["dv"][0]["ten"] = long
    out = tmp_path / "bao-cao.xlsx"
    fill_template(template, d, out)
    s = load_workbook(out).active
    assert s["B2"].value == long and s["B5"].value == long
    assert s.row_dimensions[1].height == 15 and s.row_dimensions[3].height == 15  # one line: as stored
    assert s.row_dimensions[2].height >= 3 * 11 * 1.2  # the copy with the long text grew
    assert s.row_dimensions[5].height == 15  # the designer's height stays


def test_formulas_in_a_repeated_row_see_their_own_copy(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["C1"] = "Tổng"
    ws["A2"], ws["B2"] = "{{ dv.gia_tri_tro_giup }}", "{{ dv.dia_chi_moi }}"
    ws["C2"] = "=IF(B2=0,\"\",A2/B2)"
    ws["D2"] = "=A2/A$4"  # the share of the total below
    ws["E2"] = "=A2/A4"
    ws["F2"] = "=$A$2+C1"
    ws["A4"] = "=SUM(A2:A2)"
    out, _ = fill(tmp_path, wb, data(units=3))
    s = out.active
    assert [s.cell(r, 3).value for r in (2, 3, 4)] == ['=IF(B2=0,"",A2/B2)', '=IF(B3=0,"",A3/B3)', '=IF(B4=0,"",A4/B4)']
    assert [s.cell(r, 4).value for r in (2, 3, 4)] == ["=A2/A$6", "=A3/A$6", "=A4/A$6"]
    assert [s.cell(r, 5).value for r in (2, 3, 4)] == ["=A2/A6", "=A3/A6", "=A4/A6"]
    assert [s.cell(r, 6).value for r in (2, 3, 4)] == ["=$A$2+C1", "=$A$3+C1", "=$A$4+C1"]
    assert s["A6"].value == "=SUM(A2:A4)"


def test_several_lists_in_one_sheet_and_in_several_sheets(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "DonVi"
    ws["A1"] = "Đơn vị"
    ws["A2"], ws["B2"] = "{{ dv.ten }}", "{{ dv.gia_tri_tro_giup }}"
    ws["A3"], ws["B3"] = "Cộng", "=SUM(B2:B2)"
    ws["A5"] = "Địa chỉ"
    ws["A6"], ws["B6"] = "{{ dc.ho_ten }}", "{{ dc.nam_sinh }}"
    ws["A7"], ws["B7"] = "Số địa chỉ", "=COUNTA(A6:A6)"
    ws["A8"] = "=B3+B7"
    ds = wb.create_sheet("DanhSach")
    ds["A1"], ds["B1"] = "{{ dc.stt }}", "{{ dc.ngay_lap_ho_so }}"
    ds["A2"] = "=COUNT(A1:A1)"
    tong = wb.create_sheet("Tong")
    tong["A1"] = "=DonVi!B3+'DonVi'!B7+DanhSach!A2"
    tong["A2"] = "=SUM(DonVi!B2:B2)"
    out, result = fill(tmp_path, wb, data(units=3, addresses=4))
    s = out["DonVi"]
    assert [s.cell(r, 1).value for r in range(1, 13)] == [
        "Đơn vị", "Xã số 1", "Xã số 2", "Xã số 3", "Cộng", None, "Địa chỉ",
        "Người 1", "Người 2", "Người 3", "Người 4", "Số địa chỉ"]
    assert s["B5"].value == "=SUM(B2:B4)" and s["B12"].value == "=COUNTA(A8:A11)" and s["A13"].value == "=B5+B12"
    d = out["DanhSach"]
    assert [d.cell(r, 1).value for r in range(1, 5)] == [1, 2, 3, 4] and d["A5"].value == "=COUNT(A1:A4)"
    assert d["B1"].value == datetime(2025, 12, 1) and d["B1"].number_format == "dd/mm/yyyy"
    assert out["Tong"]["A1"].value == "=DonVi!B5+'DonVi'!B12+DanhSach!A5"
    assert out["Tong"]["A2"].value == "=SUM(DonVi!B2:B4)"
    assert result.rows == {"dv": 3, "dc": 4}


def test_a_record_of_two_rows_repeats_whole(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A2"], ws["B2"] = "{{ dc.stt }}", "{{ dc.ho_ten }}"
    ws.merge_cells("A2:A3")  # the number spans the record's two rows
    ws["B3"] = "Trạng thái: {{ dc.trang_thai }}"
    ws["A4"] = "hết"
    out, _ = fill(tmp_path, wb, data(addresses=3))
    s = out.active
    assert [s.cell(r, 2).value for r in range(2, 8)] == [
        "Người 1", "Trạng thái: Đang trợ giúp", "Người 2", "Trạng thái: Đang trợ giúp", "Người 3",
        "Trạng thái: Đang trợ giúp"]
    assert {str(m) for m in s.merged_cells.ranges} == {"A2:A3", "A4:A5", "A6:A7"}
    assert s["A8"].value == "hết"


def test_a_merged_cell_spanning_the_list_grows_over_it(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Nhóm"
    ws.merge_cells("A1:A3")
    ws["B2"] = "{{ dv.ten }}"
    out, _ = fill(tmp_path, wb, data(units=4))
    assert {str(m) for m in out.active.merged_cells.ranges} == {"A1:A6"}


def test_two_lists_in_one_row_is_an_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A5"], wb.active["C5"] = "{{ dv.ten }}", "{{ dc.ho_ten }}"
    template = save(wb, tmp_path / "mau.xlsx")
    with pytest.raises(RunError) as err:
        fill_template(template, data(), tmp_path / "out.xlsx")
    assert "Sheet!A5: dòng 5 có trường của nhiều danh sách (dc, dv)" in err.value.message("vi")


def test_conditional_formats_and_validations_follow(tmp_path: Path) -> None:
    wb = table_template()
    ws = wb.active
    ws.conditional_formatting.add("C4:C4", CellIsRule(operator="lessThan", formula=["0"], fill=PatternFill("solid", fgColor="FFC7CE")))
    ws.conditional_formatting.add("A4:E4", FormulaRule(formula=["$E4>1"], fill=PatternFill("solid", fgColor="FFEB9C")))
    ws.conditional_formatting.add("C5", FormulaRule(formula=["C5>C8"], fill=PatternFill("solid", fgColor="FFEB9C")))
    dv = DataValidation(type="list", formula1="$H$10:$H$12")
    dv.add("E4")
    dv.add("B9")
    ws.add_data_validation(dv)
    ws["H10"], ws["H11"], ws["H12"] = "Có", "Không", "?"
    out, _ = fill(tmp_path, wb, data(units=3))
    s = out.active
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in s.conditional_formatting}
    assert rules == {"C4:C6": [["0"]], "A4:E6": [["$E4>1"]], "C7": [["C7>C10"]]}
    (v,) = s.data_validations.dataValidation
    assert {str(r) for r in v.sqref.ranges} == {"E4:E6", "B11"} and v.formula1 == "$H$12:$H$14"


def test_print_area_titles_breaks_and_defined_names_follow(tmp_path: Path) -> None:
    wb = table_template()
    ws = wb.active
    ws.print_area = "A1:E9"
    ws.print_title_rows = "3:3"
    ws.row_breaks.append(Break(id=5))
    wb.defined_names["tong_gia_tri"] = DefinedName("tong_gia_tri", attr_text="BangSoLieu!$C$5")
    wb.defined_names["cot_gia_tri"] = DefinedName("cot_gia_tri", attr_text="BangSoLieu!$C$4:$C$4")
    out, _ = fill(tmp_path, wb, data(units=10))
    s = out.active
    assert s.print_area == "'BangSoLieu'!$A$1:$E$18"
    assert s.print_title_rows == "$3:$3"
    assert [b.id for b in s.row_breaks.brk] == [14]
    assert out.defined_names["tong_gia_tri"].value == "BangSoLieu!$C$14"
    assert out.defined_names["cot_gia_tri"].value == "BangSoLieu!$C$4:$C$13"


def test_hyperlinks_charts_and_tables_follow(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Đơn vị", "Giá trị"
    ws["A2"], ws["B2"] = "{{ dv.ten }}", "{{ dv.gia_tri_tro_giup }}"
    ws["A4"] = "Xem danh sách"
    ws["A4"].hyperlink = Hyperlink(ref="A4", location="Sheet!B6")
    ws["A3"] = "Đến ô đích"
    ws["A3"].hyperlink = "#Sheet!B6"
    ws["A5"] = "Trang web"
    ws["A5"].hyperlink = "https://example.org/"
    ws["B6"] = "đích"
    ws.add_table(Table(displayName="BangDonVi", ref="A1:B2"))
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=2))
    ws.add_chart(chart, "D8")
    out, _ = fill(tmp_path, wb, data(units=4))
    s = out.active
    assert s["A7"].hyperlink.location == "Sheet!B9" and s["B9"].value == "đích"
    assert s["A6"].hyperlink.target == "#Sheet!B9"
    assert s["A8"].hyperlink.target == "https://example.org/"
    assert s.tables["BangDonVi"].ref == "A1:B5"
    (c,) = s._charts
    assert c.anchor._from.row == 10  # D8 → D11 (0-based row 10)
    assert c.series[0].val.numRef.f == "'Sheet'!$B$2:$B$5"
    assert c.series[0].cat.numRef.f == "'Sheet'!$A$2:$A$5" or c.series[0].cat.strRef.f == "'Sheet'!$A$2:$A$5"


# -- what survives ----------------------------------------------------------------------------
def png(width: int = 40, height: int = 30) -> io.BytesIO:
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buf, format="PNG")
    buf.seek(0)
    return buf


def test_page_setup_widths_headers_other_sheets_images_and_panes_survive(tmp_path: Path) -> None:
    from openpyxl.drawing.image import Image

    wb = table_template()
    ws = wb.active
    ws.column_dimensions["B"].width = 35
    ws.column_dimensions["C"].width = 18.5
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.top = 1.18, 0.79
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddHeader.right.text = "Mẫu 01"
    ws.freeze_panes = "A4"
    ws.add_image(Image(png()), "A1")  # a logo above the list
    ws.add_image(Image(png(20, 20)), "E9")  # a stamp below it
    notes = wb.create_sheet("GhiChu")
    notes["A1"] = "Hướng dẫn: không sửa"
    notes["A1"].font = Font(italic=True)
    wb.create_sheet("PhuLuc", 0)["B2"] = 7
    out, _ = fill(tmp_path, wb, data(units=6))
    s = out["BangSoLieu"]
    assert out.sheetnames == ["PhuLuc", "BangSoLieu", "GhiChu"]
    assert s.column_dimensions["B"].width == 35 and s.column_dimensions["C"].width == 18.5
    assert (s.page_setup.paperSize, s.page_setup.orientation) == (9, "landscape")
    assert (s.page_setup.fitToWidth, s.page_setup.fitToHeight, s.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert (s.page_margins.left, s.page_margins.top) == (1.18, 0.79) and s.print_options.horizontalCentered
    assert s.oddFooter.center.text == "Trang &P / &N" and s.oddHeader.right.text == "Mẫu 01"
    assert s.freeze_panes == "A4"
    rows = sorted(img.anchor._from.row for img in s._images)
    assert rows == [0, 13]  # the logo stays; the stamp moves down 5 rows with the footer
    assert out["GhiChu"]["A1"].value == "Hướng dẫn: không sửa" and out["GhiChu"]["A1"].font.i
    assert out["PhuLuc"]["B2"].value == 7


def test_header_and_footer_placeholders_are_filled(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.oddHeader.left.text = "{{ to_chuc.ten }}"
    ws.oddFooter.center.text = "Báo cáo {{ ky.ten }} & số liệu – trang &P"
    out, result = fill(tmp_path, wb, data(**{"to_chuc.ten": "HỘI A & B"}))
    assert out.active.oddHeader.left.text == "HỘI A && B"
    assert out.active.oddFooter.center.text == "Báo cáo 6 tháng đầu năm 2025 & số liệu – trang &P"
    assert result.fields == ["ky.ten", "to_chuc.ten"]
    wb.active.oddFooter.right.text = "{{ dv.ten }}"
    template = save(wb, tmp_path / "mau2.xlsx")
    with pytest.raises(RunError) as err:
        fill_template(template, data(), tmp_path / "out2.xlsx")
    assert "Sheet (chân trang): trường danh sách “dv.ten” không dùng được ở đầu/chân trang" in err.value.message("vi")
    assert "Sheet (footer): the list field “dv.ten” cannot be used in a header or footer" in err.value.message("en")


def test_an_xltx_template_gives_an_xlsx_report(tmp_path: Path) -> None:
    wb = table_template()
    wb.template = True
    out, _ = fill(tmp_path, wb, name="mau.xltx")
    assert out.active["B4"].value == "Xã số 1"
    import zipfile

    with zipfile.ZipFile(tmp_path / "bao-cao-mau.xlsx") as zf:
        assert b"spreadsheetml.sheet.main+xml" in zf.read("[Content_Types].xml")


def test_a_template_rearranged_in_excel_still_fills(tmp_path: Path) -> None:
    """The coordinator moves the table down, inserts rows above it, adds a merged
    title, a logo and new styles — the fill follows."""
    from openpyxl.drawing.image import Image

    wb = table_template()
    ws = wb.active
    ws.unmerge_cells("A1:E1")
    ws.unmerge_cells("A5:B5")
    ws.unmerge_cells("A7:E7")
    ws.move_range("A1:E9", rows=6, cols=1, translate=True)  # the whole block two columns right-ish, six down
    ws.merge_cells("B7:F7")
    ws.merge_cells("B11:C11")
    ws.merge_cells("B13:F13")
    ws["A1"] = "{{ to_chuc.cap_tren }}"
    ws["A2"] = "{{ to_chuc.ten }}"
    ws.merge_cells("A2:C2")
    ws["A2"].font = Font(name="Times New Roman", bold=True, underline="single")
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("E1:H1")
    ws["A4"] = "BÁO CÁO KẾT QUẢ {{ ky.ten | hoa }}"
    ws.merge_cells("A4:H4")
    ws["A4"].alignment = Alignment(horizontal="center")
    ws.add_image(Image(png()), "H2")
    ws["D10"].fill = PatternFill("solid", fgColor="DDEBF7")  # the list row's value cell, restyled
    ws.row_dimensions[10].height = 25
    d = data(units=3, **{"to_chuc.cap_tren": "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM"})
    out, result = fill(tmp_path, wb, d)
    s = out.active
    assert s["A2"].value == "HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒA" and s["A2"].font.u == "single"
    assert s["A4"].value == "BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2025"
    assert s["B7"].value == "BẢNG SỐ LIỆU 6 THÁNG ĐẦU NĂM 2025"
    assert [s.cell(r, 3).value for r in (10, 11, 12)] == ["Xã số 1", "Xã số 2", "Xã số 3"]
    assert [s.cell(r, 5).value for r in (10, 11, 12)] == ["=D10*2", "=D11*2", "=D12*2"]
    for r in (10, 11, 12):
        assert s.cell(r, 4).fill.fgColor.rgb == "00DDEBF7" and s.row_dimensions[r].height == 25
    assert s["B13"].value == "Tổng cộng" and s["D13"].value == "=SUM(D10:D12)" and s["E13"].value == "=SUM(E10:E12)"
    assert s["B14"].value is None and s["B15"].value == "Bằng chữ: [1500000 bằng chữ]"
    assert s["B16"].value == "=D13/2"
    assert {"A2:C2", "E1:H1", "A4:H4", "B7:F7", "B13:C13", "B15:F15"} <= {str(m) for m in s.merged_cells.ranges}
    assert len(s._images) == 1 and s._images[0].anchor._from.row == 1
    assert result.rows == {"dv": 3}


# -- speed --------------------------------------------------------------------------------------
def test_five_thousand_addresses_fill_in_seconds(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH ĐỊA CHỈ ĐỀ XUẤT {{ ky.ten | hoa }}"
    fields = ["stt", "ma", "ho_ten", "nam_sinh", "ngay_lap_ho_so", "trang_thai"]
    for c, f in enumerate(fields, start=1):
        ws.cell(3, c, f.upper())
        ws.cell(4, c, f"{{{{ dc.{f} }}}}").border = Border(bottom=Side(style="thin"))
    ws.merge_cells("G4:H4")
    ws["I4"] = "=D4-1900"
    ws["A5"], ws["D5"] = "Tổng số", "=COUNT(D4:D4)"
    ws.print_area = "A1:I5"
    template = save(wb, tmp_path / "mau.xlsx")
    start = time.perf_counter()
    result = fill_template(template, data(addresses=5000), tmp_path / "out.xlsx")
    elapsed = time.perf_counter() - start
    assert result.rows == {"dc": 5000}
    assert elapsed < 20, f"{elapsed:.1f} s"  # ~1.5 s here; generous for a loaded machine
    s = load_workbook(tmp_path / "out.xlsx", read_only=False).active
    assert s["C5003"].value == "Người 5000" and s["I5003"].value == "=D5003-1900"
    assert s["D5004"].value == "=COUNT(D4:D5003)" and s.print_area == "'Sheet'!$A$1:$I$5004"
    assert len(s.merged_cells.ranges) == 5000


# -- scanning ------------------------------------------------------------------------------------
def test_scan_lists_placeholders_by_cell(tmp_path: Path) -> None:
    template = save(table_template(), tmp_path / "mau.xlsx")
    scan = scan_template(template)
    assert scan.problems == []
    assert scan.fields == ["dia_danh", "dv.dia_chi_moi", "dv.gia_tri_tro_giup", "dv.stt", "dv.ten",
                           "gia_tri_tro_giup", "ky.den_ngay", "ky.ten"]
    first = scan.to_dict()["placeholders"][0]
    assert first == {"sheet": "BangSoLieu", "cell": "A1", "text": "{{ ky.ten | hoa }}", "field": "ky.ten",
                     "filters": ["hoa"], "where": "cell"}
    assert [p.location for p in scan.placeholders if p.field == "ky.den_ngay"] == ["BangSoLieu!D9"]


# -- references -----------------------------------------------------------------------------------
def test_references_follow_rows_as_excel_moves_them_on_insert() -> None:
    from xl_nhandao.report.refs import Block, Formula, RowMap

    m = RowMap([Block(4, 1, 5), Block(10, 2, 3)])  # row 4 ×5 (+4), rows 10–11 ×3 (+4 more)
    assert [m.first(r) for r in (3, 4, 5, 9, 10, 11, 12)] == [3, 4, 9, 13, 14, 15, 20]
    assert [m.last(r) for r in (4, 10, 11)] == [8, 18, 19]
    maps = {"bang": m, "o'brien": m}

    def moved(text: str, sheet: str | None = "Bang") -> str:
        return Formula(text, maps, sheet).render()

    assert moved("=SUM(C4:C4)+SUM(C10:D11)") == "=SUM(C4:C8)+SUM(C14:D19)"
    assert moved("=SUM(C3:C12)") == "=SUM(C3:C20)"  # over both blocks
    assert moved("=SUM(C11:C4)") == "=SUM(C4:C19)"  # written backwards
    assert moved("=SUM($4:$4)+C:C+tong_cong+Bang1[Cot]") == "=SUM($4:$8)+C:C+tong_cong+Bang1[Cot]"
    assert moved("='O''Brien'!C5+Khac!C5+[1]Bang!C5+C5") == "='O''Brien'!C9+Khac!C5+[1]Bang!C5+C9"
    assert moved("=C4*2+MAX(C4)+MAX(C4,1)") == "=C4*2+MAX(C4:C8)+MAX(C4:C8,1)"
    assert moved("=Bang!$C$12", None) == "=Bang!$C$20" and moved("=C12", None) == "=C12"
    assert moved('=IF(C4>0,"C4",D5)') == '=IF(C4>0,"C4",D9)'  # text is not a reference
    inside = Formula("=C10+C11+C4+C12", maps, "Bang")
    assert [inside.render(m.blocks[1], i) for i in range(3)] == [
        "=C14+C15+C4+C20", "=C16+C17+C4+C20", "=C18+C19+C4+C20"]
    assert Formula("=SUM(C4:C4", maps, "Bang").render() in ("=SUM(C4:C8", "=SUM(C4:C4")  # broken: no crash


def test_a_long_list_does_not_split_the_closing_block_across_pages(tmp_path: Path) -> None:
    """The signature under a list prints with the list's last rows on one page: when the
    page break would fall inside the closing block, a manual break goes before the last
    two rows of the list, and the sheet prints at a fixed scale (Excel ignores manual
    breaks on a sheet fitted to pages)."""
    from openpyxl import Workbook, load_workbook

    from xl_nhandao.report.fill import TemplateData, fill_template

    wb = Workbook()
    ws = wb.active
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.append(["STT", "Đơn vị"])
    ws.print_title_rows = "1:1"
    ws.append(["{{ dv.stt }}", "{{ dv.ten }}"])
    ws.append([])
    for line in ("Đề nghị các đơn vị nộp đúng hạn.", "Nơi nhận:", "- Như trên;", "CHỦ TỊCH", None, None, None,
                 "Nguyễn Văn An"):
        ws.append([line])
    tpl = tmp_path / "mau.xlsx"
    wb.save(tpl)
    moved = []
    for n in range(30, 80):
        out = tmp_path / f"r{n}.xlsx"
        data = TemplateData({}, {"dv": [{"stt": i + 1, "ten": f"Xã {i + 1}"} for i in range(n)]}, {})
        fill_template(tpl, data, out)
        filled = load_workbook(out).active
        breaks = [b.id for b in filled.row_breaks.brk]
        if breaks:
            assert breaks == [n + 1 - 2]  # before the list's last two rows (header row 1, items 2…n+1)
            assert not filled.sheet_properties.pageSetUpPr.fitToPage and filled.page_setup.scale
            moved.append(n)
    assert moved and len(moved) < 50  # only the lengths that would split the block
    short = tmp_path / "short.xlsx"
    fill_template(tpl, TemplateData({}, {"dv": [{"stt": 1, "ten": "Xã 1"}]}, {}), short)
    assert load_workbook(short).active.row_breaks.brk == []
