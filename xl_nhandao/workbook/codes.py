"""Code lists of the standard (SPEC §3): categories, support forms, supporter types,
statuses, sources, genders, unit levels, commune classes, ethnic groups, yes/no.

Each list maps what clerks type (code, label, ``code - label``, known aliases; case,
spacing and diacritics ignored) to one canonical value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vn.text import fold


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeList:
    """A closed list of values.

    ``canonical`` is ``"code"`` when rows keep the short code (``HN``) and ``"label"``
    when they keep the label (``Đang trợ giúp``).
    """

    key: str
    title: str
    entries: tuple[Entry, ...]
    canonical: str = "code"
    _index: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def _build_index(self) -> dict[str, Entry]:
        """Built on first use: importing the code lists costs nothing."""
        index = self._index
        for e in self.entries:
            for variant in (e.code, e.label, *e.aliases):
                index.setdefault(fold(variant), e)
            for sep in (" - ", " – ", ". ", ": ", " "):
                index.setdefault(fold(f"{e.code}{sep}{e.label}"), e)
        return index

    def match(self, value: str) -> Entry | None:
        return (self._index or self._build_index()).get(fold(value))

    def value_of(self, entry: Entry) -> str:
        return entry.code if self.canonical == "code" else entry.label

    def parse(self, value: str) -> str | None:
        e = self.match(value)
        return None if e is None else self.value_of(e)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.value_of(e) for e in self.entries)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(e.label for e in self.entries)

    def dropdown(self) -> tuple[str, ...]:
        """What the blank workbook offers in its dropdown (labels read best)."""
        return self.labels



CATEGORIES = CodeList(
    "doi_tuong",
    "Đối tượng",
    (
        Entry("HN", "Hộ nghèo"),
        Entry("CN", "Hộ cận nghèo"),
        Entry("KK", "Hoàn cảnh đặc biệt khó khăn", ("Đặc biệt khó khăn", "HCĐBKK")),
        Entry("KT", "Người khuyết tật", ("Khuyết tật",)),
        Entry("DC", "Nạn nhân chất độc da cam", ("Chất độc da cam", "Da cam", "NNCĐDC")),
        Entry("TT", "Nạn nhân thiên tai", ("Thiên tai",)),
        Entry("BH", "Người mắc bệnh hiểm nghèo", ("Bệnh hiểm nghèo",)),
        Entry("TN", "Nạn nhân tai nạn thương tích", ("Tai nạn thương tích", "Tai nạn")),
        Entry("MC", "Trẻ em mồ côi", ("Mồ côi", "Trẻ mồ côi")),
        Entry("NC", "Người cao tuổi neo đơn", ("Người già neo đơn", "Neo đơn", "Người cao tuổi cô đơn")),
        Entry("PN", "Phụ nữ yếu thế", ("Phụ nữ có hoàn cảnh khó khăn",)),
        Entry("HS", "Học sinh nghèo vượt khó", ("Học sinh nghèo", "Học sinh khó khăn")),
        Entry("K", "Đối tượng khác", ("Khác",)),
    ),
)
PRIORITY_CATEGORIES = ("NC", "KK", "PN")

SUPPORT_FORMS = CodeList(
    "hinh_thuc",
    "Hình thức",
    (
        Entry("TM", "Tiền mặt", ("Tiền",)),
        Entry("HV", "Hiện vật, lương thực", ("Hiện vật", "Lương thực", "Quà", "Gạo")),
        Entry("NO", "Nhà ở", ("Nhà", "Nhà nhân đạo", "Sửa nhà", "Xây nhà")),
        Entry("XL", "Xe lăn, xe lắc, dụng cụ hỗ trợ", ("Xe lăn", "Xe lắc", "Dụng cụ hỗ trợ")),
        Entry("PH", "Phục hồi chức năng"),
        Entry("SK", "Sinh kế (vốn, cây con giống)", ("Sinh kế", "Vốn", "Cây con giống", "Con giống")),
        Entry("ST", "Sổ tiết kiệm", ("Sổ TK",)),
        Entry("BY", "Thẻ BHYT", ("BHYT", "Bảo hiểm y tế", "Thẻ bảo hiểm y tế")),
        Entry("YT", "Khám chữa bệnh", ("Khám bệnh", "Chữa bệnh", "Y tế")),
        Entry("HT", "Học bổng, đồ dùng học tập", ("Học bổng", "Đồ dùng học tập")),
        Entry("NC", "Ngày công lao động", ("Ngày công",)),
        Entry("K", "Khác"),
    ),
)

SUPPORTER_TYPES = CodeList(
    "loai",
    "Loại tổ chức/cá nhân",
    (
        Entry("CQ", "Cơ quan nhà nước", ("Cơ quan", "CQNN")),
        Entry("MT", "MTTQ, đoàn thể", ("MTTQ", "Đoàn thể", "Mặt trận", "MTTQ và đoàn thể")),
        Entry("DN", "Doanh nghiệp", ("Công ty",)),
        Entry("TH", "Trường học", ("Trường",)),
        Entry("CH", "Chi hội, chi đoàn", ("Chi hội", "Chi đoàn")),
        Entry("TG", "Tổ chức tôn giáo", ("Tôn giáo", "Cơ sở tôn giáo")),
        Entry("HCTD", "Hội Chữ thập đỏ", ("Hội CTĐ", "CTĐ", "Chữ thập đỏ")),
        Entry("CN", "Cá nhân", ("Cá nhân, hộ gia đình", "Hộ gia đình", "Nhà hảo tâm")),
    ),
    canonical="label",
)
INDIVIDUAL = "Cá nhân"

STATUSES = CodeList(
    "trang_thai",
    "Trạng thái",
    (
        Entry("DTG", "Đang trợ giúp", ("Đang hỗ trợ", "Đang giúp")),
        Entry("CTG", "Chờ trợ giúp", ("Chờ hỗ trợ", "Chưa trợ giúp")),
        Entry("NTG", "Ngừng trợ giúp", ("Ngừng hỗ trợ", "Đã ngừng", "Dừng trợ giúp")),
    ),
    canonical="label",
)
ACTIVE = "Đang trợ giúp"

SOURCES = CodeList(
    "nguon",
    "Nguồn",
    (
        Entry("CVD", "Cuộc vận động", ("CVĐ", "Vận động")),
        Entry("QH", "Quỹ Hội", ("Quỹ", "Quỹ Hội CTĐ")),
        Entry("CTK", "Chương trình khác", ("Chương trình", "CT khác")),
    ),
    canonical="label",
)
OTHER_PROGRAMME = "Chương trình khác"

GENDERS = CodeList(
    "gioi_tinh",
    "Giới tính",
    (
        Entry("Nam", "Nam", ("M", "Male", "Nam giới", "Trai")),
        Entry("Nữ", "Nữ", ("F", "Female", "Nữ giới", "Gái")),
    ),
    canonical="label",
)

UNIT_LEVELS = CodeList(
    "cap_don_vi",
    "Cấp đơn vị",
    (
        Entry("Xã", "Xã", ("Phường", "Thị trấn", "Đặc khu", "Xã/Phường", "Cơ sở")),
        Entry("Huyện", "Huyện", ("Quận", "Thị xã", "Huyện/Thị xã")),
        Entry("Tỉnh", "Tỉnh", ("Tỉnh/Thành phố",)),
        Entry("Trường", "Trường", ("Trường học",)),
        Entry("Cơ quan", "Cơ quan", ("Cơ quan, đơn vị", "Đơn vị")),
    ),
    canonical="label",
)

COMMUNE_CLASSES = CodeList(
    "phan_loai_xa",
    "Phân loại xã",
    (
        Entry("KK", "Khó khăn", ("Nhiều khó khăn", "Còn nhiều khó khăn", "Đặc biệt khó khăn")),
        Entry("TB", "Trung bình trở lên", ("Trung bình", "Khá", "Trung bình trở lên")),
    ),
    canonical="label",
)
#: New addresses each commune should register in a year (2023 plan): 2 or 3.
NEW_ADDRESS_TARGET = {"Khó khăn": 2, "Trung bình trở lên": 3}

SCHEMES = CodeList(
    "he_ma",
    "Hệ mã đơn vị hành chính",
    (Entry("2025", "2025", ("Mới", "34 tỉnh")), Entry("2004", "2004", ("Cũ", "63 tỉnh"))),
)

#: The 54 ethnic groups with the statistics office's codes (Quyết định 121-TCTK/PPCĐ).
ETHNIC_GROUPS = CodeList(
    "dan_toc",
    "Dân tộc",
    tuple(
        Entry(f"{i:02d}", name, aliases)
        for i, (name, aliases) in enumerate(
            [
                ("Kinh", ("Việt",)),
                ("Tày", ()),
                ("Thái", ()),
                ("Hoa", ("Người Hoa",)),
                ("Khơ-me", ("Khmer", "Khơ me", "Khơme", "Khmer Krom")),
                ("Mường", ()),
                ("Nùng", ()),
                ("Mông", ("H'Mông", "HMông", "Hmong", "Mèo")),
                ("Dao", ()),
                ("Gia-rai", ("Gia Rai", "Jrai", "Giarai")),
                ("Ngái", ()),
                ("Ê-đê", ("Ê Đê", "Ede", "Êđê", "Rhade")),
                ("Ba-na", ("Ba Na", "Bahnar", "Bana")),
                ("Xơ-đăng", ("Xơ Đăng", "Sedang", "Xê Đăng")),
                ("Sán Chay", ("Cao Lan", "Sán Chí")),
                ("Cơ-ho", ("Cơ Ho", "K'Ho", "Koho")),
                ("Chăm", ("Chàm", "Cham")),
                ("Sán Dìu", ()),
                ("Hrê", ("H're", "Hre")),
                ("Mnông", ("M'Nông", "Mơ Nông")),
                ("Ra-glai", ("Raglai", "Ra Glai")),
                ("Xtiêng", ("Stiêng", "Xtieng")),
                ("Bru-Vân Kiều", ("Bru Vân Kiều", "Vân Kiều", "Bru")),
                ("Thổ", ()),
                ("Giáy", ()),
                ("Cơ-tu", ("Cơ Tu", "Katu", "Ka Tu")),
                ("Gié-Triêng", ("Giẻ Triêng", "Gié Triêng", "Giẻ-Triêng")),
                ("Mạ", ()),
                ("Khơ-mú", ("Khơ Mú", "Khmu", "Kho Mu")),
                ("Co", ("Cor",)),
                ("Tà-ôi", ("Tà Ôi", "Ta Oi", "Pa Cô")),
                ("Chơ-ro", ("Chơ Ro", "Chơro")),
                ("Kháng", ()),
                ("Xinh-mun", ("Xinh Mun",)),
                ("Hà Nhì", ()),
                ("Chu-ru", ("Chu Ru", "Churu")),
                ("Lào", ()),
                ("La Chí", ()),
                ("La Ha", ()),
                ("Phù Lá", ()),
                ("La Hủ", ()),
                ("Lự", ()),
                ("Lô Lô", ()),
                ("Chứt", ()),
                ("Mảng", ()),
                ("Pà Thẻn", ("Pà Hưng",)),
                ("Cơ Lao", ("Co Lao",)),
                ("Cống", ()),
                ("Bố Y", ()),
                ("Si La", ()),
                ("Pu Péo", ()),
                ("Brâu", ()),
                ("Ơ Đu", ("Ơ-đu",)),
                ("Rơ-măm", ("Rơ Măm",)),
            ],
            start=1,
        )
    ),
    canonical="label",
)

YES = frozenset(fold(v) for v in ("Có", "x", "1", "Yes", "Y", "Đúng", "True", "Rồi", "Đã"))
NO = frozenset(fold(v) for v in ("Không", "", "0", "No", "N", "Sai", "False", "Chưa", "K"))

#: Every list by key, for the standard and the blank workbook.
ALL: dict[str, CodeList] = {
    c.key: c
    for c in (
        CATEGORIES,
        SUPPORT_FORMS,
        SUPPORTER_TYPES,
        STATUSES,
        SOURCES,
        GENDERS,
        UNIT_LEVELS,
        COMMUNE_CLASSES,
        SCHEMES,
        ETHNIC_GROUPS,
    )
}
YESNO_LABELS = ("Có", "Không")
