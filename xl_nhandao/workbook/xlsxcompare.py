"""Compare two ``.xlsx`` files part by part, ignoring document timestamps (the
XlsxWriter test approach): used to pin generated workbooks and filled templates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: _TIMES.sub(b"", zf.read(n)) for n in zf.namelist()}


def workbook_parts_differ(a: Path, b: Path) -> list[str]:
    """Names of the parts that differ (or exist in only one file)."""
    pa, pb = _parts(a), _parts(b)
    return sorted(n for n in set(pa) | set(pb) if pa.get(n) != pb.get(n))
