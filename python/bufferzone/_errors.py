"""Exceptions: one base class, :class:`Error`, and a subclass per status code of the C library.

Every exception raised by the library itself is an :class:`Error` carrying the C library's
message (which names the file, feature, coordinate index or option at fault) and its status
code::

    try:
        bz.zones("front.geojson", distance=10_000)
    except bz.FileError as e:
        print(e.status, e)          # -5 front.geojson: cannot open ...

Subclasses also derive from the matching built-in exception where there is one (ValueError,
TypeError, OSError, FileNotFoundError-like lookups, MemoryError), so generic handlers work too.
Python-level misuse (a wrong type of argument, an unknown keyword) raises the usual built-in
TypeError / ValueError.
"""

from . import _bufferzone as _c

__all__ = [
    "Error", "ArgumentError", "GeometryError", "GeometryTypeError", "ProjectionError",
    "FileError", "FormatError", "NotFoundError", "ExistsError", "OutOfMemoryError",
    "GEOSError", "AccuracyError", "CancelledError",
]


class Error(Exception):
    """Base class of every error reported by the bufferzone library.

    Attributes:
        message: the library's message (also ``str(exc)``).
        status: the C status code (negative int, e.g. ``bufferzone.ERR_IO``).
    """

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self):
        return self.message


class ArgumentError(Error, ValueError):
    """An invalid argument: negative/NaN/absurd distance, bad option (BZ_ERR_ARGUMENT)."""


class GeometryError(Error, ValueError):
    """An invalid geometry: too few points, a bad coordinate, a self-crossing line
    (BZ_ERR_GEOMETRY)."""


class GeometryTypeError(Error, TypeError):
    """A geometry of the wrong type, e.g. points where a line is needed (BZ_ERR_TYPE)."""


class ProjectionError(Error):
    """PROJ failed, or a CRS cannot be transformed to WGS84 (BZ_ERR_PROJECTION)."""


class FileError(Error, OSError):
    """A file cannot be opened, read, written or renamed (BZ_ERR_IO)."""

    def __init__(self, message, status=None):
        Error.__init__(self, message, status)


class FormatError(Error, ValueError):
    """A file (or GeoJSON/WKT/WKB text) is corrupt, truncated or of an unknown format
    (BZ_ERR_FORMAT)."""


class NotFoundError(Error, LookupError):
    """No layer of that name, no feature matches the filter, no line left (BZ_ERR_NOT_FOUND)."""


class ExistsError(Error, FileExistsError):
    """The output exists and overwrite=True was not given (BZ_ERR_EXISTS)."""

    def __init__(self, message, status=None):
        Error.__init__(self, message, status)


class OutOfMemoryError(Error, MemoryError):
    """The library ran out of memory (BZ_ERR_NOMEM)."""


class GEOSError(Error):
    """A GEOS operation failed; the message is GEOS's (BZ_ERR_GEOS)."""


class AccuracyError(Error):
    """The result could not be brought within the accuracy bound (BZ_ERR_ACCURACY)."""


class CancelledError(Error):
    """The computation was stopped by its progress function (BZ_ERR_CANCELLED). Ctrl-C raises
    KeyboardInterrupt instead."""


_BY_STATUS = {
    _c.ERR_ARGUMENT: ArgumentError,
    _c.ERR_GEOMETRY: GeometryError,
    _c.ERR_TYPE: GeometryTypeError,
    _c.ERR_PROJECTION: ProjectionError,
    _c.ERR_IO: FileError,
    _c.ERR_FORMAT: FormatError,
    _c.ERR_NOT_FOUND: NotFoundError,
    _c.ERR_EXISTS: ExistsError,
    _c.ERR_NOMEM: OutOfMemoryError,
    _c.ERR_GEOS: GEOSError,
    _c.ERR_ACCURACY: AccuracyError,
    _c.ERR_CANCELLED: CancelledError,
}
_c._register_errors(_BY_STATUS)


def error_class(status):
    """The exception class for a C status code (Error for an unknown one)."""
    return _BY_STATUS.get(status, Error)
