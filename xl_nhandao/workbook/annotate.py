"""``validate --annotate``: a copy of the clerk's workbook with every offending cell
coloured (red = error, yellow = warning) and commented, and a ``Loi`` sheet listing every
issue with a link to its cell.

Marks are recorded in a very hidden sheet so that annotating an annotated file (or
"Xóa đánh dấu" on the ribbon) first restores each cell's own fill and comment: marks
are replaced, never stacked. The copy is written with openpyxl, which cannot keep some
features (shapes, form controls, slicers, …): :func:`lost_features` names the ones a
file has, and the caller tells the user.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path

from ..i18n import Lang
from ..issues import SEVERITY_LABELS, Issue
from . import printing
from .output import check_output, save_openpyxl

ISSUES_SHEET = "Loi"
MARKS_SHEET = "_xlnd_danh_dau"
AUTHOR = "xl-nhandao"
COMMAND = "annotate"
FILL = {"error": "FFC7CE", "warning": "FFEB9C"}

_FEATURES = [
    # (test on the zip, Vietnamese, English)
    (lambda names, data: any(n.startswith("xl/drawings/") and b"<xdr:sp" in data(n) for n in names
                             if n.endswith(".xml")),
     "hình vẽ, hộp chữ (shapes)", "shapes and text boxes"),
    (lambda names, data: any(n.startswith("xl/ctrlProps/") for n in names), "nút điều khiển (form controls)",
     "form controls"),
    (lambda names, data: any(n.startswith(("xl/slicers/", "xl/slicerCaches/", "xl/timelines/")) for n in names),
     "slicer, timeline", "slicers and timelines"),
    (lambda names, data: any(n.startswith("xl/threadedComments/") for n in names),
     "ghi chú hội thoại (threaded comments; còn lại ghi chú thường)", "threaded comments (plain notes remain)"),
    (lambda names, data: any(n.startswith("xl/worksheets/sheet") and b"x14:dataValidation" in data(n)
                             for n in names), "danh sách thả xuống tham chiếu trang khác (kiểu Excel 2010)",
     "cross-sheet dropdown lists (Excel 2010 form)"),
    (lambda names, data: any(n.startswith("xl/worksheets/sheet") and b"x14:sparklineGroup" in data(n)
                             for n in names), "biểu đồ thu nhỏ (sparklines)", "sparklines"),
    (lambda names, data: any(n.startswith("xl/worksheets/sheet") and b"<f" in data(n) for n in names),
     "kết quả đã tính của công thức (Excel tính lại khi mở bản sao)",
     "cached formula results (Excel recalculates when the copy is opened)"),
]


def lost_features(path: Path) -> list[tuple[str, str]]:
    """Features of ``path`` that an openpyxl copy will not keep, as (vi, en) names."""
    out: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            cache: dict[str, bytes] = {}

            def data(n: str) -> bytes:
                if n not in cache:
                    cache[n] = zf.read(n)
                return cache[n]

            for test, vi, en in _FEATURES:
                if test(names, data):
                    out.append((vi, en))
    except (zipfile.BadZipFile, OSError, KeyError):
        return out
    return out


def annotate_file(src: Path, issues: list[Issue], out: Path, lang: Lang = "vi", force: bool = False) -> list[str]:
    """Write the annotated copy of ``src`` to ``out`` with ``issues`` (a validation
    report's findings); return notices about features the copy cannot keep (one line
    each, in ``lang``)."""
    from openpyxl import load_workbook

    check_output(out, [src], force=force, command=COMMAND)
    lost = lost_features(src)
    wb = load_workbook(src, rich_text=True)
    clear_marks(wb)
    mark(wb, issues, lang)
    wb.calculation.fullCalcOnLoad = True
    save_openpyxl(wb, out, COMMAND)
    if not lost:
        return []
    names = ", ".join(vi if lang == "vi" else en for vi, en in lost)
    if lang == "vi":
        return [f"Lưu ý: bản đánh dấu không giữ được {names} của tệp gốc; tệp gốc không bị thay đổi."]
    return [f"Note: the annotated copy cannot keep the original's {names}; the original is unchanged."]


def clear_marks(wb) -> int:
    """Restore every cell marked by an earlier annotation; remove the ``Loi`` sheet.
    Returns the number of cells restored."""
    from openpyxl.comments import Comment
    from openpyxl.styles.fills import GradientFill, PatternFill
    from openpyxl.xml.functions import fromstring

    restored = 0
    if MARKS_SHEET in wb.sheetnames:
        ws = wb[MARKS_SHEET]
        for sheet, ref, fill_xml, comment_json in ws.iter_rows(min_row=2, values_only=True):
            if sheet not in wb.sheetnames or not ref:
                continue
            cell = wb[sheet][ref]
            if fill_xml:
                node = fromstring(fill_xml)
                cls = GradientFill if node.tag.endswith("gradientFill") else PatternFill
                cell.fill = cls.from_tree(node)
            else:
                cell.fill = PatternFill()
            if comment_json:
                c = json.loads(comment_json)
                cell.comment = Comment(c["text"], c.get("author") or "")
            else:
                cell.comment = None
            restored += 1
        del wb[MARKS_SHEET]
    if ISSUES_SHEET in wb.sheetnames:
        del wb[ISSUES_SHEET]
    return restored


def mark(wb, issues: list[Issue], lang: Lang) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.xml.functions import tostring

    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for i in issues:
        if i.sheet and i.cell and i.sheet in wb.sheetnames and i.severity in FILL:
            by_cell[(i.sheet, i.cell)].append(i)
    store = wb.create_sheet(MARKS_SHEET)
    store.append(["Trang", "Ô", "Tô nền gốc", "Ghi chú gốc"])
    for (sheet, ref), cell_issues in by_cell.items():
        cell = wb[sheet][ref]
        fill = cell.fill
        original_fill = tostring(fill.to_tree()).decode() if fill is not None and fill.fill_type else ""
        comment = cell.comment
        original_comment = (
            json.dumps({"text": comment.text, "author": comment.author}, ensure_ascii=False) if comment else ""
        )
        store.append([sheet, ref, original_fill, original_comment])
        worst = "error" if any(i.severity == "error" for i in cell_issues) else "warning"
        cell.fill = PatternFill("solid", fgColor=FILL[worst])
        lines = [f"• {i.message(lang)}" + (f" → {i.hint(lang)}" if i.hint(lang) else "") for i in cell_issues]
        text = "\n".join(lines)
        if comment:
            text = f"{comment.text}\n— {AUTHOR}:\n{text}"
        note = Comment(text, AUTHOR)
        note.width, note.height = 320, 40 + 40 * len(lines)
        cell.comment = note
    store.sheet_state = "veryHidden"
    _issues_sheet(wb, issues, lang, Font)


def _issues_sheet(wb, issues: list[Issue], lang: Lang, Font) -> None:
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(ISSUES_SHEET, 0)
    names = SEVERITY_LABELS[lang]
    if lang == "vi":
        headers = ["Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị", "Nội dung", "Cách sửa", "Mã lỗi"]
    else:
        headers = ["Severity", "Sheet", "Row", "Column", "Cell", "Value", "Message", "Hint", "Code"]
    ws.append(headers)
    bold = Font(name="Calibri", bold=True)  # the body's font (a font-less bold prints wider in LibreOffice)
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for c in ws[1]:
        c.font = bold
        c.fill = PatternFill("solid", fgColor="F2DCDB")
        c.alignment = header_align
    link_font = Font(color="0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for i in issues:
        ws.append([names[i.severity], i.sheet, i.row, i.column, i.cell, i.value, i.message(lang), i.hint(lang),
                   i.code])
        r = ws.max_row
        if i.sheet and i.cell and i.sheet in wb.sheetnames:
            cell = ws.cell(r, 5)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{_quote(i.sheet)}!{i.cell}")
            cell.font = link_font
        if i.severity in FILL:
            ws.cell(r, 1).fill = PatternFill("solid", fgColor=FILL[i.severity])
        # long text wraps (column, sheet, value, message, hint) in a row tall enough
        texts = []
        for c in range(1, 10):
            cell = ws.cell(r, c)
            if c in _WRAPPED:
                cell.alignment = wrap
                if isinstance(cell.value, str) and cell.value:
                    texts.append(printing.lines(cell.value, _ISSUE_WIDTHS[c - 1]))
            else:
                cell.alignment = top
        n = max(texts, default=1)
        if n > 1:
            ws.row_dimensions[r].height = printing.height_pt(n)
    for letter, width in zip("ABCDEFGHI", _ISSUE_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[1].height = printing.height_pt(
        max(printing.lines(h, w, bold=True) for h, w in zip(headers, _ISSUE_WIDTHS)))
    ws.freeze_panes = "A2"
    ws.auto_filter = AutoFilter(ref=f"A1:I{max(ws.max_row, 1)}")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.print_title_rows = "1:1"


#: Widths of the Loi sheet's columns (Mức độ … Mã lỗi) and the ones whose text wraps.
_ISSUE_WIDTHS = (10, 11, 7, 16, 7, 16, 50, 42, 20)
_WRAPPED = {2, 4, 6, 7, 8}


def _quote(sheet: str) -> str:
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else "'" + sheet.replace("'", "''") + "'"


def clear_file(src: Path, out: Path, force: bool = False) -> int:
    """Write a copy of ``src`` without earlier marks (the ribbon's "Xóa đánh dấu")."""
    from openpyxl import load_workbook

    check_output(out, [src], force=force, command="clear-marks")
    wb = load_workbook(src, rich_text=True)
    n = clear_marks(wb)
    save_openpyxl(wb, out, "clear-marks")
    return n
