#!/usr/bin/env python3
"""Writes Vietnam's official administrative units into reference/admin-units/, from PyPI packages.

Run by a developer (`make admin-units-data`), never at build or run time: the server reads the
committed files. Sources (see reference/admin-units/SOURCE.md):
  - vietnamadminunits (MIT): both structures with GSO codes, centroids, bounding boxes (legacy)
    and areas (2025), and the official mapping of every legacy commune to its 2025 commune(s);
  - vietnam-provinces: the 2025 structure's GSO codes, used only to cross-check (nothing of it
    is written).

Files written (UTF-8 CSV, sorted by code, so a refresh shows as a readable diff):
  units-2025.csv       code,level,kind,name,parent_code,lat,lon,area_km2
  units-legacy.csv     code,level,kind,name,parent_code,lat,lon,min_lat,min_lon,max_lat,max_lon
  successors-2025.csv  legacy_code,code,is_default   (a legacy commune → its 2025 commune(s))
  code-disagreements.csv  2025 communes whose code differs in vietnam-provinces, for review
"""
import csv
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import vietnam_provinces
import vietnamadminunits

OUT = Path(__file__).resolve().parents[2] / "reference" / "admin-units"
PKG = Path(vietnamadminunits.__file__).parent / "data"

# Vietnamese unit types → the kinds of ocop_domain::admin_unit::AdminUnitKind.
PROVINCE_KINDS = {"Tỉnh": "province", "Thành phố": "municipality"}
DISTRICT_KINDS = {"Huyện": "rural_district", "Quận": "urban_district", "Thị xã": "town", "Thành phố": "provincial_city"}
COMMUNE_KINDS = {"Xã": "commune", "Phường": "ward", "Thị trấn": "township", "Đặc khu": "special_zone"}


def province_kind(name: str) -> str:
    return next(kind for prefix, kind in PROVINCE_KINDS.items() if name.startswith(prefix + " "))


def bounds(text):
    """'20.68,106.43 – 21.66,108.08' → (min_lat, min_lon, max_lat, max_lon)."""
    if not text:
        return ("", "", "", "")
    low, high = (part.strip() for part in text.split("–"))
    (a, b), (c, d) = (low.split(","), high.split(","))
    return (a, b, c, d)


def write(name, header, rows):
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main():
    db = sqlite3.connect(PKG / "dataset.db")
    db.row_factory = sqlite3.Row

    current, provinces = [], {}
    for r in db.execute("SELECT * FROM admin_units"):
        provinces[r["provinceCode"]] = r
        current.append((r["wardCode"], "commune", COMMUNE_KINDS[r["wardType"]], r["ward"], r["provinceCode"],
                        r["wardLat"], r["wardLon"], r["wardAreaKm2"]))
    for code, r in provinces.items():
        current.append((code, "province", province_kind(r["province"]), r["province"], "", r["provinceLat"], r["provinceLon"], ""))

    legacy, seen = [], set()
    for r in db.execute("SELECT * FROM admin_units_legacy"):
        if ("p", r["provinceCode"]) not in seen:
            seen.add(("p", r["provinceCode"]))
            legacy.append((r["provinceCode"], "province", province_kind(r["province"]), r["province"], "",
                           r["provinceLat"], r["provinceLon"], *bounds(r["provinceBounds"])))
        if ("d", r["districtCode"]) not in seen:
            seen.add(("d", r["districtCode"]))
            legacy.append((r["districtCode"], "district", DISTRICT_KINDS[r["districtType"]], r["district"], r["provinceCode"],
                           r["districtLat"], r["districtLon"], *bounds(r["districtBounds"])))
        if r["wardCode"]:  # island districts had no communes
            legacy.append((r["wardCode"], "commune", COMMUNE_KINDS[r["wardType"]], r["ward"], r["districtCode"],
                           r["wardLat"], r["wardLon"], *bounds(r["wardBounds"])))

    # The converter names units by keys: legacy "province_district_ward", 2025 ward keys per province.
    legacy_code = {f'{r["provinceKey"]}_{r["districtKey"]}_{r["wardKey"]}': r["wardCode"]
                   for r in db.execute("SELECT * FROM admin_units_legacy WHERE wardCode IS NOT NULL")}
    current_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in db.execute("SELECT * FROM admin_units")}
    converter = json.loads((PKG / "converter_2025.json").read_text(encoding="utf-8"))
    successors = set()
    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                if old in legacy_code:  # keys of island districts without communes name no commune
                    successors.add((legacy_code[old], current_code[(province, ward)], "true"))
    divided = set()
    for province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            divided.add(legacy_code[old])
            for new in news:
                successors.add((legacy_code[old], current_code[(province, new["newWardKey"])],
                                "true" if new["isDefaultNewWard"] else "false"))
    # A divided commune is listed with each of its parts; drop its plain entries if any.
    successors = {s for s in successors if s[0] not in divided or any(
        t[0] == s[0] and t[1] == s[1] for t in successors if t[0] in divided)}

    # Cross-check the 2025 structure against vietnam-provinces (GPL: read here, never shipped).
    # Counts must agree; codes that differ for the same named unit are listed for review.
    nested = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    theirs = {(f'{p["code"]:02d}', w["name"]): f'{w["code"]:05d}' for p in nested for w in p["wards"]}
    if len(nested) != len(provinces) or len(theirs) != len(current) - len(provinces):
        sys.exit(f"2025 structure sizes disagree: {len(nested)}/{len(theirs)} there, {len(provinces)}/{len(current) - len(provinces)} here")
    disagreements = [(row[4], row[3], row[0], theirs.get((row[4], row[3]), ""))
                     for row in current if row[1] == "commune" and theirs.get((row[4], row[3])) != row[0]]
    write("code-disagreements.csv", ["province_code", "name", "code", "code_in_vietnam_provinces"], disagreements)

    write("units-2025.csv", ["code", "level", "kind", "name", "parent_code", "lat", "lon", "area_km2"], current)
    write("units-legacy.csv", ["code", "level", "kind", "name", "parent_code", "lat", "lon", "min_lat", "min_lon", "max_lat", "max_lon"], legacy)
    write("successors-2025.csv", ["legacy_code", "code", "is_default"], successors)
    versions = {name: metadata.version(name) for name in ("vietnamadminunits", "vietnam-provinces")}
    (OUT / "versions.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(versions)


if __name__ == "__main__":
    main()
