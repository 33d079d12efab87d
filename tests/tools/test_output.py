"""test_output.py — the tools' side of the output policy: an output is refused before any work
(it exists without --overwrite, it is an input), '-' stands for one input only, distances are
plain decimals, and the policy (symlinks, FIFOs) holds through the tools.

"Before any work" is shown without timing: the refusal wins over an input that would make the
run fail later (a file that does not exist, a polygon given as LINE). A tool that computed or
read first would report that failure instead."""
import os
import stat
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite  # noqa: E402

TOOLS = ["bz-zones", "bz-compare", "bz-derive", "bz-diff", "bz-render"]

s = Suite("tool_output")
s.need_tools(*TOOLS)
D = s.data
line = os.path.join(D, "donbas_contact_line_2015.geojson")
territory = os.path.join(D, "donbas_breakaway_2015.geojson")
region = os.path.join(D, "ukraine_outline.geojson")
missing = s.path("no_such_input.geojson")


def listing():
    return sorted(os.listdir(s.tmp))


def sentinel(name, text="sentinel"):
    p = s.path(name)
    with open(p, "w") as f:
        f.write(text)
    return p


def read(p):
    with open(p) as f:
        return f.read()


# A small line of our own: quick to compute.
small = s.write_geojson("small_line.geojson", [
    ({"type": "LineString", "coordinates": [[30.0, 50.0], [30.05, 50.03], [30.1, 50.0]]}, {})])

# -- "exists" comes first, and names --overwrite ------------------------------------------------
out = sentinel("exists.geojson")
runs = {
    "bz-zones": [missing, "-d", "5km", "-o", out],
    "bz-derive": ["--territory", missing, "--region", region, "-o", out],
    "bz-diff": [missing, territory, "-o", out],
    "bz-render": [missing, "-o", out],
}
for tool, args in runs.items():
    before = listing()
    r = s.run(tool, *args)
    s.check_exit(r, 1, "%s onto an existing output with a missing input" % tool)
    s.check(out in r.err and "exists: pass --overwrite to replace it" in r.err,
            "%s: the refusal names the output and --overwrite" % tool, r)
    s.check(missing not in r.err, "%s refuses before reading any input" % tool, r)
    s.check(read(out) == "sentinel" and listing() == before,
            "%s leaves the output alone and no temporary file" % tool)

# A polygon as LINE would fail at reading: the refusal still comes first.
r = s.run("bz-zones", territory, "-d", "5km", "-o", out)
s.check_exit(r, 1, "bz-zones with a polygon LINE onto an existing output")
s.check("--overwrite" in r.err and "polygon" not in r.err.lower(),
        "bz-zones refuses the output before reading the line", r)

# Every file of a Shapefile set counts: a leftover .dbf of the set is an existing output.
member = sentinel("set_lines.dbf")
r = s.run("bz-zones", missing, "-d", "5km", "-o", s.path("set.shp"))
s.check_exit(r, 1, "bz-zones onto a Shapefile set with an existing member")
s.check(member in r.err and "--overwrite" in r.err, "the message names the member", r)
os.unlink(member)

# A directory, a missing directory: refused before reading, naming the path.
r = s.run("bz-zones", missing, "-d", "5km", "-o", s.tmp, "-f", "GeoJSON", "--overwrite")
s.check_exit(r, 1, "bz-zones -o DIRECTORY")
s.check("directory" in r.err and missing not in r.err, "a directory is refused first", r)
r = s.run("bz-derive", "--territory", missing, "--region", region, "-o",
          s.path("nodir/line.geojson"))
s.check_exit(r, 1, "bz-derive into a missing directory")
s.check("nodir" in r.err and missing not in r.err, "a missing directory is refused first", r)

# -- the output is an input ---------------------------------------------------------------------
data = read(small)
link = s.path("link_to_line.geojson")
hard = s.path("hard_line.geojson")
os.symlink("small_line.geojson", link)
os.link(small, hard)
for target in [small, link, hard]:
    r = s.run("bz-zones", small, "-d", "1km", "-o", target, "--overwrite")
    s.check_exit(r, 2, "bz-zones -o %s (the input)" % os.path.basename(target))
    s.check(target in r.err and small in r.err and "same file" in r.err,
            "the refusal names both paths", r)
    s.check(read(small) == data, "the input is untouched")
# The input on standard input is the output file (the shell opened it for the tool).
with open(small) as f:
    proc = subprocess.run([s.tools["bz-zones"], "-", "-d", "1km", "-o", small, "--overwrite"],
                          stdin=f, capture_output=True, text=True, cwd=s.tmp, timeout=600)
s.check(proc.returncode == 2 and "same file" in proc.stderr,
        "bz-zones - < FILE -o FILE is refused", proc.stderr)
s.check(read(small) == data, "the input read from stdin is untouched")
regionc = s.path("region_copy.geojson")
with open(regionc, "w") as f:
    f.write(read(region))
cases = [
    ("bz-derive", ["--territory", territory, "--region", regionc, "-o", regionc, "--overwrite"]),
    ("bz-diff", [territory, regionc, "-o", regionc, "--overwrite"]),
    ("bz-render", [small, regionc, "-o", regionc, "--overwrite"]),
]
for tool, args in cases:
    before = read(regionc)
    r = s.run(tool, *args)
    s.check_exit(r, 2, "%s with the output as an input" % tool)
    s.check("same file" in r.err and regionc in r.err, "%s names the input" % tool, r)
    s.check(read(regionc) == before, "%s leaves the input alone" % tool)

# The later sections need the small line whatever happened above (a tool that wrote over it).
small = s.write_geojson("small_line.geojson", [
    ({"type": "LineString", "coordinates": [[30.0, 50.0], [30.05, 50.03], [30.1, 50.0]]}, {})])
data = read(small)

# -- '-' for one input only ---------------------------------------------------------------------
cases = [
    ("bz-zones", ["-", "--region", "-", "-d", "5", "-o", "x.geojson"]),
    ("bz-compare", ["-", "--region", "-", "--proposal", "sym:5km"]),
    ("bz-derive", ["--territory", "-", "--region", "-", "-o", "x.geojson"]),
    ("bz-diff", ["-", "-"]),
    ("bz-render", ["-", "-", "-o", "x.svg"]),
]
for tool, args in cases:
    r = s.run(tool, *args, stdin=data)
    s.check_exit(r, 2, "%s with '-' twice" % tool)
    s.check("'-'" in r.err and "standard input" in r.err, "%s says why" % tool, r)
# Once is fine.
r = s.run("bz-zones", "-", "-d", "1km", "-o", "stdin_ok.geojson", stdin=data)
s.check_exit(r, 0, "bz-zones with '-' once")

# -- distances: plain decimals with a unit ------------------------------------------------------
for bad in ["0x10km", "1e3km", "1E1", "inf", "nan", "infinity", "+-5km", "+5km", "10 km km",
            "5..0km", ".km", "0x1p3"]:
    r = s.run("bz-zones", small, "-d", bad, "-o", "bad.geojson")
    s.check_exit(r, 2, "bz-zones -d %r" % bad)
    s.check(bad in r.err and "distance" in r.err, "the message names %r" % bad, r)
for good, metres in [("2.5km", 2500), (".5", 500), ("1.", 1000), ("800 m", 800), ("1mi", 1609.344)]:
    r = s.run("bz-zones", small, "-d", good, "-o", "good.geojson", "--overwrite", "--json")
    s.check_exit(r, 0, "bz-zones -d %r" % good)
    if r.code == 0:
        s.check_near(r.json()["sides"][0]["distance_m"], metres, 1e-6, "-d %r in metres" % good)
r = s.run("bz-derive", "--territory", territory, "--region", region, "--tolerance", "1e3m",
          "-o", "x.geojson")
s.check_exit(r, 2, "bz-derive --tolerance 1e3m")

# -- the policy through a tool: a symlink stays, a FIFO gets the GeoJSON -------------------------
real = sentinel("real.geojson")
os.chmod(real, 0o600)
ln = s.path("out_link.geojson")
os.symlink("real.geojson", ln)
r = s.run("bz-zones", small, "-d", "1km", "-o", ln, "--overwrite")
s.check_exit(r, 0, "bz-zones onto a symlink")
s.check(os.path.islink(ln) and os.readlink(ln) == "real.geojson", "the link stays a link")
s.check('"FeatureCollection"' in read(real), "the link's target holds the result")
s.check(stat.S_IMODE(os.stat(real).st_mode) == 0o600, "the target keeps its mode")

fifo = s.path("pipe.geojson")
os.mkfifo(fifo)
got = []


def reader():
    with open(fifo) as f:
        got.append(f.read())


t = threading.Thread(target=reader, daemon=True)  # never keeps the test alive
t.start()
r = s.run("bz-zones", small, "-d", "1km", "-o", fifo, timeout=120)
t.join(60)
s.check_exit(r, 0, "bz-zones into a FIFO (no --overwrite needed)")
s.check(bool(got) and got[0].startswith("{") and '"withdrawal_line"' in got[0],
        "the FIFO's reader gets the GeoJSON", got[0][:200] if got else None)
s.check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO")
r = s.run("bz-zones", small, "-d", "1km", "-o", fifo, "-f", "GPKG")
s.check_exit(r, 2, "bz-zones -f GPKG into a FIFO")
s.check("FIFO" in r.err and "GeoJSON" in r.err, "says only GeoJSON streams", r)

# /dev/stderr is the tool's own descriptor: written into, no --overwrite, format GeoJSON.
r = s.run("bz-zones", small, "-d", "1km", "-o", "/dev/stderr")
s.check_exit(r, 0, "bz-zones -o /dev/stderr")
s.check('"FeatureCollection"' in r.err and '"buffer_zone"' in r.err,
        "the GeoJSON arrives on stderr", r)

s.finish()
