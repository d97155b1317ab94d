"""The Excel add-in's Python side (SPEC §6), with a fake xlwings ``Book`` (``fakebook.py``)
that records every call a handler makes to Excel: there is no Excel on these machines.

* the live workbook reads what the file reader reads: the same issues over both
  interfaces, case by case; unsaved edits are what is checked;
* marking and "Xóa đánh dấu" give back exactly the fills and notes the cells had, in a later
  session too, and leave a mark the clerk changed since as the clerk made it;
* every button's handler; address codes never given twice; legacy text converted;
* a failure is one Vietnamese sentence in a message box and a log line without personal
  data; the dispatcher imports nothing heavy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest
from books import clean_book, write
from conftest import TODAY
from fakebook import FakeApp, FakeBook, book_with, from_xlsx, snapshot, to_xlsx
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

import xl_nhandao as nd
from xl_nhandao.addin import book as live
from xl_nhandao.addin import codes, dispatch, marks
from xl_nhandao.addin.handlers import Click, free_name
from xl_nhandao.addin.ui import Screen, menu
from xl_nhandao.errors import RunError
from xl_nhandao.vn.text import _unicode_to_tcvn3, _unicode_to_vni
from xl_nhandao.workbook import guard
from xl_nhandao.workbook.annotate import MARKS_SHEET, annotate_file, clear_file

ROOT = Path(__file__).resolve().parent.parent
RED, YELLOW = (0xFF, 0xC7, 0xCE), (0xFF, 0xEB, 0x9C)


@pytest.fixture(autouse=True)
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "logs"
    monkeypatch.setenv("XLND_LOG_DIR", str(d))
    return d


class FakeAsk:
    """The dialogs, answered in advance; what was asked is kept."""

    def __init__(self, folder: Path | None = None, files: list[list[Path]] | None = None,
                 choice: int | None = None) -> None:
        self._folder = folder
        self._files = list(files or [])
        self._choice = choice
        self.asked: list[tuple] = []
        self.documents: list[Path] = []

    def folder(self, title: str, start: Path | None = None) -> Path | None:
        self.asked.append(("folder", title, start))
        return self._folder

    def files(self, title: str, start: Path | None = None, kinds=("xlsx",), multiple: bool = False) -> list[Path]:
        self.asked.append(("files", title, tuple(kinds), multiple))
        return self._files.pop(0) if self._files else []

    def choose(self, title: str, prompt: str, options) -> int | None:
        self.asked.append(("choose", prompt, list(options)))
        return self._choice

    def open_document(self, path: Path) -> None:
        self.documents.append(path)


def click(tag: str, book: FakeBook, ask: FakeAsk | None = None) -> str | None:
    """Press a button; the last message box's text (None: none shown)."""
    before = len(book.app.alerts)
    assert dispatch.main(tag, book=book, ask=ask or FakeAsk(), today=TODAY) == 0
    shown = book.app.alerts[before:]
    return shown[-1]["prompt"] if shown else None  # type: ignore[return-value]


def log_lines(log_dir: Path) -> list[str]:
    return (log_dir / "addin.log").read_text(encoding="utf-8").splitlines()


def broken(tmp_path: Path) -> Path:
    """A register with an error (D6, a birth year 19855) on a cell that has the clerk's own
    fill and note, a warning (G4, a CCCD that lost its zero), and a coloured cell (C5)."""
    book = clean_book()
    book.set("DiaChi", 2, "Năm sinh", 19855)
    book.set("DiaChi", 0, "Số CCCD", 56050001234)
    path = write(book, tmp_path / "so.xlsx")
    wb = load_workbook(path)
    ws = wb["DiaChi"]
    ws["D6"].fill = PatternFill("solid", fgColor="DDEBF7")
    ws["D6"].comment = Comment("Hỏi lại năm sinh", "Cán bộ")
    ws["C5"].fill = PatternFill("solid", fgColor="E2EFDA")
    wb.save(path)
    return path


# -- the live workbook reads what the file reader reads -------------------------------------------
def _legacy(tmp_path: Path, name: str, encode, font: str | None) -> Path:
    path = write(clean_book(), tmp_path / name)
    wb = load_workbook(path)
    ws = wb["DiaChi"]
    for row in range(4, 7):
        for col in (3, 8, 12):
            cell = ws.cell(row, col)
            cell.value = encode(cell.value)
            if font:
                cell.font = Font(name=font)
    wb.save(path)
    return path


def _case_errors(tmp_path: Path) -> Path:
    book = clean_book()
    book.set("DiaChi", 0, "Năm sinh", 19855)
    book.set("DiaChi", 1, "Giới tính", "X")
    book.set("DiaChi", 2, "Mã địa chỉ", "22333-0001")  # a repeated code
    book.set("DiaChi", 0, "Số CCCD", 56050001234)
    book.set("TroGiup", 0, "Giá trị (đồng)", "1.5")
    book.set("TroGiup", 1, "Mã địa chỉ", "22333-0099")
    book.set("TroGiup", 2, "Ngày trợ giúp", datetime(2024, 4, 2, 14, 30))  # a date with a time of day
    book.set("DangKy", 0, "Ghi chú", time(9, 15))  # a time of day
    return write(book, tmp_path / "errors.xlsx")


def _case_offset(tmp_path: Path) -> Path:
    """Tables that start at C5, not A1: the used range is offset."""
    path = write(clean_book(), tmp_path / "offset.xlsx")
    wb = load_workbook(path)
    for name in ("DiaChi", "DangKy", "TroGiup"):
        ws = wb[name]
        ws.delete_rows(1, 2)  # no title block: the header is the first row that has something
        ws.insert_rows(1, 4)
        ws.insert_cols(1, 2)
    wb.save(path)
    return path


def _case_merged(tmp_path: Path) -> Path:
    book = clean_book()
    book.set("DiaChi", 2, "Thôn/Tổ dân phố", None)
    hdrs, rows = book.tables["TroGiup"]
    rows.insert(0, ["Tháng 12"] + [None] * (len(hdrs) - 1))
    path = write(book, tmp_path / "merged.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].merge_cells("H5:H6")  # a village for two rows
    wb["DiaChi"].merge_cells("A1:T1")  # the title
    wb["TroGiup"].merge_cells("A4:L4")  # a section row
    wb.save(path)
    return path


def _case_vntimeh(tmp_path: Path) -> Path:
    path = write(clean_book(), tmp_path / "vntimeh.xlsx")
    wb = load_workbook(path)
    cell = wb["DiaChi"]["C4"]
    cell.value = _unicode_to_tcvn3("nguyễn văn an")
    cell.font = Font(name=".VnTimeH")
    wb["DiaChi"]["H5"].font = Font(name=".VnTimeH")  # "Thôn 2" is not ASCII: the font still counts
    wb["DiaChi"]["F4"].value = "kinh"  # ASCII with small letters in a normal font
    wb.save(path)
    return path


def _case_formulas(tmp_path: Path) -> Path:
    path = write(clean_book(), tmp_path / "formulas.xlsx")
    wb = load_workbook(path)
    ws = wb["TroGiup"]
    ws["G4"] = "=500000*2"  # no cached value: what Excel shows is what the file reader reads (blank)
    wb.save(path)
    return path


def _case_solieu(tmp_path: Path) -> Path:
    return write(clean_book(), tmp_path / "solieu.xlsx", solieu=[["dia_chi_co_ho_so", "Có hồ sơ", 5]])


CASES = {
    "clean": lambda t: write(clean_book(), t / "clean.xlsx"),
    "errors": _case_errors,
    "offset": _case_offset,
    "merged": _case_merged,
    "tcvn3-font": lambda t: _legacy(t, "tcvn3.xlsx", _unicode_to_tcvn3, ".VnTime"),
    "vni-font": lambda t: _legacy(t, "vni.xlsx", _unicode_to_vni, "VNI-Times"),
    "tcvn3-no-font": lambda t: _legacy(t, "tcvn3-nofont.xlsx", _unicode_to_tcvn3, None),
    "vntimeh": _case_vntimeh,
    "formulas": _case_formulas,
    "solieu": _case_solieu,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_live_workbook_gives_the_issues_the_file_gives(tmp_path: Path, case: str) -> None:
    path = CASES[case](tmp_path)
    from_file = nd.validate(path, today=TODAY)
    book = from_xlsx(path)
    if case == "offset":
        used = book.sheets["DiaChi"].used_range
        assert (used.row, used.column) == (5, 3)
    from_excel = nd.validate(live.LiveWorkbook(book), today=TODAY)
    assert [i.as_json() for i in from_excel.issues] == [i.as_json() for i in from_file.issues]
    assert from_excel.rows == from_file.rows
    for sheet in ("DiaChi", "DangKy", "TroGiup"):
        assert [(r.row, r.values) for r in from_excel.records(sheet)] == \
            [(r.row, r.values) for r in from_file.records(sheet)]
    if case != "clean":
        assert from_file.issues or case in ("offset", "merged", "formulas", "solieu")


def test_each_sheet_is_read_in_one_call_and_formatting_past_the_data_is_dropped(tmp_path: Path) -> None:
    path = CASES["merged"](tmp_path)
    book = from_xlsx(path)
    book.sheets["DiaChi"].used = (1, 1, 400, 40)  # rows and columns the clerk formatted, empty
    source = live.LiveWorkbook(book)
    data = source.read("DiaChi")
    reads = [c for c in book.app.calls if c[0] == "get value"]
    assert reads == [("get value", "DiaChi", "A1:AN400")]
    assert len(data.rows) == 6 and len(data.rows[0]) == 20
    assert sorted(data.merged) == [((0, 0), (0, 19)), ((4, 7), (5, 7))]
    assert data.rows[4][7] == "Thôn 2" and data.rows[5][7] == ""
    # Finding the two merged areas takes a few dozen calls, not one per cell.
    assert len([c for c in book.app.calls if c[0] in ("get merge_cells", "get merge_area")]) < 60
    assert nd.validate(source, today=TODAY).issues == nd.validate(path, today=TODAY).issues


def test_a_large_used_range_is_read_in_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = CASES["errors"](tmp_path)
    monkeypatch.setattr(live, "ONE_CALL_CELLS", 50)
    monkeypatch.setattr(live, "BLOCK_CELLS", 40)
    book = from_xlsx(path)
    report = nd.validate(live.LiveWorkbook(book), today=TODAY)
    assert [i.as_json() for i in report.issues] == [i.as_json() for i in nd.validate(path, today=TODAY).issues]
    assert len([c for c in book.app.calls if c[:2] == ("get value", "DiaChi")]) == 3  # 6 rows of 20, 2 rows a call


def test_the_file_readers_limits_hold_for_the_live_workbook(tmp_path: Path) -> None:
    assert (live.MAX_ROWS, live.MAX_CELLS) == (guard.MAX_ROWS, guard.MAX_CELLS)
    book = from_xlsx(write(clean_book(), tmp_path / "far.xlsx"))
    book.sheets["DiaChi"].used = (1, 1, 700_000, 3)
    with pytest.raises(RunError) as err:
        nd.validate(live.LiveWorkbook(book), today=TODAY)
    assert err.value.code == "too-many-rows"
    assert [c for c in book.app.calls if c[:2] == ("get value", "DiaChi")] == []  # refused before reading
    assert "(ô T700000)" in err.value.message("vi")  # the used range's last cell: where Ctrl+End goes
    book.sheets["DiaChi"].used = (1, 1, 100_000, 300)
    with pytest.raises(RunError) as err:
        nd.validate(live.LiveWorkbook(book), today=TODAY)
    assert err.value.code == "stray-cells" and "ô KN100000" in err.value.message("vi")
    assert "A1:KN100000" in err.value.message("vi")
    assert [c for c in book.app.calls if c[:2] == ("get value", "DiaChi")] == []


def test_unsaved_edits_are_what_is_checked(tmp_path: Path) -> None:
    path = write(clean_book(), tmp_path / "so.xlsx")
    book = from_xlsx(path)
    book.sheets["DiaChi"].put("D5", 19855.0)  # typed, not saved
    book.api.Saved = False
    assert nd.validate(path, today=TODAY).issues == []  # the file on disk is clean
    text = click("validate", book)
    assert "1 lỗi" in (text or "")
    assert book.sheets["DiaChi"].peek(5, 4).color == RED
    # The clerk corrects it (still unsaved): the next check is clean.
    book.sheets["DiaChi"].put("D5", 1985.0)
    assert click("validate", book) == "Sổ “so.xlsx” không có lỗi nào (3 địa chỉ, 2 đăng ký, 3 lượt trợ giúp)."
    assert book.sheets["DiaChi"].peek(5, 4).color is None
    assert "Loi" not in book.sheets


# -- marking and clearing --------------------------------------------------------------------------
def test_validate_marks_cells_lists_issues_and_selects_the_first_problem(tmp_path: Path) -> None:
    book = from_xlsx(broken(tmp_path))
    text = click("validate", book)
    assert text == ("Sổ “so.xlsx” có 1 lỗi, 1 cảnh báo (3 địa chỉ, 2 đăng ký, 3 lượt trợ giúp). 2 ô được tô đỏ (lỗi)"
                    " hoặc vàng (cảnh báo) kèm ghi chú; trang “Loi” liệt kê từng vấn đề, bấm vào ô để đến chỗ cần sửa."
                    " Ô cần sửa đầu tiên (D6, trang DiaChi) đang được chọn.")
    ws = book.sheets["DiaChi"]
    assert ws.peek(6, 4).color == RED and ws.peek(4, 7).color == YELLOW
    assert ws.peek(5, 3).color == (0xE2, 0xEF, 0xDA)  # not marked: untouched
    note, author = ws.peek(6, 4).note
    assert note.startswith("Hỏi lại năm sinh\n— xl-nhandao:\n• “19855” không phải năm sinh hợp lệ.")
    assert author == "Cán bộ"  # the clerk's note is extended, not replaced
    assert "12 chữ số" in ws.peek(4, 7).note[0] or ws.peek(4, 7).note[0].startswith("• ")
    # The Loi sheet comes first; each cell is a link.
    assert [s.name for s in book.sheets][:2] == ["Loi", "ThongTin"]
    loi = book.sheets["Loi"]
    assert [loi.peek(1, c).value for c in range(1, 10)] == \
        ["Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị", "Nội dung", "Cách sửa", "Mã lỗi"]
    assert [(loi.peek(r, 1).value, loi.peek(r, 5).value, loi.peek(r, 9).value) for r in (2, 3)] == \
        [("Cảnh báo", "G4", "cccd-padded"), ("Lỗi", "D6", "year-invalid")]
    assert loi.peek(3, 5).formula == '=HYPERLINK("#\'DiaChi\'!D6","D6")'
    assert loi.peek(2, 6).value == "56050001234"  # shown as text, as typed
    # The store of what marking changed is very hidden.
    assert book.sheets[MARKS_SHEET].state == 2
    # The first error is selected on its sheet.
    assert book.active_sheet is ws and book.app.selection.address == "$D$6"
    # Calls: one read per sheet, fills grouped by colour, originals read a union at a time.
    calls = book.app.calls
    assert len([c for c in calls if c[0] == "set color" and c[1] == "DiaChi"]) == 2


def test_marks_come_off_exactly_in_a_later_session(tmp_path: Path) -> None:
    path = broken(tmp_path)
    book = from_xlsx(path)
    before = snapshot(book)
    click("validate", book)
    click("validate", book)  # checked twice: marks are replaced, never stacked
    assert book.sheets["DiaChi"].peek(6, 4).note[0].count("— xl-nhandao:") == 1
    later = book.reopen()  # saved, closed, opened another day
    text = click("clear_marks", later)
    assert text == "Đã xóa đánh dấu ở 2 ô (trả lại màu nền và ghi chú ban đầu) và xóa trang “Loi”."
    assert snapshot(later) == before  # fills, notes, values and sheets as they were
    assert click("clear_marks", later) == "Sổ không có đánh dấu nào của “Kiểm tra dữ liệu” để xóa."


def test_a_mark_the_clerk_changed_since_is_left_as_the_clerk_made_it(tmp_path: Path) -> None:
    book = from_xlsx(broken(tmp_path))
    click("validate", book)
    ws = book.sheets["DiaChi"]
    ws.cell(4, 7).color = (0, 176, 80)  # the clerk colours the warned cell green
    text, author = ws.peek(6, 4).note
    ws.cell(6, 4).note = (text + "\nĐã hỏi: 1985", author)  # and adds a line to the error's note
    done = marks.clear(book)
    assert (done.restored, done.kept) == (1, 1)
    assert ws.peek(4, 7).color == (0, 176, 80)
    assert ws.peek(4, 7).note is None  # its note was the tool's alone: gone
    assert ws.peek(6, 4).color == (0xDD, 0xEB, 0xF7)
    assert ws.peek(6, 4).note == ("Hỏi lại năm sinh\nĐã hỏi: 1985", "Cán bộ")  # only the tool's lines go


def test_a_problem_in_a_merged_cell_is_marked_where_it_shows(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 2, "Thôn/Tổ dân phố", None)
    book.set("DiaChi", 2, "Số CCCD", "056050001234")  # same CCCD as row 4: row 6 is a duplicate
    book.set("DiaChi", 1, "Ngày lập hồ sơ", "31/02/2024")  # an impossible date in row 5
    path = write(book, tmp_path / "gop.xlsx")
    wb = load_workbook(path)
    wb["DiaChi"].merge_cells("N5:N6")  # the date cell covers rows 5–6
    wb.save(path)
    fake = from_xlsx(path)
    click("validate", fake)
    ws = fake.sheets["DiaChi"]
    report = nd.validate(path, today=TODAY)
    # The date typed in N5 is read for both rows of the merge: row 6's issue is on N6.
    assert [i.cell for i in report.issues if i.code == "date-invalid"] == ["N5", "N6"]
    assert ws.peek(6, 14).color is None and ws.peek(6, 14).note is None  # hidden under the merge
    assert ws.peek(5, 14).color == RED
    assert ws.peek(5, 14).note[0].count("• ") == 2  # both rows' issues, where the clerk sees the date


def test_the_command_lines_marks_and_the_ribbons_marks_are_one_format(tmp_path: Path) -> None:
    src = broken(tmp_path)
    # Annotated by the command line, opened in Excel, cleared with the button.
    out = tmp_path / "danh-dau.xlsx"
    annotate_file(src, nd.validate(src, today=TODAY).issues, out)
    book = from_xlsx(out)
    click("clear_marks", book)
    original = snapshot(from_xlsx(src))
    assert snapshot(book).fills == original.fills
    assert {k: v[0] for k, v in snapshot(book).notes.items()} == {k: v[0] for k, v in original.notes.items()}
    assert [s.name for s in book.sheets] == [s for s, _ in original.sheets]
    # Marked in Excel, saved, then cleared by the command line's copy.
    book = from_xlsx(src)
    click("validate", book)
    saved = to_xlsx(book, tmp_path / "marked-in-excel.xlsx")
    cleared = tmp_path / "cleared.xlsx"
    assert clear_file(saved, cleared) == 2
    again = from_xlsx(cleared)
    assert snapshot(again).fills == original.fills
    assert snapshot(again).notes == original.notes  # text and author


def test_a_sheet_that_refuses_formatting_is_one_sentence(tmp_path: Path) -> None:
    book = from_xlsx(broken(tmp_path))
    before = snapshot(book)
    book.sheets["DiaChi"].no_formatting = True
    text = click("validate", book)
    assert text == ("Excel không cho ghi vào trang “DiaChi” (trang đang được bảo vệ, hoặc sổ chỉ mở để đọc): hãy bỏ bảo"
                    " vệ trang (Xem lại › Bỏ bảo vệ trang) rồi bấm lại.")
    book.sheets["DiaChi"].no_formatting = False
    click("clear_marks", book)  # what was stored before the refusal takes everything off
    assert snapshot(book) == before


# -- address codes -----------------------------------------------------------------------------
def _with_new_rows(tmp_path: Path, n: int = 2, **info: object) -> Path:
    book = clean_book()
    hdrs, rows = book.tables["DiaChi"]
    for k in range(n):
        row = list(rows[2])
        row[hdrs.index("Mã địa chỉ")] = None
        row[hdrs.index("Họ và tên")] = f"Người Mới {k}"
        rows.append(row)
    assert book.info is not None
    book.info.update(info)
    return write(book, tmp_path / "ma.xlsx")


def test_codes_are_the_next_ones_and_never_given_twice(tmp_path: Path) -> None:
    book = from_xlsx(_with_new_rows(tmp_path))
    assert click("assign_codes", book) == "Đã cấp 2 mã địa chỉ mới ở trang DiaChi (22333-0004 đến 22333-0005)."
    ws = book.sheets["DiaChi"]
    assert [ws.value_at(f"B{r}") for r in range(4, 9)] == [f"22333-000{k}" for k in range(1, 6)]
    # Writes: the two codes in one call; the memory of the highest code in a very hidden sheet.
    assert [c for c in book.app.calls if c[:2] == ("set value", "DiaChi")] == [("set value", "DiaChi", "B7")]
    assert book.sheets[codes.CODES_SHEET].state == 2
    assert nd.validate(live.LiveWorkbook(book), today=TODAY).issues == []  # the coded register is clean
    assert book.active_sheet is book.sheets["ThongTin"]  # the clerk's sheet is shown again
    # The row of 22333-0005 is deleted; a new row, in a later session, gets 0006, not 0005.
    later = book.reopen()
    ws = later.sheets["DiaChi"]
    for c in range(1, 21):
        ws.cells.pop((8, c), None)
    ws.put("C8", "Người Mới Nữa")
    for col in ("D", "E", "H", "I", "J", "L", "N", "S"):
        ws.put(f"{col}8", ws.value_at(f"{col}7"))
    assert click("assign_codes", later) == "Đã cấp 1 mã địa chỉ mới ở trang DiaChi (22333-0006)."
    assert ws.value_at("B8") == "22333-0006"
    assert click("assign_codes", later) == "Mọi dòng của trang DiaChi đã có mã địa chỉ; không cấp thêm mã nào."


def test_codes_follow_each_rows_commune_and_leave_formulas_alone(tmp_path: Path) -> None:
    path = _with_new_rows(tmp_path, 3)
    book = from_xlsx(path)
    ws = book.sheets["DiaChi"]
    ws.put("I8", "22366")  # this address is in another commune
    ws.cell(9, 2).formula = '=""'  # a code cell with a formula
    text = click("assign_codes", book)
    assert text == ("Đã cấp 2 mã địa chỉ mới ở trang DiaChi (22333-0004 đến 22366-0001). 1 ô mã là công thức nên được"
                    " giữ nguyên (dòng 9).")
    assert (ws.value_at("B7"), ws.value_at("B8"), ws.peek(9, 2).formula) == ("22333-0004", "22366-0001", '=""')


def test_rows_without_a_commune_are_named(tmp_path: Path) -> None:
    path = _with_new_rows(tmp_path, 1, **{"Mã xã": None, "Xã/Phường": None})
    book = from_xlsx(path)
    book.sheets["DiaChi"].put("I7", None)
    text = click("assign_codes", book)
    assert text == "1 dòng chưa có Mã xã hợp lệ nên chưa cấp mã (dòng 7): hãy ghi Mã xã rồi bấm lại."


def test_a_workbook_without_a_register_says_so(tmp_path: Path) -> None:
    book = book_with({"Sheet1": [["Họ tên", "Năm sinh"], ["An", 1950]]}, name="khac.xlsx")
    assert click("assign_codes", book) == ("“khac.xlsx” không phải sổ theo mẫu chuẩn XLND-1 (không có trang ThongTin,"
                                           " DiaChi, DangKy, TroGiup hay SoLieu). Tạo sổ mẫu bằng: xl-nhandao new-workbook"
                                           " --unit MÃ_ĐƠN_VỊ -o so.xlsx")


# -- legacy text --------------------------------------------------------------------------------------
def _legacy_book(tmp_path: Path) -> FakeBook:
    path = write(clean_book(), tmp_path / "cu.xlsx")
    wb = load_workbook(path)
    ws = wb["DiaChi"]
    ws["C4"] = _unicode_to_tcvn3("Nguyễn Văn An")
    ws["C4"].font = Font(name=".VnTime")
    ws["C5"] = _unicode_to_vni("Trần Thị Bình")
    ws["C5"].font = Font(name="VNI-Times")
    ws["L4"] = _unicode_to_tcvn3("Già yếu, sống một mình")  # no legacy font: told by its content
    ws["H4"] = "To 5"
    ws["H4"].font = Font(name=".VnTime")  # ASCII: nothing to convert, but the font is legacy
    ws["C6"].font = Font(name="Arial")  # real Unicode: untouched
    wb.save(path)
    book = from_xlsx(path)
    book.sheets["DiaChi"].cell(6, 12).formula = '=L5&""'  # a formula is never written over
    book.sheets["DiaChi"].cell(6, 12).value = _unicode_to_tcvn3("Mồ côi")
    book.active_sheet = book.sheets["DiaChi"]
    return book


def test_legacy_text_in_the_sheet_is_converted_and_given_a_unicode_font(tmp_path: Path) -> None:
    book = _legacy_book(tmp_path)
    ws = book.sheets["DiaChi"]
    book.app.answers = ["yes"]
    text = click("convert_legacy", book)
    question = book.app.alerts[-2]
    assert question["buttons"] == "yes_no"
    assert question["prompt"] == ("Chuyển 3 ô trong trang này từ mã TCVN3, VNI sang Unicode và đặt phông Times New Roman"
                                  " cho 3 ô đang dùng phông cũ? Excel không hoàn tác (Undo) được việc này; nếu cần,"
                                  " hãy lưu một bản sao trước.")
    assert text == "Đã chuyển 3 ô sang Unicode và đặt phông Times New Roman cho 3 ô."
    assert (ws.value_at("C4"), ws.value_at("C5"), ws.value_at("L4")) == \
        ("Nguyễn Văn An", "Trần Thị Bình", "Già yếu, sống một mình")
    assert [ws.peek(r, c).font for r, c in ((4, 3), (5, 3), (4, 8), (6, 3))] == \
        ["Times New Roman", "Times New Roman", "Times New Roman", "Arial"]
    assert ws.peek(6, 12).formula == '=L5&""'
    assert ws.value_at("C6") == "Lê Văn Cường"
    # Nothing legacy is left but the formula's value, which the button leaves alone.
    left = nd.validate(live.LiveWorkbook(book), today=TODAY).issues
    assert [(i.code, i.column, i.params["count"]) for i in left] == [("legacy-text", "Hoàn cảnh", 1)]


def test_only_the_selection_is_converted_and_no_means_no(tmp_path: Path) -> None:
    book = _legacy_book(tmp_path)
    ws = book.sheets["DiaChi"]
    book.app.selection = ws.range("C4:C5")
    book.app.answers = ["no"]
    assert click("convert_legacy", book) is not None  # the question only
    assert ws.value_at("C4") == _unicode_to_tcvn3("Nguyễn Văn An")
    book.app.answers = ["yes"]
    assert click("convert_legacy", book) == "Đã chuyển 2 ô sang Unicode và đặt phông Times New Roman cho 2 ô."
    assert ws.value_at("L4") == _unicode_to_tcvn3("Già yếu, sống một mình")  # outside the selection


def test_a_locked_cell_is_skipped_and_counted(tmp_path: Path) -> None:
    book = _legacy_book(tmp_path)
    book.sheets["DiaChi"].locked = {(5, 3)}
    book.app.answers = ["yes"]
    text = click("convert_legacy", book)
    assert text == ("Đã chuyển 2 ô sang Unicode và đặt phông Times New Roman cho 2 ô. 2 ô bị khóa (trang được bảo vệ)"
                    " nên không đổi được.")
    assert book.sheets["DiaChi"].value_at("C4") == "Nguyễn Văn An"


def test_nothing_to_convert_says_so(tmp_path: Path) -> None:
    book = from_xlsx(write(clean_book(), tmp_path / "moi.xlsx"))
    assert click("convert_legacy", book) == \
        "Không thấy chữ gõ bằng mã cũ (TCVN3, VNI) trong trang này; không có gì để chuyển."


# -- the buttons that work on files --------------------------------------------------------------------
def test_consolidate_a_chosen_folder_and_open_the_result(tmp_path: Path) -> None:
    from test_consolidate import two_communes

    folder = two_communes(tmp_path)
    book = FakeBook("Book1")
    ask = FakeAsk(folder=folder)
    text = click("consolidate_folder", book, ask)
    out = tmp_path / "nop-tong-hop.xlsx"
    assert text == ("Đã tổng hợp 2 bản nộp kỳ 2024-H1 (16 dòng được tính, 0 dòng bị loại)."
                    f" Kết quả: {out}.")
    assert book.app.books.opened == [out]
    assert any(str(s).startswith("Tổng hợp thư mục: đã đọc 2/2") for s in book.app.status_history)
    # Again: a new file beside the first, never over it.
    assert click("consolidate_folder", book, FakeAsk(folder=folder)).endswith(f"{tmp_path / 'nop-tong-hop (2).xlsx'}.")
    # Cancelled: nothing happens, nothing is said.
    assert click("consolidate_folder", book, FakeAsk(folder=None)) is None


def test_overlap_of_the_active_workbook_against_chosen_lists(tmp_path: Path) -> None:
    from test_overlap import campaign_folder, poverty_list

    consolidation = tmp_path / "tong-hop.xlsx"
    nd.consolidate([campaign_folder(tmp_path)], output=consolidation, today=TODAY)
    book = from_xlsx(consolidation)
    lists = [poverty_list(tmp_path)]
    text = click("overlap", book, FakeAsk(files=[lists]))
    out = tmp_path / "tong-hop-trung-lap.xlsx"
    assert out.is_file() and book.app.books.opened == [out]
    assert text is not None and text.startswith("Tìm thấy ") and text.endswith("của tong-hop-trung-lap.xlsx.")
    # The coordinator decides a pair; the next run keeps the decision.
    wb = load_workbook(out)
    ws = wb["TrungLap"]
    col = [c.value for c in ws[1]].index("Quyết định") + 1
    ws.cell(2, col).value = "Trùng"
    wb.save(out)
    text = click("overlap", book, FakeAsk(files=[lists]))
    assert text is not None and text.endswith("; các quyết định của tong-hop-trung-lap.xlsx được giữ lại.")
    again = load_workbook(tmp_path / "tong-hop-trung-lap (2).xlsx")["TrungLap"]
    assert "Trùng" in [again.cell(r, col).value for r in range(2, again.max_row + 1)]


def test_an_unusable_list_is_told_in_the_ribbons_words(tmp_path: Path, log_dir: Path) -> None:
    """A list without a name column, or a hashed list (which needs the key file): the
    message says what the clerk can do in Excel, not which command-line option to type."""
    from test_overlap import campaign_folder
    from test_overlap_hashing import SECRET, write_list

    from xl_nhandao.overlap.hashing import hash_list

    consolidation = tmp_path / "tong-hop.xlsx"
    nd.consolidate([campaign_folder(tmp_path)], output=consolidation, today=TODAY)
    book = from_xlsx(consolidation)
    nameless = write_list(tmp_path / "ds-khong-ten.xlsx", head=["STT", "Mã hộ", "Người", "Năm sinh"],
                          rows=[[1, "H01", "Nguyễn Văn An", 1950]])
    text = click("overlap", book, FakeAsk(files=[[nameless]]))
    assert text == (f"Danh sách “{nameless}” không có cột họ tên mà chương trình nhận ra (trang đã xem: “DanhSach”)."
                    " Hãy đặt tiêu đề cho cột họ tên là “Họ và tên” (hoặc “Họ và tên chủ hộ”), lưu lại rồi bấm lại"
                    " nút “Kiểm tra trùng lặp”.")
    assert "failed RunError list-no-name-column" in log_lines(log_dir)[-1]
    hashed = tmp_path / "ds-bam.xlsx"
    hash_list(write_list(tmp_path / "ds.xlsx"), secret=SECRET, output=hashed)
    text = click("overlap", book, FakeAsk(files=[[hashed]]))
    assert text is not None and text.startswith("“ds-bam.xlsx” là danh sách đã băm: chỉ so được khi có tệp khóa")
    assert "Hãy bấm lại nút mà không chọn danh sách này" in text and "--map" not in text
    for code in ("list-no-name-column", "hashed-needs-secret"):  # the command line keeps its own
        assert "--" in RunError(code, path="ds.xlsx", sheets="“DanhSach”").message("vi")


def test_report_from_the_active_consolidation(tmp_path: Path) -> None:
    from test_consolidate import two_communes

    consolidation = tmp_path / "tong-hop.xlsx"
    nd.consolidate(two_communes(tmp_path), output=consolidation, today=TODAY)
    book = from_xlsx(consolidation)
    names = [t["name"] for t in nd.templates()]
    ask = FakeAsk(choice=names.index("bang-so-lieu-6-thang"))
    text = click("report", book, ask)
    out = tmp_path / "tong-hop-bang-so-lieu-6-thang.xlsx"
    assert text is not None and text.startswith(f"Đã lập báo cáo “Bảng số liệu kèm báo cáo sơ kết 6 tháng”: {out}.")
    assert out.is_file() and book.app.books.opened == [out]
    prompt = ask.asked[0][1]
    assert prompt == "Chọn mẫu báo cáo (gõ số rồi bấm OK):"
    # A Word draft opens with Word.
    ask = FakeAsk(choice=names.index("bao-cao-6-thang"))
    click("report", book, ask)
    assert ask.documents == [tmp_path / "tong-hop-bao-cao-6-thang.docx"]
    # The clerk's own template, picked as a file.
    own = tmp_path / "mau-rieng.xlsx"
    own.write_bytes(Path(next(t["file"] for t in nd.templates() if t["name"] == "bang-so-lieu")).read_bytes())
    ask = FakeAsk(choice=len(names), files=[[own]])
    assert click("report", book, ask).startswith("Đã lập báo cáo “mau-rieng.xlsx”")
    assert (tmp_path / "tong-hop-mau-rieng.xlsx").is_file()


def test_a_workbook_never_saved_cannot_be_reported_on(tmp_path: Path) -> None:
    book = FakeBook("Book1")
    assert click("report", book) == ("Sổ “Book1” chưa được lưu thành tệp mà nút “Lập báo cáo” làm việc trên tệp: hãy"
                                     " lưu sổ (Ctrl+S) rồi bấm lại.")


def test_unsaved_changes_are_saved_first_when_the_clerk_says_so(tmp_path: Path) -> None:
    from test_consolidate import two_communes

    consolidation = tmp_path / "tong-hop.xlsx"
    nd.consolidate(two_communes(tmp_path), output=consolidation, today=TODAY)
    book = from_xlsx(consolidation)
    book.api.Saved = False
    book.app.answers = ["yes"]
    names = [t["name"] for t in nd.templates()]
    click("report", book, FakeAsk(choice=names.index("bang-so-lieu")))
    assert book.saved_to == [str(consolidation)]
    assert book.app.alerts[0]["prompt"].startswith("Sổ “tong-hop.xlsx” có thay đổi chưa lưu.")


def test_about_names_the_version_and_the_log_folder(log_dir: Path) -> None:
    text = click("about", FakeBook("Book1"))
    assert text is not None and text.startswith(f"xl_nhandao {nd.__version__} — ")
    assert f"Nhật ký (không có dữ liệu cá nhân): {log_dir}" in text


# -- failures -------------------------------------------------------------------------------------------
def test_a_failing_handler_is_one_vietnamese_sentence_and_a_log_line_without_personal_data(
        tmp_path: Path, log_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    book = from_xlsx(broken(tmp_path))

    def boom(*args, **kwargs):
        raise ValueError("Nguyễn Văn An 056050001234 so.xlsx")

    monkeypatch.setattr(nd, "validate", boom)
    text = click("validate", book)
    assert text == (f"Không làm xong “Kiểm tra dữ liệu” vì một lỗi không lường trước; chi tiết (không có dữ liệu cá nhân)"
                    f" đã ghi vào {log_dir / 'addin.log'}, hãy gửi tệp đó cho người hỗ trợ.")
    assert book.app.alerts[-1]["mode"] == "critical" and "\n" not in text
    assert capsys.readouterr() == ("", "")  # nothing on standard output or error: no traceback anywhere
    line = log_lines(log_dir)[-1]
    assert "button=validate" in line and "failed builtins.ValueError at dispatch.py:" in line
    assert "handlers.py:" in line and "test_addin.py:" in line
    for secret in ("Nguyễn", "056050001234", "so.xlsx", str(tmp_path)):
        assert secret not in line
    assert book.app.status_bar is False  # the status bar is Excel's again


def test_a_run_error_is_its_message_and_its_code_in_the_log(tmp_path: Path, log_dir: Path) -> None:
    book = book_with({"Sheet1": [["Nguyễn Văn An", 1950]]}, name="Danh sach Nguyen Van An.xlsx")
    text = click("validate", book)
    assert text == RunError("not-standard", path="Danh sach Nguyen Van An.xlsx").message("vi")
    line = log_lines(log_dir)[-1]
    assert "failed RunError not-standard [path] at " in line
    assert "Nguyen" not in line and "Nguyễn" not in line


def test_an_unknown_button_is_one_sentence() -> None:
    assert click("nut-moi", FakeBook("Book1")) == ("Nút “nut-moi” không có trong xl_nhandao 0.1.0 đang cài; hãy cài lại bổ"
                                                    " trợ cho khớp (xl-nhandao addin install).")


def test_without_excel_the_sentence_goes_to_xlwings_error_box(tmp_path: Path, log_dir: Path) -> None:
    """RunPython shows standard error when Python fails: one line, not a traceback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLND_LOG_DIR": str(log_dir)}
    done = subprocess.run([sys.executable, "-c", "import xl_nhandao.addin.dispatch as d; d.main('about')"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith("Không làm xong “Giới thiệu”")
    assert "failed" in log_lines(log_dir)[-1] and "no-excel" in log_lines(log_dir)[-1]


# -- the dispatcher ---------------------------------------------------------------------------------
def test_every_button_has_a_handler_and_the_agreed_tags() -> None:
    from xl_nhandao.addin import handlers

    assert list(dispatch.TAGS) == ["validate", "clear_marks", "assign_codes", "convert_legacy", "consolidate_folder",
                                   "overlap", "report", "about"]
    labels = [label for label, _, _ in dispatch.TAGS.values()]
    assert labels == ["Kiểm tra dữ liệu", "Xóa đánh dấu", "Cấp mã địa chỉ", "Chuyển mã chữ cũ", "Tổng hợp thư mục",
                      "Kiểm tra trùng lặp", "Lập báo cáo", "Giới thiệu"]  # SPEC §6
    for _, handler, icon in dispatch.TAGS.values():
        assert callable(getattr(handlers, handler)) and icon.isalnum()
    grouped = [t for _, tags in dispatch.GROUPS for t in tags]
    assert sorted(grouped) == sorted(dispatch.TAGS) and len(grouped) == len(set(grouped))
    # ... as the ribbon shows them (macros/customUI.xml), each group by its label
    from xml.etree import ElementTree

    ns = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
    ribbon = ElementTree.parse(ROOT / "macros" / "customUI.xml").getroot()
    shown = tuple((g.get("label"), tuple(b.get("tag") for b in g.findall("ui:button", ns)))
                  for g in ribbon.iterfind(".//ui:tab/ui:group", ns))
    assert shown == dispatch.GROUPS


def test_the_dispatcher_imports_nothing_heavy() -> None:
    code = ("import sys, json; import xl_nhandao.addin.dispatch as d; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'pandas', 'numpy', 'openpyxl', 'xlwings', 'python_calamine', 'pydantic', 'xlsxwriter', 'rapidfuzz'})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_a_click_reaches_the_status_bar_before_anything_heavy_is_imported(tmp_path: Path) -> None:
    """The first screen update of "Kiểm tra dữ liệu" happens with no pandas, openpyxl or
    numpy loaded (the fake Book needs none)."""
    code = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from fakebook import book_with\n"
        "book = book_with({'Sheet1': [['x']]})\n"
        "seen = []\n"
        "book.app.on_status = lambda text: seen.append(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pandas', 'numpy', 'openpyxl', 'xlwings'}))\n"
        "import xl_nhandao.addin.dispatch as d\n"
        "d.main('validate', book=book)\n"
        "print(json.dumps(seen[0]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "XLND_LOG_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_template_menu_opens_no_template(tmp_path: Path) -> None:
    """"Lập báo cáo" lists the shipped templates by their titles without opening them:
    until a template is chosen, no openpyxl, python-docx, lxml or numpy is loaded."""
    source = tmp_path / "tong-hop.xlsx"
    source.write_bytes(b"x")
    code = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from fakebook import FakeBook\n"
        f"book = FakeBook('tong-hop.xlsx', fullname={str(source)!r})\n"
        "seen = []\n"
        "class Ask:\n"
        "    def choose(self, title, prompt, options):\n"
        "        seen.append(list(options))\n"
        "        seen.append(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pandas', 'numpy', 'openpyxl', 'docx', 'lxml', 'xlwings'}))\n"
        "        return None\n"
        "import xl_nhandao.addin.dispatch as d\n"
        "d.main('report', book=book, ask=Ask())\n"
        "print(json.dumps(seen))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "XLND_LOG_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    options, heavy = json.loads(done.stdout)
    assert options == [str(t["title"]) for t in nd.templates()] + ["Tệp mẫu khác (chọn tệp)…"]
    assert heavy == []


# -- small parts --------------------------------------------------------------------------------------
def test_values_as_the_file_reader_gives_them() -> None:
    from datetime import date
    from decimal import Decimal

    assert [live.cell_value(v) for v in (None, 5, 2.5, True, "x", Decimal("1500000"))] == ["", 5.0, 2.5, True, "x",
                                                                                           1500000.0]
    assert live.cell_value(datetime(2024, 3, 5)) == date(2024, 3, 5)
    assert live.cell_value(datetime(2024, 3, 5, 10, 30)) == datetime(2024, 3, 5, 10, 30)
    assert live.cell_value(datetime(1899, 12, 30, 10, 30)) == time(10, 30)


def test_addresses_as_excel_writes_them() -> None:
    assert live.parse_address("$B$4:$D$9") == (4, 2, 9, 4)
    assert live.parse_address("DiaChi!C7") == (7, 3, 7, 3)
    assert live.parse_address("$C:$A") == (1, 1, 1_048_576, 3)  # whole columns selected
    assert live.parse_address("$5:$3") == (3, 1, 5, 16_384)  # whole rows


def test_whole_columns_selected_are_their_used_part(tmp_path: Path) -> None:
    book = _legacy_book(tmp_path)
    ws = book.sheets["DiaChi"]
    book.app.selection = ws.range((1, 3), (1_048_576, 3))  # column C
    book.app.answers = ["yes"]
    assert click("convert_legacy", book) == "Đã chuyển 2 ô sang Unicode và đặt phông Times New Roman cho 2 ô."
    reads = [c for c in book.app.calls if c[0] == "get value"]
    assert reads == [("get value", "DiaChi", "C1:C6")]


def test_union_addresses_fit_excels_limit() -> None:
    refs = [f"B{r}" for r in range(4, 10)] + [f"D{r}" for r in range(4, 400, 2)]
    chunks = list(live.union_addresses(refs))
    assert chunks[0].startswith("B4:B9,D4,D6")
    assert all(len(c) <= 255 for c in chunks)
    assert sorted(r for c in chunks for r in live.cells_of(c)) == sorted(refs)


def test_the_link_formula_quotes_sheet_names() -> None:
    assert marks.hyperlink("Dia chi 'cu'", "D7") == '=HYPERLINK("#\'Dia chi \'\'cu\'\'\'!D7","D7")'
    assert marks.hyperlink('A"B', "D7") == '=HYPERLINK("#\'A""B\'!D7","D7")'


def test_the_template_menu_fits_an_input_box() -> None:
    options = [str(t["title"]) for t in nd.templates()] + ["Tệp mẫu khác (chọn tệp)…"]
    text = menu("Chọn mẫu báo cáo (gõ số rồi bấm OK):", options)
    assert len(text) <= 255 and text.count("\n") == len(options)
    assert "\n1. Bảng số liệu" in text


def test_an_output_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "a (2).xlsx").write_bytes(b"x")
    assert free_name(tmp_path / "a.xlsx") == tmp_path / "a (3).xlsx"
    assert free_name(tmp_path / "b.xlsx") == tmp_path / "b.xlsx"


def test_old_xlwings_without_add_note_uses_excels_own_call() -> None:
    book = book_with({"S": [["x"]]})
    rng = book.sheets["S"].range("A1")

    class Old:  # xlwings before add_note: no such method
        note = None
        api = rng.api

    live_note = live.set_note
    sheet = type("Sheet", (), {"range": lambda self, ref: Old()})()
    live_note(sheet, "A1", "• lỗi")
    assert book.sheets["S"].peek(1, 1).note == ("• lỗi", "Excel user")


def test_click_context_needs_a_book() -> None:
    app = FakeApp()
    ctx = Click(app, None, FakeAsk(), Screen(app), "Kiểm tra dữ liệu")
    with pytest.raises(RunError) as err:
        ctx.need_book()
    assert err.value.message() == "Chưa có sổ nào đang mở: hãy mở sổ cần làm rồi bấm lại nút “Kiểm tra dữ liệu”."


# -- the dialogs' own code (Excel's and AppleScript's answers are faked) ----------------------------
class _Dialog:
    """Excel's FileDialog as pywin32 shows it: properties, ``Show()`` (-1: OK), ``SelectedItems(i)``."""

    def __init__(self, picked: list[str]) -> None:
        self.picked = picked
        self.Filters = type("Filters", (), {"Clear": lambda s: None, "Add": lambda s, *a: self.added.append(a)})()
        self.added: list[tuple] = []

    def Show(self) -> int:
        return -1 if self.picked else 0

    @property
    def SelectedItems(self):
        picked = self.picked

        class Items:
            Count = len(picked)

            def __call__(self, i: int) -> str:
                return picked[i - 1]

        return Items()


def test_excel_dialogs_on_windows() -> None:
    from xl_nhandao.addin.ui import ExcelAsk

    dialogs: list[_Dialog] = []

    class Api:
        def FileDialog(self, kind: int) -> _Dialog:
            dialogs.append(_Dialog([r"C:\nop\22333.xlsx", r"C:\nop\22366.xlsx"] if kind == 3 else [r"C:\nop"]))
            return dialogs[-1]

    app = type("App", (), {"api": Api()})()
    ask = ExcelAsk(app)
    assert ask.folder("Chọn thư mục", Path("C:/nop")) == Path(r"C:\nop")
    assert dialogs[-1].InitialFileName.endswith("\\") and dialogs[-1].AllowMultiSelect is False
    assert ask.files("Chọn tệp", kinds=("xlsx", "csv"), multiple=True) == [Path(r"C:\nop\22333.xlsx"),
                                                                          Path(r"C:\nop\22366.xlsx")]
    assert dialogs[-1].added == [("XLSX, CSV", "*.xlsx; *.csv")] and dialogs[-1].AllowMultiSelect is True

    class Cancel(Api):
        def FileDialog(self, kind: int) -> _Dialog:
            return _Dialog([])

    assert ExcelAsk(type("App", (), {"api": Cancel()})()).folder("x") is None


def test_applescript_dialogs_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess as sp

    from xl_nhandao.addin.ui import MacAsk

    scripts: list[str] = []
    answers = iter([(0, "/Users/lan/nop/\n"), (0, "/Users/lan/a.xlsx\n/Users/lan/b.csv\n"), (0, "Bảng B\n"),
                    (1, "")])

    def fake_run(args, **kwargs):
        scripts.append(args[-1])
        code, out = next(answers)
        return sp.CompletedProcess(args, code, out, "")

    monkeypatch.setattr(sp, "run", fake_run)
    ask = MacAsk()
    assert ask.folder('Chọn "thư mục"') == Path("/Users/lan/nop")
    assert 'choose folder with prompt "Chọn \\"thư mục\\""' in scripts[-1]
    assert ask.files("Chọn", kinds=("xlsx", "csv"), multiple=True) == [Path("/Users/lan/a.xlsx"),
                                                                      Path("/Users/lan/b.csv")]
    assert '{"xlsx", "csv"}' in scripts[-1] and "multiple selections allowed" in scripts[-1]
    assert ask.choose("Lập báo cáo", "Chọn mẫu", ["Bảng A", "Bảng B"]) == 1
    assert ask.folder("x") is None  # cancelled (-128)
