"""bufferzone — buffer-zone geometry and contact-line analysis on the WGS84 ellipsoid.

Where would each side's new line be if both withdrew 5 or 10 km from a ceasefire line, how
many km² does each side give up, how do proposals compare, which towns fall inside the zone,
how has the line moved between two dates — in geodesic metres and ellipsoidal km².

This package is the Python face of the C library libbufferzone (the same code the bz-* tools
use). Geometries come and go as Shapely geometries (lon/lat, EPSG:4326); tables as pandas /
GeoPandas frames.

Quick tour::

    import bufferzone as bz
    z = bz.zones("donbas_contact_line_2015.geojson", region="ukraine_outline.geojson",
                 distance="15km", names=("Ukraine", "Donbass"))
    z.area("A") / 1e6, z.max_error_m          # km² side A gives up; accuracy in metres
    z.zone("B"), z.withdrawal_line("B"), z.buffer_zone, z.contact_line   # Shapely
    gdf = z.to_geodataframe()                 # kind/side/distance_m/area_km2/length_km
    z.write("zones.gpkg", overwrite=True)

    bz.zones(territory=occupied, region=land, distance_a=10_000, distance_b=0)
    bz.derive(occupied, land, tolerance=1000)             # the contact line of a control map
    bz.compare(line, region=land, proposals={"5 km": "sym:5km", "one-sided": "a:10km,b:0"},
               places="places.geojson")                   # a DataFrame, like bz-compare
    bz.diff(old, new, by=oblasts, by_field="ADMIN_1")     # territory change per unit
    bz.distance(line, lons, lats)                         # vectorised geodesic distances

Inputs: wherever a line or polygon is expected you may pass a Shapely geometry, a GeoJSON dict
(geometry, Feature or FeatureCollection) or GeoJSON text, a GeoDataFrame/GeoSeries, WKT, or a
path to any file GDAL reads (GeoJSON, Shapefile, GeoPackage, KML, FlatGeobuf, ...).

Units: distances are metres (or strings with a unit: "10km", "5000m", "6mi", "2.5nmi"),
areas m² on result objects and km² in tables.

Errors are exceptions derived from :class:`bufferzone.Error`, one class per status code of
the library (ArgumentError, GeometryError, GeometryTypeError, FileError, FormatError,
NotFoundError, ExistsError, ProjectionError, GEOSError, AccuracyError, CancelledError,
OutOfMemoryError), carrying the library's message and ``status``.

Threads: the GIL is released while the library computes and each Python thread uses its own
library context, so computations in several threads run in parallel. Ctrl-C stops a long
computation cleanly (KeyboardInterrupt); a ``progress`` callable can stop it too.
"""

from . import _bufferzone
from ._compare import compare
from ._diff import Diff, diff
from ._errors import (AccuracyError, ArgumentError, CancelledError, Error, ExistsError,
                      FileError, FormatError, GeometryError, GeometryTypeError, GEOSError,
                      NotFoundError, OutOfMemoryError, ProjectionError)
from ._convert import polygon_handle as _polygon_handle, to_shapely as _to_shapely
from ._context import context as _context
from ._line import Line, derive, distance, read_line
from ._places import Places, read_places
from ._zones import Zones, parse_distance, zones, zones_from_polygon

__version__ = _bufferzone.library_version
#: Largest withdrawal distance accepted, in metres (1,000 km).
MAX_DISTANCE_M = float(_bufferzone.MAX_DISTANCE_M)

__all__ = [
    "zones", "zones_from_polygon", "Zones", "derive", "compare", "diff", "Diff", "distance",
    "read_line", "read_polygon", "read_places", "Line", "Places", "geodesic_area",
    "parse_distance", "MAX_DISTANCE_M",
    "Error", "ArgumentError", "GeometryError", "GeometryTypeError", "ProjectionError",
    "FileError", "FormatError", "NotFoundError", "ExistsError", "OutOfMemoryError",
    "GEOSError", "AccuracyError", "CancelledError",
]


def read_polygon(path, *, layer=None, where=None, make_valid=False):
    """Read a territory or region: the union of every (Multi)Polygon of the matching features,
    as a valid lon/lat Shapely MultiPolygon (coordinates transformed to WGS84).

    Args:
        path: a file GDAL reads (str or os.PathLike), or GeoJSON (dict or text), a
            GeoDataFrame, WKT or a Shapely geometry (checked and united the same way).
        layer: layer name (None = every layer, or the only one).
        where: OGR SQL filter, e.g. ``"name LIKE '%occupied%'"``.
        make_valid: repair invalid polygons instead of raising GeometryError.

    Raises:
        FileError, FormatError, NotFoundError, GeometryError (the message names the feature
        and the coordinate), GeometryTypeError, ProjectionError.
    """
    ctx = _context()
    h = _polygon_handle(ctx, path, "polygon", layer=layer, where=where, make_valid=make_valid)
    return _to_shapely(h.wkb(ctx))


def geodesic_area(polygon):
    """Ellipsoidal area (m², WGS84) of a polygonal geometry (any polygon input): edges are
    geodesics, holes are subtracted."""
    ctx = _context()
    return _polygon_handle(ctx, polygon, "polygon").area(ctx)
