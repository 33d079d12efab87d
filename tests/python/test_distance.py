"""bz.distance against an independent geodesic truth: PROJ's geodesic through pyproj.Geod,
minimised along the segment's geodesic by golden-section search."""
import math

import numpy as np
import pytest

import bufferzone as bz

pyproj = pytest.importorskip("pyproj")
GEOD = pyproj.Geod(ellps="WGS84")


def to_segment(lon, lat, a, b):
    """Exact distance from (lon, lat) to the geodesic from a to b (lon/lat tuples)."""
    az, _, length = GEOD.inv(a[0], a[1], b[0], b[1])

    def f(s):
        x, y, _ = GEOD.fwd(a[0], a[1], az, s)
        return GEOD.inv(lon, lat, x, y)[2]

    lo, hi = 0.0, length
    g = (math.sqrt(5) - 1) / 2
    for _ in range(100):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if f(m1) < f(m2):
            hi = m2
        else:
            lo = m1
    return min(f((lo + hi) / 2), f(0.0), f(length))


def test_vectorised_distances_and_sides():
    line = [(30.0, 50.0), (31.0, 50.2), (31.5, 49.5)]
    wkt = "LINESTRING (%s)" % ", ".join("%r %r" % p for p in line)
    rng = np.random.default_rng(12)
    lons = rng.uniform(29.5, 32.0, 200)
    lats = rng.uniform(49.0, 50.8, 200)
    d, side = bz.distance(wkt, lons, lats, side=True)
    assert d.shape == (200,) and d.dtype == np.float64 and side.dtype == np.int8
    for i in range(0, 200, 7):
        truth = min(to_segment(lons[i], lats[i], line[k], line[k + 1]) for k in range(2))
        assert abs(d[i] - truth) < 0.01, (i, d[i], truth)
    # Side: the first segment heads east-north-east, so a point well north of its middle is
    # on its left (side A, +1), one well south on its right (-1).
    d2, s2 = bz.distance(wkt, [30.5, 30.5], [50.5, 49.8], side=True)
    assert list(s2) == [1, -1]


def test_shapes_and_scalars():
    line = bz.read_line("LINESTRING (30 50, 31 50)")
    assert isinstance(bz.distance(line, 30.5, 50.1), float)
    grid = bz.distance(line, np.full((3, 4), 30.5), np.full((3, 4), 50.1))
    assert grid.shape == (3, 4)
    assert np.all(grid == bz.distance(line, 30.5, 50.1))
    assert line.distance([30.5], [50.1])[0] == bz.distance(line, 30.5, 50.1)
