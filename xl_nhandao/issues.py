"""Findings as data: the catalogue of issue codes and the Issue record.

Every check of the validator produces :class:`Issue` records whose ``code`` is a key of
:data:`CATALOGUE`. The CLI table, ``--json``, the ``Loi`` sheet, cell comments and the
reference page ``docs/issues.md`` are renderers of the same records. Codes are stable:
rename a message freely, never a code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .i18n import Lang, Phrase, render

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
#: How each severity is named to users.
SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "vi": {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"},
    "en": {"error": "Error", "warning": "Warning", "info": "Info"},
}


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: Severity
    group: str
    message_vi: str
    message_en: str
    hint_vi: str = ""
    hint_en: str = ""
    #: Parameters that name a year or a code here: shown without a thousands separator.
    plain: frozenset[str] = frozenset()
    #: Parameters computed from the issue's own (``value`` …) when the message is shown.
    derive: Callable[[dict[str, object]], dict[str, object]] | None = None

    def message(self, lang: Lang) -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def hint(self, lang: Lang) -> str:
        return self.hint_vi if lang == "vi" else self.hint_en


def _t(code: str, severity: Severity, group: str, vi: str, en: str, hint_vi: str = "", hint_en: str = "",
       plain: tuple[str, ...] = (), derive: Callable[[dict[str, object]], dict[str, object]] | None = None,
       ) -> IssueType:
    return IssueType(code, severity, group, vi, en, hint_vi, hint_en, frozenset(plain), derive)


#: Why a CCCD is not valid, by the reason :func:`xl_nhandao.vn.values.cccd_fault` gives.
_CCCD_FAULTS: dict[str, tuple[str, str]] = {
    "not-digits": ("có ký tự không phải chữ số", "it has characters other than digits"),
    "short": ("{digits} chữ số, thiếu {missing}", "{digits} {digits:digit|digits}, {missing} missing"),
    "long": ("{digits} chữ số, thừa {extra}", "{digits} digits, {extra} too many"),
    "province": ("3 số đầu {prefix} không phải mã tỉnh nơi đăng ký khai sinh",
                 "the first three digits {prefix} are not a birth-province code"),
}


def _cccd_reason(params: dict[str, object]) -> dict[str, object]:
    from .vn.adminunits import cccd_province_codes
    from .vn.values import cccd_fault

    # The value as the clerk sees it gives the same fault as the cell, except for a
    # negative number (its minus sign reads as a separator in text): not digits either.
    key, detail = cccd_fault(params.get("value"), cccd_province_codes()) or ("not-digits", {})
    vi, en = _CCCD_FAULTS[key]
    return {"reason": Phrase(vi, en, detail)}


_STRUCTURE = "Cấu trúc sổ"
_INFO = "Trang ThongTin"
_CELL = "Giá trị ô"
_ROW = "Dòng và liên kết"
_SOLIEU = "Trang SoLieu"

_TYPES = [
    # Structure of the workbook
    _t("sheet-missing", "error", _STRUCTURE,
       "Thiếu trang tính “{sheet}”.", "Sheet “{sheet}” is missing.",
       "Thêm trang “{sheet}” theo mẫu chuẩn (tạo mẫu: xl-nhandao new-workbook) hoặc đổi tên trang cho đúng.",
       "Add the sheet “{sheet}” from the standard workbook (xl-nhandao new-workbook) or rename yours."),
    _t("sheet-empty-missing", "warning", _STRUCTURE,
       "Không có trang “{sheet}”; coi như trang này không có dòng nào.",
       "There is no sheet “{sheet}”; treated as empty.",
       "Nếu đơn vị có số liệu {sheet}, hãy thêm trang theo mẫu chuẩn.",
       "If the unit has {sheet} data, add the sheet from the standard workbook."),
    _t("header-not-found", "error", _STRUCTURE,
       "Không tìm thấy dòng tiêu đề cột trên trang “{sheet}”.",
       "No header row found on sheet “{sheet}”.",
       "Dòng tiêu đề cần có các cột: {expected}.", "The header row needs the columns: {expected}."),
    _t("column-missing", "error", _STRUCTURE,
       "Thiếu cột bắt buộc “{column}” trên trang “{sheet}”.",
       "Required column “{column}” is missing on sheet “{sheet}”.",
       "Thêm cột “{column}” vào dòng tiêu đề (dòng {row}).",
       "Add a “{column}” column to the header row (row {row})."),
    _t("column-duplicate", "warning", _STRUCTURE,
       "Cột “{column}” xuất hiện hai lần; chỉ dùng cột đầu tiên ({first_cell}).",
       "Column “{column}” appears twice; only the first ({first_cell}) is read.",
       "Xóa hoặc đổi tên cột thừa.", "Delete or rename the extra column."),
    _t("column-unknown", "info", _STRUCTURE,
       "Cột “{value}” không thuộc mẫu chuẩn; không đọc cột này.",
       "Column “{value}” is not part of the standard; it is not read.",
       "Nếu đây là một cột của mẫu, hãy đặt đúng tên cột.",
       "If it is one of the standard's columns, give it the standard name."),
    _t("template-version", "warning", _STRUCTURE,
       "Phiên bản mẫu “{value}” không phải {expected}.",
       "Template version “{value}” is not {expected}.",
       "Dùng mẫu {expected} (xl-nhandao new-workbook) hoặc sửa ô Phiên bản mẫu.",
       "Use the {expected} workbook (xl-nhandao new-workbook) or correct the version cell."),
    _t("legacy-text", "info", _STRUCTURE,
       "{count} ô ở cột “{column}” gõ bằng bảng mã {encoding} (phông chữ cũ); đã đọc thành Unicode.",
       "{count} {count:cell|cells} in column “{column}” {count:uses|use} the legacy {encoding} encoding; read as Unicode.",
       "Nên chuyển sổ sang Unicode (Unikey › Công cụ chuyển mã) để người khác đọc đúng.",
       "Convert the workbook to Unicode (e.g. Unikey's converter) so others read it correctly."),
    _t("total-row-mismatch", "warning", _STRUCTURE,
       "Dòng tổng cộng ghi {value} ở cột “{column}” nhưng cộng các dòng được {expected}.",
       "The total row shows {value} in column “{column}” but the rows add up to {expected}.",
       "Kiểm tra công thức của dòng tổng cộng (phải cộng đủ các dòng).",
       "Check the total row's formula (it must cover every row)."),
    # ThongTin
    _t("info-missing", "error", _INFO,
       "Thiếu “{column}” ở trang ThongTin.", "“{column}” is missing on sheet ThongTin.",
       "Điền “{column}” ở cột B, cạnh nhãn.", "Fill in “{column}” in column B, next to its label."),
    _t("unit-unknown", "error", _INFO,
       "Mã “{value}” ({column}) không có trong danh mục đơn vị hành chính hệ {scheme}.",
       "Code “{value}” ({column}) is not in the {scheme} administrative code list.",
       "Kiểm tra mã (tra cứu: xl-nhandao new-workbook --unit MÃ) và ô Hệ mã đơn vị hành chính.",
       "Check the code and the “Hệ mã đơn vị hành chính” cell."),
    _t("unit-name-mismatch", "warning", _INFO,
       "Tên “{value}” không khớp mã {unit_code} (danh mục: {expected}).",
       "Name “{value}” does not match code {unit_code} (code list: {expected}).",
       "Sửa tên hoặc mã cho khớp nhau.", "Correct the name or the code."),
    _t("unit-outside-province", "error", _INFO,
       "Đơn vị {value} không thuộc tỉnh {province}.", "Unit {value} is not in province {province}.",
       "Kiểm tra Mã tỉnh và mã đơn vị.", "Check the province code and the unit code."),
    _t("period-invalid", "error", _INFO,
       "Kỳ báo cáo “{value}” không hợp lệ.", "Reporting period “{value}” is not valid.",
       "Ghi dạng 2024 (cả năm), 2024-H1 (6 tháng) hoặc 2024-Q1 … 2024-Q4 (quý).",
       "Write 2024 (year), 2024-H1 (6 months) or 2024-Q1 … 2024-Q4 (quarter)."),
    _t("period-dates-mismatch", "warning", _INFO,
       "Từ ngày/Đến ngày ({start} – {end}) khác kỳ {label} ({expected}); dùng ngày đã ghi.",
       "From/To dates ({start} – {end}) differ from period {label} ({expected}); the dates given are used.",
       "Năm báo cáo tính từ 25/11 năm trước đến 24/11; sửa ngày hoặc kỳ cho khớp.",
       "The campaign year runs 25/11 to 24/11; make the dates and the period agree."),
    _t("period-range-invalid", "error", _INFO,
       "Từ ngày {start} sau Đến ngày {end}.", "From date {start} is after To date {end}.",
       "Sửa lại hai ngày của kỳ báo cáo.", "Correct the period's dates."),
    _t("report-date-missing", "warning", _INFO,
       "Chưa ghi Ngày lập báo cáo.", "The report date (Ngày lập báo cáo) is empty.",
       "Ghi ngày ký báo cáo để tính đúng hạn.", "Enter the signing date so timeliness can be judged."),
    _t("report-date-early", "error", _INFO,
       "Ngày lập báo cáo {value} trước ngày bắt đầu kỳ ({start}).",
       "Report date {value} is before the period starts ({start}).",
       "Sửa Ngày lập báo cáo hoặc Kỳ báo cáo.", "Correct the report date or the period."),
    # Cell values
    _t("required-missing", "error", _CELL,
       "Thiếu “{column}”.", "“{column}” is empty.",
       "Điền “{column}” cho dòng {row}.", "Fill in “{column}” on row {row}."),
    _t("date-invalid", "error", _CELL,
       "“{value}” không phải ngày hợp lệ.", "“{value}” is not a valid date.",
       "Ghi ngày trước, tháng sau, năm đủ 4 số, ví dụ 05/03/2024.",
       "Write day first, then month, then a 4-digit year, e.g. 05/03/2024."),
    _t("date-out-of-range", "error", _CELL,
       "Ngày {value} quá sớm (trước {minimum}).", "Date {value} is too early (before {minimum}).",
       "Kiểm tra lại năm đã gõ.", "Check the year typed."),
    _t("date-in-future", "error", _CELL,
       "Ngày {value} ở tương lai (hôm nay là {today}).", "Date {value} is in the future (today is {today}).",
       "Kiểm tra lại ngày, tháng, năm đã gõ.", "Check the day, month and year typed."),
    _t("date-after-report", "warning", _CELL,
       "Ngày {value} sau Ngày lập báo cáo ({report_date}).",
       "Date {value} is after the report date ({report_date}).",
       "Kiểm tra ngày, hoặc cập nhật Ngày lập báo cáo ở trang ThongTin.",
       "Check the date, or update the report date on sheet ThongTin."),
    _t("year-invalid", "error", _CELL,
       "“{value}” không phải năm sinh hợp lệ.", "“{value}” is not a valid birth year.",
       "Ghi năm sinh 4 chữ số, ví dụ 1956.", "Write a 4-digit year, e.g. 1956."),
    _t("year-out-of-range", "error", _CELL,
       "Năm sinh {value} ngoài khoảng {minimum}–{maximum}.",
       "Birth year {value} is outside {minimum}–{maximum}.",
       "Kiểm tra lại năm sinh.", "Check the birth year.", plain=("minimum", "maximum", "value")),
    _t("money-invalid", "error", _CELL,
       "“{value}” không phải số tiền hợp lệ.", "“{value}” is not a valid amount.",
       "Ghi số tiền bằng đồng, ví dụ 1.500.000 hoặc 1,5 triệu.",
       "Write the amount in đồng, e.g. 1.500.000 or 1,5 triệu."),
    _t("money-ambiguous", "error", _CELL,
       "Số tiền “{value}” không rõ nghĩa (đồng không có phần lẻ).",
       "Amount “{value}” is ambiguous (the đồng has no fractions).",
       "Ghi đủ số đồng (1.500.000) hoặc kèm đơn vị (1,5 triệu).",
       "Write the full amount (1.500.000) or add the unit (1,5 triệu)."),
    _t("money-negative", "error", _CELL,
       "Số tiền “{value}” âm.", "Amount “{value}” is negative.",
       "Ghi số tiền dương.", "Write a positive amount."),
    _t("money-zero", "error", _CELL,
       "Giá trị trợ giúp phải lớn hơn 0.", "The value of support must be greater than 0.",
       "Ghi giá trị bằng tiền hoặc giá trị quy đổi của hiện vật.",
       "Write the amount, or the converted value of goods."),
    _t("int-invalid", "error", _CELL,
       "“{value}” không phải số nguyên hợp lệ (từ {minimum} trở lên).",
       "“{value}” is not a valid whole number ({minimum} or more).",
       "Ghi một số nguyên, ví dụ 1.", "Write a whole number, e.g. 1."),
    _t("number-invalid", "error", _CELL,
       "“{value}” không phải số.", "“{value}” is not a number.",
       "Ghi giá trị bằng số.", "Write a number."),
    _t("yesno-invalid", "error", _CELL,
       "“{value}” không phải Có/Không.", "“{value}” is not yes/no.",
       "Ghi Có (hoặc x) hay Không (hoặc để trống).", "Write Có (or x) or Không (or leave empty)."),
    _t("code-unknown", "error", _CELL,
       "“{value}” không có trong danh mục {list}.", "“{value}” is not in the {list} list.",
       "Chọn từ danh sách thả xuống hoặc ghi một trong: {choices}.",
       "Pick from the dropdown or write one of: {choices}."),
    _t("cccd-invalid", "error", _CELL,
       "Số CCCD “{value}” không hợp lệ: {reason}.", "CCCD number “{value}” is not valid: {reason}.",
       "CCCD có 12 chữ số, 3 số đầu là mã tỉnh nơi đăng ký khai sinh (001–096). Định dạng cột là Văn bản để không mất số 0 đầu.",
       "A CCCD has 12 digits starting with a birth-province code (001–096). Format the column as Text so leading zeros stay.",
       derive=_cccd_reason),
    _t("cccd-padded", "warning", _CELL,
       "Số CCCD “{value}” bị mất số 0 đầu; đã hiểu là {fixed}.",
       "CCCD “{value}” lost its leading zero; read as {fixed}.",
       "Định dạng cột Số CCCD là Văn bản (Text) rồi gõ lại đủ 12 số.",
       "Format the CCCD column as Text and retype all 12 digits."),
    _t("cmnd-old", "warning", _CELL,
       "“{value}” là số CMND 9 số cũ, không dùng được để đối chiếu trùng lặp.",
       "“{value}” is an old 9-digit CMND number, not usable to find duplicates.",
       "Ghi số CCCD 12 số nếu có.", "Enter the 12-digit CCCD if there is one."),
    _t("cccd-year-mismatch", "warning", _CELL,
       "Số CCCD cho năm sinh {expected} nhưng Năm sinh ghi {value}.",
       "The CCCD says born {expected} but the birth year is {value}.",
       "Kiểm tra lại Năm sinh hoặc Số CCCD.", "Check the birth year or the CCCD.", plain=("expected", "value")),
    _t("cccd-gender-mismatch", "warning", _CELL,
       "Số CCCD cho giới tính {expected} nhưng Giới tính ghi {value}.",
       "The CCCD says {expected} but the gender is {value}.",
       "Kiểm tra lại Giới tính hoặc Số CCCD.", "Check the gender or the CCCD."),
    _t("commune-unknown", "error", _CELL,
       "Mã xã “{value}” không có trong danh mục hệ {scheme}.",
       "Commune code “{value}” is not in the {scheme} code list.",
       "Ghi mã xã 5 chữ số theo danh mục {scheme} (xem ô Hệ mã đơn vị hành chính ở trang ThongTin).",
       "Write the 5-digit commune code of the {scheme} list (see the scheme cell on sheet ThongTin)."),
    _t("commune-name-as-code", "warning", _CELL,
       "Ghi tên “{value}” thay cho mã xã; đã hiểu là {commune_code} ({name}).",
       "A name “{value}” was written instead of the commune code; read as {commune_code} ({name}).",
       "Ghi mã xã 5 chữ số.", "Write the 5-digit commune code."),
    _t("commune-outside-unit", "warning", _CELL,
       "Mã xã {value} không thuộc đơn vị báo cáo ({unit}).",
       "Commune {value} is outside the reporting unit ({unit}).",
       "Kiểm tra mã xã của địa chỉ.", "Check the address's commune code."),
    # Rows and references
    _t("duplicate-address-code", "error", _ROW,
       "Mã địa chỉ {value} đã dùng ở dòng {first_row}.", "Address code {value} is already used on row {first_row}.",
       "Mỗi địa chỉ một mã riêng; cấp mã mới cho dòng này.", "Give this row a code of its own."),
    _t("duplicate-cccd", "error", _ROW,
       "Số CCCD trùng với dòng {first_row}: một người được ghi hai lần.",
       "Same CCCD as row {first_row}: one person registered twice.",
       "Giữ một dòng cho mỗi người; gộp thông tin rồi xóa dòng thừa.",
       "Keep one row per person; merge the details and delete the extra row."),
    _t("duplicate-person", "warning", _ROW,
       "Trùng họ tên, năm sinh và thôn với dòng {first_row}.",
       "Same name, birth year and village as row {first_row}.",
       "Nếu là cùng một người, xóa dòng thừa; nếu khác người, ghi Số CCCD để phân biệt.",
       "If it is the same person, delete the extra row; if not, add the CCCD to tell them apart."),
    _t("approval-before-dossier", "error", _ROW,
       "Ngày phê duyệt {value} trước Ngày lập hồ sơ {dossier_date}.",
       "Approval date {value} is before the dossier date {dossier_date}.",
       "Kiểm tra hai ngày: phê duyệt phải sau khi lập hồ sơ.",
       "Check both dates: approval comes after the dossier."),
    _t("inhandao-before-dossier", "warning", _ROW,
       "Ngày cập nhật iNHANDAO {value} trước Ngày lập hồ sơ {dossier_date}.",
       "iNHANDAO upload date {value} is before the dossier date {dossier_date}.",
       "Kiểm tra lại hai ngày.", "Check both dates."),
    _t("address-unknown", "error", _ROW,
       "Mã địa chỉ “{value}” không có trên trang “{address_sheet}”.",
       "Address code “{value}” is not on sheet “{address_sheet}”.",
       "Ghi đúng mã của một dòng trên trang “{address_sheet}”, hoặc thêm địa chỉ đó vào trang ấy.",
       "Use the code of a row on sheet “{address_sheet}”, or add that address there."),
    _t("address-has-errors", "warning", _ROW,
       "Địa chỉ {value} (trang “{address_sheet}”, dòng {target_row}) đang có lỗi; sự kiện này chưa được tính cho đến khi sửa.",
       "Address {value} (sheet “{address_sheet}”, row {target_row}) has errors; this event is not counted until it is fixed.",
       "Sửa các lỗi của dòng {target_row} trên trang “{address_sheet}”.",
       "Fix the errors of row {target_row} on sheet “{address_sheet}”."),
    _t("event-before-dossier", "warning", _ROW,
       "Ngày trợ giúp {value} trước Ngày lập hồ sơ của địa chỉ ({dossier_date}).",
       "Support date {value} is before the address's dossier date ({dossier_date}).",
       "Kiểm tra ngày trợ giúp và ngày lập hồ sơ.", "Check the support date and the dossier date."),
    _t("other-programme-missing", "error", _ROW,
       "Nguồn là Chương trình khác nhưng chưa ghi Tên chương trình khác.",
       "The source is another programme but its name is empty.",
       "Ghi tên chương trình (ví dụ: Tết Nhân ái, Giảm nghèo) để tránh tính trùng.",
       "Write the programme's name (e.g. Tết Nhân ái) so it is not counted twice."),
    _t("duplicate-event", "warning", _ROW,
       "Giống hệt sự kiện ở dòng {first_row} (cùng địa chỉ, ngày, hình thức, giá trị).",
       "Same as the event on row {first_row} (address, date, form and value).",
       "Nếu là nhập hai lần, xóa dòng thừa.", "If it was entered twice, delete the extra row."),
    _t("duplicate-voucher", "warning", _ROW,
       "Số chứng từ {value} đã dùng ở dòng {first_row}.", "Voucher {value} is already used on row {first_row}.",
       "Mỗi chứng từ chỉ ghi cho một sự kiện; kiểm tra có nhập hai lần không.",
       "Each voucher belongs to one event; check for double entry."),
    # SoLieu
    _t("indicator-unknown", "warning", _SOLIEU,
       "Mã chỉ số “{value}” không có trong danh mục chỉ số.", "Indicator code “{value}” is unknown.",
       "Dùng mã chỉ số của mẫu chuẩn (xem docs/standard.md).", "Use the standard's indicator codes."),
    _t("solieu-mismatch", "warning", _SOLIEU,
       "SoLieu ghi {value} cho “{indicator}” nhưng sổ đăng ký tính ra {expected}.",
       "SoLieu gives {value} for “{indicator}” but the register gives {expected}.",
       "Sửa số liệu cho khớp với sổ, hoặc để trống trang SoLieu khi đã có sổ.",
       "Correct the figure, or leave SoLieu empty when the register is kept."),
]

CATALOGUE: dict[str, IssueType] = {t.code: t for t in _TYPES}


@dataclass(slots=True)
class Issue:
    """One finding, located as the clerk sees it: sheet, Excel row, column header, A1."""

    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    @property
    def type(self) -> IssueType:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    def _params(self) -> dict[str, object]:
        base: dict[str, object] = {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "cell": self.cell, "value": self.value,
        }
        base.update(self.params)
        derive = CATALOGUE[self.code].derive
        if derive is not None:
            base.update(derive(base))
        return base

    def message(self, lang: Lang = "vi") -> str:
        t = self.type
        return render(t.message(lang), self._params(), lang, t.plain)

    def hint(self, lang: Lang = "vi") -> str:
        t = self.type
        return render(t.hint(lang), self._params(), lang, t.plain)

    def severity_label(self, lang: Lang = "vi") -> str:
        """``Lỗi``/``Cảnh báo``/``Lưu ý`` (``Error``/``Warning``/``Info``)."""
        return SEVERITY_LABELS[lang][self.severity]

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        t = self.type
        params = self._params()
        return {
            "code": self.code,
            "severity": t.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "message": render(t.message(lang), params, lang, t.plain),
            "hint": render(t.hint(lang), params, lang, t.plain),
        }


def add_issue(issues: list[Issue], code: str, /, sheet: str | None = None, row: int | None = None,
              column: str | None = None, cell: str | None = None, value: object = None,
              record: object = None, **params: object) -> Issue:
    """Append a finding; the value is shown as the clerk sees it; a record (a row) keeps
    count of its errors and warnings, which decide whether it is counted."""
    from .vn.values import display

    issue = Issue(code, sheet, row, column, cell, value if value is None or isinstance(value, str)
                  else display(value), params)
    issues.append(issue)
    if record is not None:
        severity = CATALOGUE[code].severity
        if severity == "error":
            record.errors += 1  # type: ignore[attr-defined]
        elif severity == "warning":
            record.warnings += 1  # type: ignore[attr-defined]
    return issue


def count(issues: list[Issue]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for i in issues:
        out[i.severity] += 1
    return out
