"""What a consolidation is made of: submissions, reasons, merged and excluded rows,
pairs of duplicates and each unit's figures (the result itself is :mod:`.result`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..i18n import Coded, Lang
from ..validate import Report
from ..vn.periods import Period
from ..workbook import standard
from ..workbook.indicators import INDICATORS, Targets

ADDITIVE = tuple(i.code for i in INDICATORS if i.kind in ("count", "money"))
REGISTER_SHEETS = tuple(t.name for t in standard.TABLES)

# -- reasons (ledger, excluded rows), Vietnamese and English ------------------------------
_REASONS: dict[str, tuple[str, str]] = {
    "unreadable": ("{message}", "{message_en}"),
    "no-unit": ("Không xác định được đơn vị nộp (trang ThongTin thiếu mã đơn vị hoặc mã sai).",
                "The submitting unit cannot be identified (ThongTin lacks a valid unit code)."),
    "no-period": ("Không có kỳ báo cáo hợp lệ ở trang ThongTin.", "No valid reporting period on ThongTin."),
    "other-period": ("Kỳ báo cáo {label} khác kỳ tổng hợp {period}.",
                     "Period {label} differs from the consolidation period {period}."),
    "outside-parent": ("Đơn vị {unit} không thuộc {parent}.", "Unit {unit} is not part of {parent}."),
    "superseded": ("Đã có bản nộp mới hơn của đơn vị: {file} (ngày lập {date}).",
                   "A later submission of the unit exists: {file} (dated {date})."),
    "covered-twice": ("{count} dòng của đơn vị {units} đã có trong sổ riêng của đơn vị; không tính lại.",
                      "{count} {count:row|rows} of unit(s) {units} {count:is|are} already in their own submission; not counted again."),
    "row-errors": ("Dòng có lỗi: {messages}", "The row has errors: {messages_en}"),
    "address-errors": ("Địa chỉ {address} đang có lỗi; sự kiện chưa được tính.",
                       "Address {address} has errors; the event is not counted."),
    "address-missing": ("Mã địa chỉ {address} không có trong sổ của đơn vị.",
                        "Address {address} is not in the unit's register."),
    "file-superseded": ("Bản nộp đã được thay bằng bản mới hơn.", "The submission was superseded."),
    "file-rejected": ("Bản nộp bị từ chối: {reason}", "The submission was rejected: {reason}"),
    "unit-covered": ("Đơn vị đã có sổ riêng ({file}); các dòng của đơn vị trong tệp tổng hợp không tính lại.",
                     "The unit's own register ({file}) is used; its rows in the consolidation are not counted again."),
    "counted-twice": ("Trợ giúp này đã được tính ở chương trình {programme}; loại theo sổ rà soát {file} "
                      "(trang {where}).",
                      "This support is already counted in programme {programme}; left out per the review {file} "
                      "(sheet {where})."),
    "also-in": ("Đơn vị này cũng có trong tệp tổng hợp {file}; dùng sổ riêng này.",
                "This unit is also inside the consolidation {file}; this register of its own is used."),
}


class Reason(Coded):
    """Why a submission or a row is not counted (the ledger, ``LoaiTru``)."""

    CATALOGUE = _REASONS


@dataclass
class Submission:
    """One unit's submission: a file, or one sheet of a "district sheets" workbook."""

    path: Path
    file: str
    sha256: str
    mtime: float
    kind: str = "register"  # register | aggregate | consolidation
    sheet: str | None = None
    report: Report | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    level: str | None = None
    scheme: str = "2025"
    period: Period | None = None
    report_date: date | None = None
    status: str = "accepted"
    reason: Reason | None = None
    late: bool = False
    notes: list[Reason] = field(default_factory=list)
    #: Indicator figures sent as given (SoLieu, a district sheet, or a consolidation's
    #: aggregate-only units), by unit code.
    stated: dict[str, dict[str, object]] = field(default_factory=dict)
    #: Units whose rows a consolidation input carries.
    covers: set[str] = field(default_factory=set)
    targets: Targets = field(default_factory=Targets)
    #: A consolidation input: the targets of each unit it covers.
    unit_targets: dict[str, Targets] = field(default_factory=dict)

    @property
    def rows(self) -> dict[str, int]:
        if self.report is None:
            return dict.fromkeys(REGISTER_SHEETS, 0)
        return self.report.rows

    @property
    def errors(self) -> int:
        return self.report.counts["error"] if self.report else 0

    @property
    def warnings(self) -> int:
        return self.report.counts["warning"] if self.report else 0

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        return {
            "file": self.file if self.sheet is None else f"{self.file}#{self.sheet}",
            "unit_code": self.unit_code,
            "status": self.status,
            "late": self.late,
            "rows": self.rows,
            "errors": self.errors,
            "warnings": self.warnings,
            "reason": self.reason.text(lang) if self.reason else None,
        }


@dataclass
class MergedRow:
    """A row of a merged sheet: clean values plus where it came from."""

    sheet: str
    unit: str
    values: dict[str, object]
    file: str
    source_sheet: str
    row: int
    key: str | None = None  # address key unique across units: "<unit>|<code>"


@dataclass
class Exclusion:
    sheet: str
    unit: str | None
    file: str
    source_sheet: str
    row: int
    reason: Reason


@dataclass
class DuplicatePair:
    level: str  # "match" (same valid CCCD: counted once) | "possible" (same name, year, commune)
    a: MergedRow
    b: MergedRow
    basis: str


@dataclass
class Decided:
    """A coordinator's overlap decisions as a consolidation applies them (SPEC §5.4):
    addresses decided ``Trùng`` count once, and support events listed as counted twice
    (not decided ``Không trùng``) leave the figures. ``event_key`` gives a support
    event's identity from its address key, date, value and voucher number."""

    file: str
    same: list[tuple[str, str]]
    #: event identity → (programme, where in the other list)
    twice: dict[str, tuple[str, str]]
    event_key: Callable[[str, object, object, object], str]


@dataclass
class UnitFigures:
    code: str
    name: str | None
    level: str | None
    source: str  # "register" | "aggregate"
    figures: dict[str, object]
    targets: Targets
    district: str | None = None
