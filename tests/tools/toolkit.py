"""toolkit.py — running the bz-* tools as a user would, and counting checks.

Every test script gets the tool executables as arguments (meson passes the build targets) and
reads BZ_SHARED_DATA / BZ_SOURCE_ROOT from the environment. A script exits 77 (meson's "skip")
when a tool it needs was not built or the data it needs is absent, 1 when a check failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


class Run:
    """The result of one tool run."""

    def __init__(self, argv, proc):
        self.argv = argv
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return "%s -> exit %d\nstdout: %s\nstderr: %s" % (
            " ".join(self.argv), self.code, self.out[-2000:], self.err[-2000:])


class Suite:
    def __init__(self, name):
        self.name = name
        self.tools = {}
        for arg in sys.argv[1:]:
            self.tools[os.path.basename(arg)] = os.path.abspath(arg)
        self.passed = 0
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix="bz-tooltest-")
        src = os.environ.get("BZ_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
        self.source_root = os.path.abspath(src)
        self.data = os.path.join(self.source_root, "examples", "data")

    # -- prerequisites ------------------------------------------------------------------------
    def need_tools(self, *names):
        missing = [n for n in names if n not in self.tools]
        if missing:
            self.skip("tools not built: %s" % ", ".join(missing))

    def shared_data(self):
        """The shared data directory, or skip (exit 77) when it is not there."""
        d = os.environ.get("BZ_SHARED_DATA")
        if not d or not os.path.isdir(d):
            self.skip("BZ_SHARED_DATA unset or missing")
        return d

    def skip(self, why):
        print("SKIP %s: %s" % (self.name, why))
        self.cleanup()
        sys.exit(SKIP)

    # -- running ------------------------------------------------------------------------------
    def run(self, tool, *args, stdin=None, timeout=600):
        argv = [self.tools[tool]] + [str(a) for a in args]
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                              timeout=timeout, cwd=self.tmp)
        return Run([tool] + [str(a) for a in args], proc)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write_geojson(self, name, features):
        """features: list of (geometry dict, properties dict)."""
        fc = {"type": "FeatureCollection",
              "features": [{"type": "Feature", "properties": p or {}, "geometry": g}
                           for g, p in features]}
        with open(self.path(name), "w") as f:
            json.dump(fc, f)
        return self.path(name)

    def read_geojson(self, path):
        with open(path) as f:
            return json.load(f)

    # -- checks -------------------------------------------------------------------------------
    def check(self, cond, what, detail=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: %s" % (self.name, what))
            if detail is not None:
                print("    %s" % str(detail).replace("\n", "\n    "))
        return cond

    def check_exit(self, run, code, what):
        return self.check(run.code == code, "%s: exit %d expected" % (what, code), run)

    def check_close(self, got, want, rel, what):
        ok = got is not None and want != 0 and abs(got - want) <= rel * abs(want)
        return self.check(ok, "%s: got %r, want %r within %.2g %%" % (what, got, want, rel * 100))

    def check_near(self, got, want, tol, what):
        ok = got is not None and abs(got - want) <= tol
        return self.check(ok, "%s: got %r, want %r within %g" % (what, got, want, tol))

    def finish(self):
        self.cleanup()
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.exit(1 if self.failed else 0)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def box(lon0, lat0, lon1, lat1, step=0.01):
    """A lon/lat box as a GeoJSON Polygon, counter-clockwise, with every edge densified so
    that its geodesic edges follow the parallels to a millimetre."""
    def run(a, b):
        n = max(1, int(round(abs(b - a) / step)))
        return [a + (b - a) * i / n for i in range(n)]
    ring = [[x, lat0] for x in run(lon0, lon1)]
    ring += [[lon1, y] for y in run(lat0, lat1)]
    ring += [[x, lat1] for x in run(lon1, lon0)]
    ring += [[lon0, y] for y in run(lat1, lat0)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def features_by_kind(fc):
    out = {}
    for f in fc["features"]:
        out.setdefault(f["properties"].get("kind"), []).append(f)
    return out
