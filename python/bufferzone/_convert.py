"""Inputs to C handles, and C results back to Shapely.

Geometries cross the boundary as WKB (Shapely 1.8 and 2.x both read and write it), GeoJSON
objects and GeoDataFrames as GeoJSON text in a GDAL in-memory file read by the library's own
readers (so they follow exactly the rules of the tools: features merged, polygons united,
CRS transformed), and paths go straight to the library.
"""

import json
import os
import re
import uuid

from . import _bufferzone as _c
from ._errors import Error, GeometryError

_WKT = re.compile(
    r"\s*(SRID=\d+\s*;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|"
    r"GEOMETRYCOLLECTION|LINEARRING)\b", re.IGNORECASE)


def to_shapely(wkb):
    """A Shapely geometry from WKB bytes (Shapely 1.8 and 2.x)."""
    from shapely import wkb as shapely_wkb
    return shapely_wkb.loads(wkb)


def is_shapely(obj):
    try:
        from shapely.geometry.base import BaseGeometry
    except ImportError:  # pragma: no cover - Shapely is a dependency of the package
        return False
    return isinstance(obj, BaseGeometry)


def is_geopandas(obj):
    mod = type(obj).__module__ or ""
    return mod.startswith("geopandas") and type(obj).__name__ in ("GeoDataFrame", "GeoSeries")


def is_wkt(text):
    return bool(_WKT.match(text))


def _geojson_text(obj):
    """GeoJSON text of a dict, an object with __geo_interface__ or a GeoDataFrame/GeoSeries."""
    if is_geopandas(obj):
        if obj.crs is not None and obj.crs.to_epsg() != 4326:
            obj = obj.to_crs(4326)
        geoms = obj.geometry if hasattr(obj, "geometry") else obj
        feats = [{"type": "Feature", "properties": {},
                  "geometry": None if g is None or g.is_empty else g.__geo_interface__}
                 for g in geoms]
        return json.dumps({"type": "FeatureCollection", "features": feats})
    if isinstance(obj, dict):
        return json.dumps(obj)
    return json.dumps(obj.__geo_interface__)


def _via_memory(ctx, text, read, what="GeoJSON input"):
    """Run read(path) on GeoJSON text put into a GDAL in-memory file. Error messages name
    `what` instead of the temporary path."""
    name = uuid.uuid4().hex
    path = "/vsimem/bufferzone-python/%s.geojson" % name
    _c.vsimem_put(ctx, path, text.encode("utf-8"))
    try:
        return read(path)
    except Error as e:
        msg = e.message.replace("layer '%s', " % name, "").replace(path, what)
        raise type(e)(msg, e.status) from None
    finally:
        _c.vsimem_unlink(ctx, path)


def _kind(obj):
    """'path', 'wkt', 'geojson' (text), 'shapely', 'mapping' (dict / __geo_interface__ /
    GeoDataFrame) or None."""
    if isinstance(obj, os.PathLike):
        return "path"
    if isinstance(obj, bytes):
        return "path"
    if isinstance(obj, str):
        s = obj.lstrip()
        if s.startswith("{"):
            return "geojson"
        return "wkt" if is_wkt(s) else "path"
    if is_shapely(obj):
        return "shapely"
    if isinstance(obj, dict) or is_geopandas(obj) or hasattr(obj, "__geo_interface__"):
        return "mapping"
    return None


def _type_error(what, obj):
    return TypeError(
        "%s: expected a Shapely geometry, a GeoJSON dict, a GeoDataFrame/GeoSeries, WKT or a "
        "path, got %s" % (what, type(obj).__name__))


def line_handle(ctx, obj, what="line", layer=None, where=None):
    """A C line handle from any accepted line input (see bufferzone.zones)."""
    from ._line import Line
    if isinstance(obj, Line):
        return obj._handle
    kind = _kind(obj)
    if kind == "path":
        return _c.read_line(ctx, os.fsdecode(obj), layer, where)
    if kind == "wkt":
        return _c.line_from_wkt(ctx, obj)
    if kind == "shapely":
        if obj.is_empty:
            raise GeometryError("%s: the geometry is empty" % what, _c.ERR_GEOMETRY)
        return _c.line_from_wkb(ctx, obj.wkb)
    if kind == "geojson":
        return _via_memory(ctx, obj, lambda p: _c.read_line(ctx, p, layer, where), what)
    if kind == "mapping":
        text = _geojson_text(obj)
        return _via_memory(ctx, text, lambda p: _c.read_line(ctx, p, layer, where), what)
    raise _type_error(what, obj)


def polygon_handle(ctx, obj, what="polygon", layer=None, where=None, make_valid=False):
    """A C geometry handle (valid lon/lat MultiPolygon) from any accepted polygon input."""
    kind = _kind(obj)
    if kind == "path":
        return _c.read_polygon(ctx, os.fsdecode(obj), layer, where, make_valid)
    if kind == "wkt":
        obj = _shapely_from_wkt(ctx, obj)
        kind = "shapely"
    if kind == "shapely":
        if obj.is_empty:
            raise GeometryError("%s: the geometry is empty" % what, _c.ERR_GEOMETRY)
        if obj.geom_type in ("Polygon", "MultiPolygon") and not obj.is_valid:
            if make_valid:
                obj = obj.buffer(0)
            else:
                from shapely.validation import explain_validity
                raise GeometryError("%s: invalid polygon: %s (make_valid=True repairs it)"
                                    % (what, explain_validity(obj)), _c.ERR_GEOMETRY)
        return _c.geometry_from_wkb(ctx, obj.wkb)
    if kind == "geojson":
        return _via_memory(ctx, obj,
                           lambda p: _c.read_polygon(ctx, p, layer, where, make_valid), what)
    if kind == "mapping":
        text = _geojson_text(obj)
        return _via_memory(ctx, text,
                           lambda p: _c.read_polygon(ctx, p, layer, where, make_valid), what)
    raise _type_error(what, obj)


def _shapely_from_wkt(ctx, text):
    """Parse WKT with the library (its errors, its messages) and hand back Shapely."""
    return to_shapely(_c.geometry_from_wkt(ctx, text).wkb(ctx))


def optional_polygon(ctx, obj, what, **kw):
    return None if obj is None else polygon_handle(ctx, obj, what, **kw)
