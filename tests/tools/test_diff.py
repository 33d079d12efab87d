"""test_diff.py — bz-diff on boxes whose areas are known in closed form (bands between
parallels), per administrative unit, with the changed polygons written and read back."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box, features_by_kind  # noqa: E402
import geodesy  # noqa: E402

s = Suite("tool_diff")
s.need_tools("bz-diff")
km2 = 1e-6
band = geodesy.band_area

old = s.write_geojson("old.geojson", [(box(0, 0, 1, 1), {})])
grown = s.write_geojson("grown.geojson", [(box(0, 0, 1, 2), {})])
shifted = s.write_geojson("shifted.geojson", [(box(0.5, 0, 1.5, 1), {})])
units = s.write_geojson("units.geojson", [
    (box(0, -1, 0.5, 3), {"name": "West"}),
    (box(0.5, -1, 1, 3), {"name": "East"}),
    (box(1, -1, 2, 3), {"name": "Far East"}),
])

# Growth north: gained = the band 1..2 deg over 1 deg, nothing lost.
r = s.run("bz-diff", old, grown, "--json")
s.check_exit(r, 0, "bz-diff --json")
j = r.json()
s.check(set(j) == {"old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"}, "JSON keys", j)
s.check_close(j["old_km2"], band(0, 1, 1) * km2, 1e-6, "old area")
s.check_close(j["new_km2"], band(0, 2, 1) * km2, 1e-6, "new area")
s.check_close(j["gained_km2"], band(1, 2, 1) * km2, 1e-6, "gained area")
s.check_near(j["lost_km2"], 0.0, 1e-6, "nothing lost")
s.check_close(j["net_km2"], (band(0, 2, 1) - band(0, 1, 1)) * km2, 1e-6, "net = new - old")

# A shift east by half a degree: half gained, half lost, net zero; per unit: West lost it all,
# Far East gained it all, East unchanged.
out = s.path("changes.geojson")
r = s.run("bz-diff", old, shifted, "--by", units, "--by-field", "name", "-o", out, "--json")
s.check_exit(r, 0, "bz-diff --by --by-field -o --json")
j = r.json()
half = band(0, 1, 0.5) * km2
s.check_close(j["gained_km2"], half, 1e-6, "shift: gained")
s.check_close(j["lost_km2"], half, 1e-6, "shift: lost")
s.check_near(j["net_km2"], 0.0, 1e-3, "shift: net")
by_name = {u["name"]: u for u in j.get("units", [])}
s.check(set(by_name) == {"West", "East", "Far East"}, "every unit listed in JSON", by_name)
if set(by_name) == {"West", "East", "Far East"}:
    s.check_close(by_name["West"]["lost_km2"], half, 1e-6, "West lost the western half")
    s.check_near(by_name["West"]["gained_km2"], 0.0, 1e-3, "West gained nothing")
    s.check_close(by_name["Far East"]["gained_km2"], half, 1e-6, "Far East gained")
    s.check_near(by_name["East"]["net_km2"], 0.0, 1e-3, "East unchanged")
fc = s.read_geojson(out)
kinds = features_by_kind(fc)
s.check(sorted(kinds) == ["gained", "lost"], "changes file holds gained and lost", list(kinds))
for k in ("gained", "lost"):
    if k in kinds:
        s.check_close(kinds[k][0]["properties"].get("area_km2"), half, 1e-6, k + " area_km2")

# The table: aligned, thousands separators, a signed net change, units sorted by change.
r = s.run("bz-diff", old, shifted, "--by", units)
s.check_exit(r, 0, "bz-diff table (field guessed: name)")
s.check("gained" in r.out and "lost" in r.out and "net change" in r.out, "table rows", r)
s.check("6,145.9" in r.out or "{:,.1f}".format(half) in r.out, "gained km² with separators", r)
rows = [l for l in r.out.splitlines() if l.startswith(("West", "Far East", "East"))]
s.check([l.split()[0] for l in rows] == ["Far", "West"] or
        [l.split()[0] for l in rows] == ["West", "Far"], "only changed units listed", rows)

# --region: count only changes inside it (the band 1..1.5 deg of the growth).
reg = s.write_geojson("region.geojson", [(box(-1, -1, 2, 1.5), {})])
r = s.run("bz-diff", old, grown, "--region", reg, "--json")
s.check_exit(r, 0, "bz-diff --region")
s.check_close(r.json()["gained_km2"], band(1, 1.5, 1) * km2, 1e-6, "gained inside the region")

# Changes to stdout as GeoJSON, the report to stderr.
r = s.run("bz-diff", old, grown, "-o", "-")
s.check_exit(r, 0, "bz-diff -o -")
s.check('"gained"' in r.out and "net change" in r.err, "GeoJSON on stdout, table on stderr", r)

# An admin file without the field asked for.
r = s.run("bz-diff", old, grown, "--by", units, "--by-field", "oblast")
s.check_exit(r, 1, "bz-diff --by-field naming a missing attribute")
s.check("oblast" in r.err, "the message names the missing attribute", r)

s.finish()
