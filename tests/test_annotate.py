"""``validate --annotate``: offending cells coloured and commented, a ``Loi`` sheet with
links, the clerk's values and formatting otherwise unchanged, marks replaced (never
stacked) when an annotated file is annotated again, lost features named."""

from __future__ import annotations

import hashlib
from pathlib import Path

from books import clean_book, write
from conftest import TODAY
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xl_nhandao.validate import validate_file
from xl_nhandao.workbook.annotate import (
    ISSUES_SHEET,
    MARKS_SHEET,
    annotate_file,
    clear_file,
    lost_features,
)


def _broken(tmp: Path) -> Path:
    book = clean_book()
    book.set("DiaChi", 2, "Năm sinh", 19855)  # error at D6
    book.set("DiaChi", 0, "Số CCCD", 56050001234)  # warning at G4
    path = write(book, tmp / "so.xlsx")
    wb = load_workbook(path)
    ws = wb["DiaChi"]
    ws["D6"].fill = PatternFill("solid", fgColor="DDEBF7")  # the clerk's own colour
    ws["D6"].comment = Comment("Hỏi lại năm sinh", "Cán bộ")
    ws["C5"].fill = PatternFill("solid", fgColor="E2EFDA")
    wb.save(path)
    return path


def _values(path: Path) -> dict[str, list[list[object]]]:
    wb = load_workbook(path)
    return {n: [[c.value for c in row] for row in wb[n].iter_rows()] for n in ("ThongTin", "DiaChi", "DangKy",
                                                                               "TroGiup")}


def test_marks_comments_and_issue_sheet(tmp_path: Path) -> None:
    src = _broken(tmp_path)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    report = validate_file(src, today=TODAY)
    out = tmp_path / "danh-dau.xlsx"
    annotate_file(src, report.issues, out, "vi")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    wb = load_workbook(out)
    ws = wb["DiaChi"]
    assert ws["D6"].fill.fgColor.rgb.endswith("FFC7CE")  # red: error
    assert ws["G4"].fill.fgColor.rgb.endswith("FFEB9C")  # yellow: warning
    assert "không phải năm sinh hợp lệ" in ws["D6"].comment.text
    assert "Hỏi lại năm sinh" in ws["D6"].comment.text  # the clerk's note is kept
    assert ws["C5"].fill.fgColor.rgb.endswith("E2EFDA")  # untouched cells keep their colour
    loi = wb[ISSUES_SHEET]
    assert wb.sheetnames[0] == ISSUES_SHEET
    rows = list(loi.iter_rows(values_only=True))
    assert rows[0] == ("Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị", "Nội dung", "Cách sửa", "Mã lỗi")
    assert [(r[0], r[8], r[4]) for r in rows[1:]] == [("Cảnh báo", "cccd-padded", "G4"), ("Lỗi", "year-invalid", "D6")]
    assert loi["E3"].hyperlink.location == "DiaChi!D6"
    assert wb[MARKS_SHEET].sheet_state == "veryHidden"
    assert _values(out) == _values(src)  # the clerk's data is unchanged


def test_annotating_an_annotated_file_replaces_marks(tmp_path: Path) -> None:
    src = _broken(tmp_path)
    first = tmp_path / "lan-1.xlsx"
    annotate_file(src, validate_file(src, today=TODAY).issues, first)
    # The clerk fixes the birth year in the annotated copy, then checks again.
    wb = load_workbook(first)
    wb["DiaChi"]["D6"] = 2010
    wb.save(first)
    report = validate_file(first, today=TODAY)
    assert [i.code for i in report.issues] == ["cccd-padded"]
    second = tmp_path / "lan-2.xlsx"
    annotate_file(first, report.issues, second)
    wb = load_workbook(second)
    ws = wb["DiaChi"]
    assert ws["D6"].fill.fgColor.rgb.endswith("DDEBF7")  # the clerk's colour is back
    assert ws["D6"].comment.text == "Hỏi lại năm sinh"  # and only the clerk's note
    assert ws["G4"].fill.fgColor.rgb.endswith("FFEB9C")
    assert ws["G4"].comment.text.count("mất số 0 đầu") == 1  # not stacked
    assert wb.sheetnames.count(ISSUES_SHEET) == 1
    assert len(list(wb[ISSUES_SHEET].iter_rows())) == 2


def test_clear_marks_restores_the_clerk_formatting(tmp_path: Path) -> None:
    src = _broken(tmp_path)
    marked = tmp_path / "marked.xlsx"
    annotate_file(src, validate_file(src, today=TODAY).issues, marked)
    cleared = tmp_path / "cleared.xlsx"
    assert clear_file(marked, cleared) == 2
    wb = load_workbook(cleared)
    assert ISSUES_SHEET not in wb.sheetnames and MARKS_SHEET not in wb.sheetnames
    assert wb["DiaChi"]["D6"].fill.fgColor.rgb.endswith("DDEBF7")
    assert wb["DiaChi"]["G4"].fill.fill_type is None
    assert wb["DiaChi"]["G4"].comment is None


def test_lost_features_are_named(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "shapes.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("DiaChi")
    ws.insert_textbox("B2", "Ghi chú của cán bộ")
    ws.write_formula("A1", "=1+1", None, 2)
    wb.close()
    names = [en for _, en in lost_features(path)]
    assert names == ["shapes and text boxes", "cached formula results (Excel recalculates when the copy is opened)"]
    clean = write(clean_book(), tmp_path / "clean.xlsx")
    assert lost_features(clean) == []


def test_cli_reports_lost_features_on_stderr(tmp_path: Path, capsys) -> None:
    from xl_nhandao.cli import main

    src = _broken(tmp_path)
    assert main(["validate", str(src), "--annotate", str(tmp_path / "out.xlsx")]) == 1
    out, err = capsys.readouterr()
    assert "Đã ghi bản đánh dấu" in out
    assert err == ""
