"""Builders of small clerk workbooks for tests (openpyxl), clean by default.

``clean_book()`` returns the description of a small valid commune workbook; tests
change one thing (a quirk or an error) and write it with :func:`write`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xl_nhandao.workbook import standard

UNIT = "22453"  # Xã Cam Lâm? — resolved from the code lists in tests that need the name
PROVINCE = "56"


def headers(sheet: str) -> list[str]:
    spec = {t.name: t for t in (*standard.TABLES, standard.SO_LIEU)}[sheet]
    return [f.header for f in spec.clerk_fields]


@dataclass
class Book:
    info: dict[str, object] | None
    tables: dict[str, tuple[list[str], list[list[object]]]]
    title_rows: int = 2  # rows above each table's header (title block)
    extra_sheets: dict[str, list[list[object]]] = field(default_factory=dict)

    def copy(self) -> Book:
        return copy.deepcopy(self)

    def rows(self, sheet: str) -> list[list[object]]:
        return self.tables[sheet][1]

    def set(self, sheet: str, index: int, header: str, value: object) -> None:
        hdrs, rows = self.tables[sheet]
        rows[index][hdrs.index(header)] = value

    def get(self, sheet: str, index: int, header: str) -> object:
        hdrs, rows = self.tables[sheet]
        return rows[index][hdrs.index(header)]

    def excel_row(self, index: int) -> int:
        """The Excel row of data row ``index`` (0-based) as written."""
        return self.title_rows + 1 + 1 + index


def clean_book(commune: str = "22333", province: str = "56") -> Book:
    from xl_nhandao.vn import adminunits

    c = adminunits.lookup(commune, "2025", "Xã")
    p = adminunits.lookup(province, "2025", "Tỉnh")
    assert c and p
    info = {
        "Phiên bản mẫu": "XLND-1",
        "Tỉnh/Thành phố": p.name,
        "Mã tỉnh": province,
        "Xã/Phường": c.name,
        "Mã xã": commune,
        "Hệ mã đơn vị hành chính": "2025",
        "Cấp đơn vị": "Xã",
        "Phân loại xã": "Trung bình trở lên",
        "Kỳ báo cáo": "2024-H1",
        "Ngày lập báo cáo": date(2024, 5, 20),
        "Người lập": "Cán bộ Hội",
        "Số người đứng đầu": 10,
        "Chỉ tiêu giá trị vận động (đồng)": 100_000_000,
    }
    d = headers("DiaChi")
    diachi = [
        # STT, Mã, Họ tên, Năm sinh, Giới, Dân tộc, CCCD, Thôn, Mã xã, Đối tượng, ĐT khác, Hoàn cảnh, Nhu cầu,
        # Ngày lập HS, Ngày duyệt, Ngày iNHANDAO, Ưu tiên, CT khác, Trạng thái, Ghi chú
        [1, f"{commune}-0001", "Nguyễn Văn An", 1950, "Nam", "Kinh", "056050001234", "Thôn 1", commune, "NC",
         "KT", "Già yếu, sống một mình", "Gạo, thuốc", date(2023, 12, 1), date(2023, 12, 10),
         date(2024, 1, 5), 1, None, "Đang trợ giúp", None],
        [2, f"{commune}-0002", "Trần Thị Bình", 1985, "Nữ", "Kinh", "056185004321", "Thôn 2", commune, "HN",
         None, "Chồng mất, nuôi hai con nhỏ", "Vốn sinh kế", date(2024, 2, 15), None, None, 2,
         "Hộ nghèo", "Đang trợ giúp", None],
        [3, f"{commune}-0003", "Lê Văn Cường", 2010, "Nam", "Ê-đê", None, "Thôn 2", commune, "MC",
         None, "Mồ côi cha mẹ", "Học bổng", date(2023, 6, 1), date(2023, 6, 20), date(2023, 7, 1), 3, None,
         "Chờ trợ giúp", None],
    ]
    assert len(diachi[0]) == len(d)
    k = headers("DangKy")
    dangky = [
        [1, "Công ty TNHH An Phát", "Doanh nghiệp", "Không", f"{commune}-0001", date(2023, 12, 5), "TM",
         12_000_000, None],
        [2, "Ông Phạm Văn Dũng", "Cá nhân", "Có", f"{commune}-0002", date(2024, 3, 1), "HV", 2_000_000, None],
    ]
    assert len(dangky[0]) == len(k)
    t = headers("TroGiup")
    trogiup = [
        [1, date(2023, 12, 20), f"{commune}-0001", "Công ty TNHH An Phát", "TM", "Tiền mặt Tết", 1_000_000,
         "Cuộc vận động", None, "Có", "PC-001", None],
        [2, date(2024, 3, 10), f"{commune}-0002", "Ông Phạm Văn Dũng", "HV", "Gạo 50kg", 750_000, "Quỹ Hội",
         None, "Không", "PC-002", None],
        [3, date(2024, 4, 2), f"{commune}-0002", "UBND xã", "SK", "Bò giống", 15_000_000, "Chương trình khác",
         "Giảm nghèo bền vững", "Không", "PC-003", None],
    ]
    assert len(trogiup[0]) == len(t)
    return Book(info, {"DiaChi": (d, diachi), "DangKy": (k, dangky), "TroGiup": (t, trogiup)})


def write(book: Book, path: Path, solieu: list[list[object]] | None = None) -> Path:
    """Write ``book`` as a clerk would: a title block, then the header, then rows."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    if book.info is not None:
        ws = wb.create_sheet("ThongTin")
        ws.append(["THÔNG TIN ĐƠN VỊ"])
        ws.append([])
        for label, value in book.info.items():
            ws.append([label, value])
    for name, (hdrs, rows) in book.tables.items():
        ws = wb.create_sheet(name)
        for i in range(book.title_rows):
            ws.append([f"Tiêu đề {name}" if i == 0 else None])
        ws.append(hdrs)
        for r in rows:
            ws.append(r)
    if solieu is not None:
        ws = wb.create_sheet("SoLieu")
        ws.append(["Mã chỉ số", "Chỉ số", "Giá trị"])
        for r in solieu:
            ws.append(r)
    for name, rows in book.extra_sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path
