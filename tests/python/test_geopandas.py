"""GeoPandas: the result as a GeoDataFrame (EPSG:4326, kind/side/distance_m/area_km2/
length_km), a round trip through to_file/read_file (GeoPackage) keeping the attributes, and
z.write() read back by GeoPandas (GDAL as an independent reader)."""
import math

import pytest

import bufferzone as bz
from conftest import LINE, REGION

gpd = pytest.importorskip("geopandas")


def unset(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def same_value(a, b):
    """Equal, where None and NaN both mean unset (GeoPackage NULL reads back as either)."""
    return (unset(a) and unset(b)) or a == b


def zones():
    return bz.zones(LINE, region=REGION, distance_a="10km", distance_b="5km")


def test_geodataframe_columns_and_crs():
    gdf = zones().to_geodataframe(names=("Ukraine", "Donbass"))
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == ["kind", "side", "distance_m", "area_km2", "length_km",
                                 "geometry"]
    assert list(gdf.kind) == ["zone", "withdrawal_line", "zone", "withdrawal_line",
                              "contact_line", "buffer_zone"]
    assert list(gdf.side[:4]) == ["Ukraine", "Ukraine", "Donbass", "Donbass"]
    zone_a = gdf[(gdf.kind == "zone") & (gdf.side == "Ukraine")].iloc[0]
    assert zone_a.distance_m == 10_000
    assert zone_a.area_km2 == pytest.approx(bz.geodesic_area(zone_a.geometry) / 1e6, rel=1e-6)


def test_gpkg_round_trip_keeps_attributes(tmp_path):
    gdf = zones().to_geodataframe(names=("Ukraine", "Donbass"))
    path = tmp_path / "zones.gpkg"
    gdf.to_file(path, driver="GPKG")
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    assert len(back) == len(gdf)
    for col in ("kind", "side", "distance_m", "area_km2", "length_km"):
        for a, b in zip(gdf[col], back[col]):
            assert same_value(a, b), (col, a, b)
    for a, b in zip(gdf.geometry, back.geometry):
        assert a.equals_exact(b, 0.0)


def test_write_gpkg_read_by_geopandas(tmp_path):
    """z.write() to a GeoPackage (one layer per kind), read back by GeoPandas: the same
    features and attributes as to_geodataframe()."""
    import fiona
    z = zones()
    path = tmp_path / "written.gpkg"
    z.write(path, names=("Ukraine", "Donbass"))
    back = {}
    layers = fiona.listlayers(str(path))
    assert "layer_styles" in layers  # QGIS's style table (no features of ours)
    for layer in layers:
        if layer == "layer_styles":
            continue
        for row in gpd.read_file(path, layer=layer).itertuples():
            back[(row.kind, None if unset(row.side) else row.side)] = row
    mine = z.to_geodataframe(names=("Ukraine", "Donbass"))
    assert len(back) == len(mine)
    for row in mine.itertuples():
        other = back[(row.kind, row.side)]
        for col in ("distance_m", "area_km2", "length_km"):
            assert same_value(getattr(row, col), getattr(other, col)), (row.kind, col)
    with pytest.raises(bz.ExistsError):
        z.write(path)


def test_geodataframe_inputs_any_crs():
    gdf = gpd.read_file(LINE).to_crs(32637)  # UTM 37N
    z = bz.zones(gdf, region=gpd.read_file(REGION), distance=5_000)
    ref = bz.zones(LINE, region=REGION, distance=5_000)
    assert z.area("A") == pytest.approx(ref.area("A"), rel=1e-6)
