"""Compare two ``.xlsx`` files part by part, ignoring document timestamps (the
XlsxWriter test approach): used to pin generated workbooks and filled templates.

XML parts are compared as XML — element names with their namespaces, attributes, text —
not as bytes: how a serializer writes them (``<a/>`` or ``<a />``, where a namespace is
declared, which prefix it gets) is not a difference. openpyxl serializes differently
with and without lxml installed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _tree(element: ElementTree.Element) -> tuple[object, ...]:
    text = (element.text or "").strip()
    tail = (element.tail or "").strip()
    return (element.tag, tuple(sorted(element.attrib.items())), text, tail,
            tuple(_tree(child) for child in element))


def _canonical(name: str, data: bytes) -> object:
    if name.endswith((".xml", ".rels", ".vml")):
        try:
            return _tree(ElementTree.fromstring(data))
        except ElementTree.ParseError:
            return data
    return data


def _parts(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as zf:
        return {n: _canonical(n, _TIMES.sub(b"", zf.read(n))) for n in zf.namelist()}


def workbook_parts_differ(a: Path, b: Path) -> list[str]:
    """Names of the parts that differ (or exist in only one file)."""
    pa, pb = _parts(a), _parts(b)
    return sorted(n for n in set(pa) | set(pb) if pa.get(n) != pb.get(n))
