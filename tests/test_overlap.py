"""``xl-nhandao overlap``, ``hash-list`` and ``consolidate --decisions`` end to end, as a
coordinator uses them: two communes' books, a poverty list with a title block, a Tết
Nhân ái csv in Windows-1258, the review, decisions typed into it, and the figures after.

The books are ``clean_book`` (see test_consolidate): in 22333, 0001 Nguyễn Văn An 1950
(CCCD 056050000001, Thôn 1) got 1.000.000 đồng in cash on 20/12/2023, voucher PC-001;
0002 Trần Thị Bình 1985 (CCCD 056185000001, Thôn 2). Commune 22366 registers, besides its
own people, the same Nguyễn Văn An without a CCCD (typed without diacritics)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from books import write
from conftest import TODAY
from openpyxl import Workbook, load_workbook
from test_consolidate import book, cli
from test_overlap_lists import cp1258

import xl_nhandao as nd
from xl_nhandao.schema import OverlapDocument


def campaign_folder(tmp_path: Path) -> Path:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333", 1), d / "22333.xlsx")
    b = book("22366", 2)
    hdrs, rows = b.tables["DiaChi"]
    twin = list(rows[0])
    twin[hdrs.index("Mã địa chỉ")] = "22366-0009"
    twin[hdrs.index("Họ và tên")] = "Nguyen Van An"
    twin[hdrs.index("Số CCCD")] = None
    twin[hdrs.index("Mã xã")] = "22333"
    twin[hdrs.index("Thôn/Tổ dân phố")] = "thôn 01"
    rows.append(twin)
    write(b, d / "22366.xlsx")
    return d


def poverty_list(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    ws.append(["UBND TỈNH KHÁNH HÒA"])
    ws.append(["DANH SÁCH HỘ NGHÈO NĂM 2024"])
    ws.append([])
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Mã xã"])
    ws.append([1, "TRẦN THỊ BÌNH", 1985, 56185000001, "Thôn 2", 22333])  # CCCD typed as a number: 11 digits
    ws.append([2, "Lê Cường", 2010, None, "Thôn 2", 22333])  # Văn left out
    ws.append([3, "Phạm Thị Mơ", 1960, None, "Thôn 5", 22333])  # nobody in the campaign
    ws.append([4, "Nguyễn Văn An", 1950, "056050000099", "Thôn 1", 22333])  # a CCCD that differs from 0001's
    path = tmp_path / "ds-ho-ngheo.xlsx"
    wb.save(path)
    return path


def tet_csv(tmp_path: Path) -> Path:
    text = ("Tên người nhận;Năm sinh;Thôn;Mã xã;Ngày nhận;Số tiền;Số phiếu\r\n"
            "Nguyễn Văn An;1950;Thôn 1;22333;22/12/2023;1.000.000;pc 1\r\n"  # the campaign's PC-001
            "Nguyễn Văn An;1950;Thôn 1;22333;10/02/2024;500.000;TNA-7\r\n"  # another gift
            "Đỗ Thị Hạnh;1944;Thôn 3;22366;22/12/2023;500.000;TNA-8\r\n")
    path = tmp_path / "tet-nhan-ai.csv"
    path.write_bytes(cp1258(text))  # as Vietnamese Windows writes it: tones as marks after the letter
    return path


def run_overlap(tmp_path: Path, capsys, *extra: str, campaign: Path | None = None) -> tuple[int, dict, str]:
    d = campaign or campaign_folder(tmp_path)
    args = ["overlap", str(d), "--against", str(poverty_list(tmp_path)), "--programme", "Giảm nghèo",
            "--against", str(tet_csv(tmp_path)), "--programme", "Tết Nhân ái", "--json", *extra]
    code, out, err = cli(args, capsys)
    return code, json.loads(out) if out else {}, err


def by_programme(doc: dict, programme: str) -> list[dict]:
    return [p for p in doc["pairs"] if p["other"]["programme"] == programme]


def test_overlap_finds_list_people_registrations_by_two_units_and_support_counted_twice(tmp_path: Path,
                                                                                         capsys) -> None:
    review = tmp_path / "ra-soat.xlsx"
    code, doc, err = run_overlap(tmp_path, capsys, "-o", str(review))
    assert code == 1, err  # pairs to review
    OverlapDocument.model_validate(doc)
    poor = {(p["other"]["row"], p["campaign"]["ma_dia_chi"]): p for p in by_programme(doc, "Giảm nghèo")}
    # rows as Excel shows them; the stranger is no pair; the An whose CCCD differs from
    # 22333's An pairs only with the registration that has no CCCD; Lê Cường of 22333 is
    # also a namesake of 22366's (another commune: possible)
    assert {k: p["level"] for k, p in poor.items()} == {
        (5, "22333-0002"): "match", (6, "22333-0003"): "match", (6, "22366-0003"): "possible",
        (8, "22366-0009"): "match"}
    bình = poor[(5, "22333-0002")]
    assert bình["basis"] == "cccd"
    assert bình["campaign"] == {"file": "22333.xlsx", "sheet": "DiaChi", "row": 5, "unit": "22333",
                                "ma_dia_chi": "22333-0002"}
    assert "CCCD bị mất số 0 đầu ở một bên" in bình["reasons"]
    assert "một bên không ghi chữ đệm Thị/Văn" in poor[(6, "22333-0003")]["reasons"]
    assert "khác xã (22366 / 22333)" in poor[(6, "22366-0003")]["reasons"]
    inside = by_programme(doc, "Cuộc vận động")
    an = [p for p in inside if {p["campaign"]["ma_dia_chi"], p["other"]["ma_dia_chi"]} == {"22333-0001", "22366-0009"}]
    assert len(an) == 1 and an[0]["level"] == "match" and "họ tên trùng khi bỏ dấu" in an[0]["reasons"]
    tet = by_programme(doc, "Tết Nhân ái")
    assert {p["other"]["row"] for p in tet if p["campaign"]["ma_dia_chi"] == "22333-0001"} == {2, 3}
    [twice] = doc["events_counted_twice"]
    assert twice["campaign"] == {"file": "22333.xlsx", "sheet": "TroGiup", "row": 4}
    assert twice["other"]["row"] == 2 and twice["reason"] == "cùng người, cùng số chứng từ PC-001"
    assert doc["counts"]["events_counted_twice"] == 1
    assert all(p["decision"] is None for p in doc["pairs"])
    names = load_workbook(review, read_only=True).sheetnames
    assert names[:3] == ["TomTat", "TrungLap", "SuKienTrung"]


def decide(review: Path, choices: dict[tuple[str, str], str], events: str | None = None) -> None:
    """Type decisions into the review as a coordinator does: after sorting the rows the
    other way round (decisions are keyed by identity, not by row)."""
    wb = load_workbook(review)
    ws = wb["TrungLap"]
    header = next(r for r in range(1, 10) if any(c.value == "Quyết định" for c in ws[r]))
    cols = {c.value: c.column for c in ws[header] if c.value}
    rows = [[c.value for c in ws[r]] for r in range(header + 1, ws.max_row + 1)]
    rows.reverse()
    for i, values in enumerate(rows, start=header + 1):
        for j, v in enumerate(values, start=1):
            ws.cell(i, j).value = v
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, cols["Mã địa chỉ"]).value  # the campaign side's
        other = ws.cell(r, cols["Chương trình"]).value
        for (campaign_code, programme), decision in choices.items():
            if code == campaign_code and programme == other:
                ws.cell(r, cols["Quyết định"]).value = decision
    if events is not None:
        es = wb["SuKienTrung"]
        eh = next(r for r in range(1, 10) if any(c.value == "Quyết định" for c in es[r]))
        col = next(c.column for c in es[eh] if c.value == "Quyết định")
        for r in range(eh + 1, es.max_row + 1):
            es.cell(r, col).value = events
    wb.save(review)


def test_decisions_stick_across_a_rerun_and_a_reconsolidation(tmp_path: Path, capsys) -> None:
    review = tmp_path / "ra-soat.xlsx"
    d = campaign_folder(tmp_path)
    run_overlap(tmp_path, capsys, "-o", str(review), campaign=d)
    decide(review, {("22333-0001", "Cuộc vận động"): "Trùng", ("22333-0003", "Giảm nghèo"): "không trùng"})
    code, doc, err = run_overlap(tmp_path, capsys, "--decisions", str(review), campaign=d)
    assert code == 1, err
    decided = {(p["campaign"]["ma_dia_chi"], p["other"]["programme"]): p["decision"] for p in doc["pairs"]
               if p["decision"]}
    assert decided == {("22333-0001", "Cuộc vận động"): "Trùng", ("22333-0003", "Giảm nghèo"): "Không trùng"}
    # consolidated, then compared again from the consolidation: the same decisions
    out = tmp_path / "tong-hop.xlsx"
    assert cli(["consolidate", str(d), "-o", str(out), "--json"], capsys)[0] == 0
    code, again, err = run_overlap(tmp_path, capsys, "--decisions", str(review), campaign=out)
    assert {(p["campaign"]["ma_dia_chi"], p["other"]["programme"]): p["decision"] for p in again["pairs"]
            if p["decision"]} == decided, err


def totals(path: Path, capsys, *extra: str) -> dict:
    code, out, err = cli(["consolidate", str(path), "-o", str(path.parent / "th.xlsx"), "--force", "--json",
                          *extra], capsys)
    assert code == 0, err
    return json.loads(out)


def test_consolidate_with_decisions_counts_a_decided_person_once_and_leaves_out_support_counted_twice(
        tmp_path: Path, capsys) -> None:
    review = tmp_path / "ra-soat.xlsx"
    d = campaign_folder(tmp_path)
    run_overlap(tmp_path, capsys, "-o", str(review), campaign=d)
    before = totals(d, capsys)
    undecided = totals(d, capsys, "--decisions", str(review))
    # an event listed as counted twice leaves the figures even before anyone decides
    assert undecided["totals"]["luot_tro_giup"] == before["totals"]["luot_tro_giup"] - 1
    assert undecided["totals"]["gia_tri_tro_giup"] == before["totals"]["gia_tri_tro_giup"] - 1_000_000
    assert undecided["totals"]["gia_tri_TM"] == before["totals"]["gia_tri_TM"] - 1_000_000
    assert undecided["totals"]["dia_chi_co_ho_so"] == before["totals"]["dia_chi_co_ho_so"]
    rows = undecided["rows"]
    assert rows["read"] == rows["counted"] + rows["excluded"] == before["rows"]["read"]
    assert rows["excluded"] == before["rows"]["excluded"] + 1
    loai = load_workbook(d.parent / "th.xlsx", read_only=True)["LoaiTru"]
    reasons = [str(c) for row in loai.iter_rows(values_only=True) for c in row if c and "Tết Nhân ái" in str(c)]
    assert reasons and "ra-soat.xlsx" in reasons[0]
    # the two registrations decided one person count once; the event decided not the same counts again
    decide(review, {("22333-0001", "Cuộc vận động"): "Trùng"}, events="Không trùng")
    decided = totals(d, capsys, "--decisions", str(review))
    assert decided["totals"]["dia_chi_co_ho_so"] == before["totals"]["dia_chi_co_ho_so"] - 1
    assert decided["totals"]["luot_tro_giup"] == before["totals"]["luot_tro_giup"]
    assert decided["duplicates_across_units"] == before["duplicates_across_units"] + 1
    trung = load_workbook(d.parent / "th.xlsx", read_only=True)["TrungLap"]
    assert any(c == "Quyết định Trùng (sổ rà soát)" for row in trung.iter_rows(values_only=True) for c in row)


def test_mask_leaves_no_identity_number_in_the_review(tmp_path: Path, capsys) -> None:
    review = tmp_path / "ra-soat.xlsx"
    code, _, err = run_overlap(tmp_path, capsys, "-o", str(review), "--mask")
    assert code == 1, err
    with zipfile.ZipFile(review) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    for number in ("056185000001", "56185000001", "056050000001", "056050000099"):
        assert number not in xml
    assert "0561******01" in xml


def test_a_hashed_list_matches_and_a_wrong_secret_matches_nothing_and_says_so(tmp_path: Path, capsys) -> None:
    secret, other = tmp_path / "khoa.txt", tmp_path / "khoa-khac.txt"
    secret.write_text("một khóa bí mật đủ dài 0123456789\n", encoding="utf-8")
    other.write_text("một khóa khác cũng đủ dài 9876543210\n", encoding="utf-8")
    hashed = tmp_path / "da-bam.xlsx"
    code, out, err = cli(["hash-list", str(poverty_list(tmp_path)), "--salt-file", str(secret), "-o", str(hashed),
                          "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["rows"] == 4
    d = campaign_folder(tmp_path)
    code, out, err = cli(["overlap", str(d), "--against", str(hashed), "--programme", "Giảm nghèo",
                          "--salt-file", str(secret), "--json"], capsys)
    doc = json.loads(out)
    poor = {(p["other"]["row"], p["campaign"]["ma_dia_chi"]): p for p in by_programme(doc, "Giảm nghèo")}
    assert all(p["basis"] == "hash" for p in poor.values())
    # the hashed file's rows: the CCCD typed as a number matches by its hash; a name and
    # year by theirs; the An whose CCCD differs from 0001's is no pair of 0001
    assert poor[(2, "22333-0002")]["level"] == "match"
    assert "trùng mã băm CCCD" in poor[(2, "22333-0002")]["reasons"]
    assert poor[(3, "22333-0003")]["level"] == "match"
    assert "trùng mã băm họ tên và năm sinh" in poor[(3, "22333-0003")]["reasons"]
    assert (5, "22333-0001") not in poor
    code, out, err = cli(["overlap", str(d), "--against", str(hashed), "--programme", "Giảm nghèo",
                          "--salt-file", str(other), "--json"], capsys)
    doc = json.loads(out)
    assert by_programme(doc, "Giảm nghèo") == []
    assert any("khóa" in n for n in doc["notices"])
    with zipfile.ZipFile(hashed) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert "một khóa bí mật".encode() not in blob and b"56185000001" not in blob



def test_each_list_is_opened_once(tmp_path: Path, monkeypatch) -> None:
    from xl_nhandao.workbook.source import FileWorkbook

    secret = tmp_path / "khoa.txt"
    secret.write_text("một khóa bí mật đủ dài 0123456789", encoding="utf-8")
    hashed = tmp_path / "da-bam.xlsx"
    nd.hash_list(poverty_list(tmp_path), salt_file=secret, output=hashed)
    plain = poverty_list(tmp_path)
    d = campaign_folder(tmp_path)
    opened: list[str] = []
    init = FileWorkbook.__init__

    def counting(self, path, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        opened.append(Path(path).name)
        init(self, path, *args, **kw)

    monkeypatch.setattr(FileWorkbook, "__init__", counting)
    res = nd.overlap(d, against=[(hashed, "Bảo trợ"), (plain, "Giảm nghèo")], salt_file=secret, today=TODAY)
    assert all(r["match"] for r in res.programmes()[:2])  # both lists read and matched
    assert opened.count(hashed.name) == 1 and opened.count(plain.name) == 1

@pytest.mark.parametrize("args, words", [
    (["--against", "khong-co.xlsx"], "khong-co.xlsx"),
    (["--against", "{hashed}"], "--salt-file"),
])
def test_overlap_failures_are_one_line(tmp_path: Path, capsys, args: list[str], words: str) -> None:
    secret = tmp_path / "khoa.txt"
    secret.write_text("một khóa bí mật đủ dài 0123456789", encoding="utf-8")
    hashed = tmp_path / "da-bam.xlsx"
    nd.hash_list(poverty_list(tmp_path), salt_file=secret, output=hashed)
    d = campaign_folder(tmp_path)
    code, out, err = cli(["overlap", str(d), *[a.replace("{hashed}", str(hashed)) for a in args]], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_the_library_call_returns_frames(tmp_path: Path) -> None:
    d = campaign_folder(tmp_path)
    res = nd.overlap(d, against=[(poverty_list(tmp_path), "Giảm nghèo"), (tet_csv(tmp_path), "Tết Nhân ái")],
                     today=TODAY)
    assert res.counts["events_counted_twice"] == 1
    frames = res.frames()
    assert set(frames) == {"TrungLap", "SuKienTrung"}
    assert len(frames["TrungLap"]) == len(res.pairs) and len(frames["SuKienTrung"]) == 1
