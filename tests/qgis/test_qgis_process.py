"""The same algorithms through the qgis_process command line (--json), with the plugin found
through QGIS_PLUGINPATH. Debian's /usr/bin/qgis_process wrapper adds --noversioncheck, which
QGIS 3.22 rejects, so the tests call /usr/bin/qgis_process.bin directly (the README documents
this). qgis_process loads only enabled plugins: the fixture enables ours in a throwaway HOME."""

import csv
import io
import json
import os
import shutil
import subprocess

import pytest

from conftest import PLUGINS, data, tool, tool_json
from helpers import layer_features

LINE = data("donbas_contact_line_2015.geojson")
REGION = data("ukraine_outline.geojson")
TERRITORY = data("donbas_breakaway_2015.geojson")
PLACES = data("places_ne_ukraine_region.geojson")
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


@pytest.fixture(scope="module")
def qp(tmp_path_factory):
    if not os.access(QGIS_PROCESS, os.X_OK):
        exe = shutil.which("qgis_process")
        if exe is None:
            pytest.skip("qgis_process is not installed")
    env = dict(os.environ, HOME=str(tmp_path_factory.mktemp("home")), QGIS_PLUGINPATH=PLUGINS,
               QT_QPA_PLATFORM="offscreen")
    exe = QGIS_PROCESS if os.access(QGIS_PROCESS, os.X_OK) else shutil.which("qgis_process")
    r = subprocess.run([exe, "plugins", "enable", "bufferzone_processing"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

    def run(alg, **params):
        args = [exe, "--json", "run", "bufferzone:" + alg, "--"]
        args += ["%s=%s" % kv for kv in params.items()]
        r = subprocess.run(args, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        return json.loads(r.stdout)["results"]
    return run


def open_layer(path):
    from qgis.core import QgsVectorLayer
    lyr = QgsVectorLayer(str(path), "out", "ogr")
    assert lyr.isValid(), path
    return lyr


def test_zones(app, qp, tmp_path):
    s = tool_json("bz-zones", LINE, "--region", REGION, "-d", "15km", "-o", tmp_path / "t.geojson")
    out = tmp_path / "zones.gpkg"
    r = qp("zones", LINE=LINE, REGION=REGION, DISTANCE_A=15, DISTANCE_B=15, ZONES=out,
           WITHDRAWAL_LINES=tmp_path / "lines.gpkg")
    assert r["AREA_A_KM2"] == pytest.approx(s["sides"][0]["zone_km2"], abs=0.01)
    assert r["AREA_B_KM2"] == pytest.approx(s["sides"][1]["zone_km2"], abs=0.01)
    assert r["BUFFER_ZONE_KM2"] == pytest.approx(s["buffer_zone_km2"], abs=0.01)
    zones = {a["side"]: a["area_km2"] for a, g in layer_features(open_layer(out))}
    assert zones == pytest.approx({"left": s["sides"][0]["zone_km2"],
                                   "right": s["sides"][1]["zone_km2"]}, abs=0.01)
    lines = {a["side"]: a["length_km"]
             for a, g in layer_features(open_layer(tmp_path / "lines.gpkg"))}
    assert lines == pytest.approx({"left": s["sides"][0]["withdrawal_line_km"],
                                   "right": s["sides"][1]["withdrawal_line_km"]}, abs=0.01)


def test_derive(app, qp, tmp_path):
    tool("bz-derive", "--territory", TERRITORY, "--region", REGION, "-o", tmp_path / "t.geojson")
    want = json.load(open(tmp_path / "t.geojson"))["features"][0]["properties"]["length_km"]
    r = qp("derive", TERRITORY=TERRITORY, REGION=REGION, OUTPUT=tmp_path / "line.gpkg")
    assert r["LENGTH_KM"] == pytest.approx(want, abs=0.01)
    (a, g), = layer_features(open_layer(tmp_path / "line.gpkg"))
    assert a["length_km"] == pytest.approx(want, abs=0.01)


def test_compare_to_csv(app, qp, tmp_path):
    rows = list(csv.DictReader(io.StringIO(tool(
        "bz-compare", LINE, "--region", REGION, "--places", PLACES, "-p", "w=sym:40km",
        "-p", "a:10km,b:0", "--csv"))))
    out = tmp_path / "table.csv"
    qp("compare", LINE=LINE, REGION=REGION, PLACES=PLACES, PROPOSALS="w=sym:40km;a:10km,b:0",
       OUTPUT=out)
    ours = list(csv.DictReader(open(out)))
    assert [o["proposal"] for o in ours] == [t["proposal"] for t in rows]
    for o, t in zip(ours, rows):
        for c in ("zone_a_km2", "zone_b_km2", "buffer_zone_km2", "places_a", "population_a",
                  "places_b", "population_b"):
            assert float(o[c]) == pytest.approx(float(t[c]), abs=0.01), c


def test_territory_change(app, qp, tmp_path):
    # The same data as the processing.run test would need the fixture; here a simpler
    # change: the later territory is the region's part of the earlier one's 10 km zone.
    new = tmp_path / "new.geojson"
    z = json.loads(tool("bz-zones", "--territory", TERRITORY, "--region", REGION, "--b", "10km",
                        "--a", "0", "-o", "-"))
    zone_b = [f for f in z["features"] if f["properties"]["kind"] == "zone"
              and f["properties"]["side"] == "B"][0]
    new.write_text(json.dumps({"type": "FeatureCollection", "features": [zone_b]}))
    rep = tool_json("bz-diff", TERRITORY, new, "--region", REGION)
    r = qp("diff", OLD=TERRITORY, NEW=new, REGION=REGION, OUTPUT=tmp_path / "changes.gpkg")
    for k in ("old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"):
        assert r[k.upper()] == pytest.approx(rep[k], abs=0.01), k
    changes = layer_features(open_layer(tmp_path / "changes.gpkg"))
    kinds = {a["kind"]: a["area_km2"] for a, g in changes}
    assert kinds == pytest.approx({"gained": rep["gained_km2"], "lost": rep["lost_km2"]}, abs=0.01)
