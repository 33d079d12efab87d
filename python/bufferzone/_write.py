"""Writing features through the library's writer (bz_writer): the output policy (temporary
file renamed into place, overwrite, FIFOs), the QGIS styles and the simplestyle properties
that bz-derive and bz-diff write too."""

import os

from . import _bufferzone as _c
from ._context import context


def write_features(path, features, overwrite=False, format=None):
    """features: [(Shapely geometry, kind, side, name, distance_m, area_km2, length_km)], the
    attributes None when unset. Empty geometries are left out."""
    ctx = context()
    handles = [(_c.geometry_from_wkb(ctx, g.wkb),) + tuple(attrs)
               for g, *attrs in features if g is not None and not g.is_empty]
    _c.write_features(ctx, os.fsdecode(path), handles, format, bool(overwrite), False)
