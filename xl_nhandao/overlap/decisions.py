"""Reading a coordinator's decisions back from a review workbook (SPEC §5.4:
``overlap … --decisions REVIEW.xlsx`` and ``consolidate … --decisions REVIEW.xlsx``).

A decision is read by the row's ``Khóa`` (its identity, :mod:`.identity`), never by its
row number: the coordinator may sort, filter, hide or delete rows, add columns, insert
rows above the header, retitle it, rename a sheet. The review's sheets are found by name
(``TrungLap``, ``SuKienTrung``; case, diacritics and spacing ignored), else any sheet
whose header has a ``Quyết định`` and a ``Khóa`` column; the columns by header (Vietnamese
or English, as the reader compares headers). Each row says by its key whether it is a
pair (``P``, ``C``) or an event (``E``), whichever sheet it is on.

A decision is ``Trùng`` or ``Không trùng``, typed in any case, with or without diacritics
(``TRUNG``, ``khong trung``). Anything else (``x``, ``?``, ``có``) is *not* a decision: it
is named in :attr:`Decisions.notices` (sheet and cell, not its text, which may be a
person's name) and the row counts as not decided. So is a decision whose ``Khóa`` is
empty or was edited, and one identity decided both ways. A file that is not a review,
or whose ``Khóa`` or ``Quyết định`` column is gone, is a :class:`~xl_nhandao.errors.RunError`.

The file is read with the project's reader (python-calamine, after the checks of
:mod:`xl_nhandao.workbook.guard`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..consolidate.model import Decided
from ..errors import RunError
from ..i18n import Lang, render
from ..vn.text import fold
from ..workbook import standard
from ..workbook.reader import Reader, TableRead, cell_ref
from ..workbook.source import FileWorkbook
from .identity import campaign_event_key, event_identity, pair_identity, parse_identity
from .model import NOT_SAME, SAME, EventTwice, Pair
from .review import DECISION_HEADER, EVENTS, KEY_HEADER, PAIRS, PROGRAMME_HEADER, SUMMARY

_IGNORED = standard.IGNORED
#: The review's tables as the reader sees them: the two columns read back (the key, the
#: decision), the programme (the reason an event is left out), and the other headers of
#: the review, which find the header row when the key column is gone.
REVIEW_TABLE = standard.TableSheet(
    PAIRS, "Rà soát trùng lặp",
    (
        standard.Field("khoa", KEY_HEADER[0], standard.TEXT, required=True, aliases=(KEY_HEADER[1], "Khoá")),
        standard.Field("quyet_dinh", DECISION_HEADER[0], standard.TEXT,
                       aliases=(DECISION_HEADER[1], "Quyết định (Trùng/Không trùng)")),
        standard.Field("chuong_trinh", PROGRAMME_HEADER[0], _IGNORED, aliases=(PROGRAMME_HEADER[1],)),
        standard.Field("stt", "STT", _IGNORED, aliases=("TT", "No.", "Số TT")),
        standard.Field("muc_do", "Mức độ", _IGNORED, aliases=("Level", "Mức")),
        standard.Field("diem", "Điểm", _IGNORED, aliases=("Score",)),
        standard.Field("can_cu", "Căn cứ", _IGNORED, aliases=("Basis",)),
        standard.Field("ly_do", "Lý do", _IGNORED, aliases=("Reasons", "Reason")),
        standard.Field("ma_dia_chi", "Mã địa chỉ", _IGNORED, aliases=("Address code",)),
        standard.Field("so_chung_tu", "Số chứng từ", _IGNORED, aliases=("Voucher",)),
    ),
    key_field="khoa",
)
#: Sheet names (folded, letters and digits only) of the review's tables.
_SHEET_KEYS = {standard.sheet_key(n) for n in (PAIRS, EVENTS, "Trùng lặp", "Sự kiện trùng", "Trung lap", "Su kien")}
_SUMMARY_KEY = standard.sheet_key(SUMMARY)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORDS = {"trung": SAME, "khongtrung": NOT_SAME}

_NOTICES: dict[str, tuple[str, str]] = {
    "decision-unknown": (
        "Trang “{sheet}”, ô {cell}: không phải một quyết định; hãy chọn “Trùng” hoặc “Không trùng” trong danh sách "
        "(hoặc để trống). Dòng này được coi là chưa quyết định.",
        "Sheet “{sheet}”, cell {cell}: not a decision; choose “Trùng” or “Không trùng” from the list (or leave it "
        "blank). The row is taken as not yet decided.",
    ),
    "decision-no-key": (
        "Trang “{sheet}”, dòng {row}: có quyết định nhưng ô Khóa {cell} trống hoặc đã bị sửa, nên không biết quyết "
        "định thuộc cặp nào; quyết định này bị bỏ qua. Hãy chép lại ô Khóa của dòng đó từ tệp rà soát gốc.",
        "Sheet “{sheet}”, row {row}: a decision whose Khóa cell {cell} is empty or was edited, so which pair it "
        "decides is unknown; it is ignored. Copy that row's Khóa back from the original review.",
    ),
    "decision-conflict": (
        "Trang “{sheet}”, ô {cell}: cùng một cặp với ô {first} (cùng Khóa) nhưng quyết định khác; cặp này được coi là "
        "chưa quyết định. Hãy sửa cho hai ô giống nhau.",
        "Sheet “{sheet}”, cell {cell}: the same pair as cell {first} (same Khóa) but decided otherwise; the pair is "
        "taken as not yet decided. Make the two cells agree.",
    ),
}


@dataclass(frozen=True)
class Notice:
    """A cell of the review that could not be taken as a decision (not fatal)."""

    code: str
    sheet: str
    row: int
    cell: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def message(self, lang: Lang = "vi") -> str:
        vi, en = _NOTICES[self.code]
        return render(vi if lang == "vi" else en, {"sheet": self.sheet, "row": self.row, "cell": self.cell,
                                                   **self.params}, lang)

    text = message  # a notice of the run, like the others (OverlapResult.notices)

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        return {"code": self.code, "sheet": self.sheet, "row": self.row, "cell": self.cell,
                "message": self.message(lang)}


@dataclass
class ListedEvent:
    """A support event the review lists as counted twice (decided or not)."""

    identity: str
    programme: str | None
    decision: str | None
    sheet: str
    row: int


@dataclass
class Decisions:
    """The decisions of one review file.

    ``pairs``/``events``: identity → ``Trùng`` or ``Không trùng`` (decided rows only);
    ``listed``: every event the review lists, decided or not, by the campaign side of its
    identity (:func:`~.identity.campaign_event_key`); ``notices``: cells not taken."""

    file: str
    pairs: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    listed: dict[str, list[ListedEvent]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)

    def inside_same(self) -> list[tuple[str, str]]:
        """The pairs of campaign addresses decided ``Trùng``, as address keys
        ``("<unit>|<code>", "<unit>|<code>")`` (sorted within each pair, pairs sorted):
        each such pair counts as one person."""
        out = []
        for identity, decision in self.pairs.items():
            if decision == SAME and identity.startswith("C|"):
                parts = parse_identity(identity)
                out.append((str(parts["a"]), str(parts["b"])))
        return sorted(out)

    def event_decision(self, campaign_event_key: str) -> str | None:
        """What a consolidation does with a campaign support event (by
        :func:`~.identity.campaign_event_key` of its merged TroGiup row):

        - ``None``: the review does not list it — counted as usual;
        - ``"Không trùng"``: listed, and every listed other row was decided ``Không
          trùng`` — counted;
        - ``"Trùng"``: listed and decided ``Trùng`` or not (yet) decided — left out of the
          figures (and listed in ``LoaiTru``)."""
        listed = self.listed.get(campaign_event_key)
        if not listed:
            return None
        return NOT_SAME if all(e.decision == NOT_SAME for e in listed) else SAME

    def excluded_event(self, campaign_event_key: str) -> bool:
        """Whether the event is left out of the figures (:meth:`event_decision` is ``Trùng``)."""
        return self.event_decision(campaign_event_key) == SAME

    def event_programmes(self, campaign_event_key: str) -> list[str]:
        """The programmes the review says the event is also counted in (for ``LoaiTru``)."""
        return list(dict.fromkeys(e.programme for e in self.listed.get(campaign_event_key, ()) if e.programme))

    def apply(self, pairs: Iterable[Pair], events: Iterable[EventTwice]) -> int:
        """Give each pair and event its identity (when it has none) and its decision from
        this file; the number of pairs and events decided."""
        n = 0
        for p in pairs:
            p.identity = p.identity or pair_identity(p)
            d = self.pairs.get(p.identity)
            if d is not None:
                p.decision = d
                n += 1
        for e in events:
            e.identity = e.identity or event_identity(e)
            d = self.events.get(e.identity)
            if d is not None:
                e.decision = d
                n += 1
        return n


def decision_value(raw: object) -> str | None:
    """``Trùng``/``Không trùng`` from a cell as typed (case, diacritics, spacing and
    punctuation ignored); ``""`` for a blank cell; None for anything else."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        return None
    if not raw.strip():
        return ""
    return _WORDS.get(_NOT_ALNUM.sub("", fold(raw)))


def read_decisions(path: Path) -> Decisions:
    """The decisions in the review workbook ``path`` (see the module's docstring)."""
    source = FileWorkbook(path)
    reader = Reader(source)
    names = source.sheet_names()
    named = [n for n in names if standard.sheet_key(n) in _SHEET_KEYS]
    others = [n for n in names if n not in named and standard.sheet_key(n) != _SUMMARY_KEY]
    out = Decisions(source.label)
    seen_pairs: dict[str, tuple[str, str]] = {}  # identity → (decision, cell) first read
    seen_events: dict[str, tuple[str, str]] = {}
    conflicts: set[str] = set()
    found = False
    for name in (*named, *others):
        table = reader.read_table(REVIEW_TABLE, name)
        cols = table.columns
        has_key, has_decision = "khoa" in cols, "quyet_dinh" in cols
        if table.header_row is None or not (has_key or has_decision):
            continue
        if not (has_key and has_decision):
            if name not in named:
                continue  # a sheet of the coordinator's own
            raise RunError("review-key-missing" if has_decision else "review-decision-missing",
                           path=str(path), sheet=name)
        found = True
        _read_rows(reader, table, name, out, seen_pairs, seen_events, conflicts)
    if not found:
        raise RunError("review-not-review", path=str(path))
    for identity in conflicts:
        out.pairs.pop(identity, None)
        out.events.pop(identity, None)
    for listed in out.listed.values():
        for e in listed:
            if e.identity in conflicts:
                e.decision = None
    return out


def _read_rows(reader: Reader, table: TableRead, sheet: str, out: Decisions, seen_pairs: dict[str, tuple[str, str]],
               seen_events: dict[str, tuple[str, str]], conflicts: set[str]) -> None:
    rows = reader.sheet(sheet).rows
    kcol, dcol = table.columns["khoa"], table.columns["quyet_dinh"]
    pcol = table.columns.get("chuong_trinh")
    listed_ids: set[str] = {e.identity for es in out.listed.values() for e in es}
    for rec in table.records:
        r = rec.row
        row = rows[r - 1]
        raw_key = row[kcol] if kcol < len(row) else ""
        raw_decision = row[dcol] if dcol < len(row) else ""
        decision = decision_value(raw_decision)
        d_cell = cell_ref(dcol, r)
        if decision is None:
            out.notices.append(Notice("decision-unknown", sheet, r, d_cell))
        try:
            parts = parse_identity(raw_key) if isinstance(raw_key, str) else None
        except ValueError:
            parts = None
        if parts is None:
            if decision:
                out.notices.append(Notice("decision-no-key", sheet, r, cell_ref(kcol, r)))
            continue
        identity = str(raw_key).strip()
        kind = parts["kind"]
        if kind == "E":
            key = str(parts["campaign_event"])
            if identity not in listed_ids:
                programme = row[pcol] if pcol is not None and pcol < len(row) else None
                out.listed.setdefault(key, []).append(ListedEvent(
                    identity, " ".join(programme.split()) if isinstance(programme, str) and programme.strip() else None,
                    None, sheet, r))
                listed_ids.add(identity)
        if not decision:
            continue
        seen, decided = (seen_events, out.events) if kind == "E" else (seen_pairs, out.pairs)
        first = seen.get(identity)
        if first is None:
            seen[identity] = (decision, f"{sheet}!{d_cell}")
            decided[identity] = decision
            if kind == "E":
                for e in out.listed[str(parts["campaign_event"])]:
                    if e.identity == identity:
                        e.decision = decision
        elif first[0] != decision and identity not in conflicts:
            conflicts.add(identity)
            out.notices.append(Notice("decision-conflict", sheet, r, d_cell, {"first": first[1]}))


__all__ = ["REVIEW_TABLE", "Decisions", "ListedEvent", "Notice", "decision_value", "read_decisions"]


def decided_for_consolidation(path: Path) -> Decided:
    """A review's decisions as ``consolidate --decisions`` applies them: the campaign
    addresses decided ``Trùng`` (one person), and every support event the review lists as
    counted twice and not decided ``Không trùng`` (left out, with where it is listed)."""
    dec = read_decisions(path)
    twice: dict[str, tuple[str, str]] = {}
    for key, listed in dec.listed.items():
        if dec.event_decision(key) == SAME:
            first = listed[0]
            programmes = ", ".join(dec.event_programmes(key)) or "?"
            twice[key] = (programmes, f"{first.sheet} {first.row}")
    return Decided(path.name, dec.inside_same(), twice, campaign_event_key)
