"""The overlap benchmark's labelled data and metrics (benchmarks/overlap.py): the labels say
what the rows show (a true pair is one person written twice, its noise is what differs,
a decoy is someone else), and precision, recall and the inseparable pairs are computed
right on a hand-made example. Not a timing test."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

import numpy as np
import pytest
from rapidfuzz.distance import OSA

from benchmarks import overlap as bench
from benchmarks import overlap_data as data
from xl_nhandao.overlap.model import People
from xl_nhandao.overlap.names import name_keys
from xl_nhandao.vn import adminunits
from xl_nhandao.vn.values import cccd_birth


@pytest.fixture(scope="module")
def sides() -> data.Sides:
    return data.generate(data.communes_of(["96"])[:12], 3000, 8000, seed=3)


def cccd_engine(campaign: People, other: People) -> SimpleNamespace:
    """A matcher that pairs rows only on an equal CCCD: never wrong here, since every
    person has their own number."""
    where = {c: i for i, c in enumerate(other.cccd) if c is not None}
    pairs = [(a, where[c]) for a, c in enumerate(campaign.cccd) if c in where]
    a, b = (np.array(x, dtype=np.int64) for x in zip(*pairs))
    return SimpleNamespace(a=a, b=b, level=np.zeros(len(a), np.int8), score=np.ones(len(a), np.float32))


# -- the data ----------------------------------------------------------------------------
def test_generation_is_deterministic() -> None:
    communes = data.communes_of(["04"])[:5]
    one, two = (data.generate(communes, 400, 1000, seed=7) for _ in range(2))
    assert one.campaign.name == two.campaign.name and one.other.id_text == two.other.id_text
    assert np.array_equal(one.true_b, two.true_b) and np.array_equal(one.noise, two.noise)
    assert data.generate(communes, 400, 1000, seed=8).campaign.name != one.campaign.name


def test_quality_set_is_large_enough() -> None:
    args = bench.make_parser().parse_args([])
    sides = data.generate(data.communes_of(args.provinces.split(",")), args.quality_campaign, args.quality_list,
                          seed=args.seed)
    assert len(sides.true_a) >= 2000
    assert len(sides.other) - len(sides.true_b) >= 3 * len(sides.true_b)  # a background several times larger
    for bit in data.NOISE:
        assert ((sides.noise & bit) != 0).sum() >= 100, data.NOISE[bit]  # every kind of noise is there


def test_true_pairs_are_one_person_written_twice(sides: data.Sides) -> None:
    a, b = sides.campaign, sides.other
    assert len(set(zip(sides.true_a.tolist(), sides.true_b.tolist()))) == len(sides.true_a)
    assert len(set(sides.true_a.tolist())) == len(sides.true_a) and len(set(sides.true_b.tolist())) == len(sides.true_b)
    for i, j, noise in zip(sides.true_a.tolist(), sides.true_b.tolist(), sides.noise.tolist()):
        assert a.commune[i] == b.commune[j]
        assert abs(a.birth_year[i] - b.birth_year[j]) == (1 if noise & data.YEAR_OFF else 0)
        assert (a.cccd[i] is None) + (b.cccd[j] is None) == (2 if noise & data.CCCD_NONE else
                                                             1 if noise & data.CCCD_ONE else 0)
        if a.cccd[i] and b.cccd[j]:
            assert a.cccd[i] == b.cccd[j]
        if a.gender[i] and b.gender[j]:
            assert a.gender[i] == b.gender[j]
        assert (a.thon[i] is None or b.thon[j] is None) == bool(noise & data.THON_MISSING)
        if sides.village_a[i] >= 0 and sides.village_b[j] >= 0:
            assert sides.village_a[i] == sides.village_b[j]
            assert (a.thon[i] != b.thon[j]) == bool(noise & data.THON_OTHER)
        ka, kb = name_keys(a.name[i]), name_keys(b.name[j])
        assert ka is not None and kb is not None
        if not noise & data.TYPO:
            assert ka.folded == kb.folded, (a.name[i], b.name[j])
            if not (ka.plain or kb.plain):
                assert ka.accented == kb.accented
            assert (a.name[i] == b.name[j]) == (noise & (data.PLAIN | data.UPPER | data.OLD_TONE | data.DROP_MIDDLE
                                                         | data.VARIANT) == 0)
        else:
            assert a.name[i] != b.name[j]


def test_identity_numbers(sides: data.Sides) -> None:
    for people in (sides.campaign, sides.other):
        given = [c for c in people.cccd if c is not None]
        assert len(given) == len(set(given))  # one number per person
        assert 0.45 < len(given) / len(people) < 0.8
        provinces = adminunits.cccd_province_codes()
        as_number = 0
        for cccd, text, year, gender in zip(people.cccd, people.id_text, people.birth_year, people.gender):
            if cccd is None:
                assert text is None
                continue
            assert len(cccd) == 12 and cccd.isdigit() and cccd[:3] in provinces
            born, sex = cccd_birth(cccd)
            assert abs(born - year) <= 1 and sex == (gender or sex)
            if text != cccd:  # stored as a number: the leading zeros lost
                as_number += 1
                assert len(text) in (10, 11) and text.zfill(12) == cccd
        assert 0.05 < as_number / len(given) < 0.3


def test_decoys_are_someone_else(sides: data.Sides) -> None:
    a, b = sides.campaign, sides.other
    partners = set(sides.true_b.tolist())
    for kind in data.DECOYS:
        rows = np.flatnonzero(sides.decoy == kind).tolist()
        assert len(rows) == round(len(a) * 0.10)
        for j in rows:
            i = int(sides.decoy_of[j])
            assert j not in partners and i >= 0
            assert b.cccd[j] is None or b.cccd[j] not in a.cccd
            gap = abs(a.birth_year[i] - b.birth_year[j])
            if kind == data.DECOY_OTHER_COMMUNE:
                assert a.commune[i] != b.commune[j] and gap <= 2
            else:
                assert a.commune[i] == b.commune[j] and 3 <= gap <= 17
    assert (sides.decoy_of[sides.decoy == data.DECOY_NONE] == -1).all()


@pytest.mark.parametrize(("new", "old"), [("Hòa", "Hoà"), ("Thủy", "Thuỷ"), ("Khỏe", "Khoẻ"), ("THÙY", "THUỲ"),
                                          ("Quý", "Quý"), ("Hoàng", "Hoàng"), ("Toàn", "Toàn"), ("Hoà", "Hoà")])
def test_old_tone_placement(new: str, old: str) -> None:
    assert data.old_tone(new) == old
    assert name_keys(f"Lê {new}") == name_keys(f"Lê {old}")


def test_text_noise() -> None:
    assert data.apply_text("Huỳnh Thị Thủy", data.VARIANT | data.DROP_MIDDLE | data.OLD_TONE) == "Hoàng Thuỷ"
    assert data.apply_text("Võ Văn Hòa", data.PLAIN | data.UPPER) == "VO VAN HOA"
    assert data.apply_text("Nguyễn Thị Lan", data.DROP_MIDDLE) == "Nguyễn Lan"
    assert data.apply_text("Nguyễn Lan", data.DROP_MIDDLE | data.VARIANT) == "Nguyễn Lan"
    import random

    rng = random.Random(1)
    for _ in range(300):
        name = "Nguyễn Thị Hương"
        out = data.typo(name, rng)
        assert OSA.distance(name, out) == 1 and out.strip() == out and "  " not in out


def test_village_spellings() -> None:
    assert [data.village_text("Thôn", "1", s) for s in range(data.STYLES)] == [
        "Thôn 1", "thôn 01", "Thôn số 1", "THON 1", "Thôn 1"]
    assert data.village_text("Tổ dân phố", "3", 4) == "Tổ 3"
    assert [data.village_text("Ấp", "Bình Minh", s) for s in range(data.STYLES)] == [
        "Ấp Bình Minh", "ấp Bình Minh", "Bình Minh", "Ap Binh Minh", "ẤP BÌNH MINH"]


# -- the metrics -------------------------------------------------------------------------
def hand_made() -> tuple[People, People, list[int], list[int]]:
    campaign, other = People("Cuộc vận động", kind="campaign"), People("Giảm nghèo")
    for name, year, gender, commune, cccd in [
        ("Nguyễn Thị Lan", 1950, "Nữ", "00001", None),  # a0
        ("Trần Văn Hùng", 1960, "Nam", "00001", "001060000001"),  # a1
        ("Lê Văn Nam", 1970, "Nam", "00002", None),  # a2
    ]:
        campaign.append(name=name, birth_year=year, gender=gender, commune=commune, cccd=cccd, row=len(campaign) + 2)
    for name, year, gender, commune, cccd in [
        ("Nguyen Lan", 1950, None, "00001", None),  # b0: a0 written without Thị and diacritics (true)
        ("Nguyễn Thị Lan", 1950, "Nữ", "00001", None),  # b1: another Lan, no thôn: nothing tells her from a0
        ("Trần Văn Hùng", 1960, "Nam", "00001", "001060000002"),  # b2: another Hùng: the CCCD differs
        ("Lê Văn Năm", 1970, "Nam", "00002", None),  # b3: Năm is not Nam
        ("Le Van Nam", 1970, "Nam", "00002", None),  # b4: another village
        ("Lê Nam", 1970, "Nam", "00002", None),  # b5: nothing tells him from a2
        ("Tran Van Hung", 1961, "Nam", "00001", "001060000001"),  # b6: a1, year off (true)
        ("Nguyễn Thị Lan", 1950, "Nữ", "00009", None),  # b7: another commune
        ("Nguyễn Thị Lan", 1951, "Nữ", "00001", None),  # b8: another year
        ("Nguyễn Văn Lan", 1950, "Nam", "00001", None),  # b9: a man
        ("Nguyen Van Lan", 1950, None, "00001", None),  # b10: a man, as Văn says
    ]:
        other.append(name=name, birth_year=year, gender=gender, commune=commune, cccd=cccd, row=len(other) + 2)
    return campaign, other, [1, 2, 3], [1, -1, 2, 3, 4, 3, 2, 1, 1, 1, 1]


def test_inseparable_pairs_on_a_hand_made_example() -> None:
    campaign, other, va, vb = hand_made()
    ka, kb = bench.keys_of(campaign, va), bench.keys_of(other, vb)
    ia, ib = bench.inseparable(ka, kb, np.array([0, 1]), np.array([0, 6]))
    assert sorted(zip(ia.tolist(), ib.tolist())) == [(0, 1), (2, 5)]
    told = bench.differences(ka, kb, np.array([1, 2, 2, 0, 0, 0, 0]), np.array([2, 3, 4, 7, 8, 9, 10]))
    assert [[f for f in bench.FIELDS if told[f][k]] for k in range(7)] == [
        ["CCCD"], ["accents"], ["thôn"], ["commune"], ["birth year"], ["gender"], ["gender"]]
    # the true pair (a0, b0) is not inseparable even though nothing tells it apart either
    none = bench.differences(ka, kb, np.array([0]), np.array([0]))
    assert not any(v[0] for v in none.values())


def test_metrics_on_a_hand_made_example() -> None:
    found_a = np.array([0, 0, 1, 1, 2, 2, 0])
    found_b = np.array([0, 1, 6, 2, 3, 5, 0])
    level = np.array([0, 0, 1, 0, 1, 1, 1])  # (a0, b0) found twice: counted once, at match
    m = bench.metrics(found_a, found_b, level, np.array([0, 1]), np.array([0, 6]), np.array([0, 2]),
                      np.array([1, 5]), n_other=11)
    assert (m.true_pairs, m.found, m.match, m.possible, m.match_true, m.possible_true) == (2, 6, 3, 3, 1, 1)
    assert m.precision_match == pytest.approx(1 / 3)
    assert m.recall == 1.0 and m.recall_match == 0.5
    assert (m.inseparable, m.inseparable_at_match, m.real_errors) == (2, 1, 1)
    assert m.ceiling == pytest.approx(1 / 3)  # one true match, two inseparable pairs
    empty = bench.metrics(*(np.zeros(0, np.int64) for _ in range(3)), np.array([0]), np.array([0]),
                          np.zeros(0, np.int64), np.zeros(0, np.int64), n_other=1)
    assert (empty.precision_match, empty.recall, empty.real_errors) == (1.0, 0.0, 0)


def test_evaluation_of_a_hand_made_example() -> None:
    campaign, other, va, vb = hand_made()
    decoy = np.zeros(len(other), np.int8)
    decoy[7], decoy[8] = data.DECOY_OTHER_COMMUNE, data.DECOY_YEARS_APART
    decoy_of = np.where(decoy > 0, 0, -1)
    sides = data.Sides(campaign, other, np.array([0, 1]), np.array([0, 6]),
                       np.array([data.PLAIN | data.DROP_MIDDLE, data.PLAIN | data.YEAR_OFF]), decoy, decoy_of,
                       np.array(va), np.array(vb))
    found = bench.Found(np.array([0, 0, 1, 0, 2, 0, 0]), np.array([0, 1, 2, 8, 4, 7, 6]),
                        np.array([0, 0, 0, 0, 0, 1, 1]))
    q = bench.evaluate(sides, found)
    assert q["metrics"]["match"] == 5 and q["metrics"]["real_errors"] == 3 and q["metrics"]["recall"] == 0.5
    assert q["false_matches"] == {"list's own people": {"inseparable": 1, "CCCD": 1, "thôn": 1},
                                  "decoy: " + data.DECOYS[data.DECOY_YEARS_APART]: {"birth year ±1": 1}}
    assert q["by_noise"]["no diacritics"] == {"pairs": 2, "match": 1, "possible": 0, "missed": 1}
    assert q["by_noise"]["birth year ±1"]["missed"] == 1 and "no noise" not in q["by_noise"]
    assert q["missed_noise"] == {"no diacritics + birth year ±1": 1}


def test_an_oracle_reaches_the_ceiling(sides: data.Sides) -> None:
    """A matcher that finds every true pair, and the inseparable pairs (as any matcher
    must), at match: precision is exactly the ceiling, no real error, full recall."""
    ka, kb = bench.keys_of(sides.campaign, sides.village_a), bench.keys_of(sides.other, sides.village_b)
    ia, ib = bench.inseparable(ka, kb, sides.true_a, sides.true_b)
    assert len(ia) > 0
    a, b = np.concatenate([sides.true_a, ia]), np.concatenate([sides.true_b, ib])
    q = bench.evaluate(sides, bench.Found(a, b, np.zeros(len(a), np.int64)), (ka, kb))
    m = q["metrics"]
    assert m["recall"] == 1.0 and m["real_errors"] == 0 and m["inseparable_at_match"] == len(ia)
    assert m["precision_match"] == pytest.approx(m["ceiling"]) and m["ceiling"] < 1.0
    assert sum(sum(v.values()) for v in q["false_matches"].values()) == len(ia)
    assert all(set(v) == {"inseparable"} for v in q["false_matches"].values())
    assert all(r["missed"] == 0 for r in q["by_noise"].values())


def test_cccd_only_matcher_recall_is_the_share_of_pairs_with_two_numbers(sides: data.Sides) -> None:
    q = bench.evaluate(sides, bench.found_of(cccd_engine(sides.campaign, sides.other)))
    both = ((sides.noise & (data.CCCD_ONE | data.CCCD_NONE)) == 0).mean()
    assert q["metrics"]["recall"] == pytest.approx(both)
    assert q["metrics"]["precision_match"] == 1.0 and q["metrics"]["real_errors"] == 0
    assert q["by_noise"]["CCCD on neither side"]["missed"] == q["by_noise"]["CCCD on neither side"]["pairs"]


def test_the_command_line_in_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bench, "load_engine", lambda spec: cccd_engine)
    bench.main(["--json", "--seed", "2", "--provinces", "04", "--quality-campaign", "1500", "--quality-list", "4000",
                "--campaign", "3000", "--list", "8000", "--repeat", "2"])
    out = json.loads(capsys.readouterr().out)
    quality, scale = out["quality"], out["scale"]
    assert quality["data"]["true_pairs"] == 450 and quality["metrics"]["precision_match"] == 1.0
    assert scale["communes"] == 3321 and scale["true_pairs"] == 900 and len(scale["match_seconds"]) == 2
    assert scale["pairs"]["possible"] == 0 and scale["pairs"]["match"] == scale["metrics"]["match_true"]
    # memory figures are reported (how they compare depends on what ran before in this
    # process: the peak after a reset may round below the resident size read earlier)
    assert scale["peak_after_mb"] > 0 and scale["rss_before_mb"] > 0 and scale["peak_generate_mb"] > 0


def test_scale_alone(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(campaign=2000, list=5000, seed=1, repeat=1, no_scale_quality=True)
    out = bench.scale(args, cccd_engine)
    assert out["campaign"] == 2000 and out["list"] == 5000 and "metrics" not in out
    bench.print_scale(out)
    text = capsys.readouterr().out
    assert "find_pairs wall time" in text and "MB before matching" in text
