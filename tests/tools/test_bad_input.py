"""test_bad_input.py — the hostile-input corpus (tests/bad_input/) through the tools.

Every corpus file that is not a usable input is given to bz-zones as LINE, as --region and as
--territory, and to bz-derive and bz-diff: the tool must exit 1 (never crash, never hang), name
the file on stderr and write nothing. Distances a user can mistype exit 2 and are named.
Writing into a read-only directory or onto a full disk (RLIMIT_FSIZE) exits 1, leaves no
partial file and keeps an existing output byte for byte.
"""
import os
import resource
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Run, Suite  # noqa: E402

s = Suite("tool_bad_input")
s.need_tools("bz-zones", "bz-derive", "bz-diff")
corpus = os.path.join(s.source_root, "tests", "bad_input")
line = os.path.join(s.data, "donbas_contact_line_2015.geojson")
territory = os.path.join(s.data, "donbas_breakaway_2015.geojson")
region = os.path.join(s.data, "ukraine_outline.geojson")
TIMEOUT = 120  # seconds per run: a hang fails the case instead of the whole suite


def run(tool, *args, preexec=None):
    """Run a tool; a crash (killed by a signal) or a hang is a failed check, not an exception."""
    argv = [s.tools[tool]] + [str(a) for a in args]
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, cwd=s.tmp,
                           preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        s.check(False, "%s %s: no answer within %d s" % (tool, " ".join(map(str, args)), TIMEOUT))
        return None
    r = Run([tool] + [str(a) for a in args], p)
    s.check(r.code >= 0, "%s did not crash (signal %d)" % (" ".join(r.argv), -r.code), r)
    return r


def outputs():
    return sorted(f for f in os.listdir(s.tmp) if not f.startswith("."))


# Files that are unusable whatever they are used for (bad bytes, bad coordinates, bad CRS).
broken = ["empty.geojson", "only_whitespace.geojson", "truncated.geojson",
          "invalid_json.geojson", "not_json.geojson", "png_named_geojson.geojson", "broken.kml",
          "corrupt.gpkg", "nan_coords.geojson", "huge_1e308.geojson",
          "latlon_swapped_lat200.geojson", "projected_without_crs.geojson",
          "shp_without_shx/line.shp", "shp_projected_without_prj/line.shp",
          "does_not_exist.geojson"]
# Files that are fine as something else: not a line, or not a polygon.
not_lines = broken + ["points_not_line.geojson", "polygon_not_line.geojson",
                      "self_intersecting.geojson", "zero_length.geojson",
                      "repeated_point.geojson", "parts_crossing.geojson",
                      "empty_collection.geojson", "null_geometry.geojson"]
not_polygons = broken + ["line_not_polygon.geojson", "bowtie.geojson", "unclosed_ring.geojson",
                         "empty_multipolygon.geojson", "empty_collection.geojson"]


def expect_read_failure(tool, bad, args):
    before = outputs()
    r = run(tool, *args)
    if r is None:
        return
    name = os.path.basename(bad)
    s.check_exit(r, 1, "%s with %s" % (tool, bad))
    s.check(r.err.startswith(tool + ": ") and name in r.err,
            "%s names %s on stderr" % (tool, name), r)
    s.check(r.out == "" or "Traceback" not in r.out, "%s prints no garbage" % tool, r)
    s.check(outputs() == before, "%s with %s writes nothing" % (tool, bad), outputs())


for name in not_lines:
    bad = os.path.join(corpus, name)
    expect_read_failure("bz-zones", bad, [bad, "-d", "5km", "-o", "out.geojson"])
for name in not_polygons:
    bad = os.path.join(corpus, name)
    expect_read_failure("bz-zones", bad, [line, "--region", bad, "-d", "5km",
                                          "-o", "out.geojson"])
    expect_read_failure("bz-zones", bad, ["--territory", bad, "--region", region, "-d", "5km",
                                          "-o", "out.geojson"])
    expect_read_failure("bz-derive", bad, ["--territory", bad, "--region", region,
                                           "-o", "out.geojson"])
    expect_read_failure("bz-diff", bad, [territory, bad])

# A polygon that crosses itself: the refusal names the flag that repairs it, and the flag does.
bowtie = os.path.join(corpus, "bowtie.geojson")
for tool, args in [("bz-zones", ["--territory", bowtie, "--region", region, "-d", "5km",
                                 "-o", "repaired.geojson"]),
                   ("bz-derive", ["--territory", bowtie, "--region", region,
                                  "-o", "repaired.geojson"]),
                   ("bz-diff", [territory, bowtie, "-o", "repaired.geojson"])]:
    r = run(tool, *args)
    if r is not None:
        s.check_exit(r, 1, "%s with the bowtie" % tool)
        s.check("(--make-valid repairs it)" in r.err, "%s names --make-valid" % tool, r)
    r = run(tool, *(args + ["--make-valid"]))
    if r is not None:
        s.check_exit(r, 0, "%s --make-valid with the bowtie" % tool)
    for f in outputs():
        if f.startswith("repaired."):
            os.unlink(s.path(f))

# Distances a user can get wrong: a usage error (exit 2) that quotes what was typed.
for bad in ["abc", "-1", "-1km", "nan", "inf", "1e9km", "1e308", "1000.001km", "5 km km", ""]:
    r = run("bz-zones", line, "-d", bad, "-o", "out.geojson")
    if r is None:
        continue
    s.check_exit(r, 2, "bz-zones -d %r" % bad)
    s.check("distance" in r.err and (bad in r.err or bad == ""),
            "bz-zones -d %r: the message quotes the distance" % bad, r)
    s.check(outputs() == [], "bz-zones -d %r writes nothing" % bad, outputs())
for opt in ["--a", "--b", "--left", "--right"]:
    r = run("bz-zones", line, "-d", "5", opt, "abc", "-o", "out.geojson")
    if r is not None:
        s.check_exit(r, 2, "bz-zones %s abc" % opt)
        s.check("abc" in r.err, "bz-zones %s abc: quoted" % opt, r)

# Zero on both sides is not an error: empty zones, the contact line as both withdrawal lines.
r = run("bz-zones", line, "-d", "0", "-o", "zero.geojson", "--json")
if r is not None:
    s.check_exit(r, 0, "bz-zones -d 0")
    if r.code == 0:
        js = r.json()
        s.check(all(side["zone_km2"] == 0 for side in js["sides"]), "zero distance: empty zones",
                r)
    if os.path.exists(s.path("zero.geojson")):
        os.unlink(s.path("zero.geojson"))

# Output into a directory we may not write. Root may write anywhere, so the tool runs as nobody.
ro = s.path("readonly")
os.mkdir(ro)
os.chmod(s.tmp, 0o755)
os.chmod(ro, 0o555)


def as_nobody():
    if os.geteuid() == 0:
        os.environ.pop("LD_LIBRARY_PATH", None)  # the build tree may not be readable by nobody
        os.setgid(65534)
        os.setuid(65534)


def nobody_copy():
    """Tool, library and input copied where nobody can read them: the source and build trees
    may sit under /root (mode 700), which nobody cannot enter. The tool finds its library
    through its run path $ORIGIN/../lib, so bin/ and lib/ keep that layout."""
    import shutil
    base = s.path("as_nobody")
    for sub in ("bin", "lib"):
        os.makedirs(os.path.join(base, sub), exist_ok=True)
    exe = os.path.join(base, "bin", "bz-zones")
    shutil.copy2(s.tools["bz-zones"], exe)
    libdir = os.path.join(os.path.dirname(os.path.dirname(s.tools["bz-zones"])), "lib")
    for f in os.listdir(libdir):
        if f.startswith("libbufferzone.so") and not os.path.isdir(os.path.join(libdir, f)):
            shutil.copy2(os.path.join(libdir, f), os.path.join(base, "lib", f), follow_symlinks=True)
    copied_line = os.path.join(base, "line.geojson")
    shutil.copy2(line, copied_line)
    for root, dirs, files in os.walk(base):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o755)
    return exe, copied_line


nb_exe, nb_line = nobody_copy()
s.tools["bz-zones (as nobody)"] = nb_exe
r = run("bz-zones (as nobody)", nb_line, "-d", "5km", "-o", os.path.join(ro, "zones.geojson"),
        preexec=as_nobody)
if r is not None:
    s.check_exit(r, 1, "bz-zones into a read-only directory")
    s.check("zones.geojson" in r.err, "the message names the output", r)
    s.check(os.listdir(ro) == [], "nothing was created in the read-only directory", os.listdir(ro))

# A full disk: the file size limit is hit in the middle of writing. The earlier output stays.
full = s.path("full")
os.mkdir(full)
target = os.path.join(full, "zones.geojson")
with open(target, "w") as f:
    f.write("an earlier result\n")


def small_disk():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))


r = run("bz-zones", line, "-d", "5km", "-o", target, "--overwrite", preexec=small_disk)
if r is not None:
    s.check_exit(r, 1, "bz-zones onto a full disk")
    s.check("zones.geojson" in r.err, "the message names the output", r)
    s.check(open(target).read() == "an earlier result\n", "the earlier output is untouched",
            "%d bytes now" % os.path.getsize(target))
    s.check(sorted(os.listdir(full)) == ["zones.geojson"], "no partial or temporary file is left",
            os.listdir(full))

s.finish()
