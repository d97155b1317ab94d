"""The template filler: an Excel report template a coordinator can redesign in Excel,
filled with a consolidation's fields (SPEC §5.5).

**The language.** ``{{ name }}`` is a field; ``{{ name | filter | filter }}`` passes its
value through filters, left to right (spaces optional; several placeholders and text
around them in one cell are fine). A cell that is one placeholder alone (spaces around
it allowed) receives the *typed* value and keeps its style and number format: a number,
a date (dd/mm/yyyy when the cell's number format is not already a date format), text;
``True``/``False`` as ``Có``/``Không``; ``None`` leaves the cell empty. With text around,
the cell becomes text: numbers as ``1.500.000``, a rate (a float) as ``36,6``, dates as
``05/02/2026``, ``Có``/``Không``, ``None`` as nothing — years, codes and row numbers
(:attr:`TemplateData.plain`) never grouped. Filters do not run on a missing value.
Text from the data never becomes a formula, whatever it starts with.

**Defined names.** A workbook or sheet name that is a field's name and refers to one
cell binds that cell as if it held ``{{ field }}`` alone (the name wins over text in
the cell). Excel names allow periods, so the field's own name works (``ky.den_ngay``);
so does the field with ``_`` for ``.`` (``ky_den_ngay``), which every spreadsheet
program accepts; case is ignored. A field-named name covering several cells is an
error; any other name is left alone (and follows the rows it points at).

**Lists.** A row holding a list field (``dv.*``, ``dc.*``, ``nb.*``: the prefixes of
:attr:`TemplateData.lists`) repeats once per item. Consecutive rows of the same list,
and the rows a merged cell starting in them reaches down to, repeat together (a record
of two rows). A row holds one list's fields. Scalar fields in a repeated row are filled
in every copy. An empty list leaves the block once, its list fields and formulas empty
(no ``#DIV/0!`` in an official table; a total over it is 0). Everything below moves
down as Excel would move it when inserting rows — see :mod:`.refs` for how formulas,
merged cells, heights, conditional formats, data validations, pictures, charts, page
breaks, tables, defined names, print area and print titles follow. Comments in a
repeated row stay on its first copy.

**Headers and footers.** Scalar placeholders there are filled (``&`` doubled, as
Excel's header codes need); a list field there is an error.

**Errors.** Every unknown field or filter and every broken placeholder in the workbook
— every sheet, header, footer and defined name — is found before anything is written
and reported in one line naming each one at ``Sheet!Cell`` (``template-unknown``);
a filter that fails on a value is reported the same way (``template-filter-failed``).

**From xltpl and jxls.** xltpl (zhangyu836/xltpl) rebuilds every sheet cell by cell
into a new sheet and tracks each merged range, data validation and picture by where
its cells land: merged cells inside a repeated row are repeated, which we keep. It
leaves formulas as written (``SUM(C8:C8)`` does not grow), drops conditional formats,
does not move defined names or print areas, and removes the workbook's custom
properties; we rewrite every reference instead, in place, so what openpyxl reads
survives. jxls (``jx:each``) maps references the way we do — a cell inside the
repeated area points at the same copy, a range over it grows ("C2 turns into C2:C6"),
a lone ``SUM(C2)`` argument grows too — and its open issues about merged regions and
commands sharing rows (#62, #259, #321) are why a block here is whole rows, laid out in
one pass from a precomputed row map rather than shifted area by area. Its notes-based
commands (``jx:each(lastCell=…)``) we avoided: a coordinator sees ``{{ dv.ten }}`` in
the cell and nothing hidden.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..errors import RunError, printable
from ..i18n import Lang, Phrase, fmt_date, fmt_int
from .refs import MAX_ROW, Block, RowMap, sheet_key

COMMAND = "report"

#: Fields shown as typed inside text: years, codes, row numbers (never ``2.025``).
PLAIN_FIELDS = frozenset({"ky.nam", "don_vi.ma", "so_van_ban", "dv.stt", "dv.ma", "dc.stt", "dc.ma",
                          "dc.nam_sinh", "dc.ma_xa", "nb.stt", "nb.ma"})

#: Excel's longest cell text.
MAX_TEXT = 32_767
#: Problems named in the error line; the rest are counted.
MAX_SHOWN = 12
DATE_FORMAT = "dd/mm/yyyy"

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class TemplateData:
    """What a template can show. ``scalars``: one value per field (``"ky.den_ngay"`` →
    a date); ``lists``: items per list prefix (``"dv"`` → ``[{"ma": "22453", …}]``);
    ``filters``: by name (``"chu"`` → a function of one value). ``list_fields``: the
    fields of each list's items, so that ``{{ dv.FIELD }}`` is checked even when the
    list is empty (without it, the items' keys; an empty list with neither accepts any
    field). ``plain``: fields shown without thousands separators inside text."""

    scalars: dict[str, object] = field(default_factory=dict)
    lists: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    filters: dict[str, Callable[[object], object]] = field(default_factory=dict)
    list_fields: dict[str, Collection[str]] = field(default_factory=dict)
    plain: Collection[str] = PLAIN_FIELDS

    def item_fields(self, prefix: str) -> set[str] | None:
        """The fields a list's items have; ``None`` when that cannot be known."""
        if prefix in self.list_fields:
            return set(self.list_fields[prefix])
        keys = {k for item in self.lists.get(prefix, ()) for k in item}
        return keys or None

    def fields(self) -> list[str]:
        """Every field name a template may use (for a list with unknown fields, none)."""
        out = set(self.scalars)
        for prefix in self.lists:
            out.update(f"{prefix}.{f}" for f in self.item_fields(prefix) or ())
        return sorted(out)

    def list_of(self, name: str) -> str | None:
        """The list prefix of a list field (``dv.ten`` → ``dv``), else ``None``."""
        if name in self.scalars or "." not in name:
            return None
        prefix = name.split(".", 1)[0]
        return prefix if prefix in self.lists else None

    def knows(self, name: str) -> bool:
        if name in self.scalars:
            return True
        prefix = self.list_of(name)
        if prefix is None:
            return False
        known = self.item_fields(prefix)
        return known is None or name.split(".", 1)[1] in known


@dataclass(frozen=True)
class Placeholder:
    """One use of a field in a template: ``sheet``, ``cell`` (``""`` in a header or
    footer), the text as written, the field, its filters, and ``where`` it sits:
    ``"cell"``, ``"name"`` (a defined name bound to the cell) or ``"header"``."""

    sheet: str
    cell: str
    text: str
    field: str
    filters: tuple[str, ...] = ()
    where: str = "cell"

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "cell": self.cell, "text": self.text, "field": self.field,
                "filters": list(self.filters), "where": self.where}


@dataclass
class TemplateScan:
    """The placeholders and bound defined names of a template, by cell, and what is
    wrong with them (against ``data`` when the scan was given it)."""

    path: Path
    placeholders: list[Placeholder]
    names: dict[str, str]
    problems: list[Phrase]

    @property
    def fields(self) -> list[str]:
        return sorted({p.field for p in self.placeholders if p.field})

    def to_dict(self) -> dict[str, object]:
        return {"file": str(self.path), "fields": self.fields,
                "placeholders": [p.to_dict() for p in self.placeholders], "names": dict(self.names),
                "problems": [{"vi": p.text("vi"), "en": p.text("en")} for p in self.problems]}


@dataclass
class FillResult:
    """What :func:`fill_template` wrote: the output, the fields filled, the items
    written per list, and features of the template the output cannot keep (``(vi, en)``
    names, openpyxl's limits)."""

    output: Path
    fields: list[str]
    rows: dict[str, int]
    lost: list[tuple[str, str]] = field(default_factory=list)


# -- the language -------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    text: str
    field: str
    filters: tuple[str, ...]


@dataclass(frozen=True)
class Listing(Phrase):
    """Problems as one phrase: ``a; b; c … and 3 more``."""

    items: tuple[Phrase, ...] = ()

    def text(self, lang: Lang) -> str:
        shown = [p.text(lang) for p in self.items[:MAX_SHOWN]]
        more = len(self.items) - MAX_SHOWN
        if more > 0:
            shown.append(f"… và {more} chỗ khác" if lang == "vi" else f"… and {more} more")
        return "; ".join(shown)


_PROBLEMS = {
    "unknown-field": ("{where} “{text}”: không có trường “{name}”", "{where} “{text}”: there is no field “{name}”"),
    "unknown-filter": ("{where} “{text}”: không có bộ lọc “{name}” (có: {known})",
                       "{where} “{text}”: there is no filter “{name}” (there are: {known})"),
    "empty": ("{where} “{text}”: chỗ điền không có tên trường", "{where} “{text}”: the placeholder names no field"),
    "empty-filter": ("{where} “{text}”: sau dấu | phải có tên bộ lọc", "{where} “{text}”: a | must be followed by a filter's name"),
    "bad-name": ("{where} “{text}”: tên trường “{name}” không đúng dạng (chữ không dấu, số, _ và một dấu chấm)",
                 "{where} “{text}”: “{name}” is not a field name (letters, digits, _ and one period)"),
    "unclosed": ("{where}: có “{{{{” mà không có “}}}}” đóng", "{where}: a “{{{{” without its closing “}}}}”"),
    "in-formula": ("{where}: chỗ điền nằm trong công thức; hãy đặt vào một ô chữ",
                   "{where}: a placeholder inside a formula; put it in a text cell"),
    "two-lists": ("{where}: dòng {row} có trường của nhiều danh sách ({lists}); mỗi dòng chỉ lặp theo một danh sách",
                  "{where}: row {row} holds fields of several lists ({lists}); a row repeats for one list"),
    "list-outside-row": ("{where} “{text}”: trường danh sách “{name}” chỉ dùng được trong một dòng của bảng",
                         "{where} “{text}”: the list field “{name}” can only be used in a table row"),
    "list-in-header": ("{where}: trường danh sách “{name}” không dùng được ở đầu/chân trang",
                       "{where}: the list field “{name}” cannot be used in a header or footer"),
    "name-not-cell": ("tên “{name}” phải chỉ đến đúng một ô (đang chỉ {value})",
                      "the name “{name}” must refer to exactly one cell (it refers to {value})"),
    "filter-failed": ("{where} “{text}”: bộ lọc “{name}” không dùng được cho giá trị {value} ({detail})",
                      "{where} “{text}”: the filter “{name}” cannot take the value {value} ({detail})"),
}


def problem(code: str, **params: object) -> Phrase:
    vi, en = _PROBLEMS[code]
    return Phrase(vi, en, {k: printable(v)[:200] if isinstance(v, str) else v for k, v in params.items()})


def parse(text: str, where: str | Phrase, problems: list[Phrase]) -> list[str | Slot]:
    """A text as literal pieces and placeholders; broken placeholders are problems."""
    parts: list[str | Slot] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        raw = m.group(0)
        pieces = [p.strip() for p in m.group(1).split("|")]
        name, filters = pieces[0], tuple(pieces[1:])
        if not name:
            problems.append(problem("empty", where=where, text=raw))
        elif not _NAME.fullmatch(name):
            problems.append(problem("bad-name", where=where, text=raw, name=name))
        elif not all(filters):
            problems.append(problem("empty-filter", where=where, text=raw))
        parts.append(Slot(raw, name, filters))
        pos = m.end()
    rest = text[pos:]
    if "{{" in rest:
        problems.append(problem("unclosed", where=where))
    if rest:
        parts.append(rest)
    return parts


@dataclass
class _Site:
    """A template cell to fill: where it is (template numbering), its pieces, and
    for rich text, its runs' pieces."""

    sheet: str
    row: int
    col: int
    parts: list[str | Slot]
    runs: list[tuple[object, list[str | Slot]]] | None = None
    name: str = ""

    @property
    def slots(self) -> list[Slot]:
        return [p for p in self.parts if isinstance(p, Slot)]

    @property
    def alone(self) -> Slot | None:
        """The one placeholder, when the cell holds nothing else (spaces aside)."""
        slots = self.slots
        if len(slots) == 1 and all(isinstance(p, Slot) or not p.strip() for p in self.parts):
            return slots[0]
        return None


@dataclass
class _HeaderSite:
    sheet: str
    part: object  # an openpyxl _HeaderFooterPart
    parts: list[str | Slot]
    where: Phrase


def _header_where(sheet: str, kind: str) -> Phrase:
    if "Header" in kind:
        return Phrase("{sheet} (đầu trang)", "{sheet} (header)", {"sheet": printable(sheet)})
    return Phrase("{sheet} (chân trang)", "{sheet} (footer)", {"sheet": printable(sheet)})


@dataclass
class _Scan:
    sites: list[_Site]
    headers: list[_HeaderSite]
    names: dict[str, str]
    problems: list[Phrase]
    placeholders: list[Placeholder]


def _coord(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _scan(wb, data: TemplateData | None) -> _Scan:
    """Every placeholder of the workbook, with syntax problems, and — given ``data``
    — unknown fields and filters, rows of two lists and list fields in headers."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    problems: list[Phrase] = []
    sites: list[_Site] = []
    headers: list[_HeaderSite] = []
    for ws in wb.worksheets:
        for (r, c), cell in sorted(ws._cells.items()):
            value = cell._value
            if isinstance(value, CellRichText):
                text = str(value)
                if "{{" not in text:
                    continue
                where = f"{ws.title}!{_coord(r, c)}"
                parts = parse(text, where, problems)
                runs = []
                for run in value:
                    run_text = run.text if isinstance(run, TextBlock) else str(run)
                    runs.append((run, parse(run_text, where, [])))
                # runs are kept only when every placeholder lies inside one run
                whole = [p.text for p in parts if isinstance(p, Slot)]
                inside = [p.text for _, rp in runs for p in rp if isinstance(p, Slot)]
                sites.append(_Site(ws.title, r, c, parts, runs if whole == inside else None))
            elif isinstance(value, str) and "{{" in value:
                where = f"{ws.title}!{_coord(r, c)}"
                if cell.data_type == "f":
                    problems.append(problem("in-formula", where=where))
                    continue
                sites.append(_Site(ws.title, r, c, parse(value, where, problems)))
        hf = ws.HeaderFooter
        for kind in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
            item = getattr(hf, kind, None)
            if item is None:
                continue
            for side in ("left", "center", "right"):
                part = getattr(item, side, None)
                if part is not None and part.text and "{{" in part.text:
                    where = _header_where(ws.title, kind)
                    headers.append(_HeaderSite(ws.title, part, parse(part.text, where, problems), where))
    names = _bind_names(wb, data, sites, problems) if data is not None else {}
    if data is not None:
        _check(sites, headers, data, problems)
    placeholders = [Placeholder(s.sheet, _coord(s.row, s.col), p.text, p.field, p.filters,
                                "name" if s.name else "cell")
                    for s in sites for p in s.slots]
    placeholders += [Placeholder(h.sheet, "", p.text, p.field, p.filters, "header")
                     for h in headers for p in h.parts if isinstance(p, Slot)]
    return _Scan(sites, headers, names, problems, placeholders)


def _bind_names(wb, data: TemplateData, sites: list[_Site], problems: list[Phrase]) -> dict[str, str]:
    """Defined names that are fields, each bound to its cell as a lone placeholder."""
    from openpyxl.utils.cell import range_boundaries

    lookup: dict[str, str] = {}
    for f in data.fields():
        lookup.setdefault(f.replace(".", "_").casefold(), f)
    for f in data.fields():
        lookup[f.casefold()] = f
    titles = {ws.title: ws for ws in wb.worksheets}
    scoped = [(name, dn) for name, dn in wb.defined_names.items()]
    scoped += [(name, dn) for ws in wb.worksheets for name, dn in ws.defined_names.items()]
    bound: dict[str, str] = {}
    by_cell = {(s.sheet, s.row, s.col): s for s in sites}
    for name, dn in scoped:
        target = lookup.get(name.casefold())
        if target is None or dn.is_reserved:
            continue
        try:
            dests = list(dn.destinations)
        except (ValueError, TypeError, AttributeError):
            dests = []
        cell = None
        if len(dests) == 1 and dests[0][0] in titles:
            with contextlib.suppress(ValueError, TypeError):
                c1, r1, c2, r2 = range_boundaries(dests[0][1].replace("$", ""))
                if (c1, r1) == (c2, r2):
                    cell = (dests[0][0], r1, c1)
        if cell is None:
            problems.append(problem("name-not-cell", name=name, value=dn.value or ""))
            continue
        for mcr in titles[cell[0]].merged_cells.ranges:  # a name on a merged cell: its top-left
            if mcr.min_row <= cell[1] <= mcr.max_row and mcr.min_col <= cell[2] <= mcr.max_col:
                cell = (cell[0], mcr.min_row, mcr.min_col)
                break
        slot = Slot("{{ " + target + " }}", target, ())
        by_cell[cell] = _Site(cell[0], cell[1], cell[2], [slot], name=name)
        bound[name] = f"{cell[0]}!{_coord(cell[1], cell[2])}"
    order = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    sites[:] = sorted(by_cell.values(), key=lambda s: (order.get(s.sheet, 0), s.row, s.col))
    return bound


def check_slot(slot: Slot, where: str | Phrase, data: TemplateData, problems: list[Phrase]) -> None:
    """An unknown field or filter of one placeholder, as a problem (the Word filler
    checks its placeholders with this too)."""
    if not slot.field or not _NAME.fullmatch(slot.field):
        return  # already a syntax problem
    if not data.knows(slot.field):
        problems.append(problem("unknown-field", where=where, text=slot.text, name=slot.field))
    for f in slot.filters:
        if f and f not in data.filters:
            problems.append(problem("unknown-filter", where=where, text=slot.text, name=f,
                                     known=", ".join(sorted(data.filters)) or "—"))


def _check(sites: list[_Site], headers: list[_HeaderSite], data: TemplateData, problems: list[Phrase]) -> None:
    def check(slot: Slot, where: str | Phrase) -> None:
        check_slot(slot, where, data, problems)

    rows: dict[tuple[str, int], set[str]] = {}
    first_cell: dict[tuple[str, int], str] = {}
    for s in sites:
        where = f"{s.sheet}!{_coord(s.row, s.col)}"
        for slot in s.slots:
            check(slot, where)
            prefix = data.list_of(slot.field)
            if prefix is not None:
                rows.setdefault((s.sheet, s.row), set()).add(prefix)
                first_cell.setdefault((s.sheet, s.row), where)
    for (sheet, row), prefixes in rows.items():
        if len(prefixes) > 1:
            problems.append(problem("two-lists", where=first_cell[(sheet, row)], row=row,
                                     lists=", ".join(sorted(prefixes))))
    for h in headers:
        for slot in (p for p in h.parts if isinstance(p, Slot)):
            check(slot, h.where)
            if data.list_of(slot.field) is not None:
                problems.append(problem("list-in-header", where=h.where, name=slot.field))


# -- values -------------------------------------------------------------------------------
class Failures:
    def __init__(self) -> None:
        self.items: list[Phrase] = []
        self.seen: set[tuple[str, str]] = set()


def _plain(value: object) -> object:
    """A value as plain Python: numpy scalars unwrapped, pandas' missing values
    (``NaN``, ``NaT``, ``NA``) as ``None``, a pandas ``Timestamp`` as a datetime."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    kind = type(value)
    if kind.__name__ in ("NaTType", "NAType"):
        return None
    if kind.__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    elif kind.__module__.startswith("pandas") and hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _resolve(slot: Slot, data: TemplateData, item: dict[str, object] | None, where: str | Phrase,
             failures: Failures) -> object:
    prefix = data.list_of(slot.field)
    if prefix is not None:
        value = _plain(item.get(slot.field.split(".", 1)[1])) if item is not None else None
    else:
        value = _plain(data.scalars.get(slot.field))
    for name in slot.filters:
        if value is None:
            break
        try:
            value = _plain(data.filters[name](value))
        except Exception as exc:  # a filter given a value it cannot take
            key = (where, slot.text)
            if key not in failures.seen:
                failures.seen.add(key)
                failures.items.append(problem("filter-failed", where=where, text=slot.text, name=name,
                                               value=repr(value)[:60], detail=_filter_error(exc, value)))
            return None
    return value


_KINDS = ((bool, "Có/Không", "yes/no"), ((int, float, Decimal), "số", "a number"),
          ((date, datetime), "ngày", "a date"), (str, "chữ", "text"))


def _filter_error(exc: Exception, value: object) -> Phrase:
    """Why a filter failed, in the reader's language: a :class:`RunError`'s own message
    (``words-fraction``…), else what kind of value it was given (no Python class name
    in the line)."""
    if isinstance(exc, RunError):
        return Phrase("{vi}", "{en}", {"vi": exc.message("vi"), "en": exc.message("en")})
    vi, en = next(((vi, en) for kind, vi, en in _KINDS if isinstance(value, kind)), ("giá trị khác", "another kind"))
    return Phrase("giá trị là {kind}", "the value is {kind}", {"kind": Phrase(vi, en)})


def _text(value: object, plain: bool) -> str:
    """A value inside text, as an official document writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int):
        return str(value) if plain else fmt_int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if plain and value.is_integer() else fmt_int(value)
    if isinstance(value, datetime):
        return fmt_date(value.date())
    if isinstance(value, date):
        return fmt_date(value)
    return str(value)


def _clean(text: str) -> str:
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: printable(m.group(0)), text)
    return text[:MAX_TEXT]


def _put_text(cell, text: str) -> None:
    """Text that stays text (a value starting with ``=`` is no formula)."""
    cell._value = _clean(text) if text else None
    cell.data_type = "s" if text else "n"


def _put_typed(cell, value: object) -> None:
    from openpyxl.styles.numbers import is_date_format

    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        cell._value = None
        cell.data_type = "n"
    elif isinstance(value, bool):
        _put_text(cell, "Có" if value else "Không")
    elif isinstance(value, (int, float)):
        cell._value = value
        cell.data_type = "n"
    elif isinstance(value, (date, datetime)):
        was_date = is_date_format(cell.number_format)
        fmt = cell.number_format
        cell.value = value
        cell.number_format = fmt if was_date else DATE_FORMAT
    else:
        _put_text(cell, str(value))


def render(parts: list[str | Slot], data: TemplateData, item, where: str | Phrase, failures: Failures,
            escape: Callable[[str], str] = lambda s: s) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        else:
            value = _resolve(p, data, item, where, failures)
            out.append(escape(_text(value, p.field in data.plain)))
    return "".join(out)


def _fill_cell(cell, site: _Site, data: TemplateData, item, failures: Failures) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    where = f"{site.sheet}!{_coord(site.row, site.col)}"
    alone = site.alone
    if alone is not None:
        _put_typed(cell, _resolve(alone, data, item, where, failures))
    elif site.runs is not None:
        runs = []
        for run, parts in site.runs:
            text = _clean(render(parts, data, item, where, failures))
            if text:
                runs.append(TextBlock(run.font, text) if isinstance(run, TextBlock) else text)
        cell._value = CellRichText(runs) if runs else None
        cell.data_type = "s" if runs else "n"
    else:
        _put_text(cell, render(site.parts, data, item, where, failures))


# -- the filler -----------------------------------------------------------------------------
def _load(template: Path) -> tuple[object, bytes]:
    """The template as openpyxl reads it (with rich text, so partly bold titles stay),
    and its bytes (read once; the filler reads row heights and lost features from them)."""
    from openpyxl import load_workbook

    from ..workbook.guard import check_file

    check_file(template)
    try:
        data = template.read_bytes()
    except OSError as exc:
        raise RunError("corrupt", path=str(template), detail=exc.strerror or type(exc).__name__) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), rich_text=True)
        except Exception as exc:  # openpyxl's refusals take many forms
            text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
            raise RunError("template-unreadable", path=str(template),
                           detail=f"{type(exc).__name__}: {text}" if text else type(exc).__name__) from None
    wb.template = False  # an .xltx template gives an .xlsx report
    return wb, data


def scan_template(template: Path, data: TemplateData | None = None) -> TemplateScan:
    """The placeholders of ``template`` by cell (every sheet, header and footer) and
    its broken ones. Given ``data`` (real, or empty lists with ``list_fields``), also
    its defined names bound to fields and every unknown field or filter."""
    template = Path(template)
    wb, _ = _load(template)
    scan = _scan(wb, data)
    return TemplateScan(template, scan.placeholders, scan.names, scan.problems)


def _blocks(wb, scan: _Scan, data: TemplateData, problems: list[Phrase]) -> dict[str, list[tuple[Block, str]]]:
    """The repeated blocks of each sheet with their list: runs of rows holding one
    list's fields, grown down to the rows their merged cells reach."""
    rows: dict[str, dict[int, str]] = {}
    for s in scan.sites:
        for slot in s.slots:
            prefix = data.list_of(slot.field)
            if prefix is not None:
                rows.setdefault(s.sheet, {}).setdefault(s.row, prefix)
    out: dict[str, list[tuple[Block, str]]] = {}
    for title, marks in rows.items():
        ws = wb[title]
        merged = [(mcr.min_row, mcr.max_row) for mcr in ws.merged_cells.ranges]
        spans: list[list] = []  # [start, end, prefix]
        for r in sorted(marks):
            prefix = marks[r]
            if spans and r <= spans[-1][1] + (1 if spans[-1][2] == prefix else 0):
                if spans[-1][2] != prefix:
                    problems.append(problem("two-lists", where=f"{title}!{_coord(r, 1)}", row=r,
                                             lists=", ".join(sorted({prefix, spans[-1][2]}))))
                    continue
                spans[-1][1] = max(spans[-1][1], r)
            else:
                spans.append([r, r, prefix])
            grown = True
            while grown:
                grown = False
                for top, bottom in merged:
                    if spans[-1][0] <= top <= spans[-1][1] < bottom:
                        spans[-1][1] = bottom
                        grown = True
        blocks = []
        for start, end, prefix in spans:
            copies = max(1, len(data.lists.get(prefix) or ()))
            blocks.append((Block(start, end - start + 1, copies), prefix))
        out[title] = blocks
    return out


def fill_template(template: Path, data: TemplateData, output: Path, *, force: bool = False) -> FillResult:
    """Fill ``template`` with ``data`` and write ``output`` (atomically; never over the
    template; over an existing file only if it is an unedited report or ``force``).
    Raises :class:`RunError` — nothing written — for an unreadable template, any
    unknown or broken placeholder (all named in one line), a filter failing on a value,
    or a report longer than Excel's sheet."""
    from ..workbook.annotate import lost_features
    from ..workbook.output import check_output, save_openpyxl
    from .expand import expand_sheet, follow_sheet, follow_workbook, new_height

    template, output = Path(template), Path(output)
    check_output(output, [template], force=force, command=COMMAND)
    wb, raw = _load(template)
    scan = _scan(wb, data)
    problems = list(scan.problems)
    blocks = _blocks(wb, scan, data, problems)
    if problems:
        raise RunError("template-unknown", path=str(template), count=len(problems),
                       problems=Listing("", "", items=tuple(problems)))

    maps = {sheet_key(title): RowMap([b for b, _ in bs]) for title, bs in blocks.items()}
    for ws in wb.worksheets:
        m = maps.get(sheet_key(ws.title))
        if m is not None:
            height = new_height(ws, m)
            if height > MAX_ROW:
                raise RunError("template-too-long", path=str(template), sheet=ws.title, rows=height, limit=MAX_ROW)
    for ws in wb.worksheets:
        m = maps.get(sheet_key(ws.title))
        if m is not None:
            expand_sheet(ws, m, maps)
        elif maps:
            follow_sheet(ws, maps)
    if maps:
        follow_workbook(wb, maps)

    failures = Failures()
    touched: dict[str, set[int]] = {}
    automatic = _automatic_rows(raw)
    grow: dict[str, set[int]] = {}  # filled rows whose stored height may grow (see _automatic_rows)
    block_of: dict[tuple[str, int], tuple[Block, str]] = {}
    for title, bs in blocks.items():
        for b, prefix in bs:
            for r in range(b.start, b.end + 1):
                block_of[(title, r)] = (b, prefix)
    for site in scan.sites:
        ws = wb[site.sheet]
        m = maps.get(sheet_key(site.sheet))
        found = block_of.get((site.sheet, site.row))
        rows = touched.setdefault(site.sheet, set())
        auto = grow.setdefault(site.sheet, set()) if site.row in automatic.get(site.sheet, ()) else set()
        if found is None:
            row = m.first(site.row) if m is not None else site.row
            _fill_cell(ws.cell(row, site.col), site, data, None, failures)
            rows.add(row)
            auto.add(row)
            continue
        b, prefix = found
        items = data.lists.get(prefix) or []
        base = m.start(b) - b.start  # type: ignore[union-attr]
        for i, item in enumerate(items or [None]):
            row = site.row + base + i * b.height
            _fill_cell(ws.cell(row, site.col), site, data, item, failures)
            rows.add(row)
            auto.add(row)
    _clear_empty_blocks(wb, blocks, maps, data)
    _fit_rows(wb, touched, grow)
    for title, bs in blocks.items():
        m = maps[sheet_key(title)]
        b = max((b for b, _ in bs), key=lambda b: b.start)
        _keep_closing_together(wb[title], m.start(b), m.start(b) + b.copies * b.height - 1)
    for h in scan.headers:
        h.part.text = render(h.parts, data, None, h.where, failures, escape=lambda s: s.replace("&", "&&")) or None
    if failures.items:
        raise RunError("template-filter-failed", path=str(template), count=len(failures.items),
                       problems=Listing("", "", items=tuple(failures.items)))

    wb.calculation.fullCalcOnLoad = True
    lost = [(vi, en) for vi, en in lost_features(io.BytesIO(raw)) if not en.startswith("cached formula")]
    save_openpyxl(wb, output, COMMAND)
    rows = {prefix: len(data.lists.get(prefix) or []) for bs in blocks.values() for _, prefix in bs}
    used = sorted({p.field for p in scan.placeholders})
    return FillResult(output, used, rows, lost)


_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_ROW_ATTR = re.compile(rb"""\b(r|ht|customHeight)\s*=\s*["']([^"']*)["']""")


def _automatic_rows(raw: bytes) -> dict[str, set[int]]:
    """By sheet, the rows whose stored height is not the designer's: a height without
    ``customHeight`` true is one the program computed (LibreOffice writes one for every
    row, ``customHeight="false"``). openpyxl reads both as fixed, so a list row of a
    template saved by LibreOffice would print its wrapped text cut off. Anything
    unreadable here means "none"."""
    import zipfile

    from ..workbook.guard import sheet_parts

    out: dict[str, set[int]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            for name, part in sheet_parts(zf).items():
                rows = out.setdefault(name, set())
                for m in _ROW_TAG.finditer(zf.read(part)):
                    a = dict(_ROW_ATTR.findall(m.group(1)))
                    if b"ht" in a and a.get(b"customHeight", b"0").strip() not in (b"1", b"true") \
                            and a.get(b"r", b"").isdigit():
                        rows.add(int(a[b"r"]))
    except Exception:  # the template was read by openpyxl already; this is only a refinement
        return {}
    return out


def _fit_rows(wb, touched: dict[str, set[int]], grow: dict[str, set[int]]) -> None:
    """Rows the template leaves at automatic height, whose filled text wraps, are
    given the height that shows it all: Excel and LibreOffice fit a row to its text
    only when it is edited on screen, and would print a long ``Hoàn cảnh`` cut off. A
    row the designer gave a height keeps it; a row in ``grow`` (a height the program
    that saved the template computed) keeps it at least."""
    from openpyxl.cell.cell import MergedCell

    from ..workbook.printing import height_pt, lines

    for title, rows in touched.items():
        ws = wb[title]
        default = ws.sheet_format.defaultColWidth or 8.43
        widths: dict[int, float] = {}
        for dim in ws.column_dimensions.values():
            if dim.min and dim.max:
                for col in range(dim.min, dim.max + 1):
                    widths[col] = 0.0 if dim.hidden else (dim.width or default)
        spans: dict[tuple[int, int], int] = {}  # (row, col) → last column of a one-row merge
        tall: set[tuple[int, int]] = set()  # top-left cells of merges over several rows
        for mcr in ws.merged_cells.ranges:
            if mcr.min_row == mcr.max_row:
                spans[(mcr.min_row, mcr.min_col)] = mcr.max_col
            else:
                tall.add((mcr.min_row, mcr.min_col))
        last_col = ws.max_column
        growing = grow.get(title, set())
        for row in sorted(rows):
            dim = ws.row_dimensions.get(row)
            stored = dim.ht if dim is not None else None
            if stored is not None and row not in growing:
                continue
            need = 0.0
            for col in range(1, last_col + 1):
                cell = ws._cells.get((row, col))
                if cell is None or isinstance(cell, MergedCell) or cell.data_type != "s" or (row, col) in tall:
                    continue
                if not cell.alignment.wrap_text or not cell._value:
                    continue
                width = sum(widths.get(c, default) for c in range(col, spans.get((row, col), col) + 1))
                size = float(cell.font.sz or 11)
                n = lines(str(cell._value), width, size, bool(cell.font.b))
                if n > 1:
                    need = max(need, height_pt(n, size))
            if need and need > (stored or 0):
                ws.row_dimensions[row].height = round(need, 1)


def _keep_closing_together(ws, list_start: int, list_end: int) -> None:  # type: ignore[no-untyped-def]
    """The closing block under a list (what follows its first blank row: the request to
    the units, "Nơi nhận", the signature) printed on one page: when the filled list
    would push its page break inside that block, a manual break goes before the list's
    last two rows (so the closing page starts with the table, not with its header
    alone) and the sheet prints at the fixed scale that fitting its width gave (Excel
    ignores manual breaks on a sheet fitted to pages)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from ..workbook.printing import column_width_pt

    setup = ws.page_setup
    fitted = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    last = ws.max_row
    if ws.print_area:
        with contextlib.suppress(IndexError, ValueError):
            last = int(re.findall(r"\$?(\d+)", str(ws.print_area).split(":")[-1])[-1])

    def blank(r: int) -> bool:
        return all(c.value in (None, "") for c in ws[r])

    start = next((r for r in range(list_end + 1, last + 1) if blank(r)), None)
    start = next((r for r in range(start + 1, last + 1) if not blank(r)), None) if start else None
    if start is None:
        return
    default_h = float(ws.sheet_format.defaultRowHeight or 15)

    def height(r: int) -> float:
        dim = ws.row_dimensions.get(r)
        return 0.0 if dim is not None and dim.hidden else float(dim.ht) if dim is not None and dim.ht else default_h

    cols = ws.max_column
    default_w = ws.sheet_format.defaultColWidth or 8.43
    width = sum(column_width_pt(ws.column_dimensions[get_column_letter(c)].width or default_w) for c in range(1, cols + 1)
                if not ws.column_dimensions[get_column_letter(c)].hidden)
    landscape = setup.orientation == "landscape"
    paper_w, paper_h = (842.0, 595.0) if landscape else (595.0, 842.0)
    mg = ws.page_margins
    room_w = paper_w - 72 * (float(mg.left or 0.7) + float(mg.right or 0.7))
    room_h = paper_h - 72 * (float(mg.top or 0.75) + float(mg.bottom or 0.75))
    if fitted and (setup.fitToWidth or 1) == 1 and not setup.fitToHeight:
        scale = min(100, int(100 * room_w / max(width, 1)))
    elif not fitted:
        scale = int(setup.scale or 100)
    else:
        return  # fitted to a number of pages tall: the program decides
    titles = ws.print_title_rows or ""
    head_rows = [int(x) for x in re.findall(r"\d+", titles)]
    head = sum(height(r) for r in range(head_rows[0], head_rows[-1] + 1)) if head_rows else 0.0
    breaks = {b.id for b in getattr(ws.row_breaks, "brk", ())}
    page = room_h * 100 / scale
    used, page_of = 0.0, {}
    for r in range(1, last + 1):
        h = height(r)
        if used + h > page and used > head:
            used = head
        used += h
        page_of[r] = used
        if r in breaks:
            used = page
    tail = sum(height(r) for r in range(max(list_start, list_end - 1), last + 1))
    split = any(page_of[r] < page_of[r - 1] for r in range(start + 1, last + 1))
    if not split or tail > page * 0.6:
        return
    carried = list_end - 2 if list_end - 2 >= list_start + 1 else start - 1
    ws.row_breaks.append(Break(id=carried))
    if fitted:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        setup.scale = max(10, scale - 1)


def _clear_empty_blocks(wb, blocks: dict[str, list[tuple[Block, str]]], maps: dict[str, RowMap],
                        data: TemplateData) -> None:
    """A block left once for an empty list: its formulas emptied (no ``#DIV/0!`` in an
    official table; the list fields are already empty)."""
    for title, bs in blocks.items():
        ws = wb[title]
        m = maps[sheet_key(title)]
        for b, prefix in bs:
            if data.lists.get(prefix):
                continue
            top = m.start(b)
            for (r, _c), cell in ws._cells.items():
                if top <= r < top + b.height and cell.data_type == "f":
                    cell._value = None
                    cell.data_type = "n"


__all__ = ["COMMAND", "PLAIN_FIELDS", "Failures", "FillResult", "Listing", "Placeholder", "Slot", "TemplateData",
           "TemplateScan", "check_slot", "fill_template", "parse", "problem", "render", "scan_template"]
