"""Support counted twice (SPEC §5.4): a campaign support event that another programme's
list of recipients also holds — the same person (a ``match`` pair, or one the
coordinator decided ``Trùng``; never one decided ``Không trùng``) and the same voucher
number, or the same value within 3 days."""

from __future__ import annotations

from collections import defaultdict

from .identity import event_identity, voucher_key
from .model import NOT_SAME, SAME, Event, EventTwice, Pair, People, Reason

#: Dates of one support in two lists may differ by this many days (handed over, then entered).
DAYS = 3


def counted_twice(pairs: list[Pair], events: list[Event], lists: list[People]) -> list[EventTwice]:
    """Every campaign event that a recipients list holds too, once per list row."""
    by_address: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.address:
            by_address[e.address].append(e)
    out: list[EventTwice] = []
    seen: set[tuple[int, int, int]] = set()
    recipients = {id(p) for p in lists if p.has_events}
    for pair in pairs:
        other = pair.other
        if pair.inside or id(other) not in recipients:
            continue
        if pair.decision == NOT_SAME or (pair.level != "match" and pair.decision != SAME):
            continue
        key = pair.campaign.key[pair.a]
        b = pair.b
        o_day, o_value, o_voucher = other.date[b], other.value[b], voucher_key(other.voucher[b])
        for e in by_address.get(key or "", ()):
            reason = None
            if o_voucher and voucher_key(e.voucher) == o_voucher:
                reason = Reason("event-voucher", {"voucher": str(e.voucher).strip()})
            elif (o_day is not None and e.day is not None and o_value is not None and e.value == o_value
                  and abs((e.day - o_day).days) <= DAYS):
                reason = Reason("event-date-value", {"value": e.value, "days": abs((e.day - o_day).days)})
            if reason is None:
                continue
            mark = (id(e), id(other), b)
            if mark in seen:
                continue
            seen.add(mark)
            twice = EventTwice(e, other.programme, other, b, reason)
            twice.identity = event_identity(twice)
            out.append(twice)
    out.sort(key=lambda t: (t.campaign.file, t.campaign.sheet, t.campaign.row, t.programme))
    return out
