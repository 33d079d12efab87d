"""Cancelling: a progress function that returns True stops bz.zones with CancelledError, an
exception in it propagates, and Ctrl-C (SIGINT) during a long computation raises
KeyboardInterrupt promptly and leaves everything usable."""
import math
import os
import signal
import threading

import pytest
import shapely.geometry

import bufferzone as bz
from conftest import LINE, REGION


def big_line(n=20_000):
    """A long wiggly line (1,100 km, 20,000 vertices): seconds of work at 20 km."""
    return shapely.geometry.LineString(
        [(22 + 16 * i / n, 48 + 0.3 * math.sin(i / 40)) for i in range(n)])


def test_progress_reports_fractions():
    seen = []
    z = bz.zones(LINE, region=REGION, distance=10_000, progress=seen.append)
    assert seen, "the progress function was never called"
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen), "fractions must not decrease"
    assert z.area("A") > 0


def test_progress_true_cancels():
    seen = []

    def stop_at_once(f):
        seen.append(f)
        return True

    with pytest.raises(bz.CancelledError) as e:
        bz.zones(big_line(), distance=20_000, threads=1, progress=stop_at_once)
    assert e.value.status == bz._bufferzone.ERR_CANCELLED
    assert len(seen) == 1
    # The context is fine afterwards.
    assert bz.zones(LINE, region=REGION, distance=5_000).area("A") > 0


def test_exception_in_progress_propagates():
    class Stop(Exception):
        pass

    def boom(f):
        raise Stop("from the progress function")

    with pytest.raises(Stop):
        bz.zones(LINE, region=REGION, distance=10_000, progress=boom)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signals are handled in the main thread")
def test_ctrl_c_cancels_a_long_computation():
    line = bz.Line.from_geometry(big_line())
    seen = []
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            bz.zones(line, distance=20_000, threads=1, progress=seen.append)
    finally:
        timer.cancel()
    # Stopped in the middle: the computation never reported completion.
    assert seen and seen[-1] < 1.0, seen[-3:]
    # Everything still works afterwards, in this thread's context.
    assert bz.zones(LINE, region=REGION, distance=5_000).area("B") > 0


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_cancelling_leaks_nothing():
    line = bz.Line.from_geometry(big_line(4_000))
    calls = {"n": 0}

    def stop_later(f):
        calls["n"] += 1
        return calls["n"] > 3

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    for _ in range(5):  # warm up
        calls["n"] = 0
        with pytest.raises(bz.CancelledError):
            bz.zones(line, distance=20_000, threads=1, progress=stop_later)
    before = rss()
    for _ in range(100):
        calls["n"] = 0
        with pytest.raises(bz.CancelledError):
            bz.zones(line, distance=20_000, threads=1, progress=stop_later)
    grown = rss() - before
    assert grown < 8 * 1024 * 1024, "RSS grew by %.1f MB over 100 cancellations" % (
        grown / 2**20)


def test_derive_progress_and_cancel():
    """bz.derive reports the walk along the territory's edge (bz_derive_options version 2)
    and stops when asked: CancelledError, and the same line as without a function."""
    from conftest import TERRITORY
    seen = []
    line = bz.derive(TERRITORY, REGION, tolerance=10, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert all(0.0 < f < 1.0 for f in seen[1:-1]), seen  # the walk, between the ends
    assert line.wkt == bz.derive(TERRITORY, REGION, tolerance=10).wkt
    calls = []

    def stop_at_second(f):
        calls.append(f)
        return len(calls) >= 2

    with pytest.raises(bz.CancelledError) as e:
        bz.derive(TERRITORY, REGION, tolerance=100, progress=stop_at_second)
    assert e.value.status == bz._bufferzone.ERR_CANCELLED and len(calls) == 2


def test_diff_progress_between_steps_and_units(tmp_path):
    """bz.diff calls the progress function between its steps and before each unit; True
    stops it there with CancelledError."""
    from conftest import TERRITORY
    new = bz.read_polygon(TERRITORY).buffer(0.05)
    units = [shapely.geometry.box(36 + i, 46, 37 + i, 50) for i in range(4)]
    import geopandas as gpd
    by = gpd.GeoDataFrame({"name": ["u%d" % i for i in range(4)]}, geometry=units, crs=4326)
    seen = []
    d = bz.diff(TERRITORY, new, by=by, progress=seen.append)
    assert d.gained_km2 > 0
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert len([f for f in seen if 0.6 <= f < 1.0]) >= 4  # one call per unit
    for stop_at in (1, 4, len(seen)):
        calls = []
        with pytest.raises(bz.CancelledError):
            bz.diff(TERRITORY, new, by=by,
                    progress=lambda f, calls=calls, n=stop_at: calls.append(f) or len(calls) >= n)
        assert len(calls) == stop_at
