"""The indicators of SPEC §4 on hand-computed examples.

Most cases call :func:`xl_nhandao.workbook.indicators.compute` directly with small lists of rows;
the end-to-end ones build a workbook with ``books.py`` and read ``Report.figures`` from
:func:`xl_nhandao.validate.validate_file` (which decides which rows count). Every
expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from books import Book, clean_book, write
from conftest import TODAY

from xl_nhandao.validate import Report, validate_file
from xl_nhandao.vn.periods import Period, parse_period
from xl_nhandao.vn.text import name_key
from xl_nhandao.workbook.indicators import INDICATORS, Targets, compute, percent

FORMS = ["TM", "HV", "NO", "XL", "PH", "SK", "ST", "BY", "YT", "HT", "NC", "K"]
CATEGORIES = ["HN", "CN", "KK", "KT", "DC", "TT", "BH", "TN", "MC", "NC", "PN", "HS", "K"]

#: Every code of SPEC §4, in the order of its table.
SPEC_CODES = [
    "dia_chi_co_ho_so",
    "dia_chi_moi",
    "dia_chi_dang_tro_giup",
    "dia_chi_duoc_tro_giup",
    "ty_le_duoc_tro_giup",
    "luot_tro_giup",
    "gia_tri_tro_giup",
    *[f"gia_tri_{f}" for f in FORMS],
    "gia_tri_chuong_trinh_khac",
    "dia_chi_inhandao",
    "dia_chi_qua_inhandao",
    "to_chuc_tham_gia",
    "ca_nhan_tham_gia",
    "nguoi_dung_dau_dang_ky",
    "ty_le_nguoi_dung_dau",
    *[f"doi_tuong_{c}" for c in CATEGORIES],
    "ty_le_chi_tieu_gia_tri",
    "dat_chi_tieu_dia_chi_moi",
]

ACTIVE, WAITING, STOPPED = "Đang trợ giúp", "Chờ trợ giúp", "Ngừng trợ giúp"
CAMPAIGN, FUND, OTHER = "Cuộc vận động", "Quỹ Hội", "Chương trình khác"
INDIVIDUAL, COMPANY, AGENCY = "Cá nhân", "Doanh nghiệp", "Cơ quan nhà nước"


# -- row builders (the keys documented in compute()'s docstring) -------------------------

def A(addr: str, dossier: date, status: str = ACTIVE, cat: str = "HN",
      upload: date | None = None) -> dict[str, object]:
    return {"_addr": addr, "ngay_lap_ho_so": dossier, "trang_thai": status, "doi_tuong": cat,
            "ngay_inhandao": upload}


def E(addr: str, day: date, value: int = 100_000, form: str = "TM", source: str = CAMPAIGN,
      via: bool = False) -> dict[str, object]:
    return {"_addr": addr, "ngay": day, "gia_tri": value, "hinh_thuc": form, "nguon": source,
            "qua_inhandao": via}


def R(name: str, day: date, kind: str = COMPANY, head: bool = False) -> dict[str, object]:
    return {"ten_key": name_key(name), "loai": kind, "nguoi_dung_dau": head, "ngay_dang_ky": day}


def P(label: str) -> Period:
    p = parse_period(label)
    assert p is not None
    return p


NO_TARGETS = Targets()


def figures(addresses=(), registrations=(), events=(), period: str = "2024",
            targets: Targets = NO_TARGETS) -> dict[str, object]:
    return compute(list(addresses), list(registrations), list(events), P(period), targets)


# -- the periods the edges below rely on ---------------------------------------------------

@pytest.mark.parametrize("label,start,end", [
    ("2024", date(2023, 11, 25), date(2024, 11, 24)),
    ("2025", date(2024, 11, 25), date(2025, 11, 24)),
    ("2024-H1", date(2023, 11, 25), date(2024, 5, 24)),
    ("2024-H2", date(2024, 5, 25), date(2024, 11, 24)),
    ("2024-Q1", date(2023, 11, 25), date(2024, 2, 24)),
    ("2024-Q2", date(2024, 2, 25), date(2024, 5, 24)),
    ("2024-Q3", date(2024, 5, 25), date(2024, 8, 24)),
    ("2024-Q4", date(2024, 8, 25), date(2024, 11, 24)),
])
def test_period_bounds(label: str, start: date, end: date) -> None:
    p = P(label)
    assert (p.start, p.end) == (start, end)


# -- key order and completeness ------------------------------------------------------------

def test_every_spec_code_in_catalogue_order() -> None:
    out = figures()
    assert len(FORMS) == 12 and len(CATEGORIES) == 13
    assert list(out) == [i.code for i in INDICATORS]
    assert list(out) == SPEC_CODES  # 7 + 12 + 7 + 13 + 2 = 41 codes, SPEC order
    assert len(out) == 41


def test_empty_register() -> None:
    out = figures(targets=Targets(heads=10, new_addresses=2, value=1_000_000))
    for code in SPEC_CODES:
        if code.startswith("ty_le_"):
            continue
        if code == "dat_chi_tieu_dia_chi_moi":
            continue
        assert out[code] == 0, code
    assert out["ty_le_duoc_tro_giup"] is None  # 0 / 0 addresses with a dossier → null
    assert out["ty_le_nguoi_dung_dau"] == 0.0  # 0 heads / 10 = 0.0 (a real 0, denominator given)
    assert out["ty_le_chi_tieu_gia_tri"] == 0.0  # 0 đ / 1,000,000 = 0.0
    assert out["dat_chi_tieu_dia_chi_moi"] is False  # 0 new ≥ 2 → False


# -- dossiers and the campaign-year edges --------------------------------------------------

def test_dossier_on_24_11_is_in_that_campaign_year() -> None:
    rows = [
        A("X1", date(2024, 11, 24)),  # last day of campaign year 2024
        A("X2", date(2024, 11, 25)),  # first day of campaign year 2025
    ]
    y2024 = figures(rows, period="2024")  # 25/11/2023–24/11/2024
    assert y2024["dia_chi_co_ho_so"] == 1  # X1 (24/11/2024 ≤ 24/11/2024); X2 25/11 > Đến ngày
    assert y2024["dia_chi_moi"] == 1  # X1 only
    y2025 = figures(rows, period="2025")  # 25/11/2024–24/11/2025
    assert y2025["dia_chi_co_ho_so"] == 2  # both ≤ 24/11/2025
    assert y2025["dia_chi_moi"] == 1  # X2 only: X1 24/11/2024 < Từ ngày 25/11/2024


def test_dossier_on_first_day_is_new_day_before_is_not() -> None:
    rows = [
        A("X1", date(2023, 11, 24)),  # one day before campaign year 2024
        A("X2", date(2023, 11, 25)),  # first day
        A("X3", date(2020, 1, 1)),  # long before
    ]
    out = figures(rows, period="2024")
    assert out["dia_chi_co_ho_so"] == 3  # all ≤ 24/11/2024 (cumulative)
    assert out["dia_chi_moi"] == 1  # X2 only


def test_half_year_end_24_05() -> None:
    rows = [A("X1", date(2024, 5, 24)), A("X2", date(2024, 5, 25))]
    h1 = figures(rows, period="2024-H1")  # 25/11/2023–24/05/2024
    assert h1["dia_chi_co_ho_so"] == 1  # X1
    assert h1["dia_chi_moi"] == 1  # X1
    h2 = figures(rows, period="2024-H2")  # 25/05/2024–24/11/2024
    assert h2["dia_chi_co_ho_so"] == 2  # X1, X2
    assert h2["dia_chi_moi"] == 1  # X2


def test_quarter_boundary_24_02_and_25_02() -> None:
    rows = [A("X1", date(2024, 2, 24)), A("X2", date(2024, 2, 25))]
    q1 = figures(rows, period="2024-Q1")  # 25/11/2023–24/02/2024
    assert (q1["dia_chi_co_ho_so"], q1["dia_chi_moi"]) == (1, 1)  # X1; X1
    q2 = figures(rows, period="2024-Q2")  # 25/02/2024–24/05/2024
    assert (q2["dia_chi_co_ho_so"], q2["dia_chi_moi"]) == (2, 1)  # X1+X2; X2


def test_events_on_period_edges() -> None:
    addresses = [A("X1", date(2023, 1, 1))]
    events = [
        E("X1", date(2024, 2, 24), 1),  # Q1 last day: outside Q2
        E("X1", date(2024, 2, 25), 10),  # Q2 first day
        E("X1", date(2024, 5, 24), 100),  # Q2 last day
        E("X1", date(2024, 5, 25), 1000),  # Q3 first day: outside Q2
    ]
    q2 = figures(addresses, events=events, period="2024-Q2")
    assert q2["luot_tro_giup"] == 2  # 25/02 and 24/05
    assert q2["gia_tri_tro_giup"] == 110  # 10 + 100
    assert q2["dia_chi_duoc_tro_giup"] == 1  # X1
    q1 = figures(addresses, events=events, period="2024-Q1")
    assert (q1["luot_tro_giup"], q1["gia_tri_tro_giup"]) == (1, 1)  # 24/02 only
    year = figures(addresses, events=events, period="2024")
    assert (year["luot_tro_giup"], year["gia_tri_tro_giup"]) == (4, 1111)  # 1+10+100+1000


def test_events_on_campaign_year_edges() -> None:
    addresses = [A("X1", date(2023, 1, 1))]
    events = [
        E("X1", date(2023, 11, 24), 1),  # day before 2024
        E("X1", date(2023, 11, 25), 20),  # first day of 2024
        E("X1", date(2024, 11, 24), 300),  # last day of 2024
        E("X1", date(2024, 11, 25), 4000),  # first day of 2025
    ]
    out = figures(addresses, events=events, period="2024")
    assert out["luot_tro_giup"] == 2  # 25/11/2023 and 24/11/2024
    assert out["gia_tri_tro_giup"] == 320  # 20 + 300
    assert out["gia_tri_TM"] == 320


def test_dia_chi_dang_tro_giup_only_with_dossier_by_den_ngay() -> None:
    rows = [
        A("X1", date(2024, 1, 10), ACTIVE),
        A("X2", date(2023, 3, 1), ACTIVE),  # before the period, still has a dossier
        A("X3", date(2024, 2, 1), WAITING),
        A("X4", date(2024, 3, 1), STOPPED),
        A("X5", date(2024, 6, 1), ACTIVE),  # dossier after Đến ngày of 2024-H1
    ]
    out = figures(rows, period="2024-H1")  # Đến ngày 24/05/2024
    assert out["dia_chi_co_ho_so"] == 4  # X1–X4
    assert out["dia_chi_dang_tro_giup"] == 2  # X1, X2 (X5 active but no dossier yet)
    assert out["dia_chi_moi"] == 3  # X1, X3, X4 (X2 before 25/11/2023)


def test_doi_tuong_by_main_category_only() -> None:
    rows = [
        A("X1", date(2024, 1, 1), cat="NC") | {"doi_tuong_khac": "KT;PN"},
        A("X2", date(2024, 1, 1), cat="NC"),
        A("X3", date(2024, 1, 1), cat="KK") | {"doi_tuong_khac": "NC"},
        A("X4", date(2024, 1, 1), cat="K"),
        A("X5", date(2025, 1, 1), cat="PN"),  # no dossier by 24/11/2024
    ]
    out = figures(rows, period="2024")
    assert out["doi_tuong_NC"] == 2  # X1, X2 (X3's other category NC not counted)
    assert out["doi_tuong_KK"] == 1  # X3
    assert out["doi_tuong_K"] == 1  # X4
    assert out["doi_tuong_KT"] == 0  # only as X1's other category
    assert out["doi_tuong_PN"] == 0  # X1's other category; X5 after Đến ngày
    assert sum(out[f"doi_tuong_{c}"] for c in CATEGORIES) == out["dia_chi_co_ho_so"] == 4


# -- events: distinct counting, values, forms, sources ------------------------------------

def test_two_events_one_address() -> None:
    addresses = [A("X1", date(2024, 1, 1)), A("X2", date(2024, 1, 1)), A("X3", date(2024, 1, 1))]
    events = [E("X1", date(2024, 2, 1), 500_000), E("X1", date(2024, 3, 1), 700_000)]
    out = figures(addresses, events=events, period="2024-H1")
    assert out["dia_chi_duoc_tro_giup"] == 1  # X1 once
    assert out["luot_tro_giup"] == 2  # two events
    assert out["gia_tri_tro_giup"] == 1_200_000  # 500,000 + 700,000
    assert out["ty_le_duoc_tro_giup"] == 33.3  # 1/3 × 100 = 33.33… → 33.3


def test_other_programme_kept_apart_fund_counts() -> None:
    addresses = [A("X1", date(2024, 1, 1)), A("X2", date(2024, 1, 1))]
    events = [
        E("X1", date(2024, 1, 5), 1_000_000, "TM", CAMPAIGN),
        E("X1", date(2024, 1, 6), 750_000, "HV", FUND),
        E("X2", date(2024, 1, 7), 15_000_000, "SK", OTHER),
        E("X2", date(2024, 1, 8), 3_000_000, "TM", OTHER),
    ]
    out = figures(addresses, events=events, period="2024-H1")
    assert out["gia_tri_tro_giup"] == 1_750_000  # 1,000,000 (CVĐ) + 750,000 (Quỹ Hội)
    assert out["gia_tri_chuong_trinh_khac"] == 18_000_000  # 15,000,000 + 3,000,000, never added
    assert out["gia_tri_TM"] == 1_000_000  # the 3,000,000 TM of another programme is not in it
    assert out["gia_tri_HV"] == 750_000  # Quỹ Hội counts
    assert out["gia_tri_SK"] == 0  # 15,000,000 SK is another programme's
    assert out["luot_tro_giup"] == 4  # every counted event, whatever its source
    assert out["dia_chi_duoc_tro_giup"] == 2  # X1, X2 (X2 supported by another programme)
    assert out["ty_le_duoc_tro_giup"] == 100.0  # 2/2


def test_value_per_form_sums_to_total() -> None:
    addresses = [A("X1", date(2024, 1, 1))]
    # form i gets 2**i đồng, so each sum is identifiable; plus one event of each form
    # from another programme (1,000,000) that must be in no gia_tri_<form>.
    events = [E("X1", date(2024, 1, 10), 2**i, f) for i, f in enumerate(FORMS)]
    events += [E("X1", date(2024, 1, 11), 1_000_000, f, OTHER) for f in FORMS]
    events.append(E("X1", date(2024, 1, 12), 4096, "TM", FUND))
    out = figures(addresses, events=events, period="2024")
    expected = {f: 2**i for i, f in enumerate(FORMS)}  # TM 1, HV 2, NO 4, … K 2048
    expected["TM"] += 4096  # Quỹ Hội: TM 1 + 4096 = 4097
    for f in FORMS:
        assert out[f"gia_tri_{f}"] == expected[f], f
    assert out["gia_tri_tro_giup"] == 4095 + 4096 == 8191  # 2**12 - 1 + 4096
    assert sum(out[f"gia_tri_{f}"] for f in FORMS) == out["gia_tri_tro_giup"]
    assert out["gia_tri_chuong_trinh_khac"] == 12_000_000  # 12 × 1,000,000
    assert out["luot_tro_giup"] == 25  # 12 + 12 + 1
    assert out["dia_chi_duoc_tro_giup"] == 1


def test_qua_inhandao_distinct_addresses() -> None:
    addresses = [A(f"X{i}", date(2024, 1, 1)) for i in range(1, 5)]
    events = [
        E("X1", date(2024, 2, 1), via=True),
        E("X1", date(2024, 3, 1), via=True),  # same address again: counts once
        E("X2", date(2024, 2, 1), via=False),
        E("X3", date(2024, 2, 1), via=False),
        E("X3", date(2024, 3, 1), via=True),  # one of X3's events went through iNHANDAO
        E("X4", date(2024, 6, 1), via=True),  # outside 2024-H1
    ]
    out = figures(addresses, events=events, period="2024-H1")
    assert out["dia_chi_qua_inhandao"] == 2  # X1, X3
    assert out["dia_chi_duoc_tro_giup"] == 3  # X1, X2, X3
    assert out["luot_tro_giup"] == 5  # all but X4's
    assert out["ty_le_duoc_tro_giup"] == 75.0  # 3/4


def test_dia_chi_inhandao_by_upload_date() -> None:
    rows = [
        A("X1", date(2023, 6, 1), upload=date(2023, 7, 1)),  # before the period: cumulative
        A("X2", date(2024, 1, 1), upload=date(2024, 5, 24)),  # last day of 2024-H1
        A("X3", date(2024, 1, 1), upload=date(2024, 5, 25)),  # one day after
        A("X4", date(2024, 1, 1)),  # never uploaded
    ]
    out = figures(rows, period="2024-H1")
    assert out["dia_chi_inhandao"] == 2  # X1, X2
    assert figures(rows, period="2024")["dia_chi_inhandao"] == 3  # X1, X2, X3


# -- supporters ---------------------------------------------------------------------------

def test_supporters_distinct_by_normalised_name() -> None:
    regs = [
        R("Công ty An Phát", date(2024, 1, 1), COMPANY),
        R("CÔNG TY  AN PHÁT", date(2024, 2, 1), COMPANY),  # same, other case and spacing
        R("Công ty An Phát", date(2024, 3, 1), AGENCY),  # same name, other organisation type
        R("UBND xã", date(2023, 1, 1), AGENCY),  # before the period: registrations are cumulative
        R("Nguyễn Thị Hoà", date(2024, 1, 1), INDIVIDUAL),  # old tone placement
        R("Nguyễn Thị Hòa", date(2024, 2, 1), INDIVIDUAL),  # new tone placement
        R("Nguyễn Thị Hóa", date(2024, 2, 1), INDIVIDUAL),  # a different name (acute)
        R("Trường THCS Cam Lâm", date(2024, 5, 25), "Trường học"),  # after Đến ngày of H1
        R("Lê Văn Tám", date(2024, 6, 1), INDIVIDUAL),  # after Đến ngày of H1
    ]
    out = figures(registrations=regs, period="2024-H1")
    assert name_key("Công ty An Phát") == name_key("CÔNG TY  AN PHÁT")
    assert name_key("Hoà") == name_key("Hòa") != name_key("Hóa")
    assert out["to_chuc_tham_gia"] == 2  # An Phát, UBND xã
    assert out["ca_nhan_tham_gia"] == 2  # Hoà/Hòa, Hóa
    year = figures(registrations=regs, period="2024")
    assert year["to_chuc_tham_gia"] == 3  # + Trường THCS Cam Lâm
    assert year["ca_nhan_tham_gia"] == 3  # + Lê Văn Tám


def test_heads_distinct_and_percentage() -> None:
    regs = [
        R("Ông Trần Văn Hùng", date(2024, 1, 1), AGENCY, head=True),
        R("ông trần văn hùng", date(2024, 3, 1), AGENCY, head=True),  # same head, second address
        R("Bà Lê Thị Thuỷ", date(2024, 2, 1), INDIVIDUAL, head=True),
        R("Bà Lê Thị Thủy", date(2024, 2, 2), INDIVIDUAL, head=True),  # same (tone placement)
        R("Công ty An Phát", date(2024, 2, 1), COMPANY, head=False),
        R("Ông Võ Văn Kiệt", date(2024, 6, 1), AGENCY, head=True),  # after 24/05/2024
    ]
    out = figures(registrations=regs, period="2024-H1", targets=Targets(heads=8))
    assert out["nguoi_dung_dau_dang_ky"] == 2  # Hùng, Thuỷ
    assert out["ty_le_nguoi_dung_dau"] == 25.0  # 2/8 × 100 = 25.0
    assert out["to_chuc_tham_gia"] == 2  # Hùng, An Phát
    assert out["ca_nhan_tham_gia"] == 1  # Thuỷ
    year = figures(registrations=regs, period="2024", targets=Targets(heads=8))
    assert year["nguoi_dung_dau_dang_ky"] == 3  # + Kiệt
    assert year["ty_le_nguoi_dung_dau"] == 37.5  # 3/8 × 100 = 37.5


# -- null percentages and targets -----------------------------------------------------------

def test_ty_le_duoc_tro_giup_null_without_dossier() -> None:
    # The only address has its dossier after Đến ngày: 0 addresses with a dossier.
    out = figures([A("X1", date(2024, 6, 1))], period="2024-H1")
    assert out["dia_chi_co_ho_so"] == 0
    assert out["ty_le_duoc_tro_giup"] is None  # not 0.0
    assert figures()["ty_le_duoc_tro_giup"] is None  # no address at all


def test_ty_le_duoc_tro_giup_zero_when_none_supported() -> None:
    out = figures([A("X1", date(2024, 1, 1))], period="2024-H1")
    assert out["ty_le_duoc_tro_giup"] == 0.0  # 0/1 → a real 0.0
    assert out["ty_le_duoc_tro_giup"] is not None


@pytest.mark.parametrize("heads", [None, 0])
def test_ty_le_nguoi_dung_dau_null_without_denominator(heads: int | None) -> None:
    regs = [R("Ông Trần Văn Hùng", date(2024, 1, 1), AGENCY, head=True)]
    out = figures(registrations=regs, targets=Targets(heads=heads))
    assert out["nguoi_dung_dau_dang_ky"] == 1
    assert out["ty_le_nguoi_dung_dau"] is None  # 1 / (missing or 0) → null


@pytest.mark.parametrize("value", [None, 0])
def test_ty_le_chi_tieu_gia_tri_null_without_target(value: int | None) -> None:
    out = figures([A("X1", date(2024, 1, 1))], events=[E("X1", date(2024, 1, 2), 5_000_000)],
                  targets=Targets(value=value))
    assert out["gia_tri_tro_giup"] == 5_000_000
    assert out["ty_le_chi_tieu_gia_tri"] is None


def test_ty_le_chi_tieu_gia_tri_excludes_other_programmes() -> None:
    events = [E("X1", date(2024, 1, 2), 1_000_000), E("X1", date(2024, 1, 3), 9_000_000, source=OTHER)]
    out = figures([A("X1", date(2024, 1, 1))], events=events, targets=Targets(value=16_000_000))
    assert out["ty_le_chi_tieu_gia_tri"] == 6.3  # 1,000,000 / 16,000,000 × 100 = 6.25 → 6.3 (half up)


@pytest.mark.parametrize("target,expected", [
    (None, None),  # no target → null
    (0, True),  # 2 ≥ 0
    (2, True),  # 2 ≥ 2
    (3, False),  # 2 < 3
])
def test_dat_chi_tieu_dia_chi_moi(target: int | None, expected: bool | None) -> None:
    rows = [A("X1", date(2024, 1, 1)), A("X2", date(2024, 11, 24)), A("X3", date(2023, 1, 1))]
    out = figures(rows, period="2024", targets=Targets(new_addresses=target))
    assert out["dia_chi_moi"] == 2  # X1, X2 (X3 before 25/11/2023)
    assert out["dat_chi_tieu_dia_chi_moi"] is expected


# -- rounding --------------------------------------------------------------------------------

@pytest.mark.parametrize("num,den,expected", [
    (2, 3, 66.7),  # 66.666… → 66.7
    (1, 3, 33.3),  # 33.333… → 33.3
    (1, 8, 12.5),  # 12.5 exactly
    (1, 16, 6.3),  # 6.25 → 6.3 half up (banker's rounding would give 6.2)
    (1, 80, 1.3),  # 1.25 → 1.3 half up
    (3, 16, 18.8),  # 18.75 → 18.8
    (7, 7, 100.0),
    (3, 2, 150.0),  # above 100 is kept
    (0, 5, 0.0),
])
def test_percent_one_decimal_half_up(num: int, den: int, expected: float) -> None:
    assert percent(num, den) == expected


def test_rounding_through_compute() -> None:
    addresses = [A("X1", date(2024, 1, 1)), A("X2", date(2024, 1, 1)), A("X3", date(2024, 1, 1))]
    events = [E("X1", date(2024, 1, 5), 1_000_000), E("X2", date(2024, 1, 5), 1_000_000)]
    regs = [R("Ông Trần Văn Hùng", date(2024, 1, 1), AGENCY, head=True)]
    out = figures(addresses, regs, events, targets=Targets(heads=16, value=16_000_000))
    assert out["ty_le_duoc_tro_giup"] == 66.7  # 2/3 × 100 = 66.666… → 66.7
    assert out["ty_le_nguoi_dung_dau"] == 6.3  # 1/16 × 100 = 6.25 → 6.3
    assert out["ty_le_chi_tieu_gia_tri"] == 12.5  # 2,000,000 / 16,000,000 × 100 = 12.5
    out8 = figures(addresses, regs, events, targets=Targets(heads=8))
    assert out8["ty_le_nguoi_dung_dau"] == 12.5  # 1/8 × 100 = 12.5


# -- end to end through validate_file --------------------------------------------------------

def _validate(book: Book, tmp_path: Path, today: date = TODAY, name: str = "book.xlsx") -> Report:
    report = validate_file(write(book, tmp_path / name), today=today)
    assert report.figures is not None
    return report


def test_clean_book_figures(tmp_path: Path) -> None:
    r = _validate(clean_book(), tmp_path)
    assert r.issues == []
    f = r.figures
    assert f is not None
    # Period 2024-H1 = 25/11/2023–24/05/2024. DiaChi: 0001 NC Đang, HS 01/12/2023, iNHANDAO
    # 05/01/2024; 0002 HN Đang, HS 15/02/2024; 0003 MC Chờ, HS 01/06/2023, iNHANDAO 01/07/2023.
    assert f["dia_chi_co_ho_so"] == 3  # all three ≤ 24/05/2024
    assert f["dia_chi_moi"] == 2  # 0001, 0002 (0003 June 2023)
    assert f["dia_chi_dang_tro_giup"] == 2  # 0001, 0002
    assert f["dia_chi_duoc_tro_giup"] == 2  # 0001 (20/12/2023), 0002 (10/03, 02/04/2024)
    assert f["ty_le_duoc_tro_giup"] == 66.7  # 2/3
    assert f["luot_tro_giup"] == 3
    assert f["gia_tri_tro_giup"] == 1_750_000  # 1,000,000 CVĐ + 750,000 Quỹ Hội
    assert f["gia_tri_TM"] == 1_000_000
    assert f["gia_tri_HV"] == 750_000
    assert f["gia_tri_SK"] == 0  # the 15,000,000 SK is Chương trình khác
    assert f["gia_tri_chuong_trinh_khac"] == 15_000_000
    assert f["dia_chi_inhandao"] == 2  # 0001, 0003
    assert f["dia_chi_qua_inhandao"] == 1  # only event 1 (0001) Qua iNHANDAO = Có
    assert f["to_chuc_tham_gia"] == 1  # Công ty TNHH An Phát
    assert f["ca_nhan_tham_gia"] == 1  # Ông Phạm Văn Dũng
    assert f["nguoi_dung_dau_dang_ky"] == 1  # Dũng
    assert f["ty_le_nguoi_dung_dau"] == 10.0  # 1/10
    assert (f["doi_tuong_NC"], f["doi_tuong_HN"], f["doi_tuong_MC"], f["doi_tuong_KT"]) == (1, 1, 1, 0)
    assert f["ty_le_chi_tieu_gia_tri"] == 1.8  # 1,750,000 / 100,000,000 × 100 = 1.75 → 1.8
    assert f["dat_chi_tieu_dia_chi_moi"] is False  # 2 new < 3 (Trung bình trở lên)
    assert list(f) == SPEC_CODES


def test_events_of_an_address_with_errors_are_not_counted(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 1, "Năm sinh", 19855)  # address 0002 now has an error (year-invalid)
    book.set("TroGiup", 1, "Qua iNHANDAO", "Có")  # so 0002 would count in dia_chi_qua_inhandao
    r = _validate(book, tmp_path)
    errors = [(i.code, i.sheet) for i in r.issues if i.severity == "error"]
    assert errors == [("year-invalid", "DiaChi")]
    assert sorted(i.row for i in r.issues if i.code == "address-has-errors") == [5, 6]  # events 2, 3
    assert all(rec.valid for rec in r.records("TroGiup"))  # the events themselves are valid
    f = r.figures
    assert f is not None
    # Counted: addresses 0001 (NC, Đang, HS 01/12/2023) and 0003 (MC, Chờ, HS 01/06/2023);
    # event 1 only (0001, 1,000,000 TM CVĐ, Qua iNHANDAO = Có).
    assert f["dia_chi_co_ho_so"] == 2  # 0001, 0003
    assert f["dia_chi_moi"] == 1  # 0001
    assert f["dia_chi_dang_tro_giup"] == 1  # 0001
    assert f["doi_tuong_HN"] == 0  # 0002 was the HN address
    assert f["luot_tro_giup"] == 1  # events 2 and 3 (on 0002) left out
    assert f["dia_chi_duoc_tro_giup"] == 1  # 0001
    assert f["ty_le_duoc_tro_giup"] == 50.0  # 1/2
    assert f["gia_tri_tro_giup"] == 1_000_000  # 750,000 Quỹ Hội on 0002 left out
    assert f["gia_tri_HV"] == 0
    assert f["gia_tri_chuong_trinh_khac"] == 0  # 15,000,000 on 0002 left out
    assert f["dia_chi_qua_inhandao"] == 1  # 0001; 0002's event (now Có) left out
    # The registration of Phạm Văn Dũng (Cá nhân, head) points at 0002 and still counts.
    assert f["ca_nhan_tham_gia"] == 1
    assert f["nguoi_dung_dau_dang_ky"] == 1
    assert f["ty_le_nguoi_dung_dau"] == 10.0  # 1/10
    assert f["to_chuc_tham_gia"] == 1  # An Phát
    assert f["ty_le_chi_tieu_gia_tri"] == 1.0  # 1,000,000 / 100,000,000 × 100


@pytest.mark.parametrize("commune_class,explicit,expected_target,met", [
    ("Khó khăn", None, 2, True),  # 2 new ≥ 2
    ("Trung bình trở lên", None, 3, False),  # 2 new < 3
    ("khó khăn", None, 2, True),  # matched case-insensitively
    ("Trung bình trở lên", 2, 2, True),  # an explicit target wins over the default 3
    ("Khó khăn", 0, 0, True),  # an explicit 0 is a target, not "missing"
    (None, None, None, None),  # no class, no target → null
])
def test_new_address_target_through_validate(tmp_path: Path, commune_class: str | None,
                                             explicit: int | None, expected_target: int | None,
                                             met: bool | None) -> None:
    book = clean_book()
    assert book.info is not None
    book.info.pop("Phân loại xã")
    if commune_class is not None:
        book.info["Phân loại xã"] = commune_class
    if explicit is not None:
        book.info["Chỉ tiêu địa chỉ mới"] = explicit
    r = _validate(book, tmp_path)
    assert [i.code for i in r.issues if i.severity == "error"] == []
    assert r.targets.new_addresses == expected_target
    assert r.figures is not None
    assert r.figures["dia_chi_moi"] == 2  # 0001 (01/12/2023), 0002 (15/02/2024)
    assert r.figures["dat_chi_tieu_dia_chi_moi"] is met


@pytest.mark.parametrize("heads", [None, 0])
def test_heads_percentage_null_through_validate(tmp_path: Path, heads: int | None) -> None:
    book = clean_book()
    assert book.info is not None
    book.info.pop("Số người đứng đầu")
    if heads is not None:
        book.info["Số người đứng đầu"] = heads
    book.info.pop("Chỉ tiêu giá trị vận động (đồng)")
    r = _validate(book, tmp_path)
    assert [i.code for i in r.issues if i.severity == "error"] == []
    f = r.figures
    assert f is not None
    assert f["nguoi_dung_dau_dang_ky"] == 1  # Dũng
    assert f["ty_le_nguoi_dung_dau"] is None  # 1 / (blank or 0) → null
    assert f["ty_le_chi_tieu_gia_tri"] is None  # no Chỉ tiêu giá trị → null
    assert f["gia_tri_tro_giup"] == 1_750_000


def _address_row(book: Book, code: str, name: str, dossier: object, upload: object = None,
                 cat: str = "HN", status: str = ACTIVE) -> list[object]:
    """A copy of the first DiaChi row as another person (no CCCD, so no duplicate)."""
    hdrs, rows = book.tables["DiaChi"]
    row = list(rows[0])
    for header, value in (("Mã địa chỉ", code), ("Họ và tên", name), ("Số CCCD", None),
                          ("Đối tượng", cat), ("Đối tượng khác", None), ("Ngày lập hồ sơ", dossier),
                          ("Ngày phê duyệt", None), ("Ngày cập nhật iNHANDAO", upload),
                          ("Trạng thái", status)):
        row[hdrs.index(header)] = value
    return row


def _event_row(book: Book, code: str, day: object, value: int, form: str = "TM",
               source: str = CAMPAIGN, via: str = "Không", voucher: str | None = None) -> list[object]:
    hdrs, rows = book.tables["TroGiup"]
    row = list(rows[0])
    for header, v in (("Ngày trợ giúp", day), ("Mã địa chỉ", code), ("Hình thức", form),
                      ("Giá trị (đồng)", value), ("Nguồn", source), ("Tên chương trình khác", None),
                      ("Qua iNHANDAO", via), ("Số chứng từ", voucher)):
        row[hdrs.index(header)] = v
    return row


def test_campaign_year_edges_through_validate(tmp_path: Path) -> None:
    book = clean_book()
    assert book.info is not None
    book.info["Kỳ báo cáo"] = "2024"  # 25/11/2023–24/11/2024
    book.info["Ngày lập báo cáo"] = date(2024, 11, 30)
    book.info.pop("Phân loại xã")
    c = "22333"
    book.tables["DiaChi"] = (book.tables["DiaChi"][0], [
        _address_row(book, f"{c}-0001", "Đinh Văn Một", date(2023, 6, 1), date(2024, 11, 24), "NC"),
        _address_row(book, f"{c}-0002", "Đinh Văn Hai", "24/11/2024", "25/11/2024", "KK"),
        _address_row(book, f"{c}-0003", "Đinh Văn Ba", date(2024, 11, 25), None, "NC"),
        _address_row(book, f"{c}-0004", "Đinh Văn Bốn", "25/11/2023", None, "PN", WAITING),
        _address_row(book, f"{c}-0005", "Đinh Văn Năm", "24/11/2023", None, "PN", STOPPED),
    ])
    book.tables["DangKy"] = (book.tables["DangKy"][0], [])
    book.tables["TroGiup"] = (book.tables["TroGiup"][0], [
        _event_row(book, f"{c}-0001", "24/11/2023", 1, "TM", voucher="V1"),  # day before: out
        _event_row(book, f"{c}-0001", "25/11/2023", 20, "HV", voucher="V2"),  # first day: in
        _event_row(book, f"{c}-0002", "24/11/2024", 300, "TM", via="Có", voucher="V3"),  # last day: in
        _event_row(book, f"{c}-0002", date(2024, 11, 25), 4000, "TM", via="Có", voucher="V4"),  # out
    ])
    r = _validate(book, tmp_path, today=date(2025, 1, 10))
    assert [i.code for i in r.issues] == []
    assert r.period is not None and (r.period.start, r.period.end) == (date(2023, 11, 25), date(2024, 11, 24))
    f = r.figures
    assert f is not None
    assert f["dia_chi_co_ho_so"] == 4  # 0001, 0002 (24/11/2024), 0004, 0005; not 0003 (25/11/2024)
    assert f["dia_chi_moi"] == 2  # 0002 (24/11/2024), 0004 (25/11/2023); 0005 is one day early
    assert f["dia_chi_dang_tro_giup"] == 2  # 0001, 0002 (0003 is Đang but has no dossier yet)
    assert f["dia_chi_inhandao"] == 1  # 0001 (24/11/2024); 0002 uploaded 25/11/2024
    assert f["luot_tro_giup"] == 2  # 25/11/2023 and 24/11/2024
    assert f["gia_tri_tro_giup"] == 320  # 20 + 300
    assert (f["gia_tri_TM"], f["gia_tri_HV"]) == (300, 20)
    assert f["dia_chi_duoc_tro_giup"] == 2  # 0001, 0002
    assert f["ty_le_duoc_tro_giup"] == 50.0  # 2/4
    assert f["dia_chi_qua_inhandao"] == 1  # 0002 (24/11/2024 Có); its 25/11 event is out
    assert (f["doi_tuong_NC"], f["doi_tuong_KK"], f["doi_tuong_PN"]) == (1, 1, 2)  # 0003 not counted
    assert f["dat_chi_tieu_dia_chi_moi"] is None  # no Phân loại xã, no Chỉ tiêu
    # The same workbook as campaign year 2025: 0003 is new there, 0002 no longer is.
    assert book.info is not None
    book.info["Kỳ báo cáo"] = "2025"
    book.info["Ngày lập báo cáo"] = date(2024, 12, 31)
    r25 = _validate(book, tmp_path, today=date(2025, 1, 10), name="book2025.xlsx")
    assert [i.code for i in r25.issues] == []
    f25 = r25.figures
    assert f25 is not None
    assert f25["dia_chi_co_ho_so"] == 5  # all ≤ 24/11/2025
    assert f25["dia_chi_moi"] == 1  # 0003 (25/11/2024)
    assert f25["dia_chi_inhandao"] == 2  # 0001, 0002
    assert (f25["luot_tro_giup"], f25["gia_tri_tro_giup"]) == (1, 4000)  # 25/11/2024 only


def test_supporter_names_normalised_through_validate(tmp_path: Path) -> None:
    book = clean_book()
    hdrs, _ = book.tables["DangKy"]
    c = "22333"

    def reg(name: str, kind: str, head: str, addr: str, day: object) -> list[object]:
        return [None, name, kind, head, addr, day, "TM", 1_000_000, None]

    book.tables["DangKy"] = (hdrs, [
        reg("Công ty An Phát", "Doanh nghiệp", "Không", f"{c}-0001", date(2023, 12, 5)),
        reg("CÔNG TY  AN PHÁT", "Doanh nghiệp", "Không", f"{c}-0002", date(2024, 1, 5)),
        reg("Nguyễn Thị Hoà", "Cá nhân", "Có", f"{c}-0001", "05/01/2024"),
        reg("Nguyễn Thị Hòa", "Cá nhân", "Có", f"{c}-0003", "06/01/2024"),
        reg("Trần Văn Sáu", "Cá nhân", "Có", f"{c}-0002", "24/05/2024"),  # last day of H1
        reg("Công ty Bình Minh", "Doanh nghiệp", "Có", f"{c}-0003", "25/05/2024"),  # after Đến ngày
    ])
    book.info["Ngày lập báo cáo"] = date(2024, 5, 30)  # type: ignore[index]
    r = _validate(book, tmp_path)
    assert [i.code for i in r.issues if i.severity == "error"] == []
    f = r.figures
    assert f is not None
    assert f["to_chuc_tham_gia"] == 1  # An Phát (twice); Bình Minh after 24/05/2024
    assert f["ca_nhan_tham_gia"] == 2  # Hoà/Hòa, Sáu
    assert f["nguoi_dung_dau_dang_ky"] == 2  # Hoà/Hòa, Sáu
    assert f["ty_le_nguoi_dung_dau"] == 20.0  # 2/10
