"""``validate --annotate``: a copy of the clerk's workbook with every offending cell
coloured (red = error, yellow = warning) and commented, and a ``Loi`` sheet listing every
issue with a link to its cell.

Marks are recorded in a very hidden sheet so that annotating an annotated file (or
"Xóa đánh dấu" on the ribbon) first restores each cell's own fill and comment: marks
are replaced, never stacked. The copy is written with openpyxl, which cannot keep some
features (shapes, form controls, slicers, …): :func:`lost_features` names the ones a
file has, and the caller tells the user.

openpyxl is stricter than python-calamine, which read the file for the check, and less
careful with memory. Before openpyxl sees the file, an in-memory copy is repaired where
the file is broken in ways Excel shrugs off (:func:`_repair`): a merged range or a
hyperlink reaching ``XFD1048576`` is clipped to the cells the sheet has (openpyxl makes
an object for every cell of both), ``Z9:A2`` becomes ``A2:Z9``, a number cell holding
``nan`` keeps its text, a sheet name with control characters is cleaned, a style index
``fontId="1.5"`` is read as a whole number, a damaged ``[Content_Types].xml`` is
rebuilt from the parts. Whatever openpyxl still refuses is one clear line. Text a clerk
typed is written as text, never as a formula, wherever it lands in the copy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import io
import json
import re
import warnings
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from ..errors import RunError, printable
from ..i18n import Lang
from ..issues import SEVERITY_LABELS, Issue
from . import printing
from .guard import ZIP_ERRORS, Extent, check_file, walk_cells, xml_unescape
from .output import check_output, save_openpyxl

ISSUES_SHEET = "Loi"
MARKS_SHEET = "_xlnd_danh_dau"
AUTHOR = "xl-nhandao"
COMMAND = "annotate"
FILL = {"error": "FFC7CE", "warning": "FFEB9C"}
#: An openpyxl copy of more cells than this takes minutes and gigabytes; refused.
MAX_CELLS = 2_000_000
#: Cells openpyxl may make objects for under merged ranges and ranged hyperlinks.
MAX_RANGE_CELLS = 1_000_000
#: A merged range or ranged hyperlink larger than this is clipped to the sheet's cells.
BIG_RANGE = 10_000

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


def lost_features(path: Path | IO[bytes]) -> list[tuple[str, str]]:
    """Features of ``path`` (a file, or its bytes as a file object) that an openpyxl
    copy will not keep, as (vi, en) names."""
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
    except (KeyError, *ZIP_ERRORS):
        return out
    return out


def annotate_file(src: Path, issues: list[Issue], out: Path, lang: Lang = "vi", force: bool = False) -> list[str]:
    """Write the annotated copy of ``src`` to ``out`` with ``issues`` (a validation
    report's findings); return notices about features the copy cannot keep (one line
    each, in ``lang``)."""
    check_output(out, [src], force=force, command=COMMAND)
    check_file(src)
    lost = lost_features(src)
    wb, renamed, repaired = _open(src)
    if renamed:
        issues = [dataclasses.replace(i, sheet=renamed.get(i.sheet, i.sheet)) if i.sheet else i for i in issues]
    clear_marks(wb)
    mark(wb, issues, lang)
    wb.calculation.fullCalcOnLoad = True
    with _quiet(src):
        save_openpyxl(wb, out, COMMAND)
    notices = []
    if lost:
        names = ", ".join(vi if lang == "vi" else en for vi, en in lost)
        notices.append(f"Lưu ý: bản đánh dấu không giữ được {names} của tệp gốc; tệp gốc không bị thay đổi."
                       if lang == "vi" else
                       f"Note: the annotated copy cannot keep the original's {names}; the original is unchanged.")
    if repaired:
        what = ", ".join(_REPAIRS[r][0 if lang == "vi" else 1] for r in sorted(repaired))
        notices.append(f"Lưu ý: tệp gốc có chỗ không đúng chuẩn; bản đánh dấu đã sửa: {what}."
                       if lang == "vi" else f"Note: the original is not well-formed; the annotated copy repairs: {what}.")
    return notices


@contextlib.contextmanager
def _quiet(src: Path):
    """openpyxl's warnings (extensions it drops, dates out of range…) are not for the
    clerk; what it cannot do at all becomes one line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except RunError:
            raise
        except Exception as exc:
            text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
            raise RunError("annotate-unreadable", path=str(src),
                           detail=f"{type(exc).__name__}: {text}" if text else type(exc).__name__) from None


def _open(src: Path):
    """The workbook as openpyxl reads it, from a repaired copy when the file needs one;
    also the sheets renamed (old name → new) and the repairs made."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(src) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
    except ZIP_ERRORS as exc:
        raise RunError("corrupt", path=str(src), detail=str(exc)[:160] or type(exc).__name__) from None
    cells = sum(data.count(b"<c ") + data.count(b"<c>") + data.count(b":c ") for data in parts.values()
                if b"sheetData" in data)
    if cells > MAX_CELLS:
        raise RunError("annotate-too-large", path=str(src), cells=cells, limit=MAX_CELLS)
    renamed, repaired = _repair(parts)
    source = io.BytesIO()
    if repaired:
        with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
    else:
        source.write(src.read_bytes())
    source.seek(0)
    with _quiet(src):  # from memory: openpyxl leaves a file it fails on open
        wb = load_workbook(source, rich_text=True)
    return wb, renamed, repaired


# -- repairs of the in-memory copy -------------------------------------------------------
_REPAIRS = {
    "content-types": ("danh mục phần tệp [Content_Types].xml", "the part list [Content_Types].xml"),
    "characters": ("ký tự điều khiển hoặc thực thể XML không hợp lệ", "invalid control characters or XML entities"),
    "sheet-names": ("tên trang có ký tự không hợp lệ", "sheet names with invalid characters"),
    "styles": ("chỉ số kiểu định dạng sai (không phải số nguyên, hoặc không có)",
               "style indexes that are wrong (not whole numbers, or missing)"),
    "values": ("ô số hoặc ngày chứa giá trị không đọc được (nan, inf…), giữ dạng chữ",
               "number or date cells holding no number or date (nan, inf…), kept as text"),
    "far-cells": ("ô nằm ngoài giới hạn của Excel", "cells past Excel's last row or column"),
    "ranges": ("vùng gộp ô hoặc liên kết vượt xa dữ liệu, đảo ngược hoặc chồng nhau",
               "merged ranges or links far beyond the data, reversed or overlapping"),
}
_BAD_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});")
_BAD_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPLACEMENT = "\ufffd".encode()
#: ``&nbsp;`` and the like: XML knows five entities; python-calamine keeps the text as is.
_UNDEFINED_ENTITY = re.compile(rb"&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,10}|#x[0-9a-fA-F]{1,8});)")


def _xml_char_ok(cp: int) -> bool:
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF


def _clean_chars(data: bytes) -> bytes:
    """XML 1.0 forbids most control characters, raw or as ``&#1;``; python-calamine
    reads them, openpyxl's parser refuses the whole part. They become U+FFFD."""
    def ref(m: re.Match[bytes]) -> bytes:
        text = m.group(1)
        cp = int(text[1:], 16) if text[:1] in (b"x", b"X") else int(text)
        return m.group(0) if _xml_char_ok(cp) else _REPLACEMENT

    data = _BAD_CHAR_REF.sub(ref, data)
    data = _BAD_BYTES.sub(_REPLACEMENT, data)
    data = _UNDEFINED_ENTITY.sub(b"&amp;", data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = data.decode("utf-8", "replace").encode("utf-8")
    return data


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _repair(parts: dict[str, bytes]) -> tuple[dict[str, str], set[str]]:
    """Repair ``parts`` in place; return the sheets renamed and the kinds of repair."""
    repaired: set[str] = set()
    renamed: dict[str, str] = {}
    if "xl/workbook.xml" in parts:  # names first: the checked issues name sheets as they were
        parts["xl/workbook.xml"], renamed = _fix_sheet_names(parts["xl/workbook.xml"])
        if renamed:
            repaired.add("sheet-names")
    for name, data in parts.items():
        if _is_xml(name) and (_BAD_BYTES.search(data) or _UNDEFINED_ENTITY.search(data) or b"&#" in data):
            fixed = _clean_chars(data)
            if fixed != data:
                parts[name] = fixed
                repaired.add("characters")
    if "xl/styles.xml" in parts:
        fixed = _clamp_style_ids(_STYLE_INDEX.sub(_whole_number, parts["xl/styles.xml"]))
        if fixed != parts["xl/styles.xml"]:
            parts["xl/styles.xml"] = fixed
            repaired.add("styles")
    if "docProps/custom.xml" in parts:
        fixed = _PID.sub(_whole_number, parts["docProps/custom.xml"])
        if fixed != parts["docProps/custom.xml"]:
            parts["docProps/custom.xml"] = fixed
            repaired.add("styles")
    styles = _style_count(parts.get("xl/styles.xml"))
    for name, data in list(parts.items()):
        if _is_xml(name) and b"sheetData" in data:
            fixed, kinds = _repair_sheet(data, styles)
            if kinds:
                parts[name] = fixed
                repaired |= kinds
    types = parts.get("[Content_Types].xml")
    try:
        ok = types is not None and ElementTree.fromstring(types) is not None
    except ElementTree.ParseError:
        ok = False
    if not ok:
        parts["[Content_Types].xml"] = _content_types(parts)
        repaired.add("content-types")
    return renamed, repaired


#: Indexes openpyxl reads as whole numbers: in the styles part, and on cells, rows, columns.
_STYLE_INDEX = re.compile(rb'(\s(?:numFmtId|fontId|fillId|borderId|xfId)=")([^"]*)(")')
_CELL_STYLE = re.compile(rb'(<(?:c|row)\b[^>]*?\ss="|<col\b[^>]*?\sstyle=")([^"]*)(")')


_PID = re.compile(rb'(\spid=")([^"]*)(")')
_LIST = {b"fontId": b"fonts", b"fillId": b"fills", b"borderId": b"borders", b"xfId": b"cellStyleXfs"}
_ITEM = {b"fonts": b"font", b"fills": b"fill", b"borders": b"border", b"cellStyleXfs": b"xf"}
_XF_INDEX = re.compile(rb'(<(?:[\w.-]+:)?xf\b[^>]*?\s)(fontId|fillId|borderId|xfId)="(\d+)"')


def _clamp_style_ids(styles: bytes) -> bytes:
    """A cell format pointing past the fonts, fills, borders or base formats there are
    (openpyxl fails with an IndexError) points at the first one instead."""
    counts = {}
    for key, tag in _ITEM.items():
        m = re.search(rb"<(?:[\w.-]+:)?" + key + rb"\b[^>]*>(.*?)</(?:[\w.-]+:)?" + key + rb">", styles, re.S)
        counts[key] = len(re.findall(rb"<(?:[\w.-]+:)?" + tag + rb"[\s/>]", m.group(1))) if m else 0

    def clamp(m: re.Match[bytes]) -> bytes:
        limit = counts[_LIST[m.group(2)]]
        return m.group(0) if int(m.group(3)) < max(limit, 1) else m.group(1) + m.group(2) + b'="0"'

    return _XF_INDEX.sub(clamp, styles)


def _whole_number(m: re.Match[bytes]) -> bytes:
    value = m.group(2)
    if value.isdigit():
        return m.group(0)
    try:
        number = int(float(value))
    except (ValueError, OverflowError):
        number = 0
    return m.group(1) + str(max(number, 0)).encode() + m.group(3)


_SHEET_NAME = re.compile(rb"""(<(?:[\w.-]+:)?sheet\b[^>]*?\sname\s*=\s*)(?:"([^"]*)"|'([^']*)')""")
_TITLE_BAD = re.compile(r"[\\*?:/\[\]\x00-\x1f\x7f]")


def _fix_sheet_names(data: bytes) -> tuple[bytes, dict[str, str]]:
    """Sheet names openpyxl refuses (``\\ / ? * [ ] :``, control characters, empty):
    each bad character becomes ``_``."""
    renamed: dict[str, str] = {}

    def fix(m: re.Match[bytes]) -> bytes:
        raw = (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace")
        name = xml_unescape(raw)
        clean = _TITLE_BAD.sub("_", name) or "_"
        if clean == name:
            return m.group(0)
        renamed[name] = clean
        return m.group(1) + b'"' + html.escape(clean, quote=True).encode() + b'"'

    return _SHEET_NAME.sub(fix, data), renamed


_CT_DEFAULTS = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml",
                "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
                "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
                "emf": "image/x-emf", "wmf": "image/x-wmf", "bin": "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"}
_CT_OVERRIDES = [
    (re.compile(r"^xl/workbook\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    (re.compile(r"^xl/worksheets/[^/]+\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
    (re.compile(r"^xl/chartsheets/[^/]+\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"),
    (re.compile(r"^xl/styles\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
    (re.compile(r"^xl/sharedStrings\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"),
    (re.compile(r"^xl/theme/[^/]+\.xml$"), "application/vnd.openxmlformats-officedocument.theme+xml"),
    (re.compile(r"^xl/comments[^/]*\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"),
    (re.compile(r"^xl/drawings/[^/]+\.xml$"), "application/vnd.openxmlformats-officedocument.drawing+xml"),
    (re.compile(r"^xl/charts/chart[^/]*\.xml$"), "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"),
    (re.compile(r"^xl/tables/[^/]+\.xml$"), "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"),
    (re.compile(r"^docProps/core\.xml$"), "application/vnd.openxmlformats-package.core-properties+xml"),
    (re.compile(r"^docProps/app\.xml$"), "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    (re.compile(r"^docProps/custom\.xml$"), "application/vnd.openxmlformats-officedocument.custom-properties+xml"),
]


def _content_types(parts: dict[str, bytes]) -> bytes:
    """``[Content_Types].xml`` rebuilt from the names of the parts."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
    for ext, ctype in _CT_DEFAULTS.items():
        lines.append(f'<Default Extension="{ext}" ContentType="{ctype}"/>')
    for name in sorted(parts):
        for pattern, ctype in _CT_OVERRIDES:
            if pattern.match(name):
                lines.append(f'<Override PartName="/{html.escape(name, quote=True)}" ContentType="{ctype}"/>')
                break
    lines.append("</Types>")
    return "".join(lines).encode()


#: A ``<v>`` that is not a plain number (or has a 3-digit exponent): worth a look.
_ODD_VALUE = re.compile(rb"<v>(?![-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d{1,2})?</v>)([^<]*)</v>")
_CELL_OPEN = re.compile(rb"<c\b([^>]*)>")
_T_ATTR = re.compile(rb"""\st\s*=\s*["']([^"']*)["']""")
_MERGE = re.compile(rb"""(<(?:[\w.-]+:)?mergeCell\b[^>]*?\sref\s*=\s*)(?:"([^"]*)"|'([^']*)')([^>]*>)""")
_MERGES = re.compile(rb"<(?:[\w.-]+:)?mergeCells\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?mergeCells>)", re.S)
_HYPERLINK = re.compile(rb"""<(?:[\w.-]+:)?hyperlink\b[^>]*?\sref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>""")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


def _number_ok(text: bytes) -> bool:
    """Whether openpyxl reads this ``<v>`` of a number cell as a finite number."""
    try:
        value = float(text) if (b"." in text or b"e" in text or b"E" in text) else int(text)
    except ValueError:
        return False
    return value == value and value not in (float("inf"), float("-inf"))


def _date_ok(text: bytes) -> bool:
    from openpyxl.utils.datetime import from_ISO8601

    try:
        from_ISO8601(text.decode("ascii"))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return False
    return True


_STYLE_USE = re.compile(rb'\ss="(\d+)"')
_XF_COUNT = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b.*?</(?:[\w.-]+:)?cellXfs>", re.S)


def _style_count(styles: bytes | None) -> int | None:
    m = _XF_COUNT.search(styles or b"")
    return None if m is None else len(re.findall(rb"<(?:[\w.-]+:)?xf\b", m.group(0)))


def _repair_sheet(data: bytes, styles: int | None = None) -> tuple[bytes, set[str]]:
    kinds: set[str] = set()
    # Cells whose value openpyxl cannot read — a number cell holding nan, inf or 1e400, a
    # date cell holding no ISO date — keep their text.
    edits: list[tuple[int, int, bytes]] = []
    for m in _ODD_VALUE.finditer(data):
        start = data.rfind(b"<c", 0, m.start())
        tag = _CELL_OPEN.match(data, start) if start >= 0 else None
        if tag is None or tag.end() > m.start():
            continue
        t = _T_ATTR.search(tag.group(1))
        kind = b"n" if t is None or t.group(1) == b"" else t.group(1)
        if (kind == b"n" and not _number_ok(m.group(1))) or (kind == b"d" and not _date_ok(m.group(1))):
            attrs = _T_ATTR.sub(b"", tag.group(1)).rstrip(b"/")
            edits.append((tag.start(), tag.end(), b"<c" + attrs + b' t="str">'))
    if edits:
        out, pos = [], 0
        for a, b, text in edits:
            out += [data[pos:a], text]
            pos = b
        data = b"".join([*out, data[pos:]])
        kinds.add("values")
    if re.search(rb'\s(?:s|style)="(?!\d+")', data):
        fixed = _CELL_STYLE.sub(_whole_number, data)
        if fixed != data:
            data = fixed
            kinds.add("styles")
    if styles and max(map(int, set(_STYLE_USE.findall(data))), default=0) >= styles:
        data = _STYLE_USE.sub(lambda m: m.group(0) if int(m.group(1)) < styles else b' s="0"', data)
        kinds.add("styles")
    if _PAST_EXCEL.search(data):
        fixed = _EMPTY_CELL.sub(_drop_past_excel, data)
        if fixed != data:
            data = fixed
            kinds.add("far-cells")
    if b"mergeCell" in data or b"hyperlink" in data:
        fixed = _clip_ranges(data)
        if fixed != data:
            data = fixed
            kinds.add("ranges")
    return data, kinds


#: A reference past XFD1048576 (or close enough to look at); openpyxl cannot place it.
_PAST_EXCEL = re.compile(rb'<c r="(?:[A-Za-z]{3,}|[A-Za-z]{1,2}\d{7,})')
_EMPTY_CELL = re.compile(rb'<c r="([A-Za-z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def _drop_past_excel(m: re.Match[bytes]) -> bytes:
    """A cell past Excel's last column or row cannot be in a workbook; python-calamine
    skips it when empty, and the check refuses a sheet it reads that has one with a value.
    The copy drops it."""
    letters, row = m.group(1).upper(), int(m.group(2))
    past = len(letters) > 3 or (len(letters) == 3 and letters > b"XFD") or row > 1_048_576
    return b"" if past else m.group(0)


def _parse_range(text: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils.cell import column_index_from_string

    m = _RANGE.match(text.strip())
    if not m:
        return None
    try:
        c0, r0 = column_index_from_string(m.group(1).upper()), int(m.group(2))
        c1 = column_index_from_string(m.group(3).upper()) if m.group(3) else c0
        r1 = int(m.group(4)) if m.group(4) else r0
    except ValueError:
        return None
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def _clip_ranges(data: bytes) -> bytes:
    """Merged ranges and ranged hyperlinks normalised (``Z9:A2`` is ``A2:Z9``); a large
    one (over BIG_RANGE cells) clipped to the cells the sheet has; repeats, overlaps and
    anything past MAX_RANGE_CELLS cells in all dropped. Ranges of a sound file come out
    as they went in."""
    from openpyxl.utils.cell import get_column_letter

    extent: list[Extent] = []
    budget = MAX_RANGE_CELLS
    covered: set[tuple[int, int]] = set()

    def clip(text: str, merge: bool) -> str | None:
        nonlocal budget
        box = _parse_range(text)
        if box is None:
            return None
        r0, c0, r1, c1 = box
        if (r1 - r0 + 1) * (c1 - c0 + 1) > BIG_RANGE:
            if not extent:
                extent.append(walk_cells([data], empty_too=True))
            if r0 > extent[0].rows or c0 > extent[0].cols:
                return None  # a large range past every cell
            r1, c1 = min(r1, extent[0].rows), min(c1, extent[0].cols)
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > budget or (merge and area == 1):
            return None
        budget -= area
        if merge:
            cells = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
            if any(cell in covered for cell in cells):
                return None
            covered.update(cells)
        return f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"

    def merge(m: re.Match[bytes]) -> bytes:
        text = (m.group(2) if m.group(2) is not None else m.group(3)).decode("ascii", "replace")
        new = clip(text, True)
        if new is None:
            return b""
        if new == text:
            return m.group(0)
        return m.group(1) + b'"' + new.encode() + b'"' + m.group(4)

    def block(m: re.Match[bytes]) -> bytes:
        inner = _MERGE.sub(merge, m.group(0))
        return inner if _MERGE.search(inner) else b""

    data = _MERGES.sub(block, data)

    def link(m: re.Match[bytes]) -> bytes:
        text = (m.group(1) if m.group(1) is not None else m.group(2)).decode("ascii", "replace")
        if ":" not in text:
            return m.group(0)
        new = clip(text, False)
        if new is None:
            return b""
        return m.group(0) if new == text else m.group(0).replace(text.encode(), new.encode(), 1)

    return _HYPERLINK.sub(link, data)


def clear_marks(wb) -> int:
    """Restore every cell marked by an earlier annotation; remove the ``Loi`` sheet.
    Returns the number of cells restored."""
    from openpyxl.comments import Comment
    from openpyxl.styles.fills import GradientFill, PatternFill
    from openpyxl.xml.functions import fromstring

    restored = 0
    if MARKS_SHEET in wb.sheetnames and _is_store(wb[MARKS_SHEET]):
        ws = wb[MARKS_SHEET]
        for row in ws.iter_rows(min_row=2, max_col=4, values_only=True):
            sheet, ref, fill_xml, comment_json = (*row, None, None, None, None)[:4]
            if not isinstance(sheet, str) or sheet not in wb.sheetnames or not isinstance(ref, str):
                continue
            try:  # a store edited by hand, or damaged, restores what it can
                cell = wb[sheet][ref]
                if fill_xml:
                    node = fromstring(fill_xml)
                    cls = GradientFill if node.tag.endswith("gradientFill") else PatternFill
                    cell.fill = cls.from_tree(node)
                else:
                    cell.fill = PatternFill()
                if comment_json:
                    c = json.loads(comment_json)
                    cell.comment = Comment(str(c["text"]), str(c.get("author") or ""))
                else:
                    cell.comment = None
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, SyntaxError):
                continue
            restored += 1
        del wb[MARKS_SHEET]
    if ISSUES_SHEET in wb.sheetnames:
        del wb[ISSUES_SHEET]
    return restored


def _visible_cell(ws, ref: str) -> str:
    """The cell that shows ``ref``: itself, or the first cell of the merged range it is
    in (a merged Thôn read for every row it covers is marked where the clerk sees it;
    openpyxl cannot colour or comment the hidden cells of a merge)."""
    from openpyxl.cell.cell import MergedCell

    if not isinstance(ws[ref], MergedCell):
        return ref
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return rng.start_cell.coordinate
    return ref


def _is_store(ws) -> bool:
    """Whether a sheet called MARKS_SHEET is this tool's store of original marks (a
    clerk's own sheet of that name is left alone)."""
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=4, values_only=True), ())
    return list(first) == list(STORE_HEADER)


#: The first row of the store of original marks (shared with the ribbon's live marking,
#: ``xl_nhandao/addin/marks.py``, which adds two columns after these four).
STORE_HEADER = ("Trang", "Ô", "Tô nền gốc", "Ghi chú gốc")
#: Between a clerk's own note and the tool's lines in a marked cell's note.
NOTE_SEPARATOR = f"\n— {AUTHOR}:\n"
#: The ``Loi`` sheet's columns, by language.
ISSUE_HEADERS = {
    "vi": ("Mức độ", "Trang", "Dòng", "Cột", "Ô", "Giá trị", "Nội dung", "Cách sửa", "Mã lỗi"),
    "en": ("Severity", "Sheet", "Row", "Column", "Cell", "Value", "Message", "Hint", "Code"),
}


def note_lines(issues: list[Issue], lang: Lang) -> list[str]:
    """The lines of a marked cell's note: each issue's message and what to do."""
    return [_cell_text(f"• {i.message(lang)}" + (f" → {i.hint(lang)}" if i.hint(lang) else "")) for i in issues]


def mark(wb, issues: list[Issue], lang: Lang) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.xml.functions import tostring

    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for i in issues:
        if i.sheet and i.cell and i.sheet in wb.sheetnames and i.severity in FILL:
            by_cell[(i.sheet, _visible_cell(wb[i.sheet], i.cell))].append(i)
    store = wb.create_sheet(MARKS_SHEET)
    _append_text(store, list(STORE_HEADER))
    for (sheet, ref), cell_issues in by_cell.items():
        cell = wb[sheet][ref]
        fill = cell.fill
        original_fill = tostring(fill.to_tree()).decode() if fill is not None and fill.fill_type else ""
        comment = cell.comment
        original_comment = (
            json.dumps({"text": comment.text, "author": comment.author}, ensure_ascii=False) if comment else ""
        )
        _append_text(store, [sheet, ref, original_fill, original_comment])
        worst = "error" if any(i.severity == "error" for i in cell_issues) else "warning"
        cell.fill = PatternFill("solid", fgColor=FILL[worst])
        lines = note_lines(cell_issues, lang)
        text = "\n".join(lines)
        if comment:
            text = f"{comment.text}{NOTE_SEPARATOR}{text}"
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
    headers = list(ISSUE_HEADERS[lang])
    ws.append(headers)
    bold = Font(name="Calibri", bold=True)  # the body's font (a font-less bold prints wider in LibreOffice)
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for c in ws[1]:
        c.font = bold
        c.fill = PatternFill("solid", fgColor="F2DCDB")
        c.alignment = header_align
    link_font = Font(name="Calibri", color="0563C1", underline="single")  # named, as the body: a font-less link prints in another face
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for i in issues:
        _append_text(ws, [names[i.severity], i.sheet, i.row, i.column, i.cell, i.value, i.message(lang),
                          i.hint(lang), i.code])
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
    printing.a4_setup(ws, landscape=True, title_rows="1:1", lang=lang)


#: Widths of the Loi sheet's columns (Mức độ … Mã lỗi) and the ones whose text wraps.
_ISSUE_WIDTHS = (10, 11, 7, 16, 7, 16, 50, 42, 20)
_WRAPPED = {2, 4, 6, 7, 8}


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(text: str) -> str:
    """Text a cell can hold: the control characters XML forbids shown as escapes."""
    return printable(text) if _ILLEGAL.search(text) else text


def _append_text(ws, values: list[object]) -> None:
    """Append a row whose text stays text: a clerk's ``="X"&T(N(1))`` shown in the
    ``Loi`` sheet must not become a live formula (openpyxl makes any string starting
    with ``=`` one), and nothing is prefixed to it."""
    ws.append([_cell_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _quote(sheet: str) -> str:
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else "'" + sheet.replace("'", "''") + "'"


def clear_file(src: Path, out: Path, force: bool = False) -> int:
    """Write a copy of ``src`` without earlier marks (the ribbon's "Xóa đánh dấu")."""
    check_output(out, [src], force=force, command="clear-marks")
    check_file(src)
    wb, _, _ = _open(src)
    n = clear_marks(wb)
    with _quiet(src):
        save_openpyxl(wb, out, "clear-marks")
    return n
