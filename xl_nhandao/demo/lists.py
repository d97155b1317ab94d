"""Other programmes' lists for the demo's overlap step, as they arrive at a provincial
Red Cross: a poverty list kept in the old ``.VnTime`` font with CCCDs typed as numbers
(the leading zero lost), and a Tết Nhân ái recipients list with each gift's date, value
and voucher number. Some of the people are campaign addresses (written the way another
office writes them: no diacritics, Thị left out, a birth year one off), some gifts are
support the campaign already counted, and the rest are other people of the same communes,
with a namesake in another commune."""

from __future__ import annotations

import random
import unicodedata
from datetime import timedelta
from pathlib import Path

from ..consolidate import Consolidation
from ..i18n import Phrase
from ..vn import adminunits
from ..vn.text import _unicode_to_tcvn3, strip_diacritics

POVERTY = "Giảm nghèo bền vững"
TET = "Tết Nhân ái"


def _person_name(rng: random.Random, female: bool) -> str:
    from .synth import (
        _GIVEN_FEMALE,
        _GIVEN_MALE,
        _MIDDLE_FEMALE,
        _MIDDLE_MALE,
        _SURNAMES,
        _SURNAMES_SOUTH,
        _pick,
    )

    family = _pick(rng, _SURNAMES + _SURNAMES_SOUTH)
    middle = _pick(rng, _MIDDLE_FEMALE if female else _MIDDLE_MALE)
    given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
    return f"{family} {middle} {given}"


def _as_typed_elsewhere(rng: random.Random, name: str) -> str:
    """The same name as another office types it."""
    roll = rng.random()
    if roll < 0.25:
        return strip_diacritics(name).upper()
    if roll < 0.45:
        words = name.split()
        return " ".join(w for i, w in enumerate(words) if not (w == "Thị" and 0 < i < len(words) - 1))
    return name


def write_lists(result: Consolidation, folder: Path, seed: int = 2025) -> tuple[list[tuple[Path, str]], list[Phrase]]:
    """Write the two lists into ``folder``; return [(path, programme)] and the story."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    addresses = [r.values for r in result.merged["DiaChi"]]
    events = [r.values for r in result.merged["TroGiup"] if r.values.get("nguon") != "Chương trình khác"]
    communes = sorted({str(v["ma_xa"]) for v in addresses if v.get("ma_xa")})
    names = {c: (adminunits.lookup(c, "2025", "Xã").name if adminunits.lookup(c, "2025", "Xã") else c)  # type: ignore[union-attr]
             for c in communes}

    # -- the poverty list ------------------------------------------------------------
    poor = [v for v in addresses if v.get("doi_tuong") in ("HN", "CN")]
    chosen = rng.sample(poor, min(len(poor), max(8, len(poor) * 2 // 3)))
    rows = []
    for v in chosen:
        year = int(v["nam_sinh"]) + (rng.choice((-1, 1)) if rng.random() < 0.15 else 0)  # type: ignore[call-overload]
        cccd = v.get("cccd") if rng.random() < 0.8 else None
        rows.append((_as_typed_elsewhere(rng, str(v["ho_ten"])), year, v.get("gioi_tinh"), cccd, v.get("thon"),
                     str(v["ma_xa"])))
    for _ in range(len(chosen) * 3):  # the commune's other poor households
        female = rng.random() < 0.5
        commune = rng.choice(communes)
        rows.append((_person_name(rng, female), rng.randint(1935, 1995), "Nữ" if female else "Nam", None,
                     f"Thôn {rng.randint(1, 9)}", commune))
    # a namesake of a campaign address in another commune
    twin = rng.choice(addresses)
    elsewhere = next(c for c in communes if c != twin["ma_xa"])
    rows.append((str(twin["ho_ten"]), int(twin["nam_sinh"]), twin.get("gioi_tinh"), None, "Thôn 1", elsewhere))  # type: ignore[call-overload]
    rng.shuffle(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
    ws["A2"] = "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2025"
    ws["A2"].font = Font(bold=True)
    ws.append([])
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Số CCCD", "Thôn", "Xã/Phường", "Mã hộ"])
    vntime = Font(name=".VnTime", size=12)
    for i, (name, year, gender, cccd, thon, commune) in enumerate(rows, start=1):
        ws.append([i, _unicode_to_tcvn3(unicodedata.normalize("NFC", name)), year, gender,
                   int(cccd) if cccd else None, thon, names[commune], f"HN-{commune}-{i:04d}"])
        ws.cell(ws.max_row, 2).font = vntime
    poverty = folder / "ds-ho-ngheo-2025.xlsx"
    wb.save(poverty)

    # -- Tết Nhân ái recipients --------------------------------------------------------
    by_address: dict[object, list[dict[str, object]]] = {}
    for e in events:
        by_address.setdefault(e.get("_addr"), []).append(e)
    keys = [r.key for r in result.merged["DiaChi"] if r.key in by_address]
    rng.shuffle(keys)
    tet_rows = []
    twice = 0
    for k in keys[:12]:
        v = next(r.values for r in result.merged["DiaChi"] if r.key == k)
        e = rng.choice(by_address[k])
        day = e["ngay"]
        if twice < 6:  # support the campaign already counted, entered again by the other programme
            twice += 1
            if e.get("so_chung_tu") and twice % 2:
                tet_rows.append((v, day, e["gia_tri"], e["so_chung_tu"]))
            else:
                tet_rows.append((v, day + timedelta(days=2), e["gia_tri"], None))  # type: ignore[operator]
        else:  # the same person, another gift
            tet_rows.append((v, day + timedelta(days=20), 500_000, f"TNA-{len(tet_rows) + 1:03d}"))  # type: ignore[operator]
    wb = Workbook()
    ws = wb.active
    ws.title = "NguoiNhan"
    ws["A1"] = "DANH SÁCH NGƯỜI NHẬN QUÀ TẾT NHÂN ÁI XUÂN ẤT TỴ 2025"
    ws.append([])
    ws.append(["TT", "Tên người nhận", "Năm sinh", "Địa chỉ", "Ngày nhận", "Số tiền", "Số phiếu"])
    for v, day, value, voucher in tet_rows:
        ws.append([None, _as_typed_elsewhere(rng, str(v["ho_ten"])), v["nam_sinh"],
                   f"{v.get('thon') or ''}, {names.get(str(v['ma_xa']), '')}", day, value, voucher])
    for _ in range(len(tet_rows) * 2):
        female = rng.random() < 0.6
        commune = rng.choice(communes)
        ws.append([None, _person_name(rng, female), rng.randint(1930, 1990),
                   f"Thôn {rng.randint(1, 9)}, {names[commune]}", None, 500_000, f"TNA-{rng.randint(100, 999)}"])
    for i, row in enumerate(ws.iter_rows(min_row=4), start=1):
        row[0].value = i
        row[4].number_format = "dd/mm/yyyy"
        row[5].number_format = "#,##0"
    tet = folder / "tet-nhan-ai-2025.xlsx"
    wb.save(tet)
    story = [
        Phrase("Danh sách hộ nghèo của tỉnh (phông .VnTime, CCCD gõ thành số) có {count} địa chỉ nhân đạo, viết "
               "khác đi (không dấu, bỏ chữ Thị, năm sinh lệch 1), và một người trùng tên ở xã khác.",
               "The province's poverty list (.VnTime font, CCCDs typed as numbers) holds {count} humanitarian "
               "addresses, written differently (no diacritics, Thị left out, birth year one off), and a namesake "
               "in another commune.", {"count": len(chosen)}),
        Phrase("Danh sách Tết Nhân ái có {count} lượt quà đã được tính trong Cuộc vận động (cùng số phiếu, hoặc "
               "cùng giá trị lệch 2 ngày).",
               "The Tết Nhân ái list holds {count} gifts already counted in the campaign (same voucher, or same "
               "value two days apart).", {"count": twice}),
    ]
    return [(poverty, POVERTY), (tet, TET)], story
