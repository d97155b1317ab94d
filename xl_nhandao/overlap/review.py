"""The review workbook of an overlap search (SPEC §5.4): what a coordinator reads, prints
and decides in.

Sheets (names without diacritics, like the rest of the project's outputs):

- ``TomTat``: what was compared (files, programmes, rows read, compared, not compared),
  the pairs per programme and level, the support events counted twice, how many are
  decided (live counts: formulas over the two other sheets), and how to decide and feed
  the file back (``overlap … --decisions``, ``consolidate … --decisions``).
- ``TrungLap``: one row per pair, strongest first (level ``match`` before ``possible``,
  then score), side by side: the campaign's address (blue headers), the other row (green
  headers), the ``Quyết định`` dropdown (``Trùng``/``Không trùng``, pre-filled with an
  earlier decision), the cells of the fields that differ between the two sides (name as
  typed, birth year, gender, identity number, commune, thôn) in gold on both sides.
  Where each row came from (file, sheet, row) is in the columns right of the printed
  area, for the screen. The last column, hidden, is ``Khóa``: the pair's identity
  (:mod:`.identity`), by which the decision is read back.
- ``SuKienTrung``: one row per support event counted twice, the campaign's event beside
  the other programme's row, its reason, a ``Quyết định`` dropdown and the hidden ``Khóa``.

Both tables are written by the consolidation's row writer (fixed XML fragments, several
times faster than XlsxWriter cell by cell: a review can list 100,000 pairs); what only
XlsxWriter does (header, widths, frozen panes, filter, dropdowns, conditional formats,
print setup) is set up on the sheet first. Highlights that depend on the row (differing
fields, decided rows) are conditional formats over a hidden column of flags and the
decision column, so they follow the rows when the coordinator sorts or filters.

Every text cell is a string, never a formula, whatever a clerk typed (``=1+1``). With
``mask`` the identity numbers (CCCD, other IDs, household codes, kept columns that hold
numbers of people) are shown as ``0790******45`` and nothing else in the file holds them:
the ``Khóa`` holds only hashes.

Language: the sheet names and the ``Quyết định`` values (``Trùng``/``Không trùng``) are
the same in every language (they are read back); with ``lang="en"`` the headers, labels,
levels, reasons and instructions are English, and :func:`~.decisions.read_decisions`
reads either.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path

from ..consolidate.rowwriter import Table
from ..i18n import Lang, fmt_int
from ..vn.text import fold, nfc
from ..vn.values import EXCEL_EPOCH
from ..workbook import printing
from ..workbook.guard import column_letters as _letter
from ..workbook.output import check_output, mark_xlsxwriter, now, write_atomic
from .identity import event_identity, pair_identity, voucher_key
from .model import CAMPAIGN, DECISIONS, NOT_SAME, SAME, EventTwice, Pair, People, mask_id

COMMAND = "overlap"
SUMMARY, PAIRS, EVENTS = "TomTat", "TrungLap", "SuKienTrung"
SHEETS = (SUMMARY, PAIRS, EVENTS)
#: Order of levels in the review (strongest first).
LEVEL_RANK = {"match": 0, "possible": 1}
LEVEL_LABELS: dict[str, tuple[str, str]] = {"match": ("Trùng chắc chắn", "Certain match"),
                                            "possible": ("Có thể trùng", "Possible match")}
BASIS_LABELS: dict[str, tuple[str, str]] = {"cccd": ("CCCD", "CCCD"),
                                            "fuzzy": ("Họ tên, năm sinh, nơi ở", "Name, birth year, place"),
                                            "hash": ("Mã băm", "Hashes")}
#: Headers of the columns read back, in both languages (the reader knows both).
DECISION_HEADER = ("Quyết định", "Decision")
KEY_HEADER = ("Khóa", "Key")
PROGRAMME_HEADER = ("Chương trình", "Programme")
#: How many characters of a hash a hashed list's row shows.
HASH_SHOWN = 10
#: Folded words of a kept column's header that say it holds a number of a person or a
#: household (masked with ``mask``).
_ID_WORDS = ("cccd", "cmnd", "can cuoc", "dinh danh", "chung minh", "ho chieu", "so the", "bhyt", "bao hiem",
             "dien thoai", "sdt", "so dt", "ma ho", "ma so", "so so", "so ho")

# Colours: headers of the campaign's side blue, of the other side green; the decision
# cells light blue (an input); the fields that differ gold; decided rows tinted.
RED = "#C00000"
HEAD, HEAD_CAMPAIGN, HEAD_OTHER, HEAD_SOURCE = "#F2DCDB", "#BDD7EE", "#C6E0B4", "#EDEDED"
INPUT, DIFFER = "#DDEBF7", "#FFE699"
LEVEL_FILL = {"match": "#F8CBAD", "possible": "#EDEDED"}
DECIDED_FILL = {SAME: "#FCE4D6", NOT_SAME: "#E2EFDA"}


# -- columns ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Col:
    key: str
    vi: str
    en: str
    width: float
    style: str = "text"
    number: bool = False
    wrap: bool = False
    group: str = "head"  # the header's colour: head | campaign | other | source
    hidden: bool = False

    def header(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en


def _pair_columns(extra: bool) -> list[_Col]:
    """TrungLap's columns: the printed ones (through the other side's household code, or
    its other kept columns), then where the rows came from, the flags and the key."""
    cols = [
        _Col("stt", "STT", "No.", 4.5, "whole", number=True),
        _Col("level", "Mức độ", "Level", 8.5, "wrap", wrap=True),
        _Col("score", "Điểm", "Score", 5.5, "score", number=True),
        _Col("decision", *DECISION_HEADER, 11, "decision"),
        _Col("basis", "Căn cứ", "Basis", 11, "wrap", wrap=True),
        _Col("reasons", "Lý do", "Reasons", 23, "wrap", wrap=True),
        _Col("unit", "Đơn vị", "Unit", 6.5, "code", group="campaign"),
        _Col("code", "Mã địa chỉ", "Address code", 11.5, "code", group="campaign"),
        _Col("name", "Họ và tên", "Name", 14, "wrap", wrap=True, group="campaign"),
        _Col("year", "Năm sinh", "Birth year", 5.5, "whole", number=True, group="campaign"),
        _Col("gender", "Giới tính", "Gender", 5.5, group="campaign"),
        _Col("cccd", "CCCD", "CCCD", 13.5, "code", group="campaign"),
        _Col("commune", "Mã xã", "Commune", 6.5, "code", group="campaign"),
        _Col("thon", "Thôn", "Village", 9, "wrap", wrap=True, group="campaign"),
        _Col("o_programme", *PROGRAMME_HEADER, 11, "wrap", wrap=True, group="other"),
        _Col("o_name", "Họ và tên", "Name", 14, "wrap", wrap=True, group="other"),
        _Col("o_year", "Năm sinh", "Birth year", 5.5, "whole", number=True, group="other"),
        _Col("o_gender", "Giới tính", "Gender", 5.5, group="other"),
        _Col("o_id", "Số định danh", "ID number", 13.5, "wrap", wrap=True, group="other"),
        _Col("o_commune", "Mã xã", "Commune", 6.5, "code", group="other"),
        _Col("o_thon", "Thôn", "Village", 9, "wrap", wrap=True, group="other"),
        _Col("o_address", "Địa chỉ", "Address", 13, "wrap", wrap=True, group="other"),
        _Col("o_household", "Mã hộ", "Household", 8.5, "wrap", wrap=True, group="other"),
    ]
    if extra:
        cols.append(_Col("o_extra", "Thông tin khác", "Other columns", 16, "wrap", wrap=True, group="other"))
    cols += [
        _Col("file", "Tệp địa chỉ", "Address file", 16, "wrap", wrap=True, group="source"),
        _Col("row", "Dòng địa chỉ", "Address row", 7, "whole", number=True, group="source"),
        _Col("o_file", "Tệp danh sách", "List file", 16, "wrap", wrap=True, group="source"),
        _Col("o_sheet", "Trang danh sách", "List sheet", 10, "wrap", wrap=True, group="source"),
        _Col("o_row", "Dòng danh sách", "List row", 7, "whole", number=True, group="source"),
        _Col("flags", "Khác nhau", "Differs", 12, hidden=True, group="source"),
        _Col("key", *KEY_HEADER, 40, hidden=True, group="source"),
    ]
    return cols


def _fitted(cols: list[_Col], lang: Lang) -> list[_Col]:
    """The columns, each at least as wide as the longest word of its header (bold), so
    that no header word is broken across lines."""
    out = []
    for c in cols:
        word = max(printing.text_em(w, bold=True) for w in c.header(lang).split()) * printing.FONT_SIZE
        out.append(replace(c, width=max(c.width, printing.width_for(word))))
    return out


def _event_columns() -> list[_Col]:
    return [
        _Col("stt", "STT", "No.", 4.5, "whole", number=True),
        _Col("unit", "Đơn vị", "Unit", 6.5, "code", group="campaign"),
        _Col("code", "Mã địa chỉ", "Address code", 11.5, "code", group="campaign"),
        _Col("day", "Ngày", "Date", 10, "date", number=True, group="campaign"),
        _Col("value", "Giá trị (đồng)", "Value (đồng)", 11, "money", number=True, group="campaign"),
        _Col("voucher", "Số chứng từ", "Voucher", 10, "wrap", wrap=True, group="campaign"),
        _Col("form", "Hình thức", "Form", 8.5, "wrap", wrap=True, group="campaign"),
        _Col("file", "Tệp", "File", 13, "wrap", wrap=True, group="campaign"),
        _Col("sheet", "Trang", "Sheet", 8, "wrap", wrap=True, group="campaign"),
        _Col("row", "Dòng", "Row", 5.5, "whole", number=True, group="campaign"),
        _Col("o_programme", *PROGRAMME_HEADER, 11, "wrap", wrap=True, group="other"),
        _Col("o_name", "Họ và tên", "Name", 14, "wrap", wrap=True, group="other"),
        _Col("o_day", "Ngày", "Date", 10, "date", number=True, group="other"),
        _Col("o_value", "Giá trị (đồng)", "Value (đồng)", 11, "money", number=True, group="other"),
        _Col("o_voucher", "Số chứng từ", "Voucher", 10, "wrap", wrap=True, group="other"),
        _Col("o_file", "Tệp", "File", 13, "wrap", wrap=True, group="other"),
        _Col("o_sheet", "Trang", "Sheet", 8, "wrap", wrap=True, group="other"),
        _Col("o_row", "Dòng", "Row", 5.5, "whole", number=True, group="other"),
        _Col("reason", "Lý do", "Reason", 22, "wrap", wrap=True),
        _Col("decision", *DECISION_HEADER, 11, "decision"),
        _Col("flags", "Khác nhau", "Differs", 12, hidden=True, group="source"),
        _Col("key", *KEY_HEADER, 40, hidden=True, group="source"),
    ]


#: The fields compared for highlighting, by flag: the columns that show them.
PAIR_FLAGS = {"ten": ("name", "o_name"), "nam": ("year", "o_year"), "gioi": ("gender", "o_gender"),
              "cccd": ("cccd", "o_id"), "xa": ("commune", "o_commune"), "thon": ("thon", "o_thon")}
EVENT_FLAGS = {"ngay": ("day", "o_day"), "gia_tri": ("value", "o_value"), "chung_tu": ("voucher", "o_voucher")}


# -- values ----------------------------------------------------------------------------
def _number(v: object) -> int | float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v


def _serial(d: object) -> int | None:
    if isinstance(d, datetime):
        d = d.date()
    return (d - EXCEL_EPOCH).days if isinstance(d, date) else None


def _shown(v: object) -> str | None:
    """A value of a kept column as text: dates day first, whole numbers without ``.0``."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _is_id_header(header: str) -> bool:
    h = fold(header)
    return any(w in h for w in _ID_WORDS)


def _name_cmp(x: object) -> str:
    hit = _NAME_CMP.get(x)  # type: ignore[call-overload]
    if hit is None:
        hit = " ".join(nfc(str(x)).split()).casefold()
        if len(_NAME_CMP) < 1 << 18:
            _NAME_CMP[x] = hit  # type: ignore[index]
    return hit


_NAME_CMP: dict[object, str] = {}


def _id_cmp(v: object) -> str:
    """An identity number or code compared: letters and digits, upper case, no leading zeros."""
    s = v if v.__class__ is str else str(v)
    if not s.isalnum():  # type: ignore[union-attr]
        s = "".join(ch for ch in s if ch.isalnum())  # type: ignore[union-attr]
    if s.isdigit():  # type: ignore[union-attr]
        return s.lstrip("0")  # type: ignore[union-attr]
    return s.upper()  # type: ignore[union-attr]


def _flags(found: list[str]) -> str | None:
    return ";" + ";".join(found) + ";" if found else None


class _Side:
    """What the review shows of one row of one side."""

    def __init__(self, people: People, mask: bool, lang: Lang) -> None:
        self.p = people
        self.mask = mask
        self.hash_label = "mã băm" if lang == "vi" else "hash"
        self.hashed = people.kind == "hashed"
        self.files = people.files
        self.extra_ids = {h: _is_id_header(h) for h in people.extra}

    def file(self, i: int) -> str | None:
        return self.files[self.p.file[i]] if self.files else None

    def name(self, i: int) -> str | None:
        if self.hashed:
            h = self.p.name_hash[i]
            return f"{self.hash_label} {h[:HASH_SHOWN]}" if h else None
        return self.p.name[i]

    def id(self, i: int, typed_first: bool) -> str | None:
        if self.hashed:
            h = self.p.cccd_hash[i]
            return f"{self.hash_label} {h[:HASH_SHOWN]}" if h else None
        p = self.p
        v = (p.id_text[i] or p.cccd[i]) if typed_first else (p.cccd[i] or p.id_text[i])
        return mask_id(v) if self.mask and v else v

    def household(self, i: int) -> str | None:
        v = _shown(self.p.household[i])
        return mask_id(v) if self.mask and v else v

    def extra(self, i: int) -> str | None:
        parts = []
        for header, values in self.p.extra.items():
            v = _shown(values[i] if i < len(values) else None)
            if v is None:
                continue
            if self.mask and self.extra_ids[header]:
                v = mask_id(v)
            parts.append(f"{header}: {v}")
        return "; ".join(parts) or None


def _pair_flags(c: People, a: int, o: People, b: int) -> str | None:
    """The fields shown on both sides that differ (both given): ``;ten;nam;`` …"""
    found = []
    hashed = o.kind == "hashed"
    x, y = c.name[a], o.name[b]
    if x and y and not hashed and _name_cmp(x) != _name_cmp(y):
        found.append("ten")
    x, y = c.birth_year[a], o.birth_year[b]
    if x is not None and y is not None and x != y:
        found.append("nam")
    x, y = c.gender[a], o.gender[b]
    if x and y and x != y and _name_cmp(x) != _name_cmp(y):
        found.append("gioi")
    x, y = c.cccd[a] or c.id_text[a], o.cccd[b] or o.id_text[b]
    if x and y and not hashed and x != y and _id_cmp(x) != _id_cmp(y):
        found.append("cccd")
    x, y = c.commune[a], o.commune[b]
    if x and y and x != y and _id_cmp(x) != _id_cmp(y):
        found.append("xa")
    x, y = c.thon[a], o.thon[b]
    if x and y and x != y and fold(str(x)) != fold(str(y)):
        found.append("thon")
    return _flags(found)


def _split_key(key: str | None) -> tuple[str | None, str | None]:
    if not key:
        return None, None
    unit, sep, code = key.partition("|")
    return (unit, code) if sep else (None, key)


def sort_pairs(pairs: Sequence[Pair]) -> list[Pair]:
    """Strongest first: level ``match`` before ``possible``, then score (highest first),
    then by address and the other row, so the order is the same on every run."""
    def key(p: Pair) -> tuple[object, ...]:
        c, o = p.campaign, p.other
        return (LEVEL_RANK.get(p.level, len(LEVEL_RANK)), -p.score, c.key[p.a] or "", o.programme,
                (o.files[o.file[p.b]] if o.files else ""), o.sheet[p.b] or "", o.row[p.b] or 0)
    return sorted(pairs, key=key)


def sort_events(events: Sequence[EventTwice]) -> list[EventTwice]:
    def key(e: EventTwice) -> tuple[object, ...]:
        c, o = e.campaign, e.other
        return (c.address or "", c.day or date.min, c.row, e.programme,
                (o.files[o.file[e.b]] if o.files else ""), o.row[e.b] or 0)
    return sorted(events, key=key)


def _pair_rows(pairs: list[Pair], cols: list[_Col], mask: bool, lang: Lang) -> Iterator[list[object]]:
    sides: dict[int, _Side] = {}

    def side(p: People) -> _Side:
        s = sides.get(id(p))
        if s is None:
            s = sides[id(p)] = _Side(p, mask, lang)
        return s

    keys = [c.key for c in cols]
    li = 0 if lang == "vi" else 1
    levels = {k: v[li] for k, v in LEVEL_LABELS.items()}
    bases = {k: v[li] for k, v in BASIS_LABELS.items()}
    reasons_cache: dict[tuple[object, ...], str] = {}
    for n, pair in enumerate(pairs, start=1):
        c, a, o, b = pair.campaign, pair.a, pair.other, pair.b
        cs, os_ = side(c), side(o)
        rkey = tuple((r.code, tuple(sorted(r.params.items(), key=str))) for r in pair.reasons)
        try:
            reasons = reasons_cache.get(rkey)
        except TypeError:
            rkey, reasons = None, None  # type: ignore[assignment]
        if reasons is None:
            reasons = "; ".join(r.text(lang) for r in pair.reasons)
            if rkey is not None and len(reasons_cache) < 100_000:
                reasons_cache[rkey] = reasons
        if pair.inside:
            ounit, ocode = _split_key(o.key[b])
            programme = CAMPAIGN
            address = (f"Mã địa chỉ {ocode or ''} (đơn vị {ounit or ''})" if lang == "vi"
                       else f"Address code {ocode or ''} (unit {ounit or ''})")
        else:
            programme, address = o.programme, o.address[b]
        unit, code = c.unit[a], c.code[a]
        if unit is None or code is None:
            unit, code = _split_key(c.key[a])
        v = {
            "stt": n, "level": levels.get(pair.level, pair.level), "score": round(float(pair.score), 2),
            "decision": pair.decision if pair.decision in DECISIONS else None,
            "basis": bases.get(pair.basis, pair.basis), "reasons": reasons or None,
            "unit": unit, "code": code, "name": c.name[a], "year": _number(c.birth_year[a]),
            "gender": c.gender[a], "cccd": cs.id(a, typed_first=False), "commune": c.commune[a], "thon": c.thon[a],
            "o_programme": programme, "o_name": os_.name(b), "o_year": _number(o.birth_year[b]),
            "o_gender": o.gender[b], "o_id": os_.id(b, typed_first=True), "o_commune": o.commune[b],
            "o_thon": o.thon[b], "o_address": address, "o_household": os_.household(b),
            "o_extra": os_.extra(b) if o.extra else None,
            "file": cs.file(a), "row": _number(c.row[a]), "o_file": os_.file(b), "o_sheet": o.sheet[b],
            "o_row": _number(o.row[b]), "flags": _pair_flags(c, a, o, b),
            "key": pair.identity or pair_identity(pair),
        }
        yield [v[k] for k in keys]


def _event_rows(events: list[EventTwice], cols: list[_Col], lang: Lang) -> Iterator[list[object]]:
    keys = [c.key for c in cols]
    sides: dict[int, _Side] = {}
    for n, ev in enumerate(events, start=1):
        c, o, b = ev.campaign, ev.other, ev.b
        s = sides.get(id(o))
        if s is None:
            s = sides[id(o)] = _Side(o, False, lang)
        unit, code = _split_key(c.address)
        found = []
        if c.day is not None and o.date[b] is not None and c.day != o.date[b]:
            found.append("ngay")
        if c.value is not None and o.value[b] is not None and c.value != o.value[b]:
            found.append("gia_tri")
        if c.voucher and o.voucher[b] and voucher_key(c.voucher) != voucher_key(o.voucher[b]):
            found.append("chung_tu")
        v = {
            "stt": n, "unit": unit, "code": code, "day": _serial(c.day), "value": _number(c.value),
            "voucher": c.voucher, "form": c.form, "file": c.file, "sheet": c.sheet, "row": _number(c.row),
            "o_programme": ev.programme or o.programme, "o_name": s.name(b), "o_day": _serial(o.date[b]),
            "o_value": _number(o.value[b]), "o_voucher": o.voucher[b], "o_file": s.file(b), "o_sheet": o.sheet[b],
            "o_row": _number(o.row[b]), "reason": ev.reason.text(lang),
            "decision": ev.decision if ev.decision in DECISIONS else None, "flags": _flags(found),
            "key": ev.identity or event_identity(ev),
        }
        yield [v[k] for k in keys]


# -- writing ---------------------------------------------------------------------------
def write_review(path: Path, pairs: list[Pair], events: list[EventTwice], campaign: People, lists: list[People], *,
                 inputs: list[Path], mask: bool = False, lang: Lang = "vi", force: bool = False,
                 summary: dict[str, object] | None = None) -> None:
    """Write the review workbook to ``path`` (an ``.xlsx``), atomically.

    Refused (:class:`~xl_nhandao.errors.RunError`) over one of ``inputs``, in a folder
    that does not exist, or over an existing file that is not an unedited earlier review
    (a reviewed file holds decisions) unless ``force``. ``pairs`` and ``events`` are
    written in review order (:func:`sort_pairs`, :func:`sort_events`); a pair's or an
    event's ``identity`` is computed when empty, its ``decision`` pre-fills the dropdown.
    ``campaign`` and ``lists`` say what was compared (``TomTat``). ``mask``: identity
    numbers shown masked (``0790******45``). ``summary``: more lines for ``TomTat``
    (label → value; a value may be a number, text, a list or a dict)."""
    check_output(path, inputs, ".xlsx", force=force, command=COMMAND)
    when = now()
    write_atomic(path, lambda tmp: _write(tmp, sort_pairs(pairs), sort_events(events), campaign, lists, mask=mask,
                                          lang=lang, summary=summary, when=when, name=path.name))


def _write(path: Path, pairs: list[Pair], events: list[EventTwice], campaign: People, lists: list[People], *,
           mask: bool, lang: Lang, summary: dict[str, object] | None, when: datetime, name: str) -> None:
    import xlsxwriter

    from ..consolidate.rowwriter import Column, Package, format_indices
    from ..consolidate.speed import no_cyclic_gc

    with no_cyclic_gc():
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False,
                                          "strings_to_urls": False, "in_memory": True})
        wb.set_properties({"title": "Rà soát trùng lặp" if lang == "vi" else "Overlap review",
                           "author": "xl-nhandao", "created": when})
        mark_xlsxwriter(wb, COMMAND, when)
        f = _formats(wb)
        extra = any(not p.inside and p.other.extra for p in pairs)
        pcols, ecols = _fitted(_pair_columns(extra), lang), _fitted(_event_columns(), lang)
        _summary(wb, f, pairs, events, campaign, lists, pcols, ecols, mask=mask, lang=lang, summary=summary,
                 when=when, name=name)
        tables: dict[int, _Table] = {}
        for sheet, cols, flags, rows, count, printed in (
                (PAIRS, pcols, PAIR_FLAGS, _pair_rows(pairs, pcols, mask, lang), len(pairs),
                 max(i for i, c in enumerate(pcols) if c.group in ("campaign", "other", "head"))),
                (EVENTS, ecols, EVENT_FLAGS, _event_rows(events, ecols, lang), len(events),
                 max(i for i, c in enumerate(ecols) if not c.hidden))):
            ws = _table_sheet(wb, f, sheet, cols, count, flags, printed, lang)
            levels = {label[0 if lang == "vi" else 1]: f"level_{k}" for k, label in LEVEL_LABELS.items()}
            tables[ws.index] = _Table(sheet, [Column(c.header(lang), c.width, c.style, c.number, c.wrap,
                                                     levels if c.key == "level" else {}) for c in cols], rows, count)
        xf = format_indices(f)
        wb.close()
        Package(buffer.getvalue(), tables, xf).write(path)


class _Table(Table):
    """A review table for the row writer; a row's height (tall enough for its wrapped
    text) looks the wrapped columns up once, not once a row."""

    @cached_property
    def _wrap(self) -> list[tuple[int, float, float]]:
        """The wrapped columns: index, width, room for text (points)."""
        return [(c, col.width, printing.column_pt(col.width)) for c, col in enumerate(self.columns) if col.wrap]

    def height(self, values: Sequence[object]) -> int | None:
        n = 1
        lines = printing.lines
        em = _EM.__getitem__
        for c, width, room in self._wrap:
            v = values[c]
            if not v or v.__class__ is not str:
                continue
            # most cells fit one line: their whole width says so without wrapping words
            if "\n" not in v and sum(map(em, v)) * printing.FONT_SIZE <= room:  # type: ignore[arg-type]
                continue
            k = lines(v, width)
            if k > n:
                n = k
        return printing.height_px(n) if n > 1 else None


class _Widths(dict):  # type: ignore[type-arg]
    """Width in em of each character as :func:`~xl_nhandao.workbook.printing.text_em`
    measures it (with its safety margin), looked up at C speed."""

    def __missing__(self, ch: str) -> float:
        w = self[ch] = printing.text_em(ch)
        return w


_EM = _Widths()


def _formats(wb) -> dict[str, object]:  # type: ignore[no-untyped-def]
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
    wrap = {**base, "text_wrap": True}
    head = {**base, "bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
    out = {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "font_color": RED}),
        "subtitle": wb.add_format({**wrap, "italic": True}),
        "section": wb.add_format({**base, "bold": True, "font_size": 12}),
        "head": wb.add_format({**head, "bg_color": HEAD}),
        "head_campaign": wb.add_format({**head, "bg_color": HEAD_CAMPAIGN}),
        "head_other": wb.add_format({**head, "bg_color": HEAD_OTHER}),
        "head_source": wb.add_format({**head, "bg_color": HEAD_SOURCE}),
        "text": wb.add_format(base),
        "wrap": wb.add_format(wrap),
        "code": wb.add_format({**base, "num_format": "@"}),
        "whole": wb.add_format({**base, "num_format": "0", "align": "center"}),
        "score": wb.add_format({**base, "num_format": "0.00", "align": "center"}),
        "date": wb.add_format({**base, "num_format": "dd/mm/yyyy"}),
        "money": wb.add_format({**base, "num_format": "#,##0"}),
        "int": wb.add_format({**base, "num_format": "#,##0"}),
        "bold_int": wb.add_format({**base, "num_format": "#,##0", "bold": True, "top": 1}),
        "bold": wb.add_format({**base, "bold": True, "top": 1}),
        # the whole decision column: an input (empty cells too: the column's own format)
        "decision": wb.add_format({**base, "bg_color": INPUT, "locked": False, "align": "center"}),
        "level_match": wb.add_format({**wrap, "bg_color": LEVEL_FILL["match"]}),
        "level_possible": wb.add_format({**wrap, "bg_color": LEVEL_FILL["possible"]}),
        # conditional formats: a fill only (the cell keeps its font and number format)
        "differs": wb.add_format({"bg_color": DIFFER, "bold": True}),
        "decided_same": wb.add_format({"bg_color": DECIDED_FILL[SAME]}),
        "decided_not_same": wb.add_format({"bg_color": DECIDED_FILL[NOT_SAME]}),
    }
    return out


def _sheet(wb, name: str, lang: Lang, landscape: bool = True):  # type: ignore[no-untyped-def]
    ws = wb.add_worksheet(name)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    page = "Trang" if lang == "vi" else "Page"
    ws.set_footer(f"&C&\"Times New Roman\"&10{page} &P / &N")
    ws.fit_to_pages(1, 0)
    return ws


_PAGE_HEADER = {
    PAIRS: ("RÀ SOÁT TRÙNG LẶP — các cặp có thể là cùng một người", "OVERLAP REVIEW — pairs that may be one person"),
    EVENTS: ("RÀ SOÁT TRÙNG LẶP — trợ giúp có thể đã tính ở chương trình khác",
             "OVERLAP REVIEW — support that may be counted in another programme"),
}
_LEGEND = {
    PAIRS: ("Tiêu đề xanh dương: địa chỉ của cuộc vận động · xanh lá: chương trình khác · ô vàng: hai bên khác nhau",
            "Blue headers: the campaign's address · green: the other programme · gold cells: the two sides differ"),
    EVENTS: ("Tiêu đề xanh dương: trợ giúp của cuộc vận động · xanh lá: chương trình khác · ô vàng: hai bên khác nhau",
             "Blue headers: the campaign's support · green: the other programme · gold cells: the two sides differ"),
}


def _table_sheet(wb, f, name: str, cols: list[_Col], count: int, flags: dict[str, tuple[str, str]],  # type: ignore[no-untyped-def]
                 printed: int, lang: Lang):
    """A review table's sheet with everything but its rows: header, widths, hidden
    columns, frozen panes, filter, the decision dropdown, the conditional formats that
    mark differing fields and decided rows, print setup."""
    ws = _sheet(wb, name, lang)
    li = 0 if lang == "vi" else 1
    title, legend = _PAGE_HEADER[name][li], _LEGEND[name][li]
    ws.set_header(f"&L&\"Times New Roman,Bold\"&10{_amp(title)}&R&\"Times New Roman,Italic\"&8{_amp(legend)}",
                  {"margin": 0.25})
    headers = [c.header(lang) for c in cols]
    for i, c in enumerate(cols):
        ws.set_column(i, i, c.width, f["decision"] if c.key == "decision" else None,
                      {"hidden": True} if c.hidden else {})
        ws.write_string(0, i, headers[i], f[c.group if c.group == "head" else f"head_{c.group}"])
    shown = [(h, c.width) for h, c in zip(headers, cols) if not c.hidden]
    n_lines = max(printing.lines(h, w, bold=True) for h, w in shown)
    ws.set_row_pixels(0, printing.height_px(n_lines))
    last = max(count, 1)
    index = {c.key: i for i, c in enumerate(cols)}
    decision = index["decision"]
    ws.freeze_panes(1, decision + 1 if decision < 6 else 3)
    ws.autofilter(0, 0, last, len(cols) - 1)
    ws.repeat_rows(0)
    ws.print_area(0, 0, last, printed)
    same, not_same = SAME, NOT_SAME
    ws.data_validation(1, decision, last, decision, {
        "validate": "list", "source": [same, not_same],
        "input_title": "Quyết định" if lang == "vi" else "Decision",
        "input_message": (f"Chọn {same} (cùng một người) hoặc {not_same}; chưa chắc thì để trống." if lang == "vi"
                          else f"Choose {same} (the same) or {not_same} (not the same); leave blank if unsure."),
        "error_title": "Quyết định" if lang == "vi" else "Decision",
        "error_message": (f"Chỉ chọn {same} hoặc {not_same} (hoặc để trống)." if lang == "vi"
                          else f"Choose {same} or {not_same} only (or leave blank)."),
    })
    flag_col = _letter(index["flags"])
    for flag, (left, right) in flags.items():
        a, b = index[left], index[right]
        ws.conditional_format(1, a, last, a, {
            "type": "formula", "criteria": f'=ISNUMBER(SEARCH(";{flag};",${flag_col}2))', "format": f["differs"],
            "multi_range": f"{_letter(a)}2:{_letter(a)}{last + 1} {_letter(b)}2:{_letter(b)}{last + 1}"})
    dcol = _letter(decision)
    visible_last = max(i for i, c in enumerate(cols) if not c.hidden)
    for value, fmt in ((same, "decided_same"), (not_same, "decided_not_same")):
        ws.conditional_format(1, 0, last, visible_last, {
            "type": "formula", "criteria": f'=${dcol}2="{value}"', "format": f[fmt]})
    return ws


def _amp(text: str) -> str:
    return text.replace("&", "&&")


# -- TomTat ----------------------------------------------------------------------------
_T: dict[str, tuple[str, str]] = {
    "title": ("RÀ SOÁT TRÙNG LẶP VỚI CÁC CHƯƠNG TRÌNH KHÁC", "OVERLAP WITH OTHER PROGRAMMES: REVIEW"),
    "subtitle": ("Lập bởi xl-nhandao lúc {when}. Địa chỉ nhân đạo của cuộc vận động được đối chiếu với danh sách "
                 "người hưởng của các chương trình khác và với nhau (một người do hai đơn vị cùng đăng ký).",
                 "Written by xl-nhandao at {when}. The campaign's humanitarian addresses are compared with other "
                 "programmes' beneficiary lists and with each other (one person registered by two units)."),
    "compared": ("1. Đã so sánh", "1. What was compared"),
    "side": ("Chương trình", "Programme"),
    "files": ("Tệp", "Files"),
    "read": ("Dòng đã đọc", "Rows read"),
    "used": ("Dòng đã so sánh", "Rows compared"),
    "excluded": ("Dòng không so sánh", "Rows not compared"),
    "results": ("2. Kết quả và quyết định (số quyết định tự cập nhật khi điền trang TrungLap, SuKienTrung)",
                "2. Results and decisions (the decided counts update as TrungLap and SuKienTrung are filled in)"),
    "match": ("Trùng chắc chắn", "Certain matches"),
    "possible": ("Có thể trùng", "Possible matches"),
    "same": ("Đã chọn Trùng", "Decided Trùng"),
    "not_same": ("Đã chọn Không trùng", "Decided Không trùng"),
    "open": ("Chưa quyết định", "Not yet decided"),
    "events": ("Trợ giúp tính hai lần", "Support counted twice"),
    "events_open": ("Trợ giúp chưa quyết định", "Support not yet decided"),
    "total": ("Cộng", "Total"),
    "inside_note": ("“{campaign}”: một người do hai đơn vị cùng đăng ký, hoặc đăng ký hai lần.",
                    "“{campaign}”: one person registered by two units, or twice."),
    "how": ("3. Cách làm", "3. How to decide"),
    "more": ("4. Thông tin thêm", "4. More"),
    "masked": ("Số CCCD, số định danh và mã hộ đã được che (--mask): chỉ còn 4 chữ số đầu và 2 chữ số cuối.",
               "CCCD, ID numbers and household codes are masked (--mask): only the first 4 and last 2 characters show."),
    "none": ("(không có)", "(none)"),
}

_HOW: tuple[tuple[str, str], ...] = (
    ("Trang TrungLap: mỗi dòng là một cặp có thể là cùng một người. Bên trái (tiêu đề xanh dương) là địa chỉ nhân đạo "
     "của cuộc vận động; bên phải (tiêu đề xanh lá) là một dòng trong danh sách của chương trình khác, hoặc một địa chỉ "
     "do đơn vị khác đăng ký. Các cặp xếp theo mức độ (Trùng chắc chắn trước), rồi theo điểm từ cao xuống.",
     "Sheet TrungLap: each row is a pair that may be one person. On the left (blue headers) the campaign's "
     "humanitarian address; on the right (green headers) a row of another programme's list, or an address another "
     "unit registered. Pairs are sorted by level (certain matches first), then by score, highest first."),
    ("Xem cột Lý do và các ô tô vàng (thông tin hai bên khác nhau), rồi chọn ở cột Quyết định: “{same}” nếu là cùng "
     "một người, “{not_same}” nếu không phải. Chưa chắc thì để trống. Dòng đã quyết định được tô màu.",
     "Read the Reasons and the gold cells (where the two sides differ), then choose in the Decision column: “{same}” "
     "when it is the same person, “{not_same}” when it is not. Leave it blank if unsure. Decided rows are tinted."),
    ("Trang SuKienTrung: lần trợ giúp của cuộc vận động có thể đã được tính ở chương trình khác (cùng số chứng từ, "
     "hoặc cùng giá trị và ngày lệch không quá 3 ngày). Khi tổng hợp, lần trợ giúp đó không được tính vào số liệu của "
     "cuộc vận động (và được ghi ở trang LoaiTru), trừ khi chọn “{not_same}”.",
     "Sheet SuKienTrung: a campaign support event that may already be counted in another programme (same voucher "
     "number, or the same value within 3 days). A consolidation leaves it out of the campaign's figures (and lists "
     "it in LoaiTru) unless it is decided “{not_same}”."),
    ("Có thể sắp xếp, lọc, ẩn dòng, thêm cột, chèn dòng ghi chú phía trên bảng. Không xóa hay sửa cột Khóa (cột ẩn "
     "cuối cùng): mỗi quyết định được nhận theo khóa ấy, không theo số dòng. Xóa một dòng thì cặp hay lần trợ giúp đó "
     "coi như không có trong tệp này.",
     "You may sort, filter, hide rows, add columns and insert note rows above the table. Do not delete or edit the "
     "Khóa column (the last, hidden one): each decision is read by that key, not by its row number. A deleted row is "
     "as if the pair or the support event were not in this file."),
    ("Lưu tệp (vẫn dạng .xlsx). Để giữ các quyết định ở lần rà soát sau, chạy lại với: xl-nhandao overlap … "
     "--decisions “{name}” (ghi kết quả mới ra tệp khác tên).",
     "Save the file (still .xlsx). To keep the decisions in the next review, run again with: xl-nhandao overlap … "
     "--decisions “{name}” (writing the new review to another name)."),
    ("Để tính số liệu theo các quyết định: xl-nhandao consolidate … --decisions “{name}”. Hai địa chỉ đã chọn "
     "“{same}” chỉ tính một lần; lần trợ giúp tính hai lần không được tính, trừ khi đã chọn “{not_same}”.",
     "To compute the figures with the decisions: xl-nhandao consolidate … --decisions “{name}”. Two addresses "
     "decided “{same}” count once; support counted twice is not counted unless decided “{not_same}”."),
)


def _summary(wb, f, pairs: list[Pair], events: list[EventTwice], campaign: People, lists: list[People],  # type: ignore[no-untyped-def]
             pcols: list[_Col], ecols: list[_Col], *, mask: bool, lang: Lang, summary: dict[str, object] | None,
             when: datetime, name: str) -> None:
    li = 0 if lang == "vi" else 1

    def t(key: str, **params: str) -> str:
        return _T[key][li].format(**params)

    ws = _sheet(wb, SUMMARY, lang, landscape=False)
    widths = [30.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    page = sum(widths)
    ws.write_string(0, 0, t("title"), f["title"])
    local = when.replace(tzinfo=timezone.utc).astimezone()  # written in UTC, shown in local time
    r = _paragraph(ws, f, 1, t("subtitle", when=f"{local:%H:%M %d/%m/%Y}"), page, "subtitle")
    r += 1

    # 1. What was compared
    ws.write_string(r, 0, t("compared"), f["section"])
    r += 1
    heads = [t("side"), t("files"), "", "", t("read"), t("used"), t("excluded")]
    for c, h in enumerate(heads):
        if c not in (1, 2, 3):
            ws.write_string(r, c, h, f["head"])
    _merged(ws, r, 1, 3, t("files"), f["head"])
    ws.set_row_pixels(r, printing.height_px(max(printing.lines(h, widths[c], bold=True) for c, h in enumerate(heads)
                                                if h)))
    r += 1
    for people in (campaign, *lists):
        files = ", ".join(people.files) or t("none")
        label = CAMPAIGN if people is campaign else people.programme
        ws.write_string(r, 0, label, f["wrap"])
        _merged(ws, r, 1, 3, files, f["wrap"])
        ws.write_number(r, 4, len(people) + len(people.excluded), f["int"])
        ws.write_number(r, 5, len(people), f["int"])
        ws.write_number(r, 6, len(people.excluded), f["int"])
        n = max(printing.lines(label, widths[0]), printing.lines(files, sum(widths[1:4]) + 1))
        if n > 1:
            ws.set_row_pixels(r, printing.height_px(n))
        r += 1
    r += 1

    # 2. Results and decisions, per programme
    ws.write_string(r, 0, t("results"), f["section"])
    r += 1
    heads = [t("side"), t("match"), t("possible"), t("same"), t("not_same"), t("open"), t("events"), t("events_open")]
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f["head"])
    ws.set_row_pixels(r, printing.height_px(max(printing.lines(h, widths[c], bold=True) for c, h in enumerate(heads))))
    r += 1
    programmes = list(dict.fromkeys([p.programme for p in lists]))
    counts: dict[str, dict[str, int]] = {}

    def count(programme: str, key: str) -> None:
        if programme not in programmes:
            programmes.append(programme)
        by_key = counts.setdefault(programme, {})
        by_key[key] = by_key.get(key, 0) + 1

    for p in pairs:
        prog = CAMPAIGN if p.inside else p.other.programme
        count(prog, p.level)
        if p.decision in DECISIONS:
            count(prog, p.decision)
    for e in events:
        prog = e.programme or e.other.programme
        count(prog, "event")
        if e.decision in DECISIONS:
            count(prog, "event_" + e.decision)
    if CAMPAIGN in programmes:  # the campaign's own pairs last
        programmes.remove(CAMPAIGN)
        programmes.append(CAMPAIGN)
    pidx = {c.key: i for i, c in enumerate(pcols)}
    eidx = {c.key: i for i, c in enumerate(ecols)}
    p_last, e_last = max(len(pairs), 1) + 1, max(len(events), 1) + 1

    def rng(sheet: str, col: int, last: int) -> str:
        return f"{sheet}!${_letter(col)}$2:${_letter(col)}${last}"

    p_prog, p_dec = rng(PAIRS, pidx["o_programme"], p_last), rng(PAIRS, pidx["decision"], p_last)
    e_prog, e_dec = rng(EVENTS, eidx["o_programme"], e_last), rng(EVENTS, eidx["decision"], e_last)
    first = r
    for prog in programmes:
        c = counts.get(prog, {})
        a = f"$A{r + 1}"
        ws.write_string(r, 0, prog, f["wrap"])
        ws.write_number(r, 1, c.get("match", 0), f["int"])
        ws.write_number(r, 2, c.get("possible", 0), f["int"])
        same_n, not_n = c.get(SAME, 0), c.get(NOT_SAME, 0)
        ws.write_formula(r, 3, f'=COUNTIFS({p_prog},{a},{p_dec},"{SAME}")', f["int"], same_n)
        ws.write_formula(r, 4, f'=COUNTIFS({p_prog},{a},{p_dec},"{NOT_SAME}")', f["int"], not_n)
        ws.write_formula(r, 5, f"=COUNTIFS({p_prog},{a})-D{r + 1}-E{r + 1}", f["int"],
                         c.get("match", 0) + c.get("possible", 0) - same_n - not_n)
        ws.write_number(r, 6, c.get("event", 0), f["int"])
        ev_open = c.get("event", 0) - c.get("event_" + SAME, 0) - c.get("event_" + NOT_SAME, 0)
        ws.write_formula(r, 7, f'=COUNTIFS({e_prog},{a})-COUNTIFS({e_prog},{a},{e_dec},"{SAME}")'
                               f'-COUNTIFS({e_prog},{a},{e_dec},"{NOT_SAME}")', f["int"], ev_open)
        if printing.lines(prog, widths[0]) > 1:
            ws.set_row_pixels(r, printing.height_px(printing.lines(prog, widths[0])))
        r += 1
    ws.write_string(r, 0, t("total"), f["bold"])
    totals = [sum(counts.get(p, {}).get(k, 0) for p in programmes) for k in ("match", "possible", SAME, NOT_SAME)]
    opened = totals[0] + totals[1] - totals[2] - totals[3]
    ev_total = sum(counts.get(p, {}).get("event", 0) for p in programmes)
    ev_open_total = ev_total - sum(counts.get(p, {}).get("event_" + d, 0) for p in programmes for d in DECISIONS)
    for c, v in enumerate([*totals, opened, ev_total, ev_open_total], start=1):
        col = _letter(c)
        if r > first:
            ws.write_formula(r, c, f"=SUM({col}{first + 1}:{col}{r})", f["bold_int"], v)
        else:
            ws.write_number(r, c, v, f["bold_int"])
    r += 1
    if CAMPAIGN in programmes:
        r = _paragraph(ws, f, r, t("inside_note", campaign=CAMPAIGN), page, "subtitle")
    r += 1

    # 3. How to decide
    ws.write_string(r, 0, t("how"), f["section"])
    r += 1
    for n, (vi, en) in enumerate(_HOW, start=1):
        text = f"{n}. " + (vi if lang == "vi" else en).format(same=SAME, not_same=NOT_SAME, name=name)
        r = _paragraph(ws, f, r, text, page, "wrap")

    # 4. More
    lines = []
    if mask:
        lines.append(t("masked"))
    for label, value in (summary or {}).items():
        lines.append(f"{label}: {_summary_value(value, lang)}")
    if lines:
        r += 1
        ws.write_string(r, 0, t("more"), f["section"])
        r += 1
        for text in lines:
            r = _paragraph(ws, f, r, text, page, "wrap")
    ws.print_area(0, 0, r, len(widths) - 1)
    ws.activate()


def _paragraph(ws, f, r: int, text: str, width: float, style: str) -> int:  # type: ignore[no-untyped-def]
    """``text`` across the summary's columns (merged), in a row tall enough for it; the
    next free row."""
    _merged(ws, r, 0, 7, text, f[style])
    ws.set_row_pixels(r, printing.height_px(printing.lines(text, width + 6)))
    return r + 1


def _merged(ws, r: int, c0: int, c1: int, text: str, fmt) -> None:  # type: ignore[no-untyped-def]
    """Cells ``c0``–``c1`` of row ``r`` merged, holding ``text`` as a string."""
    ws.merge_range(r, c0, r, c1, "", fmt)
    ws.write_string(r, c0, text, fmt)


def _summary_value(value: object, lang: Lang) -> str:
    if isinstance(value, bool):
        return ("Có" if value else "Không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, (int, float)):
        return fmt_int(value, lang)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_summary_value(v, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_summary_value(v, lang) for v in value)
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


__all__ = ["COMMAND", "EVENTS", "PAIRS", "SHEETS", "SUMMARY", "sort_events", "sort_pairs", "write_review"]
