"""test_compare.py — bz-compare: proposals along the equator (closed-form areas, see
test_zones.py), an explicit zone polygon, settlements counted by hand, table / CSV / JSON."""
import csv
import io
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_compare")
s.need_tools("bz-compare")
AREA_REL = 2.5e-4


def side_km2(d):
    """One side's zone along the equator lon 0..1, line alone: band + two quarter discs."""
    if d == 0:
        return 0.0
    return (geodesy.band_area(0, geodesy.lat_at_meridian_distance(d), 1) + math.pi * d * d / 2) / 1e6


line = s.write_geojson("equator.geojson",
                       [({"type": "LineString", "coordinates": [[0, 0], [1, 0]]}, {})])
zone = s.write_geojson("zone.geojson", [(box(0.4, -0.1, 0.6, 0.1), {"name": "asked to leave"})])
# Places: 5.5 km north (in A's 10 km zone, not its 5 km one), 5.5 km south, 22 km north.
places = s.write_geojson("places.geojson", [
    ({"type": "Point", "coordinates": [0.5, 0.05]}, {"name": "Nordtown", "population": 1000}),
    ({"type": "Point", "coordinates": [0.5, -0.05]}, {"name": "Südstadt", "population": 2000}),
    ({"type": "Point", "coordinates": [0.3, 0.2]}, {"name": "Farville", "population": 5000}),
    ({"type": "Point", "coordinates": [0.55, 0.02]}, {"name": "Hamlet"}),
])
args = [line, "--proposal", "equal 10 km=sym:10km", "--proposal", "one-sided=a:10km,b:0",
        "--proposal", "mixed=right:10km,left:5km", "--proposal", "zone:" + zone,
        "--places", places]

r = s.run("bz-compare", *(args + ["--json"]))
s.check_exit(r, 0, "bz-compare --json")
try:
    j = r.json()
except ValueError:
    j = None
    s.check(False, "JSON parses", r)
if j:
    p = {x["name"]: x for x in j["proposals"]}
    s.check(list(p) == ["equal 10 km", "one-sided", "mixed", "zone:" + zone],
            "proposals in order, unnamed one named by its spec", list(p))
    s.check_close(j["contact_line_km"], geodesy.A * math.pi / 180 / 1000, 1e-7, "contact line")
    want = {"equal 10 km": (10000, 10000), "one-sided": (10000, 0), "mixed": (5000, 10000)}
    for name, (da, db) in want.items():
        if name not in p:
            continue
        a, b = p[name]["sides"]
        s.check(a["name"] == "left" and b["name"] == "right", name + ": sides left, right")
        s.check_near(a["distance_m"], da, 1e-9, name + ": A distance")
        s.check_near(b["distance_m"], db, 1e-9, name + ": B distance")
        if da:
            s.check_close(a["zone_km2"], side_km2(da), AREA_REL, name + ": A gives up")
        else:
            s.check_near(a["zone_km2"], 0, 1e-9, name + ": A gives up nothing")
        if db:
            s.check_close(b["zone_km2"], side_km2(db), AREA_REL, name + ": B gives up")
        else:
            s.check_near(b["zone_km2"], 0, 1e-9, name + ": B gives up nothing")
        s.check_close(p[name]["buffer_zone_km2"], side_km2(da) + side_km2(db), AREA_REL,
                      name + ": buffer zone")
    if "equal 10 km" in p:
        s.check_near(p["equal 10 km"]["ratio_a_b"], 1.0, 1e-4, "symmetric ratio 1")
        a, b = p["equal 10 km"]["sides"]
        s.check((a["places"], a["population"], b["places"], b["population"]) == (2, 1000, 1, 2000),
                "sym 10 km: Nordtown + Hamlet (no population) north, Südstadt south",
                (a, b))
    if "one-sided" in p:
        s.check(p["one-sided"]["ratio_a_b"] is None, "ratio undefined when B gives up nothing")
        a, b = p["one-sided"]["sides"]
        s.check((a["places"], b["places"], b["population"]) == (2, 0, 0), "one-sided places",
                (a, b))
    if "mixed" in p:
        a, b = p["mixed"]["sides"]
        # Hamlet is 2.2 km north (inside 5 km), Nordtown 5.5 km (outside)
        s.check((a["places"], a["population"], b["places"]) == (1, 0, 1), "mixed places", (a, b))
    zk = "zone:" + zone
    if zk in p:
        a, b = p[zk]["sides"]
        half = geodesy.band_area(0, 0.1, 0.2) / 1e6
        s.check(a["distance_m"] is None, "explicit zone: no distance")
        s.check_close(a["zone_km2"], half, 1e-5, "explicit zone, north half")
        s.check_close(b["zone_km2"], half, 1e-5, "explicit zone, south half")
        s.check_close(p[zk]["buffer_zone_km2"], 2 * half, 1e-5, "explicit zone, whole")

# CSV: a header, one row per proposal, raw numbers.
r = s.run("bz-compare", *(args + ["--csv", "--names", "North,South"]))
s.check_exit(r, 0, "bz-compare --csv")
rows = list(csv.DictReader(io.StringIO(r.out)))
s.check(len(rows) == 4, "four CSV rows", r.out)
if rows:
    s.check(rows[0]["side_a"] == "North" and rows[0]["side_b"] == "South", "CSV side names")
    s.check_close(float(rows[0]["zone_a_km2"]), side_km2(10000), AREA_REL, "CSV zone_a_km2")
    s.check(rows[1]["ratio_a_b"] == "" and rows[3]["distance_a_m"] == "",
            "CSV leaves undefined values empty", rows)
    s.check(rows[0]["places_a"] == "2" and rows[0]["population_b"] == "2000", "CSV places", rows[0])

# The table: aligned columns, thousands separators, the side names in the headers.
r = s.run("bz-compare", *(args + ["--names", "North,South"]))
s.check_exit(r, 0, "bz-compare table")
lines = r.out.splitlines()
hdr = [l for l in lines if l.startswith("proposal")]
s.check(bool(hdr) and "North gives up km²" in hdr[0] and "South people" in hdr[0],
        "table header names the sides", r.out)
s.check("{:,.1f}".format(side_km2(10000)) in r.out, "areas with thousands separators", r.out)
s.check("1.00 : 1" in r.out, "ratio shown as 1.00 : 1", r.out)
s.check("2,000" in r.out, "population with separator", r.out)
body = [l for l in lines if l.startswith(("equal", "one-sided", "mixed", "zone:"))]
if hdr and body:
    # right-aligned numeric columns end at the same character as their header
    end = hdr[0].index("buffer zone km²") + len("buffer zone km²")
    s.check(all(len(l) >= end and l[end - 1].isdigit() and (len(l) == end or l[end] == " ")
                for l in body), "buffer column right-aligned under its header", r.out)

s.finish()
