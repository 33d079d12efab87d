"""test_derive.py — bz-derive on a square territory in a larger square region (closed-form
line: two edges minus the tolerance), and on the bundled Donbas data against the bundled line."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box, features_by_kind  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_derive")
s.need_tools("bz-derive")

# Territory [0,1]x[0,1] in region [-1,1]x[-1,1]: its edges on lon 1 and lat 1 are the region's
# edge (border, not front); the edges on lon 0 and on the equator are front, except their last
# tolerance (1 km) before the region's edge. The equator and meridians are geodesics, so the
# expected length is M(1 deg) + a*(1 deg) - 2 km.
terr = s.write_geojson("territory.geojson", [(box(0, 0, 1, 1), {"name": "held"})])
reg = s.write_geojson("region.geojson", [(box(-1, -1, 1, 1), {"name": "country"})])
out = s.path("front.geojson")
r = s.run("bz-derive", "--territory", terr, "--region", reg, "-o", out)
s.check_exit(r, 0, "bz-derive on squares")
want_km = (geodesy.meridian_arc(1.0) + geodesy.A * 3.141592653589793 / 180.0 - 2000.0) / 1000.0
s.check("1 piece" in r.out, "one piece reported", r)
fc = s.read_geojson(out)
kinds = features_by_kind(fc)
s.check(list(kinds) == ["contact_line"], "one contact_line feature written", kinds.keys())
if "contact_line" in kinds:
    f = kinds["contact_line"][0]
    g = f["geometry"]
    coords = g["coordinates"] if g["type"] == "LineString" else g["coordinates"][0]
    s.check_near(geodesy.line_length(coords) / 1000.0, want_km, 0.05,
                 "written line length (Vincenty) vs closed form, km")
    s.check_near(f["properties"].get("length_km"), want_km, 0.05, "length_km attribute")
    # The territory must be on the LEFT: the line runs south along lon 0, then east.
    s.check_near(coords[0][0], 0.0, 1e-6, "starts on lon 0")
    s.check_near(coords[0][1], geodesy.lat_at_meridian_distance(geodesy.meridian_arc(1.0) - 1000.0),
                 2e-4, "starts 1 km south of the region's edge")
    s.check_near(coords[-1][1], 0.0, 1e-6, "ends on the equator")
    s.check_near(coords[-1][0], 1.0 - 1000.0 / (geodesy.A * 3.141592653589793 / 180.0), 2e-4,
                 "ends 1 km west of the region's edge")
# The report's length, read from the first line "Contact line: N km in 1 piece"
try:
    reported = float(r.out.split("Contact line: ")[1].split(" km")[0].replace(",", ""))
except (IndexError, ValueError):
    reported = None
s.check_near(reported, want_km, 0.06, "reported length, km")

# A larger tolerance trims more; --min-length above the line's length leaves nothing (exit 1).
r = s.run("bz-derive", "--territory", terr, "--region", reg, "--tolerance", "5km", "-o", "-")
s.check_exit(r, 0, "bz-derive --tolerance 5km -o -")
s.check('"FeatureCollection"' in r.out, "GeoJSON on stdout", r)
s.check("Contact line:" in r.err, "the report goes to stderr when stdout carries the data", r)
try:
    coords = r.json()["features"][0]["geometry"]["coordinates"]
    s.check_near(geodesy.line_length(coords) / 1000.0, want_km - 8.0, 0.05, "5 km tolerance, km")
except (ValueError, KeyError, IndexError) as e:
    s.check(False, "stdout parses as GeoJSON", e)
r = s.run("bz-derive", "--territory", terr, "--region", reg, "--min-length", "500km", "-o",
          s.path("none.geojson"))
s.check_exit(r, 1, "bz-derive with every piece shorter than --min-length")
s.check(not os.path.exists(s.path("none.geojson")), "no file when no line is left")

# Bundled data: the Donbass breakaway area inside the Ukraine outline gives the 2015-2022 line
# of contact, which Natural Earth also publishes as a line (bundled): same length within 3 %
# (the tolerance trims the ends at the border and the coast; the outline is generalised).
D = s.data
r = s.run("bz-derive", "--territory", os.path.join(D, "donbas_breakaway_2015.geojson"),
          "--region", os.path.join(D, "ukraine_outline.geojson"), "-o", s.path("donbas.gpkg"))
s.check_exit(r, 0, "bz-derive on the bundled Donbas data (GeoPackage output)")
s.check(os.path.exists(s.path("donbas.gpkg")), "GeoPackage written")
r2 = s.run("bz-derive", "--territory", os.path.join(D, "donbas_breakaway_2015.geojson"),
           "--region", os.path.join(D, "ukraine_outline.geojson"), "-o", "-")
ref = s.read_geojson(os.path.join(D, "donbas_contact_line_2015.geojson"))
ref_km = geodesy.line_length(ref["features"][0]["geometry"]["coordinates"]) / 1000.0
try:
    g = r2.json()["features"][0]["geometry"]
    parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
    got_km = sum(geodesy.line_length(p) for p in parts) / 1000.0
    s.check_close(got_km, ref_km, 0.03, "derived Donbas line vs Natural Earth's line, km")
    # Orientation: the breakaway territory on the left means the derived line runs the other
    # way round from Natural Earth's line (which has Ukraine on its left): it starts near the
    # reference line's end (the Russian border) and ends near its start (the Azov coast).
    first, last = parts[0][0], parts[-1][-1]
    rc = ref["features"][0]["geometry"]["coordinates"]
    s.check(geodesy.vincenty(first[0], first[1], rc[-1][0], rc[-1][1]) < 5000,
            "derived line starts at the border end", (first, rc[-1]))
    s.check(geodesy.vincenty(last[0], last[1], rc[0][0], rc[0][1]) < 5000,
            "derived line ends at the coast end", (last, rc[0]))
except (ValueError, KeyError, IndexError) as e:
    s.check(False, "bz-derive -o - gives GeoJSON", e)

s.finish()
