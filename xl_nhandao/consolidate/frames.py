"""A consolidation as pandas DataFrames (SPEC §7 ``res.frames()``): one frame per sheet of
the output workbook, with the same column headers, except that ``TongHop``'s indicator
columns are named by their §4 codes (the keys of ``res.totals``). Values are clean:
dates as datetimes, amounts as integers, missing as ``None``/``NaT``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..issues import SEVERITY_LABELS
from ..workbook import standard
from ..workbook.indicators import INDICATORS

if TYPE_CHECKING:
    import pandas

    from .result import Consolidation

_FIXED = ["Mã đơn vị", "Đơn vị", "Cấp", "Nguồn số liệu"]
_SOURCE = {"register": "Sổ đăng ký", "aggregate": "Số liệu gửi"}


def frames(result: Consolidation) -> dict[str, pandas.DataFrame]:
    import pandas as pd

    codes = [i.code for i in INDICATORS]
    tonghop = [[u.code, u.name, u.level, _SOURCE[u.source], *(u.figures.get(c) for c in codes)]
               for u in result.units.values()]
    tonghop += [[d.code, d.name, d.level, "Cộng huyện", *(d.figures.get(c) for c in codes)]
                for d in result.districts.values()]
    tonghop.append([result.parent_code, result.parent_name, result.parent.level if result.parent else None, "Tổng",
                    *(result.totals.get(c) for c in codes)])
    chitieu = [[code, name, t.new_addresses, t.heads, t.value] for code, name, t in
               [*((u.code, u.name, u.targets) for u in result.units.values()),
                (result.parent_code, result.parent_name, result.targets)]]
    ledger = [[s.unit_code, s.unit_name, s.file, s.sheet, s.sha256, s.report_date, s.status, s.late,
               *s.rows.values(), s.errors, s.warnings, s.reason.text("vi") if s.reason else None]
              for s in result.submissions]
    ledger += [[code, None, None, None, None, None, "missing", False, 0, 0, 0, 0, 0, None] for code in result.missing]
    out = {
        "TongHop": pd.DataFrame(tonghop, columns=[*_FIXED, *codes]),
        "ChiTieu": pd.DataFrame(chitieu, columns=["Mã đơn vị", "Đơn vị", "Chỉ tiêu địa chỉ mới", "Số người đứng đầu",
                                                  "Chỉ tiêu giá trị (đồng)"]),
        "NopBaoCao": pd.DataFrame(ledger, columns=["Mã đơn vị", "Đơn vị", "Tệp", "Trang", "SHA-256", "Ngày lập báo cáo",
                                                   "Trạng thái", "Nộp muộn", *(f"Dòng {t.name}" for t in standard.TABLES),
                                                   "Lỗi", "Cảnh báo", "Lý do"]),
    }
    for spec in standard.TABLES:
        fields = [f for f in spec.fields if f.kind != standard.IGNORED and not f.provenance]
        rows = [[_clean(r.values.get(f.key)) for f in fields] + [r.unit, r.file, r.source_sheet, r.row]
                for r in result.merged[spec.name]]
        frame = pd.DataFrame(rows, columns=[*(f.header for f in fields), "Đơn vị nguồn", "Tệp nguồn", "Trang nguồn",
                                            "Dòng nguồn"])
        for f in fields:
            if f.kind == standard.DATE:
                frame[f.header] = pd.to_datetime(frame[f.header])
        out[spec.name] = frame
    pair_cols = ["Đơn vị", "Mã địa chỉ", "Họ và tên", "Năm sinh", "Mã xã", "Tệp", "Trang", "Dòng"]
    pairs = [[p.level, p.basis, *_side(p.a), *_side(p.b)] for p in result.duplicates]
    out["TrungLap"] = pd.DataFrame(pairs, columns=["Mức", "Căn cứ", *(f"{c} A" for c in pair_cols),
                                                   *(f"{c} B" for c in pair_cols)])
    out["LoaiTru"] = pd.DataFrame([[e.sheet, e.unit, e.file, e.source_sheet, e.row, e.reason.text("vi")]
                                   for e in result.excluded],
                                  columns=["Trang chuẩn", "Đơn vị", "Tệp", "Trang", "Dòng", "Lý do không tính"])
    issues = [[s.file, s.unit_code, SEVERITY_LABELS["vi"][i.severity], i.sheet, i.row, i.column, i.cell, i.value,
               i.message("vi"), i.hint("vi"), i.code]
              for s in result.submissions if s.report is not None for i in s.report.issues]
    out["Loi"] = pd.DataFrame(issues, columns=["Tệp", "Đơn vị", "Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị",
                                               "Nội dung", "Cách sửa", "Mã lỗi"])
    return out


def _clean(v: object) -> object:
    return ";".join(v) if isinstance(v, tuple) else v


def _side(row) -> list[object]:
    v = row.values
    return [row.unit, v.get("ma_dia_chi"), v.get("ho_ten"), v.get("nam_sinh"), v.get("ma_xa"), row.file,
            row.source_sheet, row.row]
