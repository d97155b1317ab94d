"""Synthetic but realistic unit workbooks, for the demo, the benchmarks and the tests.

Nobody in these workbooks exists: people, supporters and events are drawn from
``random.Random`` seeded by the caller, so the same arguments always give the same data.
Places are real (the code lists of :mod:`xl_nhandao.adminunits`), so the workbooks
validate against them.

* :func:`make_unit` — one commune's register for one period (:class:`UnitData`): every
  row is valid, and a clean unit validates with **no issue at all** (given a ``today``
  after its report date, e.g. :func:`validation_date`).
* :func:`write_unit` — into the real blank standard workbook (``style="template"``,
  openpyxl) or a plain fast workbook (``style="fast"``, XlsxWriter in constant-memory
  mode, for benchmarks of tens of thousands of rows).
* :func:`apply_quirks` — what clerks do to a workbook that must *not* be an error
  (:data:`QUIRKS` lists, for each quirk, the issue codes it legitimately adds).
* :func:`inject_mistakes` — the mistakes clerks make, each returned as an
  :class:`Injected` (sheet, data-row index, column, issue code) that the validator must
  report, and nothing else.

Only the standard library is imported here; openpyxl and XlsxWriter are imported by the
writers that need them.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from ..issues import CATALOGUE
from ..vn import adminunits
from ..vn.periods import Period, campaign_year_of, parse_period
from ..vn.text import fold, name_key
from ..workbook import codes, standard

__all__ = [
    "MISTAKES",
    "QUIRKS",
    "Injected",
    "UnitData",
    "apply_quirks",
    "inject_mistakes",
    "make_unit",
    "validation_date",
    "write_unit",
]

DIA_CHI, DANG_KY, TRO_GIUP = (t.name for t in standard.TABLES)
SHEET_RANK = {s.name: i for i, s in enumerate(standard.SHEETS)}


def _headers(spec: standard.TableSheet) -> dict[str, str]:
    return {f.key: f.header for f in spec.fields}


#: Standard headers by field key, per register sheet.
H_DC = _headers(standard.DIA_CHI)
H_DK = _headers(standard.DANG_KY)
H_TG = _headers(standard.TRO_GIUP)
INFO = {f.key: f.header for f in standard.THONG_TIN.fields}
_SPECS = {t.name: t for t in standard.TABLES}


# ---------------------------------------------------------------------------------------
# Data


@dataclass
class UnitData:
    """One commune's workbook content.

    ``info``: ThongTin labels → values. ``tables``: ``"DiaChi"``, ``"DangKy"``,
    ``"TroGiup"`` → rows, each a dict from standard header to a clean typed value, as the
    reader returns it: dates as :class:`~datetime.date`, money and years as ``int``,
    codes as the standard's canonical code or label, ``Đối tượng khác`` as a tuple of
    codes, yes/no as ``bool``, blanks as ``None``. :func:`inject_mistakes` puts raw
    clerk values (strings, floats …) into these rows.
    """

    info: dict[str, object]
    tables: dict[str, list[dict[str, object]]]

    @property
    def commune(self) -> str:
        return str(self.info[INFO["ma_xa"]])

    @property
    def scheme(self) -> str:
        return str(self.info.get(INFO["he_ma"]) or "2025")

    @property
    def period(self) -> Period:
        p = parse_period(str(self.info[INFO["ky_bao_cao"]]))
        assert p is not None
        return p

    @property
    def report_date(self) -> date:
        d = self.info[INFO["ngay_lap"]]
        assert isinstance(d, date)
        return d


@dataclass(frozen=True)
class Injected:
    """An issue the validator must report: on ``sheet``, data row ``index`` (0-based, in
    the order of :attr:`UnitData.tables`), column ``header`` (the standard header).

    For workbook-level issues of quirks, ``index`` is None and ``header`` is the column
    (``legacy-text``) or the unknown header text (``column-unknown``).
    """

    sheet: str
    index: int | None
    header: str | None
    code: str
    note: str = field(default="", compare=False)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code].severity


def _sorted(items: Iterable[Injected]) -> list[Injected]:
    return sorted(set(items), key=lambda i: (SHEET_RANK.get(i.sheet, 99), -1 if i.index is None else i.index,
                                             i.header or "", i.code))


def validation_date(unit: UnitData, days: int = 7) -> date:
    """A ``today`` to validate ``unit`` with: a few days after its report date."""
    return unit.report_date + timedelta(days=days)


# ---------------------------------------------------------------------------------------
# Vocabulary

# Surnames with their approximate share of the population (percent); Hoàng/Huỳnh and
# Vũ/Võ are regional variants (north / centre-south).
_SURNAMES = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Phan", 4.5), ("Trương", 1.5),
    ("Bùi", 2.0), ("Đặng", 2.1), ("Đỗ", 1.4), ("Ngô", 1.3), ("Hồ", 1.3), ("Dương", 1.0), ("Đinh", 1.0),
    ("Lý", 0.5), ("Mai", 0.5), ("Đoàn", 0.6), ("Lương", 0.5), ("Hà", 0.5), ("Trịnh", 0.5), ("Cao", 0.4),
    ("Lâm", 0.4), ("Tô", 0.3), ("Châu", 0.3), ("Tạ", 0.3), ("Lưu", 0.3), ("Thái", 0.3), ("Kiều", 0.2),
    ("Quách", 0.2), ("Chu", 0.2), ("Từ", 0.2), ("Vương", 0.2), ("Triệu", 0.2), ("Mạc", 0.1),
]
_SURNAMES_NORTH = [("Hoàng", 4.0), ("Huỳnh", 0.3), ("Vũ", 3.5), ("Võ", 0.5)]
_SURNAMES_SOUTH = [("Hoàng", 1.0), ("Huỳnh", 3.5), ("Vũ", 0.6), ("Võ", 4.5)]

_MIDDLE_MALE = [("Văn", 45), ("Đức", 6), ("Minh", 7), ("Quang", 5), ("Hữu", 5), ("Công", 4), ("Xuân", 4),
                ("Đình", 5), ("Ngọc", 3), ("Thành", 4), ("Tấn", 3), ("Thanh", 4), ("Trọng", 2), ("Hoàng", 2),
                ("Văn Minh", 1), ("Anh", 2), ("Bá", 2), ("Duy", 2)]
_MIDDLE_FEMALE = [("Thị", 60), ("Ngọc", 5), ("Thu", 4), ("Thanh", 4), ("Kim", 4), ("Mỹ", 3), ("Bích", 3),
                  ("Hồng", 3), ("Thị Thu", 3), ("Thị Kim", 2), ("Thùy", 2), ("Phương", 2), ("Minh", 2),
                  ("Diệu", 1), ("Hoài", 1), ("Thị Ngọc", 2)]
_GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Minh", "Nam", "Phúc", "Quân", "Sơn", "Thắng",
    "Tuấn", "Trung", "Hòa", "Lộc", "Tài", "Thành", "Khánh", "Huy", "Hưng", "Đạt", "Phong", "Tiến", "Vinh",
    "Toàn", "Nghĩa", "Lợi", "Tâm", "Chiến", "Thuận", "Quý", "Thịnh", "Khoa", "Bảy", "Ba", "Tư", "Sáu",
    "Tám", "Lực", "Đông", "Hiếu", "Kiên", "Mạnh", "Nhân", "Phát", "Quyết", "Sang", "Tú", "Việt", "Hậu",
    "Lâm", "Châu", "Trí", "Bảo", "Tùng", "Hiền", "Công", "Đức",
]
_GIVEN_FEMALE = [
    "Lan", "Hoa", "Hương", "Hồng", "Mai", "Nga", "Hạnh", "Loan", "Thảo", "Trang", "Linh", "Ngọc", "Yến",
    "Phương", "Hà", "Thủy", "Tuyết", "Xuân", "Nhung", "Huệ", "Cúc", "Đào", "Liên", "Tâm", "Vân", "Hằng",
    "Thu", "Dung", "Oanh", "Bích", "Sen", "Lựu", "Mơ", "Tý", "Hiền", "Lệ", "Nhàn", "Thoa", "Gấm", "Lài",
    "Nguyệt", "Quyên", "Diễm", "Trinh", "Châu", "My", "Vy", "Hạnh", "Thắm", "Tươi", "Hòa", "Bảy", "Sáu",
]

# Ethnic minorities by region (old province code ranges), with name patterns.
_REGIONS = [
    # (first old code, last old code, minority share, groups)
    (2, 20, 0.55, ("Tày", "Nùng", "Thái", "Mông", "Dao", "Mường", "Giáy")),
    (1, 1, 0.02, ("Mường", "Tày")),
    (22, 37, 0.06, ("Mường", "Tày", "Sán Dìu", "Dao")),
    (38, 46, 0.10, ("Thái", "Mường", "Bru-Vân Kiều", "Tà-ôi", "Cơ-tu")),
    (48, 58, 0.08, ("Cơ-tu", "Hrê", "Co", "Ra-glai", "Chăm", "Ba-na")),
    (60, 60, 0.10, ("Chăm", "Ra-glai", "Cơ-ho")),
    (62, 68, 0.35, ("Gia-rai", "Ê-đê", "Ba-na", "Xơ-đăng", "Mnông", "Cơ-ho", "Tày", "Nùng")),
    (70, 79, 0.05, ("Xtiêng", "Hoa", "Khơ-me", "Chơ-ro", "Mạ")),
    (80, 96, 0.12, ("Khơ-me", "Hoa", "Chăm")),
]
_HIGHLAND = {"Gia-rai": ("Ksơr", "Rơ Mah", "Siu", "Rơ Lan", "Puih"),
             "Ê-đê": ("Niê", "Êban", "Mlô", "Byă", "Hđơk", "Ayun")}
_HIGHLAND_GIVEN = ("Blin", "Bhin", "Kơ", "Dơ", "Nhi", "Hen", "Phi", "Lan", "Rim", "Byơn", "Juê", "Ngơn")
_MONG = (("Giàng", "Vàng", "Sùng", "Lý", "Hạng", "Thào", "Mùa", "Lầu"),
         ("Páo", "Sử", "Chứ", "Dình", "Lử", "Tủa", "Chá"), ("Mỷ", "Dợ", "Súa", "Chi", "Máy", "Pà"))
_KHMER = (("Thạch", "Danh", "Sơn", "Kim", "Lâm", "Chau", "Lý"),
          ("Sóc", "Phol", "Sang", "Rên", "Khanh", "Na", "Vi"), ("Sa Rên", "Sóc Ra", "Mỹ Linh", "Sa Vân", "Phalla"))
_LOCAL_SURNAMES = {"Tày": ("Hoàng", "Nông", "Lục", "Hà", "Bế", "Ma"), "Nùng": ("Hoàng", "Lương", "Nông", "Vi"),
                   "Thái": ("Lò", "Lường", "Cầm", "Quàng", "Vi", "Lê"), "Mường": ("Bùi", "Đinh", "Quách", "Hà"),
                   "Dao": ("Triệu", "Bàn", "Đặng", "Lý"), "Hoa": ("Lâm", "Lý", "Quách", "Trần", "Tăng"),
                   "Ba-na": ("Đinh", "Y"), "Xơ-đăng": ("A", "Y"), "Mnông": ("Điểu", "Y", "Thị"),
                   "Chăm": ("Đàng", "Thành", "Lộ", "Quảng"), "Ra-glai": ("Chamaléa", "Pi Năng", "Katơr")}

_CATEGORIES = [("NC", 20), ("KK", 18), ("PN", 10), ("HN", 14), ("CN", 7), ("KT", 9), ("DC", 4), ("BH", 6),
               ("TT", 3), ("TN", 2), ("MC", 3), ("HS", 3), ("K", 1)]
_OTHER_CATEGORIES = {"NC": ("KT", "BH", "HN"), "KK": ("HN", "CN", "BH", "KT"), "PN": ("HN", "CN", "KK"),
                     "HN": ("KT", "BH", "NC"), "CN": ("BH", "KT"), "KT": ("HN", "CN", "NC"), "DC": ("KT", "HN"),
                     "BH": ("HN", "CN"), "TT": ("HN", "KK"), "TN": ("KT", "CN"), "MC": ("HS", "HN"),
                     "HS": ("HN", "CN", "MC"), "K": ("CN",)}
_CIRCUMSTANCES = {
    "NC": ("Già yếu, sống một mình", "Cao tuổi, không nơi nương tựa", "Neo đơn, thường xuyên đau ốm",
           "Chồng mất, con đi làm ăn xa không liên lạc", "Không có lương hưu, sống nhờ trợ cấp",
           "Mắt kém, đi lại khó khăn, sống một mình"),
    "KK": ("Chồng mất sớm, nuôi 3 con nhỏ", "Nhà dột nát, thu nhập bấp bênh",
           "Chồng bị tai nạn lao động, mất sức lao động", "Gia đình đông con, không có đất sản xuất",
           "Bản thân bệnh nặng, con còn nhỏ", "Làm thuê theo mùa vụ, không có thu nhập ổn định"),
    "PN": ("Đơn thân nuôi con nhỏ", "Chồng bỏ đi, một mình nuôi 2 con", "Góa chồng, sức khỏe yếu",
           "Mẹ đơn thân, con bị khuyết tật", "Bị bạo lực gia đình, đang nuôi con nhỏ"),
    "HN": ("Hộ nghèo, không có đất sản xuất", "Hộ nghèo nhiều năm, đông con", "Nhà tạm, thu nhập thấp",
           "Chủ hộ ốm đau, không có việc làm ổn định"),
    "CN": ("Hộ cận nghèo, chủ hộ đau ốm thường xuyên", "Thu nhập không ổn định, nhà xuống cấp",
           "Vợ chồng làm thuê, nuôi cha mẹ già"),
    "KT": ("Khuyết tật vận động, không tự đi lại được", "Khiếm thị từ nhỏ", "Bại liệt hai chân",
           "Khuyết tật trí tuệ, sống cùng mẹ già", "Khiếm thính, không có việc làm"),
    "DC": ("Con bị di chứng chất độc da cam", "Nạn nhân chất độc da cam, sức khỏe suy giảm"),
    "TT": ("Nhà bị sập do bão", "Mất trắng hoa màu do lũ lụt", "Nhà bị sạt lở đất, phải ở nhờ"),
    "BH": ("Mắc bệnh ung thư, đang điều trị", "Suy thận mãn tính, chạy thận định kỳ", "Bệnh tim, phải mổ",
           "Tai biến, nằm liệt giường"),
    "TN": ("Bị tai nạn giao thông, mất khả năng lao động", "Tai nạn lao động, liệt nửa người"),
    "MC": ("Mồ côi cả cha lẫn mẹ, ở với bà ngoại", "Mồ côi cha, mẹ đi làm ăn xa", "Mồ côi mẹ, cha bệnh nặng"),
    "HS": ("Học sinh giỏi, gia đình khó khăn", "Nhà xa trường, cha mẹ làm thuê", "Cha mất, mẹ làm thuê nuôi 3 con"),
    "K": ("Hoàn cảnh khó khăn đột xuất", "Người lang thang được địa phương tiếp nhận"),
}
_NEEDS = {
    "NC": ("Gạo, thực phẩm hằng tháng", "Thuốc men, khám chữa bệnh", "Chăm sóc tại nhà", "Sửa chữa nhà ở"),
    "KK": ("Vốn sinh kế", "Sửa chữa nhà ở", "Gạo, thực phẩm", "Bò giống", "Học phí cho con"),
    "PN": ("Vốn buôn bán nhỏ", "Học bổng cho con", "Việc làm ổn định", "Heo giống"),
    "HN": ("Bò giống", "Vốn sinh kế", "Xây nhà mới", "Cây con giống"),
    "CN": ("Vốn sinh kế", "Thẻ BHYT", "Sửa chữa nhà ở"),
    "KT": ("Xe lăn", "Phục hồi chức năng", "Thuốc men", "Trợ giúp sinh hoạt"),
    "DC": ("Thuốc men, khám chữa bệnh", "Chăm sóc tại nhà"),
    "TT": ("Xây lại nhà", "Gạo, nhu yếu phẩm", "Cây con giống"),
    "BH": ("Chi phí điều trị", "Thẻ BHYT", "Thuốc men"),
    "TN": ("Xe lăn", "Chi phí điều trị", "Vốn sinh kế cho vợ"),
    "MC": ("Học bổng, đồ dùng học tập", "Sổ tiết kiệm", "Chi phí sinh hoạt"),
    "HS": ("Học bổng", "Xe đạp đến trường", "Sách vở"),
    "K": ("Gạo, thực phẩm", "Chỗ ở tạm"),
}
_OTHER_PROGRAMMES_HELD = {"HN": ("Chính sách hộ nghèo", "Hộ nghèo - vay vốn NHCSXH"),
                          "CN": ("Chính sách hộ cận nghèo",), "NC": ("Trợ cấp xã hội hằng tháng",),
                          "KT": ("Trợ cấp người khuyết tật",), "DC": ("Trợ cấp nạn nhân chất độc hóa học",),
                          "MC": ("Trợ cấp trẻ em mồ côi",)}
_STOPPED_NOTES = ("Đã chuyển đi nơi khác", "Đã qua đời", "Hoàn cảnh đã ổn định")

_FORMS_BY_CATEGORY = {
    "NC": {"TM": 30, "HV": 35, "YT": 10, "BY": 8, "NC": 5, "NO": 3, "K": 3},
    "KK": {"TM": 30, "HV": 25, "SK": 12, "NO": 5, "BY": 8, "HT": 5, "K": 3},
    "PN": {"TM": 30, "HV": 20, "SK": 20, "HT": 10, "BY": 5},
    "HN": {"TM": 25, "HV": 25, "SK": 20, "NO": 6, "BY": 8, "NC": 4},
    "CN": {"TM": 30, "HV": 25, "SK": 15, "BY": 10},
    "KT": {"TM": 25, "HV": 20, "XL": 15, "PH": 10, "YT": 8, "BY": 6},
    "DC": {"TM": 30, "HV": 25, "YT": 15, "PH": 8, "BY": 6},
    "TT": {"TM": 30, "HV": 30, "NO": 12, "SK": 10},
    "BH": {"TM": 35, "YT": 25, "HV": 20, "BY": 10},
    "TN": {"TM": 30, "YT": 20, "XL": 10, "HV": 20, "PH": 8},
    "MC": {"TM": 20, "HT": 30, "ST": 15, "HV": 20, "BY": 5},
    "HS": {"HT": 45, "TM": 25, "ST": 10, "HV": 10},
    "K": {"TM": 40, "HV": 40, "K": 10},
}
# (low, high, step) in đồng; all multiples of 10.000.
_VALUES = {"TM": (200_000, 5_000_000, 100_000), "HV": (100_000, 2_000_000, 10_000),
           "NO": (20_000_000, 80_000_000, 1_000_000), "XL": (1_500_000, 6_000_000, 100_000),
           "PH": (500_000, 5_000_000, 100_000), "SK": (3_000_000, 20_000_000, 500_000),
           "ST": (2_000_000, 10_000_000, 500_000), "BY": (700_000, 1_300_000, 10_000),
           "YT": (500_000, 15_000_000, 100_000), "HT": (500_000, 5_000_000, 100_000),
           "NC": (200_000, 2_000_000, 50_000), "K": (200_000, 3_000_000, 50_000)}
_CONTENTS = {
    "TM": ("Tiền mặt hỗ trợ Tết", "Tiền mặt hỗ trợ hằng tháng", "Tiền mặt thăm hỏi", "Hỗ trợ tiền điều trị"),
    "HV": ("Gạo 20kg", "Gạo 10kg và nhu yếu phẩm", "Quà Tết (gạo, dầu ăn, bánh kẹo)", "Chăn màn, quần áo ấm",
           "Sữa, thực phẩm dinh dưỡng"),
    "NO": ("Xây nhà nhân đạo", "Sửa chữa nhà ở", "Hỗ trợ làm mái nhà"),
    "XL": ("Xe lăn", "Xe lắc", "Nạng, khung tập đi"),
    "PH": ("Tập phục hồi chức năng tại nhà", "Dụng cụ phục hồi chức năng"),
    "SK": ("Bò giống sinh sản", "Heo giống", "Vốn buôn bán nhỏ", "Gà giống và thức ăn", "Máy may"),
    "ST": ("Sổ tiết kiệm", "Sổ tiết kiệm nuôi em đến trường"),
    "BY": ("Thẻ BHYT", "Mua thẻ BHYT cả năm"),
    "YT": ("Khám và cấp thuốc miễn phí", "Hỗ trợ chi phí phẫu thuật", "Hỗ trợ viện phí"),
    "HT": ("Học bổng", "Sách vở, đồ dùng học tập", "Xe đạp đến trường"),
    "NC": ("Ngày công dọn dẹp, sửa nhà", "Ngày công thu hoạch lúa"),
    "K": ("Bồn chứa nước sạch", "Bình lọc nước", "Hỗ trợ khác"),
}
_PROGRAMMES = ("Tết Nhân ái", "Tháng Nhân đạo", "Giảm nghèo bền vững", "Chương trình 135", "Ngân hàng Bò",
               "Mái ấm tình thương", "Trăng rằm cho em")
_FIRM_WORDS = ("Phú Thành", "An Khang", "Hòa Phát", "Minh Long", "Thành Đạt", "Tân Phú", "Hưng Thịnh",
               "Việt Tiến", "Sao Mai", "Trường Sơn", "Đại Phát", "Kim Ngân", "Phúc Lộc", "Thái Bình Dương")
_PAGODAS = ("Phước Hải", "Long Sơn", "Pháp Hoa", "Linh Quang", "Thiên Ân", "Bửu Sơn", "Kim Quang")
_TYPE_WEIGHTS = [("Cơ quan nhà nước", 12), ("MTTQ, đoàn thể", 15), ("Doanh nghiệp", 15), ("Trường học", 8),
                 ("Chi hội, chi đoàn", 15), ("Tổ chức tôn giáo", 6), ("Hội Chữ thập đỏ", 5), ("Cá nhân", 24)]
_HEAD_TYPES = {"Cơ quan nhà nước": 0.5, "MTTQ, đoàn thể": 0.4, "Trường học": 0.4, "Doanh nghiệp": 0.3,
               "Hội Chữ thập đỏ": 0.3, "Tổ chức tôn giáo": 0.2, "Chi hội, chi đoàn": 0.15}


# ---------------------------------------------------------------------------------------
# Generation


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]] | dict[str, float]) -> str:
    items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _money(rng: random.Random, low: int, high: int, step: int) -> int:
    return rng.randint(low // step, high // step) * step


def _phone(rng: random.Random) -> str:
    return rng.choice(("09", "08", "03", "07")) + "".join(str(rng.randint(0, 9)) for _ in range(8))


@functools.cache
def _old_provinces(commune: str, scheme: str) -> tuple[str, ...]:
    """The 2004 provinces the commune's people were registered in at birth (CCCD PPP)."""
    unit = adminunits.lookup(commune, scheme, "Xã")
    assert unit is not None
    if scheme == "2004":
        return (unit.province_code,)
    olds = [p.code for p in adminunits.provinces("2004") if adminunits.province_to_2025(p.code) == unit.province_code]
    exact = [p for p in olds
             if any(any(new == commune for new, _ in adminunits.map_to_2025(c.code))
                    for c in adminunits.communes_of(p, "2004"))]
    return tuple(exact or olds or (unit.province_code,))


def _report_date(period: Period) -> date:
    """A few days before the deadline: 20/11 for a year or H2, 20/05 for H1, two days
    after the end of a quarter."""
    deadline = period.deadline()
    if period.kind in ("year", "half"):
        return deadline - timedelta(days=10)
    return period.end + timedelta(days=2)


class _Gen:
    def __init__(self, rng: random.Random, commune: adminunits.AdminUnit, scheme: str, period: Period,
                 report_date: date) -> None:
        self.rng = rng
        self.commune = commune
        self.scheme = scheme
        self.period = period
        self.report_date = report_date
        self.cutoff = min(period.end, report_date)
        olds = _old_provinces(commune.code, scheme)
        self.home_ppp = ["0" + p for p in olds]
        self.all_ppp = sorted(adminunits.cccd_province_codes())
        old_code = int(olds[0])
        self.north = old_code < 38
        self.surnames = _SURNAMES + (_SURNAMES_NORTH if self.north else _SURNAMES_SOUTH)
        share, groups = 0.03, ("Hoa", "Khơ-me")
        for lo, hi, s, g in _REGIONS:
            if lo <= old_code <= hi:
                share, groups = s, g
                break
        k = min(len(groups), rng.randint(1, 3))
        self.minorities = rng.sample(groups, k)
        self.minority_share = share * rng.uniform(0.3, 1.5)
        self.villages = self._villages()
        self.cccds: set[str] = set()
        self.people: set[tuple[str, int, str]] = set()

    # -- places and people -------------------------------------------------------------
    def _villages(self) -> list[tuple[str, float]]:
        rng = self.rng
        n = rng.randint(6, 14)
        if self.commune.kind == "Phường":
            word = rng.choice(("Tổ dân phố", "Khu phố", "Tổ dân phố"))
            names = [f"{word} {i}" for i in range(1, n + 1)]
        else:
            south = not self.north and rng.random() < 0.5
            word = "Ấp" if south else "Thôn"
            names = [f"{word} {i}" for i in range(1, n + 1)]
            if rng.random() < 0.4:  # named villages
                pool = ["Phú Lộc", "An Bình", "Tân Hòa", "Đông Sơn", "Bình Minh", "Hòa Thuận", "Trung Hậu",
                        "Xuân Phong", "Cây Da", "Bàu Sen", "Phước Lợi", "Lộc Thọ"]
                names = [f"{word} {v}" for v in rng.sample(pool, min(n, len(pool)))]
        return [(v, rng.uniform(0.5, 2.0)) for v in names]

    def name(self, gender: str, year: int, ethnic: str = "Kinh") -> str:
        rng = self.rng
        female = gender == "Nữ"
        if ethnic in _HIGHLAND:
            given = rng.choice(_HIGHLAND_GIVEN)
            return f"{'H' + chr(39) if female else 'Y '}{given} {rng.choice(_HIGHLAND[ethnic])}"
        if ethnic == "Mông":
            return f"{rng.choice(_MONG[0])} {'Thị' if female else 'A'} {rng.choice(_MONG[2 if female else 1])}"
        if ethnic == "Khơ-me":
            return f"{rng.choice(_KHMER[0])} {'Thị ' if female else ''}{rng.choice(_KHMER[2 if female else 1])}"
        if ethnic in _LOCAL_SURNAMES and rng.random() < 0.7:
            surname = rng.choice(_LOCAL_SURNAMES[ethnic])
        else:
            surname = _pick(rng, self.surnames)
        if female:
            middle = _pick(rng, _MIDDLE_FEMALE)
            if year >= 1990 and middle.startswith("Thị") and rng.random() < 0.5:
                middle = rng.choice(("Ngọc", "Thu", "Thanh", "Mỹ", "Khánh", "Bảo", "Thùy"))
            elif rng.random() < 0.05:
                middle = ""  # women often drop "Thị"
            given = rng.choice(_GIVEN_FEMALE)
        else:
            middle = _pick(rng, _MIDDLE_MALE)
            if year >= 1990 and middle == "Văn" and rng.random() < 0.5:
                middle = rng.choice(("Minh", "Gia", "Đức", "Quốc", "Anh", "Hoàng"))
            given = rng.choice(_GIVEN_MALE)
        return " ".join(p for p in (surname, middle, given) if p)

    def cccd(self, year: int, gender: str) -> str:
        rng = self.rng
        ppp = rng.choice(self.home_ppp) if rng.random() < 0.85 else rng.choice(self.all_ppp)
        g = 2 * ((year - 1900) // 100) + (1 if gender == "Nữ" else 0)
        while True:
            s = f"{ppp}{g}{year % 100:02d}{rng.randint(0, 999_999):06d}"
            if s not in self.cccds:
                self.cccds.add(s)
                return s

    def person(self, category: str) -> dict[str, object]:
        rng = self.rng
        latest = self.cutoff.year - 1
        for _ in range(100):
            if category == "NC":
                year = int(rng.triangular(1925, 1958, 1944))
                gender = "Nữ" if rng.random() < 0.65 else "Nam"
            elif category == "MC":
                year, gender = rng.randint(2006, 2018), rng.choice(("Nam", "Nữ"))
            elif category == "HS":
                year, gender = rng.randint(2006, 2016), rng.choice(("Nam", "Nữ"))
            elif category == "PN":
                year, gender = rng.randint(1960, 2000), "Nữ"
            else:
                year, gender = int(rng.triangular(1930, 2005, 1962)), rng.choice(("Nam", "Nữ"))
            year = max(1925, min(year, latest))
            ethnic = rng.choice(self.minorities) if rng.random() < self.minority_share else "Kinh"
            full = self.name(gender, year, ethnic)
            thon = _pick(rng, self.villages)
            key = (name_key(full), year, fold(thon))
            if key not in self.people:
                self.people.add(key)
                break
        adult = self.cutoff.year - year >= 14
        has_id = rng.random() < (0.88 if adult else 0.4)
        return {"ho_ten": full, "nam_sinh": year, "gioi_tinh": gender, "dan_toc": ethnic,
                "cccd": self.cccd(year, gender) if has_id else None, "thon": thon}

    # -- supporters ----------------------------------------------------------------------
    def supporter(self, kind: str) -> str:
        rng = self.rng
        short = self.commune.short_name
        place = f"{self.commune.kind.lower()} {short}"
        thon = _pick(rng, self.villages)
        if kind == "Cơ quan nhà nước":
            return rng.choice((f"UBND {place}", f"Công an {place}", f"Trạm Y tế {place}", f"Đảng ủy {place}",
                               f"Bưu điện {short}", f"Ban Chỉ huy Quân sự {place}", f"Chi cục Thuế khu vực {short}"))
        if kind == "MTTQ, đoàn thể":
            return rng.choice((f"Ủy ban MTTQ {place}", f"Hội Liên hiệp Phụ nữ {place}", f"Đoàn Thanh niên {place}",
                               f"Hội Nông dân {place}", f"Hội Cựu chiến binh {place}", f"Hội Người cao tuổi {place}"))
        if kind == "Doanh nghiệp":
            w = rng.choice(_FIRM_WORDS)
            return rng.choice((f"Công ty TNHH {w}", f"Công ty CP Xây dựng {w}", f"DNTN {w}",
                               f"Hợp tác xã Nông nghiệp {short}", f"Ngân hàng Agribank chi nhánh {short}",
                               f"Nhà thuốc {w}"))
        if kind == "Trường học":
            return rng.choice((f"Trường THCS {short}", f"Trường Tiểu học {short}", f"Trường Mầm non {short}",
                               f"Trường THPT {rng.choice(_FIRM_WORDS)}"))
        if kind == "Chi hội, chi đoàn":
            return rng.choice((f"Chi hội CTĐ {thon}", f"Chi đoàn {thon}", f"Chi hội Phụ nữ {thon}",
                               f"Chi hội Nông dân {thon}"))
        if kind == "Tổ chức tôn giáo":
            return rng.choice((f"Chùa {rng.choice(_PAGODAS)}", f"Giáo xứ {short}", f"Tịnh xá Ngọc {rng.choice(_PAGODAS)}",
                               f"Hội thánh Tin Lành {short}"))
        if kind == "Hội Chữ thập đỏ":
            return rng.choice((f"Hội CTĐ {place}", f"Chi hội CTĐ {thon}", "Hội CTĐ tỉnh"))
        gender = rng.choice(("Nam", "Nữ"))
        person = self.name(gender, rng.randint(1955, 1995))
        title = rng.choice(("Ông", "Gia đình ông", "Anh", "Nhà hảo tâm")) if gender == "Nam" else \
            rng.choice(("Bà", "Chị", "Nhà hảo tâm"))
        return f"{title} {person}"


def make_unit(commune_code: str, period: str = "2024", seed: int = 0, n_addresses: int | None = None,
              scheme: str = "2025", report_date: date | None = None) -> UnitData:
    """A synthetic register of one commune for one reporting period.

    ``n_addresses`` defaults to 20–200 (a real commune); any number works (benchmarks use
    tens of thousands; address codes get a fifth digit past 9,999). Every row is valid
    and the unit validates with no issue at all. Deterministic: the same arguments give
    the same data.
    """
    p = parse_period(period)
    if p is None:
        raise ValueError(f"unknown period {period!r}")
    commune = adminunits.lookup(commune_code, scheme, "Xã")
    if commune is None:
        raise ValueError(f"unknown commune {commune_code!r} in scheme {scheme}")
    province = adminunits.lookup(commune.province_code, scheme, "Tỉnh")
    assert province is not None
    rng = random.Random(f"xl_nhandao.synth:{seed}:{commune.code}:{scheme}:{p.label}")
    rd = report_date or _report_date(p)
    g = _Gen(rng, commune, scheme, p, rd)
    n = n_addresses if n_addresses is not None else int(rng.triangular(20, 200, 45))
    cutoff = g.cutoff
    year = campaign_year_of(p.end)
    first = max(date(2000, 2, 1), date(year - 3, 11, 25))  # the last three campaign years

    # DiaChi
    people: list[dict[str, object]] = []
    for _ in range(n):
        category = _pick(rng, _CATEGORIES)
        row = g.person(category)
        row["doi_tuong"] = category
        if rng.random() < 0.25:
            k = rng.choice((1, 1, 2))
            row["doi_tuong_khac"] = tuple(rng.sample(_OTHER_CATEGORIES[category], min(k, len(_OTHER_CATEGORIES[category]))))
        else:
            row["doi_tuong_khac"] = None
        row["hoan_canh"] = rng.choice(_CIRCUMSTANCES[category])
        row["nhu_cau"] = rng.choice(_NEEDS[category]) if rng.random() < 0.85 else None
        dossier = _rand_date(rng, first, cutoff)
        approval = dossier + timedelta(days=rng.randint(3, 40)) if rng.random() < 0.85 else None
        if approval is not None and approval > cutoff:
            approval = None
        upload = approval + timedelta(days=rng.randint(1, 60)) if approval and rng.random() < 0.55 else None
        if upload is not None and upload > cutoff:
            upload = None
        row.update(ngay_lap_ho_so=dossier, ngay_phe_duyet=approval, ngay_inhandao=upload)
        held = _OTHER_PROGRAMMES_HELD.get(category)
        row["chuong_trinh_khac"] = rng.choice(held) if held and rng.random() < 0.4 else None
        row["ghi_chu"] = None
        people.append(row)
    people.sort(key=lambda r: r["ngay_lap_ho_so"])  # type: ignore[arg-type,return-value]
    width = max(4, len(str(n)))
    for i, row in enumerate(people, start=1):
        row["ma_dia_chi"] = f"{commune.code}-{i:0{width}d}"
        row["ma_xa"] = commune.code

    # Supporters and registrations
    pool: dict[str, list[str]] = {}
    for kind, _w in _TYPE_WEIGHTS:
        pool[kind] = list(dict.fromkeys(g.supporter(kind) for _ in range(rng.randint(2, 5))))
    heads = {name for kind, names in pool.items() for name in names if rng.random() < _HEAD_TYPES.get(kind, 0.0)}
    registrations: list[dict[str, object]] = []
    supporters_of: dict[str, list[str]] = {}
    kinds_cycle = [k for k, _ in _TYPE_WEIGHTS]
    events_plan: list[tuple[dict[str, object], date, date]] = []
    for row in people:
        dossier: date = row["ngay_lap_ho_so"]  # type: ignore[assignment,no-redef]
        approval: date | None = row["ngay_phe_duyet"]  # type: ignore[assignment,no-redef]
        lo = max(p.start, approval or dossier)
        supported = approval is not None and lo <= cutoff and rng.random() < 0.8
        stopped = not supported and dossier < p.start and rng.random() < 0.2
        registered = supported or (not stopped and rng.random() < 0.25)
        if registered:
            names = []
            for _ in range(rng.choice((1, 1, 1, 2))):
                kind = kinds_cycle.pop(0) if kinds_cycle else _pick(rng, _TYPE_WEIGHTS)
                if kind == "Cá nhân" and rng.random() < 0.6:
                    name = g.supporter(kind)  # individuals are mostly one-off
                    pool[kind].append(name)
                else:
                    name = rng.choice(pool[kind])
                names.append((kind, name))
            # Supporters register before they give (a little after at the latest).
            reg_last = min(cutoff, lo + timedelta(days=20)) if supported else cutoff
            for kind, name in dict.fromkeys(names):
                reg_date = _rand_date(rng, approval or dossier, reg_last)
                form = _pick(rng, _FORMS_BY_CATEGORY[row["doi_tuong"]]) if rng.random() < 0.8 else None  # type: ignore[index]
                value = None
                if form is not None and rng.random() < 0.85:
                    value = _money(rng, 1_200_000, 24_000_000, 100_000) if form == "TM" else \
                        _money(rng, *_VALUES[form]) * (1 if form == "NO" else rng.choice((1, 1, 2, 4)))
                registrations.append({
                    "ten": name, "loai": kind, "nguoi_dung_dau": name in heads and kind != codes.INDIVIDUAL,
                    "ma_dia_chi": row["ma_dia_chi"], "ngay_dang_ky": reg_date, "hinh_thuc": form,
                    "gia_tri_cam_ket": value, "ghi_chu": "Cam kết 3 năm" if rng.random() < 0.05 else None,
                })
            supporters_of[row["ma_dia_chi"]] = [nm for _, nm in dict.fromkeys(names)]  # type: ignore[index]
        if supported:
            row["trang_thai"] = codes.ACTIVE
            events_plan.append((row, lo, cutoff))
        elif stopped:
            row["trang_thai"] = "Ngừng trợ giúp"
            row["ghi_chu"] = rng.choice(_STOPPED_NOTES)
        else:
            row["trang_thai"] = codes.ACTIVE if registered and approval else "Chờ trợ giúp"
    registrations.sort(key=lambda r: r["ngay_dang_ky"])  # type: ignore[arg-type,return-value]

    # TroGiup
    events: list[dict[str, object]] = []
    keys: set[tuple[object, ...]] = set()
    place = f"{commune.kind.lower()} {commune.short_name}"
    red_cross = f"Hội CTĐ {place}"
    for row, lo, hi in events_plan:
        k = rng.choices((1, 2, 3, 4, 5, 6), weights=(30, 25, 18, 12, 8, 7))[0]
        for _ in range(k):
            form = _pick(rng, _FORMS_BY_CATEGORY[row["doi_tuong"]])  # type: ignore[index]
            value = _money(rng, *_VALUES[form])
            d = _rand_date(rng, lo, hi)
            key = (row["ma_dia_chi"], d, form, value)
            if key in keys:
                continue
            keys.add(key)
            r = rng.random()
            programme = None
            if r < 0.78:
                source = "Cuộc vận động"
                own = supporters_of.get(row["ma_dia_chi"])  # type: ignore[call-overload]
                who = rng.choice(own) if own and rng.random() < 0.85 else rng.choice(pool[_pick(rng, _TYPE_WEIGHTS)])
            elif r < 0.93:
                source, who = "Quỹ Hội", red_cross
            else:
                source = codes.OTHER_PROGRAMME
                programme = rng.choice(_PROGRAMMES)
                who = rng.choice((f"UBND {place}", "Hội CTĐ tỉnh", f"Ban Giảm nghèo {place}",
                                  rng.choice(pool["Doanh nghiệp"])))
            upload = row["ngay_inhandao"]
            via = isinstance(upload, date) and upload <= d and rng.random() < 0.6
            events.append({
                "ngay": d, "ma_dia_chi": row["ma_dia_chi"], "nguoi_tro_giup": who, "hinh_thuc": form,
                "noi_dung": rng.choice(_CONTENTS[form]) if rng.random() < 0.9 else None, "gia_tri": value,
                "nguon": source, "ten_chuong_trinh": programme, "qua_inhandao": via, "so_chung_tu": None,
                "ghi_chu": None,
            })
    events.sort(key=lambda e: (e["ngay"], e["ma_dia_chi"]))  # type: ignore[arg-type,return-value]
    seq: dict[int, int] = {}
    for e in events:
        if rng.random() < 0.9:
            y = e["ngay"].year  # type: ignore[attr-defined]
            seq[y] = seq.get(y, 0) + 1
            e["so_chung_tu"] = f"PC{seq[y]:04d}/{y}"

    # Priorities: the priority groups first, the oldest first.
    ranked = sorted((r for r in people if r["trang_thai"] != "Ngừng trợ giúp"),
                    key=lambda r: (r["doi_tuong"] not in codes.PRIORITY_CATEGORIES, r["nam_sinh"]))
    for i, r in enumerate(ranked, start=1):
        r["uu_tien"] = i if rng.random() < 0.8 else None
    for r in people:
        r.setdefault("uu_tien", None)

    valued = sum(int(e["gia_tri"]) for e in events if e["nguon"] != codes.OTHER_PROGRAMME)  # type: ignore[call-overload]
    target = max(10_000_000, round(valued * rng.uniform(0.8, 1.6) / 5_000_000) * 5_000_000)
    n_heads = len({r["ten"] for r in registrations if r["nguoi_dung_dau"]})
    info: dict[str, object] = {
        INFO["phien_ban"]: standard.VERSION,
        INFO["ten_tinh"]: province.name,
        INFO["ma_tinh"]: province.code,
    }
    if scheme == "2004" and commune.district_code:
        district = adminunits.lookup(commune.district_code, scheme, "Huyện")
        if district is not None:
            info[INFO["ten_huyen"]] = district.name
            info[INFO["ma_huyen"]] = district.code
    info.update({
        INFO["ten_xa"]: commune.name,
        INFO["ma_xa"]: commune.code,
        INFO["he_ma"]: scheme,
        INFO["cap_don_vi"]: "Xã",
        INFO["phan_loai_xa"]: "Khó khăn" if rng.random() < (0.1 if commune.kind == "Phường" else 0.4)
        else "Trung bình trở lên",
        INFO["ky_bao_cao"]: p.label,
        INFO["ngay_lap"]: rd,
        INFO["nguoi_lap"]: g.name("Nữ" if rng.random() < 0.6 else "Nam", rng.randint(1970, 1998)),
        INFO["dien_thoai"]: _phone(rng),
        INFO["so_nguoi_dung_dau"]: max(n_heads + rng.randint(2, 12), rng.randint(8, 30)),
        INFO["chi_tieu_gia_tri"]: target,
    })

    def rows(spec: standard.TableSheet, items: list[dict[str, object]]) -> list[dict[str, object]]:
        out = []
        for i, item in enumerate(items, start=1):
            item["stt"] = i
            out.append({f.header: item.get(f.key) for f in spec.clerk_fields})
        return out

    return UnitData(info, {DIA_CHI: rows(standard.DIA_CHI, people), DANG_KY: rows(standard.DANG_KY, registrations),
                           TRO_GIUP: rows(standard.TRO_GIUP, events)})


# ---------------------------------------------------------------------------------------
# Writing


def _cell(f: standard.Field, v: object) -> object:
    """A clean value as the clerk's cell holds it."""
    if v is None:
        return None
    if f.kind == standard.YESNO and isinstance(v, bool):
        return codes.YESNO_LABELS[0] if v else codes.YESNO_LABELS[1]
    if isinstance(v, tuple):
        return ";".join(str(x) for x in v)
    return v


def write_unit(unit: UnitData, path: Path | str, style: str = "template", quirks: Sequence[str] = (),
               seed: int = 0) -> Path:
    """Write ``unit`` as a clerk's workbook and return the path.

    ``"template"`` fills the real blank standard workbook (:func:`generate.build`, data
    from :data:`generate.FIRST_DATA_ROW`); ``"fast"`` writes the same sheets with
    XlsxWriter in constant-memory mode, headers on row 1 (for 5,000–50,000 rows).
    Dates are real Excel dates shown dd/mm/yyyy; CCCD numbers are text. ``quirks``
    (names from :data:`QUIRKS`) are then applied with ``random.Random(seed)``; use
    :func:`apply_quirks` directly to get the issues they add.
    """
    path = Path(path)
    if style == "template":
        _write_template(unit, path)
    elif style == "fast":
        _write_fast(unit, path)
    else:
        raise ValueError(f"unknown style {style!r}: 'template' or 'fast'")
    if quirks:
        apply_quirks(path, random.Random(seed), quirks)
    return path


def _write_template(unit: UnitData, path: Path) -> None:
    from copy import copy

    from openpyxl.styles import Protection

    from ..workbook import blank as generate

    wb = generate.build(generate.resolve_unit(unit.commune, unit.scheme), unit.period)
    ws = wb[standard.THONG_TIN.name]
    by_key = {standard.header_key(label): value for label, value in unit.info.items()}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if isinstance(label, str) and standard.header_key(label) in by_key:
            ws.cell(r, 2).value = by_key[standard.header_key(label)]
    unlocked = Protection(locked=False)
    for spec in standard.TABLES:
        ws = wb[spec.name]
        styles = []
        for c, f in enumerate(spec.clerk_fields, start=1):
            dim = ws.column_dimensions[_letter(c)]
            styles.append((c, f, copy(dim._style)))
        for r, row in enumerate(unit.tables[spec.name], start=generate.FIRST_DATA_ROW):
            for c, f, st in styles:
                v = _cell(f, row.get(f.header))
                if v is None:
                    continue
                cell = ws.cell(r, c)
                cell._style = copy(st)
                cell.protection = unlocked
                cell.value = v
                if isinstance(v, date):
                    cell.number_format = standard.DATE_FORMAT
    wb.save(path)


def _write_fast(unit: UnitData, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        fmt_date = wb.add_format({"num_format": standard.DATE_FORMAT})
        fmt_money = wb.add_format({"num_format": standard.MONEY_FORMAT})
        fmt_text = wb.add_format({"num_format": "@"})
        fmt_head = wb.add_format({"bold": True, "text_wrap": True, "bg_color": "#F2DCDB", "border": 1})
        ws = wb.add_worksheet(standard.THONG_TIN.name)
        ws.set_column(0, 0, 36)
        ws.set_column(1, 1, 30)
        ws.write_string(0, 0, standard.THONG_TIN.title, fmt_head)
        for r, (label, value) in enumerate(unit.info.items(), start=1):
            ws.write_string(r, 0, label)
            _write_xw(ws, r, 1, value, fmt_date, fmt_money if isinstance(value, int) and value > 10_000 else None,
                      fmt_text)
        for spec in standard.TABLES:
            ws = wb.add_worksheet(spec.name)
            for c, f in enumerate(spec.clerk_fields):
                ws.set_column(c, c, f.width)
                ws.write_string(0, c, f.header, fmt_head)
            ws.freeze_panes(1, 0)
            fields = [(c, f, f.header, fmt_money if f.kind == standard.MONEY else None,
                       fmt_text if f.kind == standard.CCCD else None) for c, f in enumerate(spec.clerk_fields)]
            for r, row in enumerate(unit.tables[spec.name], start=1):
                for c, f, header, num_fmt, text_fmt in fields:
                    v = row.get(header)
                    if v is not None:
                        _write_xw(ws, r, c, _cell(f, v), fmt_date, num_fmt, text_fmt)
    finally:
        wb.close()


def _write_xw(ws, r: int, c: int, v: object, fmt_date, fmt_num, fmt_text) -> None:
    if v is None:
        return
    if isinstance(v, str):
        ws.write_string(r, c, v, fmt_text)
    elif isinstance(v, bool):
        ws.write_boolean(r, c, v)
    elif isinstance(v, (date, datetime)):
        ws.write_datetime(r, c, v, fmt_date)
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v, fmt_num)
    else:
        ws.write_string(r, c, str(v), fmt_text)


# ---------------------------------------------------------------------------------------
# Quirks: what clerks do that must not be an error

#: Each quirk and the issue codes it legitimately adds (docs/issues.md); every other
#: quirk must leave a clean workbook without any issue.
QUIRKS: dict[str, tuple[str, ...]] = {
    "rename": (),  # headers renamed to aliases of the standard, case/diacritics/line breaks changed
    "reorder": (),  # columns of the register sheets shuffled
    "extra_column": ("column-unknown",),  # a column the standard does not have (info)
    "labels": (),  # codes written as labels, "NC - Người cao tuổi neo đơn", aliases
    "yesno": (),  # Có/Không as x, X, 1, có, blank, 0
    "text_dates": (),  # "05/03/2024", "5-3-2024", "2024-03-05", "ngày 5 tháng 3 năm 2024"
    "money_text": (),  # "1.500.000đ", "1,5 triệu", "500 nghìn", "1,500,000"
    "nfd": (),  # names typed with Unikey's "tổ hợp" (NFD)
    "tcvn3": ("legacy-text",),  # names/villages in TCVN3 with the .VnTime font (info per column)
    "cccd_number": ("cccd-padded",),  # some CCCD stored as numbers: leading zero lost (warning per cell)
    "blank_rows": (),  # empty rows inside the tables
    "total": (),  # a trailing "Tổng cộng" row carrying the correct sums
    "column_numbers": (),  # a "(1) (2) (3) …" row under the headers
    "title": (),  # a longer title block above the headers (merged cells shifted along)
}
_QUIRK_ORDER = tuple(QUIRKS)


def _find_header(ws, spec: standard.TableSheet) -> tuple[int, dict[str, int]]:
    lookup = spec.header_lookup()
    best = (0, 0)
    for r in range(1, min(ws.max_row, 40) + 1):
        hits = sum(1 for c in range(1, ws.max_column + 1)
                   if isinstance(v := ws.cell(r, c).value, str) and standard.header_key(v) in lookup)
        if hits > best[1]:
            best = (r, hits)
    r = best[0]
    cols: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        v = ws.cell(r, c).value
        if isinstance(v, str):
            f = lookup.get(standard.header_key(v))
            if f is not None and f.key not in cols:
                cols[f.key] = c
    return r, cols


class _Sheet:
    """A register sheet of the written workbook and where its data rows are."""

    def __init__(self, ws, spec: standard.TableSheet) -> None:
        self.ws = ws
        self.spec = spec
        self.refresh()
        self.rows = list(range(self.header + 1, ws.max_row + 1))

    def refresh(self) -> None:
        self.header, self.cols = _find_header(self.ws, self.spec)

    def cells(self, key: str):
        col = self.cols.get(key)
        if col is None:
            return []
        return [(i, self.ws.cell(r, col)) for i, r in enumerate(self.rows)]

    def insert_rows(self, at: int, n: int = 1) -> None:
        self.ws.insert_rows(at, n)
        self.rows = [r + n if r >= at else r for r in self.rows]


def apply_quirks(path: Path | str, rng: random.Random, kinds: Iterable[str]) -> list[Injected]:
    """Apply clerk quirks (names from :data:`QUIRKS`, in the canonical order) to the
    workbook at ``path`` in place, with openpyxl. Returns the issues they legitimately
    add (sorted); for any quirk not listed with codes in :data:`QUIRKS` there are none.
    """
    from openpyxl import load_workbook

    wanted = set(kinds)
    unknown = wanted - set(QUIRKS)
    if unknown:
        raise ValueError(f"unknown quirks: {sorted(unknown)}")
    path = Path(path)
    wb = load_workbook(path)
    sheets = {spec.name: _Sheet(wb[spec.name], spec) for spec in standard.TABLES}
    # Sums of the money columns as written (before money_text turns cells into text).
    sums: dict[tuple[str, str], int] = {}
    for name, sh in sheets.items():
        for f in sh.spec.clerk_fields:
            if f.kind == standard.MONEY:
                vals = [c.value for _, c in sh.cells(f.key)]
                if any(isinstance(v, (int, float)) for v in vals):
                    sums[(name, f.key)] = int(sum(v for v in vals if isinstance(v, (int, float))))
    out: list[Injected] = []
    for kind in _QUIRK_ORDER:
        if kind in wanted:
            out.extend(_QUIRK_FUNCS[kind](wb, sheets, rng, sums))
    wb.save(path)
    return _sorted(out)


def _q_rename(wb, sheets, rng, sums) -> list[Injected]:
    for sh in sheets.values():
        lookup = sh.spec.header_lookup()
        fields = [f for f in sh.spec.fields if f.aliases and f.key in sh.cols]
        for f in rng.sample(fields, min(len(fields), rng.randint(3, 6))):
            options = [a for a in f.aliases if lookup.get(standard.header_key(a)) is f] + [f.header]
            text = rng.choice(options)
            style = rng.randrange(5)
            if style == 0:
                text = text.upper()
            elif style == 1:
                text = _strip_marks(text)
            elif style == 2:
                text = text.replace(" ", "\n", 1)
            elif style == 3:
                text = f"  {text.lower()} *"
            sh.ws.cell(sh.header, sh.cols[f.key]).value = text
    ws = wb[standard.THONG_TIN.name]
    lookup = standard.THONG_TIN.header_lookup()
    for r in range(1, ws.max_row + 1):
        v = ws.cell(r, 1).value
        f = lookup.get(standard.header_key(v)) if isinstance(v, str) else None
        if f is not None and f.aliases and rng.random() < 0.4:
            alias = rng.choice(f.aliases)
            if lookup.get(standard.header_key(alias)) is f:
                ws.cell(r, 1).value = alias
    return []


def _strip_marks(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in s if not unicodedata.combining(ch)))


def _permute(sh: _Sheet, order: list[int]) -> None:
    """Rewrite the columns of the table (header and data rows) in ``order`` (1-based
    source columns for target columns 1, 2, …)."""
    from copy import copy

    ws = sh.ws
    last = max(sh.rows[-1] if sh.rows else sh.header, ws.max_row)
    widths = {c: ws.column_dimensions[_letter(c)].width for c in order}
    for r in range(sh.header, last + 1):
        saved = [(ws.cell(r, c).value, copy(ws.cell(r, c)._style)) for c in order]
        for target, (value, style) in enumerate(saved, start=1):
            cell = ws.cell(r, target)
            cell.value = value
            cell._style = style
    for target, c in enumerate(order, start=1):
        if widths[c]:
            ws.column_dimensions[_letter(target)].width = widths[c]
    sh.refresh()


def _letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def _q_reorder(wb, sheets, rng, sums) -> list[Injected]:
    for sh in sheets.values():
        n = max(sh.ws.max_column, max(sh.cols.values()))
        order = list(range(1, n + 1))
        # Keep STT first most of the time, as clerks do; shuffle a few blocks.
        head = order[:1] if rng.random() < 0.8 else []
        rest = order[len(head):]
        for _ in range(rng.randint(2, 5)):
            i, j = rng.randrange(len(rest)), rng.randrange(len(rest))
            rest[i], rest[j] = rest[j], rest[i]
        _permute(sh, head + rest)
    return []


_EXTRA_HEADERS = ("Số điện thoại", "Ghi chú thêm", "Người nhận thay", "Xác minh", "Cán bộ phụ trách")


def _q_extra_column(wb, sheets, rng, sums) -> list[Injected]:
    out = []
    for name, sh in sheets.items():
        if rng.random() < 0.35 and name != DIA_CHI:
            continue
        lookup = sh.spec.header_lookup()
        header = rng.choice([h for h in _EXTRA_HEADERS if standard.header_key(h) not in lookup])
        ws = sh.ws
        c = ws.max_column + 1
        ws.cell(sh.header, c).value = header
        for r in sh.rows:
            if rng.random() < 0.5:
                ws.cell(r, c).value = _phone(rng) if header == "Số điện thoại" else \
                    rng.choice(("Đã xác minh", "Anh Hùng", "Chị Lan", "Đợt 2"))
        order = list(range(1, c))
        order.insert(rng.randint(1, len(order)), c)
        _permute(sh, order)
        out.append(Injected(name, None, header, "column-unknown", "extra column"))
    return out


def _q_labels(wb, sheets, rng, sums) -> list[Injected]:
    for sh in sheets.values():
        for f in sh.spec.fields:
            if f.kind != standard.CODE or f.codes is None:
                continue
            cl = f.codes
            for _, cell in sh.cells(f.key):
                v = cell.value
                if not isinstance(v, str) or rng.random() > 0.35:
                    continue
                entry = cl.match(v)
                if entry is None:
                    continue
                options = [entry.label, entry.code, f"{entry.code} - {entry.label}", entry.label.lower(),
                           entry.label.upper(), *entry.aliases]
                new = rng.choice(options)
                if cl.parse(new) == cl.parse(v):
                    cell.value = new
    return []


def _q_yesno(wb, sheets, rng, sums) -> list[Injected]:
    for cell in _cells_of_kind(sheets, standard.YESNO):
        if cell.value == codes.YESNO_LABELS[0]:
            cell.value = rng.choice(("x", "X", 1, "có", "Có"))
        elif cell.value == codes.YESNO_LABELS[1]:
            cell.value = rng.choice((None, None, 0, "không", "Không"))
    return []


def _date_text(rng: random.Random, d: date) -> str:
    return rng.choice((
        f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}", f"{d.day}-{d.month}-{d.year}",
        d.isoformat(), f"ngày {d.day} tháng {d.month} năm {d.year}",
        f"Ngày {d.day:02d} tháng {d.month:02d} năm {d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}",
    ))


def _cells_of_kind(sheets, kind: str):
    """Every data cell of the columns of one field kind, in every register sheet."""
    for sh in sheets.values():
        for f in sh.spec.fields:
            if f.kind == kind:
                for _, cell in sh.cells(f.key):
                    yield cell


def _q_text_dates(wb, sheets, rng, sums) -> list[Injected]:
    for cell in _cells_of_kind(sheets, standard.DATE):
        v = cell.value
        if isinstance(v, (date, datetime)) and rng.random() < 0.3:
            cell.value = _date_text(rng, v.date() if isinstance(v, datetime) else v)
            cell.number_format = "@"
    ws = wb[standard.THONG_TIN.name]
    for r in range(1, ws.max_row + 1):
        v = ws.cell(r, 2).value
        if isinstance(v, (date, datetime)) and rng.random() < 0.5:
            ws.cell(r, 2).value = _date_text(rng, v.date() if isinstance(v, datetime) else v)
    return []


def _money_text(rng: random.Random, v: int) -> str:
    grouped = f"{v:,}".replace(",", ".")
    options = [f"{grouped}đ", f"{grouped} đ", grouped, f"{grouped} đồng", f"{v:,}", f"{grouped} VNĐ"]
    if v % 10_000 == 0 and v >= 100_000:
        whole, frac = divmod(v, 1_000_000)
        digits = f"{frac:06d}".rstrip("0")
        if len(digits) <= 2:
            options.append(f"{whole},{digits} triệu" if digits else f"{whole} triệu")
    if v % 1000 == 0 and v < 1_000_000:
        options.append(f"{v // 1000} nghìn")
    return rng.choice(options)


def _q_money_text(wb, sheets, rng, sums) -> list[Injected]:
    for cell in _cells_of_kind(sheets, standard.MONEY):
        v = cell.value
        if isinstance(v, int) and not isinstance(v, bool) and v > 0 and rng.random() < 0.35:
            cell.value = _money_text(rng, v)
    return []


def _q_nfd(wb, sheets, rng, sums) -> list[Injected]:
    sh = sheets[DIA_CHI]
    for key in ("ho_ten", "hoan_canh", "thon"):
        for _, cell in sh.cells(key):
            if isinstance(cell.value, str) and rng.random() < 0.5:
                cell.value = unicodedata.normalize("NFD", cell.value)
    sh = sheets[TRO_GIUP]
    for _, cell in sh.cells("nguoi_tro_giup"):
        if isinstance(cell.value, str) and rng.random() < 0.3:
            cell.value = unicodedata.normalize("NFD", cell.value)
    return []


def _q_tcvn3(wb, sheets, rng, sums) -> list[Injected]:
    from copy import copy

    from ..vn.text import _unicode_to_tcvn3

    out = []
    sh = sheets[DIA_CHI]
    keys = ["ho_ten", "thon"] + (["hoan_canh"] if rng.random() < 0.5 else [])
    for key in keys:
        converted = 0
        for _, cell in sh.cells(key):
            v = cell.value
            if not isinstance(v, str):
                continue
            try:
                legacy = _unicode_to_tcvn3(unicodedata.normalize("NFC", v))
            except ValueError:
                continue  # TCVN3 has no toned capitals: the clerk typed this one in Unicode
            if legacy == v:
                continue
            cell.value = legacy
            font = copy(cell.font)
            font.name = ".VnTime"
            cell.font = font
            converted += 1
        if converted:
            out.append(Injected(DIA_CHI, None, sh.spec.field(key).header, "legacy-text", f"{converted} cells"))
    return out


def _q_cccd_number(wb, sheets, rng, sums) -> list[Injected]:
    out = []
    sh = sheets[DIA_CHI]
    header = sh.spec.field("cccd").header
    for i, cell in sh.cells("cccd"):
        v = cell.value
        if isinstance(v, str) and len(v) == 12 and v.isdigit() and rng.random() < 0.3:
            cell.value = int(v)
            cell.number_format = "0"
            out.append(Injected(DIA_CHI, i, header, "cccd-padded", f"{v} stored as a number"))
    return out


def _q_blank_rows(wb, sheets, rng, sums) -> list[Injected]:
    for sh in sheets.values():
        if len(sh.rows) < 2:
            continue
        for _ in range(rng.randint(1, 3)):
            at = sh.rows[rng.randint(1, len(sh.rows) - 1)]
            sh.insert_rows(at, rng.choice((1, 1, 2)))
    return []


def _q_total(wb, sheets, rng, sums) -> list[Injected]:
    from openpyxl.styles import Font

    for name, sh in sheets.items():
        money = [(key, total) for (sheet, key), total in sums.items() if sheet == name]
        if not money or not sh.rows:
            continue
        r = sh.ws.max_row + 1
        label_col = sh.cols.get("stt") or min(sh.cols.values())
        cell = sh.ws.cell(r, label_col)
        cell.value = rng.choice(("Tổng cộng", "TỔNG CỘNG", "Cộng", "Tổng cộng:"))
        cell.font = Font(bold=True)
        for key, total in money:
            c = sh.ws.cell(r, sh.cols[key])
            c.value = total  # the SUM's value: openpyxl cannot store a formula's cached result
            c.number_format = standard.MONEY_FORMAT
            c.font = Font(bold=True)
    return []


def _q_column_numbers(wb, sheets, rng, sums) -> list[Injected]:
    for sh in sheets.values():
        n = sh.ws.max_column
        at = sh.header + 1
        sh.insert_rows(at)
        for c in range(1, n + 1):
            sh.ws.cell(at, c).value = f"({c})"
    return []


def _q_title(wb, sheets, rng, sums) -> list[Injected]:
    from openpyxl.styles import Font
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

    for sh in sheets.values():
        ws = sh.ws
        k = rng.randint(2, 5)
        merged = [CellRange(str(m)) for m in ws.merged_cells.ranges]
        for m in merged:
            ws.unmerge_cells(str(m))
        sh.insert_rows(1, k)
        for m in merged:
            m.shift(row_shift=k)
            ws.merge_cells(str(m))
        for dv in ws.data_validations.dataValidation:
            ranges = []
            for cr in dv.sqref.ranges:
                cr = CellRange(str(cr))
                cr.shift(row_shift=k)
                ranges.append(str(cr))
            dv.sqref = MultiCellRange(" ".join(ranges))
        if ws.auto_filter.ref:
            cr = CellRange(ws.auto_filter.ref)
            cr.shift(row_shift=k)
            ws.auto_filter.ref = str(cr)
        if ws.freeze_panes:
            from openpyxl.utils.cell import coordinate_from_string

            col, row = coordinate_from_string(ws.freeze_panes)
            ws.freeze_panes = f"{col}{row + k}"
        sh.refresh()
        if ws.print_title_rows:
            ws.print_title_rows = f"{sh.header}:{sh.header}"
        lines = ["HỘI CHỮ THẬP ĐỎ VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Kèm theo báo cáo số …/BC-CTĐ", "(Số liệu tính đến ngày báo cáo)"]
        for i in range(k):
            c = ws.cell(i + 1, 1)
            c.value = lines[i]
            c.font = Font(bold=i < 2)
    return []


_QUIRK_FUNCS = {
    "rename": _q_rename, "reorder": _q_reorder, "extra_column": _q_extra_column, "labels": _q_labels,
    "yesno": _q_yesno, "text_dates": _q_text_dates, "money_text": _q_money_text, "nfd": _q_nfd,
    "tcvn3": _q_tcvn3, "cccd_number": _q_cccd_number, "blank_rows": _q_blank_rows, "total": _q_total,
    "column_numbers": _q_column_numbers, "title": _q_title,
}
assert set(_QUIRK_FUNCS) == set(QUIRKS)


# ---------------------------------------------------------------------------------------
# Mistakes: what clerks get wrong, and the issue the validator must report for each


def _addr_key(v: object) -> str:
    return "".join(str(v).split()).upper() if v is not None else ""


class _Mistakes:
    def __init__(self, unit: UnitData, rng: random.Random) -> None:
        self.unit = unit
        self.rng = rng
        self.t = unit.tables
        self.used: dict[str, set[int]] = {DIA_CHI: set(), DANG_KY: set(), TRO_GIUP: set()}
        self.report_date = unit.report_date
        self.scheme = unit.scheme
        self.fake_codes: set[str] = set()

    # -- helpers -------------------------------------------------------------------------
    def free(self, sheet: str, pred=None) -> list[int]:
        rows = self.t[sheet]
        return [i for i in range(len(rows)) if i not in self.used[sheet] and (pred is None or pred(rows[i]))]

    def choose(self, sheet: str, pred=None) -> int | None:
        free = self.free(sheet, pred)
        if not free:
            return None
        i = self.rng.choice(free)
        self.used[sheet].add(i)
        return i

    def choose_pair(self, sheet: str, pred=None) -> tuple[int, int] | None:
        """Two free rows (earlier, later), marked used."""
        free = self.free(sheet, pred)
        if len(free) < 2:
            return None
        i, j = sorted(self.rng.sample(free, 2))
        self.used[sheet].update((i, j))
        return i, j

    def referenced(self) -> set[str]:
        return {_addr_key(r[H_TG["ma_dia_chi"]]) for r in self.t[TRO_GIUP]} | \
            {_addr_key(r[H_DK["ma_dia_chi"]]) for r in self.t[DANG_KY]}

    def address_rows(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, r in enumerate(self.t[DIA_CHI]):
            out.setdefault(_addr_key(r[H_DC["ma_dia_chi"]]), i)
        return out

    def person_keys(self, skip: int) -> set[tuple[str, object, str]]:
        out = set()
        for i, r in enumerate(self.t[DIA_CHI]):
            name, year, thon = r[H_DC["ho_ten"]], r[H_DC["nam_sinh"]], r[H_DC["thon"]]
            if i != skip and isinstance(name, str) and isinstance(thon, str) and year:
                out.add((name_key(name), year, fold(thon)))
        return out

    def event_key_free(self, i: int, **changes: object) -> bool:
        """Would event ``i`` with ``changes`` still differ from every other event?"""
        rows = self.t[TRO_GIUP]
        fields = ("ma_dia_chi", "ngay", "hinh_thuc", "gia_tri")

        def key(r: dict[str, object], ch: dict[str, object]) -> tuple[object, ...]:
            return tuple(_addr_key(ch.get(k, r[H_TG[k]])) if k == "ma_dia_chi" else ch.get(k, r[H_TG[k]])
                         for k in fields)

        mine = key(rows[i], changes)
        return all(key(r, {}) != mine for j, r in enumerate(rows) if j != i)

    # -- DiaChi --------------------------------------------------------------------------
    def year_typo(self) -> list[Injected]:
        h = H_DC["nam_sinh"]
        i = self.choose(DIA_CHI, lambda r: isinstance(r[h], int))
        if i is None:
            return []
        row = self.t[DIA_CHI][i]
        y = row[h]
        row[h] = y * 10 + y % 10  # type: ignore[operator]
        return [Injected(DIA_CHI, i, h, "year-invalid", f"{y} typed as {row[h]}")]

    def _before_dossier(self, key: str, code: str, days: int, verb: str) -> list[Injected]:
        """A date of the address typed before its dossier date."""
        hd, hx = H_DC["ngay_lap_ho_so"], H_DC[key]
        i = self.choose(DIA_CHI, lambda r: isinstance(r[hd], date) and r[hd] > date(2000, 3, 1))
        if i is None:
            return []
        row = self.t[DIA_CHI][i]
        row[hx] = row[hd] - timedelta(days=self.rng.randint(1, days))  # type: ignore[operator]
        return [Injected(DIA_CHI, i, hx, code, f"{verb} {row[hx]}, dossier {row[hd]}")]

    def approval_before_dossier(self) -> list[Injected]:
        return self._before_dossier("ngay_phe_duyet", "approval-before-dossier", 45, "approved")

    def inhandao_before_dossier(self) -> list[Injected]:
        return self._before_dossier("ngay_inhandao", "inhandao-before-dossier", 60, "uploaded")

    def category_unknown(self) -> list[Injected]:
        sheet, key = self.rng.choice(((DIA_CHI, "doi_tuong"), (DIA_CHI, "doi_tuong"), (TRO_GIUP, "hinh_thuc"),
                                      (DANG_KY, "loai")))
        h = _SPECS[sheet].field(key).header
        i = self.choose(sheet, lambda r: r[h] is not None)
        if i is None:
            return []
        bad = {"doi_tuong": ("NCT", "Người già", "HCKK", "Hộ khó khăn", "KKK", "HN1", "Gia đình chính sách"),
               "hinh_thuc": ("Tiền + gạo", "TMHV", "Quà Tết", "Hỗ trợ"),
               "loai": ("Tư nhân", "Đơn vị", "Hộ kinh doanh", "Khác")}[key]
        cl = _SPECS[sheet].field(key).codes
        assert cl is not None
        choices = [b for b in bad if cl.parse(b) is None]
        old = self.t[sheet][i][h]
        self.t[sheet][i][h] = self.rng.choice(choices)
        return [Injected(sheet, i, h, "code-unknown", f"{old} typed as {self.t[sheet][i][h]}")]

    def duplicate_code(self) -> list[Injected]:
        h = H_DC["ma_dia_chi"]
        refs = self.referenced()
        free = [j for j in self.free(DIA_CHI, lambda r: _addr_key(r[h]) not in refs) if j > 0]
        if not free:
            return []
        j = self.rng.choice(free)
        self.used[DIA_CHI].add(j)
        i = self.rng.randrange(j)
        row = self.t[DIA_CHI][j]
        old = row[h]
        row[h] = self.t[DIA_CHI][i][h]
        return [Injected(DIA_CHI, j, h, "duplicate-address-code", f"{old} typed as {row[h]} (row {i})")]

    def duplicate_cccd(self) -> list[Injected]:
        """The same person registered twice (same CCCD, name, birth year, gender, village)."""
        hc = H_DC["cccd"]
        pair = self.choose_pair(DIA_CHI, lambda r: isinstance(r[hc], str))
        if pair is None:
            return []
        i, j = pair
        src, dst = self.t[DIA_CHI][i], self.t[DIA_CHI][j]
        for key in ("ho_ten", "nam_sinh", "gioi_tinh", "dan_toc", "cccd", "thon"):
            dst[H_DC[key]] = src[H_DC[key]]
        return [Injected(DIA_CHI, j, hc, "duplicate-cccd", f"same person as row {i}")]

    def duplicate_person(self) -> list[Injected]:
        """The same person twice without CCCD on the later row."""
        pair = self.choose_pair(DIA_CHI, lambda r: isinstance(r[H_DC["nam_sinh"]], int))
        if pair is None:
            return []
        i, j = pair
        src, dst = self.t[DIA_CHI][i], self.t[DIA_CHI][j]
        for key in ("ho_ten", "nam_sinh", "gioi_tinh", "dan_toc", "thon"):
            dst[H_DC[key]] = src[H_DC[key]]
        dst[H_DC["cccd"]] = None
        return [Injected(DIA_CHI, j, H_DC["ho_ten"], "duplicate-person", f"same person as row {i}, no CCCD")]

    def cccd_invalid(self) -> list[Injected]:
        h = H_DC["cccd"]
        i = self.choose(DIA_CHI, lambda r: isinstance(r[h], str))
        if i is None:
            return []
        row = self.t[DIA_CHI][i]
        v: str = row[h]  # type: ignore[assignment]
        how = self.rng.randrange(3)
        if how == 0:
            bad = v[:10]  # two digits forgotten
        elif how == 1:
            k = self.rng.randint(4, 11)
            bad = v[:k] + self.rng.choice("OlIB") + v[k + 1:]  # a letter for a digit
        else:
            bad = v + str(self.rng.randint(0, 9))  # one digit too many
        row[h] = bad
        return [Injected(DIA_CHI, i, h, "cccd-invalid", f"{v} typed as {bad}")]

    def cccd_gender(self) -> list[Injected]:
        hg = H_DC["gioi_tinh"]
        i = self.choose(DIA_CHI, lambda r: isinstance(r[H_DC["cccd"]], str) and r[hg] in ("Nam", "Nữ"))
        if i is None:
            return []
        row = self.t[DIA_CHI][i]
        row[hg] = "Nữ" if row[hg] == "Nam" else "Nam"
        return [Injected(DIA_CHI, i, hg, "cccd-gender-mismatch", f"gender flipped to {row[hg]}")]

    def cccd_year(self) -> list[Injected]:
        hy = H_DC["nam_sinh"]
        free = self.free(DIA_CHI, lambda r: isinstance(r[H_DC["cccd"]], str) and isinstance(r[hy], int))
        for i in self.rng.sample(free, len(free)):
            row = self.t[DIA_CHI][i]
            keys = self.person_keys(skip=i)
            y: int = row[hy]  # type: ignore[assignment]
            options = [y + d for d in (-3, -2, -1, 1, 2, 3) if 1900 <= y + d <= self.report_date.year - 1]
            self.rng.shuffle(options)
            for new in options:
                if (name_key(row[H_DC["ho_ten"]]), new, fold(row[H_DC["thon"]])) not in keys:  # type: ignore[arg-type]
                    self.used[DIA_CHI].add(i)
                    row[hy] = new
                    return [Injected(DIA_CHI, i, hy, "cccd-year-mismatch", f"{y} typed as {new}")]
        return []

    def commune_unknown(self) -> list[Injected]:
        h = H_DC["ma_xa"]
        i = self.choose(DIA_CHI)
        if i is None:
            return []
        row = self.t[DIA_CHI][i]
        code = str(row[h])
        candidates = [code[:k] + code[k + 1] + code[k] + code[k + 2:] for k in range(4)]
        candidates += [f"{self.rng.randint(0, 99_999):05d}" for _ in range(50)]
        for c in candidates:
            if c != code and adminunits.lookup(c, self.scheme, "Xã") is None:
                row[h] = c
                return [Injected(DIA_CHI, i, h, "commune-unknown", f"{code} typed as {c}")]
        return []

    # -- any sheet ------------------------------------------------------------------------
    _DATE_FIELDS = ((DIA_CHI, "ngay_lap_ho_so"), (DIA_CHI, "ngay_phe_duyet"), (DANG_KY, "ngay_dang_ky"),
                    (TRO_GIUP, "ngay"), (TRO_GIUP, "ngay"))

    def date_invalid(self) -> list[Injected]:
        sheet, key = self.rng.choice(self._DATE_FIELDS)
        h = _SPECS[sheet].field(key).header
        i = self.choose(sheet, lambda r: isinstance(r[h], date))
        if i is None:
            return []
        row = self.t[sheet][i]
        d: date = row[h]  # type: ignore[assignment]
        if d.day > 12:
            text = f"{d.month:02d}/{d.day:02d}/{d.year}"  # month first
        else:
            day, month = self.rng.choice(((31, 2), (30, 2), (31, 4), (31, 6), (31, 9), (31, 11), (32, d.month)))
            text = f"{day}/{month:02d}/{d.year}"
        row[h] = text
        return [Injected(sheet, i, h, "date-invalid", f"{d} typed as {text}")]

    def date_future(self) -> list[Injected]:
        sheet, key = self.rng.choice(((DIA_CHI, "ngay_phe_duyet"), (DIA_CHI, "ngay_inhandao"),
                                      (DANG_KY, "ngay_dang_ky"), (TRO_GIUP, "ngay")))
        h = _SPECS[sheet].field(key).header
        i = self.choose(sheet, lambda r: isinstance(r[h], date))
        if i is None:
            return []
        row = self.t[sheet][i]
        d: date = row[h]  # type: ignore[assignment]
        swapped = int(str(d.year)[:2] + str(d.year)[3] + str(d.year)[2])  # 2024 → 2042
        year = swapped if swapped > self.report_date.year + 2 else d.year + 10
        row[h] = date(year, d.month, min(d.day, 28))
        return [Injected(sheet, i, h, "date-in-future", f"{d} typed as {row[h]}")]

    def required_blank(self) -> list[Injected]:
        sheet = self.rng.choice((DIA_CHI, DIA_CHI, DANG_KY, TRO_GIUP))
        keys = {DIA_CHI: ("ho_ten", "nam_sinh", "gioi_tinh", "thon", "ma_xa", "doi_tuong", "hoan_canh",
                          "ngay_lap_ho_so", "trang_thai"),
                DANG_KY: ("ten", "loai", "ngay_dang_ky"),
                TRO_GIUP: ("ngay", "nguoi_tro_giup", "hinh_thuc", "gia_tri", "nguon")}[sheet]
        h = _SPECS[sheet].field(self.rng.choice(keys)).header
        i = self.choose(sheet, lambda r: r[h] is not None)
        if i is None:
            return []
        self.t[sheet][i][h] = None
        return [Injected(sheet, i, h, "required-missing", "left blank")]

    def _money_cell(self) -> tuple[str, str, int] | None:
        sheet = self.rng.choice((TRO_GIUP, TRO_GIUP, DANG_KY))
        h = (H_TG["gia_tri"] if sheet == TRO_GIUP else H_DK["gia_tri_cam_ket"])
        i = self.choose(sheet, lambda r: isinstance(r[h], int) and r[h] > 0)
        return None if i is None else (sheet, h, i)

    def money_ambiguous(self) -> list[Injected]:
        found = self._money_cell()
        if found is None:
            return []
        sheet, h, i = found
        v: int = self.t[sheet][i][h]  # type: ignore[assignment]
        millions = v / 1_000_000
        bad: object = millions if not millions.is_integer() else millions + 0.5
        if self.rng.random() < 0.4:
            bad = f"{bad:g}"  # typed as text "1.5"
        self.t[sheet][i][h] = bad
        return [Injected(sheet, i, h, "money-ambiguous", f"{v} typed as {bad!r}")]

    def money_negative(self) -> list[Injected]:
        found = self._money_cell()
        if found is None:
            return []
        sheet, h, i = found
        v: int = self.t[sheet][i][h]  # type: ignore[assignment]
        bad: object = -v if self.rng.random() < 0.6 else "-" + f"{v:,}".replace(",", ".")
        self.t[sheet][i][h] = bad
        return [Injected(sheet, i, h, "money-negative", f"{v} typed as {bad!r}")]

    def money_zero(self) -> list[Injected]:
        h = H_TG["gia_tri"]
        i = self.choose(TRO_GIUP, lambda r: r[h] is not None)
        if i is None:
            return []
        self.t[TRO_GIUP][i][h] = 0
        return [Injected(TRO_GIUP, i, h, "money-zero", "value 0")]

    def yesno_invalid(self) -> list[Injected]:
        sheet, h = self.rng.choice(((DANG_KY, H_DK["nguoi_dung_dau"]), (TRO_GIUP, H_TG["qua_inhandao"])))
        i = self.choose(sheet)
        if i is None:
            return []
        bad = self.rng.choice(("Chưa rõ", "??", "2", "Đang chờ", "không rõ", "Có?"))
        self.t[sheet][i][h] = bad
        return [Injected(sheet, i, h, "yesno-invalid", f"typed {bad!r}")]

    def address_unknown(self) -> list[Injected]:
        sheet = self.rng.choice((TRO_GIUP, TRO_GIUP, DANG_KY))
        h = H_TG["ma_dia_chi"] if sheet == TRO_GIUP else H_DK["ma_dia_chi"]
        i = self.choose(sheet, lambda r: r[h] is not None)
        if i is None:
            return []
        known = set(self.address_rows()) | self.fake_codes
        row = self.t[sheet][i]
        old = str(row[h])
        prefix, _, num = old.rpartition("-")
        candidates = []
        if len(num) >= 2:
            candidates.append(f"{prefix}-{num[:-2]}{num[-1]}{num[-2]}")  # last two digits swapped
        candidates += [f"{prefix}-{self.rng.randint(0, 10 ** len(num) - 1):0{len(num)}d}" for _ in range(50)]
        for c in candidates:
            if _addr_key(c) not in known and (sheet != TRO_GIUP or self.event_key_free(i, ma_dia_chi=c)):
                row[h] = c
                self.fake_codes.add(_addr_key(c))
                return [Injected(sheet, i, h, "address-unknown", f"{old} typed as {c}")]
        return []

    def programme_missing(self) -> list[Injected]:
        i = self.choose(TRO_GIUP)
        if i is None:
            return []
        row = self.t[TRO_GIUP][i]
        row[H_TG["nguon"]] = codes.OTHER_PROGRAMME
        row[H_TG["ten_chuong_trinh"]] = None
        return [Injected(TRO_GIUP, i, H_TG["ten_chuong_trinh"], "other-programme-missing", "no programme name")]

    def after_report(self) -> list[Injected]:
        """Dated the day after the report date: after it, but not in the future for any
        ``today`` after the report date."""
        sheet = self.rng.choice((TRO_GIUP, TRO_GIUP, DANG_KY))
        h = H_TG["ngay"] if sheet == TRO_GIUP else H_DK["ngay_dang_ky"]
        d = self.report_date + timedelta(days=1)
        free = self.free(sheet, lambda r: isinstance(r[h], date))
        for i in self.rng.sample(free, len(free)):
            if sheet == DANG_KY or self.event_key_free(i, ngay=d):
                self.used[sheet].add(i)
                self.t[sheet][i][h] = d
                return [Injected(sheet, i, h, "date-after-report", f"dated {d}")]
        return []

    def event_before_dossier(self) -> list[Injected]:
        rows = self.address_rows()
        h = H_TG["ngay"]
        free = self.free(TRO_GIUP, lambda r: isinstance(r[h], date))
        for i in self.rng.sample(free, len(free)):
            ev = self.t[TRO_GIUP][i]
            t = rows.get(_addr_key(ev[H_TG["ma_dia_chi"]]))
            if t is None or t in self.used[DIA_CHI]:
                continue
            dossier = self.t[DIA_CHI][t][H_DC["ngay_lap_ho_so"]]
            if not isinstance(dossier, date) or dossier < date(2000, 3, 1):
                continue
            d = dossier - timedelta(days=self.rng.randint(1, 30))
            if self.event_key_free(i, ngay=d):
                self.used[TRO_GIUP].add(i)
                self.used[DIA_CHI].add(t)  # its dossier date must stay as it is
                ev[h] = d
                return [Injected(TRO_GIUP, i, h, "event-before-dossier", f"dated {d}, dossier {dossier}")]
        return []

    def voucher_twice(self) -> list[Injected]:
        h = H_TG["so_chung_tu"]
        pair = self.choose_pair(TRO_GIUP, lambda r: isinstance(r[h], str))
        if pair is None:
            return []
        i, j = pair
        self.t[TRO_GIUP][j][h] = self.t[TRO_GIUP][i][h]
        return [Injected(TRO_GIUP, j, h, "duplicate-voucher", f"voucher of row {i}")]


#: Each mistake and the issue code it produces (the method of ``_Mistakes`` doing it).
MISTAKES: dict[str, str] = {
    "year_typo": "year-invalid",
    "date_invalid": "date-invalid",
    "date_future": "date-in-future",
    "approval_before_dossier": "approval-before-dossier",
    "money_ambiguous": "money-ambiguous",
    "money_negative": "money-negative",
    "money_zero": "money-zero",
    "category_unknown": "code-unknown",
    "required_blank": "required-missing",
    "duplicate_code": "duplicate-address-code",
    "duplicate_cccd": "duplicate-cccd",
    "cccd_invalid": "cccd-invalid",
    "cccd_gender": "cccd-gender-mismatch",
    "cccd_year": "cccd-year-mismatch",
    "commune_unknown": "commune-unknown",
    "address_unknown": "address-unknown",
    "programme_missing": "other-programme-missing",
    "yesno_invalid": "yesno-invalid",
    "after_report": "date-after-report",
    "event_before_dossier": "event-before-dossier",
    "voucher_twice": "duplicate-voucher",
    "inhandao_before_dossier": "inhandao-before-dossier",
    "duplicate_person": "duplicate-person",
}


def inject_mistakes(unit: UnitData, rng: random.Random, n: int,
                    kinds: Sequence[str] | None = None) -> list[Injected]:
    """Make ``n`` clerk mistakes in random rows of a clean ``unit`` (in place).

    Returns, sorted, every issue the validator must then report with its sheet, data-row
    index and standard header — the mistakes themselves, plus the ``address-has-errors``
    warning of each support event whose address row now has an error — and nothing
    else is expected. ``kinds`` (names of :data:`MISTAKES`) restricts the choice; each
    is used in turn when given, at random otherwise. Each mistake takes rows no other
    mistake touched, so they do not interact; a kind that finds no suitable row is
    replaced by another allowed kind (so fewer than ``n`` mistakes are made only when no
    allowed kind finds a row). A future date is at least two years after the report date;
    a date after the report date is the day after it (so any ``today`` later than the
    report date and earlier than two years after works).
    """
    m = _Mistakes(unit, rng)
    pool = list(kinds) if kinds else list(MISTAKES)
    unknown = set(pool) - set(MISTAKES)
    if unknown:
        raise ValueError(f"unknown mistakes: {sorted(unknown)}")
    out: list[Injected] = []
    for k in range(n):
        first = pool[k % len(pool)] if kinds else rng.choice(pool)
        order = [first, *rng.sample(pool, len(pool))]
        for kind in order:
            got = getattr(m, kind)()
            if got:
                out.extend(got)
                break
    # Events of an address row with an error are not counted: a warning on each.
    bad = {i.index for i in out if i.sheet == DIA_CHI and i.severity == "error"}
    rows = m.address_rows()
    for e, ev in enumerate(unit.tables[TRO_GIUP]):
        t = rows.get(_addr_key(ev[H_TG["ma_dia_chi"]])) if ev[H_TG["ma_dia_chi"]] is not None else None
        if t is not None and t in bad:
            out.append(Injected(TRO_GIUP, e, H_TG["ma_dia_chi"], "address-has-errors", f"address row {t}"))
    return _sorted(out)
