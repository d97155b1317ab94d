"""The matching engine on hand-made people: each name variant clerks produce, each decoy,
the CCCD cases, vetoes, levels and the reasons a coordinator reads."""

from __future__ import annotations

from datetime import date

import pytest

from xl_nhandao.overlap.engine import MATCH, POSSIBLE, find_pairs, reasons, thon_key
from xl_nhandao.overlap.events import counted_twice
from xl_nhandao.overlap.identity import voucher_key
from xl_nhandao.overlap.model import Event, Pair, People
from xl_nhandao.overlap.names import name_keys


def campaign(*rows: dict) -> People:
    p = People("Cuộc vận động", "campaign", files=["tong-hop.xlsx"])
    for i, r in enumerate(rows):
        r = dict(r)
        unit = r.pop("unit", "22453")
        code = f"{unit}-{i + 1:04d}"
        p.append(sheet="DiaChi", row=i + 2, unit=unit, code=code, key=f"{unit}|{code}",
                 commune=r.pop("commune", "22453"), **r)
    return p


def other(*rows: dict, programme: str = "Giảm nghèo") -> People:
    p = People(programme, files=["ds-ho-ngheo.xlsx"])
    for i, r in enumerate(rows):
        r = dict(r)
        p.append(sheet="DanhSach", row=i + 5, commune=r.pop("commune", "22453"), **r)
    return p


def background(n: int = 60) -> list[dict]:
    """People of the same commune who are nobody's pair: the block a real commune has."""
    given = ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Sơn", "Hải", "Long", "Phúc", "Quân", "Khoa", "Tài"]
    family = ["Trần", "Lê", "Phạm", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Phan"]
    return [{"name": f"{family[i % 10]} Quốc {given[i % 12]}", "birth_year": 1930 + i} for i in range(n)]


def levels(c: People, o: People, **kw: object) -> dict[tuple[int, int], str]:
    f = find_pairs(c, o, **kw)  # type: ignore[arg-type]
    return {(int(a), int(b)): ("match" if lv == MATCH else "possible") for a, b, lv in zip(f.a, f.b, f.level)}


def texts(c: People, o: People, a: int = 0, b: int = 0) -> list[str]:
    f = find_pairs(c, o)
    i = next(i for i in range(len(f)) if f.a[i] == a and f.b[i] == b)
    return [r.text() for r in reasons(f, i, c, o)]


PERSON = {"name": "Nguyễn Thị Hoà", "birth_year": 1952, "gender": "Nữ", "thon": "Thôn 2"}


@pytest.mark.parametrize("typed, reason", [
    ("Nguyễn Thị Hoà", "họ tên trùng"),
    ("Nguyễn Thị Hòa", "họ tên trùng"),  # new tone placement
    ("NGUYỄN THỊ HOÀ", "họ tên trùng"),
    ("  nguyễn   thị hoà ", "họ tên trùng"),
    ("Nguyen Thi Hoa", "họ tên trùng khi bỏ dấu"),
    ("NGUYEN THI HOA", "họ tên trùng khi bỏ dấu"),
    ("Nguyễn Hoà", "một bên không ghi chữ đệm Thị/Văn"),
])
def test_name_variants_are_a_confident_match(typed: str, reason: str) -> None:
    c = campaign(PERSON, *background())
    o = other(dict(PERSON, name=typed), *background()[::7])
    found = levels(c, o)
    assert found[(0, 0)] == "match"
    assert reason in texts(c, o)


@pytest.mark.parametrize("a, b", [("Huỳnh Văn Tâm", "Hoàng Văn Tâm"), ("Võ Thị Thuỷ", "Vũ Thị Thủy")])
def test_regional_family_names_match(a: str, b: str) -> None:
    c = campaign({"name": a, "birth_year": 1948}, *background())
    o = other({"name": b, "birth_year": 1948})
    assert levels(c, o)[(0, 0)] == "match"
    assert any("cách viết theo vùng miền" in t for t in texts(c, o))


def test_birth_year_one_apart_is_possible_unless_the_cccd_agrees() -> None:
    c = campaign(PERSON, *background())
    o = other(dict(PERSON, birth_year=1953))
    assert levels(c, o)[(0, 0)] == "possible"
    assert "năm sinh lệch 1" in texts(c, o)
    c = campaign(dict(PERSON, cccd="079152001234"), *background())
    o = other(dict(PERSON, birth_year=1953, cccd="079152001234"))
    assert levels(c, o)[(0, 0)] == "match"


@pytest.mark.parametrize("a, b", [("Trần Văn Hòa", "Trần Văm Hoà"), ("Dương Văn Hùng", "DUONG VA HUNG"),
                                  ("Nguyễn Tị Yến", "Nguyễn Yến"), ("Đỗ Tịh Kim My", "Do Thi Kim My")])
def test_a_mistyped_thi_or_van_is_one_slip(a: str, b: str) -> None:
    c = campaign({"name": a, "birth_year": 1941}, *background())
    assert levels(c, other({"name": b, "birth_year": 1941}))[(0, 0)] == "possible"


def test_one_letter_typo_is_possible_never_match() -> None:
    c = campaign({"name": "Lê Văn Thành", "birth_year": 1960, "thon": "Thôn 4"}, *background())
    o = other({"name": "Lê Văn Thàng", "birth_year": 1960, "thon": "thôn 04"})
    assert levels(c, o)[(0, 0)] == "possible"
    assert "họ tên lệch một chữ cái" in texts(c, o)
    # a transposition is one typo too
    o2 = other({"name": "Lê Văn Tahnh", "birth_year": 1960})
    assert (0, 0) in levels(c, o2)


def test_names_differing_only_in_diacritics_are_possible() -> None:
    c = campaign({"name": "Trần Thị Lan", "birth_year": 1970}, *background())
    o = other({"name": "Trần Thị Lân", "birth_year": 1970})
    assert levels(c, o)[(0, 0)] == "possible"
    assert "họ tên chỉ khác dấu" in texts(c, o)


def test_namesake_in_another_commune_is_possible_and_common_names_are_not_shown() -> None:
    c = campaign({"name": "Đinh Công Tráng", "birth_year": 1950}, {"name": "Nguyễn Thị Lan", "birth_year": 1960})
    rare = other({"name": "Đinh Công Tráng", "birth_year": 1950, "commune": "22999"})
    assert levels(c, rare) == {(0, 0): "possible"}
    assert "khác xã (22453 / 22999)" in texts(c, rare)
    common = other(*[{"name": "Nguyễn Thị Lan", "birth_year": 1960, "commune": f"2{i:04d}"} for i in range(8)])
    assert levels(c, common) == {}


def test_same_name_same_commune_years_apart_is_no_pair() -> None:
    c = campaign({"name": "Nguyễn Văn Hùng", "birth_year": 1950})
    o = other(*[{"name": "Nguyễn Văn Hùng", "birth_year": 1950 + d} for d in (5, 9, 15)])
    assert levels(c, o) == {}


def test_rows_no_field_can_tell_apart_are_possible() -> None:
    """Two list rows alike in every field: the campaign row cannot be told which."""
    c = campaign(PERSON, *background())
    o = other(PERSON, dict(PERSON))
    found = levels(c, o)
    assert found == {(0, 0): "possible", (0, 1): "possible"}
    assert any("không phân biệt được" in t for t in texts(c, o))


def test_recipients_list_naming_one_person_twice_is_not_ambiguous() -> None:
    c = campaign(PERSON, *background())
    o = other(dict(PERSON, date=date(2025, 1, 20), value=500_000), dict(PERSON, date=date(2025, 9, 2), value=300_000),
              programme="Tết Nhân ái")
    assert levels(c, o) == {(0, 0): "match", (0, 1): "match"}


@pytest.mark.parametrize("typed", ["079052001234", "79052001234"])
def test_same_cccd_is_a_match_whatever_the_name(typed: str) -> None:
    c = campaign(dict(PERSON, cccd="079052001234"))
    o = other({"name": "Ng T Hoa", "birth_year": 1990, "cccd": "079052001234", "id_text": typed, "commune": None})
    f = find_pairs(c, o)
    assert list(f.level) == [MATCH] and float(f.score[0]) == 1.0
    got = texts(c, o)
    assert "cùng số CCCD" in got
    assert ("CCCD bị mất số 0 đầu ở một bên" in got) == (len(typed) == 11)


def test_differing_cccd_vetoes_a_name_match() -> None:
    c = campaign(dict(PERSON, cccd="079052001234"), *background())
    o = other(dict(PERSON, cccd="079152009999"))
    assert levels(c, o) == {}


def test_differing_gender_vetoes_and_cccd_gives_the_gender() -> None:
    c = campaign({"name": "Trần Văn Minh", "birth_year": 1960, "gender": "Nam"}, *background())
    assert levels(c, other({"name": "Trần Minh", "birth_year": 1960, "gender": "Nữ"})) == {}
    # no gender column, but the CCCD's century-gender digit says female (1 = 1900s female)
    assert levels(c, other({"name": "Trần Minh", "birth_year": 1960, "cccd": "079160001234"})) == {}
    assert levels(c, other({"name": "Trần Minh", "birth_year": 1960}))[(0, 0)] == "match"


def test_a_missing_birth_year_is_compared_by_name_and_commune() -> None:
    c = campaign({"name": "Phan Thanh Giản", "birth_year": 1940}, *background())
    o = other({"name": "Phan Thanh Giản", "birth_year": None})
    assert levels(c, o) == {(0, 0): "possible"}
    assert "thiếu năm sinh ở một bên" in texts(c, o)


def test_common_names_weigh_less_than_rare_ones() -> None:
    many = [{"name": "Nguyễn Văn Hùng", "birth_year": 1900 + (i % 20), "commune": f"3{i:04d}"} for i in range(400)]
    c = campaign({"name": "Nguyễn Văn Hùng", "birth_year": 1960}, {"name": "Ksor H'Bin", "birth_year": 1960}, *many)
    o = other({"name": "Nguyễn Văn Hùng", "birth_year": 1961, "thon": "Thôn 1"},
              {"name": "Ksor H'Bin", "birth_year": 1961, "thon": "Thôn 1"})
    f = find_pairs(c, o)
    score = {(int(a), int(b)): float(s) for a, b, s in zip(f.a, f.b, f.score)}
    assert score[(1, 1)] > score[(0, 0)]
    assert any("tên phổ biến" in t for t in texts(c, o, 0, 0))


def test_inside_the_campaign_pairs_rows_of_different_units_once() -> None:
    c = campaign(dict(PERSON, unit="22453"), dict(PERSON, name="Nguyen Thi Hoa", unit="22450"),
                 dict(PERSON, unit="22453"), *background())
    found = levels(c, c, inside=True)
    assert set(found) == {(0, 1), (1, 2)}  # never two rows of one unit, never twice


def test_thon_as_clerks_write_it() -> None:
    assert thon_key("Thôn 01") == thon_key("thôn 1") == thon_key("1")
    assert thon_key("Tổ dân phố số 3") == thon_key("TDP 3") == "3"
    assert thon_key("Ấp Bình Minh") == "binh minh"


def test_name_keys() -> None:
    k = name_keys("Huỳnh Thị Thuỷ")
    assert k is not None and k.folded == "hoang thuy" and k.middle == "f" and k.variant == "huynh"
    assert name_keys("Hoàng Thủy").accented == k.accented  # type: ignore[union-attr]
    assert name_keys("  ") is None


def test_voucher_key() -> None:
    assert voucher_key("PC-012") == voucher_key("pc 12") == voucher_key("PC12")
    assert voucher_key("PC-012") != voucher_key("PC-013")
    assert voucher_key(None) == ""


def test_events_counted_twice_same_voucher_or_same_value_within_three_days() -> None:
    c = campaign(PERSON, *background())
    o = other(dict(PERSON, date=date(2025, 1, 22), value=500_000, voucher="PT-07"),
              dict(PERSON, date=date(2025, 3, 1), value=200_000),
              dict(PERSON, date=date(2025, 6, 1), value=300_000), programme="Tết Nhân ái")
    f = find_pairs(c, o)
    pairs = [Pair("match" if f.level[i] == MATCH else "possible", float(f.score[i]), "fuzzy", [], c, int(f.a[i]), o,
                  int(f.b[i])) for i in range(len(f))]
    key = c.key[0]
    events = [Event("tong-hop.xlsx", "TroGiup", 3, key, date(2025, 1, 20), 500_000, "pt 7"),  # voucher
              Event("tong-hop.xlsx", "TroGiup", 4, key, date(2025, 3, 3), 200_000, None),  # 2 days, same value
              Event("tong-hop.xlsx", "TroGiup", 5, key, date(2025, 6, 10), 300_000, None),  # 9 days apart
              Event("tong-hop.xlsx", "TroGiup", 6, "22453|other", date(2025, 3, 1), 200_000, None)]  # another person
    twice = counted_twice(pairs, events, [o])
    assert [(t.campaign.row, t.b) for t in twice] == [(3, 0), (4, 1)]
    assert twice[0].reason.text() == "cùng người, cùng số chứng từ pt 7"
    assert twice[1].reason.text() == "cùng người, cùng giá trị 200.000 đồng, ngày lệch 2 ngày"
    assert all(t.identity for t in twice)
    # a pair decided "Không trùng" is not the same person: nothing counted twice
    for p in pairs:
        p.decision = "Không trùng"
    assert counted_twice(pairs, events, [o]) == []


def test_levels_are_ordered_match_first_then_score() -> None:
    c = campaign(PERSON, {"name": "Lê Văn Thành", "birth_year": 1960}, *background())
    o = other({"name": "Lê Văn Thàng", "birth_year": 1960}, PERSON)
    f = find_pairs(c, o)
    assert list(f.level) == sorted(f.level)
    assert f.level[0] == MATCH and f.level[-1] == POSSIBLE


def test_a_look_alike_that_a_field_tells_apart_leaves_the_match() -> None:
    """Two list rows of the same name in the commune: the one of the same birth year
    and village is the person; the other, a year off in another village, is told apart."""
    c = campaign(PERSON, *background())
    o = other(PERSON, dict(PERSON, birth_year=1953, thon="Thôn 7"))
    found = levels(c, o)
    assert found[(0, 0)] == "match"
    assert found.get((0, 1), "possible") == "possible"
