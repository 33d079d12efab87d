"""Withdrawal zones: zones() and its result, Zones."""

import math
import os
import re

from . import _bufferzone as _c
from ._context import context, in_main_thread
from ._convert import line_handle, optional_polygon, polygon_handle, to_shapely
from ._errors import ArgumentError
from ._line import Line

__all__ = ["zones", "zones_from_polygon", "Zones", "parse_distance"]

_UNITS = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "nmi": 1852.0}
_DIST = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(m|km|mi|nmi)\s*$")


def parse_distance(value, what="distance"):
    """Metres from a number (metres) or a string with a unit: "10km", "5000m", "6mi",
    "2.5nmi". Range checks are the library's (0 to 1,000 km)."""
    if isinstance(value, str):
        m = _DIST.match(value)
        if not m:
            raise ArgumentError("%s: expected metres or a distance with a unit (m, km, mi, nmi), "
                                "got %r" % (what, value), _c.ERR_ARGUMENT)
        return float(m.group(1)) * _UNITS[m.group(2)]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(value)  # NumPy scalars
        except (TypeError, ValueError):
            raise TypeError("%s: expected a number of metres or a string like '10km', got %s"
                            % (what, type(value).__name__)) from None
    return float(value)


def _side_index(side, names=("A", "B")):
    if isinstance(side, str):
        s = side.strip()
        low = s.lower()
        if low in ("a", "left"):
            return 0
        if low in ("b", "right"):
            return 1
        if names and s in names:
            return list(names).index(s)
    elif isinstance(side, int) and not isinstance(side, bool) and side in (0, 1):
        return side
    raise ValueError("side: expected 'A' or 'B' (or 'left'/'right', 0/1%s), got %r"
                     % (", or one of %s" % (tuple(names),) if names else "", side))


def _names(names, default):
    if names is None:
        return default
    if isinstance(names, str) or len(names) != 2:
        raise ValueError("names: expected two names (side A, side B), got %r" % (names,))
    return tuple(str(n) for n in names)


def _distances(distance, distance_a, distance_b):
    if distance is not None:
        if distance_a is not None or distance_b is not None:
            raise ArgumentError("give either distance= (both sides) or distance_a=/distance_b=, "
                                "not both", _c.ERR_ARGUMENT)
        d = parse_distance(distance)
        return d, d
    if distance_a is None and distance_b is None:
        raise ArgumentError("no distance: give distance= (both sides withdraw it) or "
                            "distance_a= / distance_b= (a missing side withdraws 0)",
                            _c.ERR_ARGUMENT)
    da = 0.0 if distance_a is None else parse_distance(distance_a, "distance_a")
    db = 0.0 if distance_b is None else parse_distance(distance_b, "distance_b")
    return da, db


def _sides_inputs(ctx, line, territory, region, layer, where):
    if line is None and territory is None:
        raise ArgumentError("give a contact line, or territory= and region=", _c.ERR_ARGUMENT)
    if territory is not None and region is None:
        raise ArgumentError("territory= needs region= (the area side B is the rest of)",
                            _c.ERR_ARGUMENT)
    # layer/where select features of the line, or of the territory when there is no line.
    lh = None if line is None else line_handle(ctx, line, "line", layer, where)
    sel = {} if line is not None else {"layer": layer, "where": where}
    th = optional_polygon(ctx, territory, "territory", **sel)
    rh = optional_polygon(ctx, region, "region")
    return lh, rh, th


def zones(line=None, *, territory=None, region=None, distance=None, distance_a=None,
          distance_b=None, names=None, layer=None, where=None, tolerance=1000.0,
          max_error_m=0.0, verify=True, verify_step_m=0.0, threads=None, progress=None):
    """Both sides' withdrawal zones around a contact line, exact in geodesic metres.

    The sides come in one of three forms:

    * ``zones(territory=occupied, region=country, ...)``: side A holds `territory`, side B
      the rest of `region`; the line is derived (see :func:`derive`, `tolerance`) unless you
      also pass `line`.
    * ``zones(line, region=country, ...)``: `region` is split by the line into the part LEFT
      of the line's direction (side A) and the part RIGHT of it (side B).
    * ``zones(line, ...)``: the line alone; sides are left (A) and right (B) of it.

    A side's zone is its own ground within its distance of the line; its withdrawal line is
    the zone's far edge; the buffer zone is both zones together. Everything is clipped to the
    region when one is given. Every withdrawal-line point is within max(1 m, 0.01 % of the
    distance) of the requested geodesic distance, and the result reports the largest deviation
    it measured (``max_error_m``).

    Args:
        line: the contact line: a :class:`Line`, a Shapely (Multi)LineString, a GeoJSON dict
            (geometry, Feature or FeatureCollection) or GeoJSON text, a GeoDataFrame/GeoSeries
            (reprojected to EPSG:4326), WKT, or a path to any file GDAL reads.
        territory: polygon(s) held by side A (same kinds, polygonal).
        region: the area to clip to (same kinds); with `territory` a LAND outline.
        distance: both sides withdraw this far: metres, or a string with a unit ("10km",
            "5000m", "6mi", "2.5nmi"). At most 1,000 km.
        distance_a, distance_b: asymmetric distances instead (a missing one is 0: that side's
            zone is empty and its withdrawal line is the contact line).
        names: names of sides A and B for :meth:`Zones.to_geodataframe`, :meth:`Zones.write`
            and :meth:`Zones.summary` (default ("A", "B")); each can be given again there.
        layer, where: select the features of the line file (of the territory file when there
            is no line): layer name and OGR SQL filter.
        tolerance: deriving the line from a territory: border within this many metres of the
            region's edge is not front line (default 1000).
        max_error_m: accuracy bound in metres (0 = max(1 m, 0.01 % of the distance)).
        verify: measure the result against exact geodesic distances (default True).
        verify_step_m: spacing of the verification samples (0 = default: at least every 250 m,
            or every 10 accuracy bounds where that is longer).
        threads: worker threads inside this call (None = one per CPU, at most 8; 1 = none).
            The GIL is released while the library computes, so Python threads run in parallel.
        progress: optional callable(fraction) called now and then (at least every ~50 ms of
            work) with the fraction done in [0, 1]; return True to stop, which raises
            :class:`CancelledError`. Ctrl-C in the main thread stops the computation too and
            raises KeyboardInterrupt; nothing is leaked either way.

    Returns:
        Zones

    Raises:
        ArgumentError (distances, missing inputs), GeometryError, GeometryTypeError,
        FileError, FormatError, NotFoundError, ProjectionError, AccuracyError, CancelledError.

    Example:
        >>> import bufferzone as bz
        >>> z = bz.zones("examples/data/donbas_contact_line_2015.geojson",
        ...              region="examples/data/ukraine_outline.geojson", distance="15km")
        >>> round(z.area("A") / 1e6, 1)       # km² side A gives up
        4990.3
    """
    da, db = _distances(distance, distance_a, distance_b)
    if progress is not None and not callable(progress):
        raise TypeError("progress: expected a callable(fraction) or None")
    ctx = context(threads)
    lh, rh, th = _sides_inputs(ctx, line, territory, region, layer, where)
    h = _c.zones_compute(ctx, lh, rh, th, da, db, float(max_error_m), bool(verify),
                         float(verify_step_m), float(tolerance), progress, in_main_thread())
    return Zones(h, names)


def zones_from_polygon(zone, line=None, *, territory=None, region=None, names=None,
                       layer=None, where=None, tolerance=1000.0, threads=None):
    """Split an explicit zone polygon (e.g. "the area one side is asked to leave") between the
    sides, in the same three forms as :func:`zones`. Areas and zones are per side; distances
    are NaN and max_error_m is 0. Without a line in the territory form, the line is derived
    first (with `tolerance`).

    Returns:
        Zones
    """
    ctx = context(threads)
    lh, rh, th = _sides_inputs(ctx, line, territory, region, layer, where)
    if lh is None:
        lh = _c.derive(ctx, th, rh, float(tolerance), 0.0)
    zh = polygon_handle(ctx, zone, "zone")
    return Zones(_c.zones_from_polygon(ctx, lh, rh, th, zh), names)


class Zones:
    """The result of :func:`zones`: per side a zone, a withdrawal line and measures, plus the
    buffer zone and the contact line. Geometries are Shapely, lon/lat WGS84; lengths are
    geodesic metres and areas ellipsoidal m² (``summary()`` and the GeoDataFrame use km and
    km²). Sides are "A" and "B" (also "left"/"right", 0/1, or the names given).

    The result is read-only and may be shared between threads.
    """

    __slots__ = ("_h", "_names", "_m", "_cache")

    def __init__(self, handle, names=None):
        self._h = handle
        self._names = _names(names, ("A", "B"))
        self._m = handle.measures()
        self._cache = {}

    def _geom(self, what, side=0):
        key = (what, side)
        if key not in self._cache:
            self._cache[key] = to_shapely(self._h.wkb(context(), what, side))
        return self._cache[key]

    @property
    def names(self):
        """The names of sides A and B."""
        return self._names

    def zone(self, side):
        """A side's zone (MultiPolygon, possibly empty): its ground within its distance."""
        return self._geom("zone", _side_index(side, self._names))

    def withdrawal_line(self, side):
        """A side's withdrawal line (MultiLineString): where it stands afterwards."""
        return self._geom("withdrawal_line", _side_index(side, self._names))

    def side_ground(self, side):
        """A side's ground (within the region; in the line-alone form its half of the largest
        buffer)."""
        return self._geom("side_ground", _side_index(side, self._names))

    @property
    def buffer_zone(self):
        """The buffer (gray) zone: both zones together (MultiPolygon)."""
        return self._geom("buffer_zone")

    @property
    def contact_line(self):
        """The contact line used, given or derived (Shapely MultiLineString)."""
        return self._geom("contact_line")

    @property
    def line(self):
        """The contact line used, as a :class:`Line` (e.g. for :func:`distance`)."""
        return Line(self._h.contact_line())

    def distance(self, side):
        """A side's withdrawal distance in metres (NaN for zones_from_polygon)."""
        return self._m["distance_m"][_side_index(side, self._names)]

    def area(self, side):
        """A side's zone area in m² (ellipsoidal)."""
        return self._m["area_m2"][_side_index(side, self._names)]

    def withdrawal_length(self, side):
        """A side's withdrawal-line length in metres (geodesic)."""
        return self._m["withdrawal_length_m"][_side_index(side, self._names)]

    @property
    def distances(self):
        """(side A, side B) withdrawal distances in metres."""
        return tuple(self._m["distance_m"])

    @property
    def areas(self):
        """(side A, side B) zone areas in m²."""
        return tuple(self._m["area_m2"])

    @property
    def lengths(self):
        """(side A, side B) withdrawal-line lengths in metres."""
        return tuple(self._m["withdrawal_length_m"])

    @property
    def buffer_area(self):
        """The buffer zone's area in m² (the sum of both zones')."""
        return self._m["buffer_area_m2"]

    @property
    def contact_length(self):
        """The contact line's length in metres (the part inside the region, if any)."""
        return self._m["contact_length_m"]

    @property
    def max_error_m(self):
        """The largest deviation (m) of a withdrawal-line point from its requested geodesic
        distance, as measured by the library (0 if verify=False)."""
        return self._m["max_error_m"]

    def summary(self, names=None):
        """The numbers ``bz-zones --json`` prints, as a dict: contact_line_km,
        buffer_zone_km2, max_error_m and per side name, distance_m, zone_km2,
        withdrawal_line_km."""
        n = _names(names, self._names)
        return {
            "contact_line_km": self.contact_length / 1e3,
            "buffer_zone_km2": self.buffer_area / 1e6,
            "max_error_m": self.max_error_m,
            "sides": [{"name": n[s], "distance_m": self._m["distance_m"][s],
                       "zone_km2": self._m["area_m2"][s] / 1e6,
                       "withdrawal_line_km": self._m["withdrawal_length_m"][s] / 1e3}
                      for s in (0, 1)],
        }

    def to_geodataframe(self, names=None):
        """The result as a GeoDataFrame in EPSG:4326 with the features ``write`` writes, in
        its order: per side its zone and withdrawal line, then the contact line and the
        buffer zone.

        Columns: kind ("zone", "withdrawal_line", "contact_line", "buffer_zone"), side (the
        side's name, None for the shared features), distance_m, area_km2 (polygons),
        length_km (lines), geometry (full precision, not rounded as in GeoJSON files).

        Args:
            names: (name of side A, name of side B); default the names given to zones().
        """
        import geopandas as gpd
        n = _names(names, self._names)
        nan = math.nan
        rows = []
        for s in (0, 1):
            d = self._m["distance_m"][s]
            rows.append(("zone", n[s], d, self._m["area_m2"][s] / 1e6, nan,
                         self._geom("zone", s)))
            rows.append(("withdrawal_line", n[s], d, nan,
                         self._m["withdrawal_length_m"][s] / 1e3,
                         self._geom("withdrawal_line", s)))
        rows.append(("contact_line", None, nan, nan, self.contact_length / 1e3,
                     self.contact_line))
        rows.append(("buffer_zone", None, nan, self.buffer_area / 1e6, nan, self.buffer_zone))
        cols = ["kind", "side", "distance_m", "area_km2", "length_km"]
        data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
        return gpd.GeoDataFrame(data, geometry=[r[5] for r in rows], crs="EPSG:4326")

    def to_geojson(self, names=None):
        """The result as an RFC 7946 GeoJSON FeatureCollection (str): exactly what ``write``
        puts into a .geojson file, with the same styling properties (7 decimals, split at
        the antimeridian)."""
        n = _names(names, self._names)
        return self._h.to_geojson(context(), n[0], n[1])

    def write(self, path, *, names=None, overwrite=False, format=None):
        """Write the result to a file; the format follows the extension (.geojson, .shp,
        .gpkg, ...) or `format` (an OGR driver name). The file is written to a temporary
        name and renamed, so a failure never leaves a half file.

        Raises:
            ExistsError if `path` exists and overwrite is False; FileError.
        """
        n = _names(names, self._names)
        self._h.write(context(), os.fsdecode(path), n[0], n[1], format, bool(overwrite))

    def places_within(self, places, side=None):
        """How many of `places` (a :class:`Places`) lie in a side's zone (or in the buffer
        zone when side is None): (count, population, indices)."""
        from ._places import as_places
        p = as_places(places)
        ctx = context()
        if side is None:
            area = self._h.geometry(ctx, "buffer_zone", 0)
        else:
            area = self._h.geometry(ctx, "zone", _side_index(side, self._names))
        return p._within(area)

    def __repr__(self):
        return ("<bufferzone.Zones %s %.1f km² / %s %.1f km², buffer %.1f km², contact line "
                "%.1f km, max error %.2f m>" % (
                    self._names[0], self.areas[0] / 1e6, self._names[1], self.areas[1] / 1e6,
                    self.buffer_area / 1e6, self.contact_length / 1e3, self.max_error_m))
