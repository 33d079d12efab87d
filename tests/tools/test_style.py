"""test_style.py — the QGIS styles the tools write (--no-style to switch off): a GeoPackage's
layer_styles table read with sqlite3, .qml sidecars parsed with xml.etree, their colours
compared with the simplestyle colours of the same result's GeoJSON, and, where PyQGIS is
installed (/usr/bin/python3 -c 'import qgis'), the renderer QGIS 3 itself applies on opening."""
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite  # noqa: E402

s = Suite("tool_style")
s.need_tools("bz-zones", "bz-derive", "bz-diff")
line = os.path.join(s.data, "donbas_contact_line_2015.geojson")
region = os.path.join(s.data, "ukraine_outline.geojson")
base = [line, "--region", region, "-d", "15km", "--names", "Ukraine,Don & Co"]


def qgis_colour(hex_colour):
    v = int(hex_colour[1:], 16)
    return "%d,%d,%d" % (v >> 16 & 255, v >> 8 & 255, v & 255)


def props(symbol):
    return {p.get("k"): p.get("v") for p in symbol.iter("prop")}


def styles(gpkg):
    con = sqlite3.connect(gpkg)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone():
            return None
        return con.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML, "
                           "styleSLD FROM layer_styles").fetchall()
    finally:
        con.close()


# The GeoJSON output: its simplestyle colours are the truth the styles must match.
gj = s.path("z.geojson")
r = s.run("bz-zones", *base, "-o", gj)
s.check_exit(r, 0, "bz-zones -o z.geojson")
fc = s.read_geojson(gj)
colour, fc_props = {}, {}
for f in fc["features"]:
    p = f["properties"]
    colour[(p["kind"], p["side"])] = (p.get("fill"), p.get("stroke"))
    fc_props[(p["kind"], p["side"])] = p

qml_path = s.path("z.qml")
s.check(os.path.isfile(qml_path), "z.geojson has its sidecar z.qml")
if os.path.isfile(qml_path):
    root = ET.parse(qml_path).getroot()
    s.check(root.tag == "qgis", "the sidecar is a QGIS style document")
    renderer = root.find("renderer-v2")
    s.check(renderer is not None and renderer.get("type") == "RuleRenderer",
            "one mixed layer: a rule-based renderer")
    symbols = {sym.get("name"): sym for sym in renderer.iter("symbol")} if renderer is not None else {}
    rules = list(renderer.iter("rule")) if renderer is not None else []
    s.check(len(rules) == 6, "a rule per kind and side (2 zones, 2 lines, contact, buffer)",
            [x.get("filter") for x in rules])
    for rule in rules:
        sym = symbols.get(rule.get("symbol"))
        flt = rule.get("filter")
        kind = flt.split("'")[1]
        side = flt.split("'")[3] if "\"side\" = '" in flt else None
        want_type = "fill" if kind in ("zone", "buffer_zone") else "line"
        s.check(sym is not None and sym.get("type") == want_type,
                "rule %s draws %s" % (flt, want_type))
        if sym is None or side is None:
            continue
        pr = props(sym)
        fill, stroke = colour[(kind, side.replace("''", "'"))]
        if kind == "zone":
            s.check(pr.get("color", "").startswith(qgis_colour(fill) + ","),
                    "%s zone: the fill of the GeoJSON's simplestyle" % side, pr)
        else:
            s.check(pr.get("line_color", "").startswith(qgis_colour(stroke) + ",")
                    and pr.get("line_style") == "dash",
                    "%s withdrawal line: dashed in the GeoJSON's stroke colour" % side, pr)
    s.check(root.get("labelsEnabled") == "1" and root.find("labeling") is not None,
            "zone areas are labelled")

# The GeoPackage: one default style per layer in layer_styles.
gp = s.path("z.gpkg")
r = s.run("bz-zones", *base, "-o", gp)
s.check_exit(r, 0, "bz-zones -o z.gpkg")
rows = styles(gp) or []
s.check(sorted(x[0] for x in rows) == ["buffer_zone", "contact_line", "withdrawal_line", "zone"],
        "one style per layer", [x[0] for x in rows])
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"
for table, geom, default, qml, sld in rows:
    if table == "zone":  # the SLD: a rule per side, filled with the GeoJSON's fill colour
        sld_rules = ET.fromstring(sld).iter(SE + "Rule")
        got = {}
        for rule in sld_rules:
            side = rule.find(".//" + OGC + "Literal").text
            par = {p.get("name"): p.text for p in rule.iter(SE + "SvgParameter")}
            got[side] = par.get("fill")
        s.check(got == {sd: colour[("zone", sd)][0] for sd in ("Ukraine", "Don & Co")},
                "zone SLD: a rule per side in the GeoJSON's fill colours", got)
    s.check(geom == "geom" and default == 1, "%s: the default style of its geometry column" % table)
    root = ET.fromstring(qml)
    ren = root.find("renderer-v2")
    if table in ("zone", "withdrawal_line"):
        cats = [c.get("value") for c in ren.iter("category")]
        s.check(ren.get("type") == "categorizedSymbol" and ren.get("attr") == "side"
                and cats == ["Ukraine", "Don & Co"],
                "%s: categorised on side, with the side names given" % table, (ren.attrib, cats))
    else:
        s.check(ren.get("type") == "singleSymbol", "%s: one symbol" % table)
    if table == "buffer_zone":
        s.check(props(ren.find("symbols/symbol")).get("style") == "no", "buffer zone: outline only")
    if table == "contact_line":  # bold, in the GeoJSON's stroke, on a locked white halo
        layers = [props(x) for x in ren.find("symbols/symbol").iter("layer")]
        line = layers[-1]
        want = fc_props[("contact_line", None)]
        s.check(len(layers) == 2 and layers[0].get("line_color") == "255,255,255,255"
                and line.get("line_color") == qgis_colour(want["stroke"]) + ",255"
                and abs(float(line["line_width"]) * 96 / 25.4 - want["stroke-width"]) < 0.01
                and want["stroke-width"] > fc_props[("withdrawal_line", "Ukraine")]["stroke-width"],
                "contact line: bold (wider than the withdrawal lines), the GeoJSON's colour and "
                "width, on a halo", layers)

# A Shapefile set: one sidecar per member .shp.
r = s.run("bz-zones", *base, "-o", s.path("set.shp"))
s.check_exit(r, 0, "bz-zones -o set.shp")
s.check(os.path.isfile(s.path("set_polygons.qml")) and os.path.isfile(s.path("set_lines.qml")),
        "set_polygons.qml and set_lines.qml beside the .shp files")

# --no-style: none of it.
r = s.run("bz-zones", *base, "--no-style", "-o", s.path("n.geojson"))
s.check_exit(r, 0, "bz-zones --no-style -o n.geojson")
s.check(not os.path.exists(s.path("n.qml")), "--no-style: no sidecar")
r = s.run("bz-zones", *base, "--no-style", "-o", s.path("n.gpkg"))
s.check_exit(r, 0, "bz-zones --no-style -o n.gpkg")
s.check(styles(s.path("n.gpkg")) is None, "--no-style: no layer_styles table")

# An existing sidecar is refused before any work, without --overwrite; replaced with it.
with open(s.path("e.qml"), "w") as f:
    f.write("mine")
r = s.run("bz-zones", *base, "-o", s.path("e.geojson"))
s.check(r.code != 0 and "e.qml" in r.err and "--overwrite" in r.err,
        "an existing e.qml: refused, named, --overwrite suggested", r)
s.check(not os.path.exists(s.path("e.geojson")) and open(s.path("e.qml")).read() == "mine",
        "nothing written, the old style untouched")
r = s.run("bz-zones", *base, "--no-style", "-o", s.path("e.geojson"))
s.check_exit(r, 0, "--no-style writes beside a style it leaves alone")
s.check(open(s.path("e.qml")).read() == "mine", "the old style untouched by --no-style")

# Standard output: no sidecar anywhere (the temporary directory is emptied and removed).
tmp = s.path("tmpdir")
os.mkdir(tmp)
env_tmp = os.environ.get("TMPDIR")
os.environ["TMPDIR"] = tmp
r = s.run("bz-zones", *base, "-o", "-")
if env_tmp is None:
    del os.environ["TMPDIR"]
else:
    os.environ["TMPDIR"] = env_tmp
s.check_exit(r, 0, "bz-zones -o -")
s.check(os.listdir(tmp) == [], "-o -: nothing left in TMPDIR", os.listdir(tmp))

# bz-derive and bz-diff write styles too, and say so in --help.
for tool in ("bz-zones", "bz-derive", "bz-diff"):
    r = s.run(tool, "--help")
    s.check("--no-style" in r.out, "%s --help documents --no-style" % tool)
r = s.run("bz-derive", "--territory", os.path.join(s.data, "donbas_breakaway_2015.geojson"),
          "--region", region, "-o", s.path("front.gpkg"))
s.check_exit(r, 0, "bz-derive -o front.gpkg")
rows = styles(s.path("front.gpkg")) or []
s.check([x[0] for x in rows] == ["contact_line"], "bz-derive: the contact line's style", rows)

# QGIS itself, when installed: the styles it applies on opening.
probe = r"""
import sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
for uri in sys.argv[1:]:
    layer = QgsVectorLayer(uri, "x", "ogr")
    ren = layer.renderer()
    print(uri.split("/")[-1], layer.isValid(), ren.type() if ren else None, layer.labelsEnabled())
app.exitQgis()
"""
have_qgis = os.path.exists("/usr/bin/python3") and subprocess.run(
    ["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True).returncode == 0
if have_qgis:
    uris = [gp + "|layername=zone", gp + "|layername=contact_line", gj,
            gj + "|geometrytype=LineString", s.path("set_polygons.shp"), s.path("n.geojson")]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run(["/usr/bin/python3", "-c", probe] + uris, capture_output=True, text=True,
                       env=env, timeout=300)
    got = [ln.split() for ln in p.stdout.splitlines() if ln.strip()]
    want = [["z.gpkg|layername=zone", "True", "categorizedSymbol", "True"],
            ["z.gpkg|layername=contact_line", "True", "singleSymbol", "False"],
            ["z.geojson", "True", "RuleRenderer", "True"],
            ["z.geojson|geometrytype=LineString", "True", "RuleRenderer", "True"],
            ["set_polygons.shp", "True", "RuleRenderer", "True"],
            ["n.geojson", "True", "singleSymbol", "False"]]  # QGIS's own default
    s.check(got == want, "QGIS applies the styles when it opens the outputs", (got, p.stderr[-2000:]))
else:
    print("PyQGIS not installed: QGIS's own reading not checked")

s.finish()
