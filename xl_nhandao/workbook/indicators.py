"""The indicators (chỉ số) of SPEC §4, exactly as defined there.

:func:`compute` takes rows that are already clean and counted (the caller decides which
rows count: valid rows; events whose address is valid and that are not counted twice)
and returns every indicator code → value, in the catalogue's order. A consolidation
passes merged rows with duplicates removed, so the parent's figures are computed from
rows, never by adding the children's figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..vn.periods import Period
from ..vn.text import name_key
from . import codes


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    label_en: str
    kind: str  # "count" | "money" | "percent" | "bool"
    target: str = ""


def _catalogue() -> tuple[Indicator, ...]:
    out = [
        Indicator("dia_chi_co_ho_so", "Số địa chỉ nhân đạo có hồ sơ", "Addresses with a dossier", "count",
                  "100% địa chỉ có hồ sơ"),
        Indicator("dia_chi_moi", "Số địa chỉ mới trong kỳ", "New addresses in the period", "count"),
        Indicator("dia_chi_dang_tro_giup", "Số địa chỉ đang được trợ giúp", "Addresses being supported", "count"),
        Indicator("dia_chi_duoc_tro_giup", "Số địa chỉ được trợ giúp trong kỳ", "Addresses supported in the period",
                  "count"),
        Indicator("ty_le_duoc_tro_giup", "Tỷ lệ địa chỉ được trợ giúp (%)", "Share of addresses supported (%)",
                  "percent", "> 70%"),
        Indicator("luot_tro_giup", "Số lượt trợ giúp", "Support events", "count"),
        Indicator("gia_tri_tro_giup", "Tổng giá trị trợ giúp (đồng)", "Value of support (đồng)", "money"),
    ]
    for e in codes.SUPPORT_FORMS.entries:
        out.append(Indicator(f"gia_tri_{e.code}", f"Giá trị trợ giúp: {e.label} (đồng)", f"Value of support: {e.code}",
                             "money"))
    out += [
        Indicator("gia_tri_chuong_trinh_khac", "Giá trị từ chương trình khác (không cộng vào tổng, đồng)",
                  "Value from other programmes (not added, đồng)", "money"),
        Indicator("dia_chi_inhandao", "Số địa chỉ đã cập nhật lên iNHANDAO", "Addresses on iNHANDAO", "count",
                  "≥ 30 địa chỉ mỗi huyện"),
        Indicator("dia_chi_qua_inhandao", "Số địa chỉ được trợ giúp qua iNHANDAO",
                  "Addresses supported through iNHANDAO", "count"),
        Indicator("to_chuc_tham_gia", "Số tổ chức tham gia", "Organisations taking part", "count"),
        Indicator("ca_nhan_tham_gia", "Số cá nhân tham gia", "Individuals taking part", "count"),
        Indicator("nguoi_dung_dau_dang_ky", "Số người đứng đầu đăng ký", "Heads of organisations registered",
                  "count"),
        Indicator("ty_le_nguoi_dung_dau", "Tỷ lệ người đứng đầu đăng ký (%)", "Share of heads registered (%)",
                  "percent", "≥ 30%"),
    ]
    for e in codes.CATEGORIES.entries:
        out.append(Indicator(f"doi_tuong_{e.code}", f"Địa chỉ có hồ sơ: {e.label}", f"Addresses: {e.code}",
                             "count"))
    out += [
        Indicator("ty_le_chi_tieu_gia_tri", "Tỷ lệ hoàn thành chỉ tiêu giá trị vận động (%)",
                  "Mobilisation target attained (%)", "percent", "100%"),
        Indicator("dat_chi_tieu_dia_chi_moi", "Đạt chỉ tiêu địa chỉ mới", "New-address target met", "bool",
                  "2 hoặc 3 địa chỉ mới mỗi xã"),
    ]
    return tuple(out)


INDICATORS: tuple[Indicator, ...] = _catalogue()
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def percent(numerator: float, denominator: float | None) -> float | None:
    """``numerator / denominator × 100`` to one decimal (half up); None when the
    denominator is 0 or missing."""
    if not denominator:
        return None
    q = Decimal(numerator) * 100 / Decimal(denominator)
    try:
        return float(q.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # past 28 digits (an amount of 1e308 đồng typed in): no rate to show
        return None


@dataclass(frozen=True)
class Targets:
    heads: int | None = None  # Số người đứng đầu
    new_addresses: int | None = None  # Chỉ tiêu địa chỉ mới
    value: int | None = None  # Chỉ tiêu giá trị vận động (đồng)


def compute(
    addresses: Iterable[Mapping[str, object]],
    registrations: Iterable[Mapping[str, object]],
    events: Iterable[Mapping[str, object]],
    period: Period,
    targets: Targets = Targets(),
) -> dict[str, object]:
    """Every indicator for one unit (or one merged parent) and one period.

    ``addresses``: counted DiaChi rows (keys ``_addr``, ``ngay_lap_ho_so``,
    ``trang_thai``, ``doi_tuong``, ``ngay_inhandao``); ``registrations``: valid DangKy
    rows (``ten`` or its ``ten_key``, ``loai``, ``nguoi_dung_dau``, ``ngay_dang_ky``); ``events``:
    counted TroGiup rows (``_addr``, ``ngay``, ``gia_tri``, ``hinh_thuc``, ``nguon``,
    ``qua_inhandao``).
    """
    start, end = period.start, period.end
    with_dossier = 0
    new = 0
    active = 0
    on_inhandao = 0
    by_category = dict.fromkeys(codes.CATEGORIES.codes, 0)
    for a in addresses:
        d = a["ngay_lap_ho_so"]
        if d <= end:  # type: ignore[operator]
            with_dossier += 1
            if a["trang_thai"] == codes.ACTIVE:
                active += 1
            cat = a["doi_tuong"]
            if cat in by_category:
                by_category[cat] += 1  # type: ignore[index]
            if start <= d:  # type: ignore[operator]
                new += 1
        up = a.get("ngay_inhandao")
        if up is not None and up <= end:  # type: ignore[operator]
            on_inhandao += 1

    supported: set[object] = set()
    via_inhandao: set[object] = set()
    n_events = 0
    total = 0
    other = 0
    by_form = dict.fromkeys(codes.SUPPORT_FORMS.codes, 0)
    for e in events:
        d = e["ngay"]
        if not (start <= d <= end):  # type: ignore[operator]
            continue
        n_events += 1
        supported.add(e["_addr"])
        if e.get("qua_inhandao"):
            via_inhandao.add(e["_addr"])
        value = e["gia_tri"]
        if e["nguon"] == codes.OTHER_PROGRAMME:
            other += value  # type: ignore[operator]
        else:
            total += value  # type: ignore[operator]
            form = e["hinh_thuc"]
            if form in by_form:
                by_form[form] += value  # type: ignore[index,operator]

    organisations: set[object] = set()
    individuals: set[object] = set()
    heads: set[object] = set()
    for r in registrations:
        if r["ngay_dang_ky"] > end:  # type: ignore[operator]
            continue
        name = r.get("ten_key")
        if name is None:
            raw = r.get("ten")
            name = name_key(raw) if isinstance(raw, str) else raw
        (individuals if r["loai"] == codes.INDIVIDUAL else organisations).add(name)
        if r.get("nguoi_dung_dau"):
            heads.add(name)

    out: dict[str, object] = {
        "dia_chi_co_ho_so": with_dossier,
        "dia_chi_moi": new,
        "dia_chi_dang_tro_giup": active,
        "dia_chi_duoc_tro_giup": len(supported),
        "ty_le_duoc_tro_giup": None,
        "luot_tro_giup": n_events,
        "gia_tri_tro_giup": total,
    }
    for form, v in by_form.items():
        out[f"gia_tri_{form}"] = v
    out.update(
        {
            "gia_tri_chuong_trinh_khac": other,
            "dia_chi_inhandao": on_inhandao,
            "dia_chi_qua_inhandao": len(via_inhandao),
            "to_chuc_tham_gia": len(organisations),
            "ca_nhan_tham_gia": len(individuals),
            "nguoi_dung_dau_dang_ky": len(heads),
            "ty_le_nguoi_dung_dau": None,
        }
    )
    for cat, v in by_category.items():
        out[f"doi_tuong_{cat}"] = v
    out["ty_le_chi_tieu_gia_tri"] = None
    out["dat_chi_tieu_dia_chi_moi"] = None
    fill_rates(out, targets)
    assert list(out) == [i.code for i in INDICATORS]
    return out


#: Each rate: numerator indicator, and the denominator (an indicator or a target).
RATES = {
    "ty_le_duoc_tro_giup": ("dia_chi_duoc_tro_giup", "dia_chi_co_ho_so"),
    "ty_le_nguoi_dung_dau": ("nguoi_dung_dau_dang_ky", "heads"),
    "ty_le_chi_tieu_gia_tri": ("gia_tri_tro_giup", "value"),
}


def fill_rates(figures: dict[str, object], targets: Targets, keep_given: bool = False) -> None:
    """Compute the rates and the new-address attainment from the counts and the targets,
    in place. With ``keep_given``, a rate already there (sent as given) is kept, and a
    count that is unknown (None) leaves its rate unknown."""
    for rate, (num, den) in RATES.items():
        if keep_given and figures.get(rate) is not None:
            continue
        n = figures.get(num)
        d = getattr(targets, den) if den in ("heads", "value") else figures.get(den)
        figures[rate] = None if n is None else percent(n, d)  # type: ignore[arg-type]
    if keep_given and figures.get("dat_chi_tieu_dia_chi_moi") is not None:
        return
    new = figures.get("dia_chi_moi")
    figures["dat_chi_tieu_dia_chi_moi"] = (None if targets.new_addresses is None or new is None
                                          else new >= targets.new_addresses)  # type: ignore[operator]
