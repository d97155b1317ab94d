"""Build ``xl_nhandao/vn/data/adminunits.json`` from the ``vietnamadminunits`` package.

Usage::

    python scripts/build_adminunits.py           # (re)write the json, print a report
    python scripts/build_adminunits.py --check   # exit 1 if the committed json is stale

Reads the data files shipped inside the installed ``vietnamadminunits`` package
(``data/dataset.db`` and ``data/converter_2025.json``) without importing the
package itself, and writes one compact, deterministic json document:

* ``source``: package name, version, licence and URL;
* ``"2025"``: ``provinces`` ``[code, full name, short name]`` and
  ``communes`` ``[code, full name, kind, province_code]``;
* ``"2004"``: ``provinces``, ``districts`` ``[code, full name, kind, province_code]``
  and ``communes`` ``[code, full name, kind, district_code, province_code]``;
* ``map_2004_2025``: ``{old_commune_code: [[new_commune_code, is_default], ...]}``
  (default target first);
* ``district_map_2004_2025``: the same for the few 2004 districts that had no
  communes at all (island districts that became "Đặc khu" in 2025);
* ``province_map_2004_2025``: ``{old_province_code: new_province_code}``.

The ``kind`` of a unit is taken from the prefix of its full name ("Phường",
"Xã", "Thị trấn", ...); the package's own type column disagrees with the name in
a handful of rows and the name is the official spelling.

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
PACKAGE_URL = "https://pypi.org/project/vietnamadminunits/"
PACKAGE_LICENSE = "MIT"

OUTPUT = Path(__file__).resolve().parents[1] / "xl_nhandao" / "vn" / "data" / "adminunits.json"

# Longest first so that "Thành phố" wins over nothing else sharing its start.
KINDS = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


class BuildError(RuntimeError):
    """The package data does not look the way this script expects."""


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def kind_of(full_name: str, fallback: str | None = None) -> str:
    """Unit kind from the prefix of its full name (fallback: the dataset's type column)."""
    for kind in KINDS:
        if full_name.startswith(kind + " "):
            return kind
    if fallback:
        return _nfc(fallback)
    raise BuildError(f"cannot tell the kind of {full_name!r}")


def package_data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(f"package {PACKAGE!r} is not installed (pip install {PACKAGE}==1.0.4)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def build(report: dict[str, Any] | None = None) -> bytes:
    """Return the json document as bytes; fill ``report`` with statistics if given."""
    data_dir = package_data_dir()
    version = importlib.metadata.version(PACKAGE)
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_rows = con.execute(
            "SELECT provinceCode, province, provinceShort, provinceKey,"
            " wardCode, ward, wardType, wardKey FROM admin_units"
        ).fetchall()
        old_rows = con.execute(
            "SELECT provinceCode, province, provinceShort, provinceKey,"
            " districtCode, district, districtType, districtKey,"
            " wardCode, ward, wardType, wardKey FROM admin_units_legacy"
        ).fetchall()
    finally:
        con.close()

    type_mismatches: list[str] = []

    def kind_checked(name: str, type_column: str | None, scheme: str, code: str) -> str:
        kind = kind_of(name, type_column)
        if type_column and _nfc(type_column) != kind:
            type_mismatches.append(f"{scheme} {code} {name!r}: type column {type_column!r}")
        return kind

    # ---- 2025 scheme -----------------------------------------------------
    provinces_2025: dict[str, list[str]] = {}
    communes_2025: dict[str, list[str]] = {}
    new_province_by_key: dict[str, str] = {}
    new_commune_by_key: dict[tuple[str, str], str] = {}
    for pcode, pname, pshort, pkey, wcode, wname, wtype, wkey in new_rows:
        pname, pshort, wname = _nfc(pname), _nfc(pshort), _nfc(wname)
        _add_unique(provinces_2025, pcode, [pcode, pname, pshort])
        _add_unique(
            communes_2025, wcode, [wcode, wname, kind_checked(wname, wtype, "2025", wcode), pcode]
        )
        _add_unique(new_province_by_key, pkey, pcode)
        _add_unique(new_commune_by_key, (pkey, wkey), wcode)

    # ---- 2004 scheme -----------------------------------------------------
    provinces_2004: dict[str, list[str]] = {}
    districts_2004: dict[str, list[str]] = {}
    communes_2004: dict[str, list[str]] = {}
    old_province_by_key: dict[str, str] = {}
    # converter key "province_district_ward" -> ("commune" | "district", code)
    old_unit_by_key: dict[str, tuple[str, str]] = {}
    for row in old_rows:
        pcode, pname, pshort, pkey, dcode, dname, dtype, dkey, wcode, wname, wtype, wkey = row
        pname, pshort, dname = _nfc(pname), _nfc(pshort), _nfc(dname)
        _add_unique(provinces_2004, pcode, [pcode, pname, pshort])
        _add_unique(
            districts_2004, dcode, [dcode, dname, kind_checked(dname, dtype, "2004", dcode), pcode]
        )
        _add_unique(old_province_by_key, pkey, pcode)
        key = f"{pkey}_{dkey}_{wkey or ''}"
        if not wcode:
            # A district without communes (island districts): keep the district only.
            _add_unique(old_unit_by_key, key, ("district", dcode))
            continue
        wname = _nfc(wname)
        kind = kind_checked(wname, wtype, "2004", wcode)
        _add_unique(communes_2004, wcode, [wcode, wname, kind, dcode, pcode])
        _add_unique(old_unit_by_key, key, ("commune", wcode))

    for table in (provinces_2025, provinces_2004):
        for code, name, short in table.values():
            if name != f"{kind_of(name)} {short}":
                raise BuildError(f"province {code}: {name!r} does not end with {short!r}")

    # ---- 2004 -> 2025 ----------------------------------------------------
    province_map: dict[str, str] = {}
    for new_pkey, old_pkeys in converter["DICT_PROVINCE"].items():
        new_pcode = _get(new_province_by_key, new_pkey, "new province key")
        for old_pkey in old_pkeys:
            _add_unique(
                province_map, _get(old_province_by_key, old_pkey, "old province key"), new_pcode
            )

    targets: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)

    def add_target(old_key: str, new_pkey: str, new_wkey: str, is_default: bool) -> None:
        old_unit = _get(old_unit_by_key, old_key, "old province_district_ward key")
        new_code = _get(new_commune_by_key, (new_pkey, new_wkey), "new ward key")
        if new_code in targets[old_unit]:
            raise BuildError(f"{old_key} -> {new_wkey} listed twice")
        targets[old_unit][new_code] = int(is_default)

    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                add_target(old_key, new_pkey, new_wkey, True)
    for new_pkey, old_keys in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, entries in old_keys.items():
            for entry in entries:
                add_target(old_key, new_pkey, entry["newWardKey"], bool(entry["isDefaultNewWard"]))

    commune_map: dict[str, list[list[Any]]] = {}
    district_map: dict[str, list[list[Any]]] = {}
    for (what, old_code), new_codes in targets.items():
        if sum(new_codes.values()) != 1:
            raise BuildError(
                f"{what} {old_code}: expected exactly one default target, got {new_codes}"
            )
        old_pcode = (communes_2004 if what == "commune" else districts_2004)[old_code][-1]
        for new_code in new_codes:
            if communes_2025[new_code][3] != province_map[old_pcode]:
                raise BuildError(f"{what} {old_code} -> {new_code} leaves its new province")
        ordered = sorted(new_codes.items(), key=lambda item: (-item[1], item[0]))
        (commune_map if what == "commune" else district_map)[old_code] = [
            [code, flag] for code, flag in ordered
        ]

    doc = {
        "source": {
            "package": PACKAGE,
            "version": version,
            "license": PACKAGE_LICENSE,
            "url": PACKAGE_URL,
        },
        "2025": {
            "provinces": _sorted(provinces_2025),
            "communes": _sorted(communes_2025),
        },
        "2004": {
            "provinces": _sorted(provinces_2004),
            "districts": _sorted(districts_2004),
            "communes": _sorted(communes_2004),
        },
        "map_2004_2025": commune_map,
        "district_map_2004_2025": district_map,
        "province_map_2004_2025": province_map,
    }

    if report is not None:
        wardless = sorted(code for what, code in old_unit_by_key.values() if what == "district")
        report.update(
            {
                "version": version,
                "provinces_2025": len(provinces_2025),
                "communes_2025": len(communes_2025),
                "provinces_2004": len(provinces_2004),
                "districts_2004": len(districts_2004),
                "communes_2004": len(communes_2004),
                "wardless_districts_2004": [
                    f"{code} {districts_2004[code][1]} -> "
                    + ", ".join(f"{c} {communes_2025[c][1]}" for c, _ in district_map.get(code, []))
                    for code in wardless
                ],
                "mapped_communes": len(commune_map),
                "unmapped_communes": sorted(set(communes_2004) - set(commune_map)),
                "divided_communes": sum(len(v) > 1 for v in commune_map.values()),
                "new_communes_without_source": sorted(
                    set(communes_2025)
                    - {c for v in (*commune_map.values(), *district_map.values()) for c, _ in v}
                ),
                "type_column_mismatches": type_mismatches,
            }
        )

    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def _add_unique(table: dict[Any, Any], key: Any, value: Any) -> None:
    if table.setdefault(key, value) != value:
        raise BuildError(f"conflicting data for {key!r}: {table[key]!r} vs {value!r}")


def _get(table: dict[Any, Any], key: Any, what: str) -> Any:
    try:
        return table[key]
    except KeyError:
        raise BuildError(f"unknown {what} {key!r}") from None


def _sorted(table: dict[str, list[str]]) -> list[list[str]]:
    return [table[code] for code in sorted(table)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {}
    try:
        payload = build(report)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    current = args.output.read_bytes() if args.output.exists() else None
    if args.check:
        if current != payload:
            print(
                f"{args.output} is stale: run python scripts/build_adminunits.py", file=sys.stderr
            )
            return 1
        print(f"{args.output} is current ({PACKAGE} {report['version']})")
        return 0

    if current != payload:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(payload)
        print(f"wrote {args.output} ({len(payload):,} bytes)")
    else:
        print(f"{args.output} unchanged ({len(payload):,} bytes)")
    for key, value in report.items():
        if isinstance(value, list):
            print(f"{key}: {len(value)}")
            for item in value:
                print(f"  {item}")
        else:
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
