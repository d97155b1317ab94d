"""The consolidation workbook (SPEC §5.3), written with XlsxWriter (shared strings for
a province, constant memory beyond 150,000 rows): fast, native charts, and a file that
is itself a valid standard workbook (ThongTin, DiaChi, DangKy, TroGiup with provenance columns) so
it can be consolidated again one level up.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..issues import SEVERITY_LABELS
from ..vn.values import EXCEL_EPOCH
from ..workbook import codes, standard
from ..workbook.indicators import INDICATORS
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

if TYPE_CHECKING:
    from .model import UnitFigures
    from .result import Consolidation

STATUS_VI = {"accepted": "Chấp nhận", "superseded": "Bị thay thế", "rejected": "Từ chối", "missing": "Chưa nộp"}
KIND_VI = {"register": "Sổ đăng ký", "aggregate": "Số liệu gửi (không có sổ)", "consolidation": "Sổ tổng hợp"}
RED = "#C00000"
CONSTANT_MEMORY_ROWS = 150_000


COMMAND = "consolidate"


def write_consolidation(result: Consolidation, out: Path, force: bool = False) -> None:
    """Write the output workbook to ``out`` (checked first: see :func:`check_output`)."""
    check_output(out, force=force, command=COMMAND)
    when = now()
    write_atomic(out, lambda tmp: _write(result, tmp, when))


def _write(result: Consolidation, path: Path, when: datetime) -> None:
    import xlsxwriter

    rows = sum(len(v) for v in result.merged.values())
    # Below this size, XlsxWriter's shared strings are faster than inline strings; above
    # it, constant memory keeps a national consolidation (~500,000 rows) within bounds.
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": rows > CONSTANT_MEMORY_ROWS, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": f"Tổng hợp {result.parent_name or ''} — kỳ {result.period.label}",
                       "author": "xl-nhandao", "created": when})
    mark_xlsxwriter(wb, COMMAND, when)
    f = _formats(wb)
    unit_rows = _tonghop(wb, f, result)
    _chitieu(wb, f, result)
    _ledger(wb, f, result)
    for spec in standard.TABLES:
        _register(wb, f, result, spec)
    _duplicates(wb, f, result)
    _excluded(wb, f, result)
    _issues(wb, f, result)
    _info(wb, f, result)
    _charts(wb, f, result, unit_rows)
    wb.close()


def _stamp(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _formats(wb) -> dict[str, object]:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "font_color": RED}),
        "subtitle": wb.add_format({**base, "italic": True}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True,
                                 "align": "center"}),
        "text": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        "date": wb.add_format({**base, "num_format": "dd/mm/yyyy"}),
        "int": wb.add_format({**base, "num_format": "#,##0"}),
        "pct": wb.add_format({**base, "num_format": "0.0"}),
        "code": wb.add_format({**base, "num_format": "@"}),
        "bold_int": wb.add_format({**base, "num_format": "#,##0", "bold": True, "top": 1}),
        "bold_pct": wb.add_format({**base, "num_format": "0.0", "bold": True, "top": 1}),
        "bold": wb.add_format({**base, "bold": True, "top": 1}),
        "italic_int": wb.add_format({**base, "num_format": "#,##0", "italic": True, "font_color": "#7F7F7F"}),
        "italic": wb.add_format({**base, "italic": True, "font_color": "#7F7F7F"}),
        "red": wb.add_format({**base, "bg_color": "#FFC7CE"}),
        "yellow": wb.add_format({**base, "bg_color": "#FFEB9C"}),
        "green": wb.add_format({**base, "bg_color": "#C6EFCE"}),
    }


def _sheet(wb, name: str, landscape: bool = True):
    ws = wb.add_worksheet(name)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P / &N")
    return ws


def _table_header(ws, f, row: int, headers: list[str], widths: list[float]) -> None:
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(c, c, w)
        ws.write_string(row, c, h, f["header"])
    ws.set_row(row, 45)
    ws.freeze_panes(row + 1, 0)
    ws.repeat_rows(row)


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
        ws.write_number(r, c, v, f["int"])
    elif isinstance(v, (tuple, list)):
        ws.write_string(r, c, ";".join(str(x) for x in v), f["text"])
    else:
        ws.write_string(r, c, str(v), f["text"])


# -- TongHop ---------------------------------------------------------------------------
def _tonghop(wb, f, result: Consolidation) -> list[tuple[int, UnitFigures]]:
    ws = _sheet(wb, TONGHOP)
    who = result.parent_name or "đơn vị cấp trên"
    ws.write_string(0, 0, f"TỔNG HỢP CHỈ SỐ CUỘC VẬN ĐỘNG — {who.upper()}", f["title"])
    p = result.period
    ws.write_string(1, 0, f"Kỳ {p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}). Tổng của đơn vị cấp trên tính từ các "
                          "dòng đã gộp: một người do hai đơn vị cùng đăng ký (trùng CCCD) chỉ tính một lần.",
                    f["subtitle"])
    headers = [*TONGHOP_FIXED, *(i.label for i in INDICATORS)]
    widths = [10, 26, 8, 14, *([13] * len(INDICATORS))]
    _table_header(ws, f, 3, headers, widths)
    ws.freeze_panes(4, 2)
    ws.repeat_columns(0, 1)
    kinds = [i.kind for i in INDICATORS]
    r = 4
    rows: list[tuple[int, UnitFigures]] = []

    def line(code: str, name: str | None, level: str | None, source: str, figures: dict[str, object],
             style: str = "") -> None:
        nonlocal r
        fixed_fmt = f["bold"] if style == "bold" else (f["italic"] if style == "italic" else f["text"])
        ws.write_string(r, 0, code or "", fixed_fmt)
        ws.write_string(r, 1, name or "", fixed_fmt)
        ws.write_string(r, 2, level or "", fixed_fmt)
        ws.write_string(r, 3, source, fixed_fmt)
        for c, (ind, kind) in enumerate(zip(INDICATORS, kinds), start=4):
            v = figures.get(ind.code)
            if style == "bold" and isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, f["bold_pct"] if kind == "percent" else f["bold_int"])
            elif style == "italic" and isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v, f["italic_int"])
            else:
                _write_value(ws, f, r, c, v, kind)
        r += 1

    groups: dict[str | None, list[UnitFigures]] = {}
    for u in result.units.values():
        key = u.district if result.districts else None
        groups.setdefault(key, []).append(u)
    for district in sorted(groups, key=lambda d: d or ""):
        if district is not None and district in result.districts:
            d = result.districts[district]
            line(d.code, d.name, d.level, SOURCE_DISTRICT, d.figures, "bold")
        for u in groups[district]:
            rows.append((r, u))
            line(u.code, u.name, u.level, SOURCE_REGISTER if u.source == "register" else SOURCE_AGGREGATE,
                 u.figures)
    line(result.parent_code or "", result.parent_name, result.parent.level if result.parent else None,
         SOURCE_TOTAL, result.totals, "bold")
    line("", "Trùng lặp giữa các đơn vị (đã trừ khỏi tổng)", None, SOURCE_OVERLAP, result.overlap, "italic")
    ws.autofilter(3, 0, max(r - 1, 4), len(headers) - 1)
    return rows


# -- ChiTieu ---------------------------------------------------------------------------
def _chitieu(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "ChiTieu")
    ws.write_string(0, 0, "CHỈ TIÊU VÀ MỨC ĐẠT THEO ĐƠN VỊ", f["title"])
    ws.write_string(1, 0, "Mục tiêu (Kế hoạch): mỗi xã 2 (khó khăn) hoặc 3 địa chỉ mới; > 70% địa chỉ có hồ sơ được "
                          "trợ giúp; ≥ 30% người đứng đầu đăng ký; 100% chỉ tiêu giá trị vận động.", f["subtitle"])
    headers = [CHITIEU_UNIT, "Đơn vị", CHITIEU_NEW, "Địa chỉ mới", "Đạt chỉ tiêu địa chỉ mới",
               "Tỷ lệ được trợ giúp (%)", "Đạt > 70%", CHITIEU_HEADS, "Tỷ lệ người đứng đầu (%)", "Đạt ≥ 30%",
               "Giá trị vận động (đồng)", CHITIEU_VALUE, "Hoàn thành chỉ tiêu giá trị (%)", "Đạt 100%"]
    _table_header(ws, f, 3, headers, [10, 26, 11, 10, 12, 12, 9, 11, 12, 9, 16, 16, 13, 9])
    r = 4
    lines = [(u.code, u.name, u.figures, u.targets) for u in result.units.values()]
    lines.append((result.parent_code or "", f"Tổng: {result.parent_name or ''}", result.totals, result.targets))
    for code, name, fig, targets in lines:
        ws.write_string(r, 0, code or "", f["text"])
        ws.write_string(r, 1, name or "", f["text"])
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
    _table_header(ws, f, 3, headers, [10, 24, 30, 10, 20, 12, 12, 9, 9, 9, 9, 7, 9, 22, 60])
    r = 4
    for s in result.submissions:
        ws.write_string(r, 0, s.unit_code or "", f["text"])
        ws.write_string(r, 1, s.unit_name or "", f["text"])
        ws.write_string(r, 2, s.file, f["text"])
        ws.write_string(r, 3, s.sheet or "", f["text"])
        ws.write_string(r, 4, s.sha256, f["text"])
        _write_value(ws, f, r, 5, s.report_date)
        style = {"accepted": f["green"], "superseded": f["yellow"], "rejected": f["red"]}[s.status]
        ws.write_string(r, 6, STATUS_VI[s.status], style)
        ws.write_string(r, 7, "Muộn" if s.late else "", f["yellow"] if s.late else f["text"])
        rows = s.rows
        for c, t in enumerate(("DiaChi", "DangKy", "TroGiup"), start=8):
            ws.write_number(r, c, rows[t], f["int"])
        ws.write_number(r, 11, s.errors, f["int"])
        ws.write_number(r, 12, s.warnings, f["int"])
        ws.write_string(r, 13, KIND_VI.get(s.kind, s.kind) if s.status != "rejected" or s.report else "", f["text"])
        notes = ([s.reason.text("vi")] if s.reason else []) + [n.text("vi") for n in s.notes]
        ws.write_string(r, 14, " ".join(notes), f["wrap"])
        r += 1
    for code in result.missing:
        from ..vn import adminunits

        unit = adminunits.lookup(code, result.scheme)
        ws.write_string(r, 0, code, f["text"])
        ws.write_string(r, 1, unit.name if unit else "", f["text"])
        ws.write_string(r, 6, STATUS_VI["missing"], f["red"])
        r += 1
    ws.autofilter(3, 0, max(r - 1, 4), len(headers) - 1)


# -- merged registers ------------------------------------------------------------------
def _register(wb, f, result: Consolidation, spec: standard.TableSheet) -> None:
    """A merged register: the standard's columns with clean values, then provenance.
    One writer per column is chosen once, so the loop over tens of thousands of rows
    does no type dispatch of its own."""
    ws = _sheet(wb, spec.name)
    fields = list(spec.fields)
    for c, fl in enumerate(fields):
        ws.set_column(c, c, fl.width)
        ws.write_string(0, c, fl.header, f["header"])
    ws.set_row(0, 45)
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    write_string, write_number = ws.write_string, ws.write_number
    serials: dict[object, int] = {}  # a date is written as its serial number, once computed
    text, code, integer, day = f["text"], f["code"], f["int"], f["date"]
    plan = []
    for c, fl in enumerate(fields):
        if c == 0 or fl.provenance:
            continue
        k = fl.kind
        if k == standard.DATE:
            plan.append((c, fl.key, write_number, day, "date"))
        elif k in (standard.MONEY, standard.INT, standard.YEAR):
            plan.append((c, fl.key, write_number, integer, None))
        elif k in (standard.CCCD, standard.COMMUNE):
            plan.append((c, fl.key, write_string, code, None))
        elif k == standard.YESNO:
            plan.append((c, fl.key, write_string, text, "yesno"))
        elif k == standard.CODES:
            plan.append((c, fl.key, write_string, text, "codes"))
        else:
            plan.append((c, fl.key, write_string, text, None))
    where = {fl.key: c for c, fl in enumerate(fields) if fl.provenance}
    c_unit, c_file, c_sheet, c_row = (where["nguon_don_vi"], where["nguon_tep"], where["nguon_trang"],
                                      where["nguon_dong"])
    r = 0
    for r, row in enumerate(result.merged[spec.name], start=1):
        v = row.values
        write_number(r, 0, r, integer)
        for c, key, write, fmt, special in plan:
            value = v.get(key)
            if value is None or value == "":
                continue
            if special == "date":
                serial = serials.get(value)
                if serial is None:
                    serial = serials[value] = (value - EXCEL_EPOCH).days  # type: ignore[operator]
                write(r, c, serial, fmt)
            elif special == "yesno":
                if value:
                    write(r, c, "Có", fmt)  # blank reads as Không
            elif special == "codes":
                write(r, c, ";".join(value), fmt)  # type: ignore[arg-type]
            elif write is write_string:
                write(r, c, str(value), fmt)
            else:
                write(r, c, value, fmt)
        write_string(r, c_unit, row.unit, code)
        write_string(r, c_file, row.file, text)
        write_string(r, c_sheet, row.source_sheet, text)
        write_number(r, c_row, row.row, text)
    ws.autofilter(0, 0, max(r, 1), len(fields) - 1)


# -- TrungLap, LoaiTru, Loi ------------------------------------------------------------
def _duplicates(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "TrungLap")
    headers = ["Mức", "Căn cứ", "Đơn vị A", "Mã địa chỉ A", "Họ và tên A", "Năm sinh A", "Mã xã A", "Tệp A", "Dòng A",
               "Đơn vị B", "Mã địa chỉ B", "Họ và tên B", "Năm sinh B", "Mã xã B", "Tệp B", "Dòng B", "Xử lý"]
    _table_header(ws, f, 0, headers, [16, 22, 9, 13, 22, 8, 8, 24, 7, 9, 13, 22, 8, 8, 24, 7, 40])
    r = 1
    for pair in result.duplicates:
        match = pair.level == "match"
        ws.write_string(r, 0, "Trùng (tính 1 lần)" if match else "Có thể trùng", f["red"] if match else f["yellow"])
        ws.write_string(r, 1, "Cùng số CCCD" if pair.basis == "cccd" else "Cùng họ tên, năm sinh, xã", f["text"])
        for c0, row in ((2, pair.a), (9, pair.b)):
            v = row.values
            ws.write_string(r, c0, row.unit, f["code"])
            _write_value(ws, f, r, c0 + 1, v.get("ma_dia_chi"))
            _write_value(ws, f, r, c0 + 2, v.get("ho_ten"))
            _write_value(ws, f, r, c0 + 3, v.get("nam_sinh"))
            _write_value(ws, f, r, c0 + 4, v.get("ma_xa"))
            ws.write_string(r, c0 + 5, f"{row.file} › {row.source_sheet}", f["text"])
            ws.write_number(r, c0 + 6, row.row, f["text"])
        ws.write_string(r, 16, "Đã tính một lần trong tổng" if match else "Cần cán bộ kiểm tra", f["text"])
        r += 1
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


def _excluded(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "LoaiTru")
    headers = ["Trang chuẩn", "Đơn vị", "Tệp", "Trang", "Dòng", "Lý do không tính"]
    _table_header(ws, f, 0, headers, [10, 9, 30, 10, 7, 80])
    r = 1
    for e in result.excluded:
        ws.write_string(r, 0, e.sheet, f["text"])
        ws.write_string(r, 1, e.unit or "", f["code"])
        ws.write_string(r, 2, e.file, f["text"])
        ws.write_string(r, 3, e.source_sheet, f["text"])
        ws.write_number(r, 4, e.row, f["text"])
        ws.write_string(r, 5, e.reason.text("vi"), f["text"])
        r += 1
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


def _issues(wb, f, result: Consolidation) -> None:
    ws = _sheet(wb, "Loi")
    headers = ["Tệp", "Đơn vị", "Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị", "Nội dung", "Cách sửa", "Mã lỗi"]
    _table_header(ws, f, 0, headers, [26, 9, 9, 10, 6, 16, 6, 16, 55, 45, 22])
    r = 1
    style = {"error": f["red"], "warning": f["yellow"], "info": f["text"]}
    for s in result.submissions:
        if s.report is None:
            continue
        for i in s.report.issues:
            ws.write_string(r, 0, s.file, f["text"])
            ws.write_string(r, 1, s.unit_code or "", f["code"])
            ws.write_string(r, 2, SEVERITY_LABELS["vi"][i.severity], style[i.severity])
            _write_value(ws, f, r, 3, i.sheet)
            _write_value(ws, f, r, 4, i.row)
            _write_value(ws, f, r, 5, i.column)
            _write_value(ws, f, r, 6, i.cell)
            if i.value is not None:
                ws.write_string(r, 7, i.value, f["text"])
            ws.write_string(r, 8, i.message("vi"), f["text"])
            ws.write_string(r, 9, i.hint("vi"), f["text"])
            ws.write_string(r, 10, i.code, f["text"])
            r += 1
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) - 1)


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
    ws.set_column(1, 1, 30)
    ws.write_string(3, 0, "Nội dung", f["header"])
    ws.write_string(3, 1, "Giá trị", f["header"])
    for r, (label, value) in enumerate(values, start=4):
        ws.write_string(r, 0, label, f["text"])
        if isinstance(value, str) and value.isdigit():
            ws.write_string(r, 1, value, f["code"])
        else:
            _write_value(ws, f, r, 1, value)


# -- BieuDo ----------------------------------------------------------------------------
def _charts(wb, f, result: Consolidation, unit_rows: list[tuple[int, UnitFigures]]) -> None:
    ws = _sheet(wb, "BieuDo")
    ws.write_string(0, 0, "BIỂU ĐỒ", f["title"])
    if not unit_rows:
        ws.write_string(1, 0, "Chưa có đơn vị nào được tổng hợp.", f["subtitle"])
        return
    D = 20  # chart data columns, right of the charts
    # Chart data lives here (units in order, attainment against 100%) so charts stay
    # right even when TongHop interleaves district subtotals.
    ws.write_row(1, D, ["Mã đơn vị", "Đơn vị", "Giá trị trợ giúp (đồng)", "Hoàn thành chỉ tiêu giá trị (%)",
                        "Mục tiêu (%)"], f["header"])
    ws.set_column(D, D + 4, 14)
    for n, (_, u) in enumerate(unit_rows, start=2):
        ws.write_string(n, D, u.code, f["text"])
        ws.write_string(n, D + 1, u.name or u.code, f["text"])
        _write_value(ws, f, n, D + 2, u.figures.get("gia_tri_tro_giup"))
        _write_value(ws, f, n, D + 3, u.figures.get("ty_le_chi_tieu_gia_tri"), "percent")
        ws.write_number(n, D + 4, 100, f["int"])
    end = len(unit_rows) + 1
    height = max(300, min(20 * len(unit_rows) + 120, 1600))
    value = wb.add_chart({"type": "bar"})
    value.add_series({"name": "Giá trị trợ giúp (đồng)", "categories": ["BieuDo", 2, D + 1, end, D + 1],
                      "values": ["BieuDo", 2, D + 2, end, D + 2], "fill": {"color": RED}})
    value.set_title({"name": "Giá trị trợ giúp theo đơn vị (đồng)"})
    value.set_legend({"none": True})
    value.set_y_axis({"reverse": True})
    value.set_x_axis({"num_format": "#,##0"})
    value.set_size({"width": 720, "height": height})
    ws.insert_chart(2, 0, value)
    attain = wb.add_chart({"type": "column"})
    attain.add_series({"name": "Hoàn thành chỉ tiêu giá trị (%)", "categories": ["BieuDo", 2, D + 1, end, D + 1],
                       "values": ["BieuDo", 2, D + 3, end, D + 3], "fill": {"color": "#4472C4"}})
    target = wb.add_chart({"type": "line"})
    target.add_series({"name": "Mục tiêu 100%", "categories": ["BieuDo", 2, D + 1, end, D + 1],
                       "values": ["BieuDo", 2, D + 4, end, D + 4], "line": {"color": RED, "dash_type": "dash",
                                                                              "width": 2.25}})
    attain.combine(target)
    attain.set_title({"name": "Mức hoàn thành chỉ tiêu giá trị vận động (%) so với 100%"})
    attain.set_x_axis({"num_font": {"rotation": -45}})
    attain.set_y_axis({"num_format": "0", "min": 0})
    attain.set_legend({"position": "bottom"})
    attain.set_size({"width": max(720, 24 * len(unit_rows) + 120), "height": 420})
    ws.insert_chart(2 + height // 20 + 2, 0, attain)
    cats = wb.add_chart({"type": "pie"})
    row = 2 + len(unit_rows) + 2
    ws.write_row(row, D, ["Đối tượng", "Địa chỉ có hồ sơ"], f["header"])
    for n, e in enumerate(codes.CATEGORIES.entries, start=row + 1):
        ws.write_string(n, D, e.label, f["text"])
        _write_value(ws, f, n, D + 1, result.totals.get(f"doi_tuong_{e.code}"))
    cats.add_series({"name": "Địa chỉ theo đối tượng", "categories": ["BieuDo", row + 1, D, row + 13, D],
                     "values": ["BieuDo", row + 1, D + 1, row + 13, D + 1], "data_labels": {"percentage": True}})
    cats.set_title({"name": "Địa chỉ nhân đạo có hồ sơ theo đối tượng"})
    cats.set_size({"width": 720, "height": 420})
    ws.insert_chart(2 + height // 20 + 2 + 24, 0, cats)
