"""``xl-nhandao demo``: the README's first command works and shows every situation a
coordinator meets (late, resubmitted, rejected, missing, a person in two communes, other
programmes' lists, support counted twice)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xl_nhandao.cli import main
from xl_nhandao.demo.run import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return run_demo(tmp_path_factory.mktemp("demo"), today=date(2026, 11, 23))


def test_every_situation_is_in_the_demo(demo) -> None:
    result = demo.result
    status = {s.file: s for s in result.submissions}
    assert 20 <= sum(1 for s in result.submissions if s.status == "accepted") <= 60
    assert sum(1 for s in result.submissions if s.status == "accepted" and s.late) == 1
    assert [s.status for s in result.submissions if s.status == "superseded"] == ["superseded"]
    assert status["ghi-chu-cua-can-bo.xlsx"].status == "rejected"
    assert any(s.status == "rejected" and s.reason and s.reason.code == "other-period" for s in result.submissions)
    assert len(result.missing) == 2  # never sent, and sent the wrong period
    assert [p.level for p in result.duplicates] == ["match"]
    assert result.rows["read"] == result.rows["counted"] + result.rows["excluded"]
    assert result.rows["excluded"] > 0 and demo.annotated


def test_the_overlap_step_finds_the_lists_people_and_leaves_out_support_counted_twice(demo) -> None:
    ov = demo.overlap
    by = {p["programme"]: p for p in ov.programmes()}
    poverty, tet = by["Giảm nghèo bền vững"], by["Tết Nhân ái"]
    assert poverty["excluded"] == 0 and poverty["match"] >= 50  # .VnTime names, CCCDs typed as numbers
    assert tet["events_counted_twice"] == len(ov.twice) == 6
    assert by["Cuộc vận động"]["match"] >= 1  # the person registered by two communes
    before, after = demo.result.totals, demo.decided.totals
    assert after["luot_tro_giup"] == before["luot_tro_giup"] - 6
    assert before["gia_tri_tro_giup"] - after["gia_tri_tro_giup"] == sum(t.campaign.value for t in ov.twice)
    rows = demo.decided.rows
    assert rows["read"] == rows["counted"] + rows["excluded"] == demo.result.rows["read"]
    assert load_workbook(demo.review, read_only=True).sheetnames[:3] == ["TomTat", "TrungLap", "SuKienTrung"]


def test_outputs_exist_and_are_valid(demo) -> None:
    assert demo.output.is_file() and demo.expect_file.is_file()
    wb = load_workbook(demo.output, read_only=True)
    assert wb.sheetnames[:4] == ["TongHop", "ChiTieu", "BieuDo", "NopBaoCao"]
    for marked in demo.annotated:
        assert "Loi" in load_workbook(marked, read_only=True).sheetnames


def test_demo_is_deterministic(demo, tmp_path: Path) -> None:
    again = run_demo(tmp_path, today=date(2026, 11, 23))
    assert again.result.totals == demo.result.totals


def test_demo_command_prints_where_the_outputs_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "-o", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert f"Thư mục demo: {tmp_path / 'd'}\n" in out  # whole, on its own line
    assert "Sổ tổng hợp của tỉnh" in out and "tong-hop-56-2025.xlsx" in out
    assert "Tỉnh Khánh Hòa" in out
