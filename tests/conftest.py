"""Shared fixtures: tiny workbooks built with openpyxl, one per clerk quirk."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

#: Every test runs as if today were this date (dates after it are "in the future").
TODAY = date(2024, 6, 30)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A small register with one error: a birth year typed 19855 (DiaChi!D6)."""
    from books import clean_book, write

    book = clean_book()
    book.set("DiaChi", 2, "Năm sinh", 19855)
    return write(book, tmp_path / "loi.xlsx")
