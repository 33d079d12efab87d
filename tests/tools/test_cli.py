"""test_cli.py — what every tool owes its user: --help with examples, --version with the
library's version, usage errors (exit 2, message on stderr naming the problem), unreadable
inputs (exit 1 naming the file), refusing to overwrite without --overwrite."""
import os
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite  # noqa: E402

TOOLS = ["bz-zones", "bz-compare", "bz-derive", "bz-diff", "bz-render"]

s = Suite("tool_cli")
s.need_tools(*TOOLS)
D = s.data
line = os.path.join(D, "donbas_contact_line_2015.geojson")
territory = os.path.join(D, "donbas_breakaway_2015.geojson")
region = os.path.join(D, "ukraine_outline.geojson")

# The version the tools must print is the header's BZ_VERSION, read here from the source.
with open(os.path.join(s.source_root, "include", "bufferzone.h")) as f:
    version = re.search(r'#define BZ_VERSION "([^"]+)"', f.read()).group(1)

for t in TOOLS:
    r = s.run(t, "--help")
    s.check_exit(r, 0, t + " --help")
    s.check("Usage:" in r.out and "Examples:" in r.out, t + " --help shows usage and examples", r)
    s.check(t in r.out.split("Examples:")[1], t + " --help examples run the tool itself", r)
    s.check(r.err == "", t + " --help writes nothing to stderr", r)
    r = s.run(t, "--version")
    s.check_exit(r, 0, t + " --version")
    s.check(r.out.strip() == "%s (bufferzone %s)" % (t, version), t + " --version text", r)
    r = s.run(t, "--no-such-option")
    s.check_exit(r, 2, t + " unknown option")
    s.check(r.out == "" and r.err.startswith(t + ": ") and "--no-such-option" in r.err,
            t + " names the unknown option on stderr", r)
    s.check("--help" in r.err, t + " points to --help after a usage error", r)

# Distances: units and bare numbers (km) are accepted, nonsense is a usage error naming it.
for bad in ["10parsecs", "-5km", "km", "nan", "2000km"]:
    r = s.run("bz-zones", line, "-d", bad, "-o", "x.geojson")
    s.check_exit(r, 2, "bz-zones -d " + bad)
    s.check(bad in r.err and "distance" in r.err, "bz-zones names the bad distance " + bad, r)
r = s.run("bz-derive", "--territory", territory, "--region", region, "--tolerance", "1.5 furlongs",
          "-o", "x.geojson")
s.check_exit(r, 2, "bz-derive --tolerance with an unknown unit")

# Missing pieces of a command line.
cases = [
    ("bz-zones", [line, "-o", "x.geojson"], "distance"),
    ("bz-zones", [line, "-d", "5"], "-o"),
    ("bz-zones", ["--territory", territory, "-d", "5", "-o", "x.geojson"], "--region"),
    ("bz-zones", ["-d", "5", "-o", "x.geojson"], "LINE"),
    ("bz-zones", [line, "--a", "5km", "-o", "x.geojson"], "side B"),
    ("bz-zones", [line, "-d", "5", "-o", "-", "--json"], "standard output"),
    ("bz-zones", [line, "-d", "5", "--names", "onlyone", "-o", "x.geojson"], "--names"),
    ("bz-zones", [line, "-d", "5", "-o", "-", "-f", "GPKG"], "-f GPKG"),
    ("bz-derive", ["--territory", territory, "--region", region, "-o", "-", "-f", "ESRI Shapefile"],
     "-f ESRI Shapefile"),
    ("bz-diff", [territory, region, "-o", "-", "-f", "GPKG"], "-f GPKG"),
    ("bz-zones", [line, "-d", "5", "--threads", "many", "-o", "x.geojson"], "--threads"),
    ("bz-compare", [line], "proposal"),
    ("bz-compare", [line, "--proposal", "x=sym:5km", "--json", "--csv"], "--csv"),
    ("bz-compare", [line, "--proposal", "x=c:5km"], "'c'"),
    ("bz-compare", [line, "--proposal", "x=nonsense"], "sym:D"),
    ("bz-compare", [line, "--proposal", "x=sym:5 lightyears"], "5 lightyears"),
    ("bz-derive", ["--territory", territory, "-o", "x.geojson"], "--region"),
    ("bz-derive", ["--territory", territory, "--region", region], "-o"),
    ("bz-diff", [territory], "two territory files"),
    ("bz-diff", [territory, region, region], "two territory files"),
    ("bz-diff", [territory, region, "--by-field", "name"], "--by"),
    ("bz-render", ["-o", "x.svg"], "INPUT"),
    ("bz-render", [line], "-o"),
    ("bz-render", [line, "-o", "x.svg", "--width", "12"], "--width"),
]
for tool, args, needle in cases:
    r = s.run(tool, *args)
    s.check_exit(r, 2, "%s %s" % (tool, " ".join(args)))
    s.check(needle in r.err, "%s %s: the message mentions %s" % (tool, " ".join(args), needle), r)
    s.check(not os.path.exists(s.path("x.geojson")) and not os.path.exists(s.path("x.svg")),
            "%s: nothing written after a usage error" % tool)

# Unreadable inputs: exit 1, the message names the file.
missing = s.path("no_such_file.geojson")
notgeo = s.path("not_geodata.geojson")
with open(notgeo, "w") as f:
    f.write("this is not GeoJSON {")
for bad in (missing, notgeo):
    runs = [
        ("bz-zones", [bad, "-d", "5", "-o", "x.geojson"]),
        ("bz-compare", [bad, "--proposal", "sym:5"]),
        ("bz-derive", ["--territory", bad, "--region", region, "-o", "x.geojson"]),
        ("bz-diff", [territory, bad]),
        ("bz-render", [bad, "-o", "x.svg"]),
    ]
    for tool, args in runs:
        r = s.run(tool, *args)
        s.check_exit(r, 1, "%s on %s" % (tool, os.path.basename(bad)))
        s.check(r.err.startswith(tool + ": ") and os.path.basename(bad) in r.err,
                "%s names %s in its message" % (tool, os.path.basename(bad)), r)
        s.check(not os.path.exists(s.path("x.geojson")) and not os.path.exists(s.path("x.svg")),
                "%s: no output after a failed read" % tool)

# A line is not a polygon and a polygon is not a line: the wrong kind of input fails cleanly.
r = s.run("bz-zones", territory, "-d", "5", "-o", "x.geojson")
s.check_exit(r, 1, "bz-zones with a polygon as LINE")
s.check(os.path.basename(territory) in r.err, "the message names the polygon file", r)

# Refusing to overwrite: the first run writes, the second refuses and leaves the file alone.
out = s.path("line.geojson")
args = ["--territory", territory, "--region", region, "-o", out]
r = s.run("bz-derive", *args)
s.check_exit(r, 0, "bz-derive first run")
with open(out, "w") as f:
    f.write("sentinel")
r = s.run("bz-derive", *args)
s.check_exit(r, 1, "bz-derive onto an existing file without --overwrite")
s.check(open(out).read() == "sentinel", "the existing file is left untouched")
r = s.run("bz-derive", *(args + ["--overwrite"]))
s.check_exit(r, 0, "bz-derive --overwrite")
s.check(open(out).read() != "sentinel", "--overwrite replaces the file")

svg = s.path("map.svg")
r = s.run("bz-render", out, region, "-o", svg)
s.check_exit(r, 0, "bz-render first run")
with open(svg, "w") as f:
    f.write("sentinel")
r = s.run("bz-render", out, region, "-o", svg)
s.check_exit(r, 1, "bz-render onto an existing file")
s.check("exists" in r.err and "--overwrite" in r.err and open(svg).read() == "sentinel",
        "bz-render refuses, says why and keeps the file", r)
r = s.run("bz-render", out, region, "-o", svg, "--overwrite")
s.check_exit(r, 0, "bz-render --overwrite")
s.check(oct(os.stat(svg).st_mode & 0o777) != oct(0o600), "the map is not left private (mkstemp)")

# Every example in every --help is a valid command line: it may fail on a file that is not
# bundled (exit 1), never on its arguments (exit 2).
for t in TOOLS:
    text = s.run(t, "--help").out.split("Examples:")[1].split("Exit status")[0]
    joined = text.replace("\\\n", " ")
    for line in joined.splitlines():
        line = line.strip()
        if not line.startswith(t + " "):
            continue  # e.g. the chromium hint
        line = line.split(" > ")[0].split("#")[0].replace("examples/data/", D + "/")
        args = shlex.split(line)[1:]
        r = s.run(t, *args)
        s.check(r.code in (0, 1) and "Try '" not in r.err, "--help example is valid: " + line[:70], r)

# '-' reads an input from stdin.
with open(territory) as f:
    r = s.run("bz-diff", "-", territory, "--json", stdin=f.read())
s.check_exit(r, 0, "bz-diff - FILE (stdin)")
s.check('"net_km2": 0' in r.out, "the same territory from stdin and from the file: no change", r)

s.finish()
