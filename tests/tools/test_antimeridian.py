"""test_antimeridian.py — the tools on a front across 180° whose region or territory is written
the ways files write it (issue 10, class 3): split at ±180° as RFC 7946 asks (one MultiPolygon,
or two features), a ring with raw ±180° jumps, a GeoPackage in a projected CRS running past
180° (made with ogr2ogr, an independent writer). Truth: the same map moved 180° west, away from
the antimeridian (the ellipsoid is the same at every longitude), computed by the same tool."""
import math
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_antimeridian")
s.need_tools("bz-zones", "bz-diff")


def fold(x):
    return x - 360.0 * round(x / 360.0)


def wiggly(shift):
    """A 1,000 km wiggly front along 50°N from 173°E eastwards (moved by `shift`)."""
    return {"type": "LineString",
            "coordinates": [[fold(173 + 0.1 * i + shift), 50 + 0.05 * math.sin(0.3 * i)]
                            for i in range(141)]}


def moved(geom, shift):
    def ring(r):
        return [[fold(x + shift), y] for x, y in r]
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geom["coordinates"]]}
    return {"type": "MultiPolygon",
            "coordinates": [[ring(r) for r in p] for p in geom["coordinates"]]}


def zones(line, *args):
    r = s.run("bz-zones", line, *args, "-d", "10km", "-o", s.path("z.geojson"), "--overwrite",
              "--json")
    s.check_exit(r, 0, "bz-zones %s" % " ".join(str(a) for a in args))
    if r.code != 0:
        return None
    return {x["name"]: x["zone_km2"] for x in r.json()["sides"]}


def same(got, truth, what):
    if got is None or truth is None:
        s.check(False, what + ": both ran", (got, truth))
        return
    for name in truth:
        s.check(truth[name] > 1000, what + ": truth %s is a real zone" % name, truth)
        s.check_close(got.get(name), truth[name], 1e-6, "%s: side %s" % (what, name))


line = s.write_geojson("line.geojson", [(wiggly(0), {})])
line0 = s.write_geojson("line0.geojson", [(wiggly(-180), {})])

# the region 170°E-170°W, 45-55°N: its edges are straight in lon/lat, so splitting it at 180°
# (or moving it) does not change it
west, east = box(170, 45, 180, 55), box(-180, 45, -170, 55)
split = {"type": "MultiPolygon",
         "coordinates": [west["coordinates"], east["coordinates"]]}
region0 = s.write_geojson("region0.geojson", [(box(-10, 45, 10, 55), {})])
truth = zones(line0, "--region", region0)

one = s.write_geojson("split.geojson", [(split, {})])
same(zones(line, "--region", one), truth, "region split at 180 (one MultiPolygon)")
two = s.write_geojson("two.geojson", [(west, {}), (east, {})])
same(zones(line, "--region", two), truth, "region split at 180 (two features)")
raw = {"type": "Polygon", "coordinates": [[[fold(x), y] for x, y in box(170, 45, 190, 55)
                                           ["coordinates"][0]]]}
rawf = s.write_geojson("raw.geojson", [(raw, {})])
same(zones(line, "--region", rawf), truth, "region ring with raw 180 jumps")

# a projected region past 180°: PDC Mercator (EPSG:3832), written by ogr2ogr
if shutil.which("ogr2ogr"):
    unwrapped = s.write_geojson("unwrapped.geojson", [(box(170, 45, 190, 55, step=0.05), {})])
    gpkg = s.path("projected.gpkg")
    p = subprocess.run(["ogr2ogr", "-f", "GPKG", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:3832",
                        gpkg, unwrapped], capture_output=True, text=True)
    s.check(p.returncode == 0, "ogr2ogr writes the projected region", p.stderr)
    truth_p = zones(line0, "--region", s.write_geojson(
        "region0p.geojson", [(moved(box(170, 45, 190, 55, step=0.05), -180), {})]))
    if p.returncode == 0:
        same(zones(line, "--region", gpkg), truth_p, "projected region past 180")

# territory form: territory north of 50°N, split like the region
terr = {"type": "MultiPolygon", "coordinates": [box(170, 50, 180, 55)["coordinates"],
                                                box(-180, 50, -170, 55)["coordinates"]]}
terrf = s.write_geojson("terr.geojson", [(terr, {})])
terr0 = s.write_geojson("terr0.geojson", [(box(-10, 50, 10, 55), {})])
r = s.run("bz-zones", "--territory", terrf, "--region", one, "-d", "10km", "--json",
          "-o", s.path("t.geojson"))
r0 = s.run("bz-zones", "--territory", terr0, "--region", region0, "-d", "10km", "--json",
           "-o", s.path("t0.geojson"))
s.check_exit(r, 0, "territory form across 180")
s.check_exit(r0, 0, "territory form moved 180")
if r.code == 0 and r0.code == 0:
    got = {x["name"]: x["zone_km2"] for x in r.json()["sides"]}
    want = {x["name"]: x["zone_km2"] for x in r0.json()["sides"]}
    same(got, want, "territory form split at 180")
    s.check_close(r.json()["contact_line_km"], r0.json()["contact_line_km"], 1e-6,
                  "derived front runs through 180")

# bz-diff: the territory's southern edge moved 0.2° north; no change gives nothing
terr2 = s.write_geojson("terr2.geojson", [({"type": "MultiPolygon", "coordinates": [
    box(170, 50.2, 180, 55)["coordinates"], box(-180, 50.2, -170, 55)["coordinates"]]}, {})])
r = s.run("bz-diff", terrf, terr2, "--region", one, "--json")
s.check_exit(r, 0, "bz-diff across 180")
if r.code == 0:
    j = r.json()
    strip = geodesy.band_area(50, 50.2, 20) / 1e6
    s.check_close(j["lost_km2"], strip, 1e-6, "lost = the band 50-50.2N over 20 deg")
    s.check_near(j["gained_km2"], 0.0, 1e-6, "nothing gained")
    s.check_close(j["old_km2"], geodesy.band_area(50, 55, 20) / 1e6, 1e-6, "old area")
r = s.run("bz-diff", terrf, terrf, "--region", one, "--json")
s.check_exit(r, 0, "bz-diff old = new across 180")
if r.code == 0:
    j = r.json()
    s.check_near(j["gained_km2"], 0.0, 1e-6, "old = new: nothing gained")
    s.check_near(j["lost_km2"], 0.0, 1e-6, "old = new: nothing lost")

s.finish()
