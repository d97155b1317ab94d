"""The fields a report template can name (SPEC §5.5), and their values for one
consolidation: the §4 indicators of the consolidated unit, each child unit's (``dv.*``),
targets and attainment, names and codes, period and official dates, the submission
ledger (``nb.*``), the list of proposed addresses (``dc.*``), preparer and signer.

:data:`CATALOGUE` names every field with a Vietnamese and an English description (what
``xl-nhandao templates --json`` lists); :func:`report_data` computes the values from a
consolidation workbook (or any input ``consolidate`` reads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..consolidate import Consolidation
from ..errors import RunError
from ..i18n import Lang
from ..workbook.indicators import INDICATORS
from ..workbook.source import display_name

#: The lists a template row can repeat over, by prefix.
LISTS = ("dv", "dc", "nb")


@dataclass(frozen=True)
class FieldDoc:
    name: str
    vi: str
    en: str
    kind: str = "text"  # text | count | money | percent | bool | date | number

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "description": self.vi, "description_en": self.en, "kind": self.kind}


def _indicator_docs(prefix: str, who_vi: str, who_en: str) -> list[FieldDoc]:
    return [FieldDoc(prefix + i.code, f"{i.label} — {who_vi}", f"{i.label_en} — {who_en}", i.kind)
            for i in INDICATORS]


_UNIT_TARGETS = [
    ("chi_tieu_gia_tri", "Chỉ tiêu giá trị vận động cả năm (đồng)", "Annual mobilisation target (đồng)", "money"),
    ("chi_tieu_dia_chi_moi", "Chỉ tiêu địa chỉ mới", "New-address target", "count"),
    ("chi_tieu_nguoi_dung_dau", "Số người đứng đầu (mẫu số của tỷ lệ đăng ký)",
     "Number of heads (denominator of the heads' rate)", "count"),
]

CATALOGUE: tuple[FieldDoc, ...] = (
    *_indicator_docs("", "đơn vị tổng hợp", "the consolidated unit"),
    FieldDoc("chi_tieu.gia_tri", "Chỉ tiêu giá trị vận động cả năm (đồng), tổng của các đơn vị",
             "Annual mobilisation target (đồng), summed over the units", "money"),
    FieldDoc("chi_tieu.dia_chi_moi", "Chỉ tiêu địa chỉ mới, tổng của các đơn vị",
             "New-address target, summed over the units", "count"),
    FieldDoc("chi_tieu.nguoi_dung_dau", "Số người đứng đầu cơ quan, tổ chức (mẫu số của tỷ lệ đăng ký)",
             "Number of heads of agencies and organisations (denominator)", "count"),
    FieldDoc("don_vi.ma", "Mã đơn vị tổng hợp", "Code of the consolidated unit"),
    FieldDoc("don_vi.ten", "Tên đơn vị tổng hợp (Tỉnh Khánh Hòa)", "Name of the consolidated unit"),
    FieldDoc("don_vi.cap", "Cấp đơn vị (Tỉnh, Huyện, Xã)", "Level of the unit"),
    FieldDoc("to_chuc.ten", "Tên cơ quan ban hành, chữ in hoa (HỘI CHỮ THẬP ĐỎ TỈNH KHÁNH HÒA)",
             "The issuing body, in capitals"),
    FieldDoc("to_chuc.cap_tren", "Cơ quan cấp trên, chữ in hoa (HỘI CHỮ THẬP ĐỎ VIỆT NAM)",
             "The superior body, in capitals"),
    FieldDoc("dia_danh", "Địa danh ở dòng ngày tháng (Khánh Hòa)", "Place name of the date line"),
    FieldDoc("ky.nhan", "Nhãn kỳ báo cáo (2025-H1)", "Period label"),
    FieldDoc("ky.ten", "Tên kỳ báo cáo (6 tháng đầu năm 2025)", "Period in words"),
    FieldDoc("ky.nam", "Năm vận động (2025)", "Campaign year", "number"),
    FieldDoc("ky.tu_ngay", "Ngày đầu kỳ", "First day of the period", "date"),
    FieldDoc("ky.den_ngay", "Ngày cuối kỳ", "Last day of the period", "date"),
    FieldDoc("ngay_bao_cao", "Ngày lập báo cáo (mặc định: hôm nay)", "Date of the report (default: today)", "date"),
    FieldDoc("so_van_ban", "Số văn bản (phần sau “Số:”)", "Document number (after “Số:”)"),
    FieldDoc("nguoi_lap", "Người lập biểu", "Who prepared it"),
    FieldDoc("nguoi_ky", "Người ký", "Who signs"),
    FieldDoc("chuc_vu_ky", "Chức vụ người ký, chữ in hoa (CHỦ TỊCH)", "The signer's title, in capitals"),
    FieldDoc("so_don_vi", "Số đơn vị phải nộp hoặc đã nộp", "Units expected or seen", "count"),
    FieldDoc("so_don_vi_da_nop", "Số đơn vị đã nộp và được nhận", "Units whose submission was accepted", "count"),
    FieldDoc("so_don_vi_nop_muon", "Số đơn vị nộp muộn", "Units late", "count"),
    FieldDoc("so_don_vi_chua_nop", "Số đơn vị chưa nộp", "Units missing", "count"),
    FieldDoc("so_don_vi_bi_tu_choi", "Số bản nộp bị từ chối", "Submissions rejected", "count"),
    FieldDoc("so_dia_chi_de_xuat", "Số địa chỉ đề xuất trong kỳ (dòng của danh sách dc)",
             "Proposed addresses of the period (rows of the dc list)", "count"),
    FieldDoc("dv.stt", "Số thứ tự đơn vị", "Row number", "number"),
    FieldDoc("dv.ma", "Mã đơn vị", "Unit code"),
    FieldDoc("dv.ten", "Tên đơn vị", "Unit name"),
    *_indicator_docs("dv.", "của đơn vị", "of the unit"),
    *(FieldDoc("dv." + k, vi + " của đơn vị", en + " of the unit", kind) for k, vi, en, kind in _UNIT_TARGETS),
    FieldDoc("dc.stt", "Số thứ tự địa chỉ", "Row number", "number"),
    FieldDoc("dc.ma", "Mã địa chỉ", "Address code"),
    FieldDoc("dc.ho_ten", "Họ và tên", "Name"),
    FieldDoc("dc.nam_sinh", "Năm sinh", "Birth year", "number"),
    FieldDoc("dc.gioi_tinh", "Giới tính", "Gender"),
    FieldDoc("dc.dan_toc", "Dân tộc", "Ethnic group"),
    FieldDoc("dc.thon", "Thôn/Tổ dân phố", "Village"),
    FieldDoc("dc.ma_xa", "Mã xã của địa chỉ", "Commune code"),
    FieldDoc("dc.xa", "Tên xã của địa chỉ", "Commune name"),
    FieldDoc("dc.don_vi", "Đơn vị lập hồ sơ", "Unit that keeps the register"),
    FieldDoc("dc.doi_tuong", "Đối tượng (tên)", "Category (label)"),
    FieldDoc("dc.hoan_canh", "Hoàn cảnh", "Circumstances"),
    FieldDoc("dc.nhu_cau", "Nhu cầu trợ giúp", "Needs"),
    FieldDoc("dc.ngay_lap_ho_so", "Ngày lập hồ sơ (khảo sát)", "Dossier date (surveyed)", "date"),
    FieldDoc("dc.ngay_phe_duyet", "Ngày phê duyệt", "Approval date", "date"),
    FieldDoc("dc.ngay_inhandao", "Ngày cập nhật lên iNHANDAO", "Upload date to iNHANDAO", "date"),
    FieldDoc("dc.trang_thai", "Trạng thái", "Status"),
    FieldDoc("nb.stt", "Số thứ tự", "Row number", "number"),
    FieldDoc("nb.ma", "Mã đơn vị", "Unit code"),
    FieldDoc("nb.ten", "Tên đơn vị", "Unit name"),
    FieldDoc("nb.tep", "Tệp đã nộp", "File sent"),
    FieldDoc("nb.ngay_lap", "Ngày lập báo cáo của đơn vị", "The unit's report date", "date"),
    FieldDoc("nb.trang_thai", "Tình trạng (Đã nhận, Nộp muộn, Bị từ chối, Bị thay, Chưa nộp)",
             "Status (received, late, rejected, superseded, missing)"),
    FieldDoc("nb.ly_do", "Lý do, ghi chú", "Reason, notes"),
    FieldDoc("nb.dia_chi", "Số dòng DiaChi", "DiaChi rows", "count"),
    FieldDoc("nb.loi", "Số lỗi", "Errors", "count"),
    FieldDoc("nb.canh_bao", "Số cảnh báo", "Warnings", "count"),
)

NAMES = frozenset(f.name for f in CATALOGUE)


@dataclass
class Options:
    """What the coordinator says on the command line (or ThongTin says) about the
    document: its number, date, signer, preparer."""

    number: str | None = None
    report_date: date | None = None
    signer: str | None = None
    signer_title: str | None = None
    preparer: str | None = None


@dataclass
class ReportData:
    scalars: dict[str, object]
    lists: dict[str, list[dict[str, object]]]
    consolidation: Consolidation | None = None
    notes: list[str] = field(default_factory=list)


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_words(label: str, start: date, end: date) -> str:
    """``2025`` → ``năm 2025``; ``2025-H1`` → ``6 tháng đầu năm 2025``; ``2025-Q3`` →
    ``quý III năm 2025``; a free range → ``từ ngày 01/01/2025 đến ngày 31/03/2025``."""
    if ".." in label:
        return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    year = label[:4]
    if label.endswith("-H1"):
        return f"6 tháng đầu năm {year}"
    if label.endswith("-H2"):
        return f"6 tháng cuối năm {year}"
    if "-Q" in label:
        return f"quý {_ROMAN.get(int(label[-1]), label[-1])} năm {year}"
    return f"năm {year}"


def _organisation(res: Consolidation) -> tuple[str, str, str]:
    """(issuing body, superior body, place name) of the consolidated unit."""
    from ..vn import adminunits

    unit = res.parent
    if unit is None:
        return "HỘI CHỮ THẬP ĐỎ", "", ""
    province = adminunits.lookup(unit.province_code, res.scheme, "Tỉnh") if unit.province_code else None
    if unit.level == "Tỉnh":
        province = unit
    place = province.short_name if province else unit.name  # "Khánh Hòa", not "Tỉnh Khánh Hòa"
    body = f"HỘI CHỮ THẬP ĐỎ {unit.name.upper()}"
    if unit.level == "Tỉnh" or province is None:
        superior = "HỘI CHỮ THẬP ĐỎ VIỆT NAM"
    elif unit.level == "Xã" and unit.district_code:
        district = adminunits.lookup(unit.district_code, res.scheme, "Huyện")
        superior = f"HỘI CHỮ THẬP ĐỎ {(district or province).name.upper()}"
    else:
        superior = f"HỘI CHỮ THẬP ĐỎ {province.name.upper()}"
    return body, superior, place


_STATUS = {"accepted": "Đã nhận", "superseded": "Bị thay", "rejected": "Bị từ chối"}


def report_data(source: Path, *, period: str | None = None, options: Options | None = None,
                today: date | None = None) -> ReportData:
    """The values of every field for the consolidation in ``source`` (a consolidation
    workbook, or unit workbooks: the same reading as ``consolidate``)."""
    from ..consolidate import consolidate

    today = today or date.today()
    options = options or Options()
    res = consolidate([source], period, today=today)
    if not any(s.status == "accepted" for s in res.submissions):  # a report of zeros would mislead
        first = next((s for s in res.submissions if s.reason is not None), None)

        def reason(lang: Lang) -> str:
            text = first.reason.text(lang) if first and first.reason else ("bị từ chối" if lang == "vi" else "rejected")
            return text.rstrip(".")

        raise RunError("report-nothing-counted", period=res.period.label, path=display_name(source.name),
                       reason=reason("vi"), reason_en=reason("en"))
    data = from_consolidation(res, options, today)
    ledger = _ledger_of(source)
    if ledger is not None:  # the consolidation's own ledger (the units that sent it)
        data.lists["nb"] = ledger
        _ledger_counts(data)
    return data


def from_consolidation(res: Consolidation, options: Options, today: date) -> ReportData:
    from ..workbook import codes

    s: dict[str, object] = dict(res.totals)
    t = res.targets
    s.update({"chi_tieu.gia_tri": t.value, "chi_tieu.dia_chi_moi": t.new_addresses,
              "chi_tieu.nguoi_dung_dau": t.heads})
    body, superior, place = _organisation(res)
    unit = res.parent
    p = res.period
    s.update({
        "don_vi.ma": res.parent_code, "don_vi.ten": res.parent_name, "don_vi.cap": unit.level if unit else None,
        "to_chuc.ten": body, "to_chuc.cap_tren": superior, "dia_danh": place,
        "ky.nhan": p.label, "ky.ten": period_words(p.label, p.start, p.end), "ky.nam": p.end.year,
        "ky.tu_ngay": p.start, "ky.den_ngay": p.end,
        "ngay_bao_cao": options.report_date or today,
        "so_van_ban": options.number if options.number is not None else "      /BC-HCTĐ",
        "nguoi_lap": options.preparer or res.preparer or "",
        "nguoi_ky": options.signer or "",
        "chuc_vu_ky": (options.signer_title or "CHỦ TỊCH").upper(),
    })
    units = []
    for i, (code, u) in enumerate(sorted((c, u) for c, u in res.units.items() if c != res.parent_code), start=1):
        row: dict[str, object] = {"stt": i, "ma": code, "ten": u.name or code, **u.figures}
        row.update({"chi_tieu_gia_tri": u.targets.value, "chi_tieu_dia_chi_moi": u.targets.new_addresses,
                    "chi_tieu_nguoi_dung_dau": u.targets.heads})
        units.append(row)
    names = {code: u.name for code, u in res.units.items()}
    addresses = []
    for r in sorted(res.merged["DiaChi"], key=lambda r: (r.unit, str(r.values.get("ma_dia_chi") or ""))):
        v = r.values
        made = v.get("ngay_lap_ho_so")
        if not isinstance(made, date) or not (p.start <= made <= p.end):
            continue
        category = codes.CATEGORIES.match(str(v.get("doi_tuong") or ""))
        addresses.append({
            "stt": len(addresses) + 1, "ma": v.get("ma_dia_chi"), "ho_ten": v.get("ho_ten"),
            "nam_sinh": v.get("nam_sinh"), "gioi_tinh": v.get("gioi_tinh"), "dan_toc": v.get("dan_toc"),
            "thon": v.get("thon"), "ma_xa": v.get("ma_xa"), "xa": _commune_name(v.get("ma_xa"), res.scheme),
            "don_vi": names.get(r.unit) or r.unit, "doi_tuong": category.label if category else v.get("doi_tuong"),
            "hoan_canh": v.get("hoan_canh"), "nhu_cau": v.get("nhu_cau"), "ngay_lap_ho_so": made,
            "ngay_phe_duyet": v.get("ngay_phe_duyet"), "ngay_inhandao": v.get("ngay_inhandao"),
            "trang_thai": v.get("trang_thai"),
        })
    ledger = []
    for sub in res.submissions:
        ledger.append({
            "ma": sub.unit_code, "ten": sub.unit_name, "tep": sub.file if sub.sheet is None else f"{sub.file}#{sub.sheet}",
            "ngay_lap": sub.report_date,
            "trang_thai": "Nộp muộn" if sub.status == "accepted" and sub.late else _STATUS[sub.status],
            "ly_do": " ".join(([sub.reason.text("vi")] if sub.reason else []) + [n.text("vi") for n in sub.notes]),
            "dia_chi": sub.rows.get("DiaChi", 0), "loi": sub.errors, "canh_bao": sub.warnings,
        })
    for code in res.missing:
        ledger.append({"ma": code, "ten": _unit_name(code, res.scheme), "tep": "", "ngay_lap": None,
                       "trang_thai": "Chưa nộp", "ly_do": "", "dia_chi": None, "loi": None, "canh_bao": None})
    data = ReportData(s, {"dv": units, "dc": addresses, "nb": ledger}, res)
    _ledger_counts(data)
    s["so_dia_chi_de_xuat"] = len(addresses)
    return data


def _ledger_counts(data: ReportData) -> None:
    ledger = data.lists["nb"]
    for i, row in enumerate(ledger, start=1):
        row["stt"] = i
    status = [row["trang_thai"] for row in ledger]
    data.scalars.update({
        "so_don_vi": len({row["ma"] for row in ledger if row["ma"]}),
        "so_don_vi_da_nop": len({row["ma"] for row in ledger if row["trang_thai"] in ("Đã nhận", "Nộp muộn")}),
        "so_don_vi_nop_muon": status.count("Nộp muộn"),
        "so_don_vi_chua_nop": status.count("Chưa nộp"),
        "so_don_vi_bi_tu_choi": status.count("Bị từ chối"),
    })


def _commune_name(code: object, scheme: str) -> str | None:
    if not isinstance(code, str):
        return None
    return _unit_name(code, scheme)


def _unit_name(code: str, scheme: str) -> str | None:
    from ..vn import adminunits

    unit = adminunits.lookup(code, scheme)
    return unit.name if unit else None


_LEDGER_STATUS = {"Chấp nhận": "Đã nhận", "Bị thay thế": "Bị thay", "Từ chối": "Bị từ chối", "Chưa nộp": "Chưa nộp"}


def _ledger_of(source: Path) -> list[dict[str, object]] | None:
    """The submission ledger a consolidation workbook carries (its ``NopBaoCao`` sheet),
    or None when ``source`` is not one (a folder, a unit's register)."""
    if not source.is_file():
        return None
    from ..vn.values import parse_date
    from ..workbook.source import FileWorkbook

    try:
        book = FileWorkbook(source)
        if "NopBaoCao" not in book.sheet_names():
            return None
        rows = book.read("NopBaoCao").rows
    except Exception:  # the ledger is a courtesy: the figures come from the rows
        return None
    header = next((i for i, r in enumerate(rows[:10]) if r and r[0] == "Mã đơn vị"), None)
    if header is None:
        return None
    out = []
    for r in rows[header + 1:]:
        r = list(r) + [""] * (15 - len(r))
        if not any(str(c).strip() for c in r[:7]):
            continue
        status = _LEDGER_STATUS.get(str(r[6]).strip(), str(r[6]).strip())
        if status == "Đã nhận" and str(r[7]).strip():
            status = "Nộp muộn"
        day = r[5] if isinstance(r[5], date) else parse_date(r[5])[0] if r[5] not in ("", None) else None
        if isinstance(day, datetime):
            day = day.date()
        out.append({"ma": str(r[0]) or None, "ten": str(r[1]) or None,
                    "tep": str(r[2]) + (f"#{r[3]}" if r[3] else ""),
                    "ngay_lap": day if isinstance(day, date) else None, "trang_thai": status,
                    "ly_do": str(r[14]).strip(),
                    "dia_chi": _int(r[8]), "loi": _int(r[11]), "canh_bao": _int(r[12])})
    return out


def _int(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return int(v)
    return None
