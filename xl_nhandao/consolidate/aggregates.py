"""Figures sent as given, without a register (SPEC §3 SoLieu, §5.3).

Two sources besides a standard workbook's own ``SoLieu`` sheet:

* the coordinators' classic "district sheets" workbook: one sheet per district or
  commune, each the same indicator table, the unit named by the sheet or by a
  ``Mã đơn vị`` cell above the table — each sheet is that unit's aggregate submission;
* a consolidation output (``TongHop`` sheet): the lines of units that had sent only
  figures are read back, so that consolidating consolidations keeps them.
"""

from __future__ import annotations

from pathlib import Path

from ..vn import adminunits
from ..vn.periods import parse_period
from ..vn.text import fix_text
from ..vn.values import is_blank, parse_date, parse_number
from ..workbook import indicators, standard
from ..workbook.source import WorkbookSource
from ..workbook.standard import header_key

TONGHOP = "TongHop"
#: The first columns of ``TongHop``; the indicator columns follow, headed by their labels.
TONGHOP_FIXED = ("Mã đơn vị", "Đơn vị", "Cấp", "Nguồn số liệu")
SOURCE_REGISTER = "Sổ đăng ký"
SOURCE_AGGREGATE = "Số liệu gửi"
SOURCE_TOTAL = "Tổng"
SOURCE_OVERLAP = "Trùng giữa đơn vị"
SOURCE_DISTRICT = "Cộng huyện"
CHITIEU = "ChiTieu"
CHITIEU_UNIT = "Mã đơn vị"
CHITIEU_NEW = "Chỉ tiêu địa chỉ mới"
CHITIEU_HEADS = "Số người đứng đầu"
CHITIEU_VALUE = "Chỉ tiêu giá trị (đồng)"

_BY_LABEL = {header_key(i.label): i.code for i in indicators.INDICATORS}
_BY_CODE = {header_key(i.code): i.code for i in indicators.INDICATORS}
_UNIT_LABELS = {header_key(x) for x in ("Mã đơn vị", "Mã huyện", "Mã xã", "Mã ĐV")}
_PERIOD_LABELS = {header_key(x) for x in ("Kỳ báo cáo", "Kỳ")}
_DATE_LABELS = {header_key(x) for x in ("Ngày lập báo cáo", "Ngày báo cáo")}


def indicator_code(text: object) -> str | None:
    """An indicator named by its code (``gia_tri_tro_giup``) or its label."""
    if not isinstance(text, str):
        return None
    key = header_key(fix_text(text)[0])
    return _BY_CODE.get(key) or _BY_LABEL.get(key)


def _value(raw: object) -> object:
    if isinstance(raw, str):
        from ..vn.text import fold

        f = fold(raw)
        if f in ("co", "dat", "x"):
            return True
        if f in ("khong", "khong dat"):
            return False
    v, code = parse_number(raw)
    return None if code else v


def _label_value(rows: list[list[object]], labels: set[str], limit: int) -> object:
    for row in rows[:limit]:
        for c, v in enumerate(row):
            if isinstance(v, str) and header_key(v) in labels:
                for w in row[c + 1:]:
                    if not is_blank(w):
                        return w
    return None


def read_unit_sheets(source: WorkbookSource, path: Path, name: str, sha: str, mtime: float) -> list:
    """The aggregate submissions of a "district sheets" workbook (already opened as
    ``source``); [] if it is not one."""
    from .model import Reason, Submission

    out = []
    shared_period = None
    tables = []
    for sheet in source.sheet_names():
        rows = source.read(sheet).rows
        header = None
        for r, row in enumerate(rows[:30]):
            keys = [header_key(v) if isinstance(v, str) else "" for v in row]
            if any(indicator_code(v) for v in row) or (header_key("Giá trị") in keys and
                                                       (header_key("Chỉ số") in keys or header_key("Mã chỉ số") in keys)):
                header = r
                break
        if header is None:
            continue
        figures: dict[str, object] = {}
        for row in rows[header:]:
            code = None
            for v in row[:3]:
                code = indicator_code(v)
                if code:
                    break
            if code is None:
                continue
            values = [v for v in row if (not is_blank(v) and not isinstance(v, str)) or
                      (isinstance(v, str) and _value(v) is not None)]
            if values:
                figures[code] = _value(values[-1])
        if not figures:
            continue
        unit_raw = _label_value(rows, _UNIT_LABELS, header + 1)
        period_raw = _label_value(rows, _PERIOD_LABELS, header + 1)
        date_raw = _label_value(rows, _DATE_LABELS, header + 1)
        if period_raw is not None:
            shared_period = shared_period or period_raw
        tables.append((sheet, figures, unit_raw, period_raw, date_raw))
    for sheet, figures, unit_raw, period_raw, date_raw in tables:
        sub = Submission(path, name, sha, mtime, kind="aggregate", sheet=sheet)
        code = _unit_code(unit_raw, sheet)
        if code is not None:
            unit = adminunits.lookup(code, "2004") if len(code) == 3 else adminunits.lookup(code, "2025")
            sub.unit_code = code
            if unit is not None:
                sub.unit_name, sub.level, sub.scheme = unit.name, unit.level, unit.scheme
        label = period_raw if period_raw is not None else shared_period
        sub.period = parse_period(str(label)) if label is not None else None
        if sub.period is None:
            sub.notes.append(Reason("no-period"))
        d, problem = parse_date(date_raw) if date_raw is not None else (None, None)
        sub.report_date = d if problem is None else None  # type: ignore[assignment]
        sub.stated = {code: figures} if code else {}
        out.append(sub)
    return out


def _unit_code(raw: object, sheet: str) -> str | None:
    for candidate in (raw, sheet):
        if candidate is None:
            continue
        text = str(int(candidate)) if isinstance(candidate, float) and candidate.is_integer() else str(candidate)
        digits = text.strip()
        if digits.isdigit():
            for width, scheme in ((3, "2004"), (5, "2025"), (2, "2025"), (5, "2004")):
                if len(digits) <= width:
                    code = digits.zfill(width)
                    if adminunits.lookup(code, scheme) is not None:
                        return code
    for level, scheme in (("Huyện", "2004"), ("Xã", "2025")):
        hits = adminunits.find_by_name(sheet, scheme, level)
        if len({u.code for u in hits}) == 1:
            return hits[0].code
    return None


def read_consolidation_targets(source: WorkbookSource) -> dict[str, indicators.Targets]:
    """The targets of each unit a consolidation output covers (its ``ChiTieu`` sheet)."""
    from ..vn.values import parse_int, parse_money

    if CHITIEU not in source.sheet_names():
        return {}
    rows = source.read(CHITIEU).rows
    want = {header_key(h): h for h in (CHITIEU_UNIT, CHITIEU_NEW, CHITIEU_HEADS, CHITIEU_VALUE)}
    for r, row in enumerate(rows[:20]):
        keys = {header_key(v): c for c, v in enumerate(row) if isinstance(v, str)}
        if all(k in keys for k in want):
            col = {want[k]: keys[k] for k in want}
            out: dict[str, indicators.Targets] = {}
            for line in rows[r + 1:]:
                code = line[col[CHITIEU_UNIT]] if col[CHITIEU_UNIT] < len(line) else ""
                if not isinstance(code, str) or not code.strip():
                    continue
                out[code.strip()] = indicators.Targets(
                    heads=_cell_number(line, col[CHITIEU_HEADS], parse_int),
                    new_addresses=_cell_number(line, col[CHITIEU_NEW], parse_int),
                    value=_cell_number(line, col[CHITIEU_VALUE], parse_money))
            return out
    return {}


def _cell_number(line: list[object], c: int, parse) -> int | None:
    if c >= len(line) or is_blank(line[c]):
        return None
    v, problem = parse(line[c])
    return None if problem else v


def read_consolidation_extras(source: WorkbookSource) -> dict[str, dict[str, object]]:
    """Units of a consolidation output that had sent only figures: unit → figures."""
    names = source.sheet_names()
    sheet = standard.find_sheet(names, standard.TableSheet(TONGHOP, "", ()))
    if sheet is None:
        return {}
    rows = source.read(sheet).rows
    fixed = [header_key(h) for h in TONGHOP_FIXED]
    for r, row in enumerate(rows[:20]):
        keys = [header_key(v) if isinstance(v, str) else "" for v in row]
        if fixed[0] in keys and fixed[3] in keys:
            unit_col, source_col = keys.index(fixed[0]), keys.index(fixed[3])
            columns = {c: indicator_code(v) for c, v in enumerate(row)}
            out: dict[str, dict[str, object]] = {}
            for line in rows[r + 1:]:
                if source_col >= len(line) or header_key(line[source_col]) != header_key(SOURCE_AGGREGATE):
                    continue
                code = str(line[unit_col]).strip()
                out[code] = {k: _value(line[c]) for c, k in columns.items() if k and c < len(line)
                             and not is_blank(line[c])}
            return out
    return {}
