"""Stable identities of what a coordinator decides in the review workbook (SPEC §5.4).

A decision is keyed by what the pair or the event *is*, never by row numbers alone, so
it survives a re-consolidation (the same unit workbooks read again, re-sorted, new rows
elsewhere) and re-reading the same list (also re-saved as csv). An identity is one line
of text, ``|``-separated; every part is normalised (below) and escaped (``%`` → ``%25``,
``|`` → ``%7C``, so a part may hold any character). It holds no personal data in clear:
names and identity numbers only enter it through SHA-256.

Formats
-------
``P|<unit>|<ma_dia_chi>|<programme>|<h>``
    A campaign address and a row of another programme's list. ``<unit>|<ma_dia_chi>``
    is the address key (:func:`address_key`); ``<programme>`` is the programme's name
    folded (lower case, no diacritics: ``giam ngheo``); ``<h>`` the first 16 hex digits
    of the SHA-256 of the other row's content (:func:`row_content`): its file (the name
    without folder and extension, folded), the folded canonical name key
    (:func:`~xl_nhandao.overlap.names.name_keys`), the CCCD (else the identity number as
    typed), the birth year, the commune, the thôn and the household code. A hashed list's
    row content is its file and its hashes.
``C|<unitA>|<codeA>|<unitB>|<codeB>``
    Two campaign addresses (registered by two units, or twice): the two address keys,
    sorted, so the pair is the same pair whichever side the search put first.
``E|<unit>|<ma_dia_chi>|<yyyy-mm-dd>|<value>|<v>|<h>``
    A campaign support event counted twice: the address key, the date, the value in
    đồng, ``<v>`` the first 16 hex digits of the SHA-256 of the normalised voucher number
    (empty when there is none), and ``<h>`` the other row's content hash as above, with
    the other row's own date, value and voucher added (one person has a row per support
    received in a recipients list). :func:`campaign_event_key` is the prefix up to
    ``<v>``: what ``consolidate --decisions`` recomputes from a merged TroGiup row.

Normalisation: text NFC; an address code upper case without spaces (as the reader
compares Mã địa chỉ); a unit trimmed; a number stored as ``1234.0`` is ``1234``; codes
made only of digits lose their leading zeros (Excel drops them on one side and not the
other); a thôn, a commune name and a file name folded; a voucher number folded with
everything but letters and digits left out (``PC-12/2024`` ≈ ``pc 12 2024``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime

from ..vn.text import fold, nfc
from .model import EventTwice, Pair, People
from .names import name_keys

KINDS = ("P", "C", "E")
#: Parts of each kind of identity (after the kind letter).
_PARTS = {"P": 4, "C": 4, "E": 6}
_EXTENSION = re.compile(r"\.(?:xlsx|xlsm|xls|xlsb|ods|csv|tsv|txt)$", re.I)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")


# -- parts -----------------------------------------------------------------------------
def _escape(part: str) -> str:
    return part.replace("%", "%25").replace("|", "%7C") if ("%" in part or "|" in part) else part


def _unescape(part: str) -> str:
    return part.replace("%7C", "|").replace("%7c", "|").replace("%25", "%") if "%" in part else part


def _text(v: object) -> str:
    """A value as text: None is empty, a whole float is an integer, text is NFC with its
    spaces collapsed."""
    if v is None:
        return ""
    if v.__class__ is str:
        s = v if v.isascii() else nfc(v)  # type: ignore[attr-defined]
        return s if "  " not in s and s.strip() == s and s.isprintable() else " ".join(s.split())
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, date)):
        return (v.date() if isinstance(v, datetime) else v).isoformat()
    return " ".join(nfc(str(v)).split())


def _code(v: object) -> str:
    """A code (commune, household, identity number): no spaces, upper case; made only of
    digits, without leading zeros."""
    s = "".join(_text(v).split()).upper()
    if s.isdigit():
        return s.lstrip("0") or "0"
    return s


def _folded(v: object) -> str:
    s = _text(v)
    return fold(s) if s else ""


def _file(name: object) -> str:
    """A list's file as an identity sees it: no folder, no extension, folded — the same
    list re-saved as csv, or renamed in another case, is the same file."""
    s = _text(name).replace("\\", "/").rsplit("/", 1)[-1]
    return _folded(_EXTENSION.sub("", s))


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def address_key(unit: object, code: object) -> str:
    """The address key of a campaign address, as a consolidation keys its merged rows
    (``_addr``): ``<unit>|<Mã địa chỉ>`` with the code upper case without spaces."""
    return f"{_text(unit)}|{''.join(_text(code).split()).upper()}"


def _split_address(key: object) -> tuple[str, str]:
    """``"<unit>|<code>"`` → its two parts, normalised (a key without ``|`` is a code)."""
    s = _text(key)
    unit, _, code = s.partition("|") if "|" in s else ("", "", s)
    return unit.strip(), "".join(code.split()).upper()


def programme_key(programme: object) -> str:
    """A programme's name as identities hold it: folded (``Giảm nghèo`` → ``giam ngheo``)."""
    return _folded(programme)


def voucher_key(voucher: object) -> str:
    """A voucher number compared across runs and programmes: folded, letters and digits
    only, leading zeros of its numbers dropped (``PC-012`` = ``pc 12`` = ``PC12``)."""
    return _LEADING_ZEROS.sub(r"\1", _NOT_ALNUM.sub("", _folded(voucher)))


_LEADING_ZEROS = re.compile(r"(?<![0-9])0+([0-9])")


def _voucher_hash(voucher: object) -> str:
    v = voucher_key(voucher)
    return _sha16(v) if v else ""


# -- row content -----------------------------------------------------------------------
def row_content(people: People, i: int, events: bool = False) -> str:
    """What identifies row ``i`` of ``people`` whatever its row number (see the module's
    docstring); ``events`` adds the row's own date, value and voucher."""
    file = _file(people.files[people.file[i]] if people.files else "")
    if people.kind == "hashed":
        parts = [file, _text(people.cccd_hash[i]), _text(people.name_hash[i])]
    else:
        name = people.name[i]
        keys = name_keys(name) if isinstance(name, str) else None
        commune = people.commune[i]
        commune_s = _code(commune) if _text(commune).isdigit() else _folded(commune)
        parts = [file, keys.folded if keys else "", _code(people.cccd[i] or people.id_text[i]),
                 _text(people.birth_year[i]), commune_s, _folded(people.thon[i]), _code(people.household[i])]
    if events:
        parts += [_text(people.date[i]), _text(people.value[i]), voucher_key(people.voucher[i])]
    return "\x1f".join(parts)


def row_hash(people: People, i: int, events: bool = False) -> str:
    """The first 16 hex digits of the SHA-256 of :func:`row_content`."""
    return _sha16(row_content(people, i, events))


# -- identities ------------------------------------------------------------------------
def _join(kind: str, *parts: str) -> str:
    return "|".join((kind, *map(_escape, parts)))


def pair_identity(pair: Pair) -> str:
    """The identity of a pair: ``P|…`` for a campaign address and another programme's row,
    ``C|…`` for two campaign addresses (``pair.inside``)."""
    c = pair.campaign
    if pair.inside:
        a = _split_address(c.key[pair.a] or address_key(c.unit[pair.a], c.code[pair.a]))
        b = _split_address(c.key[pair.b] or address_key(c.unit[pair.b], c.code[pair.b]))
        first, second = sorted((a, b))
        return _join("C", *first, *second)
    unit, code = _split_address(c.key[pair.a] or address_key(c.unit[pair.a], c.code[pair.a]))
    return _join("P", unit, code, programme_key(pair.other.programme), row_hash(pair.other, pair.b))


def campaign_event_key(address: object, day: object, value: object, voucher: object) -> str:
    """The campaign side of an event's identity, ``E|<unit>|<code>|<yyyy-mm-dd>|<value>|<v>``:
    what ``consolidate --decisions`` computes from a merged TroGiup row (``_addr``,
    ``ngay``, ``gia_tri``, ``so_chung_tu``) to find its decision."""
    unit, code = _split_address(address)
    return _join("E", unit, code, _text(day), _text(value), _voucher_hash(voucher))


def event_identity(ev: EventTwice) -> str:
    """The identity of a support event counted twice: :func:`campaign_event_key` and the
    other row's content hash (with its own date, value and voucher)."""
    c = ev.campaign
    return campaign_event_key(c.address, c.day, c.value, c.voucher) + "|" + row_hash(ev.other, ev.b, events=True)


def parse_identity(s: str) -> dict[str, object]:
    """The kind and parts of an identity; :class:`ValueError` if ``s`` is not one.

    ``{"kind": "P", "address": "22453|22453-0012", "unit": …, "code": …,
    "programme": "giam ngheo", "other": "<h>"}``; ``{"kind": "C", "a": <address key>,
    "b": <address key>}``; ``{"kind": "E", "address", "unit", "code", "day" (a date or
    None), "value" (int or None), "voucher" (``<v>``), "other" (``<h>``),
    "campaign_event" (:func:`campaign_event_key`)}``."""
    if not isinstance(s, str):
        raise ValueError("not text")
    s = s.strip()
    kind, _, rest = s.partition("|")
    if kind not in _PARTS:
        raise ValueError("unknown kind")
    raw = rest.split("|")
    if len(raw) != _PARTS[kind]:
        raise ValueError("wrong number of parts")
    parts = [_unescape(p) for p in raw]
    if kind == "C":
        a, b = f"{parts[0]}|{parts[1]}", f"{parts[2]}|{parts[3]}"
        if not parts[1] or not parts[3]:
            raise ValueError("empty address code")
        return {"kind": "C", "a": a, "b": b}
    unit, code = parts[0], parts[1]
    if not code:
        raise ValueError("empty address code")
    if kind == "P":
        if not _HEX16.match(parts[3]):
            raise ValueError("not a content hash")
        return {"kind": "P", "address": f"{unit}|{code}", "unit": unit, "code": code, "programme": parts[2],
                "other": parts[3]}
    day_s, value_s, v, h = parts[2:]
    if (v and not _HEX16.match(v)) or not _HEX16.match(h):
        raise ValueError("not a hash")
    try:
        day = date.fromisoformat(day_s) if day_s else None
        value = int(value_s) if value_s else None
    except ValueError:
        raise ValueError("bad date or value") from None
    return {"kind": "E", "address": f"{unit}|{code}", "unit": unit, "code": code, "day": day, "value": value,
            "voucher": v, "other": h, "campaign_event": "|".join(("E", *raw[:5]))}


__all__ = ["address_key", "campaign_event_key", "event_identity", "pair_identity", "parse_identity",
           "programme_key", "row_content", "row_hash", "voucher_key"]
