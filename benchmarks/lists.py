"""Time reading a large programme list (``read_list``) and hashing it (``hash_list``).

    python benchmarks/lists.py --rows 200000 [--dir /tmp/xlnd-bench] [--csv]

Builds the list once (synthetic people; a title block; one row per household member,
the members leaving the place cells blank), then reads it and prints rows per second.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vân", "Yến"]
HEADERS = ["STT", "Mã hộ", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Thôn", "Xã/Phường", "Địa chỉ",
           "Số tiền", "Ngày nhận"]


def rows(n: int, seed: int = 7):
    from xl_nhandao.vn import adminunits

    rnd = random.Random(seed)
    communes = [u.short_name for u in adminunits.communes_of("56", "2025")]
    i = 0
    household = 0
    while i < n:
        household += 1
        commune = rnd.choice(communes)
        thon = f"Thôn {rnd.randint(1, 12)}"
        for member in range(rnd.randint(1, 5)):
            if i >= n:
                break
            i += 1
            year = rnd.randint(1930, 2015)
            female = rnd.random() < 0.5
            name = f"{rnd.choice(FAMILY)} {'Thị' if female else rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            cccd = f"056{(1 if female else 0) + (2 if year >= 2000 else 0)}{year % 100:02d}{rnd.randint(0, 999999):06d}"
            first = member == 0
            yield [i, f"H{household:07d}", name, year, "Nữ" if female else "Nam",
                   int(cccd) if rnd.random() < 0.3 else cccd, thon if first else None,
                   commune if first else None, f"{thon}, xã {commune}" if first else None,
                   1_500_000, f"{rnd.randint(1, 28):02d}/01/2025"]


def build(path: Path, n: int) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            for r in rows(n):
                w.writerow(["" if v is None else v for v in r])
        return
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("DanhSach")
    ws.write_string(0, 0, "DANH SÁCH HỘ NGHÈO, CẬN NGHÈO NĂM 2025")
    ws.write_row(2, 0, HEADERS)
    for r, values in enumerate(rows(n), start=3):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--dir", default="/tmp/xlnd-bench")
    ap.add_argument("--csv", action="store_true")
    ap.add_argument("--hash", action="store_true", help="also time hash_list")
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"list-{args.rows}.{'csv' if args.csv else 'xlsx'}"
    if not path.exists():
        t = time.perf_counter()
        build(path, args.rows)
        print(f"built {path} in {time.perf_counter() - t:.1f}s", file=sys.stderr)

    from xl_nhandao.overlap.lists import read_list

    t = time.perf_counter()
    people = read_list(path, "Giảm nghèo", provinces={"56"})
    took = time.perf_counter() - t
    print(f"read_list: {len(people):,} rows in {took:.2f}s = {len(people) / took:,.0f} rows/s")
    if args.hash:
        from xl_nhandao.overlap.hashing import hash_list

        out = folder / "hashed.xlsx"
        t = time.perf_counter()
        summary = hash_list(path, secret=b"benchmark-secret-0123456789", output=out, force=True,
                            provinces={"56"})
        took = time.perf_counter() - t
        print(f"hash_list: {summary['rows']:,} rows in {took:.2f}s = {summary['rows'] / took:,.0f} rows/s")


if __name__ == "__main__":
    main()
