"""The consolidation workbook (SPEC §5.3): a file that is itself a valid standard
workbook (ThongTin, DiaChi, DangKy, TroGiup with provenance columns) so it can be
consolidated again one level up, and that prints as a coordinator expects.

XlsxWriter writes the small sheets (figures, ledger, charts) and sets up every sheet;
the rows of the large uniform sheets (the merged registers, ``Loi``, ``LoaiTru``) are
streamed into the package by :mod:`.rowwriter`, several times faster.

Print layout (A4): the tables print landscape, fitted to the page width, with their
header row repeated on every page and tall enough for the whole header; long text wraps
in rows made tall enough for it; the registers print their key columns (a print area:
the columns that identify the row, the person or supporter, the place and the
category or amount); charts one per page with the value axis in millions of đồng, their
source table outside the print area. Years, codes, CCCD and row numbers never get a
thousands separator; amounts and counts do (``1.500.000``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..issues import SEVERITY_LABELS
from ..vn.values import EXCEL_EPOCH
from ..workbook import codes, printing, standard
from ..workbook.indicators import INDICATORS, Indicator
from ..workbook.output import check_output, mark_xlsxwriter, now, write_atomic
from .aggregates import (
    CHITIEU_HEADS,
    CHITIEU_NEW,
    CHITIEU_UNIT,
    CHITIEU_VALUE,
    SOURCE_AGGREGATE,
    SOURCE_DISTRICT,
    SOURCE_OVERLAP,
    SOURCE_REGISTER,
    SOURCE_TOTAL,
    TONGHOP,
    TONGHOP_FIXED,
)
from .messages import Messages
from .rowwriter import Column, Package, Table, format_indices, write_with_xlsxwriter
from .speed import no_cyclic_gc

if TYPE_CHECKING:
    from .model import UnitFigures
    from .result import Consolidation

STATUS_VI = {"accepted": "Chấp nhận", "superseded": "Bị thay thế", "rejected": "Từ chối", "missing": "Chưa nộp"}
KIND_VI = {"register": "Sổ đăng ký", "aggregate": "Số liệu gửi (không có sổ)", "consolidation": "Sổ tổng hợp"}
RED = "#C00000"
COMMAND = "consolidate"
#: The sheets in the order a reader needs them: the figures, the charts, who submitted,
#: what to check and fix, then the merged registers and the unit's own ThongTin.
SHEET_ORDER = ("TongHop", "ChiTieu", "BieuDo", "NopBaoCao", "TrungLap", "Loi", "LoaiTru",
               *(t.name for t in standard.TABLES), "ThongTin")
#: The columns a merged register prints (its print area starts at column A): the row,
#: the person or supporter, the place and the category, the amount and its source.
PRINTED_UNTIL = {"DiaChi": "doi_tuong", "DangKy": "gia_tri_cam_ket", "TroGiup": "nguon"}
#: Units per chart of the charts by unit (one chart a page).
UNITS_PER_CHART = 35


def write_consolidation(result: Consolidation, out: Path, force: bool = False) -> None:
    """Write the output workbook to ``out`` (checked first: see :func:`check_output`)."""
    check_output(out, force=force, command=COMMAND)
    when = now()
    write_atomic(out, lambda tmp: _write(result, tmp, when))


def _write(result: Consolidation, path: Path, when: datetime, row_writer: bool = True) -> None:
    """Write the workbook to ``path``; ``row_writer=False`` writes the large sheets
    with XlsxWriter too (the reference the tests compare the row writer with)."""
    import xlsxwriter

    with no_cyclic_gc():
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer if row_writer else str(path),
                                 {"strings_to_numbers": False, "strings_to_formulas": False,
                                  "strings_to_urls": False, "in_memory": True})
        wb.set_properties({"title": f"Tổng hợp {result.parent_name or ''} — kỳ {result.period.label}",
                           "author": "xl-nhandao", "created": when})
        mark_xlsxwriter(wb, COMMAND, when)
        f = _formats(wb)
        large: dict[int, Table] = {}
        messages = Messages()

        def table(t: Table, **kw: object) -> None:
            ws = _table_sheet(wb, f, t, **kw)  # type: ignore[arg-type]
            if row_writer:
                large[ws.index] = t
            else:
                write_with_xlsxwriter(ws, t, f)

        for name in SHEET_ORDER:
            if name == TONGHOP:
                _tonghop(wb, f, result)
            elif name == "ChiTieu":
                _chitieu(wb, f, result)
            elif name == "BieuDo":
                _charts(wb, f, result)
            elif name == "NopBaoCao":
                _ledger(wb, f, result)
            elif name == "TrungLap":
                _duplicates(wb, f, result)
            elif name == "Loi":
                table(_issues(result, messages))
            elif name == "LoaiTru":
                table(_excluded(result))
            elif name == "ThongTin":
                _info(wb, f, result)
            else:
                spec = next(t for t in standard.TABLES if t.name == name)
                last = next(c for c, fl in enumerate(spec.fields) if fl.key == PRINTED_UNTIL[name])
                table(_register(result, spec), printed=last, frozen=(1, 3 if spec is standard.DIA_CHI else 0))
        if row_writer:
            xf = format_indices(f)
            wb.close()
            Package(buffer.getvalue(), large, xf).write(path)
        else:
            wb.close()


def _stamp(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _formats(wb) -> dict[str, object]:
    # rows of several lines read best with every cell at the top
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
    wrap = {**base, "text_wrap": True}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "font_color": RED}),
        "subtitle": wb.add_format({**base, "italic": True}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True,
                                 "align": "center", "valign": "vcenter"}),
        "text": wb.add_format(base),
        "wrap": wb.add_format(wrap),
        "small": wb.add_format({**wrap, "font_size": 8}),
        "date": wb.add_format({**base, "num_format": "dd/mm/yyyy"}),
        "int": wb.add_format({**base, "num_format": "#,##0"}),
        # years, row numbers and other numbers that are names, not quantities
        "whole": wb.add_format({**base, "num_format": "0", "align": "center"}),
        "pct": wb.add_format({**base, "num_format": "0.0"}),
        "code": wb.add_format({**base, "num_format": "@"}),
        # a register's printed text (names, content): shown whole, in a smaller font if need be
        "shrink": wb.add_format({**base, "shrink": True}),
        "bold_int": wb.add_format({**base, "num_format": "#,##0", "bold": True, "top": 1}),
        "bold_pct": wb.add_format({**base, "num_format": "0.0", "bold": True, "top": 1}),
        "bold": wb.add_format({**base, "bold": True, "top": 1}),
        "bold_wrap": wb.add_format({**wrap, "bold": True, "top": 1}),
        "italic_int": wb.add_format({**base, "num_format": "#,##0", "italic": True, "font_color": "#7F7F7F"}),
        "italic": wb.add_format({**base, "italic": True, "font_color": "#7F7F7F"}),
        "italic_wrap": wb.add_format({**wrap, "italic": True, "font_color": "#7F7F7F"}),
        "red": wb.add_format({**base, "bg_color": "#FFC7CE", "align": "center"}),
        "yellow": wb.add_format({**base, "bg_color": "#FFEB9C", "align": "center"}),
        "green": wb.add_format({**base, "bg_color": "#C6EFCE", "align": "center"}),
        "red_wrap": wb.add_format({**wrap, "bg_color": "#FFC7CE"}),
        "yellow_wrap": wb.add_format({**wrap, "bg_color": "#FFEB9C"}),
    }


def _sheet(wb, name: str, landscape: bool = True, fit: bool = True):
    """A sheet printed on A4 with page numbers; fitted to the page width unless it has
    page breaks of its own (Excel ignores manual breaks on a fitted sheet)."""
    ws = wb.add_worksheet(name)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P / &N")
    if fit:
        ws.fit_to_pages(1, 0)
    return ws


def _header_px(headers: Sequence[str], widths: Sequence[float]) -> int:
    """Height of a header row showing every header whole, wrapped in its column."""
    n = max((printing.lines(h, w, bold=True) for h, w in zip(headers, widths)), default=1)
    return printing.height_px(n)


def _table_header(ws, f, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(c, c, w)
        ws.write_string(row, c, h, f["header"])
    ws.set_row_pixels(row, _header_px(headers, widths))
    ws.freeze_panes(row + 1, 0)
    ws.repeat_rows(row)


def _wrapped_px(cells: Sequence[tuple[str | None, float]], size: float = printing.FONT_SIZE) -> int | None:
    """Height of a row whose wrapped cells are ``(text, column width)``; None: one line."""
    n = max((printing.lines(t, w, size) for t, w in cells if t), default=1)
    return printing.height_px(n, size) if n > 1 else None


def _write_value(ws, f, r: int, c: int, v: object, kind: str | None = None) -> None:
    if v is None or v == "":
        return
    if isinstance(v, bool):
        ws.write_string(r, c, ("Đạt" if kind == "bool" else "Có") if v else ("Không đạt" if kind == "bool" else "Không"),
                        f["text"])
    elif isinstance(v, date):
        ws.write_datetime(r, c, _stamp(v), f["date"])
    elif isinstance(v, float):
        ws.write_number(r, c, v, f["pct"] if kind == "percent" else f["int"])
    elif isinstance(v, int):
        ws.write_number(r, c, v, f["whole"] if kind == "whole" else f["int"])
    elif isinstance(v, (tuple, list)):
        ws.write_string(r, c, ";".join(str(x) for x in v), f["text"])
    else:
        ws.write_string(r, c, str(v), f["text"])


def _table_sheet(wb, f, table: Table, printed: int | None = None, frozen: tuple[int, int] = (1, 0)):
    """The sheet of a large table with everything but its data rows: header, widths,
    frozen panes, autofilter, print setup (``printed``: the last printed column)."""
    ws = _sheet(wb, table.name)
    headers = [c.header for c in table.columns]
    _table_header(ws, f, 0, headers, [c.width for c in table.columns])
    ws.freeze_panes(*frozen)
    last = len(table.columns) - 1
    ws.autofilter(0, 0, max(table.count, 1), last)
    if printed is not None:
        ws.print_area(0, 0, max(table.count, 1), printed)
    return ws


# -- TongHop ---------------------------------------------------------------------------
def _panels() -> list[list[Indicator]]:
    """TongHop's indicators in the three panels it prints as, each one A4 landscape page
    wide with the unit's code and name repeated: the main indicators, the value of
    support by form, addresses by category."""
    forms = [i for i in INDICATORS if i.code.startswith("gia_tri_") and i.code[8:] in codes.SUPPORT_FORMS.codes]
    categories = [i for i in INDICATORS if i.code.startswith("doi_tuong_")]
    rest = set(map(id, forms + categories))
    return [[i for i in INDICATORS if id(i) not in rest], forms, categories]


def _indicator_widths(result: Consolidation, indicators: Sequence[Indicator]) -> list[float]:
    """Each indicator column as narrow as its figures and its header allow (the header
    wraps to at most 6 lines, words kept whole), so a panel fits the page width."""
    lines = [*result.units.values(), *result.districts.values()]
    widths = []
    for ind in indicators:
        values = [u.figures.get(ind.code) for u in lines] + [result.totals.get(ind.code), result.overlap.get(ind.code)]
        numbers = [abs(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        decimals = 1 if ind.kind == "percent" else 0
        w = max([printing.number_width(v, bold=True, decimals=decimals) for v in numbers] or [4.0])
        if ind.kind == "bool":
            w = max(w, printing.width_for(printing.text_em("Không đạt") * printing.FONT_SIZE))
        words = max(printing.text_em(word, bold=True) for word in ind.label.split()) * printing.FONT_SIZE
        w = max(w, printing.width_for(words), 5.0)
        while printing.lines(ind.label, w, bold=True) > 6:
            w += 0.5
        widths.append(w)
    return widths


def _tonghop(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, TONGHOP, fit=False)
    who = result.parent_name or "đơn vị cấp trên"
    ws.write_string(0, 0, f"TỔNG HỢP CHỈ SỐ CUỘC VẬN ĐỘNG — {who.upper()}", f["title"])
    p = result.period
    ws.write_string(1, 0, f"Kỳ {p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}). Tổng của đơn vị cấp trên tính từ các "
                          "dòng đã gộp: một người do hai đơn vị cùng đăng ký (trùng CCCD) chỉ tính một lần.",
                    f["subtitle"])
    panels = _panels()
    shown = [i for panel in panels for i in panel]
    headers = [*TONGHOP_FIXED, *(i.label for i in shown)]
    fixed_widths = [7.0, 22.0, 6.0, 11.0]
    panel_widths = [_indicator_widths(result, panel) for panel in panels]
    widths = [*fixed_widths, *(w for pw in panel_widths for w in pw)]
    _table_header(ws, f, 3, headers, widths)
    ws.freeze_panes(4, 2)
    ws.repeat_columns(0, 1)

    lines: list[tuple[str, str | None, str | None, str, dict[str, object], str]] = []
    groups: dict[str | None, list[UnitFigures]] = {}
    for u in result.units.values():
        groups.setdefault(u.district if result.districts else None, []).append(u)
    for district in sorted(groups, key=lambda d: d or ""):
        if district is not None and district in result.districts:
            d = result.districts[district]
            lines.append((d.code, d.name, d.level, SOURCE_DISTRICT, d.figures, "bold"))
        lines += [(u.code, u.name, u.level, SOURCE_REGISTER if u.source == "register" else SOURCE_AGGREGATE,
                   u.figures, "") for u in groups[district]]
    lines.append((result.parent_code or "", result.parent_name, result.parent.level if result.parent else None,
                  SOURCE_TOTAL, result.totals, "bold"))
    lines.append(("", "Trùng lặp giữa các đơn vị (đã trừ khỏi tổng)", None, SOURCE_OVERLAP, result.overlap, "italic"))
    heights = [_wrapped_px([(name, fixed_widths[1]), (source, fixed_widths[3])]) for _, name, _, source, _, _ in lines]

    # Printed as panels, each one page wide, at one scale with a page break between
    # them (Excel ignores manual breaks on a sheet fitted to a page count).
    width = printing.column_width_pt
    repeated = sum(map(width, fixed_widths[:2]))
    panel_pt = [sum(map(width, fixed_widths)) + sum(map(width, panel_widths[0]))]
    panel_pt += [repeated + sum(map(width, pw)) for pw in panel_widths[1:]]
    rows_pt = [printing.height_pt(1, 14) + 2, printing.height_pt(1), printing.height_pt(1),
               _header_px(headers, widths) * 0.75, *((h or 20) * 0.75 for h in heights)]
    ws.set_print_scale(printing.scale_for(max(panel_pt), rows_pt, repeated_rows=1, first_rows=3))
    breaks, c = [], len(TONGHOP_FIXED)
    for panel in panels[:-1]:
        c += len(panel)
        breaks.append(c)
    ws.set_v_pagebreaks(breaks)

    kinds = [i.kind for i in shown]
    for r, ((code, name, level, source, figures, style), height) in enumerate(zip(lines, heights), start=4):
        fixed_fmt = f["bold_wrap"] if style == "bold" else (f["italic_wrap"] if style == "italic" else f["wrap"])
        ws.write_string(r, 0, code or "", fixed_fmt)
        ws.write_string(r, 1, name or "", fixed_fmt)
        ws.write_string(r, 2, level or "", fixed_fmt)
        ws.write_string(r, 3, source, fixed_fmt)
        if height:
            ws.set_row_pixels(r, height)
        for c, (ind, kind) in enumerate(zip(shown, kinds), start=4):
            v = figures.get(ind.code)
            if style == "bold" and isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, f["bold_pct"] if kind == "percent" else f["bold_int"])
            elif style == "italic" and isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, f["italic_int"])
            else:
                _write_value(ws, f, r, c, v, kind)
    ws.autofilter(3, 0, max(3 + len(lines), 4), len(headers) - 1)


# -- ChiTieu ---------------------------------------------------------------------------
def _chitieu(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "ChiTieu")
    ws.write_string(0, 0, "CHỈ TIÊU VÀ MỨC ĐẠT THEO ĐƠN VỊ", f["title"])
    ws.write_string(1, 0, "Mục tiêu (Kế hoạch): mỗi xã 2 (khó khăn) hoặc 3 địa chỉ mới; > 70% địa chỉ có hồ sơ được "
                          "trợ giúp; ≥ 30% người đứng đầu đăng ký; 100% chỉ tiêu giá trị vận động.", f["subtitle"])
    headers = [CHITIEU_UNIT, "Đơn vị", CHITIEU_NEW, "Địa chỉ mới", "Đạt chỉ tiêu địa chỉ mới",
               "Tỷ lệ được trợ giúp (%)", "Đạt > 70%", CHITIEU_HEADS, "Tỷ lệ người đứng đầu (%)", "Đạt ≥ 30%",
               "Giá trị vận động (đồng)", CHITIEU_VALUE, "Hoàn thành chỉ tiêu giá trị (%)", "Đạt 100%"]
    widths = [9, 24, 10, 9, 11, 11, 9, 11, 11, 9, 16, 16, 12, 9]
    _table_header(ws, f, 3, headers, widths)
    r = 4
    lines = [(u.code, u.name, u.figures, u.targets) for u in result.units.values()]
    lines.append((result.parent_code or "", f"Tổng: {result.parent_name or ''}", result.totals, result.targets))
    for code, name, fig, targets in lines:
        ws.write_string(r, 0, code or "", f["text"])
        ws.write_string(r, 1, name or "", f["wrap"])
        height = _wrapped_px([(name, widths[1])])
        if height:
            ws.set_row_pixels(r, height)
        _write_value(ws, f, r, 2, targets.new_addresses)
        _write_value(ws, f, r, 3, fig.get("dia_chi_moi"))
        _flag(ws, f, r, 4, fig.get("dat_chi_tieu_dia_chi_moi"))
        rate = fig.get("ty_le_duoc_tro_giup")
        _write_value(ws, f, r, 5, rate, "percent")
        _flag(ws, f, r, 6, None if rate is None else rate > 70)  # type: ignore[operator]
        _write_value(ws, f, r, 7, targets.heads)
        heads = fig.get("ty_le_nguoi_dung_dau")
        _write_value(ws, f, r, 8, heads, "percent")
        _flag(ws, f, r, 9, None if heads is None else heads >= 30)  # type: ignore[operator]
        _write_value(ws, f, r, 10, fig.get("gia_tri_tro_giup"))
        _write_value(ws, f, r, 11, targets.value)
        value_rate = fig.get("ty_le_chi_tieu_gia_tri")
        _write_value(ws, f, r, 12, value_rate, "percent")
        _flag(ws, f, r, 13, None if value_rate is None else value_rate >= 100)  # type: ignore[operator]
        r += 1
    ws.autofilter(3, 0, max(r - 1, 4), len(headers) - 1)


def _flag(ws, f, r: int, c: int, ok: object) -> None:
    if ok is None:
        ws.write_string(r, c, "—", f["text"])
    else:
        ws.write_string(r, c, "Đạt" if ok else "Chưa đạt", f["green"] if ok else f["red"])


# -- NopBaoCao -------------------------------------------------------------------------
def _ledger(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "NopBaoCao")
    ws.write_string(0, 0, "SỔ THEO DÕI NỘP BÁO CÁO", f["title"])
    p = result.period
    ws.write_string(1, 0, f"Kỳ {p.label}; hạn nộp {p.deadline():%d/%m/%Y}.", f["subtitle"])
    headers = ["Mã đơn vị", "Đơn vị", "Tệp", "Trang", "SHA-256", "Ngày lập báo cáo", "Trạng thái", "Nộp muộn",
               "Dòng DiaChi", "Dòng DangKy", "Dòng TroGiup", "Lỗi", "Cảnh báo", "Loại bản nộp", "Lý do / ghi chú"]
    widths = [8, 21, 20, 9, 19, 11, 11, 7, 8, 8, 8, 6, 8, 13, 37]
    _table_header(ws, f, 3, headers, widths)
    wrap, small = f["wrap"], f["small"]
    r = 4
    for s in result.submissions:
        kind = KIND_VI.get(s.kind, s.kind) if s.status != "rejected" or s.report else ""
        notes = " ".join(([s.reason.text("vi")] if s.reason else []) + [n.text("vi") for n in s.notes])
        height = max(_wrapped_px([(s.unit_name, widths[1]), (s.file, widths[2]), (s.sheet, widths[3]),
                                  (kind, widths[13]), (notes, widths[14])]) or 0,
                     _wrapped_px([(s.sha256, widths[4])], 8) or 0)
        if height:
            ws.set_row_pixels(r, height)
        ws.write_string(r, 0, s.unit_code or "", f["code"])
        ws.write_string(r, 1, s.unit_name or "", wrap)
        ws.write_string(r, 2, s.file, wrap)
        ws.write_string(r, 3, s.sheet or "", wrap)
        ws.write_string(r, 4, s.sha256, small)
        _write_value(ws, f, r, 5, s.report_date)
        style = {"accepted": f["green"], "superseded": f["yellow"], "rejected": f["red"]}[s.status]
        ws.write_string(r, 6, STATUS_VI[s.status], style)
        ws.write_string(r, 7, "Muộn" if s.late else "", f["yellow"] if s.late else f["text"])
        rows = s.rows
        for c, t in enumerate(("DiaChi", "DangKy", "TroGiup"), start=8):
            ws.write_number(r, c, rows[t], f["int"])
        ws.write_number(r, 11, s.errors, f["int"])
        ws.write_number(r, 12, s.warnings, f["int"])
        ws.write_string(r, 13, kind, wrap)
        ws.write_string(r, 14, notes, wrap)
        r += 1
    for code in result.missing:
        from ..vn import adminunits

        unit = adminunits.lookup(code, result.scheme)
        ws.write_string(r, 0, code, f["code"])
        ws.write_string(r, 1, unit.name if unit else "", wrap)
        ws.write_string(r, 6, STATUS_VI["missing"], f["red"])
        height = _wrapped_px([(unit.name if unit else None, widths[1])])
        if height:
            ws.set_row_pixels(r, height)
        r += 1
    ws.autofilter(3, 0, max(r - 1, 4), len(headers) - 1)


# -- merged registers ------------------------------------------------------------------
def _register_columns(spec: standard.TableSheet) -> list[Column]:
    printed = True
    columns = []
    for fl in spec.fields:
        k = fl.kind
        if fl.key == "stt" or k in (standard.INT, standard.YEAR):
            columns.append(Column(fl.header, fl.width, "whole", number=True))
        elif k == standard.DATE:
            columns.append(Column(fl.header, fl.width, "date", number=True))
        elif k == standard.MONEY:
            columns.append(Column(fl.header, fl.width, "int", number=True))
        elif k in (standard.CCCD, standard.COMMUNE) or fl.key == "nguon_don_vi":
            columns.append(Column(fl.header, fl.width, "code"))
        else:
            columns.append(Column(fl.header, fl.width, "shrink" if printed and k == standard.TEXT else "text"))
        printed = printed and fl.key != PRINTED_UNTIL[spec.name]
    return columns


def _register(result: Consolidation, spec: standard.TableSheet) -> Table:
    """A merged register: the standard's columns with clean values, then provenance.
    What each column needs is decided once, so the loop over tens of thousands of rows
    does little of its own."""
    fields = list(spec.fields)
    rows = result.merged[spec.name]
    plan: list[tuple[str, str | None]] = []
    for fl in fields:
        if fl.key == "stt":
            plan.append((fl.key, "stt"))
        elif fl.provenance:
            plan.append((fl.key, fl.key))
        elif fl.kind == standard.DATE:
            plan.append((fl.key, "date"))
        elif fl.kind == standard.YESNO:
            plan.append((fl.key, "yesno"))
        elif fl.kind == standard.CODES:
            plan.append((fl.key, "codes"))
        else:
            plan.append((fl.key, None))

    def values() -> Iterator[list[object]]:
        serials: dict[object, int] = {}  # a date becomes its serial number, computed once
        for n, row in enumerate(rows, start=1):
            v = row.values
            get = v.get
            out: list[object] = []
            add = out.append
            for key, kind in plan:
                if kind is None:
                    add(get(key))
                    continue
                if kind == "stt":
                    add(n)
                    continue
                x = get(key)
                if kind == "date":
                    if x is not None:
                        s = serials.get(x)
                        if s is None:
                            s = serials[x] = (x - EXCEL_EPOCH).days  # type: ignore[operator]
                        x = s
                    add(x)
                elif kind == "yesno":
                    add("Có" if x else None)  # blank reads as Không
                elif kind == "codes":
                    add(";".join(x) if x else None)  # type: ignore[arg-type]
                elif kind == "nguon_don_vi":
                    add(row.unit)
                elif kind == "nguon_tep":
                    add(row.file)
                elif kind == "nguon_trang":
                    add(row.source_sheet)
                else:
                    add(row.row)
            yield out

    return Table(spec.name, _register_columns(spec), values(), len(rows))


# -- TrungLap, LoaiTru, Loi ------------------------------------------------------------
def _duplicates(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "TrungLap")
    headers = ["Mức", "Căn cứ", "Đơn vị A", "Mã địa chỉ A", "Họ và tên A", "Năm sinh A", "Mã xã A", "Tệp A", "Dòng A",
               "Đơn vị B", "Mã địa chỉ B", "Họ và tên B", "Năm sinh B", "Mã xã B", "Tệp B", "Dòng B", "Xử lý"]
    widths = [12, 13, 7, 12, 17, 6, 7, 16, 6, 7, 12, 17, 6, 7, 16, 6, 15]
    _table_header(ws, f, 0, headers, widths)
    wrap = f["wrap"]
    r = 1
    for pair in result.duplicates:
        match = pair.level == "match"
        level = "Trùng (tính 1 lần)" if match else "Có thể trùng"
        basis = {"cccd": "Cùng số CCCD", "decision": "Quyết định Trùng (sổ rà soát)"}.get(
            pair.basis, "Cùng họ tên, năm sinh, xã")
        action = "Đã tính một lần trong tổng" if match else "Cần cán bộ kiểm tra"
        cells = [(level, widths[0]), (basis, widths[1]), (action, widths[16])]
        ws.write_string(r, 0, level, f["red_wrap"] if match else f["yellow_wrap"])
        ws.write_string(r, 1, basis, wrap)
        for c0, row in ((2, pair.a), (9, pair.b)):
            v = row.values
            where = f"{row.file} › {row.source_sheet}"
            ws.write_string(r, c0, row.unit, f["code"])
            _write_value(ws, f, r, c0 + 1, v.get("ma_dia_chi"))
            name = v.get("ho_ten")
            if name:
                ws.write_string(r, c0 + 2, str(name), wrap)
            _write_value(ws, f, r, c0 + 3, v.get("nam_sinh"), "whole")
            _write_value(ws, f, r, c0 + 4, v.get("ma_xa"))
            ws.write_string(r, c0 + 5, where, wrap)
            ws.write_number(r, c0 + 6, row.row, f["whole"])
            cells += [(str(name) if name else None, widths[c0 + 2]), (where, widths[c0 + 5])]
        ws.write_string(r, 16, action, wrap)
        height = _wrapped_px(cells)
        if height:
            ws.set_row_pixels(r, height)
        r += 1
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


def _excluded(result: Consolidation) -> Table:
    columns = [Column("Trang chuẩn", 10), Column("Đơn vị", 8, "code"), Column("Tệp", 24, "wrap", wrap=True),
               Column("Trang", 10, "wrap", wrap=True), Column("Dòng", 6, "whole", number=True),
               Column("Lý do không tính", 70, "wrap", wrap=True)]
    texts: dict[object, str] = {}

    def reason(e) -> str:
        key = (e.reason.code, *e.reason.params.items()) if len(e.reason.params) < 3 else None
        try:
            text = texts.get(key) if key is not None else None
        except TypeError:
            key, text = None, None
        if text is None:
            text = e.reason.text("vi")
            if key is not None:
                texts[key] = text
        return text

    rows = ([e.sheet, e.unit or "", e.file, e.source_sheet, e.row, reason(e)] for e in result.excluded)
    return Table("LoaiTru", columns, rows, len(result.excluded))


def _issues(result: Consolidation, messages: Messages) -> Table:
    labels = SEVERITY_LABELS["vi"]
    severity = {labels["error"]: "red", labels["warning"]: "yellow"}
    columns = [Column("Tệp", 20, "wrap", wrap=True), Column("Đơn vị", 8, "code"),
               Column("Mức độ", 9, styles=severity), Column("Trang", 9), Column("Dòng", 6, "whole", number=True),
               Column("Cột", 14, "wrap", wrap=True), Column("Ô", 6), Column("Giá trị", 14, "wrap", wrap=True),
               Column("Nội dung", 48, "wrap", wrap=True), Column("Cách sửa", 38, "wrap", wrap=True),
               Column("Mã lỗi", 23)]

    def rows() -> Iterator[list[object]]:
        for s in result.submissions:
            if s.report is None:
                continue
            for i in s.report.issues:
                yield [s.file, s.unit_code or "", labels[i.severity], i.sheet, i.row, i.column, i.cell, i.value,
                       messages.message(i, "vi"), messages.hint(i, "vi"), i.code]

    count = sum(len(s.report.issues) for s in result.submissions if s.report is not None)
    return Table("Loi", columns, rows(), count)


# -- ThongTin --------------------------------------------------------------------------
def _info(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "ThongTin", landscape=False)
    ws.write_string(0, 0, "THÔNG TIN ĐƠN VỊ VÀ KỲ TỔNG HỢP", f["title"])
    ws.write_string(1, 0, "Sổ tổng hợp do xl-nhandao lập; có thể tổng hợp tiếp ở cấp trên.", f["subtitle"])
    parent = result.parent
    from ..vn import adminunits

    province = adminunits.lookup(parent.province_code, result.scheme, "Tỉnh") if parent else None
    values: list[tuple[str, object]] = [
        ("Phiên bản mẫu", standard.VERSION),
        ("Tỉnh/Thành phố", province.name if province else None),
        ("Mã tỉnh", province.code if province else None),
        ("Huyện", parent.name if parent and parent.level == "Huyện" else None),
        ("Mã huyện", parent.code if parent and parent.level == "Huyện" else None),
        ("Hệ mã đơn vị hành chính", result.scheme),
        ("Cấp đơn vị", parent.level if parent else None),
        ("Kỳ báo cáo", result.period.label),
        ("Từ ngày", result.period.start),
        ("Đến ngày", result.period.end),
        ("Ngày lập báo cáo", result.today),
        ("Người lập", result.preparer or "xl-nhandao (tổng hợp tự động)"),
        ("Số người đứng đầu", result.targets.heads),
        ("Chỉ tiêu địa chỉ mới", result.targets.new_addresses),
        ("Chỉ tiêu giá trị vận động (đồng)", result.targets.value),
    ]
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 40)
    ws.write_string(3, 0, "Nội dung", f["header"])
    ws.write_string(3, 1, "Giá trị", f["header"])
    for r, (label, value) in enumerate(values, start=4):
        ws.write_string(r, 0, label, f["text"])
        if isinstance(value, str) and value.isdigit():
            ws.write_string(r, 1, value, f["code"])
        elif isinstance(value, str):
            ws.write_string(r, 1, value, f["wrap"])
            height = _wrapped_px([(value, 40)])
            if height:
                ws.set_row_pixels(r, height)
        else:
            _write_value(ws, f, r, 1, value)


# -- BieuDo ----------------------------------------------------------------------------
#: A landscape A4 page of BieuDo: 30 rows of 20 px, 16 columns (1,024 px) wide; each chart
#: a little narrower than the page, so that it fits as LibreOffice sizes columns too.
PAGE_ROWS = 30
CHART_PX = (940, 560)
PRINTED_COLUMNS = 16


def _money_axis(values: Sequence[object]) -> tuple[str, str]:
    """The value axis in millions of đồng: its number format and the unit in its title."""
    top = max((v for v in values if isinstance(v, (int, float))), default=0)
    return ("#,##0,,", "triệu đồng") if top >= 10_000_000 else ("#,##0.0,,", "triệu đồng")  # type: ignore[operator]


def _charts(wb, f, result: Consolidation) -> None:
    """One chart a page (fixed page breaks, no fitting): the value of support by unit
    and the attainment of the value target against 100%, in pages of up to
    ``UNITS_PER_CHART`` units, then the addresses by category. The charts' source table
    is right of the printed columns."""
    ws = _sheet(wb, "BieuDo", fit=False)
    ws.write_string(0, 0, "BIỂU ĐỒ", f["title"])
    ws.set_column(0, PRINTED_COLUMNS - 1, 8.43)  # explicit: LibreOffice's default column is wider
    units = list(result.units.values())
    if not units:
        ws.write_string(1, 0, "Chưa có đơn vị nào được tổng hợp.", f["subtitle"])
        return
    D = PRINTED_COLUMNS + 2  # chart data columns, right of the printed ones
    ws.write_row(1, D, ["Mã đơn vị", "Đơn vị", "Giá trị trợ giúp (đồng)", "Hoàn thành chỉ tiêu giá trị (%)",
                        "Mục tiêu (%)"], f["header"])
    ws.set_column(D, D + 4, 14)
    for n, u in enumerate(units, start=2):
        ws.write_string(n, D, u.code, f["code"])
        ws.write_string(n, D + 1, u.name or u.code, f["text"])
        _write_value(ws, f, n, D + 2, u.figures.get("gia_tri_tro_giup"))
        _write_value(ws, f, n, D + 3, u.figures.get("ty_le_chi_tieu_gia_tri"), "percent")
        ws.write_number(n, D + 4, 100, f["int"])
    cat_row = 2 + len(units) + 2
    ws.write_row(cat_row, D, ["Đối tượng", "Địa chỉ có hồ sơ"], f["header"])
    for n, e in enumerate(codes.CATEGORIES.entries, start=cat_row + 1):
        ws.write_string(n, D, e.label, f["text"])
        _write_value(ws, f, n, D + 1, result.totals.get(f"doi_tuong_{e.code}"))

    axis_format, axis_unit = _money_axis([u.figures.get("gia_tri_tro_giup") for u in units])
    chunks = [units[i:i + UNITS_PER_CHART] for i in range(0, len(units), UNITS_PER_CHART)]
    pages: list[object] = []

    def part(k: int) -> str:
        return f" ({k + 1}/{len(chunks)})" if len(chunks) > 1 else ""

    for k, chunk in enumerate(chunks):
        first, last = 2 + k * UNITS_PER_CHART, 1 + k * UNITS_PER_CHART + len(chunk)
        value = wb.add_chart({"type": "bar"})
        value.add_series({"name": "Giá trị trợ giúp", "categories": ["BieuDo", first, D + 1, last, D + 1],
                          "values": ["BieuDo", first, D + 2, last, D + 2], "fill": {"color": RED}})
        value.set_title({"name": f"Giá trị trợ giúp theo đơn vị ({axis_unit}){part(k)}",
                         "name_font": {"size": 13}})
        value.set_legend({"none": True})
        value.set_y_axis({"reverse": True, "num_font": {"size": 8}, "interval_unit": 1})
        value.set_x_axis({"num_format": axis_format, "min": 0, "name": axis_unit,
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        pages.append(value)
    for k, chunk in enumerate(chunks):
        first, last = 2 + k * UNITS_PER_CHART, 1 + k * UNITS_PER_CHART + len(chunk)
        attain = wb.add_chart({"type": "column"})
        attain.add_series({"name": "Hoàn thành chỉ tiêu giá trị (%)",
                           "categories": ["BieuDo", first, D + 1, last, D + 1],
                           "values": ["BieuDo", first, D + 3, last, D + 3], "fill": {"color": "#4472C4"}})
        target = wb.add_chart({"type": "line"})
        target.add_series({"name": "Mục tiêu 100%", "categories": ["BieuDo", first, D + 1, last, D + 1],
                           "values": ["BieuDo", first, D + 4, last, D + 4],
                           "line": {"color": RED, "dash_type": "dash", "width": 2.25}, "marker": {"type": "none"}})
        attain.combine(target)
        attain.set_title({"name": f"Mức hoàn thành chỉ tiêu giá trị vận động (%) so với 100%{part(k)}",
                          "name_font": {"size": 13}})
        attain.set_x_axis({"num_font": {"rotation": -45, "size": 8}, "interval_unit": 1})
        attain.set_y_axis({"num_format": "0", "min": 0, "name": "%"})
        attain.set_legend({"position": "bottom"})
        pages.append(attain)
    cats = wb.add_chart({"type": "bar"})
    cats.add_series({"name": "Địa chỉ có hồ sơ", "categories": ["BieuDo", cat_row + 1, D, cat_row + 13, D],
                     "values": ["BieuDo", cat_row + 1, D + 1, cat_row + 13, D + 1], "fill": {"color": "#4472C4"},
                     "data_labels": {"value": True, "num_format": "#,##0"}})
    cats.set_title({"name": "Địa chỉ nhân đạo có hồ sơ theo đối tượng", "name_font": {"size": 13}})
    cats.set_legend({"none": True})
    cats.set_y_axis({"reverse": True})
    cats.set_x_axis({"num_format": "#,##0", "min": 0})
    pages.append(cats)

    breaks = []
    for k, chart in enumerate(pages):
        top = k * PAGE_ROWS
        if k:
            breaks.append(top)
        row = top + (2 if k == 0 else 1)
        chart.set_size({"width": CHART_PX[0], "height": CHART_PX[1] - (20 if k == 0 else 0)})  # type: ignore[attr-defined]
        ws.insert_chart(row, 0, chart, {"object_position": 3})
    ws.set_h_pagebreaks(breaks)
    ws.print_area(0, 0, len(pages) * PAGE_ROWS - 1, PRINTED_COLUMNS - 1)
    ws.set_print_scale(100)
