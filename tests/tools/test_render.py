"""test_render.py — bz-render: a well-formed SVG with every layer, legend, scale bar and north
arrow; places where the projection puts them; and, when Debian's chromium is installed, a
real browser renders it to a PNG that is not blank."""
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolkit import Suite, box  # noqa: E402
import geodesy  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
s = Suite("tool_render")
s.need_tools("bz-render", "bz-derive")


def ring(lon0, lat0, lon1, lat1):
    return box(lon0, lat0, lon1, lat1, step=0.1)


# What bz-zones / bz-diff write, by hand: kinds, sides and the numbers for the legend.
layers = s.write_geojson("layers.geojson", [
    (ring(0, 0, 2, 0.1), {"kind": "zone", "side": "left", "distance_m": 10000, "area_km2": 2226}),
    (ring(0, -0.1, 2, 0), {"kind": "zone", "side": "right", "distance_m": 10000, "area_km2": 2226}),
    ({"type": "LineString", "coordinates": [[0, 0.09], [2, 0.09]]},
     {"kind": "withdrawal_line", "side": "left"}),
    ({"type": "LineString", "coordinates": [[0, -0.09], [2, -0.09]]},
     {"kind": "withdrawal_line", "side": "right"}),
    ({"type": "LineString", "coordinates": [[0, 0], [1, 0.01], [2, 0]]},
     {"kind": "contact_line", "length_km": 222.6}),
    (ring(0, -0.1, 2, 0.1), {"kind": "buffer_zone", "area_km2": 4452}),
    (ring(0.5, 0.3, 0.7, 0.4), {"kind": "gained", "area_km2": 271}),
    (ring(1.5, 0.3, 1.7, 0.4), {"kind": "lost", "area_km2": 271}),
])
land = s.write_geojson("country.geojson", [(ring(-0.5, -1, 2.5, 1), {"name": "country"})])
places = s.write_geojson("places.geojson", [
    ({"type": "Point", "coordinates": [0.25, 0.5]}, {"name": "Alpha", "population": 500000}),
    ({"type": "Point", "coordinates": [1.75, 0.5]}, {"name": "Bravo & Co <x>", "population": 20000}),
    ({"type": "Point", "coordinates": [0.25, -0.5]}, {"name": "Charlie", "population": 3000}),
])
svg = s.path("map.svg")
r = s.run("bz-render", layers, land, "--places", places, "-o", svg, "--width", "1200",
          "--title", "Test map: zones & changes")
s.check_exit(r, 0, "bz-render")
try:
    root = ET.parse(svg).getroot()
except (ET.ParseError, OSError) as e:
    root = None
    s.check(False, "the SVG is well-formed XML", e)
if root is not None:
    s.check(root.tag == SVG + "svg" and root.get("width") == "1200", "svg root, 1200 px wide")
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    alltext = "\n".join(texts)
    for want in ["Test map: zones & changes", "left zone, 10 km, 2,226 km²", "right zone",
                 "left withdrawal line", "right withdrawal line", "contact line, 223 km",
                 "buffer zone, 4,452 km²", "gained, 271 km²", "lost, 271 km²", "country",
                 "Legend", "N", "Alpha", "Bravo & Co <x>", "Charlie"]:
        s.check(want in texts or want in alltext, "text '%s' on the map" % want, alltext)
    paths = list(root.iter(SVG + "path"))
    s.check(any(p.get("stroke") == "#111111" and p.get("stroke-width") == "2.6" for p in paths),
            "contact line drawn bold")
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    s.check(len({p.get("stroke") for p in dashed}) == 2, "withdrawal lines dashed, one colour per side",
            [p.get("stroke") for p in dashed])
    fills = {p.get("fill") for p in paths if p.get("fill-opacity") == "0.33"}
    s.check(len(fills) == 2, "zones filled in two side colours", fills)
    s.check(any(p.get("fill") == "none" and p.get("stroke") == "#495057" and p.get("stroke-width") == "4" for p in paths),
            "buffer zone outlined")

    # Projection: equirectangular scaled by cos(mean latitude). The map is framed on all the
    # data (lat -1..1, so the mean latitude is 0): Alpha and Charlie share a longitude,
    # Alpha and Bravo a latitude.
    dots = {}
    for g in root.iter(SVG + "circle"):
        dots[(round(float(g.get("cx")), 1), round(float(g.get("cy")), 1))] = float(g.get("r"))
    xs = sorted({c[0] for c in dots})
    ys = sorted({c[1] for c in dots})
    s.check(len(dots) >= 3, "three place dots (plus the legend's)", dots)
    labels = {"".join(t.itertext()): (float(t.get("x")), float(t.get("y")))
              for t in root.iter(SVG + "text") if t.get("x")}
    big = max(dots.items(), key=lambda kv: kv[1])  # Alpha has the largest population
    s.check(big[1] > min(dots.values()), "dot size grows with population", dots)
    # pixel per degree from Alpha (0.25, 0.5) and Charlie (0.25, -0.5): same x, 1 deg apart
    pa = [c for c in dots if abs(c[1] - big[0][1]) < 0.01 and c != big[0]]
    ax, ay = big[0]
    same_x = [c for c in dots if abs(c[0] - ax) < 0.15 and c != big[0]]
    if same_x and pa:
        cx, cy = same_x[0]
        bx, by = pa[0]
        k = (cy - ay) / 1.0  # px per degree of latitude (Charlie is south: larger y)
        s.check(k > 0, "north is up", (ax, ay, cx, cy))
        s.check_close((bx - ax) / 1.5, k * math.cos(0.0), 0.01, "px per degree of longitude "
                      "= cos(mean lat) x px per degree of latitude")
        # Scale bar: its two halves (height 6) span the labelled km at k px / deg
        bar = [g for g in root.iter(SVG + "rect") if g.get("height") == "6"]
        km_label = [t for t in texts if re.fullmatch(r"[\d,.]+ km", t)]
        if s.check(len(bar) == 2 and km_label, "scale bar with a km label", (bar, texts)):
            px = sum(float(g.get("width")) for g in bar)
            km = float(km_label[0].split()[0].replace(",", ""))
            want_px = km * 1000 / geodesy.parallel_length(0.0, 1) * k
            s.check_close(px, want_px, 0.005, "scale bar length matches the km it shows")
    else:
        s.check(False, "found Alpha, Bravo and Charlie's dots", dots)

# Standard output, and a real map of bundled data through bz-derive.
r = s.run("bz-render", layers, "-o", "-")
s.check_exit(r, 0, "bz-render -o -")
s.check(r.out.startswith("<?xml") and r.out.rstrip().endswith("</svg>"), "SVG on stdout")
line = s.path("donbas_line.geojson")
r = s.run("bz-derive", "--territory", os.path.join(s.data, "donbas_breakaway_2015.geojson"),
          "--region", os.path.join(s.data, "ukraine_outline.geojson"), "-o", line)
s.check_exit(r, 0, "bz-derive for the map")
svg2 = s.path("donbas.svg")
r = s.run("bz-render", line, os.path.join(s.data, "donbas_breakaway_2015.geojson"),
          os.path.join(s.data, "ukraine_outline.geojson"), "--places",
          os.path.join(s.data, "places_ne_ukraine_region.geojson"), "-o", svg2)
s.check_exit(r, 0, "bz-render of the bundled Donbas data")
try:
    ET.parse(svg2)
    s.check(True, "bundled-data SVG is well-formed")
except ET.ParseError as e:
    s.check(False, "bundled-data SVG is well-formed", e)
s.check(os.path.getsize(svg2) < 400000, "the map stays small", os.path.getsize(svg2))

# A narrow map puts the legend under the frame, still inside the page.
r = s.run("bz-render", layers, land, "-o", s.path("narrow.svg"), "--width", "640")
s.check_exit(r, 0, "bz-render --width 640")
try:
    root = ET.parse(s.path("narrow.svg")).getroot()
    frame = [g for g in root.iter(SVG + "rect") if g.get("fill") == "none"][0]
    bottom = float(frame.get("y")) + float(frame.get("height"))
    legend = [t for t in root.iter(SVG + "text") if "".join(t.itertext()) == "Legend"][0]
    ys = [float(t.get("y")) for t in root.iter(SVG + "text")]
    xs = [float(g.get("x")) + float(g.get("width")) for g in root.iter(SVG + "rect")
          if g.get("width") and not g.get("width").endswith("%")]
    s.check(float(legend.get("y")) > bottom, "legend under the map", (legend.get("y"), bottom))
    s.check(max(ys) < float(root.get("height")) and max(xs) <= 640,
            "everything inside the 640 px page", (max(ys), root.get("height"), max(xs)))
except (ET.ParseError, OSError, IndexError) as e:
    s.check(False, "narrow SVG", e)

# Across the antimeridian: two places 0.2 deg apart on either side of 180 deg stay neighbours.
anti = s.write_geojson("anti.geojson", [
    ({"type": "MultiLineString", "coordinates": [[[179.5, 0], [180, 0]], [[-180, 0], [-179.5, 0]]]},
     {"kind": "contact_line"}),
    ({"type": "Point", "coordinates": [179.9, 0.05]}, {"name": "West of 180"}),
    ({"type": "Point", "coordinates": [-179.9, 0.05]}, {"name": "East of 180"}),
])
r = s.run("bz-render", anti, "-o", s.path("anti.svg"))
s.check_exit(r, 0, "bz-render across the antimeridian")
try:
    root = ET.parse(s.path("anti.svg")).getroot()
    frame = [g for g in root.iter(SVG + "rect") if g.get("fill") == "none"][0]
    x0, width = float(frame.get("x")), float(frame.get("width"))
    cx = sorted(float(c.get("cx")) for c in root.iter(SVG + "circle")
                if x0 < float(c.get("cx")) < x0 + width)  # not the legend's dot
    # the line spans 1 deg; the places are 0.2 deg apart: a fifth of the line, not the globe
    s.check(len(cx) >= 2 and 0.1 * width < cx[-1] - cx[0] < 0.3 * width,
            "antimeridian neighbours drawn side by side", (cx, width))
except (ET.ParseError, OSError, IndexError) as e:
    s.check(False, "antimeridian SVG", e)

# An input with nothing drawable is an error, not an empty map.
empty = s.write_geojson("empty.geojson", [])
r = s.run("bz-render", empty, "-o", s.path("empty.svg"))
s.check_exit(r, 1, "nothing to draw")
s.check(not os.path.exists(s.path("empty.svg")), "no file for nothing to draw")


def png_pixels(path):
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of pixel tuples."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return rows


chromium = shutil.which("chromium")
if chromium:
    png = s.path("map.png")
    profile = tempfile.mkdtemp(prefix="bz-chromium-")
    try:
        proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                               "--screenshot=" + png, "--window-size=1200,900", svg2],
                              capture_output=True, text=True, timeout=180)
        s.check(proc.returncode == 0 and os.path.exists(png), "chromium renders the SVG",
                proc.stderr[-1500:])
        if os.path.exists(png):
            rows = png_pixels(png)
            pixels = [p for row in rows[::4] for p in row[::4]]
            colours = set(pixels)
            nonwhite = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
            s.check(len(colours) > 20 and nonwhite > 0.2,
                    "the screenshot is not blank (%d colours, %.0f %% not white)"
                    % (len(colours), 100 * nonwhite))
    except subprocess.TimeoutExpired:
        s.check(False, "chromium finished within 180 s")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
else:
    print("note: chromium not installed; the browser check was skipped")

s.finish()
