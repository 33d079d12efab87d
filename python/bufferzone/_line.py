"""Contact lines: Line, read_line, derive and the vectorised distance."""

import numpy as np

from . import _bufferzone as _c
from ._context import context, in_main_thread
from ._convert import line_handle, polygon_handle, to_shapely

__all__ = ["Line", "read_line", "derive", "distance"]


class Line:
    """A validated contact line: one or more parts of lon/lat vertices (WGS84).

    Direction matters: side A is LEFT of the direction of travel, side B is RIGHT. Parts that
    touch end to end are merged; consecutive duplicate points are dropped; longitudes are
    unwrapped across the antimeridian (so they may leave [-180, 180]).

    Made by :func:`read_line`, :func:`derive`, :meth:`Line.from_geometry` or
    ``Zones.line``; accepted wherever a line is (``bz.zones(line, ...)``), without conversion.

    Attributes:
        geometry: the line as a Shapely MultiLineString.
        length_m: geodesic length in metres.
        num_parts, num_points: parts and vertices after merging.
    """

    __slots__ = ("_handle", "_geometry")

    def __init__(self, handle):
        self._handle = handle
        self._geometry = None

    @classmethod
    def from_geometry(cls, obj, *, layer=None, where=None):
        """A Line from a Shapely (Multi)LineString, GeoJSON dict, GeoDataFrame, WKT or path."""
        return cls(line_handle(context(), obj, "line", layer, where))

    @property
    def geometry(self):
        """The line as a Shapely MultiLineString (lon/lat; unwrapped at the antimeridian)."""
        if self._geometry is None:
            self._geometry = to_shapely(self._handle.wkb(context()))
        return self._geometry

    @property
    def __geo_interface__(self):
        return self.geometry.__geo_interface__

    @property
    def wkt(self):
        """WKT of the line."""
        return self.geometry.wkt

    @property
    def length_m(self):
        """Geodesic length in metres (WGS84)."""
        return self._handle.length(context())

    @property
    def num_parts(self):
        """Number of parts (at least 1)."""
        return self._handle.num_parts()

    @property
    def num_points(self):
        """Total number of vertices after duplicate removal and merging."""
        return self._handle.num_points()

    @property
    def parts(self):
        """The parts as lists of (lon, lat) tuples."""
        return self._handle.parts()

    def distance(self, lons, lats, *, side=False):
        """Geodesic distances (metres) from points to this line; see :func:`distance`."""
        return _distance(self._handle, lons, lats, side)

    def write(self, path, *, overwrite=False, format=None, name=None):
        """Write the line to a file as one feature (kind "contact_line", length_km, and `name`
        if given), as ``bz-derive -o`` does: the format follows the extension or `format`
        (an OGR driver name), through a temporary file renamed into place, with the QGIS
        style (a GeoPackage's layer_styles, a GeoJSON's .qml sidecar) and the simplestyle
        properties the other outputs get.

        Raises:
            ExistsError if `path` (or its .qml sidecar) exists and overwrite is False;
            FileError.
        """
        from ._write import write_features
        write_features(path, [(self.geometry, "contact_line", None, name, None, None,
                               self.length_m / 1e3)], overwrite, format)

    def __repr__(self):
        return "<bufferzone.Line %d part(s), %d points, %.1f km>" % (
            self.num_parts, self.num_points, self.length_m / 1e3)


def read_line(path, *, layer=None, where=None):
    """Read a contact line from a file (anything GDAL reads: GeoJSON, Shapefile, GeoPackage,
    KML, FlatGeobuf, ...).

    Every (Multi)LineString of the matching features is used and merged; coordinates are
    transformed to WGS84 lon/lat.

    Args:
        path: file name (str or os.PathLike) or a GDAL virtual path.
        layer: layer name (None = every layer, or the only one).
        where: OGR SQL filter, e.g. ``"name = 'front'"``.

    Returns:
        Line

    Raises:
        FileError, FormatError, NotFoundError, GeometryTypeError (polygons are not lines),
        GeometryError, ProjectionError.
    """
    return Line(line_handle(context(), path, "line", layer, where))


def derive(territory, region, *, tolerance=1000.0, min_length=0.0, threads=None, progress=None):
    """The contact line of a control map: the edge of `territory` (the area one side holds)
    that lies inside `region` (a LAND outline), away from the region's edge.

    Args:
        territory: polygon(s) held by side A (Shapely, GeoJSON dict, GeoDataFrame, WKT, path).
        region: the land outline (same kinds). An outline over the territorial sea makes the
            occupied coast look like front line.
        tolerance: metres; territory edge within this distance of the region's edge is border,
            not front (absorbs border disagreement between datasets). Default 1000.
        min_length: drop derived pieces shorter than this (metres). Default 0.
        threads: worker threads (None = one per CPU).
        progress: optional callable(fraction) called now and then (at most every ~10 ms)
            with the fraction of the territory's edge walked, in [0, 1]; return True to
            stop, which raises :class:`CancelledError`. Ctrl-C in the main thread stops the
            derivation too and raises KeyboardInterrupt.

    Returns:
        Line (side A, the territory, is on its left).

    Raises:
        GeometryTypeError if the inputs are not polygonal, NotFoundError if no line is left,
        CancelledError.
    """
    if progress is not None and not callable(progress):
        raise TypeError("progress: expected a callable(fraction) or None")
    ctx = context(threads)
    t = polygon_handle(ctx, territory, "territory")
    r = polygon_handle(ctx, region, "region")
    return Line(_c.derive(ctx, t, r, float(tolerance), float(min_length), progress,
                          in_main_thread()))


def _distance(handle, lons, lats, side):
    lon = np.asarray(lons, dtype=np.float64)
    lat = np.asarray(lats, dtype=np.float64)
    if lon.shape != lat.shape:
        raise ValueError("distance: lons and lats differ in shape: %s vs %s"
                         % (lon.shape, lat.shape))
    out = np.empty(lon.shape, dtype=np.float64)
    sides = np.empty(lon.shape, dtype=np.int8) if side else None
    handle.distance(context(), np.ascontiguousarray(lon.reshape(-1)),
                    np.ascontiguousarray(lat.reshape(-1)), out.reshape(-1),
                    None if sides is None else sides.reshape(-1))
    if out.ndim == 0:
        return (float(out), int(sides)) if side else float(out)
    return (out, sides) if side else out


def distance(line, lons, lats, *, side=False):
    """Geodesic distance (metres, WGS84) from each point to the line, vectorised.

    Each segment of the line is the geodesic between its vertices; accurate to 1 cm for lines
    up to a few thousand km. The line's spatial index is built once, so many points are fast,
    and the GIL is released while they are measured.

    Args:
        line: a Line or any line input (Shapely, GeoJSON dict, WKT, path).
        lons, lats: longitudes and latitudes (scalars or array-likes of one shape).
        side: also return the side of each point: +1 left of the line's direction (side A),
            -1 right (side B), 0 on the line.

    Returns:
        A float64 array of the input's shape (a float for scalars); with side=True a tuple
        (distances, sides) where sides is int8.

    Raises:
        GeometryError for NaN or out-of-range coordinates (the message names the point).

    Example:
        >>> d = bz.distance("LINESTRING (30 50, 31 50)", [30.5, 30.5], [50.1, 49.9])
    """
    handle = line._handle if isinstance(line, Line) else line_handle(context(), line)
    return _distance(handle, lons, lats, side)
