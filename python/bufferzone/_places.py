"""Places (settlements): read_places, Places.from_arrays and counting them inside areas."""

import os

import numpy as np

from . import _bufferzone as _c
from ._context import context
from ._convert import _geojson_text, _kind, _via_memory, is_geopandas, polygon_handle

__all__ = ["Places", "read_places"]

_NAME_FIELDS = ("name", "NAME", "name_en", "NAMEASCII")
_POP_FIELDS = ("population", "POP_MAX", "pop")


class Places:
    """Settlements: names, lon/lat points and populations (NaN = unknown).

    Made by :func:`read_places` (files, GeoJSON, GeoDataFrames of points) or
    :meth:`Places.from_arrays`. ``len(places)`` is their number.
    """

    __slots__ = ("_h", "_cols")

    def __init__(self, handle):
        self._h = handle
        self._cols = None

    @classmethod
    def from_arrays(cls, names, lons, lats, populations=None):
        """Places from sequences: names (None entries = ""), longitudes, latitudes and
        optional populations (NaN = unknown). Everything is copied.

        Raises:
            GeometryError for NaN or out-of-range coordinates (the message names the index).
        """
        lon = np.ascontiguousarray(lons, dtype=np.float64).reshape(-1)
        lat = np.ascontiguousarray(lats, dtype=np.float64).reshape(-1)
        pop = None
        if populations is not None:
            pop = np.ascontiguousarray(
                [np.nan if p is None else p for p in populations], dtype=np.float64).reshape(-1)
        nm = None
        if names is not None:
            nm = [None if n is None else str(n) for n in names]
        return cls(_c.places_from_arrays(context(), nm, lon, lat, pop))

    def _columns(self):
        if self._cols is None:
            self._cols = self._h.columns()
        return self._cols

    def __len__(self):
        return self._h.count()

    @property
    def names(self):
        """The names (list of str; "" when a place has none)."""
        return list(self._columns()[0])

    @property
    def lons(self):
        """Longitudes (float64 array)."""
        return np.array(self._columns()[1], dtype=np.float64)

    @property
    def lats(self):
        """Latitudes (float64 array)."""
        return np.array(self._columns()[2], dtype=np.float64)

    @property
    def populations(self):
        """Populations (float64 array, NaN = unknown)."""
        return np.array(self._columns()[3], dtype=np.float64)

    def _within(self, area_handle):
        count, population, indices = self._h.within(context(), area_handle)
        return count, population, indices

    def within(self, area):
        """The places inside (or on the edge of) a polygonal area (Shapely, GeoJSON, WKT,
        path): (count, population of those with a known one, indices)."""
        return self._within(polygon_handle(context(), area, "area"))

    def to_geodataframe(self):
        """The places as a GeoDataFrame (EPSG:4326) with columns name, population."""
        import geopandas as gpd
        names, lons, lats, pops = self._columns()
        return gpd.GeoDataFrame({"name": names, "population": pops},
                                geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")

    def __repr__(self):
        return "<bufferzone.Places %d>" % len(self)


def _pick(columns, given, guesses, what):
    if given is not None:
        if given not in columns:
            raise KeyError("%s: no column %r (columns: %s)" % (what, given, ", ".join(columns)))
        return given
    return next((c for c in guesses if c in columns), None)


def read_places(source, *, layer=None, where=None, name_field=None, population_field=None):
    """Read settlements: Point features with a name and an optional population.

    Args:
        source: a path (anything GDAL reads), a GeoJSON dict or text, or a GeoDataFrame of
            points (reprojected to EPSG:4326), or a :class:`Places` (returned as is).
        layer, where: layer name and OGR SQL filter (files and GeoJSON).
        name_field: the name attribute (default: the first of name, NAME, name_en, NAMEASCII).
        population_field: the population attribute (default: the first of population,
            POP_MAX, pop).

    Returns:
        Places
    """
    if isinstance(source, Places):
        return source
    ctx = context()
    if is_geopandas(source):
        gdf = source
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            gdf = gdf.to_crs(4326)
        geoms = gdf.geometry
        bad = [i for i, g in enumerate(geoms) if g is None or g.geom_type != "Point"]
        if bad:
            from ._errors import GeometryTypeError
            raise GeometryTypeError("places: row %d is not a Point (%s)" % (
                bad[0], "empty" if geoms.iloc[bad[0]] is None else geoms.iloc[bad[0]].geom_type),
                _c.ERR_TYPE)
        cols = list(getattr(gdf, "columns", []))
        nf = _pick(cols, name_field, _NAME_FIELDS, "name_field")
        pf = _pick(cols, population_field, _POP_FIELDS, "population_field")
        names = None if nf is None else [None if v is None or v != v else str(v)
                                         for v in gdf[nf]]
        pops = None if pf is None else [np.nan if v is None else float(v) for v in gdf[pf]]
        return Places.from_arrays(names, geoms.x.to_numpy(), geoms.y.to_numpy(), pops)
    kind = _kind(source)
    read = lambda p: _c.read_places(ctx, p, layer, where, name_field, population_field)
    if kind == "path":
        return Places(read(os.fsdecode(source)))
    if kind == "geojson":
        return Places(_via_memory(ctx, source, read, "places"))
    if kind == "mapping":
        return Places(_via_memory(ctx, _geojson_text(source), read, "places"))
    raise TypeError("places: expected a path, GeoJSON, a GeoDataFrame of points or Places, "
                    "got %s" % type(source).__name__)


def as_places(obj):
    return obj if isinstance(obj, Places) else read_places(obj)
