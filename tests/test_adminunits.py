"""Tests for xl_nhandao.vn.adminunits and its generated data file."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from xl_nhandao.vn import adminunits as au

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "xl_nhandao" / "vn" / "data" / "adminunits.json"
BUILD_SCRIPT = ROOT / "scripts" / "build_adminunits.py"


# --------------------------------------------------------------------------- data file


def _load_build_module():
    spec = importlib.util.spec_from_file_location("build_adminunits", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


requires_package = pytest.mark.skipif(
    importlib.util.find_spec("vietnamadminunits") is None,
    reason="vietnamadminunits is not installed, so the committed json cannot be rebuilt "
    "(pip install vietnamadminunits==1.0.4)",
)


@requires_package
def test_committed_json_is_current_and_build_is_deterministic():
    build = _load_build_module().build
    first = build()
    assert first == build(), "two builds differ: the build is not deterministic"
    assert first == DATA.read_bytes(), (
        "xl_nhandao/vn/data/adminunits.json is stale: run python scripts/build_adminunits.py"
    )


def test_json_layout():
    payload = DATA.read_bytes()
    text = payload.decode("utf-8")
    assert text.endswith("}\n") and text.count("\n") == 1, "expected one compact line"
    assert "\\u" not in text, "expected ensure_ascii=False"
    doc = json.loads(text)
    assert json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" == text
    assert doc["source"] == {
        "package": "vietnamadminunits",
        "version": doc["source"]["version"],
        "license": "MIT",
        "url": "https://pypi.org/project/vietnamadminunits/",
    }
    names = [row[1] for scheme in ("2025", "2004") for rows in doc[scheme].values() for row in rows]
    assert all(unicodedata.normalize("NFC", name) == name for name in names)
    assert all(name == " ".join(name.split()) for name in names)


def test_import_does_not_load_data():
    code = (
        "import xl_nhandao.vn.adminunits as m;"
        "assert m._raw.cache_info().currsize == 0;"
        "assert m.lookup('01') is not None;"
        "assert m._raw.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --------------------------------------------------------------------------- counts


def test_counts_2025():
    assert len(au.provinces("2025")) == 34
    assert sum(len(au.communes_of(p.code, "2025")) for p in au.provinces("2025")) == 3321
    kinds = {u.kind for p in au.provinces("2025") for u in au.children(p.code, "2025")}
    assert kinds == {"Phường", "Xã", "Đặc khu"}


def test_counts_2004():
    provinces = au.provinces("2004")
    assert len(provinces) == 63
    districts = [d for p in provinces for d in au.children(p.code, "2004")]
    assert len(districts) == 696
    communes = [c for p in provinces for c in au.communes_of(p.code, "2004")]
    assert len(communes) == 10035
    assert {d.kind for d in districts} == {"Quận", "Huyện", "Thị xã", "Thành phố"}
    assert {c.kind for c in communes} == {"Phường", "Xã", "Thị trấn"}
    # Island districts without communes are kept as districts.
    assert au.children("755", "2004") == []
    assert au.lookup("755", "2004").name == "Huyện Côn Đảo"


# --------------------------------------------------------------------------- lookup


def test_lookup_2025():
    unit = au.lookup("22333")
    assert unit == au.AdminUnit(
        code="22333",
        name="Phường Bắc Nha Trang",
        level="Xã",
        scheme="2025",
        kind="Phường",
        province_code="56",
        district_code=None,
    )
    assert unit.short_name == "Bắc Nha Trang"
    province = au.lookup("56")
    assert (province.name, province.kind, province.short_name) == (
        "Tỉnh Khánh Hòa",
        "Tỉnh",
        "Khánh Hòa",
    )
    assert province.province_code == "56" and province.district_code is None
    assert au.lookup("01").name == "Thành phố Hà Nội"
    assert au.lookup("01").kind == "Thành phố"


def test_lookup_2004():
    assert au.lookup("01", "2004").name == "Thành phố Hà Nội"
    district = au.lookup("001", "2004")
    assert (district.name, district.level, district.kind) == ("Quận Ba Đình", "Huyện", "Quận")
    assert (district.province_code, district.district_code) == ("01", "001")
    commune = au.lookup("00001", "2004")
    assert commune == au.AdminUnit("00001", "Phường Phúc Xá", "Xã", "2004", "Phường", "01", "001")
    # The same digits name another commune in the other scheme.
    assert au.lookup("22333", "2004").name == "Phường Vĩnh Phước"
    # Kind from the name where the package's type column disagrees.
    assert au.lookup("27046", "2004").kind == "Phường"
    assert au.lookup("10543", "2025").kind == "Phường"


def test_lookup_misses():
    assert au.lookup("001") is None  # no districts in 2025
    assert au.lookup("99") is None
    assert au.lookup("4") is None  # length decides the level when none is given
    assert au.lookup("") is None
    assert au.lookup("0a") is None
    assert au.lookup("1234") is None
    with pytest.raises(ValueError):
        au.lookup("01", "2019")
    with pytest.raises(ValueError):
        au.lookup("01", level="province")


def test_lookup_with_level_pads_codes():
    assert au.lookup("4", level="Tỉnh").name == "Tỉnh Cao Bằng"
    assert au.lookup(1, "2004", level="Huyện").name == "Quận Ba Đình"
    assert au.lookup(1, "2004", level="Xã").name == "Phường Phúc Xá"
    assert au.lookup(22333.0, level="Xã").name == "Phường Bắc Nha Trang"
    assert au.lookup("4", level="Huyện") is None


@pytest.mark.parametrize(
    ("value", "level", "expected"),
    [
        ("4", "Tỉnh", "04"),
        (4, "Tỉnh", "04"),
        (4.0, "Tỉnh", "04"),
        (" 79 ", "Tỉnh", "79"),
        ("001", "Tỉnh", "01"),
        ("1", "Huyện", "001"),
        (1, "Xã", "00001"),
        ("22333", "Xã", "22333"),
        ("000022333", "Xã", "22333"),
        ("123", "Tỉnh", None),
        ("", "Tỉnh", None),
        ("0x1", "Tỉnh", None),
        ("٤", "Tỉnh", None),  # non-ASCII digit
        ("4.5", "Tỉnh", None),
        (4.5, "Tỉnh", None),
        (-4, "Tỉnh", None),
        (True, "Tỉnh", None),
        (None, "Xã", None),
    ],
)
def test_normalize_code(value, level, expected):
    assert au.normalize_code(value, level) == expected


def test_normalize_code_rejects_unknown_level():
    with pytest.raises(ValueError):
        au.normalize_code("01", "Huyen")


# --------------------------------------------------------------------------- hierarchy


def test_children_and_communes_of():
    hanoi_districts = au.children("01", "2004")
    assert len(hanoi_districts) == 30
    assert hanoi_districts[0].name == "Quận Ba Đình"
    assert [u.code for u in hanoi_districts] == sorted(u.code for u in hanoi_districts)
    ba_dinh = au.children("001", "2004")
    assert len(ba_dinh) == 13  # Nguyễn Trung Trực merged into Trúc Bạch in 2019
    assert ba_dinh[0].name == "Phường Phúc Xá"
    assert all(u.district_code == "001" and u.province_code == "01" for u in ba_dinh)
    assert au.communes_of("001", "2004") == ba_dinh
    hanoi_communes_2004 = au.communes_of("01", "2004")
    assert len(hanoi_communes_2004) == sum(
        len(au.children(d.code, "2004")) for d in hanoi_districts
    )
    hanoi_2025 = au.children("01", "2025")
    assert len(hanoi_2025) == 126
    assert au.communes_of("01", "2025") == hanoi_2025
    khanh_hoa = [u.code for u in au.children("56", "2025")]
    assert "22333" in khanh_hoa and len(khanh_hoa) == 65
    assert au.children("22333", "2025") == []
    assert au.children("99", "2025") == []
    assert au.communes_of("00001", "2004") == []
    # The returned lists are copies.
    au.children("01", "2025").clear()
    assert len(au.children("01", "2025")) == 126


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "query",
    [
        "Bắc Nha Trang",
        "Phường Bắc Nha Trang",
        "phường bắc nha trang",
        "PHUONG BAC NHA TRANG",
        "P. Bắc Nha Trang",
        "P.Bac Nha Trang",
        "  Bắc   Nha-Trang ",
        unicodedata.normalize("NFD", "Phường Bắc Nha Trang"),
    ],
)
def test_find_by_name_commune_2025(query):
    assert [u.code for u in au.find_by_name(query, "2025", "Xã")] == ["22333"]
    assert [u.code for u in au.find_by_name(query, "2025", "Xã", "56")] == ["22333"]
    assert au.find_by_name(query, "2025", "Xã", "01") == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Khánh Hòa", "56"),
        ("Tỉnh Khánh Hoà", "56"),  # old-style tone placement
        ("khanh hoa", "56"),
        ("Hà Nội", "01"),
        ("TP. Hà Nội", "01"),
        ("TP Hồ Chí Minh", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("Tinh Ha Noi", "01"),  # wrong prefix still matches
    ],
)
def test_find_by_name_province_2025(query, code):
    assert [u.code for u in au.find_by_name(query, "2025", "Tỉnh")] == [code]


def test_find_by_name_2004():
    assert [u.code for u in au.find_by_name("Quận Ba Đình", "2004", "Huyện")] == ["001"]
    assert [u.code for u in au.find_by_name("Ba Đình", "2004", "Huyện", "01")] == ["001"]
    assert [u.code for u in au.find_by_name("Phúc Xá", "2004", "Xã", "001")] == ["00001"]
    assert [u.code for u in au.find_by_name("phuc xa", "2004", "Xã", "01")] == ["00001"]
    assert [u.code for u in au.find_by_name("Q1", "2004", "Huyện", "79")] == ["760"]
    assert [u.code for u in au.find_by_name("Bà Rịa-Vũng Tàu", "2004", "Tỉnh")] == ["77"]
    # Numbered wards: leading zeros and abbreviations.
    for query in ("Phường 5", "Phường 05", "P.5", "P5", "F5", "5"):
        assert [u.code for u in au.find_by_name(query, "2004", "Xã", "768")] == ["27046"], query
    # Several communes share a name across the country.
    vinh_phuc = au.find_by_name("Vĩnh Phúc", "2004", "Xã")
    assert {u.code for u in vinh_phuc} == {"00006", "01213", "15364"}


def test_find_by_name_ranking():
    # Same folded name: the exact diacritics come first.
    thieu = au.find_by_name("Thiệu Hóa", "2004", "Xã", "398")
    assert [u.name for u in thieu] == ["Thị trấn Thiệu Hóa", "Xã Thiệu Hòa"]
    thieu = au.find_by_name("Thiệu Hòa", "2004", "Xã", "398")
    assert [u.name for u in thieu] == ["Xã Thiệu Hòa", "Thị trấn Thiệu Hóa"]
    # A type prefix selects the kind.
    assert [u.name for u in au.find_by_name("TT Thieu Hoa", "2004", "Xã", "398")] == [
        "Thị trấn Thiệu Hóa"
    ]
    assert [u.name for u in au.find_by_name("xa thieu hoa", "2004", "Xã", "398")] == [
        "Xã Thiệu Hòa"
    ]
    # A name that starts like a prefix ("Quán" ~ "Quận") is not cut.
    assert [u.code for u in au.find_by_name("Quán Thánh", "2004", "Xã")] == ["00013"]
    assert [u.code for u in au.find_by_name("Quan Thanh", "2004", "Xã", "01")] == ["00013"]
    # A wrong prefix is tolerated when nothing else matches.
    assert [u.code for u in au.find_by_name("Huyện Ba Đình", "2004", "Huyện")] == ["001"]


def test_find_by_name_no_match():
    assert au.find_by_name("", "2025", "Xã") == []
    assert au.find_by_name("Phường", "2025", "Xã") == []
    assert au.find_by_name("Atlantis", "2025", "Tỉnh") == []
    assert au.find_by_name("Ba Đình", "2025", "Huyện") == []  # no districts in 2025
    with pytest.raises(ValueError):
        au.find_by_name("Ba Đình", "2025", "Phường")


def test_fold():
    assert au._fold("  Đặc  KHU  Côn Đảo ") == "dac khu con dao"
    assert au._fold(unicodedata.normalize("NFD", "Thuỷ")) == au._fold("Thủy") == "thuy"


# --------------------------------------------------------------------------- 2004 -> 2025


def test_map_to_2025_whole_communes():
    # converter_2025.json: phuonghongha <- thanhphohanoi_quanbadinh_phuongphucxa, ...
    assert au.map_to_2025("00001") == [("00097", True)]
    assert au.lookup("00097").name == "Phường Hồng Hà"
    # phuongbacnhatrang <- phuongvinhhoa, phuongvinhhai, phuongvinhphuoc, phuongvinhtho,
    # xavinhluong, xavinhphuong (Thành phố Nha Trang)
    for old in ("22327", "22330", "22333", "22339", "22384", "22387"):
        assert au.map_to_2025(old) == [("22333", True)], old
    # Across provinces: Phường 1, Thành phố Vũng Tàu -> Phường Vũng Tàu, TP Hồ Chí Minh.
    assert au.map_to_2025("26506") == [("26506", True)]
    assert au.lookup("26506").province_code == "79"
    assert au.map_to_2025(1) == [("00097", True)]


def test_map_to_2025_divided_communes():
    # DICT_PROVINCE_WARD_DIVIDED: thanhphocantho_huyenthoilai_xatanthanh ->
    # xatanthanh (not default), xatruongthanh (default)
    assert au.lookup("31268", "2004").name == "Xã Tân Thạnh"
    assert au.map_to_2025("31268") == [("31288", True), ("31666", False)]
    assert au.lookup("31288").name == "Xã Trường Thành"
    assert au.lookup("31666").name == "Xã Tân Thạnh"
    # Phường Điện Biên (Ba Đình) was split four ways; Phường Ba Đình is the default.
    targets = au.map_to_2025("00019")
    assert targets[0] == ("00004", True)
    assert sorted(code for code, _ in targets) == ["00004", "00070", "00190", "00226"]
    assert sum(is_default for _, is_default in targets) == 1


def test_map_to_2025_every_commune():
    communes = [c for p in au.provinces("2004") for c in au.communes_of(p.code, "2004")]
    for old in communes:
        targets = au.map_to_2025(old.code)
        assert targets, old
        assert [d for _, d in targets].count(True) == 1 and targets[0][1], old
        new_province = au.province_to_2025(old.province_code)
        assert all(au.lookup(code).province_code == new_province for code, _ in targets), old


def test_map_misses():
    assert au.map_to_2025("99999") == []
    assert au.map_to_2025("abc") == []
    assert au.map_to_2025("755") == []


def test_map_district_to_2025():
    assert au.map_district_to_2025("755") == [("26732", True)]
    assert au.lookup("26732").name == "Đặc khu Côn Đảo"
    assert au.lookup("26732").province_code == "79"
    wardless = {
        d.code
        for p in au.provinces("2004")
        for d in au.children(p.code, "2004")
        if not au.children(d.code, "2004")
    }
    assert wardless == {"318", "471", "498", "536", "755"}
    for code in wardless:
        [(new_code, is_default)] = au.map_district_to_2025(code)
        assert is_default and au.lookup(new_code).kind == "Đặc khu"
    assert au.map_district_to_2025("001") == []


def test_province_to_2025():
    assert au.province_to_2025("01") == "01"
    assert au.province_to_2025("77") == "79"  # Bà Rịa - Vũng Tàu -> TP Hồ Chí Minh
    assert au.province_to_2025("02") == "08"  # Hà Giang -> Tuyên Quang
    assert au.province_to_2025(2) == "08"
    assert au.province_to_2025("58") == "56"  # Ninh Thuận -> Khánh Hòa
    assert au.province_to_2025("03") is None
    assert au.province_to_2025("x") is None
    new_codes = {au.province_to_2025(p.code) for p in au.provinces("2004")}
    assert new_codes == {p.code for p in au.provinces("2025")}


# --------------------------------------------------------------------------- CCCD


def test_cccd_province_codes():
    codes = au.cccd_province_codes()
    assert isinstance(codes, frozenset)
    assert len(codes) == 63
    assert {"001", "079", "096", "002", "077"} <= codes
    assert "003" not in codes and "000" not in codes and "097" not in codes
    assert all(len(code) == 3 and code.isdigit() and code[0] == "0" for code in codes)
