"""test_look.py — one look everywhere: bz-render's SVG map, the QGIS styles (.qml sidecars) and
the simplestyle properties of the same GeoJSON files agree, feature by feature. Each of the
three is read on its own (the SVG's paths and legend with xml.etree, the QML's rules and
symbol layers, the GeoJSON's properties) and compared with the others: zones filled in their
side's colour without an outline, withdrawal lines dashed in that colour, the contact line bold
on a white halo, the buffer zone an outline only, gained and lost areas in their colours."""
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
MM_PER_PX = 25.4 / 96  # QGIS widths are millimetres; SVG and simplestyle widths are pixels

s = Suite("tool_look")
s.need_tools("bz-zones", "bz-diff", "bz-render")
line = os.path.join(s.data, "donbas_contact_line_2015.geojson")
region = os.path.join(s.data, "ukraine_outline.geojson")
NAMES = ("Ukraine", "Don & Co")

zones = s.path("z.geojson")
s.check_exit(s.run("bz-zones", line, "--region", region, "-d", "15km", "--names",
                   ",".join(NAMES), "-o", zones), 0, "bz-zones -o z.geojson")
old = s.write_geojson("old.geojson", [(box(37.0, 47.5, 38.0, 48.5), {})])
new = s.write_geojson("new.geojson", [(box(37.5, 47.5, 38.5, 48.5), {})])
changes = s.path("d.geojson")
s.check_exit(s.run("bz-diff", old, new, "-o", changes), 0, "bz-diff -o d.geojson")
svg = s.path("map.svg")
s.check_exit(s.run("bz-render", zones, changes, "-o", svg), 0, "bz-render")


def rgb(hex_colour):
    v = int(hex_colour[1:], 16)
    return (v >> 16 & 255, v >> 8 & 255, v & 255)


def qgis_rgba(text):
    r, g, b, a = (int(x) for x in text.split(","))
    return (r, g, b), a / 255.0


def num(v, default=None):
    return default if v is None else float(v)


def props(layer):
    return {p.get("k"): p.get("v") for p in layer.iter("prop")}


def qml_rules(path):
    """{(kind, side or None): [symbol layer props, ...]} of a rule-based sidecar."""
    root = ET.parse(path).getroot()
    ren = root.find("renderer-v2")
    symbols = {sym.get("name"): sym for sym in ren.iter("symbol")}
    out = {}
    for rule in ren.iter("rule"):
        flt = rule.get("filter")
        kind = flt.split("'")[1]
        side = flt.split("'")[3].replace("''", "'") if "\"side\" = '" in flt else None
        sym = symbols[rule.get("symbol")]
        out[(kind, side)] = (sym.get("type"), [(lyr.get("locked"), props(lyr))
                                               for lyr in sym.iter("layer")])
    return out


features = []
for path in (zones, changes):
    qml = os.path.splitext(path)[0] + ".qml"
    if not s.check(os.path.isfile(qml), "%s has its .qml sidecar" % os.path.basename(path)):
        continue
    rules = qml_rules(qml)
    for f in s.read_geojson(path)["features"]:
        p = f["properties"]
        features.append((p, rules.get((p["kind"], p["side"]))))
kinds = sorted({p["kind"] for p, _ in features})
s.check(kinds == ["buffer_zone", "contact_line", "gained", "lost", "withdrawal_line", "zone"],
        "every kind is drawn", kinds)

try:
    root = ET.parse(svg).getroot()
except (ET.ParseError, OSError) as e:
    root = None
    s.check(False, "the SVG is well-formed", e)
paths = [p.attrib for p in root.iter(SVG + "path")] if root is not None else []


def svg_paths(**want):
    """SVG paths whose presentation attributes are `want` (numbers compared as numbers)."""
    out = []
    for a in paths:
        ok = True
        for k, v in want.items():
            got = a.get(k.replace("_", "-"))
            if isinstance(v, float):
                ok = ok and got is not None and abs(float(got) - v) < 0.01
            else:
                ok = ok and got == v
        if ok:
            out.append(a)
    return out


for p, rule in features:
    what = "%s %s" % (p["side"] or "", p["kind"])
    if not s.check(rule is not None, "%s: a QML rule" % what):
        continue
    sym_type, layers = rule
    unlocked = [pr for locked, pr in layers if locked != "1"]
    main = unlocked[-1]
    stroke_opacity = num(p.get("stroke-opacity"), 1.0)
    width = num(p["stroke-width"])
    if p["kind"] in ("zone", "buffer_zone", "gained", "lost"):
        fill_opacity = num(p["fill-opacity"])
        # simplestyle vs SVG
        if fill_opacity > 0:
            want = dict(fill=p["fill"], fill_opacity=fill_opacity)
        else:
            want = dict(fill="none")
        if stroke_opacity > 0:
            want.update(stroke=p["stroke"], stroke_width=width)
            if stroke_opacity < 1:
                want.update(stroke_opacity=stroke_opacity)
        else:
            want.update(stroke="none")
        s.check(len(svg_paths(**want)) >= 1, "%s: bz-render draws the GeoJSON's look" % what,
                (want, [a for a in paths if a.get("fill") == p["fill"]
                        or a.get("stroke") == p["stroke"]][:4]))
        # simplestyle vs QML
        colour, alpha = qgis_rgba(main["color"])
        ocolour, oalpha = qgis_rgba(main["outline_color"])
        s.check(sym_type == "fill" and
                (main["style"] == "no" if fill_opacity == 0 else
                 colour == rgb(p["fill"]) and abs(alpha - fill_opacity) < 0.005) and
                (main["outline_style"] == "no" if stroke_opacity == 0 else
                 ocolour == rgb(p["stroke"]) and abs(oalpha - stroke_opacity) < 0.005 and
                 abs(float(main["outline_width"]) / MM_PER_PX - width) < 0.01),
                "%s: the QML has the GeoJSON's fill and outline" % what, (p, main))
    else:
        dashed = p["kind"] == "withdrawal_line"
        want = dict(fill="none", stroke=p["stroke"], stroke_width=width)
        found = svg_paths(**want)
        s.check(len(found) >= 1, "%s: bz-render draws the GeoJSON's stroke" % what, want)
        colour, alpha = qgis_rgba(main["line_color"])
        s.check(sym_type == "line" and colour == rgb(p["stroke"]) and alpha == 1.0 and
                abs(float(main["line_width"]) / MM_PER_PX - width) < 0.01,
                "%s: the QML has the GeoJSON's stroke and width" % what, (p, main))
        if dashed:
            svg_dash = sorted({a.get("stroke-dasharray") for a in found})
            qml_dash = [float(x) / MM_PER_PX for x in main.get("customdash", "").split(";")]
            s.check(main["line_style"] == "dash" and len(svg_dash) == 1 and svg_dash[0] and
                    all(abs(float(x) - y) < 0.01 for x, y in zip(svg_dash[0].split(), qml_dash)),
                    "%s: dashed alike in SVG and QML" % what, (svg_dash, qml_dash))
        else:
            s.check(main["line_style"] == "solid" and not any(a.get("stroke-dasharray")
                                                              for a in found),
                    "%s: solid" % what)
        if p["kind"] == "contact_line":
            halos = [pr for locked, pr in layers if locked == "1"]
            svg_halo = svg_paths(stroke="#fff")
            s.check(len(halos) == 1 and halos[0]["line_color"] == "255,255,255,255" and
                    len(svg_halo) == 1 and
                    abs(float(halos[0]["line_width"]) / MM_PER_PX -
                        float(svg_halo[0]["stroke-width"])) < 0.01,
                    "contact line: the same white halo under it in SVG and QML", (halos, svg_halo))

# What the look means, from the GeoJSON (the other two agree with it by the checks above).
by = {(p["kind"], p["side"]): p for p, _ in features}
za, zb = by.get(("zone", NAMES[0])), by.get(("zone", NAMES[1]))
wa, wb = by.get(("withdrawal_line", NAMES[0])), by.get(("withdrawal_line", NAMES[1]))
cl, bf = by.get(("contact_line", None)), by.get(("buffer_zone", None))
if s.check(all((za, zb, wa, wb, cl, bf)), "both sides' zones and lines, contact line, buffer"):
    s.check(za["fill"] != zb["fill"], "zones coloured by side", (za["fill"], zb["fill"]))
    s.check(wa["stroke"] == za["fill"] and wb["stroke"] == zb["fill"],
            "each withdrawal line in its side's zone colour")
    s.check(za["stroke-opacity"] == 0 and zb["stroke-opacity"] == 0, "zones without outline")
    s.check(cl["stroke-width"] > wa["stroke-width"], "the contact line is the boldest line")
    s.check(bf["fill-opacity"] == 0 and bf["stroke-opacity"] > 0, "the buffer zone: an outline")
    s.check(by[("gained", None)]["fill"] != by[("lost", None)]["fill"], "gained and lost differ")

# The legend names each side beside a swatch of its colour.
if root is not None:
    legend = None
    for g in root.iter(SVG + "g"):
        if any("".join(t.itertext()) == "Legend" for t in g.iter(SVG + "text")):
            legend = g
    swatch, pairs = None, {}
    for el in list(legend) if legend is not None else []:
        if el.tag == SVG + "text":
            if swatch is not None:
                pairs["".join(el.itertext())] = swatch
            swatch = None
        else:
            swatch = el.attrib
    for name in NAMES:
        z = pairs.get("%s zone" % name) or next(
            (v for k, v in pairs.items() if k.startswith("%s zone," % name)), None)
        w = pairs.get("%s withdrawal line" % name)
        s.check(z is not None and z.get("fill") == by[("zone", name)]["fill"] and
                w is not None and w.get("stroke") == by[("withdrawal_line", name)]["stroke"] and
                w.get("stroke-dasharray"),
                "legend: %s's zone and dashed line in the GeoJSON's colours" % name, pairs)

s.finish()
