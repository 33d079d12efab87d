"""Shared test helpers: QGIS layers and tool outputs as Shapely features."""

import json

from shapely import wkb
from shapely.geometry import shape


def layer_features(layer):
    """[(attributes dict, Shapely geometry or None)] of a QGIS vector layer."""
    names = layer.fields().names()
    out = []
    for f in layer.getFeatures():
        attrs = {n: (None if v is None or (hasattr(v, "isNull") and v.isNull()) else v)
                 for n, v in zip(names, f.attributes())}
        g = f.geometry()
        out.append((attrs, None if g.isNull() else wkb.loads(bytes(g.asWkb()))))
    return out


def geojson_features(path):
    """[(properties, Shapely geometry)] of a GeoJSON file written by a tool."""
    with open(path) as fh:
        d = json.load(fh)
    return [(f["properties"], shape(f["geometry"]) if f["geometry"] else None)
            for f in d["features"]]


def same_area_shape(a, b, rel=1e-6, tol_deg=1e-6):
    """True when two lon/lat geometries cover the same ground: polygons whose symmetric
    difference is a negligible fraction of their area, lines within tol_deg (~10 cm) of each
    other (Hausdorff distance; the tools' GeoJSON rounds to 7 decimals)."""
    if a.geom_type.endswith("LineString"):
        return a.hausdorff_distance(b) <= tol_deg
    diff = a.symmetric_difference(b).area
    return diff <= rel * max(a.area, b.area, 1e-12) + 1e-12
