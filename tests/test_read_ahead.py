"""Reading a workbook's sheets ahead (python-calamine on another core while the sheet
before is parsed) changes nothing a user sees: the same report, the same refusal of a
hostile sheet at the same place, and no thread left running — or silencing standard
error — once the reader has returned or failed.
"""

from __future__ import annotations

import random
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from books import clean_book, write
from conftest import TODAY
from test_hostile import add_cells, with_date_style
from test_reader_equivalence import _assert_same, _snapshot

from xl_nhandao.demo.synth import QUIRKS, inject_mistakes, make_unit, write_unit
from xl_nhandao.errors import RunError
from xl_nhandao.validate import validate_file, validate_source
from xl_nhandao.vn.text import clear_caches
from xl_nhandao.workbook import reader as rd
from xl_nhandao.workbook import source as src
from xl_nhandao.workbook.source import FileWorkbook, SheetData


class InTurn:
    """The same file, read one sheet at a time as the reader asks (no reading ahead)."""

    def __init__(self, path: Path) -> None:
        self.book = FileWorkbook(path)
        self.label = self.book.label

    def sheet_names(self) -> list[str]:
        return self.book.sheet_names()

    def read(self, name: str) -> SheetData:
        return self.book.read(name)


def helpers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("xl_nhandao-")]


def test_reading_ahead_gives_the_report_reading_in_turn_gives(tmp_path: Path) -> None:
    unit = make_unit("22333", period="2024", seed=7, n_addresses=150)
    inject_mistakes(unit, random.Random(3), 25)
    path = write_unit(unit, tmp_path / "quirks.xlsx", style="template", quirks=list(QUIRKS), seed=3)
    clear_caches()
    ahead = _snapshot(validate_file(path, today=date(2025, 6, 1)))
    clear_caches()
    in_turn = _snapshot(validate_source(InTurn(path), today=date(2025, 6, 1)))
    _assert_same(ahead, in_turn)
    assert in_turn["vi"]["issues"]  # type: ignore[index]
    assert helpers() == []


def test_every_sheet_the_reader_uses_is_read_ahead_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(clean_book(), tmp_path / "so.xlsx")
    asked: list[str] = []
    threads: set[str] = set()
    parse = FileWorkbook._parse

    def spy(self: FileWorkbook, name: str, path_: str) -> SheetData:
        asked.append(name)
        threads.add(threading.current_thread().name)
        return parse(self, name, path_)

    monkeypatch.setattr(FileWorkbook, "_parse", spy)
    validate_file(path, today=TODAY)
    assert asked == ["ThongTin", "DiaChi", "DangKy", "TroGiup"]
    assert threads == {"xl_nhandao-read"}


def test_a_far_cell_in_a_later_sheet_is_refused_where_reading_in_turn_refuses_it(tmp_path: Path) -> None:
    clean = write(clean_book(), tmp_path / "so.xlsx")
    bad = add_cells(clean, tmp_path / "xa.xlsx", "TroGiup", '<row r="20000"><c r="XFD20000"><v>1</v></c></row>')
    errors = []
    for read in (lambda: validate_file(bad, today=TODAY), lambda: validate_source(InTurn(bad), today=TODAY)):
        with pytest.raises(RunError) as info:
            read()
        errors.append((info.value.code, info.value.params))
        assert helpers() == []
    assert errors[0] == errors[1]
    assert errors[0][1]["sheet"] == "TroGiup"


def test_a_panic_while_reading_ahead_names_the_cell_and_prints_nothing(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    clean = write(clean_book(), tmp_path / "so.xlsx")
    bad = with_date_style(clean, tmp_path / "ngay.xlsx", "-1e12")
    with pytest.raises(RunError) as info:
        validate_file(bad, today=TODAY)
    assert info.value.code == "date-impossible" and info.value.params["cell"] == "N4"
    assert helpers() == []
    _, err = capfd.readouterr()
    assert err == ""


def test_a_failure_of_the_caller_stops_the_reading_ahead_and_leaves_stderr_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    path = write(clean_book(), tmp_path / "so.xlsx")
    read_table = rd.Reader.read_table

    def fail_on_second(self: rd.Reader, spec, name):  # type: ignore[no-untyped-def]
        if spec.name == "DangKy":
            raise RuntimeError("caller failed")
        return read_table(self, spec, name)

    monkeypatch.setattr(rd.Reader, "read_table", fail_on_second)
    with pytest.raises(RuntimeError):
        validate_file(path, today=TODAY)
    assert helpers() == []
    print("still heard", file=sys.stderr, flush=True)
    assert "still heard" in capfd.readouterr().err


def test_no_thread_to_spare_means_reading_in_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(clean_book(), tmp_path / "so.xlsx")
    expected = _snapshot(validate_file(path, today=TODAY))

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(src.threading.Thread, "start", refuse)
    _assert_same(_snapshot(validate_file(path, today=TODAY)), expected)
