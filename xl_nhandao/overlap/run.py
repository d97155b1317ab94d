"""The overlap search end to end (SPEC §5.4): :func:`overlap` reads the campaign (the
same reader and policy as ``consolidate``) and each programme's list, finds the pairs
(:mod:`.engine`), the support events counted twice (:mod:`.events`), applies the
coordinator's earlier decisions, and returns an :class:`OverlapResult`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import RunError
from ..i18n import Coded, Lang
from .model import CAMPAIGN, LEVELS, Event, EventTwice, Pair, People

#: Notices about the run (a list matching nothing because of the secret …), vi / en.
_NOTICES: dict[str, tuple[str, str]] = {
    "wrong-secret": ("{file}: danh sách được băm bằng một khóa bí mật khác, không thể so khớp dòng nào. "
                     "Hãy dùng đúng tệp khóa mà bên lập danh sách đã dùng.",
                     "{file}: the list was hashed with another secret; no row can match. Use the secret "
                     "file the list's owner used."),
    "excluded-list-rows": ("{file}: {count} dòng không có họ tên và số định danh, không so khớp được.",
                           "{file}: {count} {count:row has|rows have} neither a name nor an ID; not compared."),
    "decision-unknown": ("{file}: {count} quyết định đã ghi không còn cặp nào tương ứng (dữ liệu đã đổi).",
                         "{file}: {count} recorded {count:decision matches|decisions match} no pair any more "
                         "(the data changed)."),
}


class Notice(Coded):
    """Something the coordinator should know about the run (not an error)."""

    CATALOGUE = _NOTICES


@dataclass
class Against:
    """One programme's list to compare with: the file, its sheet, the programme's name
    and an explicit column mapping."""

    path: Path
    programme: str
    sheet: str | None = None
    mapping: dict[str, str] | None = None


@dataclass
class OverlapResult:
    campaign: People
    events: list[Event]
    lists: list[People]
    pairs: list[Pair]
    twice: list[EventTwice]
    inputs: list[Path]
    notices: list[Notice] = field(default_factory=list)
    decisions_file: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = {lv: sum(1 for p in self.pairs if p.level == lv) for lv in LEVELS}
        out["events_counted_twice"] = len(self.twice)
        return out

    def programmes(self) -> list[dict[str, object]]:
        """Per list (and the campaign itself): rows compared, pairs per level, events."""
        rows = []
        for people in [*self.lists, self.campaign]:
            inside = people is self.campaign
            pairs = [p for p in self.pairs if (p.inside if inside else p.other is people)]
            rows.append({
                "programme": CAMPAIGN if inside else people.programme,
                "file": ", ".join(people.files),
                "rows": len(people) + len(people.excluded),
                "compared": len(people),
                "excluded": len(people.excluded),
                "match": sum(1 for p in pairs if p.level == "match"),
                "possible": sum(1 for p in pairs if p.level == "possible"),
                "events_counted_twice": 0 if inside else sum(1 for e in self.twice if e.other is people),
            })
        return rows

    def as_json(self, lang: Lang = "vi", output: str | None = None) -> dict[str, object]:
        return {
            "output": output,
            "pairs": [p.as_json(lang) for p in self.pairs],
            "events_counted_twice": [e.as_json(lang) for e in self.twice],
            "counts": self.counts,
            "programmes": self.programmes(),
            "notices": [n.text(lang) for n in self.notices],
        }

    def save(self, path: str | Path, *, mask: bool = False, lang: Lang = "vi", force: bool = False) -> None:
        """Write the review workbook (``overlap -o``)."""
        from .review import write_review

        label = "Lưu ý" if lang == "vi" else "Note"
        notes = {f"{label} {i}": n.text(lang) for i, n in enumerate(self.notices, start=1)}
        write_review(Path(path), self.pairs, self.twice, self.campaign, self.lists, inputs=self.inputs,
                     mask=mask, lang=lang, force=force, summary=notes or None)

    def frames(self) -> dict[str, object]:
        """The pairs and the events counted twice as pandas DataFrames."""
        import pandas as pd

        from .model import ref

        def side(prefix: str, r: object) -> dict[str, object]:
            return {f"{prefix}_{k}": v for k, v in r.as_json().items()}  # type: ignore[attr-defined]

        pairs = pd.DataFrame([{"level": p.level, "score": round(p.score, 2), "basis": p.basis,
                               "reasons": "; ".join(r.text() for r in p.reasons), "decision": p.decision,
                               **side("campaign", ref(p.campaign, p.a)), **side("other", ref(p.other, p.b))}
                              for p in self.pairs])
        twice = pd.DataFrame([{"campaign_file": e.campaign.file, "campaign_sheet": e.campaign.sheet,
                               "campaign_row": e.campaign.row, "address": e.campaign.address,
                               "date": e.campaign.day, "value": e.campaign.value, "voucher": e.campaign.voucher,
                               **side("other", ref(e.other, e.b)), "reason": e.reason.text(),
                               "decision": e.decision} for e in self.twice])
        return {"TrungLap": pairs, "SuKienTrung": twice}


# -- the campaign side ------------------------------------------------------------------
def campaign_people(merged: dict[str, list[object]]) -> tuple[People, list[Event]]:
    """The campaign's addresses and counted support events, from a consolidation's merged
    rows (clean values, with their file, sheet and row)."""
    from ..workbook import codes

    people = People(CAMPAIGN, "campaign")
    files: dict[str, int] = {}
    for r in merged["DiaChi"]:
        v = r.values  # type: ignore[attr-defined]
        fi = files.setdefault(r.file, len(files))  # type: ignore[attr-defined]
        key = r.key  # type: ignore[attr-defined]
        cccd = v.get("cccd")
        people.append(file=fi, sheet=r.source_sheet, row=r.row, name=v.get("ho_ten"),  # type: ignore[attr-defined]
                      cccd=cccd if isinstance(cccd, str) and len(cccd) == 12 else None,
                      id_text=cccd if isinstance(cccd, str) else None, birth_year=v.get("nam_sinh"),
                      gender=v.get("gioi_tinh"), commune=v.get("ma_xa"), thon=v.get("thon"),
                      unit=r.unit, code=key.split("|", 1)[1] if key else None, key=key)  # type: ignore[attr-defined]
    people.files = list(files)
    events = [Event(r.file, r.source_sheet, r.row, r.key, r.values.get("ngay"),  # type: ignore[attr-defined]
                    r.values.get("gia_tri"), r.values.get("so_chung_tu"), r.values.get("hinh_thuc"))  # type: ignore[attr-defined]
              for r in merged["TroGiup"] if r.values.get("nguon") != codes.OTHER_PROGRAMME]  # type: ignore[attr-defined]
    return people, events


def _provinces(people: People) -> set[str]:
    """The provinces of the campaign's communes: commune names in a list are looked up
    there first (names repeat across provinces)."""
    from ..vn import adminunits

    out = set()
    for code in set(people.commune):
        if isinstance(code, str):
            unit = adminunits.lookup(code, "2025", "Xã") or adminunits.lookup(code, "2004", "Xã")
            if unit is not None and unit.province_code:
                out.add(unit.province_code)
    return out


# -- the search --------------------------------------------------------------------------
def overlap(inputs: Iterable[Path], against: Iterable[Against], *, period: str | None = None,
            decisions: Path | None = None, secret: bytes | None = None, today: date | None = None,
            progress: Callable[[int, int, str], None] | None = None, exclude: Iterable[Path] = ()) -> OverlapResult:
    """Compare the campaign (unit workbooks, folders, consolidations) with each list."""
    from ..consolidate import consolidate
    from .engine import find_pairs
    from .events import counted_twice
    from .hashing import is_hashed, read_hashed, salt_check
    from .lists import open_list, read_list

    inputs = list(inputs)
    against = list(against)
    for a in against:
        if not a.path.exists():
            raise RunError("file-not-found", path=str(a.path))
    known = None
    if decisions is not None:  # read first: a file that is no review stops before the long work
        from .decisions import read_decisions

        known = read_decisions(decisions)
    res = consolidate(inputs, period, today=today, progress=progress,
                      exclude=[*exclude, *(a.path for a in against)])
    campaign, events = campaign_people(res.merged)  # type: ignore[arg-type]
    provinces = _provinces(campaign)
    notices: list[Notice] = []
    lists: list[People] = []
    other_secret: set[int] = set()  # hashed lists whose secret is not ours: nothing can match
    for a in against:
        source = open_list(a.path)  # opened once: whether it is a hashed list, then its rows
        if is_hashed(a.path, source):
            if secret is None:
                raise RunError("hashed-needs-secret", path=a.path.name)
            people = read_hashed(a.path, a.programme, sheet=a.sheet, source=source)
            if people.salt_check != salt_check(secret):
                other_secret.add(id(people))
                notices.append(Notice("wrong-secret", {"file": people.files[0] if people.files else a.path.name}))
        else:
            people = read_list(a.path, a.programme, sheet=a.sheet, mapping=a.mapping, provinces=provinces or None,
                               source=source)
        del source  # the workbook is not kept through the search
        if people.excluded:
            notices.append(Notice("excluded-list-rows", {"file": people.files[0] if people.files else a.path.name,
                                                         "count": len(people.excluded)}))
        lists.append(people)

    pairs: list[Pair] = []
    for people in lists:
        if id(people) in other_secret:
            continue
        pairs.extend(_pairs(campaign, people, find_pairs(campaign, people, secret=secret)))
    pairs.extend(_pairs(campaign, campaign, find_pairs(campaign, campaign, inside=True)))

    from .identity import pair_identity

    for p in pairs:
        p.identity = pair_identity(p)
    if known is not None:
        known.apply(pairs, ())  # before the events: a pair decided Trùng is one person
    twice = counted_twice(pairs, events, lists)
    if known is not None:
        known.apply((), twice)
        used = {p.identity for p in pairs} | {e.identity for e in twice}
        stale = sum(1 for k in [*known.pairs, *known.events] if k not in used)
        if stale:
            notices.append(Notice("decision-unknown", {"file": decisions.name, "count": stale}))
        notices.extend(known.notices)
    pairs.sort(key=lambda p: (LEVELS.index(p.level), -p.score))
    return OverlapResult(campaign, events, lists, pairs, twice, inputs, notices,
                         decisions.name if decisions else None)


def _pairs(campaign: People, other: People, found: object) -> list[Pair]:
    from .engine import BASIS_NAMES, reasons

    f = found
    return [Pair("match" if f.level[i] == 0 else "possible", float(f.score[i]),  # type: ignore[attr-defined]
                 BASIS_NAMES[f.basis[i]], reasons(f, i, campaign, other), campaign,  # type: ignore[attr-defined,arg-type]
                 int(f.a[i]), other, int(f.b[i]))  # type: ignore[attr-defined]
            for i in range(len(f))]  # type: ignore[arg-type]
