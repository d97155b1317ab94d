"""What an overlap search works on and finds: people of one side column by column
(:class:`People`), the pairs found, the support events counted twice, and the reasons
shown for each, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..i18n import Coded, Lang

#: The campaign's own name as a "programme" (inside-campaign pairs).
CAMPAIGN = "Cuộc vận động"

#: Levels of a pair, strongest first.
LEVELS = ("match", "possible")
#: A coordinator's decisions (the review's dropdown).
SAME, NOT_SAME = "Trùng", "Không trùng"
DECISIONS = (SAME, NOT_SAME)


@dataclass
class People:
    """The rows of one side (the campaign's addresses, or one programme's list), column
    by column: every list has one entry per row compared. ``None`` is "not given".

    ``cccd`` holds only valid 12-digit CCCDs (11 digits are left-padded with one zero);
    ``id_text`` the identity number as typed (shown, masked with ``--mask``).
    ``commune`` is a 5-digit code in scheme 2025 (or the list's own scheme) when the list
    names the commune by code or by a name resolved from the code lists. A hashed list
    (``hash-list``) has ``cccd_hash``/``name_hash`` instead of names and numbers."""

    programme: str
    kind: str = "list"  # "campaign" | "list" | "hashed"
    files: list[str] = field(default_factory=list)  # display names, indexed by ``file``
    file: list[int] = field(default_factory=list)
    sheet: list[str] = field(default_factory=list)
    row: list[int] = field(default_factory=list)  # the row number as Excel shows it
    name: list[str | None] = field(default_factory=list)
    cccd: list[str | None] = field(default_factory=list)
    id_text: list[str | None] = field(default_factory=list)
    birth_year: list[int | None] = field(default_factory=list)
    gender: list[str | None] = field(default_factory=list)  # "Nam" | "Nữ"
    commune: list[str | None] = field(default_factory=list)
    thon: list[str | None] = field(default_factory=list)
    address: list[str | None] = field(default_factory=list)
    household: list[str | None] = field(default_factory=list)
    # a recipients list: one row per support received
    date: list[date | None] = field(default_factory=list)
    value: list[int | None] = field(default_factory=list)
    voucher: list[str | None] = field(default_factory=list)
    # a hashed list
    cccd_hash: list[str | None] = field(default_factory=list)
    name_hash: list[str | None] = field(default_factory=list)
    #: a hashed list's secret check (see :mod:`.hashing`), else None
    salt_check: str | None = None
    # the campaign: the unit whose register holds the row, its Mã địa chỉ, and the
    # address key unique across units (``"<unit>|<code>"``)
    unit: list[str | None] = field(default_factory=list)
    code: list[str | None] = field(default_factory=list)
    key: list[str | None] = field(default_factory=list)
    #: other columns shown in the review as they were (header → values)
    extra: dict[str, list[object]] = field(default_factory=dict)
    #: rows read but not compared: (file index, sheet, row, reason code)
    excluded: list[tuple[int, str, int, str]] = field(default_factory=list)

    COLUMNS = ("file", "sheet", "row", "name", "cccd", "id_text", "birth_year", "gender", "commune", "thon",
               "address", "household", "date", "value", "voucher", "cccd_hash", "name_hash", "unit", "code", "key")

    def __len__(self) -> int:
        return len(self.row)

    def append(self, **values: object) -> None:
        """Add one row; columns not named get ``None`` (``file`` defaults to 0)."""
        for col in self.COLUMNS:
            getattr(self, col).append(values.pop(col, 0 if col == "file" else None))
        for header, v in values.items():  # the rest are extra columns
            self.extra.setdefault(header, [None] * (len(self.row) - 1)).append(v)
        for col in self.extra.values():
            if len(col) < len(self.row):
                col.append(None)

    @property
    def has_events(self) -> bool:
        return any(v is not None for v in self.value) or any(v is not None for v in self.voucher)


# -- reasons ---------------------------------------------------------------------------
_REASONS: dict[str, tuple[str, str]] = {
    "cccd-same": ("cùng số CCCD", "same CCCD"),
    "cccd-padded": ("CCCD bị mất số 0 đầu ở một bên", "CCCD lost its leading zero on one side"),
    "hash-cccd": ("trùng mã băm CCCD", "same hashed CCCD"),
    "hash-name": ("trùng mã băm họ tên và năm sinh", "same hashed name and birth year"),
    "name-same": ("họ tên trùng", "same name"),
    "name-folded": ("họ tên trùng khi bỏ dấu", "same name without diacritics"),
    "name-accent": ("họ tên chỉ khác dấu", "names differ only in diacritics"),
    "name-typo": ("họ tên lệch một chữ cái", "names differ by one letter"),
    "name-variant": ("họ {a}/{b} là cách viết theo vùng miền", "family names {a}/{b} are regional variants"),
    "name-middle": ("một bên không ghi chữ đệm Thị/Văn", "one side omits the middle name Thị/Văn"),
    "name-common": ("tên phổ biến: {count} người cùng tên", "common name: {count} {count:person|people} of that name"),
    "year-same": ("cùng năm sinh", "same birth year"),
    "year-off": ("năm sinh lệch 1", "birth years differ by 1"),
    "year-missing": ("thiếu năm sinh ở một bên", "birth year missing on one side"),
    "commune-same": ("cùng xã {code}", "same commune {code}"),
    "commune-other": ("khác xã ({code} / {other})", "different communes ({code} / {other})"),
    "commune-missing": ("danh sách không ghi xã", "the list does not give the commune"),
    "thon-same": ("cùng thôn", "same village"),
    "thon-other": ("khác thôn", "different villages"),
    "ambiguous": ("còn {count} người khác giống hệt, không phân biệt được",
                  "{count} other {count:person|people} look the same; cannot tell apart"),
    "event-voucher": ("cùng người, cùng số chứng từ {voucher}", "same person, same voucher number {voucher}"),
    "event-date-value": ("cùng người, cùng giá trị {value} đồng, ngày lệch {days} ngày",
                         "same person, same value {value} đồng, dates {days} {days:day|days} apart"),
}

class Reason(Coded):
    """Why two rows may be one person (or a support event was counted twice)."""

    CATALOGUE = _REASONS


@dataclass(frozen=True)
class Ref:
    """One row of one side, as a coordinator finds it: programme, file, sheet, row (and
    for the campaign its unit and Mã địa chỉ)."""

    programme: str
    file: str
    sheet: str
    row: int
    unit: str | None = None
    code: str | None = None

    def as_json(self) -> dict[str, object]:
        if self.unit is not None or self.code is not None:
            return {"file": self.file, "sheet": self.sheet, "row": self.row, "unit": self.unit,
                    "ma_dia_chi": self.code}
        return {"programme": self.programme, "file": self.file, "sheet": self.sheet, "row": self.row}


def ref(people: People, i: int) -> Ref:
    return Ref(people.programme, people.files[people.file[i]] if people.files else "", people.sheet[i],
               people.row[i], people.unit[i], people.code[i])


@dataclass
class Pair:
    """Two rows that may be one person. ``a`` indexes the campaign, ``b`` the other side
    (``other``: a programme's list, or the campaign itself for pairs inside it);
    ``identity`` keys the coordinator's decision (never row numbers alone)."""

    level: str
    score: float
    basis: str  # "cccd" | "fuzzy" | "hash"
    reasons: list[Reason]
    campaign: People
    a: int
    other: People
    b: int
    identity: str = ""
    decision: str | None = None

    @property
    def inside(self) -> bool:
        return self.other is self.campaign

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        return {"level": self.level, "score": round(self.score, 2), "basis": self.basis,
                "reasons": [r.text(lang) for r in self.reasons],
                "campaign": ref(self.campaign, self.a).as_json(),
                "other": ref(self.other, self.b).as_json() if not self.inside
                else dict(ref(self.other, self.b).as_json(), programme=CAMPAIGN),
                "decision": self.decision}


@dataclass
class Event:
    """One support event (a campaign TroGiup row, or a row of a recipients list)."""

    file: str
    sheet: str
    row: int
    address: str | None  # the campaign's address key "<unit>|<code>"
    day: date | None
    value: int | None
    voucher: str | None
    form: str | None = None


@dataclass
class EventTwice:
    """A campaign support event also counted in another programme."""

    campaign: Event
    programme: str
    other: People
    b: int
    reason: Reason
    identity: str = ""
    decision: str | None = None

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        c = self.campaign
        return {"campaign": {"file": c.file, "sheet": c.sheet, "row": c.row},
                "other": ref(self.other, self.b).as_json(), "reason": self.reason.text(lang),
                "decision": self.decision}


def mask_id(text: str | None) -> str | None:
    """``079012345645`` → ``0790******45``: the first four and last two characters of an
    identity number stay, the others become ``*`` (a short number keeps only its last two)."""
    if not text:
        return text
    s = "".join(str(text).split())
    if len(s) <= 6:
        return "*" * max(len(s) - 2, 0) + s[-2:]
    return s[:4] + "*" * (len(s) - 6) + s[-2:]


__all__ = ["CAMPAIGN", "DECISIONS", "LEVELS", "NOT_SAME", "SAME", "Event", "EventTwice", "Pair", "People",
           "Reason", "Ref", "mask_id", "ref"]
