"""The team's real maps (../shared/data, skipped when absent): bz.zones in the territory form
on DeepState's 2026-08-22 map within Ukraine's oblasts, and bz.diff 2024-07-08 -> 2026-08-22
per oblast from a GeoDataFrame, equal to bz-zones --json and bz-diff --json."""
import os

import pytest

import bufferzone as bz
from conftest import tool_json

S = os.environ.get("BZ_SHARED_DATA", "")
OCCUPIED = os.path.join(S, "frontline", "deepstate_occupied_2026-08-22.geojson")
OCCUPIED_OLD = os.path.join(S, "frontline", "deepstate_occupied_2024-07-08.geojson")
OBLASTS = os.path.join(S, "boundaries", "ukraine_adm1_geoboundaries.geojson")

pytestmark = pytest.mark.skipif(
    not all(os.path.exists(f) for f in (OCCUPIED, OCCUPIED_OLD, OBLASTS)),
    reason="the shared data (BZ_SHARED_DATA) is absent")


def test_deepstate_zones_equal_bz_zones(tmp_path):
    j = tool_json("bz-zones", "--territory", OCCUPIED, "--region", OBLASTS, "-d", "10km",
                  "--names", "Russia,Ukraine", "-o", tmp_path / "z.geojson")
    z = bz.zones(territory=OCCUPIED, region=OBLASTS, distance="10km",
                 names=("Russia", "Ukraine"))
    s = z.summary()
    assert abs(s["contact_line_km"] - j["contact_line_km"]) < 1e-4
    assert abs(s["buffer_zone_km2"] - j["buffer_zone_km2"]) < 1e-3
    for mine, theirs in zip(s["sides"], j["sides"]):
        assert mine["name"] == theirs["name"]
        assert abs(mine["zone_km2"] - theirs["zone_km2"]) < 1e-4
        assert abs(mine["withdrawal_line_km"] - theirs["withdrawal_line_km"]) < 1e-4
    assert z.max_error_m <= 1.0


def test_deepstate_diff_by_oblast_equal_bz_diff():
    gpd = pytest.importorskip("geopandas")
    j = tool_json("bz-diff", OCCUPIED_OLD, OCCUPIED, "--by", OBLASTS, "--by-field", "shapeName")
    d = bz.diff(OCCUPIED_OLD, OCCUPIED, by=gpd.read_file(OBLASTS), by_field="shapeName")
    s = d.summary()
    for k in ("old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"):
        assert abs(s[k] - j[k]) < 1e-3, k
    mine = {u["name"]: u for u in s["units"]}
    assert set(mine) == {u["name"] for u in j["units"]}
    for u in j["units"]:
        assert abs(mine[u["name"]]["net_km2"] - u["net_km2"]) < 1e-3, u["name"]
