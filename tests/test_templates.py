"""The official report templates (``templates/*.xlsx``, SPEC §5.5): built by
``scripts/build_templates.py`` and committed as built; every placeholder a known field and
filter; each an A4 official document (Decree 30/2020: Times New Roman, the heading block,
number and date lines, title, "Nơi nhận", signature) that prints fitted to the page width
with its table header repeated. The comparison helper of the golden tests finds every kind
of difference it is meant to find.

How the templates print is looked at with ``scripts/render_reports.py`` (not in CI)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from xlsxdiff import diff_workbooks

from xl_nhandao.workbook import codes
from xl_nhandao.workbook.indicators import INDICATORS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
NAMES = ["bang-so-lieu", "danh-sach-dia-chi", "bang-so-lieu-6-thang", "bang-so-lieu-nam", "so-nop-bao-cao"]
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*(?:\|\s*([A-Za-z_]\w*)\s*)?\}\}")

#: The field names the templates may use (fixed for issue 8; ``xl_nhandao/report/fields.py``).
CODES = [i.code for i in INDICATORS]
SCALARS = {
    *CODES,
    "chi_tieu.gia_tri", "chi_tieu.dia_chi_moi", "chi_tieu.nguoi_dung_dau",
    "don_vi.ma", "don_vi.ten", "don_vi.cap", "to_chuc.ten", "to_chuc.cap_tren", "dia_danh",
    "ky.nhan", "ky.ten", "ky.nam", "ky.tu_ngay", "ky.den_ngay", "ngay_bao_cao",
    "so_van_ban", "nguoi_lap", "nguoi_ky", "chuc_vu_ky",
    "so_don_vi", "so_don_vi_da_nop", "so_don_vi_nop_muon", "so_don_vi_chua_nop", "so_don_vi_bi_tu_choi",
    "so_dia_chi_de_xuat",
}
LISTS = {
    "dv": {"stt", "ma", "ten", *CODES, "chi_tieu_gia_tri", "chi_tieu_dia_chi_moi", "chi_tieu_nguoi_dung_dau"},
    "dc": {"stt", "ma", "ho_ten", "nam_sinh", "gioi_tinh", "dan_toc", "thon", "ma_xa", "xa", "don_vi", "doi_tuong",
           "hoan_canh", "nhu_cau", "ngay_lap_ho_so", "ngay_phe_duyet", "ngay_inhandao", "trang_thai"},
    "nb": {"stt", "ma", "ten", "tep", "ngay_lap", "trang_thai", "ly_do", "dia_chi", "loi", "canh_bao"},
}
FILTERS = {"chu", "ngay_van_ban", "ngay", "hoa", "so"}


def _build_module():
    """``scripts/build_templates.py`` as a module."""
    if "build_templates" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_templates", ROOT / "scripts" / "build_templates.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_templates"] = module
        spec.loader.exec_module(module)
    return sys.modules["build_templates"]


def _placeholders(path: Path) -> list[tuple[str, str, str, str | None]]:
    """(sheet, cell, field, filter) of every placeholder in the workbook."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    out += [(ws.title, c.coordinate, m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(c.value)]
    return out


def test_the_committed_templates_are_what_the_script_builds(tmp_path: Path) -> None:
    from xl_nhandao.workbook.xlsxcompare import workbook_parts_differ

    build = _build_module()
    assert sorted(build.BUILDERS) == sorted(NAMES)
    for name, make in build.BUILDERS.items():
        fresh = tmp_path / f"{name}.xlsx"
        build.save(make(), fresh)
        assert workbook_parts_differ(fresh, TEMPLATES / f"{name}.xlsx") == [], (
            f"templates/{name}.xlsx is stale: run python scripts/build_templates.py")


def test_the_build_is_deterministic(tmp_path: Path) -> None:
    from xl_nhandao.workbook.xlsxcompare import workbook_parts_differ

    build = _build_module()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    build.save(build.BUILDERS["bang-so-lieu"](), a)
    build.save(build.BUILDERS["bang-so-lieu"](), b)
    assert workbook_parts_differ(a, b) == []


def test_the_fixed_field_list_is_the_catalogues() -> None:
    """The fields the templates were written for are all in the report's catalogue
    (what ``xl-nhandao templates`` lists), and so are the filters."""
    from xl_nhandao.report.fields import NAMES as CATALOGUE_NAMES
    from xl_nhandao.report.run import filters

    fixed = SCALARS | {f"{p}.{f}" for p, fields in LISTS.items() for f in fields}
    assert fixed <= CATALOGUE_NAMES
    assert set(filters()) == FILTERS


@pytest.mark.parametrize("name", NAMES)
def test_every_placeholder_is_a_known_field_and_filter(name: str) -> None:
    found = _placeholders(TEMPLATES / f"{name}.xlsx")
    assert found
    unknown = []
    for sheet, cell, fld, flt in found:
        prefix, _, rest = fld.partition(".")
        known = fld in SCALARS or (prefix in LISTS and rest in LISTS[prefix])
        if not known or (flt is not None and flt not in FILTERS):
            unknown.append(f"{sheet}!{cell}: {fld} | {flt}")
    assert unknown == []


def test_no_braces_outside_placeholders() -> None:
    """A mistyped placeholder (``{{ gia_tri }``, ``{ ky.ten }}``) would print as it is."""
    for name in NAMES:
        wb = openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx")
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        rest = PLACEHOLDER.sub("", c.value)
                        assert "{" not in rest and "}" not in rest, f"{name} {ws.title}!{c.coordinate}"


def _width_pt(ws, c1: int, c2: int) -> float:
    from xl_nhandao.workbook.printing import column_width_pt

    return sum(column_width_pt(ws.column_dimensions[get_column_letter(c)].width) for c in range(c1, c2 + 1))


@pytest.mark.parametrize("name", NAMES)
def test_each_sheet_is_an_official_document(name: str) -> None:
    """Heading block (organisation left, national name and motto right), number line,
    place-and-date line, title in bold capitals, "Nơi nhận", signature block; Times New
    Roman everywhere."""
    wb = openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx")
    for ws in wb.worksheets:
        texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        org, superior = texts["{{ to_chuc.ten }}"], texts["{{ to_chuc.cap_tren }}"]
        nation, motto = texts["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], texts["Độc lập - Tự do - Hạnh phúc"]
        assert superior.row == nation.row == 1 and org.row == motto.row == 2
        assert org.column < nation.column and org.font.b and nation.font.b and motto.font.b
        assert motto.font.u == "single"
        short_line = ws.cell(3, org.column)
        assert short_line.font.u == "single" and set(short_line.value) == {"\u00a0"}
        number = texts["Số: {{ so_van_ban }}"]
        date_line = texts["{{ dia_danh }}, {{ ngay_bao_cao | ngay_van_ban }}"]
        assert number.row == date_line.row and date_line.font.i and number.column < date_line.column
        titles = [c for t, c in texts.items() if c.row > number.row and c.font.b and c.font.sz >= 13
                  and t == t.upper() and c.alignment.horizontal == "center"]
        assert titles, "a title in bold capitals"
        received, signer, signature = texts["Nơi nhận:"], texts["{{ chuc_vu_ky }}"], texts["{{ nguoi_ky }}"]
        assert received.font.b and received.font.i and received.column == 1
        assert signer.column > received.column and signer.font.b and signature.font.b
        assert received.row > titles[0].row and signature.row > signer.row + 2
        # each heading block is wide enough for its longest line at 12 pt, with room between
        # them (“TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM”, “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”: ~248 pt)
        left = next(m for m in ws.merged_cells.ranges if m.min_row == 1 and m.min_col == 1)
        right = next(m for m in ws.merged_cells.ranges if m.min_row == 1 and m.min_col == nation.column)
        assert left.max_col < right.min_col
        assert _width_pt(ws, left.min_col, left.max_col) >= 245
        assert _width_pt(ws, right.min_col, right.max_col) >= 255
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, f"{ws.title}: {fonts}"


@pytest.mark.parametrize("name", NAMES)
def test_each_sheet_prints_on_a4_fitted_to_width_with_its_header_repeated(name: str) -> None:
    wb = openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx")
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"
        first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
        header = [ws.cell(first, c).value for c in range(1, ws.max_column + 1)]
        assert header[0] == "STT" and all(header), header
        assert [ws.cell(last, c).value for c in range(1, 4)] == ["(1)", "(2)", "(3)"]
        # the table header is tall enough for its wrapped words
        assert ws.row_dimensions[first].ht >= 30
        # page numbers at the top, not on the first page
        assert ws.HeaderFooter.differentFirst and ws.oddHeader.center.text == "&P"
        assert ws.page_margins.left > ws.page_margins.right


def _repeated_rows(ws) -> dict[int, set[str]]:
    rows: dict[int, set[str]] = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                for m in PLACEHOLDER.finditer(c.value):
                    prefix = m.group(1).partition(".")[0]
                    if prefix in LISTS:
                        rows.setdefault(c.row, set()).add(prefix)
    return rows


@pytest.mark.parametrize(("name", "sheet", "prefix"), [
    ("bang-so-lieu", "DonVi", "dv"), ("bang-so-lieu-6-thang", "DonVi", "dv"), ("bang-so-lieu-nam", "DonVi", "dv"),
    ("danh-sach-dia-chi", "DanhSach", "dc"), ("so-nop-bao-cao", "NopBaoCao", "nb"),
])
def test_a_list_is_one_repeated_row_right_under_the_header(name: str, sheet: str, prefix: str) -> None:
    """One row of one list's fields, unmerged, numbers typed with their formats, below the
    repeated header; text columns wrap, number columns do not."""
    ws = openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx")[sheet]
    rows = _repeated_rows(ws)
    assert list(rows.values()) == [{prefix}]
    (r,) = rows
    last_title = int(ws.print_title_rows.split(":")[1].replace("$", ""))
    assert r == last_title + 1
    assert not any(r in range(m.min_row, m.max_row + 1) for m in ws.merged_cells.ranges)
    assert ws.row_dimensions[r].ht is None  # Excel sizes the filled rows to their text
    for c in ws[r]:
        assert c.value is not None and c.border.left.style == "thin"
        if c.number_format.endswith("#,##0"):
            assert not c.alignment.wrap_text


def test_unit_tables_total_the_repeated_row_and_show_the_parent_counted_once() -> None:
    for name in ("bang-so-lieu", "bang-so-lieu-6-thang", "bang-so-lieu-nam"):
        ws = openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx")["DonVi"]
        (r,) = _repeated_rows(ws)
        total, parent = ws[r + 1], ws[r + 2]
        assert total[1].value == "Cộng các đơn vị" and parent[1].value == "{{ don_vi.ten }} (không tính trùng)"
        sums = {c.column_letter: c.value for c in total if isinstance(c.value, str) and c.value.startswith("=")}
        assert sums and all(v == f"=SUM({k}{r}:{k}{r})" for k, v in sums.items())
        value_col = next(c.column_letter for c in ws[r] if c.value == "{{ dv.gia_tri_tro_giup }}")
        assert sums[value_col] == f"=SUM({value_col}{r}:{value_col}{r})"
        assert ws[f"{value_col}{r + 2}"].value == "{{ gia_tri_tro_giup }}"
        assert "{{ ty_le_chi_tieu_gia_tri }}" in [c.value for c in parent]


def test_number_formats() -> None:
    """Counts and đồng grouped (Vietnamese separators in LibreOffice whatever its locale),
    rates one decimal, dates day first, years and codes never grouped."""
    formats: dict[str, set[str]] = {}
    for name in NAMES:
        for ws in openpyxl.load_workbook(TEMPLATES / f"{name}.xlsx").worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        m = PLACEHOLDER.fullmatch(c.value.strip())
                        if m and m.group(2) is None:
                            formats.setdefault(m.group(1).split(".")[-1], set()).add(c.number_format)
    kinds = {i.code: i.kind for i in INDICATORS}
    for fld, fmts in formats.items():
        kind = kinds.get(fld)
        if kind in ("count", "money") or fld in ("chi_tieu_gia_tri", "gia_tri", "dia_chi_moi", "dia_chi", "loi",
                                                 "canh_bao", "nguoi_dung_dau_dang_ky", "chi_tieu_dia_chi_moi"):
            assert fmts == {"[$-42A]#,##0"}, fld
        elif kind == "percent":
            assert fmts == {"[$-42A]0.0"}, fld
        elif fld.startswith("ngay"):
            assert fmts == {"dd/mm/yyyy"}, fld
        elif fld == "nam_sinh":
            assert fmts == {"0"}, fld
    assert {"gia_tri_tro_giup", "ty_le_chi_tieu_gia_tri", "ngay_lap_ho_so", "nam_sinh", "stt"} <= set(formats)


def test_the_data_tables_cover_every_form_and_category() -> None:
    for name in ("bang-so-lieu", "bang-so-lieu-6-thang", "bang-so-lieu-nam"):
        fields = {f for _, _, f, _ in _placeholders(TEMPLATES / f"{name}.xlsx")}
        assert {f"gia_tri_{c}" for c in codes.SUPPORT_FORMS.codes} <= fields
        assert {f"doi_tuong_{c}" for c in codes.CATEGORIES.codes} <= fields
        assert {"ty_le_nguoi_dung_dau", "ty_le_duoc_tro_giup", "ty_le_chi_tieu_gia_tri", "chi_tieu.gia_tri",
                "chi_tieu.dia_chi_moi", "gia_tri_chuong_trinh_khac"} <= fields
    six = _placeholders(TEMPLATES / "bang-so-lieu-6-thang.xlsx")
    assert ("gia_tri_tro_giup", "chu") in {(f, flt) for _, _, f, flt in six}
    wb = openpyxl.load_workbook(TEMPLATES / "bang-so-lieu-6-thang.xlsx")
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "đạt {{ ty_le_chi_tieu_gia_tri | so }}%" in texts


# -- the comparison helper of the golden tests ------------------------------------------------
@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a.xlsx"
    shutil.copy(TEMPLATES / "bang-so-lieu.xlsx", a)
    return a, tmp_path / "b.xlsx"


def _changed(pair: tuple[Path, Path], change) -> list[str]:
    a, b = pair
    wb = openpyxl.load_workbook(a)
    change(wb)
    wb.save(b)
    return diff_workbooks(b, a)


def test_the_comparison_finds_nothing_between_a_file_and_its_copy(pair: tuple[Path, Path]) -> None:
    assert _changed(pair, lambda wb: None) == []


@pytest.mark.parametrize(("what", "change", "expected"), [
    ("value", lambda wb: setattr(wb["ChiSo"]["D15"], "value", 1500001), "ChiSo!D15 value"),
    ("formula", lambda wb: setattr(wb["DonVi"]["C15"], "value", "=SUM(C14:C15)"), "DonVi!C15 value"),
    ("number format", lambda wb: setattr(wb["ChiSo"]["D15"], "number_format", "#,##0"), "ChiSo!D15 number format"),
    ("font", lambda wb: setattr(wb["ChiSo"]["A1"], "font", Font(name="Arial")), "ChiSo!A1 font"),
    ("fill", lambda wb: setattr(wb["ChiSo"]["B15"], "fill", PatternFill("solid", fgColor="FFFF00")),
     "ChiSo!B15 fill"),
    ("border", lambda wb: setattr(wb["ChiSo"]["B15"], "border", Border(left=Side(style="thick"))),
     "ChiSo!B15 border"),
    ("alignment", lambda wb: setattr(wb["ChiSo"]["B15"], "alignment", Alignment(horizontal="right")),
     "ChiSo!B15 alignment"),
    ("a new cell", lambda wb: setattr(wb["ChiSo"]["H3"], "value", "x"), "ChiSo!H3 value"),
    ("merged range", lambda wb: wb["ChiSo"].merge_cells("H3:I3"), "ChiSo merged ranges"),
    ("row height", lambda wb: setattr(wb["ChiSo"].row_dimensions[14], "height", 40), "ChiSo row 14 height"),
    ("column width", lambda wb: setattr(wb["ChiSo"].column_dimensions["B"], "width", 10), "ChiSo column B width"),
    ("print area", lambda wb: setattr(wb["ChiSo"], "print_area", "A1:F10"), "ChiSo print area"),
    ("print titles", lambda wb: setattr(wb["ChiSo"], "print_title_rows", "1:2"), "ChiSo print title rows"),
    ("orientation", lambda wb: setattr(wb["ChiSo"].page_setup, "orientation", "landscape"), "ChiSo orientation"),
    ("fit", lambda wb: setattr(wb["ChiSo"].page_setup, "fitToHeight", 1), "ChiSo fit to height"),
    ("margins", lambda wb: setattr(wb["ChiSo"].page_margins, "left", 0.2), "ChiSo margins"),
    ("header", lambda wb: setattr(wb["ChiSo"].oddHeader.center, "text", "Trang &P"), "ChiSo header/footer"),
    ("sheet order", lambda wb: wb.move_sheet("DonVi", -1), "sheets"),
])
def test_the_comparison_finds_each_kind_of_difference(pair: tuple[Path, Path], what: str, change,
                                                      expected: str) -> None:
    found = _changed(pair, change)
    assert any(line.startswith(expected) for line in found), (what, found)


def test_the_comparison_can_leave_a_cell_value_out(pair: tuple[Path, Path]) -> None:
    a, b = pair
    wb = openpyxl.load_workbook(a)
    wb["ChiSo"]["D15"].value = 1
    wb.save(b)
    assert diff_workbooks(b, a, ignore=["ChiSo!D15"]) == []


# -- golden tests: each template filled with fixed data, compared cell by cell ------------------
GOLDEN = Path(__file__).resolve().parent / "golden"
#: The units of the fixed data: code, name, and their own figures.
_UNITS = [
    ("22333", "Phường Bắc Nha Trang", dict(dia_chi_co_ho_so=25, dia_chi_moi=3, dia_chi_dang_tro_giup=19,
                                           dia_chi_duoc_tro_giup=18, luot_tro_giup=41, dia_chi_inhandao=20,
                                           dia_chi_qua_inhandao=6, to_chuc_tham_gia=12, ca_nhan_tham_gia=9,
                                           nguoi_dung_dau_dang_ky=5),
     dict(TM=60_000_000, HV=35_500_000, NO=40_000_000, BY=9_000_000, YT=9_000_000), 12_000_000,
     dict(HN=6, CN=4, KK=5, KT=3, NC=4, PN=2, K=1), (300_000_000, 3, 17)),
    ("22366", "Phường Nha Trang", dict(dia_chi_co_ho_so=12, dia_chi_moi=2, dia_chi_dang_tro_giup=10,
                                       dia_chi_duoc_tro_giup=7, luot_tro_giup=15, dia_chi_inhandao=9,
                                       dia_chi_qua_inhandao=2, to_chuc_tham_gia=5, ca_nhan_tham_gia=4,
                                       nguoi_dung_dau_dang_ky=2),
     dict(TM=22_000_000, HV=8_250_000, ST=5_000_000, HT=4_000_000), 0,
     dict(HN=3, KK=4, DC=1, NC=3, HS=1), (200_000_000, 3, 8)),
    ("22390", "Phường Tây Nha Trang", dict(dia_chi_co_ho_so=31, dia_chi_moi=1, dia_chi_dang_tro_giup=26,
                                           dia_chi_duoc_tro_giup=24, luot_tro_giup=58, dia_chi_inhandao=28,
                                           dia_chi_qua_inhandao=11, to_chuc_tham_gia=14, ca_nhan_tham_gia=17,
                                           nguoi_dung_dau_dang_ky=6),
     dict(TM=98_000_000, HV=51_400_000, NO=80_000_000, SK=24_600_000, PH=6_000_000, NC=1_500_000),
     35_000_000, dict(HN=9, CN=6, KK=6, KT=2, TT=2, NC=4, MC=1, K=1), (345_000_000, 2, 21)),
]
#: One person registered by 22333 and 22390 (same CCCD): counted once for the province.
_SHARED = {"dia_chi_co_ho_so": 1, "dia_chi_dang_tro_giup": 1, "dia_chi_inhandao": 1, "doi_tuong_HN": 1}


def _unit_figures(counts: dict, forms: dict, other: int, categories: dict) -> dict[str, object]:
    f: dict[str, object] = dict(counts)
    for code in codes.SUPPORT_FORMS.codes:
        f[f"gia_tri_{code}"] = forms.get(code, 0)
    f["gia_tri_tro_giup"] = sum(forms.values())
    f["gia_tri_chuong_trinh_khac"] = other
    for code in codes.CATEGORIES.codes:
        f[f"doi_tuong_{code}"] = categories.get(code, 0)
    return f


def golden_data():
    """The fixed data of the golden tests: three wards of Khánh Hòa, five proposed
    addresses, a ledger with a late, a rejected and a missing unit (hand-made figures,
    independent of the consolidation code)."""
    from xl_nhandao.report.fields import ReportData
    from xl_nhandao.report.run import template_data
    from xl_nhandao.workbook.indicators import Targets, fill_rates

    units = []
    total: dict[str, int] = {}
    heads = new_target = value_target = 0
    for i, (code, name, counts, forms, other, categories, (value, new, n_heads)) in enumerate(_UNITS, start=1):
        f = _unit_figures(counts, forms, other, categories)
        fill_rates(f, Targets(heads=n_heads, new_addresses=new, value=value))
        for k, v in f.items():
            if isinstance(v, int) and not isinstance(v, bool):
                total[k] = total.get(k, 0) + v
        heads, new_target, value_target = heads + n_heads, new_target + new, value_target + value
        units.append({"stt": i, "ma": code, "ten": name, **f, "chi_tieu_gia_tri": value,
                      "chi_tieu_dia_chi_moi": new, "chi_tieu_nguoi_dung_dau": n_heads})
    parent: dict[str, object] = {k: v - _SHARED.get(k, 0) for k, v in total.items()}
    for i in INDICATORS:
        parent.setdefault(i.code, None)
    fill_rates(parent, Targets(heads=heads, new_addresses=new_target, value=value_target))
    parent = {i.code: parent[i.code] for i in INDICATORS}
    scalars: dict[str, object] = {
        **parent,
        "chi_tieu.gia_tri": value_target, "chi_tieu.dia_chi_moi": new_target, "chi_tieu.nguoi_dung_dau": heads,
        "don_vi.ma": "56", "don_vi.ten": "Tỉnh Khánh Hòa", "don_vi.cap": "Tỉnh",
        "to_chuc.ten": "HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒA", "to_chuc.cap_tren": "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM",
        "dia_danh": "Khánh Hòa", "ky.nhan": "2025-H1", "ky.ten": "6 tháng đầu năm 2025", "ky.nam": 2025,
        "ky.tu_ngay": date(2024, 11, 25), "ky.den_ngay": date(2025, 5, 24), "ngay_bao_cao": date(2025, 5, 28),
        "so_van_ban": "24/BC-HCTĐ", "nguoi_lap": "Trần Thị Bình", "nguoi_ky": "Nguyễn Văn An",
        "chuc_vu_ky": "CHỦ TỊCH",
        "so_don_vi": 4, "so_don_vi_da_nop": 3, "so_don_vi_nop_muon": 1, "so_don_vi_chua_nop": 1,
        "so_don_vi_bi_tu_choi": 1, "so_dia_chi_de_xuat": 5,
    }
    addresses = [
        ("22333-0031", "Nguyễn Thị Lài", 1948, "Nữ", "Kinh", "Tổ dân phố 3", "22333", "Phường Bắc Nha Trang",
         "Người cao tuổi neo đơn", "Sống một mình, không có lương hưu, nhà xuống cấp", "Sửa nhà, thuốc men",
         date(2024, 12, 2), date(2024, 12, 20), date(2025, 1, 6), "Đang trợ giúp"),
        ("22333-0032", "Lê Văn Tư", 1975, "Nam", "Kinh", "Tổ dân phố 7", "22333", "Phường Bắc Nha Trang",
         "Người khuyết tật", "Khuyết tật vận động sau tai nạn lao động", "Xe lăn",
         date(2025, 2, 14), date(2025, 3, 1), None, "Đang trợ giúp"),
        ("22333-0033", "Phạm Thị Hồng", 1990, "Nữ", "Kinh", "Tổ dân phố 1", "22333", "Phường Bắc Nha Trang",
         "Phụ nữ yếu thế", "Chồng mất, một mình nuôi ba con nhỏ", "Vốn sinh kế",
         date(2025, 4, 3), None, None, "Chờ trợ giúp"),
        ("22366-0013", "Trần Văn Bảy", 1956, "Nam", "Kinh", "Tổ dân phố 12", "22366", "Phường Nha Trang",
         "Người mắc bệnh hiểm nghèo", "Ung thư phổi, đang điều trị tại Bệnh viện tỉnh", "Chi phí điều trị",
         date(2025, 1, 9), date(2025, 1, 22), date(2025, 2, 10), "Đang trợ giúp"),
        ("22390-0032", "Y Nguyễn Thị Mơ", 2012, "Nữ", "Raglai", "Tổ dân phố 4", "22390", "Phường Tây Nha Trang",
         "Trẻ em mồ côi", "Mồ côi cả cha lẫn mẹ, ở với bà ngoại 78 tuổi", "Học bổng, đồ dùng học tập",
         date(2025, 5, 20), None, None, "Chờ trợ giúp"),
    ]
    keys = ("ma", "ho_ten", "nam_sinh", "gioi_tinh", "dan_toc", "thon", "ma_xa", "xa", "doi_tuong", "hoan_canh",
            "nhu_cau", "ngay_lap_ho_so", "ngay_phe_duyet", "ngay_inhandao", "trang_thai")
    dc = []
    for i, a in enumerate(addresses, start=1):
        row = dict(zip(keys, a))
        dc.append({"stt": i, **row, "don_vi": row["xa"]})
    nb = [
        {"stt": 1, "ma": "22333", "ten": "Phường Bắc Nha Trang", "tep": "22333-2025-H1.xlsx",
         "ngay_lap": date(2025, 5, 26), "trang_thai": "Đã nhận", "ly_do": "", "dia_chi": 26, "loi": 0,
         "canh_bao": 2},
        {"stt": 2, "ma": "22366", "ten": "Phường Nha Trang", "tep": "22366-2025-H1.xlsx",
         "ngay_lap": date(2025, 6, 3), "trang_thai": "Nộp muộn", "ly_do": "Nộp sau hạn 30/05/2025.",
         "dia_chi": 12, "loi": 1, "canh_bao": 0},
        {"stt": 3, "ma": "22390", "ten": "Phường Tây Nha Trang", "tep": "Tay Nha Trang (ban sua).xls",
         "ngay_lap": None, "trang_thai": "Bị từ chối",
         "ly_do": "Tệp Excel 97–2003 (.xls) không đọc được: hãy lưu thành .xlsx rồi gửi lại.", "dia_chi": None,
         "loi": None, "canh_bao": None},
        {"stt": 4, "ma": "22390", "ten": "Phường Tây Nha Trang", "tep": "22390-2025-H1.xlsx",
         "ngay_lap": date(2025, 5, 29), "trang_thai": "Đã nhận", "ly_do": "", "dia_chi": 31, "loi": 0,
         "canh_bao": 5},
        {"stt": 5, "ma": "22402", "ten": "Phường Nam Nha Trang", "tep": "", "ngay_lap": None,
         "trang_thai": "Chưa nộp", "ly_do": "", "dia_chi": None, "loi": None, "canh_bao": None},
    ]
    # as the report fills a template: every catalogued field known, the filters of the words module
    return template_data(ReportData(scalars, {"dv": units, "dc": dc, "nb": nb}))


def fill_golden(name: str, out: Path) -> Path:
    from xl_nhandao.report.fill import fill_template

    fill_template(TEMPLATES / f"{name}.xlsx", golden_data(), out, force=True)
    return out


def test_the_golden_data_is_consistent() -> None:
    """The figures of the fixed data add up as a consolidation's do: values and events
    add up, the person two units registered counts once."""
    d = golden_data()
    s, units = d.scalars, d.lists["dv"]
    assert s["gia_tri_tro_giup"] == sum(u["gia_tri_tro_giup"] for u in units) == sum(
        s[f"gia_tri_{c}"] for c in codes.SUPPORT_FORMS.codes)
    assert s["dia_chi_co_ho_so"] == sum(u["dia_chi_co_ho_so"] for u in units) - 1 == sum(
        s[f"doi_tuong_{c}"] for c in codes.CATEGORIES.codes)
    assert s["ty_le_chi_tieu_gia_tri"] == round(s["gia_tri_tro_giup"] * 100 / s["chi_tieu.gia_tri"], 1)
    assert s["so_dia_chi_de_xuat"] == len(d.lists["dc"])
    assert set(s) >= SCALARS


@pytest.mark.parametrize("name", NAMES)
def test_filled_template_matches_its_golden_file(name: str, tmp_path: Path) -> None:
    out = fill_golden(name, tmp_path / f"{name}.xlsx")
    differences = diff_workbooks(out, GOLDEN / f"{name}.xlsx")
    assert differences == [], "\n".join(differences[:40]) + (
        "\n(if the change is intended: python tests/test_templates.py --write-golden, render and look)")


@pytest.mark.parametrize("name", NAMES)
def test_a_filled_template_has_no_placeholder_left(name: str, tmp_path: Path) -> None:
    out = fill_golden(name, tmp_path / f"{name}.xlsx")
    assert _placeholders(out) == []
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and ("{{" in c.value or "}}" in c.value)), c.coordinate


# -- a template a coordinator redesigned -------------------------------------------------------
_REF = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)")


def _insert_rows_like_excel(ws, idx: int, n: int) -> None:
    """Insert ``n`` rows before row ``idx`` as Excel does: cells, merged ranges, row
    heights, formulas, print titles and print area below move down (openpyxl's
    ``insert_rows`` moves only the cells)."""
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
    ws.insert_rows(idx, n)
    merged = list(ws.merged_cells.ranges)
    for m in merged:
        if m.min_row >= idx:
            m.shift(row_shift=n)
    ws.merged_cells = MultiCellRange(merged)  # the set is keyed by the old coordinates
    for r in heights:
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        ws.row_dimensions[r + n if r >= idx else r].height = h

    def shift(text: str) -> str:
        return _REF.sub(lambda m: m.group(1) + str(int(m.group(2)) + (n if int(m.group(2)) >= idx else 0)), text)

    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                c.value = shift(c.value)
    first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
    ws.print_title_rows = f"{first + n if first >= idx else first}:{last + n if last >= idx else last}"
    area = ws.print_area.split("!")[1].replace("$", "")
    ws.print_area = shift(area)


def _move_block(ws, top: int, bottom: int, left: int, right: int, cols: int) -> None:
    """Move the cells of rows top..bottom, columns left..right by ``cols`` columns,
    with their merged ranges, as cut and paste in Excel does."""
    inside = [m for m in ws.merged_cells.ranges
              if top <= m.min_row and m.max_row <= bottom and left <= m.min_col and m.max_col <= right]
    spans = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in inside]
    for m in list(inside):
        ws.unmerge_cells(str(m))
    ws.move_range(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}", cols=cols)
    for r1, c1, r2, c2 in spans:
        ws.merge_cells(start_row=r1, start_column=c1 + cols, end_row=r2, end_column=c2 + cols)


def test_a_template_a_coordinator_redesigned_fills_with_no_placeholder_left(tmp_path: Path) -> None:
    """Two rows with a merged note inserted above the units table, the preparer's block
    deleted and the signature block moved, every font changed: everything is still
    filled, where it now is."""
    from copy import copy

    from xl_nhandao.report.fill import fill_template

    wb = openpyxl.load_workbook(TEMPLATES / "bang-so-lieu.xlsx")
    ws = wb["DonVi"]
    header = int(ws.print_title_rows.split(":")[0].replace("$", ""))
    _insert_rows_like_excel(ws, header, 2)
    ws.merge_cells(start_row=header, start_column=1, end_row=header, end_column=ws.max_column)
    ws.cell(header, 1, "Số liệu tính đến {{ ky.den_ngay | ngay }} (đơn vị tính: địa chỉ, lượt, đồng).")
    ws.row_dimensions[header].height = 20
    signer = next(c for row in ws.iter_rows() for c in row if c.value == "TM. BAN THƯỜNG VỤ")
    name = next(c for row in ws.iter_rows() for c in row if c.value == "{{ nguoi_ky }}")
    block = next(m for m in ws.merged_cells.ranges if m.min_row == signer.row and m.min_col == signer.column)
    # no "Người lập biểu"; the signature block two columns to the left, where it was
    for m in [m for m in ws.merged_cells.ranges if m.min_row in (signer.row, name.row) and m.max_col < block.min_col
              and m.min_col > 1]:
        ws.unmerge_cells(str(m))
        ws.cell(m.min_row, m.min_col).value = None
    _move_block(ws, signer.row, name.row, block.min_col, block.max_col, cols=-2)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.value is not None:
                    f = copy(c.font)
                    f.name = "Arial"
                    c.font = f
    template = tmp_path / "bang-so-lieu-cua-toi.xlsx"
    wb.save(template)

    out = fill_template(template, golden_data(), tmp_path / "bao-cao.xlsx", force=True).output
    assert _placeholders(out) == []
    filled = openpyxl.load_workbook(out)
    ws = filled["DonVi"]
    assert ws.cell(header, 1).value == "Số liệu tính đến 24/05/2025 (đơn vị tính: địa chỉ, lượt, đồng)."
    assert any(str(m) == f"A{header}:I{header}" for m in ws.merged_cells.ranges)
    first = header + 4  # the note, the blank row moved down, the header and its numbers
    assert [ws.cell(first + i, 2).value for i in range(3)] == [u[1] for u in _UNITS]
    assert ws.cell(first + 3, 2).value == "Cộng các đơn vị"
    assert ws.cell(first + 3, 7).value == f"=SUM(G{first}:G{first + 2})"
    assert ws.cell(first, 2).font.name == "Arial"
    moved = next(c for row in ws.iter_rows() for c in row if c.value == "Nguyễn Văn An")
    assert moved.column == block.min_col - 2 and moved.font.name == "Arial"
    assert ws.print_title_rows == f"${header + 2}:${header + 3}"
    assert ws.print_area == f"'DonVi'!$A$1:$I${name.row + 2}"  # two rows inserted, two unit rows added


if __name__ == "__main__":  # pragma: no cover
    if "--write-golden" in sys.argv[1:]:
        GOLDEN.mkdir(exist_ok=True)
        for n in NAMES:
            print("written:", fill_golden(n, GOLDEN / f"{n}.xlsx").relative_to(ROOT))
        sys.exit(0)
    sys.exit(pytest.main([__file__]))
