"""test_zones.py — bz-zones in its three forms against closed-form truth.

A line along the equator is a geodesic, the points at geodesic distance d from it lie on the
parallel whose meridian arc is d (meridians are the perpendicular geodesics), and the area
between parallels is known in closed form (geodesy.band_area). So for the equator from lon 0
to lon 1 and d = 10 km each side's zone is band(0, lat_d) over 1 deg plus, in the line-alone
form, two quarter discs (pi d^2 / 2) at the ends.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box, features_by_kind  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_zones")
s.need_tools("bz-zones")
D = 10000.0
lat_d = geodesy.lat_at_meridian_distance(D)
deg_m = geodesy.A * math.pi / 180.0  # one degree of equator (a geodesic)
AREA_REL = 2.5e-4  # a 1 m accuracy bound over a ~250 km zone edge is 0.25 km² of ~1270 km²

line = s.write_geojson("equator.geojson",
                       [({"type": "LineString", "coordinates": [[0, 0], [0.5, 0], [1, 0]]}, {})])


def summary(run):
    try:
        return run.json()
    except ValueError:
        s.check(False, "JSON summary parses", run)
        return None


# --- line alone ----------------------------------------------------------------------------
out = s.path("alone.geojson")
r = s.run("bz-zones", line, "-d", "10km", "-o", out, "--json")
s.check_exit(r, 0, "line alone")
j = summary(r)
side_km2 = (geodesy.band_area(0, lat_d, 1) + math.pi * D * D / 2) / 1e6
if j:
    s.check(sorted(j) == ["buffer_zone_km2", "contact_line_km", "max_error_m", "sides"],
            "JSON keys", sorted(j))
    s.check([x["name"] for x in j["sides"]] == ["left", "right"], "sides named left, right")
    s.check_close(j["contact_line_km"], deg_m / 1000, 1e-7, "contact line = 1 deg of equator")
    for x in j["sides"]:
        s.check_near(x["distance_m"], D, 1e-9, x["name"] + " distance_m")
        s.check_close(x["zone_km2"], side_km2, AREA_REL, x["name"] + " zone = band + pi d²/2")
        # far edge: the parallel at lat_d plus the two quarter circles round the ends
        s.check_close(x["withdrawal_line_km"],
                      (geodesy.parallel_length(lat_d, 1) + math.pi * D) / 1000, 1e-3,
                      x["name"] + " withdrawal line = parallel + pi d")
    s.check_close(j["buffer_zone_km2"], 2 * side_km2, AREA_REL, "buffer zone = both sides")
    s.check(0 <= j["max_error_m"] <= 1.0, "max_error_m within the default 1 m bound", j)
fc = s.read_geojson(out)
kinds = features_by_kind(fc)
s.check(sorted(kinds) == ["buffer_zone", "contact_line", "withdrawal_line", "zone"],
        "features of every kind written", sorted(kinds))
s.check(sorted(f["properties"].get("side") for f in kinds.get("zone", [])) == ["left", "right"],
        "one zone per side, named")
s.check(len(kinds.get("withdrawal_line", [])) == 2 and len(kinds.get("contact_line", [])) == 1
        and len(kinds.get("buffer_zone", [])) == 1, "feature counts per kind")
for f in kinds.get("zone", []):
    s.check_close(f["properties"].get("area_km2"), side_km2, AREA_REL, "zone area_km2 attribute")
# side A (left of eastward travel) is north of the equator
for f in kinds.get("zone", []):
    ring = f["geometry"]["coordinates"][0]
    if f["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    mean_lat = sum(p[1] for p in ring) / len(ring)
    want_north = f["properties"].get("side") == "left"
    s.check((mean_lat > 0) == want_north, "left zone lies north, right zone south", mean_lat)

# The table: names, units, separators.
r = s.run("bz-zones", line, "-d", "6mi", "--names", "North,South", "-o", s.path("t.geojson"))
s.check_exit(r, 0, "table output")
s.check("North" in r.out and "South" in r.out and "buffer zone" in r.out and
        "contact line" in r.out and "km²" in r.out, "table rows and headers", r)
s.check("9.656 km" in r.out, "6 mi shown as 9.656 km", r)
s.check("111.3" in r.out, "contact line length in the table", r)

# One-sided withdrawal: B stays, its withdrawal line is the contact line itself.
r = s.run("bz-zones", line, "--a", "10km", "--b", "0", "-o", s.path("a.geojson"), "--json")
s.check_exit(r, 0, "--a 10km --b 0")
j = summary(r)
if j:
    a, b = j["sides"]
    s.check_close(a["zone_km2"], side_km2, AREA_REL, "A zone unchanged by B's distance")
    s.check_near(b["zone_km2"], 0.0, 1e-9, "B zone empty")
    s.check_close(b["withdrawal_line_km"], deg_m / 1000, 1e-6, "B withdrawal line = contact line")
    s.check_close(j["buffer_zone_km2"], side_km2, AREA_REL, "buffer zone = A's zone")

# Units: a bare number is km; nmi and m.
for text, metres in (("10", 10000.0), ("5.4nmi", 10000.8), ("10000m", 10000.0), ("6mi", 9656.064)):
    r = s.run("bz-zones", line, "-d", text, "-o", "-")
    s.check_exit(r, 0, "-d " + text + " -o -")
    s.check('"FeatureCollection"' in r.out and "buffer zone" in r.err,
            "GeoJSON on stdout, table on stderr", r)
    try:
        d = [f["properties"]["distance_m"] for f in r.json()["features"]
             if f["properties"].get("kind") == "zone"]
        s.check(d and all(abs(x - metres) < 0.1 for x in d), "-d %s is %g m" % (text, metres), d)
    except (ValueError, KeyError) as e:
        s.check(False, "stdout is GeoJSON", e)

# --- line + region: the region [0.2, 0.8] x [-1, 1] is split by the equator; no end caps -------
reg = s.write_geojson("region.geojson", [(box(0.2, -1, 0.8, 1), {"name": "region"})])
r = s.run("bz-zones", line, "--region", reg, "-d", "10km", "-o", s.path("lr.gpkg"), "--json")
s.check_exit(r, 0, "line + region (GeoPackage)")
s.check(os.path.exists(s.path("lr.gpkg")), "GeoPackage written")
j = summary(r)
if j:
    s.check_close(j["contact_line_km"], 0.6 * deg_m / 1000, 1e-6, "contact line inside region")
    for x in j["sides"]:
        s.check_close(x["zone_km2"], geodesy.band_area(0, lat_d, 0.6) / 1e6, AREA_REL,
                      x["name"] + " zone = band over 0.6 deg")
        s.check_close(x["withdrawal_line_km"], geodesy.parallel_length(lat_d, 0.6) / 1000, 1e-3,
                      x["name"] + " withdrawal line = the parallel")

# --- territory form: territory [0,1] x [0,1] (A) in region [0,1] x [-1,1]; line derived ------
terr = s.write_geojson("territory.geojson", [(box(0, 0, 1, 1), {})])
reg2 = s.write_geojson("region2.geojson", [(box(0, -1, 1, 1), {})])
r = s.run("bz-zones", "--territory", terr, "--region", reg2, "-d", "10km", "-o",
          s.path("terr.shp"), "--json")
s.check_exit(r, 0, "territory form (Shapefile)")
s.check(os.path.exists(s.path("terr_polygons.shp")) and os.path.exists(s.path("terr_lines.shp")),
        "Shapefile split into polygons and lines", os.listdir(s.tmp))
j = summary(r)
if j:
    s.check([x["name"] for x in j["sides"]] == ["A", "B"], "sides named A, B")
    # the derived line stops 1 km (the tolerance) short of the region's edges at both ends
    s.check_near(j["contact_line_km"], (deg_m - 2000) / 1000, 0.01, "derived contact line")
    for x in j["sides"]:
        s.check_close(x["zone_km2"], geodesy.band_area(0, lat_d, 1) / 1e6, 3e-4,
                      x["name"] + " zone = band over 1 deg")

# Refusing to overwrite, then --overwrite.
r = s.run("bz-zones", line, "-d", "10", "-o", out)
s.check_exit(r, 1, "existing output without --overwrite")
s.check(os.path.basename(out) in r.err or "exists" in r.err, "says the output exists", r)
r = s.run("bz-zones", line, "-d", "5", "-o", out, "--overwrite", "--threads", "1")
s.check_exit(r, 0, "--overwrite --threads 1")

# --where selects features of LINE; without it every line is a part of the front.
two = s.write_geojson("two.geojson", [
    ({"type": "LineString", "coordinates": [[0, 0], [1, 0]]}, {"name": "a"}),
    ({"type": "LineString", "coordinates": [[0, 5], [2, 5]]}, {"name": "b"}),
])
r = s.run("bz-zones", two, "--where", "name = 'a'", "-d", "1km", "-o", s.path("w.geojson"),
          "--json")
s.check_exit(r, 0, "--where")
if r.code == 0:
    s.check_close(r.json()["contact_line_km"], deg_m / 1000, 1e-7, "--where keeps feature a only")
r = s.run("bz-zones", two, "-d", "1km", "-f", "GeoJSON", "-o", s.path("both.txt"), "--json")
s.check_exit(r, 0, "two parts, -f GeoJSON with another extension")
if r.code == 0:
    want = (deg_m + geodesy.vincenty(0, 5, 2, 5)) / 1000
    s.check_close(r.json()["contact_line_km"], want, 1e-7, "both parts measured (Vincenty)")
    s.check('"FeatureCollection"' in open(s.path("both.txt")).read(), "-f GeoJSON honoured")
r = s.run("bz-zones", two, "--where", "name = 'zzz'", "-d", "1km", "-o", s.path("none.geojson"))
s.check_exit(r, 1, "--where matching nothing")

# --- bundled data: the Korean MDL, 2 km each side (the real DMZ) ------------------------------
mdl = os.path.join(s.data, "korea_mdl_lsib.geojson")
mdl_km = geodesy.line_length(s.read_geojson(mdl)["features"][0]["geometry"]["coordinates"]) / 1e3
r = s.run("bz-zones", mdl, "--region", os.path.join(s.data, "korea_outline.geojson"), "-d", "2km",
          "--names", "North Korea,South Korea", "-o", s.path("dmz.geojson"), "--json")
s.check_exit(r, 0, "Korean MDL with the peninsula as region")
j = summary(r)
if j:
    # a line's two-sided zone is at most 2 d L plus the round ends (pi d^2), less where bends
    # overlap; the real DMZ is ~ 2 x 2 km x 238 km
    s.check(0.85 * 2 * 2 * mdl_km <= j["buffer_zone_km2"] <= 2 * 2 * mdl_km + math.pi * 4,
            "DMZ area between 0.85 x 2 d L and 2 d L + pi d²", (j["buffer_zone_km2"], 4 * mdl_km))
    s.check_close(j["contact_line_km"], mdl_km, 0.02, "MDL length inside the peninsula")
    s.check(j["max_error_m"] <= 1.0, "max error within 1 m", j)

s.finish()
