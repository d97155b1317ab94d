"""A row writer for the consolidation's large uniform sheets (the merged registers,
``LoaiTru``, ``Loi``): their rows are written as fixed XML fragments into one
shared-strings table, about five times faster than XlsxWriter's per-cell calls.

A large sheet is declared once as a :class:`Table` (columns with their format, rows of
plain values). XlsxWriter still creates the sheet, with everything but its data rows:
header, column widths, frozen panes, autofilter, print setup, print area. Then either

* :func:`write_with_xlsxwriter` writes the rows cell by cell (the reference, used by the
  tests to compare), or
* :class:`Package` takes the finished XlsxWriter package and writes the final file:
  every part copied as is, except each large sheet's part, into which the rows are
  streamed, and ``sharedStrings.xml``, which gets the rows' strings after XlsxWriter's
  own (whose indices stay valid).

Cells hold strings (shared) or numbers, never formulas: what a clerk typed stays text.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..workbook import printing
from ..workbook.guard import column_letters

#: Excel's limit on the length of a cell's text; XlsxWriter truncates likewise.
MAX_STRING = 32767
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_XML = re.compile(r'[&<>\n"]')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_SST_HEAD = re.compile(rb'<sst\b[^>]*>')


@dataclass(frozen=True)
class Column:
    """A column of a large sheet: its header, width, the name of its cells' format, and
    whether its cells are numbers (else strings). ``wrap``: long text that wraps; the row
    is made tall enough for it. ``styles``: another format for some values (a severity
    coloured red or yellow)."""

    header: str
    width: float
    style: str = "text"
    number: bool = False
    wrap: bool = False
    styles: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass
class Table:
    """A large sheet: its columns and its rows (one sequence of plain values per row,
    aligned with the columns; None or "" leaves the cell empty)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    #: Number of rows (known before they are written: autofilter, print area).
    count: int

    def height(self, values: Sequence[object]) -> int | None:
        """Row height in px for the wrapped columns, None for one line (the default)."""
        n = 1
        for c in self._wrapped:
            v = values[c]
            if isinstance(v, str) and v:
                n = max(n, printing.lines(v, self.columns[c].width))
        return printing.height_px(n) if n > 1 else None

    @property
    def _wrapped(self) -> tuple[int, ...]:
        return tuple(c for c, col in enumerate(self.columns) if col.wrap)




def _text(s: str) -> str:
    return s if len(s) <= MAX_STRING else s[:MAX_STRING]


# -- the reference: XlsxWriter, cell by cell --------------------------------------------
def write_with_xlsxwriter(ws, table: Table, formats: dict[str, object]) -> None:
    """Write ``table``'s rows (from row 2) into the XlsxWriter sheet ``ws``."""
    wrapped = table._wrapped
    for r, values in enumerate(table.rows, start=1):
        if wrapped:
            h = table.height(values)
            if h is not None:
                ws.set_row_pixels(r, h)
        for c, (col, v) in enumerate(zip(table.columns, values)):
            if v is None or v == "":
                continue
            fmt = formats[col.styles.get(v, col.style) if col.styles else col.style]  # type: ignore[call-overload]
            if col.number:
                ws.write_number(r, c, v, fmt)
            else:
                ws.write_string(r, c, _text(str(v)), fmt)


# -- the row writer ---------------------------------------------------------------------
class _Strings:
    """The shared strings written after XlsxWriter's ``first`` ones."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.index: dict[str, int] = {}
        self.count = 0

    def xml(self) -> Iterable[str]:
        for s in self.index:
            s = _ESCAPED.sub(r"_x005F\1", s) if "_x" in s else s
            if _CONTROL.search(s):
                s = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", s)
            s = s.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
            if _XML.search(s):
                s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if s[:1].isspace() or s[-1:].isspace():
                yield f'<si><t xml:space="preserve">{s}</t></si>'
            else:
                yield f"<si><t>{s}</t></si>"


def _rows_xml(table: Table, xf: dict[str, int], strings: _Strings) -> Iterable[str]:
    """The ``<row>`` elements of ``table``'s rows, a few hundred rows per string."""
    index = strings.index
    first = strings.first
    cols = []
    for c, col in enumerate(table.columns):
        letter = column_letters(c)
        t = "" if col.number else ' t="s"'
        mid = {v: f'" s="{xf[s]}"{t}><v>' for v, s in col.styles.items()}
        cols.append((c, f'<c r="{letter}', f'" s="{xf[col.style]}"{t}><v>', col.number, mid or None))
    wrapped = table._wrapped
    height = table.height
    chunk: list[str] = []
    add = chunk.append
    n_strings = 0
    for r, values in enumerate(table.rows, start=2):
        rs = str(r)
        h = height(values) if wrapped else None
        add(f'<row r="{rs}">' if h is None else f'<row r="{rs}" ht="{h * 0.75:.16g}" customHeight="1">')
        for c, pre, mid, number, mids in cols:
            v = values[c]
            if v is None or v == "":
                continue
            if mids is not None:
                mid = mids.get(v, mid)  # type: ignore[call-overload]
            if number:
                add(f"{pre}{rs}{mid}{v if type(v) is int else format(v, '.16G')}</v></c>")
            else:
                s = v if type(v) is str else str(v)
                i = index.get(s)
                if i is None:
                    s = _text(s)
                    i = index.get(s)
                    if i is None:
                        i = index[s] = first + len(index)
                n_strings += 1
                add(f"{pre}{rs}{mid}{i}</v></c>")
        add("</row>")
        if len(chunk) > 8192:
            yield "".join(chunk)
            chunk.clear()
    strings.count += n_strings
    yield "".join(chunk)


class Package:
    """Turns XlsxWriter's package (``source``, with the large sheets' data rows left
    out) into the final file, streaming the rows of each large sheet into its part."""

    def __init__(self, source: bytes, tables: dict[int, Table], xf: dict[str, int],
                 compresslevel: int = 1) -> None:
        #: By sheet position (0-based, XlsxWriter names the part ``sheet{n + 1}.xml``).
        self.tables = tables
        self.source = source
        self.xf = xf
        self.compresslevel = compresslevel

    def write(self, out: Path) -> None:
        import io

        src = zipfile.ZipFile(io.BytesIO(self.source))
        parts = {f"xl/worksheets/sheet{n + 1}.xml": t for n, t in self.tables.items()}
        sst = src.read("xl/sharedStrings.xml")
        head = _SST_HEAD.search(sst)
        if head is None:
            raise ValueError("XlsxWriter wrote no shared strings")
        first = int(re.search(rb'uniqueCount="(\d+)"', head.group(0)).group(1))  # type: ignore[union-attr]
        count = int(re.search(rb'\bcount="(\d+)"', head.group(0)).group(1))  # type: ignore[union-attr]
        strings = _Strings(first)
        with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                                  compresslevel=self.compresslevel) as dst:
            for info in src.infolist():
                name = info.filename
                if name == "xl/sharedStrings.xml":
                    continue
                data = src.read(name)
                table = parts.get(name)
                if table is None:
                    dst.writestr(_info(info), data, compresslevel=6 if len(data) < 65536 else None)
                    continue
                self._sheet(dst, info, data, table, strings)
            with dst.open(_info(zipfile.ZipInfo("xl/sharedStrings.xml", (1980, 1, 1, 0, 0, 0))), "w",
                          force_zip64=True) as fh:
                total = count + strings.count
                unique = first + len(strings.index)
                fh.write(sst[: head.start()])
                fh.write(f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{total}" '
                         f'uniqueCount="{unique}">'.encode())
                end = sst.rindex(b"</sst>")
                fh.write(sst[head.end(): end])
                chunk: list[str] = []
                for si in strings.xml():
                    chunk.append(si)
                    if len(chunk) >= 8192:
                        fh.write("".join(chunk).encode())
                        chunk.clear()
                fh.write("".join(chunk).encode())
                fh.write(sst[end:])

    def _sheet(self, dst: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, table: Table,
               strings: _Strings) -> None:
        last = column_letters(len(table.columns) - 1)
        data = _DIMENSION.sub(f'<dimension ref="A1:{last}{table.count + 1}"/>'.encode(), data, count=1)
        if b"</sheetData>" in data:
            cut = data.index(b"</sheetData>")
            before, after = data[:cut], data[cut:]
        else:
            cut = data.index(b"<sheetData/>")
            before, after = data[:cut] + b"<sheetData>", b"</sheetData>" + data[cut + len(b"<sheetData/>"):]
        with dst.open(_info(info), "w", force_zip64=True) as fh:
            fh.write(before)
            for part in _rows_xml(table, self.xf, strings):
                fh.write(part.encode())
            fh.write(after)


def _info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(info.filename, info.date_time)
    out.compress_type = zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    return out


def format_indices(formats: dict[str, object]) -> dict[str, int]:
    """The XF index of each XlsxWriter format (assigned now if the format is not used
    yet, as XlsxWriter does on a format's first use)."""
    return {name: fmt._get_xf_index() for name, fmt in formats.items()}  # type: ignore[attr-defined]

