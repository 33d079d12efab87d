"""bz.zones / compare / diff / derive give the C tools' results on the sample data: the same
numbers (bz-zones --json, bz-compare --json, bz-diff --json, bz-derive) and the same
geometries (the tools' GeoJSON files, rounded to 7 decimals = 1 cm)."""
import json
import math

import pytest
import shapely.geometry

import bufferzone as bz
from conftest import LINE, PLACES, REGION, TERRITORY, tool, tool_json


def close(a, b, rel=1e-9, abs_=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def features_by_kind_side(fc):
    return {(f["properties"]["kind"], f["properties"]["side"]): f for f in fc["features"]}


def same_shape(a, b, tol_deg=2e-7):
    """Two geometries agree to the tools' 7-decimal rounding: lines each within tol of the
    other; polygons cover the same ground within tol of their boundary, and the written one
    (b) is valid. A polygon that rounding would make invalid is snapped to the 7-decimal grid
    by the writer, which closes slits narrower than a grid cell (seen: a 500 m slit 4e-10° wide
    in the sample's buffer zone): nothing of area, but far in Hausdorff's vertex terms."""
    if a.is_empty or b.is_empty:
        return a.is_empty and b.is_empty
    if a.geom_type in ("Polygon", "MultiPolygon"):
        return b.is_valid and a.symmetric_difference(b).area <= a.boundary.length * tol_deg
    return a.hausdorff_distance(b) <= tol_deg


@pytest.mark.parametrize("args,kwargs", [
    (["-d", "15km"], {"distance": "15km"}),
    (["--a", "10km", "--b", "0"], {"distance_a": 10_000, "distance_b": 0}),
    (["--a", "5km", "--b", "12km"], {"distance_a": 5000.0, "distance_b": "12km"}),
])
def test_line_and_region_match_bz_zones(tmp_path, args, kwargs):
    out = tmp_path / "tool.geojson"
    j = tool_json("bz-zones", LINE, "--region", REGION, *args, "--names", "Ukraine,Donbass",
                  "-o", out)
    z = bz.zones(LINE, region=REGION, names=("Ukraine", "Donbass"), **kwargs)
    s = z.summary()
    # The tool prints 4 decimals of km / km² and 4 of metres.
    assert abs(s["contact_line_km"] - j["contact_line_km"]) < 1e-4
    assert abs(s["buffer_zone_km2"] - j["buffer_zone_km2"]) < 1e-3
    assert abs(s["max_error_m"] - j["max_error_m"]) < 1e-4
    for mine, theirs in zip(s["sides"], j["sides"]):
        assert mine["name"] == theirs["name"]
        assert mine["distance_m"] == theirs["distance_m"]
        assert abs(mine["zone_km2"] - theirs["zone_km2"]) < 1e-4
        assert abs(mine["withdrawal_line_km"] - theirs["withdrawal_line_km"]) < 1e-4
    # Geometries: the file the tool wrote against ours, feature by feature.
    fc = json.loads(out.read_text())
    by = features_by_kind_side(fc)
    gdf = z.to_geodataframe()
    assert len(gdf) == len(fc["features"]) == 6
    for row, f in zip(gdf.itertuples(), fc["features"]):
        p = f["properties"]
        assert (row.kind, row.side) == (p["kind"], p["side"])
        for col in ("distance_m", "area_km2", "length_km"):
            if p[col] is None:
                assert math.isnan(getattr(row, col))
            else:
                assert close(getattr(row, col), p[col], rel=1e-12)
        assert same_shape(row.geometry, shapely.geometry.shape(f["geometry"])), row.kind
    assert ("zone", "Ukraine") in by and ("buffer_zone", None) in by


def test_to_geojson_is_what_bz_zones_writes(tmp_path):
    out = tmp_path / "zones.geojson"
    tool("bz-zones", LINE, "--region", REGION, "-d", "10km", "--names", "Ukraine,Donbass",
         "-o", out)
    z = bz.zones(LINE, region=REGION, distance=10_000)
    mine = json.loads(z.to_geojson(names=("Ukraine", "Donbass")))
    theirs = json.loads(out.read_text())
    assert mine["features"] == theirs["features"]


def test_territory_form_matches_bz_zones(tmp_path):
    j = tool_json("bz-zones", "--territory", TERRITORY, "--region", REGION, "--a", "10km",
                  "--b", "0", "-o", tmp_path / "z.geojson")
    z = bz.zones(territory=TERRITORY, region=REGION, distance_a=10_000, distance_b=0)
    s = z.summary()
    assert abs(s["contact_line_km"] - j["contact_line_km"]) < 1e-4
    for mine, theirs in zip(s["sides"], j["sides"]):
        assert abs(mine["zone_km2"] - theirs["zone_km2"]) < 1e-4
        assert abs(mine["withdrawal_line_km"] - theirs["withdrawal_line_km"]) < 1e-4
    assert z.area("B") == 0.0 and z.zone("B").is_empty
    assert z.area("A") > 0


def test_derive_matches_bz_derive(tmp_path):
    out = tmp_path / "line.geojson"
    tool("bz-derive", "--territory", TERRITORY, "--region", REGION, "--tolerance", "1km",
         "-o", out)
    theirs = bz.read_line(out)
    mine = bz.derive(TERRITORY, REGION, tolerance=1000)
    assert mine.num_parts == theirs.num_parts
    assert abs(mine.length_m - theirs.length_m) < 0.05  # 7-decimal rounding of the file
    assert same_shape(mine.geometry, theirs.geometry)


def test_compare_matches_bz_compare():
    j = tool_json("bz-compare", LINE, "--region", REGION, "--names", "Ukraine,Donbass",
                  "--proposal", "sym5=sym:5km", "--proposal", "one-sided=a:10km,b:0",
                  "--proposal", "mixed=left:3km,right:7km", "--places", PLACES)
    df = bz.compare(LINE, region=REGION, names=("Ukraine", "Donbass"), places=PLACES,
                    proposals={"sym5": "sym:5km", "one-sided": (10_000, 0),
                               "mixed": "left:3km,right:7km"})
    assert abs(df.attrs["contact_line_km"] - j["contact_line_km"]) < 1e-4
    assert list(df.index) == [p["name"] for p in j["proposals"]]
    for p in j["proposals"]:
        row = df.loc[p["name"]]
        assert abs(row.buffer_zone_km2 - p["buffer_zone_km2"]) < 1e-4
        if p["ratio_a_b"] is None:
            assert math.isnan(row.ratio_a_b)
        else:
            assert abs(row.ratio_a_b - p["ratio_a_b"]) < 1e-6
        for side, key in zip(p["sides"], ("a", "b")):
            assert row["side_" + key] == side["name"]
            assert row["distance_%s_m" % key] == side["distance_m"]
            assert abs(row["zone_%s_km2" % key] - side["zone_km2"]) < 1e-4
            assert row["places_" + key] == side["places"]
            assert row["population_" + key] == side["population"]


def test_compare_zone_proposal_matches_bz_compare(tmp_path):
    zone = tmp_path / "zone.geojson"
    box = shapely.geometry.box(37.5, 47.5, 38.5, 48.3)
    zone.write_text(json.dumps({"type": "Feature", "properties": {},
                                "geometry": box.__geo_interface__}))
    j = tool_json("bz-compare", LINE, "--region", REGION, "--proposal", "box=zone:%s" % zone)
    df = bz.compare(LINE, region=REGION, proposals=[("box", box)])
    p = j["proposals"][0]
    assert abs(df.loc["box"].zone_a_km2 - p["sides"][0]["zone_km2"]) < 1e-4
    assert abs(df.loc["box"].zone_b_km2 - p["sides"][1]["zone_km2"]) < 1e-4
    assert math.isnan(df.loc["box"].distance_a_m)


def test_diff_matches_bz_diff(tmp_path):
    # OLD: the breakaway area; NEW: it grown by ~0.1 degree east of 38.5E and cut west of 37.8E.
    old = bz.read_polygon(TERRITORY)
    new = old.union(shapely.geometry.box(38.5, 47.0, 39.5, 48.5)).difference(
        shapely.geometry.box(37.0, 46.0, 37.8, 49.0))
    new_path = tmp_path / "new.geojson"
    new_path.write_text(json.dumps({"type": "Feature", "properties": {},
                                    "geometry": new.__geo_interface__}))
    units = tmp_path / "units.geojson"
    units.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ADMIN_1": name},
         "geometry": shapely.geometry.box(*b).__geo_interface__}
        for name, b in (("West", (36, 46, 38, 50)), ("East", (38, 46, 41, 50)))]}))
    j = tool_json("bz-diff", TERRITORY, new_path, "--region", REGION, "--by", units,
                  "--by-field", "ADMIN_1")
    d = bz.diff(TERRITORY, new_path, region=REGION, by=units, by_field="ADMIN_1")
    s = d.summary()
    for k in ("old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"):
        assert abs(s[k] - j[k]) < 1e-4, k
    assert [u["name"] for u in s["units"]] == [u["name"] for u in j["units"]]
    for mine, theirs in zip(s["units"], j["units"]):
        for k in ("gained_km2", "lost_km2", "net_km2"):
            assert abs(mine[k] - theirs[k]) < 1e-4
    assert d.gained_km2 > 1 and d.lost_km2 > 100  # both directions exercised
    # The same with Shapely inputs and a GeoDataFrame of units: the same numbers.
    gpd = pytest.importorskip("geopandas")
    d2 = bz.diff(old, new, region=bz.read_polygon(REGION), by=gpd.read_file(units),
                 by_field="ADMIN_1")
    assert abs(d2.gained_km2 - d.gained_km2) < 1e-6 * d.gained_km2
    assert list(d2.units.name) == list(d.units.name)


def test_line_write_is_what_bz_derive_writes(tmp_path):
    """Line.write puts the tool's feature into the file (same kind, length, ground) with the
    same simplestyle properties and a QGIS style sidecar; an existing file is refused."""
    out = tmp_path / "tool.geojson"
    tool("bz-derive", "--territory", TERRITORY, "--region", REGION, "-o", out)
    mine = tmp_path / "mine.geojson"
    bz.derive(TERRITORY, REGION).write(mine, name="derived contact line")
    (t,), (m,) = (json.loads(p.read_text())["features"] for p in (out, mine))
    assert m["properties"] == t["properties"]
    assert m["properties"]["kind"] == "contact_line"
    assert same_shape(shapely.geometry.shape(m["geometry"]), shapely.geometry.shape(t["geometry"]))
    assert (tmp_path / "mine.qml").read_text() == (tmp_path / "tool.qml").read_text()
    with pytest.raises(bz.ExistsError):
        bz.derive(TERRITORY, REGION).write(mine)


def test_diff_write_is_what_bz_diff_writes(tmp_path):
    new = bz.read_polygon(TERRITORY).difference(shapely.geometry.box(37.0, 46.0, 37.8, 49.0))
    new = new.union(shapely.geometry.box(38.5, 47.0, 39.5, 48.5))
    new_path = tmp_path / "new.geojson"
    new_path.write_text(json.dumps({"type": "Feature", "properties": {},
                                    "geometry": new.__geo_interface__}))
    out = tmp_path / "tool.geojson"
    tool("bz-diff", TERRITORY, new_path, "-o", out)
    mine = tmp_path / "mine.geojson"
    bz.diff(TERRITORY, new_path).write(mine)
    theirs, ours = (json.loads(p.read_text())["features"] for p in (out, mine))
    assert [f["properties"] for f in ours] == [f["properties"] for f in theirs]
    assert [f["properties"]["kind"] for f in ours] == ["gained", "lost"]
    for a, b in zip(ours, theirs):
        assert same_shape(shapely.geometry.shape(a["geometry"]),
                          shapely.geometry.shape(b["geometry"]))
    assert (tmp_path / "mine.qml").read_text() == (tmp_path / "tool.qml").read_text()
