"""The blank standard workbook (SPEC §3, §5.1), generated from :mod:`standard`.

Dropdowns refer to defined names over the hidden ``DanhMuc`` sheet (openpyxl drops
cross-sheet list validations stored in Excel's 2010 extension form, named lists
survive a round trip). Header rows are protected, panes frozen below the headers,
columns typed (day-first dates, dot thousands, CCCD as text), print set up, and every
input cell carries a Vietnamese input message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import RunError
from ..vn import adminunits
from ..vn.periods import Period, campaign_year_of, parse_period
from . import codes, indicators, printing, standard
from .output import check_output, save_openpyxl
from .standard import Field, TableSheet

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1
#: Validations and formats cover this many data rows.
LAST_DATA_ROW = 20000
RED = "C00000"
HEADER_FILL = "F2DCDB"
#: Fixed document dates keep the committed blank workbooks byte-stable.
FIXED_TIME = datetime(2025, 7, 1)
COMMAND = "new-workbook"

_LIST_NAMES = {
    "doi_tuong": "DM_DoiTuong",
    "hinh_thuc": "DM_HinhThuc",
    "loai": "DM_Loai",
    "trang_thai": "DM_TrangThai",
    "nguon": "DM_Nguon",
    "gioi_tinh": "DM_GioiTinh",
    "cap_don_vi": "DM_CapDonVi",
    "phan_loai_xa": "DM_PhanLoaiXa",
    "he_ma": "DM_HeMa",
    "dan_toc": "DM_DanToc",
    "yesno": "DM_CoKhong",
}


@dataclass(frozen=True)
class UnitSpec:
    """What the blank workbook fills in for its unit."""

    scheme: str = "2025"
    level: str | None = None
    province: adminunits.AdminUnit | None = None
    district: adminunits.AdminUnit | None = None
    commune: adminunits.AdminUnit | None = None

    @property
    def unit(self) -> adminunits.AdminUnit | None:
        return self.commune or self.district or self.province

    @property
    def title(self) -> str:
        u = self.unit
        return u.name if u else ""


def resolve_unit(code: str, scheme: str = "2025") -> UnitSpec:
    digits = "".join(ch for ch in code.strip() if ch.isdigit())
    if not digits or digits != code.strip():
        raise RunError("unit-unknown", code=code, scheme=scheme)
    if len(digits) == 3 and scheme == "2025":
        raise RunError("district-in-2025")
    level = {2: "Tỉnh", 3: "Huyện", 5: "Xã"}.get(len(digits))
    unit = adminunits.lookup(digits, scheme, level) if level else None
    if unit is None or level is None:
        raise RunError("unit-unknown", code=code, scheme=scheme)
    province = adminunits.lookup(unit.province_code, scheme, "Tỉnh")
    district = adminunits.lookup(unit.district_code, scheme, "Huyện") if unit.district_code else None
    return UnitSpec(
        scheme=scheme,
        level=level,
        province=province,
        district=district if level in ("Huyện", "Xã") else None,
        commune=unit if level == "Xã" else None,
    )


@dataclass(frozen=True)
class NewWorkbook:
    """What ``new-workbook`` made: the file, its unit (None: the generic blank workbook)
    and its period, and whether the period was chosen by default (the command says so)."""

    path: Path
    unit: UnitSpec | None
    period: Period | None
    period_defaulted: bool = False

    def as_json(self) -> dict[str, object]:
        """The ``new-workbook --json`` document (``xl_nhandao.schema.NewWorkbookDocument``)."""
        spec = self.unit
        u = spec.unit if spec is not None else None
        return {
            "output": str(self.path),
            "template_version": standard.VERSION,
            "unit": ({"code": u.code, "name": u.name, "level": spec.level, "scheme": spec.scheme}
                     if spec is not None and u is not None else None),
            "period": self.period.as_json() if self.period is not None else None,
            "period_defaulted": self.period_defaulted,
        }


def create(out: Path, unit_code: str | None = None, scheme: str = "2025", period_label: str | None = None,
           force: bool = False, today: date | None = None) -> NewWorkbook:
    """Resolve the unit and period of ``new-workbook`` and write the workbook."""
    if scheme not in ("2025", "2004"):
        raise RunError("bad-argument", detail=f"--scheme {scheme} (2025 | 2004)", command="new-workbook")
    check_output(out, force=force, command=COMMAND)
    spec = resolve_unit(unit_code, scheme) if unit_code else None
    period = None
    if period_label is not None:
        period = parse_period(period_label)
        if period is None:
            raise RunError("period-invalid", value=period_label)
    elif spec is not None:
        period = default_period(today)
    new_workbook(out, spec, period, force=force)
    return NewWorkbook(out, spec, period, period_defaulted=period_label is None and period is not None)


def new_workbook(out: Path, unit: UnitSpec | None = None, period: Period | None = None, force: bool = False) -> None:
    """Write the blank standard workbook for ``unit`` (or the generic one) to ``out``."""
    check_output(out, force=force, command=COMMAND)
    save_openpyxl(build(unit, period), out, COMMAND, FIXED_TIME)


def build(unit: UnitSpec | None = None, period: Period | None = None):  # -> openpyxl.Workbook
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "xl_nhandao"
    wb.properties.title = f"Mẫu chuẩn {standard.VERSION}"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "xl_nhandao"
    _build_code_lists(wb)
    _build_info(wb, unit, period)
    for spec in standard.TABLES:
        _build_table(wb, spec, unit)
    _build_solieu(wb)
    _build_guide(wb)
    order = ["ThongTin", *(t.name for t in standard.TABLES), "SoLieu", standard.GUIDE_SHEET, standard.CODE_SHEET]
    wb._sheets = [wb[n] for n in order]
    wb.active = 0
    return wb


# -- styles ------------------------------------------------------------------------------
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "title": Font(name="Times New Roman", size=14, bold=True, color=RED),
        "subtitle": Font(name="Times New Roman", size=11, italic=True),
        "header": Font(name="Times New Roman", size=11, bold=True),
        "body": Font(name="Times New Roman", size=12),
        "fill": PatternFill("solid", fgColor=HEADER_FILL),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "left": Alignment(vertical="center", wrap_text=True),
    }


def _title(ws, text: str, subtitle: str, width: int) -> None:
    st = _styles()
    ws.cell(TITLE_ROW, 1, text).font = st["title"]
    ws.cell(SUBTITLE_ROW, 1, subtitle).font = st["subtitle"]
    if width > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
        ws.merge_cells(start_row=SUBTITLE_ROW, start_column=1, end_row=SUBTITLE_ROW, end_column=width)
    ws.row_dimensions[TITLE_ROW].height = 24


def _protect(ws) -> None:
    """Protect the sheet (no password): headers and labels locked, input cells open;
    clerks may still format, insert and delete rows, sort and filter."""
    p = ws.protection
    p.sheet = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False
    p.insertRows = False
    p.deleteRows = False
    p.sort = False
    p.autoFilter = False


def _validation(field: Field, yesno: bool = False):
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = field.kind
    prompt = field.input_message
    dv: DataValidation
    if kind == standard.CODE or yesno or kind == standard.YESNO:
        name = _LIST_NAMES["yesno" if kind == standard.YESNO else field.codelist or ""]
        dv = DataValidation(type="list", formula1=name, allow_blank=True)
        dv.error = "Nên chọn trong danh sách. Vẫn giữ giá trị đã gõ?"
        dv.errorStyle = "warning"
        if not prompt:
            cl = field.codes
            prompt = "Chọn trong danh sách." if cl is None else f"Chọn {cl.title.lower()} trong danh sách."
    elif kind == standard.DATE:
        dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(2000,1,1)", allow_blank=True)
        dv.error = "Ghi ngày/tháng/năm, ví dụ 05/03/2024."
        dv.errorStyle = "warning"
        prompt = prompt or "Ngày/tháng/năm, ví dụ 05/03/2024."
    elif kind == standard.YEAR:
        dv = DataValidation(type="whole", operator="between", formula1="1900", formula2="2100", allow_blank=True)
        dv.error = "Năm sinh 4 chữ số, ví dụ 1956."
        dv.errorStyle = "warning"
    elif kind == standard.MONEY:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Số tiền bằng đồng, số nguyên không âm."
        dv.errorStyle = "warning"
        prompt = prompt or "Số tiền bằng đồng, ví dụ 1.500.000."
    elif kind == standard.INT:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(field.minimum or 0),
                            allow_blank=True)
        dv.error = "Ghi một số nguyên."
        dv.errorStyle = "warning"
    elif kind == standard.CCCD:
        dv = DataValidation(type="textLength", operator="equal", formula1="12", allow_blank=True)
        dv.error = "Số CCCD có đúng 12 chữ số."
        dv.errorStyle = "warning"
    else:
        dv = DataValidation(allow_blank=True)
    dv.showErrorMessage = dv.type is not None
    if dv.type is not None:
        dv.errorTitle = field.header
    if prompt:
        dv.promptTitle = field.header[:32]
        dv.prompt = prompt[:255]
        dv.showInputMessage = True
    return dv


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


# -- sheets ------------------------------------------------------------------------------
def _build_code_lists(wb) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(standard.CODE_SHEET)
    st = _styles()
    lists = [(key, codes.ALL[key]) for key in _LIST_NAMES if key != "yesno"]
    for i, (key, cl) in enumerate(lists, start=1):
        values = cl.dropdown()
        ws.cell(1, i, cl.title).font = st["header"]
        for r, v in enumerate(values, start=2):
            ws.cell(r, i, v)
        ref = f"'{standard.CODE_SHEET}'!${_col(i)}$2:${_col(i)}${len(values) + 1}"
        wb.defined_names[_LIST_NAMES[key]] = DefinedName(_LIST_NAMES[key], attr_text=ref)
        ws.column_dimensions[_col(i)].width = max(12, max(len(v) for v in values) + 2)
    i = len(lists) + 1
    ws.cell(1, i, "Có/Không").font = st["header"]
    ws.cell(2, i, "Có")
    ws.cell(3, i, "Không")
    wb.defined_names[_LIST_NAMES["yesno"]] = DefinedName(
        _LIST_NAMES["yesno"], attr_text=f"'{standard.CODE_SHEET}'!${_col(i)}$2:${_col(i)}$3"
    )
    ws.sheet_state = "hidden"
    _protect(ws)


def _info_values(unit: UnitSpec | None, period: Period | None) -> dict[str, object]:
    values: dict[str, object] = {"phien_ban": standard.VERSION, "he_ma": unit.scheme if unit else "2025"}
    if unit is not None:
        values["cap_don_vi"] = unit.level
        if unit.province:
            values["ten_tinh"] = unit.province.name
            values["ma_tinh"] = unit.province.code
        if unit.district:
            values["ten_huyen"] = unit.district.name
            values["ma_huyen"] = unit.district.code
        if unit.commune:
            values["ten_xa"] = unit.commune.name
            values["ma_xa"] = unit.commune.code
    if period is not None:
        values["ky_bao_cao"] = period.label
    return values


def _build_info(wb, unit: UnitSpec | None, period: Period | None) -> None:
    from openpyxl.styles import Protection

    spec = standard.THONG_TIN
    ws = wb.create_sheet(spec.name)
    st = _styles()
    sub = f"Mẫu chuẩn {standard.VERSION} — Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”"
    _title(ws, spec.title + (f" — {unit.title.upper()}" if unit and unit.title else ""), sub, 3)
    for c, text in enumerate(("Nội dung", "Giá trị", "Hướng dẫn"), start=1):
        cell = ws.cell(HEADER_ROW, c, text)
        cell.font, cell.fill, cell.border, cell.alignment = st["header"], st["fill"], st["border"], st["wrap"]
    values = _info_values(unit, period)
    for r, f in enumerate(spec.fields, start=FIRST_DATA_ROW):
        label = ws.cell(r, 1, f.header)
        label.font, label.border = st["header"], st["border"]
        cell = ws.cell(r, 2, values.get(f.key))
        cell.font, cell.border = st["body"], st["border"]
        cell.protection = Protection(locked=f.key == "phien_ban")
        cell.number_format = f.number_format if f.kind != standard.PERIOD else "@"
        note = ws.cell(r, 3, f.input_message or ("Bắt buộc." if f.required else ""))
        note.font, note.alignment = st["subtitle"], st["left"]
        if f.key != "phien_ban":
            dv = _validation(f)
            ws.add_data_validation(dv)
            dv.add(f"B{r}")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _protect(ws)
    printing.a4_setup(ws, landscape=False, title_rows=None)


def _build_table(wb, spec: TableSheet, unit: UnitSpec | None) -> None:
    from openpyxl.styles import Protection
    from openpyxl.worksheet.filters import AutoFilter

    ws = wb.create_sheet(spec.name)
    st = _styles()
    fields = spec.clerk_fields
    n = len(fields)
    _title(ws, spec.title + (f" — {unit.title.upper()}" if unit and unit.title else ""),
           "Mỗi dòng một bản ghi; không để dòng trống giữa bảng. Ô tiêu đề được khóa.", n)
    for c, f in enumerate(fields, start=1):
        cell = ws.cell(HEADER_ROW, c, f.header + (" *" if f.required else ""))
        cell.font, cell.fill, cell.border, cell.alignment = st["header"], st["fill"], st["border"], st["wrap"]
        letter = _col(c)
        dim = ws.column_dimensions[letter]
        dim.width = f.width
        dim.number_format = f.number_format
        dim.protection = Protection(locked=False)
        dim.font = st["body"]
        if f.kind != standard.IGNORED:
            dv = _validation(f)
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = f"D{FIRST_DATA_ROW}" if spec is standard.DIA_CHI else f"A{FIRST_DATA_ROW}"
    ws.auto_filter = AutoFilter(ref=f"A{HEADER_ROW}:{_col(n)}{HEADER_ROW}")
    _protect(ws)
    printing.a4_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _build_solieu(wb) -> None:
    from openpyxl.styles import Protection

    spec = standard.SO_LIEU
    ws = wb.create_sheet(spec.name)
    st = _styles()
    _title(ws, spec.title, "Chỉ điền khi đơn vị không giữ sổ (DiaChi, DangKy, TroGiup); có sổ thì để trống.", 3)
    for c, f in enumerate(spec.fields, start=1):
        cell = ws.cell(HEADER_ROW, c, f.header)
        cell.font, cell.fill, cell.border, cell.alignment = st["header"], st["fill"], st["border"], st["wrap"]
        ws.column_dimensions[_col(c)].width = f.width
    for r, ind in enumerate(indicators.INDICATORS, start=FIRST_DATA_ROW):
        ws.cell(r, 1, ind.code).border = st["border"]
        ws.cell(r, 2, ind.label).border = st["border"]
        v = ws.cell(r, 3)
        v.border = st["border"]
        v.protection = Protection(locked=False)
        v.number_format = "0.0" if ind.kind == "percent" else ("@" if ind.kind == "bool" else "#,##0")
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _protect(ws)
    printing.a4_setup(ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _build_guide(wb) -> None:
    """HuongDan: the steps, then the code lists; prints on one A4 page width, each step
    wrapped across both columns in a row tall enough for it."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(standard.GUIDE_SHEET)
    st = _styles()
    ws.cell(1, 1, "HƯỚNG DẪN NHẬP SỔ").font = st["title"]
    ws.row_dimensions[1].height = 24
    lines = [
        "1. Trang ThongTin: điền đơn vị, kỳ báo cáo (năm tính từ 25/11 năm trước đến 24/11), ngày lập báo cáo.",
        "2. Trang DiaChi: mỗi địa chỉ nhân đạo một dòng, mã địa chỉ không trùng (gợi ý <Mã xã>-<4 số>).",
        "3. Trang DangKy: tổ chức, cá nhân đăng ký trợ giúp một địa chỉ (Mã địa chỉ phải có ở DiaChi).",
        "4. Trang TroGiup: mỗi lần trợ giúp một dòng; giá trị bằng đồng; hiện vật ghi giá trị quy đổi.",
        "5. Nguồn “Chương trình khác”: ghi tên chương trình; giá trị này không cộng vào tổng của Cuộc vận động.",
        "6. Ngày ghi ngày trước tháng sau (05/03/2024). Số CCCD đủ 12 số. Cột có dấu * là bắt buộc.",
        "7. Kiểm tra sổ: nút “Kiểm tra dữ liệu” trên thẻ Nhân đạo, hoặc lệnh: xl-nhandao validate so.xlsx",
    ]
    widths = (12, 74)
    body = Font(name="Times New Roman", size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 3
    for line in lines:
        cell = ws.cell(r, 1, line)
        cell.font, cell.alignment = body, wrap
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        n = printing.lines(line, sum(widths), size=12)
        ws.row_dimensions[r].height = printing.height_pt(n, 12)
        r += 1
    for cl in (codes.CATEGORIES, codes.SUPPORT_FORMS):
        r += 1
        ws.cell(r, 1, f"Mã {cl.title.lower()}").font = st["header"]
        r += 1
        for e in cl.entries:
            ws.cell(r, 1, e.code).font = body
            ws.cell(r, 2, e.label).font = body
            r += 1
    ws.column_dimensions["A"].width = widths[0]
    ws.column_dimensions["B"].width = widths[1]
    _protect(ws)
    printing.a4_setup(ws, landscape=False, title_rows=None)


def default_period(today: date | None = None) -> Period:
    """The period a new unit workbook is for: the current campaign year, except between
    25/11 and the annual report's deadline (30/11), when clerks are still preparing the
    report of the year just ended."""
    today = today or date.today()
    year = campaign_year_of(today)
    if (today.month, today.day) >= (11, 25) and today <= date(today.year, 11, 30):
        year = today.year
    period = parse_period(str(year))
    assert period is not None
    return period


BLANK_WORKBOOK = Path("workbooks") / f"{standard.VERSION}-mau-trang.xlsx"
