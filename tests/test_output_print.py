"""Outputs print as a coordinator expects (A4): the consolidation's tables landscape,
fitted to the page width, header rows repeated and tall enough for the whole header;
long text wrapped in rows tall enough; registers print their key columns; charts one a
page, value axes in millions of đồng; years and codes without thousands separators; the
blank workbook's HuongDan and the annotated copy's Loi set up for printing.

What LibreOffice then prints is looked at with ``scripts/render.py`` (not in CI)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from books import write
from conftest import TODAY
from openpyxl import load_workbook
from test_consolidate import SHEETS, book

from xl_nhandao.consolidate import consolidate
from xl_nhandao.consolidate import writer as consolidate_writer
from xl_nhandao.consolidate.writer import write_consolidation
from xl_nhandao.validate import validate_file
from xl_nhandao.workbook import blank, printing
from xl_nhandao.workbook.annotate import annotate_file

#: The header row (1-based) of each table of the consolidation workbook.
TABLES = {"TongHop": 4, "ChiTieu": 4, "NopBaoCao": 4, "TrungLap": 1, "Loi": 1, "LoaiTru": 1, "DiaChi": 1,
          "DangKy": 1, "TroGiup": 1}
LINE_PT = printing.FONT_SIZE * 1.2


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two communes whose two people share CCCD numbers (TrungLap), one with rows in
    error (Loi, LoaiTru) and a long circumstance."""
    d = tmp_path_factory.mktemp("nop")
    a = book("22333")
    a.set("DiaChi", 0, "Năm sinh", 19855)
    a.set("DiaChi", 1, "Hoàn cảnh", "Mẹ già yếu, con nhỏ đi học, nhà dột nát sau bão; " * 4)
    a.set("TroGiup", 0, "Hình thức", "Quà Tết linh tinh")
    write(a, d / "22333.xlsx")
    write(book("22366"), d / "22366.xlsx")
    return d


@pytest.fixture(scope="module")
def output(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "tong-hop.xlsx"
    write_consolidation(consolidate([folder], today=TODAY), out)
    return out


def _width(ws, column: int) -> float:
    """The width of ``column`` (1-based); columns of equal width are stored as one range,
    which openpyxl keeps under the range's first letter only."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    if letter in ws.column_dimensions:  # a workbook built in memory
        return ws.column_dimensions[letter].width
    for d in ws.column_dimensions.values():
        if d.min and d.max and d.min <= column <= d.max:
            return d.width
    raise AssertionError(f"{ws.title}: no width set for column {column}")


def _needed_pt(ws, row: int, bold: bool = False) -> float:
    """The height the wrapped text of ``row`` needs at its columns' widths."""
    n = 1
    for c in ws[row]:
        if isinstance(c.value, str) and c.value and (bold or c.alignment.wrap_text):
            size = c.font.sz or printing.FONT_SIZE
            n = max(n, printing.lines(c.value, _width(ws, c.column), size, bold) * size / printing.FONT_SIZE)
    return n * LINE_PT


def test_sheets_in_the_order_a_reader_needs(output: Path) -> None:
    assert load_workbook(output, read_only=True).sheetnames == SHEETS
    assert SHEETS[:3] == ["TongHop", "ChiTieu", "BieuDo"] and SHEETS[-1] == "ThongTin"


def test_tables_print_landscape_fitted_to_the_width_with_their_header_on_every_page(output: Path) -> None:
    wb = load_workbook(output)
    for name, header in TABLES.items():
        ws = wb[name]
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), name
        if name != "TongHop":  # TongHop prints as panels (below)
            # fitToWidth is 1 when absent (the file format's default)
            assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), name
        assert ws.print_title_rows == f"${header}:${header}", name
        assert ws.oddFooter.center.text == "Trang &P / &N", name
        # the header row shows every header whole, wrapped in its column
        height = ws.row_dimensions[header].height
        assert height is not None and height >= _needed_pt(ws, header, bold=True), name
    # TongHop's indicator headers take several lines in columns as narrow as the figures
    assert wb["TongHop"].row_dimensions[4].height > 45
    assert wb["ThongTin"].page_setup.orientation == "portrait" and wb["ThongTin"].sheet_properties.pageSetUpPr.fitToPage


def test_tonghop_prints_as_panels_each_one_page_wide(output: Path) -> None:
    """45 columns fitted to one page print at a third of their size: TongHop prints as the
    main indicators, the value by form and the addresses by category, each panel one A4
    landscape page wide at one readable scale, the unit's code and name on every page."""
    ws = load_workbook(output)["TongHop"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    scale = ws.page_setup.scale
    assert 50 <= scale <= 100
    assert ws.print_title_cols == "$A:$B"
    breaks = [b.id for b in ws.col_breaks.brk]
    headers = [c.value for c in ws[4]]
    panels = [(0, breaks[0]), (breaks[0], breaks[1]), (breaks[1], len(headers))]
    assert headers[breaks[0]].startswith("Giá trị trợ giúp: ") and headers[breaks[1]].startswith("Địa chỉ có hồ sơ: ")
    for start, end in panels:
        columns = ([] if start == 0 else [1, 2]) + list(range(start + 1, end + 1))
        width = sum(printing.column_width_pt(_width(ws, c)) for c in columns)
        assert width * scale / 100 <= printing.A4_LANDSCAPE_PT, (start, end)
    # the total row is not alone on a page: these few units, the total and the overlap fit one page
    rows_pt = [ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)]
    assert len(printing.pages(rows_pt, scale, printing.A4_LANDSCAPE_HEIGHT_PT, 1, 3)) == 1


def test_long_text_wraps_in_rows_tall_enough(output: Path) -> None:
    wb = load_workbook(output)
    checked = 0
    for name in ("Loi", "LoaiTru", "NopBaoCao", "TrungLap"):
        ws = wb[name]
        first = TABLES[name] + 1
        for r in range(first, ws.max_row + 1):
            needed = _needed_pt(ws, r)
            if needed > LINE_PT:
                checked += 1
                assert (ws.row_dimensions[r].height or 15) >= needed, (name, r)
    assert checked >= 5
    # the long message of a row in error is wrapped, not spilled over the next columns
    loi = wb["Loi"]
    header = [c.value for c in loi[1]]
    assert all(loi.cell(r, header.index("Nội dung") + 1).alignment.wrap_text for r in range(2, loi.max_row + 1))


def test_registers_print_their_key_columns(output: Path) -> None:
    wb = load_workbook(output)
    for name, last in (("DiaChi", "Đối tượng"), ("DangKy", "Giá trị cam kết (đồng/năm)"), ("TroGiup", "Nguồn")):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(header.index(last) + 1)
        assert str(ws.print_area) == f"'{name}'!$A$1:${letter}${ws.max_row}", name
        assert header[0] == "STT"
        # printed text is never cut at the column's edge: it shrinks to fit
        for c in range(header.index(last) + 1):
            cell = ws.cell(2, c + 1)
            if isinstance(cell.value, str) and len(cell.value) > 12 and header[c] != "Mã địa chỉ":
                assert cell.alignment.shrink_to_fit, (name, header[c])


def test_years_codes_and_row_numbers_have_no_thousands_separator(output: Path) -> None:
    wb = load_workbook(output)

    def formats(sheet: str, column: str) -> set[str]:
        ws = wb[sheet]
        c = [x.value for x in ws[TABLES[sheet]]].index(column) + 1
        return {ws.cell(r, c).number_format for r in range(TABLES[sheet] + 1, ws.max_row + 1)
                if ws.cell(r, c).value is not None}

    assert formats("DiaChi", "Năm sinh") == {"0"}  # 1963, not 1.963
    assert formats("DiaChi", "STT") == {"0"}
    assert formats("DiaChi", "Dòng nguồn") == {"0"}
    assert formats("DiaChi", "Số CCCD") == {"@"}
    assert formats("TrungLap", "Năm sinh A") == formats("TrungLap", "Năm sinh B") == {"0"}
    assert formats("TroGiup", "Giá trị (đồng)") == {"#,##0"}  # 1.500.000
    assert formats("LoaiTru", "Dòng") == {"0"}
    assert formats("Loi", "Dòng") == {"0"}


def _charts(path: Path) -> tuple[list[str], list[tuple[int, int]]]:
    """The charts' XML and their anchors (first and last row), in drawing order."""
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[-1]))
        charts = [z.read(n).decode() for n in names]
        drawing = z.read("xl/drawings/drawing1.xml").decode()
    rows = re.findall(r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>.*?<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", drawing)
    return charts, [(int(a), int(b)) for a, b in rows]


def test_charts_one_a_page_with_values_in_millions(output: Path) -> None:
    ws = load_workbook(output)["BieuDo"]
    charts, anchors = _charts(output)
    assert len(charts) == 3
    page = consolidate_writer.PAGE_ROWS
    # one chart a page: manual page breaks, so no fitting (Excel ignores breaks then)
    assert [b.id for b in ws.row_breaks.brk] == [page * k for k in range(1, len(charts))]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.scale or 100) == 100
    for k, (top, bottom) in enumerate(anchors):
        assert page * k <= top < bottom < page * (k + 1)
    # the print area is the charts' columns; their source table is right of it
    last = consolidate_writer.PRINTED_COLUMNS
    assert str(ws.print_area) == f"'BieuDo'!$A$1:${chr(64 + last)}${len(charts) * page}"
    assert ws.cell(2, 1).value is None and ws.cell(2, last + 3).value == "Mã đơn vị"
    # amounts on the value axis in millions of đồng
    assert re.search(r'formatCode="#,##0(\.0)?,,"', charts[0]) and "triệu đồng" in charts[0]


def test_many_units_make_several_chart_pages(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(consolidate_writer, "UNITS_PER_CHART", 1)
    out = tmp_path / "t.xlsx"
    write_consolidation(consolidate([folder], today=TODAY), out)
    charts, anchors = _charts(out)
    assert len(charts) == 5  # value by unit ×2, attainment ×2, categories
    assert "(1/2)" in charts[0] and "(2/2)" in charts[1]
    assert len({top // consolidate_writer.PAGE_ROWS for top, _ in anchors}) == 5


def test_blank_workbook_guide_prints_on_a4(tmp_path: Path) -> None:
    ws = blank.build()["HuongDan"]
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.oddFooter.center.text == "Trang &P / &N"
    width = _width(ws, 1) + _width(ws, 2)
    steps = [r for r in range(3, 10)]
    assert {str(m) for m in ws.merged_cells.ranges} >= {f"A{r}:B{r}" for r in steps}
    for r in steps:  # each step wraps across both columns, in a row tall enough for it
        cell = ws.cell(r, 1)
        assert cell.alignment.wrap_text
        assert ws.row_dimensions[r].height >= printing.lines(cell.value, width, 12) * 12 * 1.2


def test_the_english_issue_list_numbers_its_pages_in_english(tmp_path: Path, folder: Path) -> None:
    src = folder / "22333.xlsx"
    out = tmp_path / "marked.xlsx"
    annotate_file(src, validate_file(src, today=TODAY).issues, out, lang="en")
    ws = load_workbook(out)["Loi"]
    assert ws.oddFooter.center.text == "Page &P / &N" and ws.print_title_rows == "$1:$1"


def test_annotated_copys_issue_list_prints_with_rows_tall_enough(tmp_path: Path, folder: Path) -> None:
    src = folder / "22333.xlsx"
    out = tmp_path / "danh-dau.xlsx"
    annotate_file(src, validate_file(src, today=TODAY).issues, out)
    ws = load_workbook(out)["Loi"]
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth) == (9, "landscape", 1)
    assert ws.print_title_rows == "$1:$1" and ws.oddFooter.center.text == "Trang &P / &N"
    assert ws.page_margins.left == 0.4
    assert ws.row_dimensions[1].height >= _needed_pt(ws, 1, bold=True)
    tall = 0
    for r in range(2, ws.max_row + 1):
        needed = _needed_pt(ws, r)
        if needed > LINE_PT:
            tall += 1
            assert (ws.row_dimensions[r].height or 15) >= needed, r
    assert tall >= 1
    # The links to the cells print in the body's face (a font-less link prints in another).
    links = [ws.cell(r, 5) for r in range(2, ws.max_row + 1) if ws.cell(r, 5).hyperlink]
    assert links and {c.font.name for c in links} == {"Calibri"}
