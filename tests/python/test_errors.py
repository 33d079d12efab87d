"""Every bad input raises the right exception class, carrying the library's message and
status code; the classes are also the matching built-in exceptions."""
import json
import math

import pytest

import bufferzone as bz
from conftest import LINE, REGION


def test_hierarchy():
    for cls in (bz.ArgumentError, bz.GeometryError, bz.GeometryTypeError, bz.ProjectionError,
                bz.FileError, bz.FormatError, bz.NotFoundError, bz.ExistsError,
                bz.OutOfMemoryError, bz.GEOSError, bz.AccuracyError, bz.CancelledError):
        assert issubclass(cls, bz.Error) and issubclass(cls, Exception)
    assert issubclass(bz.ArgumentError, ValueError)
    assert issubclass(bz.GeometryTypeError, TypeError)
    assert issubclass(bz.FileError, OSError)
    assert issubclass(bz.ExistsError, FileExistsError)
    assert issubclass(bz.OutOfMemoryError, MemoryError)


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(bz.FileError) as e:
        bz.zones(missing, distance=1000)
    assert "nowhere.geojson" in str(e.value)
    assert e.value.status == bz._bufferzone.ERR_IO


def test_garbage_file(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(bz.FormatError) as e:
        bz.read_line(bad)
    assert "bad.geojson" in str(e.value)
    assert e.value.status == bz._bufferzone.ERR_FORMAT


def test_polygon_is_not_a_line():
    with pytest.raises(bz.GeometryTypeError) as e:
        bz.zones(REGION, distance=1000)
    assert e.value.status == bz._bufferzone.ERR_TYPE
    assert e.value.message


@pytest.mark.parametrize("d", [-1, math.nan, 2e6, "-5km"])
def test_bad_distance(d):
    with pytest.raises(bz.ArgumentError) as e:
        bz.zones("LINESTRING (30 50, 31 50)", distance=d)
    assert e.value.status == bz._bufferzone.ERR_ARGUMENT
    assert str(e.value)


def test_bad_distance_text():
    with pytest.raises(bz.ArgumentError, match="10 parsecs"):
        bz.zones(LINE, distance="10 parsecs")


def test_missing_arguments():
    with pytest.raises(bz.ArgumentError, match="no distance"):
        bz.zones(LINE)
    with pytest.raises(bz.ArgumentError, match="line"):
        bz.zones(distance=1000)
    with pytest.raises(bz.ArgumentError, match="region"):
        bz.zones(territory=REGION, distance=1000)
    with pytest.raises(bz.ArgumentError, match="not both"):
        bz.zones(LINE, distance=1, distance_a=2)


def test_self_crossing_line():
    with pytest.raises(bz.GeometryError) as e:
        bz.zones("LINESTRING (30 50, 31 51, 31 50, 30 51)", distance=1000)
    assert e.value.status == bz._bufferzone.ERR_GEOMETRY
    assert "cross" in str(e.value)


def test_coordinate_out_of_range():
    with pytest.raises(bz.GeometryError) as e:
        bz.read_line("LINESTRING (30 50, 30 95)")
    assert "95" in str(e.value)
    # Through GeoJSON (GDAL's reader): the message names the input, not a temporary file.
    with pytest.raises(bz.Error) as e:
        bz.zones({"type": "LineString", "coordinates": [[30, 50], [30, 95]]}, distance=10)
    assert "line" in str(e.value) and "95" in str(e.value) and "vsimem" not in str(e.value)


def test_bad_wkt():
    with pytest.raises(bz.Error) as e:
        bz.zones("LINESTRING (30 50, 31", distance=1000)
    assert isinstance(e.value, (bz.FormatError, bz.GeometryError))


def test_unsupported_type():
    with pytest.raises(TypeError, match="line"):
        bz.zones(42, distance=1000)
    with pytest.raises(TypeError, match="progress"):
        bz.zones(LINE, distance=1000, progress=5)


def test_exists(tmp_path):
    z = bz.zones(LINE, distance=1000, verify=False)
    out = tmp_path / "z.geojson"
    z.write(out)
    with pytest.raises(bz.ExistsError) as e:
        z.write(out)
    assert "z.geojson" in str(e.value)
    z.write(out, overwrite=True)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_unwritable_directory(tmp_path):
    z = bz.zones(LINE, distance=1000, verify=False)
    with pytest.raises(bz.FileError) as e:
        z.write(tmp_path / "no" / "such" / "dir" / "z.geojson")
    assert "z.geojson" in str(e.value)


def test_layer_not_found():
    with pytest.raises(bz.NotFoundError) as e:
        bz.read_line(LINE, layer="no_such_layer")
    assert "no_such_layer" in str(e.value)


def test_where_matches_nothing():
    with pytest.raises(bz.NotFoundError):
        bz.read_line(LINE, where="1 = 0")


def test_bad_where():
    with pytest.raises(bz.Error) as e:
        bz.read_line(LINE, where="this is not SQL ((")
    assert str(e.value)


def test_distance_bad_points():
    with pytest.raises(bz.Error) as e:
        bz.distance(LINE, [37.0, math.nan], [48.0, 48.0])
    assert "point 1" in str(e.value)
    with pytest.raises(ValueError, match="shape"):
        bz.distance(LINE, [37.0, 38.0], [48.0])


def test_places_bad_coordinates():
    with pytest.raises(bz.GeometryError) as e:
        bz.Places.from_arrays(["a", "b", "c"], [30, 31, 32], [50, 91, 50])
    assert "1" in str(e.value)


def test_derive_needs_polygons():
    with pytest.raises(bz.GeometryTypeError):
        bz.derive("LINESTRING (30 50, 31 50)", REGION)


def test_invalid_polygon():
    bowtie = "POLYGON ((30 50, 31 51, 31 50, 30 51, 30 50))"
    with pytest.raises(bz.GeometryError, match="make_valid"):
        bz.zones(LINE, region=bowtie, distance=1000)


def test_empty_geometry():
    import shapely.geometry
    with pytest.raises(bz.GeometryError, match="empty"):
        bz.zones(shapely.geometry.LineString(), distance=1000)


def test_bad_proposal():
    with pytest.raises(bz.ArgumentError, match="proposal x"):
        bz.compare(LINE, proposals={"x": "c:10km"})
    with pytest.raises(bz.ArgumentError, match="no proposal"):
        bz.compare(LINE, proposals={})


def test_threads_argument():
    with pytest.raises(bz.ArgumentError):
        bz.zones(LINE, distance=1000, threads=-1)
    with pytest.raises(TypeError):
        bz.zones(LINE, distance=1000, threads=1.5)


def test_error_text_and_repr():
    with pytest.raises(bz.FileError) as e:
        bz.read_line("/nonexistent/x.geojson")
    assert e.value.message == str(e.value) and "/nonexistent/x.geojson" in repr(e.value)
