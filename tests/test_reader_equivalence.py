"""The reader's fast paths give what reading cell by cell gives.

The reader parses a column at once (each distinct value once, from a cache shared by the
columns of one context) and classifies most rows by their key cell alone. These tests
read the same workbooks again with those shortcuts replaced by the plain rules — every
cell parsed on its own, every row looked at — and require the same report, issue for
issue and value for value.
"""

from __future__ import annotations

import copy
import random
from datetime import date, datetime, time
from pathlib import Path

import pytest
from books import clean_book
from conftest import TODAY

from xl_nhandao.demo.synth import QUIRKS, inject_mistakes, make_unit, write_unit
from xl_nhandao.validate import Report, validate_file, validate_source
from xl_nhandao.vn.text import clear_caches
from xl_nhandao.vn.values import cccd_birth
from xl_nhandao.workbook import reader as rd
from xl_nhandao.workbook import standard
from xl_nhandao.workbook.source import SheetData


def _cell_by_cell(parser: rd.CellParser, raws: tuple[object, ...]) -> tuple[tuple[object, ...], dict[int, rd.Result]]:
    """The plain rule: blanks are blank, every other cell is parsed on its own."""
    results = [parser.blank if raw is None or raw == "" or (isinstance(raw, str) and raw.isspace())
               else parser.base(raw) for raw in raws]
    return tuple(r[0] for r in results), {i: r for i, r in enumerate(results) if r[1] is not None or r[2] is not None}


def _every_row(body, first_row, cols, keys, fast, required_cols, sections, totals):
    return list(_DATA_ROWS(body, first_row, cols, keys, False, required_cols, sections, totals))


_DATA_ROWS = rd.Reader._data_rows


def _snapshot(report: Report) -> dict[str, object]:
    tables = report.workbook.tables
    return {
        "vi": report.as_json("vi"),
        "en": report.as_json("en"),
        "params": [(i.code, i.sheet, i.row, i.cell, i.params) for i in report.issues],
        "info": report.workbook.info.values,
        "records": {name: [(r.row, r.values, r.errors, r.warnings, r.original) for r in t.records]
                    for name, t in tables.items()},
        "columns": {name: dict(t.by_key) for name, t in tables.items()},
        "total_rows": {name: t.total_row for name, t in tables.items()},
    }


def _both(monkeypatch: pytest.MonkeyPatch, read) -> tuple[dict[str, object], dict[str, object]]:
    clear_caches()
    fast = _snapshot(read())
    with monkeypatch.context() as m:
        m.setattr(rd.CellParser, "column", _cell_by_cell)
        m.setattr(rd.Reader, "_data_rows", staticmethod(_every_row))
        clear_caches()
        plain = _snapshot(read())
    clear_caches()
    return fast, plain


def _assert_same(fast: dict[str, object], plain: dict[str, object]) -> None:
    for part in plain:
        assert fast[part] == plain[part], part
    # Same types too (1 == 1.0 == True as values, but not as what a clerk typed).
    for name, columns in plain["columns"].items():  # type: ignore[attr-defined]
        for key, values in columns.items():
            got = fast["columns"][name][key]  # type: ignore[index]
            assert [type(v) for v in got] == [type(v) for v in values], (name, key)


def test_quirky_synthetic_books_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in range(2):
        unit = make_unit("22333", period="2024", seed=40 + seed, n_addresses=120)
        inject_mistakes(unit, random.Random(seed), 25)
        path = write_unit(unit, tmp_path / f"quirks-{seed}.xlsx", style="template", quirks=list(QUIRKS), seed=seed)
        fast, plain = _both(monkeypatch, lambda: validate_file(path, today=date(2025, 6, 1)))  # noqa: B023
        _assert_same(fast, plain)
        assert plain["vi"]["issues"]  # type: ignore[index]  # the quirks and mistakes are found


class _Memory:
    """A workbook held in memory, as a live Excel workbook gives it: rows of any length,
    ``None`` for empty cells."""

    def __init__(self, sheets: dict[str, list[list[object]]],
                 merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] | None = None) -> None:
        self.label = "memory.xlsx"
        self.sheets = sheets
        self.merged = merged or {}

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def read(self, name: str) -> SheetData:
        return SheetData(name, copy.deepcopy(self.sheets[name]), list(self.merged.get(name, [])))


def _tricky_sheets() -> tuple[dict[str, list[list[object]]], dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]]:
    book = clean_book()
    info = [["THÔNG TIN"], [], *([k, v] for k, v in book.info.items())]  # type: ignore[union-attr]
    d, diachi = book.tables["DiaChi"]
    base = diachi[0]
    rows: list[list[object]] = [["Sổ địa chỉ nhân đạo"], [None], list(d), [f"({i})" for i in range(1, len(d) + 1)]]

    def person(n: int, **cells: object) -> list[object]:
        row = list(base)
        row[0], row[1], row[6] = n, f"22333-{n:04d}", None
        for header, value in cells.items():
            row[d.index(header)] = value
        return row

    rows += [
        person(1, **{"Năm sinh": 1950.0, "Thứ tự ưu tiên": True, "Ghi chú": 1.0, "Hưởng chương trình khác": 1.0}),
        person(2, **{"Năm sinh": True, "Thứ tự ưu tiên": 1.0, "Ghi chú": True, "Hưởng chương trình khác": True}),
        person(3, **{"Thứ tự ưu tiên": 0.0, "Ghi chú": False, "Họ và tên": "  "}),
        person(4, **{"Thứ tự ưu tiên": False, "Nhu cầu trợ giúp": time(8, 30),
                     "Ngày lập hồ sơ": datetime(2023, 12, 1, 0, 0)}),
        person(5, **{"Mã địa chỉ": " T-0005", "Ngày lập hồ sơ": "01/12/2023", "Thôn/Tổ dân phố": None}),
        person(6, **{"Mã địa chỉ": "C-0006", "Giới tính": "nữ", "Dân tộc": 1.0}),
        [None] * len(d),
        ["", "   ", None],  # short and blank
        person(7, **{"Mã địa chỉ": "\u00a022333-0007", "Giới tính": "", "Dân tộc": ""}),
        ["Tổ 3", None, None],  # a section row, merged across
        person(8, **{"Mã địa chỉ": "t-0008"}),
        person(9, **{"Mã địa chỉ": 12345.0, "Năm sinh": 1950}),
        [None, "Tổng cộng", None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ]
    section = rows.index(["Tổ 3", None, None])
    k, dangky = book.tables["DangKy"]
    regs: list[list[object]] = [list(k)]
    for n, name in enumerate(["Công ty An Phát", "Trường THCS Cam Lâm", "Cộng", "Tổng công ty Điện lực",
                              "Chi hội Phụ nữ", "Công ty An Phát", " Công an xã"], start=1):
        row = list(dangky[n % 2])
        row[0], row[1] = n, name
        regs.append(row)
    regs.append([None, "Tổng cộng", None, None, None, None, None, 14_000_000])
    t, trogiup = book.tables["TroGiup"]
    events = [list(t), *(list(r) for r in trogiup)]
    events[2][6] = True  # a TRUE typed in a money column
    sheets = {"ThongTin": info, "DiaChi": rows, "DangKy": regs, "TroGiup": events}
    return sheets, {"DiaChi": [((section, 0), (section, 5))]}


def test_tricky_cells_and_rows_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    sheets, merged = _tricky_sheets()
    fast, plain = _both(monkeypatch, lambda: validate_source(_Memory(sheets, merged), today=TODAY))
    _assert_same(fast, plain)
    records = plain["records"]["DiaChi"]  # type: ignore[index]
    assert [r[0] for r in records] == [5, 6, 7, 8, 9, 10, 13, 15, 16]  # blank, section and total rows skipped
    assert plain["total_rows"] == {"DiaChi": 17, "DangKy": 9, "TroGiup": None, "SoLieu": None}
    columns = plain["columns"]["DiaChi"]  # type: ignore[index]
    assert columns["ghi_chu"][:3] == ("1", "TRUE", "FALSE")  # TRUE is not 1.0, FALSE is not 0.0
    assert columns["nhu_cau"][3] == "08:30:00"
    assert columns["chuong_trinh_khac"][:2] == ("1", "TRUE")


def test_true_and_one_share_no_cached_value() -> None:
    """TRUE == 1.0 as dict keys: a column must not give a TRUE cell the value of 1.0."""
    clear_caches()
    f = standard.DIA_CHI.field("ghi_chu")
    reader = rd.Reader(_Memory({}))
    for raws in [(1.0, True, 1.0, False, 0.0), (True, 1.0), (False, 0.0, 0)]:
        values, flags = reader.parser(f, "DiaChi").column(raws)
        assert values == tuple(map(rd.display, raws)) and not flags
    # A first column fills the shared cache with 1.0; a second one with TRUE in it.
    reader.parser(f, "DiaChi").column((1.0, 2.0))
    assert reader.parser(f, "DiaChi").column((True, 1.0))[0] == ("TRUE", "1")
    clear_caches()


def test_repeated_value_with_an_issue_is_reported_in_every_cell() -> None:
    clear_caches()
    f = standard.DIA_CHI.field("uu_tien")
    reader = rd.Reader(_Memory({}), today=TODAY)
    reader.parser(f, "DiaChi").column(("abc",))  # cached in an earlier column
    values, flags = reader.parser(f, "DiaChi").column(("abc", 3.0, "abc", "", 3.0, None))
    assert values == (None, 3, None, None, 3, None)
    assert {i: r[1] for i, r in flags.items()} == {0: "int-invalid", 2: "int-invalid"}
    required = standard.DIA_CHI.field("ma_dia_chi")
    values, flags = reader.parser(required, "DiaChi").column(("A", "", None, " ", "A"))
    assert values == ("A", None, None, None, "A")
    assert sorted(flags) == [1, 2, 3]
    clear_caches()


def test_data_rows_by_key_cell_match_every_row_looked_at() -> None:
    n = 14
    body: list[list[object]] = [[i, f"K{i}", "x", i] for i in range(n)]
    body[0] = [None, "(1)", "(2)", "(3)"]
    body[1] = [1, 2, 3, 4]  # column numbers may follow column numbers
    body[4] = [None, "Tổng", None, None]
    body[5] = [5, "  ", "   ", 5]
    body[6] = [6, " Kx", "y", 6]
    body[7] = [None, "", None, None]
    body[8] = [8, "cộng 2", None, None]
    body[9] = [9, "Tổ 1", None, None]
    body[10] = [10, "Công ty Hòa Bình", " ", 10]
    body[11] = [11, "Tổng", "x", 11]  # a label, but no required cell is missing: a record
    body[12] = [None, "Tổng cộng", None, 7]  # a total row when column 2 is required
    for required in ([1, 2], [1]):
        for sections in (set(), {109}, {100, 105}):
            got: list[tuple[int, list[object]]] = []
            want: list[tuple[int, list[object]]] = []
            keys = tuple(row[1] for row in body)
            fast = list(_DATA_ROWS(body, 100, [1, 2], keys, True, required, sections, got))
            plain = list(_DATA_ROWS(body, 100, [1, 2], keys, False, required, sections, want))
            assert fast == plain and got == want
            totals = {4, 8, 12} if required == [1, 2] else set()  # a total row lacks a required cell
            assert [r - 100 for r, _ in got] == sorted(totals)
            assert {2, 3, 6, 10, 11, 13} <= set(fast) and not ({0, 1, 5, 7} | totals) & set(fast)
            assert (9 in fast) == (109 not in sections)


def test_record_values_are_built_when_first_asked_for() -> None:
    columns = rd.Columns({"a": [1, 2], "b": ["x", None]})
    first, second = rd.Record(5, None, columns=columns, index=0), rd.Record(6, None, columns=columns, index=1)
    assert second.values == {"a": 2, "b": None} and first.values == {"a": 1, "b": "x"}
    assert first == rd.Record(5, {"a": 1, "b": "x"}) != second
    assert repr(rd.Record(7, {})) == "Record(row=7, values={}, errors=0, warnings=0, original=None)"
    second.values = {"a": 3}
    assert second.values == {"a": 3} and rd.Record(1).values == {}


def test_cccd_birth() -> None:
    assert cccd_birth("056050001234") == (1950, "Nam")
    assert cccd_birth("056185004321") == (1985, "Nữ")
    assert cccd_birth("001305000001") == (2005, "Nữ")
    assert cccd_birth("001899000001") == (1899, "Nam")
    assert cccd_birth("12345") is None


def test_column_rules_match_row_by_row() -> None:
    """The validator's column checks against their row-by-row definitions."""
    from xl_nhandao.validate import rules

    rng = random.Random(7)
    days = [date(2024, 1, 1), date(2024, 3, 1), date(2024, 3, 1), date(2024, 6, 30), None]
    for _ in range(300):
        n = rng.randrange(0, 12)
        values = tuple(rng.choice(days) for _ in range(n))
        limits = tuple(rng.choice(days) for _ in range(n))
        if rng.random() < 0.1 and n:
            values = (*values[:-1], "01/02/2024")  # not a date: looked at row by row
        limit = rng.choice(days[:-1])
        assert rules._after(values, limit) == [
            i for i, d in enumerate(values) if isinstance(d, date) and d > limit]
        assert rules._before(values, limits) == [
            i for i, (d, b) in enumerate(zip(values, limits)) if isinstance(d, date) and isinstance(b, date) and d < b]
        codes = tuple(rng.choice(["A", "B", "C", "", None]) for _ in range(n))
        known = {"A": 0, "B": 1}
        assert rules._unknown(codes, known) == [i for i, a in enumerate(codes) if a and a not in known]
        repeats: list[tuple[int, int]] = []
        firsts = rules._firsts(codes, lambda i, first: repeats.append((i, first)))  # noqa: B023
        want: dict[object, int] = {}
        for i, a in enumerate(codes):
            if a:
                want.setdefault(a, i)
        assert firsts == want
        assert repeats == [(i, want[a]) for i, a in enumerate(codes) if a and want[a] != i]


def test_equal_name_keys_have_equal_skeletons() -> None:
    """The validator keys only names whose consonant skeletons repeat: the skeleton of a
    name must be a function of its name key."""
    import re
    import unicodedata

    from xl_nhandao.validate.rules import _name_skeleton
    from xl_nhandao.vn.text import name_key

    def of_key(name: str) -> str:
        return re.sub("[^bcdfghjklmnpqrstvwxz]", "", unicodedata.normalize("NFD", name_key(name)))

    vietnamese = "aăâeêioôơuưyđ" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    plain = "bcdfghklmnpqrstvxgh" * 2 + vietnamese + vietnamese.upper() + "  '-.,_()0123456789wzjBCDKNG"
    marks = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    odd = ["\u200b", "Ð", "ð", "ḅ", "\u212a", "İ", "\u00a0", "ǘ", "Å", "ß", "ﬁ", "Ｎ", "\u0307", "ǅ", "ʼ"]
    rng = random.Random(3)
    names = ["Nguyễn Văn An", "NGUYỄN VĂN AN", "Hoà", "Hòa", "H'Hen", "Đặng Thị Ð", "K\u212aelvin"]
    for _ in range(20_000):
        chars = [rng.choice(plain) if rng.random() < 0.85 else rng.choice(marks) for _ in range(rng.randrange(1, 16))]
        if rng.random() < 0.2:
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        name = "".join(chars)
        names += [name, unicodedata.normalize("NFD", name), unicodedata.normalize("NFC", name)]
    for name in names:
        assert _name_skeleton(name) == of_key(name), name


def test_cccd_births_match_cccd_birth() -> None:
    from xl_nhandao.vn.values import cccd_births

    numbers = [f"001{g}{y:02d}000001" for g in range(10) for y in (0, 5, 99)]
    assert cccd_births(numbers) == [cccd_birth(n) for n in numbers]
    assert cccd_births(["001305000001", "056185004321"]) == [(2005, "Nữ"), (1985, "Nữ")]


def test_the_first_characters_of_plain_keys_leave_out_every_space() -> None:
    spaces = {ch for ch in map(chr, range(0x110000)) if ch.isspace()}
    assert spaces | {"", "T", "t", "C", "c"} == rd._NOT_PLAIN_KEY
