"""Every input kind is accepted and gives the same result: Shapely geometries, GeoJSON dicts
(geometry, Feature, FeatureCollection) and text, WKT, str and os.PathLike paths,
GeoDataFrames/GeoSeries (also in another CRS), and bz.Line objects."""
import json
import pathlib

import pytest
import shapely.geometry
import shapely.wkt

import bufferzone as bz
from conftest import LINE, PLACES, REGION, TERRITORY

D = 5_000


def reference():
    return bz.zones(LINE, region=REGION, distance=D)


def line_inputs():
    fc = json.loads(pathlib.Path(LINE).read_text())
    geom = fc["features"][0]["geometry"]
    shp = shapely.geometry.shape(geom)
    kinds = {
        "path str": LINE,
        "pathlib": pathlib.Path(LINE),
        "bytes path": LINE.encode(),
        "shapely": shp,
        "shapely multi": shapely.geometry.MultiLineString([shp]),
        "geojson geometry": geom,
        "geojson feature": fc["features"][0],
        "geojson collection": fc,
        "geojson text": json.dumps(fc),
        "wkt": shp.wkt,
        "wkt lowercase": shp.wkt.lower(),
        "bz.Line": bz.read_line(LINE),
        "geo_interface": type("G", (), {"__geo_interface__": geom})(),
    }
    try:
        import geopandas as gpd
        gdf = gpd.read_file(LINE)
        kinds["geodataframe"] = gdf
        kinds["geoseries"] = gdf.geometry
        kinds["geodataframe EPSG:3857"] = gdf.to_crs(3857)
    except ImportError:
        pass
    return kinds


@pytest.mark.parametrize("kind", list(line_inputs()))
def test_line_inputs(kind):
    ref = reference()
    z = bz.zones(line_inputs()[kind], region=REGION, distance=D)
    # Reprojection through Web Mercator and back moves vertices by ~1e-9 degrees.
    tol = 1e-6 if "3857" in kind else 1e-9
    assert z.area("A") == pytest.approx(ref.area("A"), rel=tol)
    assert z.area("B") == pytest.approx(ref.area("B"), rel=tol)
    assert z.contact_length == pytest.approx(ref.contact_length, rel=tol)


def polygon_inputs():
    fc = json.loads(pathlib.Path(REGION).read_text())
    shp = bz.read_polygon(REGION)
    kinds = {
        "path": REGION,
        "pathlib": pathlib.Path(REGION),
        "shapely": shp,
        "geojson feature collection": fc,
        "geojson geometry": fc["features"][0]["geometry"],
        "geojson text": json.dumps(fc),
        "wkt": shp.wkt,
    }
    try:
        import geopandas as gpd
        kinds["geodataframe"] = gpd.read_file(REGION)
        kinds["geoseries"] = gpd.read_file(REGION).geometry
    except ImportError:
        pass
    return kinds


@pytest.mark.parametrize("kind", list(polygon_inputs()))
def test_region_inputs(kind):
    ref = reference()
    z = bz.zones(LINE, region=polygon_inputs()[kind], distance=D)
    assert z.area("A") == pytest.approx(ref.area("A"), rel=1e-9)
    assert z.area("B") == pytest.approx(ref.area("B"), rel=1e-9)


def test_territory_inputs():
    ref = bz.zones(territory=TERRITORY, region=REGION, distance=D)
    shp = bz.read_polygon(TERRITORY)
    for t in (shp, shp.wkt, json.loads(pathlib.Path(TERRITORY).read_text())):
        z = bz.zones(territory=t, region=bz.read_polygon(REGION), distance=D)
        assert z.area("A") == pytest.approx(ref.area("A"), rel=1e-9)
        assert z.area("B") == pytest.approx(ref.area("B"), rel=1e-9)


def test_distance_units():
    assert bz.parse_distance("10km") == 10_000
    assert bz.parse_distance("5000m") == 5000
    assert bz.parse_distance("6mi") == pytest.approx(6 * 1609.344)
    assert bz.parse_distance("2.5nmi") == pytest.approx(2.5 * 1852)
    assert bz.parse_distance(1234) == 1234.0
    a = bz.zones(LINE, distance="5km", verify=False)
    b = bz.zones(LINE, distance=5000, verify=False)
    assert a.area("A") == b.area("A")


def test_sides_by_name_and_alias():
    z = bz.zones(LINE, region=REGION, distance_a=D, distance_b=2 * D, names=("UA", "DB"))
    assert z.area("A") == z.area("left") == z.area(0) == z.area("UA") == z.areas[0]
    assert z.area("B") == z.area("right") == z.area(1) == z.area("DB") == z.areas[1]
    assert z.distances == (D, 2 * D)
    assert z.distance("B") == 2 * D
    assert z.withdrawal_length("A") == z.lengths[0]
    with pytest.raises(ValueError, match="side"):
        z.area("C")


def test_shapely_results_and_line():
    z = reference()
    for g in (z.zone("A"), z.zone("B"), z.buffer_zone):
        assert g.geom_type == "MultiPolygon" and g.is_valid
    assert z.withdrawal_line("A").geom_type == "MultiLineString"
    assert z.contact_line.geom_type == "MultiLineString"
    # The buffer zone is both zones: the areas add up, and the result says so itself.
    assert z.buffer_area == pytest.approx(z.area("A") + z.area("B"), rel=1e-12)
    assert bz.geodesic_area(z.buffer_zone) == pytest.approx(z.buffer_area, rel=1e-6)
    assert z.line.length_m == pytest.approx(z.contact_length, rel=1e-12)
    assert z.max_error_m <= max(1.0, 1e-4 * D)


def test_places_inputs(geopandas):
    a = bz.read_places(PLACES)
    gdf = geopandas.read_file(PLACES)
    b = bz.read_places(gdf)
    c = bz.Places.from_arrays(list(gdf["name"]), gdf.geometry.x, gdf.geometry.y,
                              list(gdf["population"]))
    d = bz.read_places(json.loads(pathlib.Path(PLACES).read_text()))
    for p in (b, c, d):
        assert len(p) == len(a) == len(gdf)
        assert p.names == a.names
        assert list(p.lons) == list(a.lons) and list(p.lats) == list(a.lats)
        assert list(p.populations) == list(a.populations)
    z = reference()
    # Independent count: Shapely's point-in-polygon on the zone we got back.
    zone = z.zone("A")
    inside = [i for i, pt in enumerate(gdf.geometry) if zone.intersects(pt)]
    count, pop, idx = z.places_within(a, "A")
    assert count == len(inside) and idx == inside
    assert pop == pytest.approx(sum(gdf["population"].iloc[inside]))
    assert a.within(zone)[0] == count
