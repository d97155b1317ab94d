"""Fuzz ``xl-nhandao`` with hostile and damaged workbooks.

Builds a few real workbooks (a commune register in the standard template with clerks'
quirks, the same register written fast by XlsxWriter with shared strings, the blank
standard workbook, a district consolidation), then for each case mutates one of them —
byte flips, truncation, XML mutations inside the zip, zip bombs, huge extents, odd
values, formula payloads in text cells, odd sheet and file names, a named pipe — and
runs

    xl-nhandao validate FILE
    xl-nhandao validate FILE --json
    xl-nhandao validate FILE --annotate OUT.xlsx
    xl-nhandao consolidate FOLDER -o OUT.xlsx --json      (FILE beside a sound workbook)

as child processes (``python -m xl_nhandao``, POSIX: memory limits, timers, named pipes)
with a memory limit and a timeout, or, with
``--in-process``, by calling the command line's ``main`` in this process (faster; the
same checks, standard error captured at the file-descriptor level). It asserts:

* the exit code is 0, 1 or 2, within the time and memory given;
* exit 2 prints exactly one line on standard error and nothing on standard output;
* no traceback, panic or internal error appears anywhere;
* ``--json`` prints one JSON document (exit 0/1), and nothing else on standard output;
* the inputs are unchanged (SHA-256 before and after) and nothing is left behind: the
  output exists exactly when the command succeeded, no temporary file remains;
* no output cell is a formula made of text that was in the input (payloads carry the
  marker ``XLNDPWN``; no ``<f>`` of an output may hold it);
* in a consolidation, the sound workbook beside the hostile one is still used.

    python scripts/fuzz.py --cases 300 --seed 1            # a few minutes
    python scripts/fuzz.py --cases 5000 --seed 7 --jobs 2  # thousands, on demand
    python scripts/fuzz.py --cases 300 --in-process        # what the test suite runs

It prints a summary (cases, exit codes per command, failures with the mutations that
caused them) and exits 1 when any case failed. ``--case N`` replays one case.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "XLNDPWN"
PERIOD, PARENT, COMMUNE, COMPANION = "2024", "56", "22333", "22366"
NOT_UTF8 = "standard output is not UTF-8"
FORBIDDEN = ("Traceback", "panicked", "PanicException", "RUST_BACKTRACE", "stack backtrace", "Lỗi nội bộ",
             "Internal error", NOT_UTF8)
COMMANDS = ("validate", "json", "annotate", "consolidate")
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


# -- the workbooks mutated ----------------------------------------------------------------
def build_seeds(folder: Path) -> dict[str, bytes]:
    """The sound workbooks every case starts from, by name, and the companion."""
    import warnings

    from xl_nhandao.consolidate import consolidate
    from xl_nhandao.demo.synth import make_unit, write_unit
    from xl_nhandao.workbook.blank import create

    warnings.simplefilter("ignore")
    folder.mkdir(parents=True, exist_ok=True)
    seeds = {}
    unit = make_unit(COMMUNE, PERIOD, seed=3, n_addresses=8)
    seeds["template"] = write_unit(unit, folder / "template.xlsx", "template",
                                   quirks=("tcvn3", "title", "total", "extra_column"), seed=3).read_bytes()
    seeds["fast"] = write_unit(unit, folder / "fast.xlsx", "fast").read_bytes()
    create(folder / "blank.xlsx", COMMUNE, "2025", PERIOD)
    seeds["blank"] = (folder / "blank.xlsx").read_bytes()
    other = write_unit(make_unit("22390", PERIOD, seed=4, n_addresses=5), folder / "b.xlsx", "fast")
    consolidate([folder / "fast.xlsx", other], PERIOD).save(folder / "district.xlsx")
    seeds["consolidation"] = (folder / "district.xlsx").read_bytes()
    companion = write_unit(make_unit(COMPANION, PERIOD, seed=5, n_addresses=5), folder / "companion.xlsx", "fast")
    seeds["companion"] = companion.read_bytes()
    # The same register as Excel 97–2003 and OpenDocument files: consolidate reads them.
    grid = _grid(seeds["fast"])
    seeds["ods"] = _write_ods(grid)
    xls = _write_xls(grid)
    if xls is not None:
        seeds["xls"] = xls
    return seeds


def _grid(data: bytes) -> dict[str, list[list[object]]]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def _write_xls(grid: dict[str, list[list[object]]]) -> bytes | None:
    try:
        import xlwt  # a development dependency
    except ImportError:
        return None
    from datetime import date

    wb = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in grid.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, date):
                    ws.write(r, c, v, dates)
                elif v != "":
                    ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _write_ods(grid: dict[str, list[list[object]]]) -> bytes:
    from datetime import date, datetime

    def cell(v: object) -> str:
        if v == "" or v is None:
            return "<table:table-cell/>"
        if isinstance(v, bool):
            return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"/>'
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                    "</table:table-cell>")
        if isinstance(v, (date, datetime)):
            return f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"/>'
        return f'<table:table-cell office:value-type="string"><text:p>{_esc(str(v))}</text:p></table:table-cell>'

    tables = "".join(f'<table:table table:name="{_esc(name)}">' + "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) + "</table:table>"
        for name, rows in grid.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), "application/vnd.oasis.opendocument.spreadsheet",
                    zipfile.ZIP_STORED)
        zf.writestr(zipfile.ZipInfo("content.xml", ZIP_TIME), content, zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("META-INF/manifest.xml", ZIP_TIME), manifest, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# -- mutations --------------------------------------------------------------------------
class Parts(dict):
    """The members of a workbook (name → bytes), in order."""

    @classmethod
    def of(cls, data: bytes) -> Parts:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return cls((i.filename, zf.read(i)) for i in zf.infolist())

    def pack(self, extra: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names are a mutation
                for name, data in [*self.items(), *extra]:
                    zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        return buf.getvalue()

    def sheets(self) -> list[str]:
        return [n for n in self if n.startswith("xl/worksheets/") and n.endswith(".xml")]


@dataclass
class Case:
    index: int
    seed_name: str
    data: bytes = b""
    name: str = "so.xlsx"
    pipe: bool = False
    mutations: list[str] = field(default_factory=list)


ODD_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "-Infinity", "-1e12", "-1.1e11", "-1E+300", "1e308",
               "1e400", "-1e400", "-0", "", " 5", "0x10", "1_000", "9" * 30, "4e-324", "2958466", "-1", "60",
               "1e12", "1e10", "-1e11", "+5", "1.5.2", "٣"]
DATE_FORMATS = [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]
PAYLOADS = ['="XLNDPWN"&T(N(1))', "=XLNDPWN()", "+XLNDPWN+1", "-XLNDPWN+1", "@XLNDPWN",
            "=cmd|' /C calc'!A0 XLNDPWN", '=HYPERLINK("http://x","XLNDPWN")', "\t=XLNDPWN()", "XLNDPWN=1+1",
            "==XLNDPWN", "=SUM(1)+XLNDPWN"]
ODD_TEXTS = ["\x01", "&#1;", "&#x0;", "&#xD800;", "&#xFFFE;", "a\u202eb", "\ufeff", "_x0001_", "\r\n", "x" * 40000,
             "<![CDATA[<c r=\"XFD1\">]]>", "&undefined;", "Nguyễn\u0000Văn", "\udcff", "NguyÔn V¨n An"]
FAR_REFS = ["XFD20000", "XFD1048576", "A1048576", "A99999999", "ZZZZ5", "AA700000", "Z599999", "AZ99999",
            "IV65536", "XFE1", "A600001", "ZZ9999", "XFD1", "C0", "a5", "$B$7", "A01048576"]
ATTR_VALUES = ["", "-1", "0", "1.5", "abc", "99999999999", "2147483648", "1e308", "NaN", "XFD1048576",
               "A1:XFD1048576", "Z9:A2", "&#1;", "x" * 5000, "🙂", "-0"]
SHEET_NAMES = ["Dia\x01Chi", "Dia&#1;Chi", "=DiaChi", "Dia/Chi", "[DiaChi]", "", "x" * 100, "Loi",
               "_xlnd_danh_dau", "ThongTin", "Dia\nChi", "DiaChi ", "ĐỊA CHỈ"]
FILE_NAMES = ["sổ mới.xlsx", "so\nmoi.xlsx", "so moi.xlsx", "SO.XLSX", "so.xls", "so.ods", "so.xlsm",
              "so\x01.xlsx", "-so.xlsx", "so" + "x" * 200 + ".xlsx", "so\udcff.xlsx", "so.ODS", "so.XLS"]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _pick_cell(rng: random.Random, xml: bytes) -> re.Match[bytes] | None:
    cells = list(re.finditer(rb"<c\b[^>]*?(?:/>|>.*?</c>)", xml, re.S))
    return rng.choice(cells) if cells else None


def _replace_cell(rng: random.Random, xml: bytes, new: Callable[[str], str]) -> tuple[bytes, str]:
    m = _pick_cell(rng, xml)
    if m is None:
        return xml.replace(b"</sheetData>", new("B5").encode() + b"</sheetData>"), "B5"
    ref = re.search(rb'\br="([^"]*)"', m.group(0))
    r = ref.group(1).decode() if ref else "B5"
    return xml[: m.start()] + new(r).encode("utf-8", "surrogatepass") + xml[m.end() :], r


def _add_date_style(parts: Parts, fmt: int) -> int:
    styles = parts.get("xl/styles.xml", b"")
    m = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    if not m:
        return 0
    n = len(re.findall(rb"<xf\b", m.group(1)))
    xf = f'<xf numFmtId="{fmt}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'.encode()
    parts["xl/styles.xml"] = styles[: m.end(1)] + xf + styles[m.end(1) :]
    return n


def m_flip(rng: random.Random, case: Case) -> str:
    data = bytearray(case.data)
    k = rng.choice([1, 2, 8, 64])
    for _ in range(k):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    case.data = bytes(data)
    return f"flip({k} bits)"


def m_truncate(rng: random.Random, case: Case) -> str:
    at = rng.randrange(len(case.data))
    case.data = case.data[:at]
    return f"truncate({at})"


def m_garbage(rng: random.Random, case: Case) -> str:
    kind = rng.choice(["text", "random", "empty", "ole", "pk"])
    case.data = {"text": "Danh sách hộ nghèo\nNguyễn Văn A".encode(), "random": rng.randbytes(2000),
                 "empty": b"", "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(3000),
                 "pk": b"PK\x03\x04" + rng.randbytes(500)}[kind]
    return f"garbage({kind})"


def m_member(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    name = rng.choice(list(parts))
    data = parts[name]
    op = rng.choice(["flip", "truncate", "drop", "duplicate", "rename", "garbage", "delete-element",
                     "duplicate-element", "attribute", "control"])
    if op == "flip" and data:
        b = bytearray(data)
        for _ in range(rng.choice([1, 4, 16])):
            b[rng.randrange(len(b))] = rng.randrange(256)
        parts[name] = bytes(b)
    elif op == "truncate":
        parts[name] = data[: rng.randrange(len(data) + 1)]
    elif op == "drop":
        del parts[name]
    elif op == "duplicate":
        case.data = parts.pack([(name, data[: len(data) // 2])])
        return f"member({name}, duplicate)"
    elif op == "rename":
        parts[rng.choice([name.upper(), name.replace("/", "\\"), name + ".bak"])] = parts.pop(name)
    elif op == "garbage":
        parts[name] = rng.randbytes(rng.choice([0, 10, 1000]))
    elif op in ("delete-element", "duplicate-element"):
        els = list(re.finditer(rb"<(\w[\w:]*)\b[^>]*?(?:/>|>.*?</\1>)", data, re.S))
        if els:
            e = rng.choice(els)
            mid = b"" if op == "delete-element" else e.group(0) * 2
            parts[name] = data[: e.start()] + mid + data[e.end() :]
    elif op == "attribute":
        attrs = list(re.finditer(rb'(\s[\w:]+=")([^"]*)(")', data))
        if attrs:
            a = rng.choice(attrs)
            v = rng.choice(ATTR_VALUES).encode()
            parts[name] = data[: a.start(2)] + v + data[a.end(2) :]
            op = f"attribute {a.group(1).strip().decode(errors='replace')}{v[:20].decode(errors='replace')}"
    elif op == "control" and data:
        at = rng.randrange(len(data))
        parts[name] = data[:at] + rng.choice([b"\x01", b"&#1;", b"\x00", b"\xff\xfe", b"&#xD800;"]) + data[at:]
    case.data = parts.pack()
    return f"member({name}, {op})"


def m_bomb(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    kind = rng.choice(["part", "declared", "members", "sheet"])
    if kind == "part":
        case.data = parts.pack([("xl/media/image1.bin", bytes(64 * 1024 * 1024 + 1))])
    elif kind == "sheet":
        sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
        parts[sheet] = parts.get(sheet, b"").replace(b"</sheetData>", b"<row/>" * (9 * 1024 * 1024) + b"</sheetData>")
        case.data = parts.pack()
    elif kind == "members":
        case.data = parts.pack([(f"xl/media/x{i}.bin", b"") for i in range(5000)])
    else:  # the central directory announces 3 GiB
        data = bytearray(parts.pack())
        at = data.rfind(b"PK\x01\x02")
        data[at + 24 : at + 28] = (3 * 1024**3).to_bytes(4, "little")
        case.data = bytes(data)
    return f"bomb({kind})"


def m_far_cell(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
    ref = rng.choice(FAR_REFS)
    row = re.sub(r"\D", "", ref) or "1"
    kind = rng.choice(["value", "empty", "string", "row-only", "no-r"])
    cell = {"value": f'<c r="{ref}"><v>1</v></c>', "empty": f'<c r="{ref}" s="1"/>',
            "string": f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>', "row-only": "",
            "no-r": "<c><v>1</v></c>" * rng.choice([1, 20000])}[kind]
    parts[sheet] = parts.get(sheet, b"").replace(b"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>'.encode())
    case.data = parts.pack()
    return f"far-cell({sheet.rsplit('/', 1)[-1]}, {ref}, {kind})"


def m_ranges(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
    xml = parts.get(sheet, b"")
    kind = rng.choice(["merges", "reversed", "hyperlink", "dimension", "cols", "rless"])
    if kind == "merges":
        n = rng.choice([1, 100, 20000])
        refs = "".join(f'<mergeCell ref="A{3 + i % 50}:XFD1048576"/>' for i in range(n))
        xml = re.sub(rb"<mergeCells\b.*?</mergeCells>", b"", xml, flags=re.S)
        xml = xml.replace(b"</sheetData>", f"</sheetData><mergeCells>{refs}</mergeCells>".encode(), 1)
    elif kind == "reversed":
        xml = re.sub(rb"<mergeCells\b.*?</mergeCells>", b"", xml, flags=re.S)
        xml = xml.replace(b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="Z9:A2"/>'
                                           b'<mergeCell ref="C5:B3"/></mergeCells>', 1)
    elif kind == "hyperlink":
        xml = xml.replace(b"</sheetData>", b'</sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" '
                                           b'location="A1"/></hyperlinks>', 1)
    elif kind == "dimension":
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    elif kind == "cols":
        xml = re.sub(rb"<cols>.*?</cols>", b'<cols><col min="1" max="16384" width="9" customWidth="1"/></cols>',
                     xml, flags=re.S)
    else:
        xml = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", xml)
    parts[sheet] = xml
    case.data = parts.pack()
    return f"ranges({sheet.rsplit('/', 1)[-1]}, {kind})"


def m_shared_strings(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    n = rng.choice([2**40, 2 * 10**9, 10**7, -5, 0])
    attr = rng.choice(["uniqueCount", "count"])
    sst = parts.get("xl/sharedStrings.xml")
    if sst is None:
        sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               b"<si><t>x</t></si></sst>")
    parts["xl/sharedStrings.xml"] = re.sub(f'{attr}="[^"]*"'.encode(), f'{attr}="{n}"'.encode(), sst, count=1)
    case.data = parts.pack()
    return f"shared-strings({attr}={n})"


def m_odd_value(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
    value = rng.choice(ODD_NUMBERS)
    style = _add_date_style(parts, rng.choice(DATE_FORMATS)) if rng.random() < 0.6 else None
    s = f' s="{style}"' if style is not None else ""
    parts[sheet], ref = _replace_cell(rng, parts.get(sheet, b""), lambda r: f'<c r="{r}"{s}><v>{value}</v></c>')
    case.data = parts.pack()
    return f"odd-value({sheet.rsplit('/', 1)[-1]}!{ref}={value!r}{', date' if s else ''})"


def m_text(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
    payload = rng.random() < 0.6
    text = rng.choice(PAYLOADS) if payload else rng.choice(ODD_TEXTS)
    raw = text if (not payload and text.startswith(("&", "<![", "_x"))) else _esc(text)
    how = rng.choice(["inline", "str", "shared"])
    if how == "shared" and "xl/sharedStrings.xml" in parts:
        sst = parts["xl/sharedStrings.xml"]
        items = list(re.finditer(rb"<si>.*?</si>", sst, re.S))
        if items:
            it = rng.choice(items)
            si = f"<si><t>{raw}</t></si>".encode("utf-8", "surrogatepass")
            parts["xl/sharedStrings.xml"] = sst[: it.start()] + si + sst[it.end() :]
            case.data = parts.pack()
            return f"text(shared, {text[:30]!r})"
    new = (lambda r: f'<c r="{r}" t="inlineStr"><is><t>{raw}</t></is></c>') if how != "str" else \
        (lambda r: f'<c r="{r}" t="str"><v>{raw}</v></c>')
    xml, ref = _replace_cell(rng, parts.get(sheet, b""), new)
    parts[sheet] = xml
    case.data = parts.pack()
    return f"text({sheet.rsplit('/', 1)[-1]}!{ref}, {how}, {text[:30]!r})"


def m_sheet_name(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    wb = parts.get("xl/workbook.xml", b"")
    names = list(re.finditer(rb'(<sheet\b[^>]*?\sname=")([^"]*)(")', wb))
    if not names:
        return "sheet-name(none)"
    m = rng.choice(names)
    new = rng.choice(SHEET_NAMES)
    raw = new if "&#" in new else _esc(new)
    parts["xl/workbook.xml"] = wb[: m.start(2)] + raw.encode() + wb[m.end(2) :]
    case.data = parts.pack()
    return f"sheet-name({m.group(2).decode(errors='replace')}→{new[:20]!r})"


def m_styles(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    styles = parts.get("xl/styles.xml", b"")
    kind = rng.choice(["fontId", "numFmtId", "cell-s", "vntime", "count", "numFmt-code"])
    if kind in ("fontId", "numFmtId"):
        styles = re.sub(f'{kind}="\\d+"'.encode(), f'{kind}="{rng.choice(["1.5", "abc", "-1", "999"])}"'.encode(),
                        styles, count=rng.choice([1, 100]))
    elif kind == "vntime":
        styles = re.sub(rb'<name val="[^"]*"', b'<name val=".VnTime"', styles)
        styles = re.sub(rb'fontId="(\d+)"', rb'fontId="\1.5"', styles, count=rng.choice([0, 1, 100]))
    elif kind == "count":
        styles = re.sub(rb'(<cellXfs count=")\d+', b"\\g<1>" + str(2**40).encode(), styles)
    elif kind == "numFmt-code":
        styles = re.sub(rb'formatCode="[^"]*"', b'formatCode="[h]:mm;;&quot;x"', styles, count=1)
    else:
        sheet = rng.choice(parts.sheets() or ["xl/worksheets/sheet1.xml"])
        parts[sheet] = re.sub(rb'(<c r="[A-Z]+\d+") s="\d+"', b'\\1 s="' + rng.choice([b"1.5", b"999", b"-1"]) + b'"',
                              parts.get(sheet, b""), count=rng.choice([1, 50]))
    parts["xl/styles.xml"] = styles
    case.data = parts.pack()
    return f"styles({kind})"


def m_content_types(rng: random.Random, case: Case) -> str:
    parts = Parts.of(case.data)
    ct = parts.get("[Content_Types].xml", b"")
    kind = rng.choice(["truncate", "drop", "garbage"])
    if kind == "truncate":
        parts["[Content_Types].xml"] = ct[: len(ct) // 2]
    elif kind == "drop":
        parts.pop("[Content_Types].xml", None)
    else:
        parts["[Content_Types].xml"] = b"<Types"
    case.data = parts.pack()
    return f"content-types({kind})"


def m_ods_repeat(rng: random.Random, case: Case) -> str:
    """Repeated rows and cells of an OpenDocument table (python-calamine lays them out)."""
    parts = Parts.of(case.data)
    content = parts["content.xml"]
    # Small, or far past the limits: a table of 15 million real cells is data, slow to
    # read by design, and says nothing about hostile files.
    rows, cols = rng.choice([(1, 1), (1000, 1), (1, 16384), (1048576, 1), (10**9, 1), (1, 10**6), (5000, 16384),
                             (60000, 16384), (100, 100)])
    cells = list(re.finditer(rb'<table:table-cell office:value-type="[^"]*"', content))
    if not cells:
        return "ods-repeat(none)"
    m = rng.choice(cells)
    content = (content[: m.start()] + f'<table:table-cell table:number-columns-repeated="{cols}"'.encode()
               + content[m.start() + len(b"<table:table-cell") :])
    row = content.rfind(b"<table:table-row", 0, m.start())
    content = (content[:row] + f'<table:table-row table:number-rows-repeated="{rows}"'.encode()
               + content[row + len(b"<table:table-row") :])
    parts["content.xml"] = content
    case.data = parts.pack()
    return f"ods-repeat(rows {rows}, columns {cols})"


def m_file_name(rng: random.Random, case: Case) -> str:
    case.name = rng.choice(FILE_NAMES)
    return f"file-name({case.name!r})"


def m_pipe(rng: random.Random, case: Case) -> str:
    case.pipe = hasattr(os, "mkfifo")
    return "named-pipe" if case.pipe else "named-pipe(not on this system)"


MUTATIONS: list[tuple[Callable[[random.Random, Case], str], float]] = [
    (m_flip, 6), (m_truncate, 4), (m_garbage, 2), (m_member, 14), (m_bomb, 1.5), (m_far_cell, 8), (m_ranges, 7),
    (m_shared_strings, 3), (m_odd_value, 12), (m_text, 14), (m_sheet_name, 5), (m_styles, 6),
    (m_content_types, 3), (m_file_name, 4), (m_pipe, 0.7),
]


def make_case(seeds: dict[str, bytes], seed: int, index: int) -> Case:
    rng = random.Random(f"{seed}:{index}")
    names = ["template", "template", "fast", "fast", "blank", "consolidation", "ods", "xls"]
    name = rng.choice([n for n in names if n in seeds])
    case = Case(index, name, seeds[name])
    if name in ("ods", "xls"):
        case.name = f"so.{name}"
    funcs, weights = zip(*MUTATIONS)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        f = rng.choices(funcs, weights)[0]
        if name == "ods" and rng.random() < 0.5:
            f = m_ods_repeat
        try:
            case.mutations.append(f(rng, case))
        except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, IndexError, EOFError, OSError,
                NotImplementedError, RuntimeError) as exc:  # the workbook is already too broken for it
            case.mutations.append(f"{f.__name__[2:].replace('_', '-')}(not applicable: {type(exc).__name__})")
    return case


# -- running the commands -----------------------------------------------------------------
@dataclass
class Outcome:
    command: str
    code: int | None
    out: str
    err: str
    seconds: float
    problem: str | None = None


class _Timeout(BaseException):
    pass


def run_child(args: list[str], timeout: float, memory: int) -> tuple[int | None, str, str]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLND_LANG": "vi"}
    env.pop("XLND_DEBUG", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "xl_nhandao", *args], capture_output=True, timeout=timeout,
                              preexec_fn=limit, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return None, (exc.stdout or b"").decode("utf-8", "replace"), f"timeout after {timeout:.0f} s"
    try:
        out = proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        out = proc.stdout.decode("utf-8", "replace") + f"\n{NOT_UTF8}"
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


def run_inline(args: list[str], timeout: float, memory: int) -> tuple[int | None, str, str]:
    """``main(args)`` here, with standard output and error captured — file descriptor 2
    too, where native code writes."""
    from xl_nhandao.cli import main

    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryFile() as native:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(native.fileno(), 2)

        def alarm(*_: object) -> None:
            raise _Timeout

        old = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        code: int | None
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(args)
        except _Timeout:
            code, err_extra = None, f"timeout after {timeout:.0f} s"
        except BaseException as exc:  # what escapes main is a failure, even a panic
            code, err_extra = None, f"uncaught {type(exc).__name__}: {str(exc)[:200]}"
        else:
            err_extra = ""
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
            os.dup2(saved, 2)
            os.close(saved)
        native.seek(0)
        native_text = native.read().decode("utf-8", "replace")
    text = out.getvalue()
    try:  # a real standard output would write these bytes undecodable, or fail
        text.encode("utf-8")
    except UnicodeEncodeError:
        err_extra += f"\n{NOT_UTF8} (a lone surrogate)"
    return code, text, err.getvalue() + native_text + err_extra


def _sha(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.iterdir()):
        out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "special"
    return out


def _formulas_with_marker(path: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                for f in re.findall(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", zf.read(name), re.S):
                    if MARKER.encode() in f.upper():
                        found.append(f"{name}: {f[:60].decode(errors='replace')}")
    return found


def check(command: str, code: int | None, out: str, err: str, produced: Path | None) -> str | None:
    """What is wrong with one command's run, or None."""
    if code is None:
        return err.strip().splitlines()[-1] if err.strip() else "no exit code"
    if code not in (0, 1, 2):
        return f"exit code {code}" + (" (killed: memory or signal)" if code < 0 else "")
    text = out + err
    bad = [w for w in FORBIDDEN if w in text]
    if bad:
        return f"{bad[0]!r} in the output"
    if code == 2:
        if out:
            return "exit 2 with standard output"
        if err.count("\n") != 1 or not err.endswith("\n"):
            return f"exit 2 with {err.count(chr(10))} lines on standard error"
        if produced is not None and produced.exists():
            return "exit 2 but the output was written"
        return None
    if command in ("json", "consolidate"):
        try:
            doc = json.loads(out)
        except ValueError:
            return "--json printed no JSON document"
        if err.strip():
            return "--json run wrote to standard error"
        if command == "consolidate":
            subs = {s["file"]: s for s in doc.get("submissions", [])}
            companion = subs.get("companion.xlsx")
            if companion is None or companion["status"] not in ("accepted", "superseded"):
                return f"the sound workbook beside it was not used: {companion}"
    if command == "annotate":
        lines = [line for line in err.splitlines() if line.strip()]
        if any(not line.startswith(("Lưu ý", "Note")) for line in lines):
            return "annotate wrote something other than notices to standard error"
    if produced is not None:
        if not produced.exists():
            return "exit 0/1 but no output written"
        try:
            hits = _formulas_with_marker(produced)
        except (zipfile.BadZipFile, OSError) as exc:
            return f"the output is not a readable workbook: {exc}"
        if hits:
            return f"a clerk's text became a formula: {hits[0]}"
    return None


def run_case(case: Case, work: Path, runner, timeout: float, memory: int, commands: tuple[str, ...]
             ) -> list[Outcome]:
    folder = work / f"case-{case.index:05d}"
    shutil.rmtree(folder, ignore_errors=True)
    inputs, outputs = folder / "in", folder / "out"
    inputs.mkdir(parents=True)
    outputs.mkdir()
    target = inputs / case.name
    try:
        if case.pipe:
            os.mkfifo(target)
        else:
            target.write_bytes(case.data)
    except (OSError, ValueError, UnicodeEncodeError) as exc:  # a name the file system refuses
        case.mutations.append(f"(file name refused by the file system: {type(exc).__name__})")
        case.name = "so.xlsx"
        target = inputs / case.name
        target.write_bytes(case.data)
    (inputs / "companion.xlsx").write_bytes(SEEDS["companion"])
    before = _sha(inputs)
    results = []
    plans = {
        "validate": (["validate", str(target)], None),
        "json": (["validate", str(target), "--json"], None),
        "annotate": (["validate", str(target), "--annotate", str(outputs / "danh-dau.xlsx")],
                     outputs / "danh-dau.xlsx"),
        "consolidate": (["consolidate", str(inputs), "-o", str(outputs / "tong-hop.xlsx"), "--json", "--period",
                         PERIOD, "--unit", PARENT], outputs / "tong-hop.xlsx"),
    }
    for command in commands:
        args, produced = plans[command]
        t = time.perf_counter()
        code, out, err = runner(args, timeout, memory)
        outcome = Outcome(command, code, out, err, time.perf_counter() - t)
        outcome.problem = check(command, code, out, err, produced)
        if outcome.problem is None and _sha(inputs) != before:
            outcome.problem = "an input was modified or a file was left beside it"
        expected = {produced.name} if produced is not None and code in (0, 1) else set()
        left = {p.name for p in outputs.iterdir()} - expected
        if outcome.problem is None and left:
            outcome.problem = f"left behind: {sorted(left)}"
        for p in outputs.iterdir():
            p.unlink()
        results.append(outcome)
    return results


SEEDS: dict[str, bytes] = {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--case", type=int, default=None, help="replay this case only")
    parser.add_argument("--in-process", action="store_true", help="call main() here instead of a child process")
    parser.add_argument("--jobs", type=int, default=1, help="child processes at a time")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per command")
    parser.add_argument("--memory-gb", type=float, default=2.0, help="address space per run")
    parser.add_argument("--commands", default=",".join(COMMANDS), help=f"some of {', '.join(COMMANDS)}")
    parser.add_argument("--failures", type=Path, default=None, help="copy the inputs of failed cases here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    commands = tuple(c for c in args.commands.split(",") if c in COMMANDS)
    memory = int(args.memory_gb * 1024**3)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="xlnd-fuzz-") as tmp:
        work = Path(tmp)
        SEEDS.update(build_seeds(work / "seeds"))
        if args.in_process:
            import resource
            import warnings

            warnings.simplefilter("always")  # as a fresh process shows them: every time
            resource.setrlimit(resource.RLIMIT_AS, (memory + 2 * 1024**3, memory + 2 * 1024**3))
            runner, jobs = run_inline, 1
        else:
            runner, jobs = run_child, max(1, args.jobs)
        indexes = [args.case] if args.case is not None else list(range(args.cases))
        cases = [make_case(SEEDS, args.seed, i) for i in indexes]

        def one(case: Case) -> tuple[Case, list[Outcome]]:
            outcome = run_case(case, work, runner, args.timeout, memory, commands)
            folder = work / f"case-{case.index:05d}"
            if args.failures and any(o.problem for o in outcome):
                args.failures.mkdir(parents=True, exist_ok=True)
                if not case.pipe and (folder / "in" / case.name).exists():
                    shutil.copy(folder / "in" / case.name, args.failures / f"case-{case.index:05d}.xlsx")
            shutil.rmtree(folder, ignore_errors=True)
            return case, outcome

        if jobs == 1:
            done = [one(c) for c in cases]
        else:
            with ThreadPoolExecutor(jobs) as pool:
                done = list(pool.map(one, cases))
    elapsed = time.perf_counter() - started
    codes: dict[str, Counter[str]] = {c: Counter() for c in commands}
    failures = []
    slowest = max((o for _, outs in done for o in outs), key=lambda o: o.seconds, default=None)
    for case, outs in done:
        for o in outs:
            codes[o.command][str(o.code)] += 1
            if o.problem:
                failures.append((case, o))
    mode = "in-process" if args.in_process else f"child processes (jobs={jobs})"
    print(f"fuzz: seed {args.seed}, {len(done)} cases, {mode}, {elapsed:.1f} s"
          f" ({elapsed / max(len(done), 1) * 1000:.0f} ms a case)")
    for c in commands:
        print(f"  {c:12} " + "  ".join(f"exit {k}: {v}" for k, v in sorted(codes[c].items())))
    kinds = Counter(m.split("(")[0] for case, _ in done for m in case.mutations)
    print("  mutations    " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    if slowest is not None:
        print(f"  slowest run  {slowest.seconds:.1f} s ({slowest.command})")
    reasons = Counter(re.sub(r"“[^”]*”", "“…”", o.err.strip())[:70] for _, outs in done for o in outs
                      if o.code == 2 and not o.problem)
    print("  exit 2 said  " + "\n               ".join(f"{n:4} {r}" for r, n in reasons.most_common(12)))
    print(f"  failures     {len(failures)}")
    for case, o in failures[: 50 if not args.quiet else 10]:
        print(f"    case {case.index} [{o.command}] exit {o.code}: {o.problem}")
        print(f"      seed {case.seed_name}, file {case.name!r}: {'; '.join(case.mutations)}")
        if not args.quiet:
            print("      stderr: " + o.err.strip().replace("\n", " | ")[:300])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
