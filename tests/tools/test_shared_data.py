"""test_shared_data.py — the tools on the team's real data (../shared/data; skipped when it is
absent): the contact line derived from DeepState's 2026-08-22 map within Ukraine's oblasts,
three proposals compared with GeoNames places, the 2024-07-08 -> 2026-08-22 change against the
areas in SOURCES.md, and a rendered map of the zones."""
import math
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, features_by_kind  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_shared_data")
s.need_tools("bz-derive", "bz-compare", "bz-diff", "bz-zones", "bz-render")
S = s.shared_data()
occupied = os.path.join(S, "frontline", "deepstate_occupied_2026-08-22.geojson")
occupied_old = os.path.join(S, "frontline", "deepstate_occupied_2024-07-08.geojson")
oblasts = os.path.join(S, "boundaries", "ukraine_adm1_geoboundaries.geojson")
places = os.path.join(S, "places", "geonames_cities1000_ua_and_ru_border_region.geojson")
for f in (occupied, occupied_old, oblasts, places):
    if not os.path.exists(f):
        s.skip("missing " + f)


def parts_of(g):
    if g["type"] == "LineString":
        return [g["coordinates"]]
    if g["type"] == "MultiLineString":
        return g["coordinates"]
    if g["type"] == "Polygon":
        return g["coordinates"]
    if g["type"] == "MultiPolygon":
        return [r for p in g["coordinates"] for r in p]
    return []


# --- bz-derive: the front line of 2026-08-22 -------------------------------------------------
front = s.path("front.geojson")
r = s.run("bz-derive", "--territory", occupied, "--region", oblasts, "-o", front)
s.check_exit(r, 0, "bz-derive on DeepState 2026-08-22 within the oblasts' union")
perimeter_km = sum(geodesy.line_length(p) for f in s.read_geojson(occupied)["features"]
                   for p in parts_of(f["geometry"])) / 1000
written_km = None
if os.path.exists(front):
    fc = s.read_geojson(front)
    written_km = sum(geodesy.line_length(p) for f in fc["features"]
                     for p in parts_of(f["geometry"])) / 1000
    # The line is a part of the territory's edge: longer than the ~1,000 km land front, shorter
    # than the whole perimeter (which adds the state border and the coast).
    s.check(1000 < written_km < perimeter_km, "front line between 1,000 km and the territory's "
            "perimeter (%.0f km)" % perimeter_km, written_km)
try:
    reported_km = float(r.out.split("Contact line: ")[1].split(" km")[0].replace(",", ""))
    pieces = int(r.out.split(" km in ")[1].split(" piece")[0])
except (IndexError, ValueError):
    reported_km, pieces = None, 0
if written_km:
    s.check_close(reported_km, written_km, 1e-3, "reported length = written line (Vincenty)")

# --- bz-compare: three proposals, GeoNames places ---------------------------------------------
r = s.run("bz-compare", "--territory", occupied, "--region", oblasts, "--names",
          "occupied,Ukraine", "--proposal", "sym:5km", "--proposal", "sym:10km", "--proposal",
          "a:10km,b:0", "--places", places, "--json", timeout=1500)
s.check_exit(r, 0, "bz-compare sym:5km, sym:10km, a:10km,b:0 with places")
try:
    j = r.json()
except ValueError:
    j = None
    s.check(False, "bz-compare JSON parses", r)
if j:
    p = {x["name"]: x for x in j["proposals"]}
    L = j["contact_line_km"]
    if written_km:
        s.check_close(L, written_km, 0.01, "compare's contact line = bz-derive's line")
    for name, d_km in (("sym:5km", 5.0), ("sym:10km", 10.0)):
        a, b = p[name]["sides"]
        s.check([a["name"], b["name"]] == ["occupied", "Ukraine"], name + ": side names")
        s.check_close(p[name]["buffer_zone_km2"], a["zone_km2"] + b["zone_km2"], 1e-6,
                      name + ": buffer zone = sum of the disjoint zones")
        # both sides' zones together at most 2 d L plus a round end (pi d^2) per piece (less
        # where bends overlap and where the region clips)
        s.check(0.4 * 2 * d_km * L < p[name]["buffer_zone_km2"] <=
                2 * d_km * L + math.pi * d_km * d_km * max(pieces, 1),
                name + ": buffer zone between 0.4 x 2 d L and 2 d L + pieces x pi d²",
                (p[name], L, pieces))
        s.check(a["places"] > 0 and b["places"] > 0, name + ": settlements on both sides")
    a5, b5 = p["sym:5km"]["sides"]
    a10, b10 = p["sym:10km"]["sides"]
    ao, bo = p["a:10km,b:0"]["sides"]
    s.check(a10["zone_km2"] > a5["zone_km2"] and b10["zone_km2"] > b5["zone_km2"],
            "10 km zones larger than 5 km zones")
    s.check(a10["places"] >= a5["places"] and b10["places"] >= b5["places"],
            "10 km zones hold at least the 5 km zones' places")
    s.check_close(ao["zone_km2"], a10["zone_km2"], 1e-6, "one-sided: A gives up what sym:10 asks")
    s.check(bo["zone_km2"] == 0 and bo["places"] == 0, "one-sided: B gives up nothing", bo)
    s.check(ao["places"] == a10["places"] and ao["population"] == a10["population"],
            "one-sided: same places on A's side as sym:10km")
r = s.run("bz-compare", "--territory", occupied, "--region", oblasts, "--proposal", "sym:10km",
          "--places", places, timeout=1500)
s.check_exit(r, 0, "bz-compare table on real data")
s.check("people" in r.out and "," in r.out, "table with populations and separators", r)

# --- bz-diff: 2024-07-08 -> 2026-08-22 against SOURCES.md's areas ----------------------------
r = s.run("bz-diff", occupied_old, occupied, "--by", oblasts, "--by-field", "shapeName",
          "-o", s.path("changes.gpkg"), "--json")
s.check_exit(r, 0, "bz-diff on DeepState 2024-07-08 -> 2026-08-22 by oblast")
try:
    j = r.json()
    s.check_close(j["net_km2"], 116995 - 109361, 0.001,
                  "net change = difference of the SOURCES.md areas (116,995 - 109,361 km²)")
    s.check_close(j["old_km2"], 109361, 0.0005, "old area vs SOURCES.md")
    s.check_close(j["new_km2"], 116995, 0.0005, "new area vs SOURCES.md")
    units = {u["name"]: u for u in j["units"]}
    s.check(len(units) == 27, "27 oblast-level units", len(units))
    s.check(max(units.values(), key=lambda u: u["net_km2"])["name"] == "Donetsk Oblast",
            "the largest gain is in Donetsk Oblast")
    # DeepState's map may reach a little past the state border; the oblasts hold almost all
    s.check_close(sum(u["net_km2"] for u in units.values()), j["net_km2"], 0.01,
                  "per-oblast changes add up to the total")
except (ValueError, KeyError) as e:
    s.check(False, "bz-diff JSON", e)
s.check(os.path.exists(s.path("changes.gpkg")), "changes written as GeoPackage")

# --- the Korean DMZ (held-out truth): 2 km each side of the bundled MDL vs LSIB's DMZ edges --
dmz = os.path.join(S, "heldout", "korea_dmz_lsib.geojson")
if os.path.exists(dmz):
    edges = {}
    for f in s.read_geojson(dmz)["features"]:
        pr = f["properties"]
        if pr.get("DISCLAIME1") == "DMZ":
            edges[pr["COUNTRY_NA"]] = geodesy.line_length(f["geometry"]["coordinates"]) / 1000
    r = s.run("bz-zones", os.path.join(s.data, "korea_mdl_lsib.geojson"), "--region",
              os.path.join(s.data, "korea_outline.geojson"), "-d", "2km", "--names",
              "North Korea,South Korea", "-o", s.path("dmz.geojson"), "--json")
    s.check_exit(r, 0, "bz-zones on the MDL, 2 km")
    try:
        for side in r.json()["sides"]:
            # the DMZ's edges are drawn by hand along the 2 km line: their lengths agree
            s.check_close(side["withdrawal_line_km"], edges[side["name"]], 0.05,
                          side["name"] + " withdrawal line vs LSIB's DMZ edge (km)")
    except (ValueError, KeyError) as e:
        s.check(False, "DMZ comparison", e)

# --- bz-zones and bz-render: the map of a 10 km / 5 km proposal ------------------------------
zones = s.path("zones.geojson")
r = s.run("bz-zones", "--territory", occupied, "--region", oblasts, "--a", "10km", "--b", "5km",
          "--names", "occupied,Ukraine", "-o", zones, "--json", timeout=1500)
s.check_exit(r, 0, "bz-zones territory form on real data")
if os.path.exists(zones):
    kinds = features_by_kind(s.read_geojson(zones))
    s.check(sorted(kinds) == ["buffer_zone", "contact_line", "withdrawal_line", "zone"],
            "every kind written", sorted(kinds))
    try:
        j = r.json()
        s.check(j["max_error_m"] <= 1.0, "max error within the 1 m bound", j["max_error_m"])
    except ValueError:
        s.check(False, "bz-zones JSON", r)
    svg = s.path("zones.svg")
    r = s.run("bz-render", zones, oblasts, "--places", places, "--focus", "-o", svg)
    s.check_exit(r, 0, "bz-render of the real zones")
    try:
        ET.parse(svg)
        s.check(True, "real-data SVG is well-formed")
    except (ET.ParseError, OSError) as e:
        s.check(False, "real-data SVG is well-formed", e)

s.finish()
