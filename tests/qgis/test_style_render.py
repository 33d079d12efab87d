"""The library's QGIS styles as QGIS sees them: a GeoPackage written by bz-zones opens in
PyQGIS categorised by side in the colours bz-render uses (read from the tool's GeoJSON
simplestyle properties, an independent record of the look); the Withdrawal zones algorithm's
outputs load with the same style; and a map rendered by QgsMapRendererParallelJob shows both
sides' colours (pixels counted per colour)."""

import sys

import numpy as np
import pytest

from conftest import PLUGINS, data, tool
from helpers import geojson_features

sys.path.insert(0, PLUGINS)
import render_example  # noqa: E402  (qgis/render_example.py: the README screenshot)

LINE = data("donbas_contact_line_2015.geojson")
REGION = data("ukraine_outline.geojson")
NAMES = ("Ukraine", "Donbass")


@pytest.fixture(scope="module")
def tool_colours(tmp_path_factory):
    """{(kind, side): simplestyle properties} of bz-zones' GeoJSON output."""
    out = tmp_path_factory.mktemp("tool") / "zones.geojson"
    tool("bz-zones", LINE, "--region", REGION, "-d", "15km", "--names", ",".join(NAMES),
         "-o", out)
    return {(p["kind"], p["side"]): p for p, g in geojson_features(out)}


def rgb(hex_colour):
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def check_zone_renderer(layer, tool_colours):
    from qgis.core import QgsCategorizedSymbolRenderer
    r = layer.renderer()
    assert isinstance(r, QgsCategorizedSymbolRenderer), r.type()
    assert r.classAttribute() == "side"
    categories = r.categories()  # copies: keep them (and clone the symbols) while in use
    cats = {c.value(): c.symbol().clone() for c in categories}
    assert set(NAMES) <= set(cats)
    for name in NAMES:
        c = cats[name].color()
        assert (c.red(), c.green(), c.blue()) == rgb(tool_colours[("zone", name)]["fill"]), name
    return cats


def test_bz_zones_geopackage_opens_categorised_by_side(app, tool_colours, tmp_path):
    from qgis.PyQt.QtCore import Qt
    from qgis.core import QgsCategorizedSymbolRenderer, QgsVectorLayer
    gpkg = tmp_path / "zones.gpkg"
    tool("bz-zones", LINE, "--region", REGION, "-d", "15km", "--names", ",".join(NAMES),
         "-o", gpkg)
    zone = QgsVectorLayer("%s|layername=zone" % gpkg, "zone", "ogr")
    assert zone.isValid()
    check_zone_renderer(zone, tool_colours)
    lines = QgsVectorLayer("%s|layername=withdrawal_line" % gpkg, "lines", "ogr")
    r = lines.renderer()
    assert isinstance(r, QgsCategorizedSymbolRenderer) and r.classAttribute() == "side"
    categories = r.categories()
    assert {c.value() for c in categories} >= set(NAMES)
    for c in categories:
        if c.value() in NAMES:
            sl = c.symbol().symbolLayer(0)
            assert sl.penStyle() == Qt.DashLine, c.value()
            col = c.symbol().color()
            assert (col.red(), col.green(), col.blue()) == rgb(
                tool_colours[("withdrawal_line", c.value())]["stroke"])


def test_algorithm_outputs_load_styled_and_render_both_sides(app, tool_colours, tmp_path):
    from qgis.PyQt.QtGui import QImage
    render_example.start_qgis()
    out = render_example.run_zones(15.0, NAMES)
    cats = check_zone_renderer(out["ZONES"], tool_colours)
    png = str(tmp_path / "map.png")
    render_example.render(png, [out["ZONES"]], width=600, height=420)
    img = QImage(png).convertToFormat(QImage.Format_RGB32)
    ptr = img.constBits()
    ptr.setsize(img.height() * img.bytesPerLine())
    px = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    px = px[:, :img.width(), 2::-1].astype(float)   # BGRA -> RGB
    land = np.array(rgb("#f4f1ea"), float)
    counts = {}
    for name in NAMES:
        sym = cats[name]
        c = sym.color()
        a = c.alphaF() * sym.opacity() * out["ZONES"].opacity()
        want = a * np.array([c.red(), c.green(), c.blue()], float) + (1 - a) * land
        counts[name] = int((np.abs(px - want).max(axis=2) <= 8).sum())
    total = img.width() * img.height()
    assert all(n > 0.01 * total for n in counts.values()), counts
