"""diff(): how a territory changed between two dates, like the bz-diff tool."""

import os

from . import _bufferzone as _c
from ._context import context
from ._convert import _kind, is_geopandas, optional_polygon, polygon_handle, to_shapely
from ._errors import CancelledError, NotFoundError

__all__ = ["diff", "Diff"]

_UNIT_FIELDS = ("name", "NAME", "shapeName", "ADMIN_1", "name_en")


class Diff:
    """The result of :func:`diff`. Areas in km² (ellipsoidal), inside the region if one was
    given.

    Attributes:
        old_km2, new_km2: the territory's area at the two dates.
        gained_km2, lost_km2, net_km2: in NEW not in OLD, in OLD not in NEW, and gained − lost.
        gained, lost: the changed areas (Shapely MultiPolygons).
        units: a pandas.DataFrame (name, gained_km2, lost_km2, net_km2), largest net change
            first, when `by` was given; otherwise None.
    """

    def __init__(self, old_km2, new_km2, gained, lost, gained_km2, lost_km2, units):
        self.old_km2, self.new_km2 = old_km2, new_km2
        self.gained, self.lost = gained, lost
        self.gained_km2, self.lost_km2 = gained_km2, lost_km2
        self.net_km2 = gained_km2 - lost_km2
        self.units = units

    def summary(self):
        """The numbers ``bz-diff --json`` prints, as a dict (with "units" when split)."""
        d = {"old_km2": self.old_km2, "new_km2": self.new_km2, "gained_km2": self.gained_km2,
             "lost_km2": self.lost_km2, "net_km2": self.net_km2}
        if self.units is not None:
            d["units"] = self.units.to_dict("records")
        return d

    def to_geodataframe(self):
        """The changes as a GeoDataFrame (EPSG:4326), the features ``bz-diff -o`` writes:
        kind ("gained", "lost"), name, area_km2, geometry."""
        import geopandas as gpd
        return gpd.GeoDataFrame(
            {"kind": ["gained", "lost"], "name": ["in NEW, not in OLD", "in OLD, not in NEW"],
             "area_km2": [self.gained_km2, self.lost_km2]},
            geometry=[self.gained, self.lost], crs="EPSG:4326")

    def write(self, path, *, overwrite=False, format=None):
        """Write the changes (the features of :meth:`to_geodataframe`) to a file, as
        ``bz-diff -o`` does: the format follows the extension or `format`, through a temporary
        file renamed into place, with the QGIS style (gained red, lost green, as bz-render
        draws them) and simplestyle properties. An empty change is left out.

        Raises:
            ExistsError if `path` (or its .qml sidecar) exists and overwrite is False;
            FileError.
        """
        from ._write import write_features
        write_features(path, [
            (self.gained, "gained", None, "in NEW, not in OLD", None, self.gained_km2, None),
            (self.lost, "lost", None, "in OLD, not in NEW", None, self.lost_km2, None)],
            overwrite, format)

    def __repr__(self):
        return "<bufferzone.Diff gained %.1f km², lost %.1f km², net %+.1f km²>" % (
            self.gained_km2, self.lost_km2, self.net_km2)


def _units(ctx, by, by_field):
    """[(name, Geometry handle or None)] of the administrative units."""
    if is_geopandas(by):
        gdf = by
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            gdf = gdf.to_crs(4326)
        cols = list(getattr(gdf, "columns", []))
        field = by_field or next((f for f in _UNIT_FIELDS if f in cols), None)
        if field is None or field not in cols:
            raise NotFoundError("by: no %s column; give by_field" % (
                repr(by_field) if by_field else "name, NAME, shapeName or ADMIN_1"),
                _c.ERR_NOT_FOUND)
        out = []
        for i, (name, g) in enumerate(zip(gdf[field], gdf.geometry)):
            h = None if g is None or g.is_empty else polygon_handle(
                ctx, g, "by: unit %d (%s)" % (i, name))
            out.append(("(unnamed)" if name is None else str(name), h))
        return out
    if _kind(by) != "path":
        raise TypeError("by: expected a path or a GeoDataFrame, got %s" % type(by).__name__)
    path = os.fsdecode(by)
    fields = (by_field,) if by_field else _UNIT_FIELDS
    feats = _c.read_features(ctx, path, None, None, fields)
    k = 0
    if not by_field:
        k = next((j for j in range(len(fields)) if feats and feats[0][1][j] is not None), None)
        if k is None:
            raise NotFoundError("%s: no name, NAME, shapeName or ADMIN_1 attribute; give "
                                "by_field" % path, _c.ERR_NOT_FOUND)
    elif feats and feats[0][1][0] is None:
        raise NotFoundError("%s: feature 0 has no attribute '%s'" % (path, by_field),
                            _c.ERR_NOT_FOUND)
    return [("(unnamed)" if a[k] is None else a[k], g) for g, a in feats]


def _poll(progress, fraction):
    """Call the progress function; CancelledError when it asks to stop."""
    if progress is not None and progress(fraction):
        raise CancelledError("cancelled by the progress callback", _c.ERR_CANCELLED)


def diff(old, new, *, region=None, by=None, by_field=None, threads=None, progress=None):
    """How a territory changed between two dates (as ``bz-diff``): the area gained (in NEW,
    not in OLD) and lost (in OLD, not in NEW), optionally per administrative unit.

    Args:
        old, new: the territory at the earlier and the later date (Shapely, GeoJSON dict,
            GeoDataFrame, WKT or a path).
        region: count only changes inside this area.
        by: administrative units: a path or a GeoDataFrame of polygons (e.g. oblasts).
        by_field: the attribute / column naming each unit (default: the first of name, NAME,
            shapeName, ADMIN_1, name_en that the first unit has).
        threads: worker threads (None = one per CPU).
        progress: optional callable(fraction) with the fraction done in [0, 1], called
            between the steps (reading the inputs, their areas, the overlays, each unit);
            return True to stop, which raises :class:`CancelledError`. The library's
            territory change (bz_territory_diff) takes no callback: its few GEOS overlays
            cannot be interrupted, so a stop is seen after the running one.

    Returns:
        Diff

    Example:
        >>> d = bz.diff("occupied_2024.geojson", "occupied_2026.geojson",
        ...             by="oblasts.geojson", by_field="ADMIN_1")
        >>> d.units.head()
    """
    if progress is not None and not callable(progress):
        raise TypeError("progress: expected a callable(fraction) or None")
    _poll(progress, 0.0)
    ctx = context(threads)
    oh = polygon_handle(ctx, old, "old territory")
    nh = polygon_handle(ctx, new, "new territory")
    rh = optional_polygon(ctx, region, "region")
    _poll(progress, 0.1)

    def area(h):
        return (_c.intersection_area(ctx, h, rh) if rh is not None else h.area(ctx)) / 1e6

    old_km2 = area(oh)
    _poll(progress, 0.2)
    new_km2 = area(nh)
    _poll(progress, 0.3)
    gh, lh, gm2, lm2 = _c.territory_diff(ctx, oh, nh, rh)
    _poll(progress, 0.6)
    units = None
    if by is not None:
        import pandas as pd
        rows = []
        unit_list = _units(ctx, by, by_field)
        for i, (name, uh) in enumerate(unit_list):
            _poll(progress, 0.6 + 0.4 * i / len(unit_list))
            g = _c.intersection_area(ctx, gh, uh) / 1e6 if uh is not None else 0.0
            lo = _c.intersection_area(ctx, lh, uh) / 1e6 if uh is not None else 0.0
            rows.append({"name": name, "gained_km2": g, "lost_km2": lo, "net_km2": g - lo})
        rows.sort(key=lambda r: (-abs(r["net_km2"]), r["name"]))
        units = pd.DataFrame(rows, columns=["name", "gained_km2", "lost_km2", "net_km2"])
    result = Diff(old_km2, new_km2, to_shapely(gh.wkb(ctx)), to_shapely(lh.wkb(ctx)),
                  gm2 / 1e6, lm2 / 1e6, units)
    _poll(progress, 1.0)
    return result
