"""A ``.csv`` file as a workbook of one sheet (:class:`~.source.WorkbookSource`), so the
tolerant reader reads other programmes' csv lists exactly like a register sheet.

Text as exported by the tools that produce such lists: UTF-8 (with or without a byte
order mark), UTF-16 with a byte order mark (Excel's "Unicode Text"), Windows-1258 (whose
decoder gives tone marks as combining characters: the text is put in NFC), and bytes
typed in a TCVN3 or VNI font (read as Windows-1252, the way Excel shows them, and then
converted word by word like legacy text in registers). The delimiter — comma, semicolon
or tab — is told from the first records. Every cell is text, so a CCCD keeps its
leading zeros; an empty cell is ``""`` as in :class:`~.source.FileWorkbook`.

The sheet is named after the file (``ds-ho-ngheo.csv`` → ``ds-ho-ngheo``), as Excel
names it when it opens the file. Grid row ``i`` is record ``i + 1``; :attr:`CsvWorkbook.lines`
gives each record's first line in the file when a quoted cell spans several lines
(else None: record and line numbers agree).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..errors import RunError
from ..vn.text import fix_text, is_vietnamese_syllable
from .guard import check_regular
from .source import SheetData, display_name

#: A list longer than this is refused (the national poverty list is ~1.3 million
#: households; a sheet of Excel holds 1,048,576 rows).
MAX_RECORDS = 2_000_000
#: Bytes read at most (a csv of 2 million long records).
MAX_BYTES = 2 * 1024**3
DELIMITERS = (",", ";", "\t")
#: A legacy encoding found in a csv → a font of that encoding (how text is converted).
_FONTS = {"tcvn3": ".VnTime", "tcvn3h": ".VnTimeH", "vni": "VNI-Times"}
_SAMPLE_RECORDS = 60


class CsvWorkbook:
    """A ``.csv`` on disk, read whole when its sheet is asked for."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.label = display_name(self.path.name)
        self.sheet = self.path.stem or "csv"
        self.encoding: str | None = None
        self.delimiter: str | None = None
        #: The line of the file each grid row starts on, when they differ from row numbers.
        self.lines: list[int] | None = None
        check_regular(self.path)
        size = self.path.stat().st_size
        if size > MAX_BYTES:
            raise RunError("list-too-long", path=str(self.path), limit=MAX_RECORDS)
        self._data: SheetData | None = None
        self._text: str | None = None
        self._only: frozenset[int] | None = None

    def sheet_names(self) -> list[str]:
        return [self.sheet]

    def read(self, name: str) -> SheetData:
        if name != self.sheet:
            raise KeyError(name)
        if self._data is None:
            self._data = self._read()
        return self._data

    def head(self, records: int) -> SheetData:
        """The first ``records`` records (to find the header before reading it all)."""
        if self._data is not None:
            return SheetData(self.sheet, self._data.rows[:records])
        text = self._decoded()
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter or ",")
        try:
            rows = [row for _, row in zip(range(records), reader)]
        except csv.Error as exc:
            raise RunError("csv-unreadable", path=str(self.path), detail=str(exc)) from None
        return SheetData(self.sheet, self._finish(rows))

    def only(self, columns: Iterable[int]) -> None:
        """Keep only these columns' cells when the file is read (the others read as
        empty): a wide list of a million rows then takes the memory of the columns used."""
        self._only = frozenset(columns)

    def _decoded(self) -> str:
        if self._text is None:
            path = str(self.path)
            try:
                raw = self.path.read_bytes()
            except OSError as exc:
                raise RunError("corrupt", path=path, detail=exc.strerror or type(exc).__name__) from None
            text, self.encoding = decode(raw)
            del raw
            if "\x00" in text:
                raise RunError("csv-unreadable", path=path, detail="NUL")
            self.delimiter = sniff_delimiter(text)
            self._text = text
        return self._text

    def _read(self) -> SheetData:
        path = str(self.path)
        text = self._decoded()
        self._text = None
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        try:
            if self._only is None:
                rows = list(reader)
            else:
                keep = sorted(self._only)
                width = keep[-1] + 1 if keep else 0
                blank = [""] * width
                rows = []
                append = rows.append
                for row in reader:
                    out = blank.copy()
                    n = len(row)
                    for c in keep:
                        if c < n:
                            out[c] = row[c]
                    append(out)
        except csv.Error as exc:
            raise RunError("csv-unreadable", path=path, detail=str(exc)) from None
        if len(rows) > MAX_RECORDS:
            raise RunError("list-too-long", path=path, limit=MAX_RECORDS)
        breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        if breaks > len(rows) and text.strip():  # a quoted cell holds a line break
            self.lines = _record_lines(text, self.delimiter or ",")
        del text
        return SheetData(self.sheet, self._finish(rows))

    def _finish(self, rows: list[list[str]]) -> list[list[object]]:
        """Rows padded to one width, legacy-encoded text converted."""
        width = max(map(len, rows), default=0)
        font = _FONTS.get(self.encoding or "")
        converted: dict[str, str] = {}
        for i, row in enumerate(rows):
            if len(row) < width:
                rows[i] = row = row + [""] * (width - len(row))
            if font is not None:  # the whole file is in that legacy encoding, as if in its font
                for c, v in enumerate(row):
                    if not v.isascii():
                        hit = converted.get(v)
                        if hit is None:
                            hit = converted[v] = fix_text(v, font)[0]
                        row[c] = hit
        return rows  # type: ignore[return-value]


#: How many bytes of a file without a byte order mark tell its encoding.
_HEAD = 65536


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text (NFC where the encoding needs it) and the encoding used:
    ``utf-8-sig``, ``utf-16``, ``utf-8``, ``cp1258``, or for bytes typed in a legacy
    font ``tcvn3``, ``tcvn3h`` or ``vni`` (the text read as Windows-1252, as Excel shows
    it; each cell is converted after) — ``cp1252`` when no Vietnamese is found."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # The choice looks at the start of the file; the whole file is then decoded once, by
    # the encoding chosen (both have one character a byte, so any cut is between letters).
    head = raw[:_HEAD]
    vn = unicodedata.normalize("NFC", head.decode("cp1258", "replace"))
    fixed = [fix_text(line) for line in head.decode("cp1252", "_xl_nhandao_byte").splitlines()]
    if _vietnamese_share(vn) >= _vietnamese_share("\n".join(text for text, _ in fixed)):
        return unicodedata.normalize("NFC", raw.decode("cp1258", "replace")), "cp1258"
    found = Counter(enc for _, enc in fixed if enc)
    return raw.decode("cp1252", "_xl_nhandao_byte"), found.most_common(1)[0][0] if found else "cp1252"


def _as_latin1(exc: UnicodeError) -> tuple[str, int]:
    """Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the
    characters of the same number, as Windows does."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("_xl_nhandao_byte", _as_latin1)


def _vietnamese_share(text: str) -> float:
    """Of the words with letters beyond ASCII in the first part of ``text``, the share
    that are Vietnamese syllables."""
    words = [w for w in text[:_HEAD].split() if not w.isascii()]
    words = [w.strip(".,;:()\"'") for w in words[:2000]]
    if not words:
        return 0.0
    return sum(1 for w in words if is_vietnamese_syllable(w)) / len(words)


def sniff_delimiter(text: str) -> str:
    """Of comma, semicolon and tab, the delimiter that splits the first records into
    the most columns the most consistently (quoted cells respected)."""
    head = text[:262144]
    best, best_score = ",", (-1, -1)
    for d in DELIMITERS:
        if d not in head:
            continue
        try:
            sample = [r for _, r in zip(range(_SAMPLE_RECORDS), csv.reader(io.StringIO(head, newline=""), delimiter=d))]
        except csv.Error:
            continue
        widths = Counter(len(r) for r in sample if any(c.strip() for c in r))
        if not widths:
            continue
        # the most common width above one (a title line has one cell), and how many records have it
        common = [(count, width) for width, count in widths.items() if width > 1]
        if not common:
            continue
        count, width = max(common)
        score = (count, width)
        if score > best_score:
            best, best_score = d, score
    return best


def _record_lines(text: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    last = 0
    for _ in reader:
        out.append(last + 1)
        last = reader.line_num
    return out
