"""How text takes room on a printed sheet: widths of Times New Roman text, lines of
wrapped text in a column, and the row height that shows them all.

Excel and LibreOffice size a row to its wrapped text only when it is laid out on screen
(and not at all for rows written with a height), so the outputs compute heights
themselves: a header row tall enough for its whole header, a row of the ``Loi`` sheet
tall enough for its message. Widths are those of Times New Roman (LibreOffice prints
with Liberation Serif, which has the same metrics), slightly overestimated: a row a
little too tall is fine, clipped text is not.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

from ..vn.text import register_cache

#: Column widths are in characters of the default font (XlsxWriter, openpyxl: Calibri
#: 11, whose digits are 7 px wide); a column of width ``w`` is ``int(7 w + 0.5) + 5`` px.
DIGIT_PX = 7
PADDING_PX = 5
#: Room lost to the cell's inner margins, in px.
MARGIN_PX = 6
FONT_SIZE = 11
#: Printable A4 width in points at 0.4" side margins: landscape and portrait.
A4_LANDSCAPE_PT = (297 / 25.4 - 0.8) * 72
A4_PORTRAIT_PT = (210 / 25.4 - 0.8) * 72
#: Printable A4 height in points, landscape, at 0.6" top and bottom margins.
A4_LANDSCAPE_HEIGHT_PT = (210 / 25.4 - 1.2) * 72
#: Share of the computed room a sheet printed at a fixed scale may use: Excel's and
#: LibreOffice's column widths differ by a few per cent from the estimate.
ROOM = 0.92

# Advance widths of Times New Roman, in em (regular weight).
_WIDTHS: dict[str, float] = {
    **dict.fromkeys("0123456789", 0.5),
    **dict.fromkeys(" .,;:!'|", 0.25), "/": 0.278, "-": 0.333, "(": 0.333, ")": 0.333, "[": 0.333, "]": 0.333,
    "%": 0.833, "&": 0.778, "*": 0.5, "+": 0.564, "=": 0.564, "<": 0.564, ">": 0.564, "?": 0.444, '"': 0.408,
    "_": 0.5, "#": 0.5, "@": 0.921, "–": 0.5, "—": 1.0, "“": 0.444, "”": 0.444, "…": 1.0, "›": 0.333, "≥": 0.549,
    "a": 0.444, "b": 0.5, "c": 0.444, "d": 0.5, "e": 0.444, "f": 0.333, "g": 0.5, "h": 0.5, "i": 0.278,
    "j": 0.278, "k": 0.5, "l": 0.278, "m": 0.778, "n": 0.5, "o": 0.5, "p": 0.5, "q": 0.5, "r": 0.333,
    "s": 0.389, "t": 0.278, "u": 0.5, "v": 0.5, "w": 0.722, "x": 0.5, "y": 0.5, "z": 0.444, "đ": 0.5,
    "A": 0.722, "B": 0.667, "C": 0.667, "D": 0.722, "E": 0.611, "F": 0.556, "G": 0.722, "H": 0.722, "I": 0.333,
    "J": 0.389, "K": 0.722, "L": 0.611, "M": 0.889, "N": 0.722, "O": 0.722, "P": 0.556, "Q": 0.722, "R": 0.667,
    "S": 0.556, "T": 0.611, "U": 0.722, "V": 0.722, "W": 0.944, "X": 0.722, "Y": 0.722, "Z": 0.611, "Đ": 0.722,
}
#: Bold is a little wider; everything gets a safety margin.
_BOLD = 1.08
_SAFETY = 1.05


def _char_em(ch: str) -> float:
    w = _WIDTHS.get(ch)
    if w is None:
        base = unicodedata.normalize("NFD", ch)[:1]
        w = _WIDTHS.get(base, 0.56 if base.isupper() else 0.5)
        _WIDTHS[ch] = w
    return w


@lru_cache(maxsize=65536)
def text_em(text: str, bold: bool = False) -> float:
    """Width of ``text`` in em (multiply by the font size for points)."""
    return sum(_char_em(ch) for ch in text) * _SAFETY * (_BOLD if bold else 1.0)


def column_pt(width: float) -> float:
    """The printable width of a column of ``width`` characters, in points."""
    return max(0.0, (int(DIGIT_PX * width + 0.5) + PADDING_PX - MARGIN_PX) * 0.75)


def column_width_pt(width: float) -> float:
    """The whole width of a column of ``width`` characters on the page, in points."""
    return (int(DIGIT_PX * width + 0.5) + PADDING_PX) * 0.75


def width_for(text_pt: float) -> float:
    """The column width (in characters) that shows a line ``text_pt`` points wide."""
    px = text_pt / 0.75 + MARGIN_PX - PADDING_PX
    return math.ceil(px / DIGIT_PX * 4) / 4


@lru_cache(maxsize=65536)
def lines(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """Lines that ``text`` wraps to in a column of ``width`` characters (words are kept
    whole unless a word alone is wider than the column, as Excel and LibreOffice do)."""
    room = column_pt(width)
    if room <= 0:
        return 1
    space = _char_em(" ") * size * _SAFETY * (_BOLD if bold else 1.0)
    n = 0
    for paragraph in text.split("\n"):
        n += 1
        used = 0.0
        for word in paragraph.split():
            w = text_em(word, bold) * size
            if used and used + space + w <= room:
                used += space + w
                continue
            if used:
                n += 1
            if w > room:  # a word wider than the column is broken
                extra = math.ceil(w / room) - 1
                n += extra
                w -= extra * room
            used = w
    return max(n, 1)


register_cache(text_em.cache_clear)
register_cache(lines.cache_clear)


def height_pt(n_lines: int, size: float = FONT_SIZE) -> float:
    """The row height (points) that shows ``n_lines`` lines of text of ``size``."""
    return n_lines * size * 1.2 + 3


def height_px(n_lines: int, size: float = FONT_SIZE) -> int:
    """:func:`height_pt` in whole pixels, as XlsxWriter's ``set_row_pixels`` takes it."""
    return math.ceil(height_pt(n_lines, size) * 4 / 3)


def number_width(value: float, size: float = FONT_SIZE, bold: bool = False, decimals: int = 0) -> float:
    """Column width (characters) showing ``value`` with thousands separators."""
    text = f"{value:,.{decimals}f}"
    return width_for(text_em(text, bold) * size)


def pages(rows_pt: list[float], scale: float, page_pt: float, repeated_rows: int = 1, first_rows: int = 0) -> list[int]:
    """How many data rows each page holds when rows of ``rows_pt`` (points, the first
    ``first_rows`` printed on the first page only, then ``repeated_rows`` header rows
    repeated on every page, then the data rows) print at ``scale`` %."""
    room = page_pt * 100 / scale
    head = sum(rows_pt[first_rows:first_rows + repeated_rows])
    used = sum(rows_pt[:first_rows]) + head
    out = [0]
    for h in rows_pt[first_rows + repeated_rows:]:
        if used + h > room and out[-1]:
            out.append(0)
            used = head
        used += h
        out[-1] += 1
    return out


def scale_for(width_pt: float, rows_pt: list[float], repeated_rows: int = 1, first_rows: int = 0,
              page_width_pt: float = A4_LANDSCAPE_PT, page_height_pt: float = A4_LANDSCAPE_HEIGHT_PT) -> int:
    """The print scale (%) at which a block ``width_pt`` wide fits the page width, made a
    little smaller (at most 15 %) when that spares a last page holding only a few rows
    (a total row alone on a page)."""
    scale = max(10, min(100, int(100 * ROOM * page_width_pt / width_pt)))
    counts = pages(rows_pt, scale, page_height_pt * ROOM, repeated_rows, first_rows)
    if len(counts) > 1 and counts[-1] <= 3:
        for smaller in range(scale - 1, max(10, int(scale * 0.85)) - 1, -1):
            if len(pages(rows_pt, smaller, page_height_pt * ROOM, repeated_rows, first_rows)) < len(counts):
                return smaller
    return scale


def a4_setup(ws, landscape: bool, title_rows: str | None, lang: str = "vi") -> None:  # type: ignore[no-untyped-def]
    """An openpyxl sheet printed on A4, fitted to the page width, with narrow margins,
    ``title_rows`` (``"1:1"``) repeated on every page and page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = ("Trang" if lang == "vi" else "Page") + " &P / &N"
