"""The row writer of the consolidation's large sheets (:mod:`xl_nhandao.consolidate.rowwriter`)
against XlsxWriter writing the same cells: the same values, types and formats, read back
by openpyxl and by python-calamine, and a package Excel opens without repair (every part
well-formed XML, the shared strings counted right)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
import python_calamine
from books import write
from conftest import TODAY
from openpyxl import load_workbook
from test_consolidate import book

from xl_nhandao.consolidate import consolidate
from xl_nhandao.consolidate.rowwriter import (
    Column,
    Package,
    Table,
    format_indices,
    write_with_xlsxwriter,
)
from xl_nhandao.consolidate.writer import _write

#: Text a clerk may type that an XML writer must escape, keep or never turn into a formula.
AWKWARD = ["=SUM(A1:A3)", "+84 912 345 678", " leading space", "trailing space ", "a & b < c > d", 'say "hi"',
           "_x0041_ is not A", "line\nbreak", "tab\there", "bell\x07char", "Nguyễn Thị Ánh", "", "@user",
           "x" * 40_000]


def _write_both(tmp_path: Path, make_table) -> tuple[Path, Path]:
    """The same table written by XlsxWriter cell by cell and by the row writer, after a
    small sheet whose strings XlsxWriter keeps in the shared strings."""
    import xlsxwriter

    out = {}
    for name, fast in (("xlsxwriter", False), ("rows", True)):
        path = tmp_path / f"{name}.xlsx"
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer if fast else str(path), {"in_memory": True, "strings_to_numbers": False,
                                                                 "strings_to_formulas": False,
                                                                 "strings_to_urls": False})
        formats = {"text": wb.add_format({"font_name": "Times New Roman"}),
                   "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
                   "whole": wb.add_format({"num_format": "0"}),
                   "int": wb.add_format({"num_format": "#,##0"}),
                   "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
                   "code": wb.add_format({"num_format": "@"}),
                   "red": wb.add_format({"bg_color": "#FFC7CE"})}
        small = wb.add_worksheet("Small")
        small.write_string(0, 0, "Nguyễn Thị Ánh")  # also in the table: two entries, both valid
        small.write_string(1, 0, "only here")
        table = make_table()
        ws = wb.add_worksheet(table.name)
        for c, col in enumerate(table.columns):
            ws.write_string(0, c, col.header, formats["text"])
            ws.set_column(c, c, col.width)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(table.count, 1), len(table.columns) - 1)
        after = wb.add_worksheet("After")
        after.write_number(0, 0, 42)
        if fast:
            xf = format_indices(formats)
            wb.close()
            Package(buffer.getvalue(), {ws.index: table}, xf).write(path)
        else:
            write_with_xlsxwriter(ws, table, formats)
            wb.close()
        out[name] = path
    return out["xlsxwriter"], out["rows"]


def _cells(path: Path) -> dict[str, list[list[tuple[object, ...]]]]:
    """Every cell of every sheet as (value, type, number format, bold, fill, wrap), and
    each row's height."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            rows.append([(c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb,
                          c.alignment.wrap_text, c.alignment.vertical) for c in row])
            rows[-1].append(ws.row_dimensions[row[0].row].height)
        out[ws.title] = rows
    return out


def _calamine(path: Path) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names}


def _check_package(path: Path) -> None:
    """Every XML part parses; the shared strings' uniqueCount is their number and each
    string cell points at one of them."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        sst = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
        unique = len(sst.findall("m:si", ns))
        assert int(sst.get("uniqueCount")) == unique  # type: ignore[arg-type]
        refs = 0
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for c in ElementTree.fromstring(z.read(name)).iter(f"{{{ns['m']}}}c"):
                    if c.get("t") == "s":
                        refs += 1
                        assert 0 <= int(c.find("m:v", ns).text) < unique  # type: ignore[union-attr,arg-type]
        assert int(sst.get("count")) == refs  # type: ignore[arg-type]


def _awkward_table() -> Table:
    columns = [Column("Số", 6, "whole", number=True), Column("Chữ", 30, "wrap", wrap=True),
               Column("Mã", 8, "code"), Column("Tiền", 14, "int", number=True),
               Column("Ngày", 12, "date", number=True), Column("Mức", 8, styles={"Lỗi": "red"})]
    day = (date(2024, 3, 5) - date(1899, 12, 30)).days
    rows = []
    for i, text in enumerate(AWKWARD, start=1):
        rows.append([i, text, f"{i:05d}", 1_500_000 * i if i % 3 else None, day + i if i % 2 else None,
                     "Lỗi" if i % 2 else "Cảnh báo"])
    rows.append([len(rows) + 1, None, "", 12.5, None, None])  # a float, empty cells
    rows.append([len(rows) + 1, "Nguyễn Thị Ánh", "00001", -3, None, "Lỗi"])  # repeated strings
    return Table("Big", columns, rows, len(rows))


def test_row_writer_writes_what_xlsxwriter_writes(tmp_path: Path) -> None:
    reference, fast = _write_both(tmp_path, _awkward_table)
    _check_package(fast)
    assert _cells(fast) == _cells(reference)
    assert _calamine(fast) == _calamine(reference)
    big = load_workbook(fast)["Big"]
    text = [big.cell(r, 2).value for r in range(2, len(AWKWARD) + 2)]
    # text stays text (no formula), whitespace and escapes survive (a control character
    # is stored as Excel stores it, _x0007_, which openpyxl does not decode), long text
    # is cut at Excel's limit as XlsxWriter cuts it
    assert text[:9] + text[10:11] == AWKWARD[:9] + AWKWARD[10:11] and text[9] == "bell_x0007_char"
    assert big.cell(2, 2).data_type == "s" and len(text[-1]) == 32767
    assert big.cell(2, 4).number_format == "#,##0" and big.cell(2, 1).number_format == "0"
    assert big.cell(3, 5).value is None and big.cell(2, 5).value == datetime(2024, 3, 6)
    assert big.freeze_panes == "A2" and big.auto_filter.ref == f"A1:F{len(AWKWARD) + 3}"
    # the long text's row is as tall as its wrapped lines; a one-line row keeps the default
    assert big.row_dimensions[2].height is None and big.row_dimensions[len(AWKWARD) + 1].height > 100


def test_row_writer_with_no_rows(tmp_path: Path) -> None:
    reference, fast = _write_both(tmp_path, lambda: Table("Big", [Column("A", 8)], [], 0))
    _check_package(fast)
    assert _cells(fast) == _cells(reference)


@pytest.fixture(scope="module")
def with_issues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two communes, one with rows in error (so Loi and LoaiTru have rows) and text a
    clerk typed that looks like a formula."""
    d = tmp_path_factory.mktemp("nop")
    a = book("22333", 1)
    a.set("DiaChi", 0, "Hoàn cảnh", "+SUM(1,2) @x")  # Excel would take "+…" typed in a cell for a formula
    a.set("DiaChi", 1, "Năm sinh", 19855)  # an error: the row is excluded
    a.set("TroGiup", 0, "Nội dung", " & <gạo> ")
    write(a, d / "22333.xlsx")
    write(book("22366", 2), d / "22366.xlsx")
    return d


def test_consolidation_written_by_the_row_writer_equals_xlsxwriter(with_issues: Path, tmp_path: Path) -> None:
    result = consolidate([with_issues], today=TODAY)
    assert result.excluded and any(s.report and s.report.issues for s in result.submissions)
    when = datetime(2025, 1, 2, 3, 4, 5)
    fast, reference = tmp_path / "fast.xlsx", tmp_path / "ref.xlsx"
    _write(result, fast, when)
    _write(result, reference, when, row_writer=False)
    _check_package(fast)
    assert _cells(fast) == _cells(reference)
    assert _calamine(fast) == _calamine(reference)
    a, b = load_workbook(fast), load_workbook(reference)
    for ws in a.worksheets:
        other = b[ws.title]
        assert ws.freeze_panes == other.freeze_panes
        assert ws.auto_filter.ref == other.auto_filter.ref
        assert ws.print_title_rows == other.print_title_rows
        assert str(ws.print_area) == str(other.print_area)
        assert ws.page_setup.orientation == other.page_setup.orientation
        assert ws.page_setup.fitToWidth == other.page_setup.fitToWidth
        assert {k: d.width for k, d in ws.column_dimensions.items()} == {
            k: d.width for k, d in other.column_dimensions.items()}
    # the same parts; only the large sheets and the shared strings are written apart
    with zipfile.ZipFile(fast) as zf, zipfile.ZipFile(reference) as zr:
        assert sorted(zf.namelist()) == sorted(zr.namelist())
    # what the clerk typed stays text
    typed = [c for row in a["DiaChi"].iter_rows() for c in row if c.value == "+SUM(1,2) @x"]
    assert len(typed) == 1 and typed[0].data_type == "s"


def test_messages_rendered_once_are_the_issues_own(with_issues: Path) -> None:
    from xl_nhandao.consolidate.messages import Messages

    result = consolidate([with_issues], today=TODAY)
    issues = [i for s in result.submissions if s.report for i in s.report.issues]
    assert issues
    messages = Messages()
    for _ in range(2):  # rendered, then from the cache
        for i in issues:
            for lang in ("vi", "en"):
                assert messages.message(i, lang) == i.message(lang)  # type: ignore[arg-type]
                assert messages.hint(i, lang) == i.hint(lang)  # type: ignore[arg-type]
