"""The standard workbook XLND-1, declared once (SPEC §3).

This declaration drives the blank-workbook generator (:mod:`xl_nhandao.generate`), the
reader (:mod:`xl_nhandao.reader`), the validator (:mod:`xl_nhandao.validate`) and the
reference page ``docs/standard.md`` (:mod:`xl_nhandao.docs`). Change the standard here
and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vn.text import fold, register_cache
from . import codes

VERSION = "XLND-1"

# Field kinds. Each has one parser in :mod:`xl_nhandao.reader`.
TEXT = "text"
YEAR = "year"
CODE = "code"  # one value of a code list
CODES = "codes"  # several codes separated by ';'
CCCD = "cccd"
COMMUNE = "commune"
DATE = "date"
INT = "int"
MONEY = "money"
YESNO = "yesno"
IGNORED = "ignored"
PERIOD = "period"
NUMBER = "number"
ADMIN_CODE = "admin_code"

DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Field:
    """One column of a register sheet (or one labelled cell of ThongTin)."""

    key: str
    header: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    codelist: str | None = None
    minimum: int | None = None
    width: float = 14
    input_message: str = ""
    #: For ADMIN_CODE: number of digits (2 province, 3 district, 5 commune).
    digits: int | None = None
    #: Written by a consolidation (where a merged row came from); not in blank workbooks.
    provenance: bool = False

    @property
    def codes(self) -> codes.CodeList | None:
        return codes.ALL[self.codelist] if self.codelist else None

    @property
    def number_format(self) -> str:
        if self.kind == DATE:
            return DATE_FORMAT
        if self.kind == MONEY:
            return MONEY_FORMAT
        if self.kind in (CCCD, COMMUNE, ADMIN_CODE):
            return "@"
        if self.kind in (YEAR, INT):
            return "0"
        return "General"

    @property
    def header_keys(self) -> frozenset[str]:
        keys = _FIELD_KEYS.get(self)
        if keys is None:
            keys = _FIELD_KEYS[self] = frozenset(_header_key(h) for h in (self.header, *self.aliases))
        return keys


_FIELD_KEYS: dict[Field, frozenset[str]] = {}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _header_key(text: str) -> str:
    """Headers compare on folded letters and digits only: ``Họ và\\ntên *`` ≈
    ``HO VA TEN`` ≈ ``họ và tên``."""
    key = _HEADER_KEYS.get(text)
    if key is None:
        key = _NON_ALNUM.sub("", fold(text))
        if len(_HEADER_KEYS) < 65536:
            _HEADER_KEYS[text] = key
    return key


_HEADER_KEYS: dict[str, str] = {}
register_cache(_HEADER_KEYS.clear)


def header_key(text: object) -> str:
    return _header_key(text) if isinstance(text, str) else ""


@dataclass(frozen=True)
class Sheet:
    """A sheet of the standard: its name, title, fields and the names clerks give it."""

    name: str
    title: str
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def header_lookup(self) -> dict[str, Field]:
        """Normalised header (or label) and alias → field; built once per sheet."""
        out = _LOOKUPS.get(self.name)
        if out is None:
            out = _LOOKUPS[self.name] = {}
            for f in self.fields:
                for k in f.header_keys:
                    out.setdefault(k, f)
        return out


_LOOKUPS: dict[str, dict[str, Field]] = {}


@dataclass(frozen=True)
class TableSheet(Sheet):
    """A register sheet: a header row, then one record per row."""

    #: The column a record always fills: a row without it may be a total row.
    key_field: str = ""

    @property
    def clerk_fields(self) -> tuple[Field, ...]:
        """The columns of the blank workbook (without consolidation provenance)."""
        return tuple(f for f in self.fields if not f.provenance)


@dataclass(frozen=True)
class InfoSheet(Sheet):
    """ThongTin: a label in column A, its value in column B."""


_YN = "Có hoặc Không (có thể ghi x hoặc để trống)."

#: Columns a consolidation adds to every merged row, so that its output is itself a
#: valid input one level up and every figure stays traceable to its row.
PROVENANCE: tuple[Field, ...] = (
    Field("nguon_don_vi", "Đơn vị nguồn", TEXT, width=10, provenance=True,
          input_message="Mã đơn vị đã nộp dòng này."),
    Field("nguon_tep", "Tệp nguồn", TEXT, width=28, provenance=True),
    Field("nguon_trang", "Trang nguồn", TEXT, width=10, provenance=True),
    Field("nguon_dong", "Dòng nguồn", INT, width=8, provenance=True, minimum=1),
)

THONG_TIN = InfoSheet(
    "ThongTin",
    "THÔNG TIN ĐƠN VỊ VÀ KỲ BÁO CÁO",
    (
        Field("phien_ban", "Phiên bản mẫu", TEXT, input_message="Không sửa ô này."),
        Field("ten_tinh", "Tỉnh/Thành phố", TEXT, aliases=("Tỉnh", "Tên tỉnh", "Thành phố")),
        Field("ma_tinh", "Mã tỉnh", ADMIN_CODE, required=True, digits=2,
              input_message="Mã tỉnh 2 chữ số theo danh mục đơn vị hành chính."),
        Field("ten_huyen", "Huyện", TEXT, aliases=("Huyện/Quận", "Tên huyện", "Quận/Huyện")),
        Field("ma_huyen", "Mã huyện", ADMIN_CODE, digits=3,
              input_message="Chỉ dùng cho số liệu cũ (hệ 2004); từ 01/7/2025 để trống."),
        Field("ten_xa", "Xã/Phường", TEXT, aliases=("Xã", "Phường", "Tên xã", "Xã/Phường/Thị trấn")),
        Field("ma_xa", "Mã xã", ADMIN_CODE, digits=5,
              input_message="Mã xã 5 chữ số; để trống nếu đơn vị cấp huyện/tỉnh."),
        Field("ten_don_vi", "Tên đơn vị", TEXT, aliases=("Đơn vị", "Tên trường", "Tên cơ quan"),
              input_message="Chỉ cho Trường/Cơ quan: tên đơn vị."),
        Field("ma_don_vi", "Mã đơn vị", TEXT,
              input_message="Chỉ cho Trường/Cơ quan: mã do Hội cấp trên đặt."),
        Field("he_ma", "Hệ mã đơn vị hành chính", CODE, codelist="he_ma", aliases=("Hệ mã",),
              input_message="2025 (34 tỉnh, từ 01/7/2025) hoặc 2004 (63 tỉnh, số liệu cũ)."),
        Field("cap_don_vi", "Cấp đơn vị", CODE, required=True, codelist="cap_don_vi",
              input_message="Xã, Huyện, Tỉnh, Trường hoặc Cơ quan."),
        Field("phan_loai_xa", "Phân loại xã", CODE, codelist="phan_loai_xa",
              input_message="Khó khăn (chỉ tiêu 2 địa chỉ mới) hoặc Trung bình trở lên (3)."),
        Field("ky_bao_cao", "Kỳ báo cáo", PERIOD, required=True, aliases=("Kỳ",),
              input_message="2024 (cả năm), 2024-H1 (6 tháng) hoặc 2024-Q1…Q4. Năm tính từ 25/11 năm trước đến 24/11."),
        Field("tu_ngay", "Từ ngày", DATE, input_message="Để trống: lấy theo Kỳ báo cáo."),
        Field("den_ngay", "Đến ngày", DATE, input_message="Để trống: lấy theo Kỳ báo cáo."),
        Field("ngay_lap", "Ngày lập báo cáo", DATE, aliases=("Ngày báo cáo", "Ngày lập"),
              input_message="Ngày ký báo cáo (dùng để tính đúng hạn)."),
        Field("nguoi_lap", "Người lập", TEXT),
        Field("dien_thoai", "Điện thoại", TEXT, aliases=("Số điện thoại", "ĐT")),
        Field("so_nguoi_dung_dau", "Số người đứng đầu", INT, minimum=0,
              aliases=("Số người đứng đầu cơ quan, tổ chức",),
              input_message="Số người đứng đầu cơ quan, tổ chức trên địa bàn (mẫu số của chỉ tiêu 30%)."),
        Field("chi_tieu_dia_chi_moi", "Chỉ tiêu địa chỉ mới", INT, minimum=0,
              input_message="Để trống: 2 (xã khó khăn) hoặc 3 (trung bình trở lên)."),
        Field("chi_tieu_gia_tri", "Chỉ tiêu giá trị vận động (đồng)", MONEY,
              aliases=("Chỉ tiêu giá trị vận động", "Chỉ tiêu vận động"),
              input_message="Chỉ tiêu vận động cả năm, bằng đồng."),
    ),
    aliases=("Thông tin", "Thong tin", "TT", "Info"),
)

DIA_CHI = TableSheet(
    "DiaChi",
    "SỔ ĐỊA CHỈ NHÂN ĐẠO",
    (
        Field("stt", "STT", IGNORED, aliases=("TT", "Số TT", "Số thứ tự"), width=6),
        Field("ma_dia_chi", "Mã địa chỉ", TEXT, required=True, aliases=("Mã ĐCNĐ", "Mã", "Mã địa chỉ nhân đạo"),
              width=14, input_message="Mã riêng của địa chỉ, gợi ý <Mã xã>-<4 số>, ví dụ 22453-0001."),
        Field("ho_ten", "Họ và tên", TEXT, required=True,
              aliases=("Họ tên", "Họ và tên chủ hộ", "Họ tên chủ hộ", "Tên", "Họ và tên người được trợ giúp"),
              width=24, input_message="Họ tên người hoặc chủ hộ có hoàn cảnh khó khăn."),
        Field("nam_sinh", "Năm sinh", YEAR, required=True, aliases=("Ngày sinh", "Ngày tháng năm sinh", "NS"),
              width=9, input_message="Năm sinh 4 chữ số (có thể ghi ngày sinh đầy đủ)."),
        Field("gioi_tinh", "Giới tính", CODE, required=True, codelist="gioi_tinh", aliases=("Nam/Nữ", "Giới"),
              width=9, input_message="Nam hoặc Nữ."),
        Field("dan_toc", "Dân tộc", CODE, codelist="dan_toc", width=11),
        Field("cccd", "Số CCCD", CCCD, aliases=("CCCD", "CMND/CCCD", "Số căn cước", "Số định danh cá nhân",
                                                 "Số CMND/CCCD", "Căn cước công dân", "Số căn cước công dân"),
              width=16, input_message="12 chữ số. Cột định dạng Văn bản để giữ số 0 đầu."),
        Field("thon", "Thôn/Tổ dân phố", TEXT, required=True,
              aliases=("Thôn", "Tổ dân phố", "Thôn/Tổ", "Thôn/Ấp", "Ấp", "Khu phố", "Thôn, tổ dân phố", "Địa chỉ"),
              width=16),
        Field("ma_xa", "Mã xã", COMMUNE, required=True, aliases=("Mã xã/phường", "Mã đơn vị hành chính"),
              width=9, input_message="Mã xã 5 chữ số của nơi ở."),
        Field("doi_tuong", "Đối tượng", CODE, required=True, codelist="doi_tuong",
              aliases=("Đối tượng chính", "Loại đối tượng", "Diện"), width=20,
              input_message="Đối tượng chính (chọn trong danh sách)."),
        Field("doi_tuong_khac", "Đối tượng khác", CODES, codelist="doi_tuong",
              aliases=("Đối tượng kèm theo",), width=12,
              input_message="Các mã đối tượng khác, cách nhau bằng dấu ; (ví dụ: KT;NC)."),
        Field("hoan_canh", "Hoàn cảnh", TEXT, required=True, aliases=("Hoàn cảnh gia đình", "Hoàn cảnh khó khăn"),
              width=30),
        Field("nhu_cau", "Nhu cầu trợ giúp", TEXT, aliases=("Nhu cầu", "Nhu cầu cần trợ giúp"), width=24),
        Field("ngay_lap_ho_so", "Ngày lập hồ sơ", DATE, required=True, aliases=("Ngày lập HS", "Ngày hồ sơ"),
              width=12, input_message="Ngày/tháng/năm, ví dụ 05/03/2024."),
        Field("ngay_phe_duyet", "Ngày phê duyệt", DATE, aliases=("Ngày duyệt",), width=12,
              input_message="Không trước Ngày lập hồ sơ."),
        Field("ngay_inhandao", "Ngày cập nhật iNHANDAO", DATE,
              aliases=("Ngày cập nhật lên iNHANDAO", "Ngày đưa lên iNHANDAO", "iNHANDAO", "Ngày cập nhật"),
              width=14, input_message="Ngày đưa địa chỉ lên hệ thống iNHANDAO."),
        Field("uu_tien", "Thứ tự ưu tiên", INT, minimum=1, aliases=("Ưu tiên", "TT ưu tiên"), width=9),
        Field("chuong_trinh_khac", "Hưởng chương trình khác", TEXT,
              aliases=("Chương trình khác", "Đang hưởng chương trình khác"), width=20,
              input_message="Các chương trình khác người này đang hưởng (để tránh trùng lặp)."),
        Field("trang_thai", "Trạng thái", CODE, required=True, codelist="trang_thai", width=15),
        Field("ghi_chu", "Ghi chú", TEXT, width=20),
        *PROVENANCE,
    ),
    aliases=("Dia chi", "Địa chỉ", "Địa chỉ nhân đạo", "DC", "DCND"),
    key_field="ma_dia_chi",
)

DANG_KY = TableSheet(
    "DangKy",
    "DANH SÁCH TỔ CHỨC, CÁ NHÂN ĐĂNG KÝ TRỢ GIÚP",
    (
        Field("stt", "STT", IGNORED, aliases=("TT", "Số TT"), width=6),
        Field("ten", "Tên tổ chức/cá nhân", TEXT, required=True,
              aliases=("Tổ chức/cá nhân", "Tên tổ chức, cá nhân", "Tên đơn vị/cá nhân", "Tên"), width=28),
        Field("loai", "Loại", CODE, required=True, codelist="loai",
              aliases=("Loại tổ chức/cá nhân", "Loại hình"), width=18),
        Field("nguoi_dung_dau", "Người đứng đầu", YESNO, aliases=("Là người đứng đầu",), width=10,
              input_message=_YN),
        Field("ma_dia_chi", "Mã địa chỉ", TEXT, required=True, aliases=("Mã ĐCNĐ",), width=14,
              input_message="Mã địa chỉ trên trang DiaChi."),
        Field("ngay_dang_ky", "Ngày đăng ký", DATE, required=True, width=12),
        Field("hinh_thuc", "Hình thức cam kết", CODE, codelist="hinh_thuc",
              aliases=("Hình thức", "Hình thức trợ giúp"), width=18),
        Field("gia_tri_cam_ket", "Giá trị cam kết (đồng/năm)", MONEY,
              aliases=("Giá trị cam kết", "Số tiền cam kết"), width=14),
        Field("ghi_chu", "Ghi chú", TEXT, width=20),
        *PROVENANCE,
    ),
    aliases=("Dang ky", "Đăng ký", "DK"),
    key_field="ten",
)

TRO_GIUP = TableSheet(
    "TroGiup",
    "SỔ THEO DÕI TRỢ GIÚP",
    (
        Field("stt", "STT", IGNORED, aliases=("TT", "Số TT"), width=6),
        Field("ngay", "Ngày trợ giúp", DATE, required=True, aliases=("Ngày", "Ngày hỗ trợ", "Thời gian"),
              width=12),
        Field("ma_dia_chi", "Mã địa chỉ", TEXT, required=True, aliases=("Mã ĐCNĐ",), width=14),
        Field("nguoi_tro_giup", "Tổ chức/cá nhân trợ giúp", TEXT, required=True,
              aliases=("Tổ chức, cá nhân trợ giúp", "Người trợ giúp", "Đơn vị trợ giúp", "Nhà tài trợ"), width=26),
        Field("hinh_thuc", "Hình thức", CODE, required=True, codelist="hinh_thuc",
              aliases=("Hình thức trợ giúp",), width=18),
        Field("noi_dung", "Nội dung", TEXT, aliases=("Nội dung trợ giúp",), width=26),
        Field("gia_tri", "Giá trị (đồng)", MONEY, required=True, minimum=1,
              aliases=("Giá trị", "Thành tiền", "Số tiền", "Giá trị quy đổi"), width=14,
              input_message="Bằng đồng; hiện vật ghi giá trị quy đổi."),
        Field("nguon", "Nguồn", CODE, required=True, codelist="nguon", aliases=("Nguồn kinh phí",), width=18),
        Field("ten_chuong_trinh", "Tên chương trình khác", TEXT, aliases=("Tên chương trình",), width=20,
              input_message="Bắt buộc khi Nguồn là Chương trình khác."),
        Field("qua_inhandao", "Qua iNHANDAO", YESNO, aliases=("Qua hệ thống iNHANDAO",), width=10,
              input_message=_YN),
        Field("so_chung_tu", "Số chứng từ", TEXT, aliases=("Chứng từ", "Số phiếu"), width=12),
        Field("ghi_chu", "Ghi chú", TEXT, width=20),
        *PROVENANCE,
    ),
    aliases=("Tro giup", "Trợ giúp", "TG"),
    key_field="ma_dia_chi",
)

SO_LIEU = TableSheet(
    "SoLieu",
    "BẢNG SỐ LIỆU CHỈ SỐ",
    (
        Field("ma_chi_so", "Mã chỉ số", TEXT, required=True, aliases=("Mã",), width=28),
        Field("chi_so", "Chỉ số", TEXT, aliases=("Tên chỉ số", "Nội dung"), width=60),
        Field("gia_tri", "Giá trị", NUMBER, aliases=("Số liệu", "Kết quả"), width=16),
    ),
    aliases=("So lieu", "Số liệu", "Bảng số liệu"),
    key_field="ma_chi_so",
)

#: The register sheets, in workbook order.
TABLES: tuple[TableSheet, ...] = (DIA_CHI, DANG_KY, TRO_GIUP)
SHEETS = (THONG_TIN, DIA_CHI, DANG_KY, TRO_GIUP, SO_LIEU)
CODE_SHEET = "DanhMuc"
GUIDE_SHEET = "HuongDan"


def sheet_key(name: str) -> str:
    return _header_key(name)


def find_sheet(names: list[str], sheet: TableSheet | InfoSheet) -> str | None:
    """The workbook's sheet that plays the role of ``sheet`` (exact name first, then
    tolerant: case, diacritics, spaces, known aliases)."""
    if sheet.name in names:
        return sheet.name
    wanted = {sheet_key(sheet.name), *(sheet_key(a) for a in sheet.aliases)}
    for n in names:
        if sheet_key(n) in wanted:
            return n
    return None
