"""Build the official report templates in ``templates/`` with openpyxl, deterministically,
so they can be regenerated and reviewed (the ``.xlsx`` files are committed). Run from the
repository root:

    python scripts/build_templates.py          # write templates/*.xlsx
    python scripts/build_templates.py --check  # exit 1 if a committed template is stale

Each template is an ordinary workbook a coordinator can open, restyle and save: an A4
official document (Decree 30/2020/NĐ-CP: Times New Roman; the organisation on the left
and the national name and motto on the right; number line; place-and-date line; title;
"Nơi nhận"; signature block) whose cells hold the placeholders of the template language
(SPEC §5.5, ``templates/README.md``). Printing: A4, fit to the page width, the table
header repeated on every page, page numbers at the top from page 2 on.

Numbers are typed with ``[$-42A]#,##0`` (counts, đồng) and ``[$-42A]0.0`` (rates): Excel
shows the separators of the computer's regional settings (Vietnamese: ``1.500.000``,
``36,6``) and ignores the locale tag for numbers; LibreOffice takes the separators from
the tag, so it shows ``1.500.000`` whatever its own language is (plain ``#,##0`` shows
``1,500,000`` there under an English locale). See ``templates/README.md``.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402
from openpyxl.writer.excel import ExcelWriter  # noqa: E402

from xl_nhandao.report.fill import parse  # noqa: E402
from xl_nhandao.workbook import codes  # noqa: E402
from xl_nhandao.workbook.indicators import BY_CODE  # noqa: E402
from xl_nhandao.workbook.printing import column_width_pt, height_pt, lines  # noqa: E402
from xl_nhandao.workbook.xlsxcompare import workbook_parts_differ  # noqa: E402

TEMPLATES = ROOT / "templates"
#: Fixed document dates keep the committed templates stable.
FIXED_TIME = datetime(2026, 1, 5)
FONT = "Times New Roman"

#: Number formats. The ``[$-42A]`` tag (Vietnamese) makes LibreOffice group with ``.`` and
#: use ``,`` for decimals whatever its own locale; Excel keeps the regional settings.
COUNT = "[$-42A]#,##0"
MONEY = COUNT
RATE = "[$-42A]0.0"
DATE = "dd/mm/yyyy"
YEAR = "0"
GENERAL = "General"
#: A column showing 99.999.999.999 (đồng) at 12 pt.
WIDE_MONEY = 15.5

#: A4 printable width (points) at the margins below.
PORTRAIT = {"left": 30, "right": 15, "top": 20, "bottom": 20}  # mm, Decree 30/2020
LANDSCAPE = {"left": 20, "right": 15, "top": 20, "bottom": 15}
#: The heading blocks need this much room (points) on the left and on the right: the
#: superior body and the national name are each about 248 pt wide at 12 pt (Times New
#: Roman). A portrait sheet is therefore about 515 pt wide and prints at about 90 %.
LEFT_BLOCK_PT = 245
RIGHT_BLOCK_PT = 255
#: The closing blocks: "Nơi nhận" lines (11 pt), the signature (13 pt, bold), the preparer.
RECIPIENTS_PT = 210
SIGNATURE_PT = 200
PREPARER_PT = 130

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
#: The short line under the issuing body (1/3 to 1/2 of its length, Decree 30): non-breaking
#: spaces underlined, so it stays centred under the name however the block is moved.
SHORT_LINE = "\u00a0" * 26

CAMPAIGN = "“MỖI TỔ CHỨC, MỖI CÁ NHÂN GẮN VỚI MỘT ĐỊA CHỈ NHÂN ĐẠO”"
CAMPAIGN_LOWER = "“Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”"
PERIOD_LINE = "(Từ ngày {{ ky.tu_ngay | ngay }} đến ngày {{ ky.den_ngay | ngay }})"


def font(size: float = 12, bold: bool = False, italic: bool = False, underline: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, underline=underline)


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
CENTER_ONE = Alignment(horizontal="center", vertical="center")
CENTER_SHRINK = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_ONE = Alignment(horizontal="left", vertical="center")
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
JUSTIFY = Alignment(horizontal="justify", vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    cell: object = None  # the repeated row's placeholder, a formula, or a value
    number_format: str = GENERAL
    align: Alignment = CENTER_ONE  # the repeated row: only text columns wrap


@dataclass
class Recipients:
    """The "Nơi nhận" list, bottom left."""

    lines: Sequence[str] = (
        "- Ban Thường vụ Hội cấp trên (để b/c);",
        "- Ban Chỉ đạo Cuộc vận động cùng cấp (để b/c);",
        "- Lưu: VT, CTXH.",
    )


@dataclass
class Sheet:
    """One printed sheet being laid out row by row."""

    ws: Worksheet
    widths: list[float]
    landscape: bool
    row: int = 1
    title_rows: tuple[int, int] | None = None
    left: tuple[int, int] = (1, 1)
    right: tuple[int, int] = (1, 1)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i, w in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.left = (1, self._span_from_left(LEFT_BLOCK_PT))
        self.right = (self._span_from_right(RIGHT_BLOCK_PT), len(self.widths))
        if self.left[1] >= self.right[0]:
            raise SystemExit(f"{self.ws.title}: too narrow for the heading blocks")

    # -- geometry ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.widths)

    def width_pt(self, c1: int, c2: int) -> float:
        return sum(column_width_pt(w) for w in self.widths[c1 - 1:c2])

    def _span_from_left(self, need: float) -> int:
        total = 0.0
        for i, w in enumerate(self.widths, start=1):
            total += column_width_pt(w)
            if total >= need:
                return i
        return self.n

    def _span_from_right(self, need: float) -> int:
        total = 0.0
        for i in range(self.n, 0, -1):
            total += column_width_pt(self.widths[i - 1])
            if total >= need:
                return i
        return 1

    # -- cells ------------------------------------------------------------------------
    def put(self, row: int, c1: int, c2: int, value: object, fnt: Font, align: Alignment = CENTER,
            number_format: str = GENERAL, border: Border | None = None) -> None:
        cell = self.ws.cell(row, c1, value)
        cell.font = fnt
        cell.alignment = align
        cell.number_format = number_format
        if border is not None:
            for c in range(c1, c2 + 1):
                self.ws.cell(row, c).border = border
        if c2 > c1:
            self.ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)

    def height(self, row: int, points: float) -> None:
        self.ws.row_dimensions[row].height = round(points, 2)

    def text_height(self, text: str, c1: int, c2: int, size: float, bold: bool = False) -> float:
        """Points that show ``text``, its placeholders filled with long values, wrapped
        across columns c1..c2 (merged: a merged row is not sized by Excel)."""
        width_chars = sum(self.widths[c1 - 1:c2]) + 0.7 * (c2 - c1)
        return height_pt(lines(sample(text), width_chars, size, bold), size)

    def full(self, value: str, fnt: Font, align: Alignment = CENTER, height: float | None = None) -> int:
        """A line across the whole sheet."""
        r = self.row
        self.put(r, 1, self.n, value, fnt, align)
        if height is not None:
            self.height(r, height)
        self.row += 1
        return r

    def skip(self, points: float = 8) -> None:
        self.height(self.row, points)
        self.row += 1

    # -- the official document --------------------------------------------------------
    def heading(self) -> None:
        """Organisation left, national name and motto right, number and date line."""
        (l1, l2), (r1, r2) = self.left, self.right
        r = self.row
        self.put(r, l1, l2, "{{ to_chuc.cap_tren }}", font(12), CENTER_SHRINK)
        self.put(r, r1, r2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(12, bold=True), CENTER_SHRINK)
        self.height(r, 16.5)
        self.put(r + 1, l1, l2, "{{ to_chuc.ten }}", font(12, bold=True), CENTER_SHRINK)
        self.put(r + 1, r1, r2, "Độc lập - Tự do - Hạnh phúc", font(13, bold=True, underline="single"),
                 CENTER_SHRINK)
        self.height(r + 1, 17.5)
        # bottom-aligned: a row lower than the font still shows the underline
        self.put(r + 2, l1, l2, SHORT_LINE, font(12, underline="single"),
                 Alignment(horizontal="center", vertical="bottom"))
        self.height(r + 2, 10)
        self.height(r + 3, 8)
        # so_van_ban is the whole number after "Số:" (blank: "      /BC-HCTĐ", to be written in)
        self.put(r + 4, l1, l2, "Số: {{ so_van_ban }}", font(13), CENTER_SHRINK)
        self.put(r + 4, r1, r2, "{{ dia_danh }}, {{ ngay_bao_cao | ngay_van_ban }}", font(13, italic=True),
                 CENTER_SHRINK)
        self.height(r + 4, 18)
        self.row = r + 5
        self.skip(8)

    def title(self, *texts: str, sizes: Sequence[float] = (), bold: Sequence[bool] = ()) -> None:
        for i, t in enumerate(texts):
            size = sizes[i] if i < len(sizes) else 13
            b = bold[i] if i < len(bold) else True
            self.full(t, font(size, bold=b), CENTER, self.text_height(t, 1, self.n, size, b))

    def italic_line(self, text: str, size: float = 12, align: Alignment = CENTER) -> None:
        self.full(text, font(size, italic=True), align, self.text_height(text, 1, self.n, size))

    def table_header(self, columns: Sequence[Column], numbered: bool = True, size: float = 11) -> None:
        r = self.row
        tallest = 1
        for c, col in enumerate(columns, start=1):
            self.put(r, c, c, col.header, font(size, bold=True), CENTER, border=BOX)
            tallest = max(tallest, lines(col.header, col.width, size, True))
        self.height(r, height_pt(tallest, size) + 4)
        last = r
        if numbered:
            for c in range(1, len(columns) + 1):
                self.put(r + 1, c, c, f"({c})", font(10, italic=True), CENTER, border=BOX)
            self.height(r + 1, 15)
            last = r + 1
        self.title_rows = (r, last)
        self.row = last + 1

    def table_row(self, cells: Sequence[tuple[object, str, Alignment]], size: float = 11, bold: bool = False,
                  height: float | None = None, merge_from: int | None = None) -> int:
        """One bordered table row; ``merge_from``: the second cell spans to that column."""
        r = self.row
        for c, (value, fmt, align) in enumerate(cells, start=1):
            self.put(r, c, c, value, font(size, bold=bold), align, fmt, BOX)
        if merge_from is not None:
            self.ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=merge_from)
        if height is not None:
            self.height(r, height)
        self.row += 1
        return r

    def signature(self, recipients: Recipients | None = None, preparer: bool = False,
                  signer_title: str = "TM. BAN THƯỜNG VỤ") -> None:
        """"Nơi nhận" bottom left, the preparer in the middle (if wanted), the signature
        block bottom right (under the national name, or narrower to make room)."""
        recipients = recipients or Recipients()
        r1, r2 = self.right
        middle = None
        if preparer:
            r1 = max(r1, self._span_from_right(SIGNATURE_PT))
            m1 = self._span_from_left(RECIPIENTS_PT) + 1
            if m1 >= r1 or self.width_pt(m1, r1 - 1) < PREPARER_PT:
                raise SystemExit(f"{self.ws.title}: no room for the preparer's block")
            middle = (m1, r1 - 1)
        self.skip(10)
        r = self.row
        # "Nơi nhận" and its lines unmerged and unwrapped: they run on over the empty cells
        self.put(r, 1, 1, "Nơi nhận:", font(12, bold=True, italic=True), LEFT_ONE)
        self.put(r, r1, r2, signer_title, font(13, bold=True), CENTER_SHRINK)
        self.height(r, 18)
        self.put(r + 1, r1, r2, "{{ chuc_vu_ky }}", font(13, bold=True), CENTER_SHRINK)
        self.height(r + 1, 18)
        for i, line in enumerate(recipients.lines):
            self.put(r + 1 + i, 1, 1, line, font(11), LEFT_ONE)
            if i:
                self.height(r + 1 + i, 15)
        if middle is not None:
            self.put(r, *middle, "NGƯỜI LẬP BIỂU", font(13, bold=True), CENTER_SHRINK)
        # room to sign and stamp: about 2 cm between the title and the name
        last_recipient = r + len(recipients.lines)
        name_row = max(last_recipient + 1, r + 5)
        for k in range(last_recipient + 1, name_row):
            self.height(k, 22)
        self.put(name_row, r1, r2, "{{ nguoi_ky }}", font(13, bold=True), CENTER_SHRINK)
        self.height(name_row, 18)
        if middle is not None:
            self.put(name_row, *middle, "{{ nguoi_lap }}", font(13, bold=True), CENTER_SHRINK)
        self.row = name_row + 1

    def finish(self) -> None:
        ws = self.ws
        ws.print_area = f"A1:{get_column_letter(self.n)}{self.row - 1}"
        if self.title_rows:
            ws.print_title_rows = f"{self.title_rows[0]}:{self.title_rows[1]}"
        ps = ws.page_setup
        ps.paperSize = ws.PAPERSIZE_A4
        ps.orientation = "landscape" if self.landscape else "portrait"
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        margins = LANDSCAPE if self.landscape else PORTRAIT
        mm = 1 / 25.4
        ws.page_margins.left = round(margins["left"] * mm, 3)
        ws.page_margins.right = round(margins["right"] * mm, 3)
        ws.page_margins.top = round(margins["top"] * mm, 3)
        ws.page_margins.bottom = round(margins["bottom"] * mm, 3)
        ws.page_margins.header = round(8 * mm, 3)
        ws.page_margins.footer = round(8 * mm, 3)
        ws.print_options.horizontalCentered = True
        # page numbers at the top centre, from the second page on (Decree 30)
        ws.HeaderFooter.differentFirst = True
        ws.oddHeader.center.text = "&P"
        ws.oddHeader.center.font = f"{FONT},Regular"
        ws.oddHeader.center.size = 12
        ws.sheet_view.showGridLines = False
        ws.sheet_view.zoomScale = 90


def new_book(title: str, subject: str) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    p = wb.properties
    p.creator = p.lastModifiedBy = "xl_nhandao"
    p.title = title
    p.subject = subject
    p.created = p.modified = FIXED_TIME
    return wb


def new_sheet(wb: Workbook, name: str, columns: Sequence[Column] | Sequence[float], landscape: bool) -> Sheet:
    ws = wb.create_sheet(name)
    widths = [c.width if isinstance(c, Column) else float(c) for c in columns]
    return Sheet(ws, widths, landscape)


def repeated_row(sheet: Sheet, columns: Sequence[Column], size: float = 11) -> int:
    return sheet.table_row([(c.cell, c.number_format, c.align) for c in columns], size=size)


def words_line(sheet: Sheet, text: str) -> None:
    """A wrapped italic line under a table, tall enough for a long amount in words."""
    sheet.full(text, font(12, italic=True), LEFT_TOP, sheet.text_height(text, 1, sheet.n, 12))


#: Long values a placeholder may become, for the heights of rows that Excel does not size.
_BY_FILTER = {
    "chu": "Chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm "
           "chín mươi chín đồng",
    "ngay_van_ban": "ngày 25 tháng 11 năm 2026", "ngay": "25/11/2026", "so": "99.999.999.999",
}
_BY_FIELD = {
    "ky.ten": "6 tháng cuối năm 2026", "don_vi.ten": "Thành phố Hồ Chí Minh", "so_van_ban": "      /BC-HCTĐ",
    "dia_danh": "Thành phố Hồ Chí Minh", "ty_le_chi_tieu_gia_tri": "100,0",
}


def sample(text: str) -> str:
    """``text`` with its placeholders (read as the filler reads them) replaced by long
    values they may take."""
    out = []
    for part in parse(text, "", []):
        if isinstance(part, str):
            out.append(part)
            continue
        flt = next((f for f in part.filters if f in _BY_FILTER), None)
        v = _BY_FILTER[flt] if flt else _BY_FIELD.get(part.field, "99.999")
        out.append(v.upper() if "hoa" in part.filters else v)
    return "".join(out)


# -- the indicator tables ---------------------------------------------------------------
def label(code: str) -> str:
    """The catalogue's label without the unit (the table has a unit column)."""
    text = BY_CODE[code].label
    for unit in (" (đồng)", " (%)"):
        text = text.replace(unit, "")
    return text


def _section_row(sheet: Sheet, numeral: str, text: str, size: float) -> None:
    cells = [(numeral, GENERAL, CENTER), (text, GENERAL, LEFT)] + [(None, GENERAL, CENTER)] * (sheet.n - 2)
    sheet.table_row(cells, size=size, bold=True, merge_from=sheet.n, height=height_pt(1, size) + 3)


def _indicator_row(sheet: Sheet, stt: object, text: str, unit: str, result: object, result_fmt: str,
                   target: object = None, target_fmt: str = GENERAL, attained: object = None,
                   attained_fmt: str = RATE, size: float = 11, bold: bool = False) -> int:
    h = height_pt(lines(sample(text), sheet.widths[1], size, bold), size) + 3
    return sheet.table_row([
        (stt, GENERAL, CENTER), (text, GENERAL, LEFT), (unit, GENERAL, CENTER),
        (result, result_fmt, RIGHT), (target, target_fmt, RIGHT if target_fmt != GENERAL else CENTER),
        (attained, attained_fmt, RIGHT if attained_fmt != GENERAL else CENTER),
    ], size=size, bold=bold, height=h)


def _ratio(num: str, den: str) -> str:
    """Attainment (%) of a count against its target, one decimal; blank without a target."""
    return f'=IF(AND(ISNUMBER({num}),ISNUMBER({den}),N({den})>0),ROUND({num}/{den}*100,1),"")'


def build_chiso(wb: Workbook) -> None:
    """(a) indicators down the side: STT, chỉ số, đơn vị tính, kết quả, chỉ tiêu, đạt %."""
    columns = [Column("STT", 5), Column("Chỉ số", 41), Column("Đơn vị tính", 9), Column("Kết quả", WIDE_MONEY),
               Column("Chỉ tiêu", WIDE_MONEY), Column("Đạt (%)", 9)]
    s = new_sheet(wb, "ChiSo", columns, landscape=False)
    s.heading()
    s.title("BẢNG SỐ LIỆU KẾT QUẢ CUỘC VẬN ĐỘNG", CAMPAIGN, "{{ ky.ten | hoa }}", sizes=(14, 13, 13))
    s.italic_line(PERIOD_LINE)
    s.skip(8)
    s.table_header(columns, size=12)
    size = 12
    sections: list[tuple[str, str, list[tuple[str, str]]]] = [
        ("I", "ĐỊA CHỈ NHÂN ĐẠO", [("dia_chi_co_ho_so", "địa chỉ"), ("dia_chi_moi", "địa chỉ"),
                                   ("dia_chi_dang_tro_giup", "địa chỉ"), ("dia_chi_inhandao", "địa chỉ")]),
        ("II", "TRỢ GIÚP", [("dia_chi_duoc_tro_giup", "địa chỉ"), ("ty_le_duoc_tro_giup", "%"),
                            ("luot_tro_giup", "lượt"), ("gia_tri_tro_giup", "đồng"),
                            ("dia_chi_qua_inhandao", "địa chỉ"), ("gia_tri_chuong_trinh_khac", "đồng")]),
        ("III", "TỔ CHỨC, CÁ NHÂN THAM GIA", [("to_chuc_tham_gia", "tổ chức"), ("ca_nhan_tham_gia", "người"),
                                             ("nguoi_dung_dau_dang_ky", "người"),
                                             ("ty_le_nguoi_dung_dau", "%")]),
    ]
    n = 0
    for numeral, heading, rows in sections:
        _section_row(s, numeral, heading, size)
        for code, unit in rows:
            n += 1
            kind = BY_CODE[code].kind
            fmt = RATE if kind == "percent" else MONEY if kind == "money" else COUNT
            result = "{{ " + code + " }}"
            r = s.row
            if code == "dia_chi_moi":
                _indicator_row(s, n, label(code), unit, result, fmt, "{{ chi_tieu.dia_chi_moi }}", COUNT,
                               _ratio(f"D{r}", f"E{r}"), size=size)
            elif code == "gia_tri_tro_giup":
                _indicator_row(s, n, label(code), unit, result, fmt, "{{ chi_tieu.gia_tri }}", MONEY,
                               "{{ ty_le_chi_tieu_gia_tri }}", size=size)
            elif code == "ty_le_duoc_tro_giup":
                _indicator_row(s, n, label(code), unit, result, fmt, "> 70", GENERAL, size=size)
            elif code == "ty_le_nguoi_dung_dau":
                _indicator_row(s, n, label(code) + " (so với {{ chi_tieu.nguoi_dung_dau }} người đứng đầu)",
                               unit, result, fmt, "≥ 30", GENERAL, size=size)
            else:
                _indicator_row(s, n, label(code), unit, result, fmt, size=size)
    _section_row(s, "IV", "GIÁ TRỊ TRỢ GIÚP THEO HÌNH THỨC", size)
    for i, e in enumerate(codes.SUPPORT_FORMS.entries, start=1):
        _indicator_row(s, i, e.label, "đồng", "{{ gia_tri_" + e.code + " }}", MONEY,
                       size=size)
    _section_row(s, "V", "ĐỊA CHỈ CÓ HỒ SƠ THEO ĐỐI TƯỢNG", size)
    for i, e in enumerate(codes.CATEGORIES.entries, start=1):
        _indicator_row(s, i, e.label, "địa chỉ", "{{ doi_tuong_" + e.code + " }}", COUNT, size=size)
    s.skip(6)
    words_line(s, "Tổng giá trị trợ giúp bằng chữ: {{ gia_tri_tro_giup | chu }}.")
    s.signature()
    s.finish()


def unit_columns(extended: bool) -> list[Column]:
    """The units table: a ``dv.*`` row repeated once per child unit."""
    money = RIGHT
    cols = [Column("STT", 5, "{{ dv.stt }}"), Column("Đơn vị", 26, "{{ dv.ten }}", align=LEFT),
            Column("Địa chỉ có hồ sơ", 10, "{{ dv.dia_chi_co_ho_so }}", COUNT, money),
            Column("Địa chỉ mới trong kỳ", 10, "{{ dv.dia_chi_moi }}", COUNT, money)]
    if extended:
        cols.append(Column("Chỉ tiêu địa chỉ mới", 10, "{{ dv.chi_tieu_dia_chi_moi }}", COUNT, money))
    cols.append(Column("Địa chỉ được trợ giúp", 10, "{{ dv.dia_chi_duoc_tro_giup }}", COUNT, money))
    if extended:
        cols.append(Column("Tỷ lệ được trợ giúp (%)", 10, "{{ dv.ty_le_duoc_tro_giup }}", RATE, money))
    cols += [Column("Lượt trợ giúp", 9, "{{ dv.luot_tro_giup }}", COUNT, money),
             Column("Giá trị trợ giúp (đồng)", 16, "{{ dv.gia_tri_tro_giup }}", MONEY, money),
             Column("Chỉ tiêu giá trị (đồng)", 16, "{{ dv.chi_tieu_gia_tri }}", MONEY, money),
             Column("Đạt (%)", 8, "{{ dv.ty_le_chi_tieu_gia_tri }}", RATE, money)]
    if extended:
        cols += [Column("Người đứng đầu đăng ký", 10, "{{ dv.nguoi_dung_dau_dang_ky }}", COUNT, money),
                 Column("Tỷ lệ người đứng đầu (%)", 10, "{{ dv.ty_le_nguoi_dung_dau }}", RATE, money)]
    return cols


#: Units-table columns summed in the "Cộng" row (rates are not added up).
_SUMMED = ("dia_chi_co_ho_so", "dia_chi_moi", "chi_tieu_dia_chi_moi", "dia_chi_duoc_tro_giup", "luot_tro_giup",
           "gia_tri_tro_giup", "chi_tieu_gia_tri", "nguoi_dung_dau_dang_ky")
#: The parent unit's own figure for each units-table column (duplicates counted once).
_PARENT = {"chi_tieu_dia_chi_moi": "chi_tieu.dia_chi_moi", "chi_tieu_gia_tri": "chi_tieu.gia_tri"}


def build_units(wb: Workbook, extended: bool, title: Sequence[str], annex: str | None = None) -> None:
    """The units table with its "Cộng" row (``=SUM`` over the repeated row) and the parent
    unit's own figures (a person registered by two units counted once)."""
    columns = unit_columns(extended)
    s = new_sheet(wb, "DonVi", columns, landscape=True)
    s.heading()
    s.title(*title, sizes=(14, 13, 13))
    if annex:
        s.italic_line(annex)
    s.italic_line(PERIOD_LINE)
    s.skip(8)
    s.table_header(columns)
    r = repeated_row(s, columns)
    total: list[tuple[object, str, Alignment]] = [(None, GENERAL, CENTER), ("Cộng các đơn vị", GENERAL, LEFT)]
    parent: list[tuple[object, str, Alignment]] = [(None, GENERAL, CENTER),
                                                   ("{{ don_vi.ten }} (không tính trùng)", GENERAL, LEFT)]
    for c, col in enumerate(columns[2:], start=3):
        field_name = str(col.cell).removeprefix("{{ dv.").removesuffix(" }}")
        letter = get_column_letter(c)
        total.append((f"=SUM({letter}{r}:{letter}{r})" if field_name in _SUMMED else None, col.number_format,
                      col.align))
        parent.append(("{{ " + _PARENT.get(field_name, field_name) + " }}", col.number_format, col.align))
    s.table_row(total, bold=True, height=height_pt(1, 11) + 4)
    s.table_row(parent, bold=True, height=height_pt(2, 11) + 4)
    s.skip(6)
    s.italic_line("Ghi chú: một người được hai đơn vị cùng lập hồ sơ chỉ tính một lần ở dòng của "
                  "{{ don_vi.ten }}; giá trị và lượt trợ giúp của các đơn vị được cộng đủ.", size=11,
                  align=LEFT_TOP)
    s.signature(preparer=True)
    s.finish()


def build_bang_so_lieu() -> Workbook:
    wb = new_book("Bảng số liệu kết quả Cuộc vận động (quý, 6 tháng, năm)",
                  "Chỉ số của đơn vị tổng hợp (trang ChiSo) và số liệu từng đơn vị (trang DonVi)")
    build_chiso(wb)
    build_units(wb, extended=False, title=("BẢNG SỐ LIỆU KẾT QUẢ CUỘC VẬN ĐỘNG THEO ĐƠN VỊ", CAMPAIGN,
                                          "{{ ky.ten | hoa }}"))
    return wb


# -- (b) the list of proposed addresses ---------------------------------------------------
def build_danh_sach() -> Workbook:
    wb = new_book("Danh sách đề xuất địa chỉ nhân đạo đã khảo sát, phê duyệt, cập nhật lên iNHANDAO",
                  "Mỗi địa chỉ có hồ sơ lập trong kỳ một dòng (dc.*)")
    columns = [
        Column("STT", 5, "{{ dc.stt }}"),
        Column("Họ và tên", 19, "{{ dc.ho_ten }}", align=LEFT),
        Column("Năm sinh", 7, "{{ dc.nam_sinh }}", YEAR),
        Column("Giới tính", 6, "{{ dc.gioi_tinh }}"),
        Column("Thôn/Tổ dân phố", 12, "{{ dc.thon }}", align=LEFT),
        Column("Xã/Phường", 16, "{{ dc.xa }}", align=LEFT),
        Column("Đối tượng", 19, "{{ dc.doi_tuong }}", align=LEFT),
        Column("Hoàn cảnh", 30, "{{ dc.hoan_canh }}", align=LEFT),
        Column("Ngày lập hồ sơ", 11, "{{ dc.ngay_lap_ho_so }}", DATE),
        Column("Ngày phê duyệt", 11, "{{ dc.ngay_phe_duyet }}", DATE),
        Column("Ngày cập nhật iNHANDAO", 12.5, "{{ dc.ngay_inhandao }}", DATE),
    ]
    s = new_sheet(wb, "DanhSach", columns, landscape=True)
    s.heading()
    s.title("DANH SÁCH ĐỀ XUẤT ĐỊA CHỈ NHÂN ĐẠO",
            "Đã khảo sát, phê duyệt và cập nhật lên hệ thống nhân đạo điện tử iNHANDAO",
            "{{ ky.ten | hoa }}", sizes=(14, 13, 13), bold=(True, True, True))
    s.italic_line(PERIOD_LINE)
    s.skip(8)
    s.table_header(columns)
    r = repeated_row(s, columns)
    s.skip(6)
    s.full("Tổng cộng: {{ so_dia_chi_de_xuat }} địa chỉ.", font(12, bold=True), LEFT, 18)
    s.put(s.row, 1, s.n, f'="Trong đó: đã phê duyệt "&COUNT(J{r}:J{r})&" địa chỉ; đã cập nhật lên iNHANDAO "'
          f'&COUNT(K{r}:K{r})&" địa chỉ."', font(12, italic=True), LEFT)
    s.height(s.row, 18)
    s.row += 1
    s.signature(preparer=True)
    s.finish()
    return wb


# -- (c) the data tables annexed to the 6-month and annual reports -------------------------
def build_solieu(wb: Workbook, annex: str, title: Sequence[str]) -> None:
    columns = [Column("STT", 5), Column("Nội dung", 33), Column("Đơn vị tính", 8), Column("Chỉ tiêu", WIDE_MONEY),
               Column("Kết quả", WIDE_MONEY), Column("Tỷ lệ (%)", 8), Column("Đánh giá", 11)]
    s = new_sheet(wb, "SoLieu", columns, landscape=False)
    s.heading()
    s.title(*title, sizes=(14, 13, 13))
    s.italic_line(annex)
    s.italic_line(PERIOD_LINE)
    s.skip(8)
    s.table_header(columns)
    size = 12

    def row(stt: object, text: str, unit: str, target: object, target_fmt: str, result: object, result_fmt: str,
            rate: object = None, verdict: object = None, bold: bool = False) -> int:
        shown = "" if verdict is None or str(verdict).startswith("=") else sample(str(verdict))
        h = max(lines(sample(text), s.widths[1], size, bold), lines(shown, s.widths[6], size))
        r = s.row
        s.table_row([(stt, GENERAL, CENTER), (text, GENERAL, LEFT), (unit, GENERAL, CENTER),
                     (target, target_fmt, RIGHT if target_fmt != GENERAL else CENTER),
                     (result, result_fmt, RIGHT), (rate, RATE, RIGHT), (verdict, GENERAL, CENTER)],
                    size=size, bold=bold, height=height_pt(h, size) + 3)
        return r

    def verdict(rate_cell: str, threshold: str) -> str:
        return f'=IF(ISNUMBER({rate_cell}),IF({rate_cell}{threshold},"Đạt","Chưa đạt"),"")'

    _section_row(s, "I", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", size)
    r = s.row
    row(1, "Người đứng đầu cơ quan, tổ chức đăng ký trợ giúp ít nhất 01 địa chỉ nhân đạo "
           "(trên {{ chi_tieu.nguoi_dung_dau }} người đứng đầu)", "người", "≥ 30%", GENERAL,
        "{{ nguoi_dung_dau_dang_ky }}", COUNT, "{{ ty_le_nguoi_dung_dau }}", verdict(f"F{r}", ">=30"))
    r = s.row
    row(2, "Địa chỉ có hồ sơ được trợ giúp trong kỳ (trên {{ dia_chi_co_ho_so }} địa chỉ có hồ sơ)", "địa chỉ",
        "> 70%", GENERAL, "{{ dia_chi_duoc_tro_giup }}", COUNT, "{{ ty_le_duoc_tro_giup }}", verdict(f"F{r}", ">70"))
    r = s.row
    row(3, "Địa chỉ nhân đạo mới đăng ký trong kỳ", "địa chỉ", "{{ chi_tieu.dia_chi_moi }}", COUNT,
        "{{ dia_chi_moi }}", COUNT, _ratio(f"E{r}", f"D{r}"), verdict(f"F{r}", ">=100"))
    row(4, "Giá trị vận động trợ giúp so với chỉ tiêu năm", "đồng", "{{ chi_tieu.gia_tri }}", MONEY,
        "{{ gia_tri_tro_giup }}", MONEY, "{{ ty_le_chi_tieu_gia_tri }}",
        "đạt {{ ty_le_chi_tieu_gia_tri | so }}%")
    row(5, "Địa chỉ đã cập nhật lên hệ thống iNHANDAO", "địa chỉ", None, GENERAL, "{{ dia_chi_inhandao }}", COUNT)

    _section_row(s, "II", "KẾT QUẢ CHUNG", size)
    for i, (code, unit) in enumerate([("dia_chi_co_ho_so", "địa chỉ"), ("dia_chi_moi", "địa chỉ"),
                                      ("dia_chi_dang_tro_giup", "địa chỉ"), ("dia_chi_duoc_tro_giup", "địa chỉ"),
                                      ("luot_tro_giup", "lượt"), ("gia_tri_tro_giup", "đồng"),
                                      ("dia_chi_qua_inhandao", "địa chỉ"), ("to_chuc_tham_gia", "tổ chức"),
                                      ("ca_nhan_tham_gia", "người"),
                                      ("gia_tri_chuong_trinh_khac", "đồng")], start=1):
        kind = BY_CODE[code].kind
        row(i, label(code), unit, None, GENERAL, "{{ " + code + " }}", MONEY if kind == "money" else COUNT)

    def breakdown(numeral: str, heading: str, entries: Iterable[codes.Entry], prefix: str, unit: str,
                  fmt: str) -> None:
        _section_row(s, numeral, heading, size)
        first = s.row
        entries = list(entries)
        last = first + len(entries) - 1
        total = last + 1
        for i, e in enumerate(entries, start=1):
            r = s.row
            row(i, e.label, unit, None, GENERAL, "{{ " + prefix + e.code + " }}", fmt,
                f'=IF(N($E${total})>0,ROUND(E{r}/$E${total}*100,1),"")')
        row(None, "Cộng", unit, None, GENERAL, f"=SUM(E{first}:E{last})", fmt,
            f'=IF(N($E${total})>0,ROUND(E{total}/$E${total}*100,1),"")', None, bold=True)

    breakdown("III", "GIÁ TRỊ TRỢ GIÚP THEO HÌNH THỨC", codes.SUPPORT_FORMS.entries, "gia_tri_", "đồng", MONEY)
    breakdown("IV", "ĐỊA CHỈ CÓ HỒ SƠ THEO ĐỐI TƯỢNG", codes.CATEGORIES.entries, "doi_tuong_", "địa chỉ", COUNT)
    s.skip(6)
    words_line(s, "Tổng giá trị trợ giúp (không tính giá trị từ chương trình khác): {{ gia_tri_tro_giup | so }} "
                  "đồng (bằng chữ: {{ gia_tri_tro_giup | chu }}).")
    s.signature()
    s.finish()


def build_report_table(kind: str) -> Workbook:
    report = "Báo cáo sơ kết 6 tháng" if kind == "6-thang" else "Báo cáo tổng kết năm"
    wb = new_book(f"Bảng số liệu kèm {report[0].lower() + report[1:]}",
                  "Kết quả so với chỉ tiêu Kế hoạch, giá trị theo hình thức, địa chỉ theo đối tượng, số liệu "
                  "từng đơn vị")
    annex = f"(Kèm theo {report} số {{{{ so_van_ban }}}} {{{{ ngay_bao_cao | ngay_van_ban }}}})"
    build_solieu(wb, annex, ("BẢNG SỐ LIỆU KẾT QUẢ CUỘC VẬN ĐỘNG", CAMPAIGN, "{{ ky.ten | hoa }}"))
    build_units(wb, extended=True, title=("SỐ LIỆU KẾT QUẢ CUỘC VẬN ĐỘNG THEO ĐƠN VỊ", CAMPAIGN,
                                         "{{ ky.ten | hoa }}"), annex=annex)
    return wb


# -- (d) the submission ledger sent back to the units --------------------------------------
def build_so_nop() -> Workbook:
    wb = new_book("Thông báo tình hình nộp báo cáo của các đơn vị",
                  "Sổ nộp báo cáo: đơn vị đã nộp, nộp muộn, bị từ chối (và lý do), chưa nộp (nb.*)")
    columns = [
        Column("STT", 5, "{{ nb.stt }}"),
        Column("Đơn vị", 24, "{{ nb.ten }}", align=LEFT),
        Column("Tệp đã nộp", 24, "{{ nb.tep }}", align=LEFT),
        Column("Ngày lập báo cáo", 11, "{{ nb.ngay_lap }}", DATE),
        Column("Tình trạng", 11, "{{ nb.trang_thai }}"),
        Column("Lý do, việc cần làm", 34, "{{ nb.ly_do }}", align=LEFT),
        Column("Số địa chỉ", 8, "{{ nb.dia_chi }}", COUNT, RIGHT),
        Column("Lỗi", 7, "{{ nb.loi }}", COUNT, RIGHT),
        Column("Cảnh báo", 8, "{{ nb.canh_bao }}", COUNT, RIGHT),
    ]
    s = new_sheet(wb, "NopBaoCao", columns, landscape=True)
    s.heading()
    s.title("THÔNG BÁO", "Tình hình nộp báo cáo Cuộc vận động " + CAMPAIGN_LOWER + " {{ ky.ten }}",
            sizes=(14, 13))
    s.skip(4)
    s.full("Kính gửi: Hội Chữ thập đỏ các đơn vị trực thuộc.", font(13), CENTER, 20)
    s.skip(4)
    intro = ("Tính đến {{ ngay_bao_cao | ngay_van_ban }}, trong {{ so_don_vi }} đơn vị phải báo cáo "
             "{{ ky.ten }} (từ ngày {{ ky.tu_ngay | ngay }} đến ngày {{ ky.den_ngay | ngay }}): "
             "{{ so_don_vi_da_nop }} đơn vị đã nộp (trong đó {{ so_don_vi_nop_muon }} đơn vị nộp muộn), "
             "{{ so_don_vi_chua_nop }} đơn vị chưa nộp; {{ so_don_vi_bi_tu_choi }} bản báo cáo bị từ chối "
             "(lý do ở bảng dưới). Chi tiết như sau:")
    s.full(intro, font(13), JUSTIFY, s.text_height(intro, 1, s.n, 13))
    s.skip(4)
    s.table_header(columns)
    repeated_row(s, columns)
    s.skip(4)
    closing = ("Đề nghị các đơn vị chưa nộp báo cáo, có báo cáo bị từ chối hoặc còn lỗi khẩn trương hoàn thiện "
               "và gửi lại sổ theo mẫu chuẩn để tổng hợp báo cáo đúng thời hạn.")
    s.full(closing, font(13), JUSTIFY, s.text_height(closing, 1, s.n, 13))
    s.signature(Recipients(("- Như trên;", "- Thường trực Hội (để b/c);", "- Lưu: VT, CTXH.")))
    s.finish()
    return wb


#: Template name (file name without .xlsx) → builder.
BUILDERS = {
    "bang-so-lieu": build_bang_so_lieu,
    "danh-sach-dia-chi": build_danh_sach,
    "bang-so-lieu-6-thang": lambda: build_report_table("6-thang"),
    "bang-so-lieu-nam": lambda: build_report_table("nam"),
    "so-nop-bao-cao": build_so_nop,
}


def save(wb: Workbook, out: Path) -> None:
    """Save with the fixed document dates (openpyxl's own save() stamps the clock)."""
    wb.properties.modified = FIXED_TIME
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()


def main(check: bool) -> int:
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in BUILDERS.items():
            fresh = Path(tmp) / f"{name}.xlsx"
            save(build(), fresh)
            target = TEMPLATES / fresh.name
            if not target.exists() or workbook_parts_differ(fresh, target):
                stale.append(target.relative_to(ROOT))
                if not check:
                    TEMPLATES.mkdir(exist_ok=True)
                    target.write_bytes(fresh.read_bytes())
    for s in stale:
        print(("stale: " if check else "written: ") + str(s))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
