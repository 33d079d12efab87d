"""Each algorithm run through processing.run in headless PyQGIS gives the bz-* tool's result
on the sample data: the same features (kind, side), areas and lengths to 0.01 km² / 0.01 km,
the same ground (Shapely symmetric difference), and areas that QGIS's own ellipsoidal
measurement (QgsDistanceArea, WGS84) confirms."""

import csv
import io
import json

import pytest
from shapely.geometry import box, mapping
from shapely.ops import unary_union

from conftest import data, tool, tool_json
from helpers import geojson_features, layer_features, same_area_shape

LINE = data("donbas_contact_line_2015.geojson")
REGION = data("ukraine_outline.geojson")
TERRITORY = data("donbas_breakaway_2015.geojson")
PLACES = data("places_ne_ukraine_region.geojson")


def run(alg, params, feedback=None):
    import processing
    from qgis.core import QgsProcessingContext
    ctx = QgsProcessingContext()
    return processing.run("bufferzone:" + alg, params, feedback=feedback, context=ctx)


def zone_outputs():
    return {k: "memory:" for k in ("ZONES", "WITHDRAWAL_LINES", "CONTACT_LINE", "BUFFER_ZONE")}


def qgis_area_km2(geom):
    """Ellipsoidal area by QGIS itself (an independent implementation)."""
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransformContext,
                           QgsDistanceArea, QgsGeometry)
    da = QgsDistanceArea()
    da.setSourceCrs(QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateTransformContext())
    da.setEllipsoid("WGS84")
    return da.measureArea(QgsGeometry.fromWkt(geom.wkt)) / 1e6


def check_zones_equal_tool(result, tool_file):
    """The four outputs hold the tool's features: same kinds, sides, measures, ground."""
    ours = []
    for key in ("ZONES", "WITHDRAWAL_LINES", "CONTACT_LINE", "BUFFER_ZONE"):
        ours += layer_features(result[key])
    theirs = geojson_features(tool_file)
    key = lambda f: (f[0]["kind"], f[0]["side"] or "")  # noqa: E731
    ours.sort(key=key)
    theirs.sort(key=key)
    assert [key(f) for f in ours] == [key(f) for f in theirs]
    for (a, ga), (b, gb) in zip(ours, theirs):
        for m in ("area_km2", "length_km", "distance_m"):
            if b.get(m) is None:
                assert a[m] is None, (key((a, ga)), m)
            else:
                assert a[m] == pytest.approx(b[m], abs=0.01), (key((a, ga)), m)
        if a["area_km2"]:
            assert qgis_area_km2(ga) == pytest.approx(a["area_km2"], rel=1e-4)
        assert same_area_shape(ga, gb), key((a, ga))


def test_zones_line_and_region_equal_bz_zones(app, tmp_path):
    out = tmp_path / "tool.geojson"
    summary = tool_json("bz-zones", LINE, "--region", REGION, "-d", "15km", "-o", out)
    r = run("zones", dict(LINE=LINE, REGION=REGION, DISTANCE_A=15, DISTANCE_B=15,
                          **zone_outputs()))
    check_zones_equal_tool(r, out)
    assert r["AREA_A_KM2"] == pytest.approx(summary["sides"][0]["zone_km2"], abs=0.01)
    assert r["BUFFER_ZONE_KM2"] == pytest.approx(summary["buffer_zone_km2"], abs=0.01)
    assert r["CONTACT_LINE_KM"] == pytest.approx(summary["contact_line_km"], abs=0.01)
    assert 0 <= r["MAX_ERROR_M"] <= 1.5


def test_zones_territory_form_derives_the_line(app, tmp_path):
    out = tmp_path / "tool.geojson"
    tool("bz-zones", "--territory", TERRITORY, "--region", REGION, "--a", "10km", "--b", "5km",
         "--names", "Ukraine,Donbass", "-o", out)
    r = run("zones", dict(TERRITORY=TERRITORY, REGION=REGION, DISTANCE_A=10, DISTANCE_B=5,
                          NAME_A="Ukraine", NAME_B="Donbass", **zone_outputs()))
    check_zones_equal_tool(r, out)


def test_zones_line_alone_from_a_reprojected_memory_layer(app, tmp_path):
    """Any QGIS layer: an in-memory layer in Web Mercator is transformed back to lon/lat."""
    from qgis.core import QgsCoordinateTransform, QgsFeature, QgsProject, QgsVectorLayer
    src = QgsVectorLayer(LINE, "line file", "ogr")
    mem = QgsVectorLayer("LineString?crs=EPSG:3857", "front in mercator", "memory")
    xf = QgsCoordinateTransform(src.crs(), mem.crs(), QgsProject.instance())
    feats = []
    for f in src.getFeatures():
        g = f.geometry()
        g.transform(xf)
        nf = QgsFeature()
        nf.setGeometry(g)
        feats.append(nf)
    mem.dataProvider().addFeatures(feats)
    out = tmp_path / "tool.geojson"
    tool("bz-zones", LINE, "--a", "5km", "--b", "20km", "-o", out)
    r = run("zones", dict(LINE=mem, DISTANCE_A=5, DISTANCE_B=20, **zone_outputs()))
    ours = {f[0]["side"]: f[0]["area_km2"] for f in layer_features(r["ZONES"])}
    theirs = {p["side"]: p["area_km2"] for p, _ in geojson_features(out) if p["kind"] == "zone"}
    assert ours.keys() == theirs.keys() == {"left", "right"}
    for s in ours:
        assert ours[s] == pytest.approx(theirs[s], abs=0.01)


def test_derive_equals_bz_derive(app, tmp_path):
    out = tmp_path / "line.geojson"
    tool("bz-derive", "--territory", TERRITORY, "--region", REGION, "-o", out)
    r = run("derive", dict(TERRITORY=TERRITORY, REGION=REGION, OUTPUT="memory:"))
    (a, ga), = layer_features(r["OUTPUT"])
    (b, gb), = geojson_features(out)
    assert a["length_km"] == pytest.approx(b["length_km"], abs=0.01)
    assert r["LENGTH_KM"] == pytest.approx(b["length_km"], abs=0.01)
    assert same_area_shape(ga, gb)


def test_compare_with_places_equals_bz_compare(app):
    specs = ["equal 5 km=sym:5km", "wide=sym:40km", "one-sided=a:10km,b:0"]
    args = [LINE, "--region", REGION, "--places", PLACES, "--csv"]
    for s in specs:
        args += ["-p", s]
    rows = list(csv.DictReader(io.StringIO(tool("bz-compare", *args))))
    r = run("compare", dict(LINE=LINE, REGION=REGION, PLACES=PLACES,
                            PROPOSALS="\n".join(specs), OUTPUT="memory:"))
    ours = [a for a, g in layer_features(r["OUTPUT"])]
    assert [o["proposal"] for o in ours] == [t["proposal"] for t in rows]
    assert any(int(t["places_b"]) > 0 for t in rows)  # the places really are counted
    for o, t in zip(ours, rows):
        assert o["spec"] == t["spec"] and o["side_a"] == t["side_a"]
        for c in ("zone_a_km2", "zone_b_km2", "buffer_zone_km2", "population_a",
                  "population_b"):
            assert o[c] == pytest.approx(float(t[c]), abs=0.01), (o["proposal"], c)
        assert o["places_a"] == int(t["places_a"]) and o["places_b"] == int(t["places_b"])


@pytest.fixture
def diff_inputs(tmp_path):
    """A later territory (the breakaway area grown by side B's 10 km zone) and two units (the
    region cut at 38.5° E), written as GeoJSON for the tool and for QGIS alike."""
    from shapely.geometry import shape
    zones = json.loads(tool("bz-zones", "--territory", TERRITORY, "--region", REGION,
                            "--b", "10km", "--a", "0", "-o", "-"))
    zone_b = [shape(f["geometry"]) for f in zones["features"]
              if f["properties"]["kind"] == "zone" and f["properties"]["side"] == "B"][0]
    old = shape(json.load(open(TERRITORY))["features"][0]["geometry"])
    new = unary_union([old, zone_b]).difference(box(37.0, 46.0, 37.6, 48.0))
    region = shape(json.load(open(REGION))["features"][0]["geometry"])
    units = [("west", region.intersection(box(20, 40, 38.5, 55))),
             ("east", region.intersection(box(38.5, 40, 45, 55)))]

    def write(path, feats):
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": p, "geometry": mapping(g)} for p, g in feats]}))
        return str(path)
    return (write(tmp_path / "new.geojson", [({}, new)]),
            write(tmp_path / "units.geojson", [({"name": n}, g) for n, g in units]))


def test_territory_change_per_unit_equals_bz_diff(app, diff_inputs, tmp_path):
    new, units = diff_inputs
    out = tmp_path / "changes.geojson"
    rep = tool_json("bz-diff", TERRITORY, new, "--region", REGION, "--by", units,
                    "--by-field", "name", "-o", out)
    r = run("diff", dict(OLD=TERRITORY, NEW=new, REGION=REGION, UNITS=units,
                         UNITS_FIELD="name", OUTPUT="memory:", UNITS_TABLE="memory:"))
    for k in ("old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"):
        assert r[k.upper()] == pytest.approx(rep[k], abs=0.01), k
    assert rep["gained_km2"] > 100 and rep["lost_km2"] > 100
    ours = [a for a, g in layer_features(r["UNITS_TABLE"])]
    assert [o["name"] for o in ours] == [u["name"] for u in rep["units"]]
    for o, u in zip(ours, rep["units"]):
        for c in ("gained_km2", "lost_km2", "net_km2"):
            assert o[c] == pytest.approx(u[c], abs=0.01)
    theirs = {p["kind"]: g for p, g in geojson_features(out)}
    for a, g in layer_features(r["OUTPUT"]):
        assert same_area_shape(g, theirs[a["kind"]])
