"""The library's QGIS styles as QGIS sees them: a GeoPackage written by bz-zones opens in
PyQGIS categorised by side in the colours bz-render uses (read from the tool's GeoJSON
simplestyle properties, an independent record of the look); the Withdrawal zones algorithm's
outputs load with the same style; and a map rendered by QgsMapRendererParallelJob shows both
sides' colours (pixels counted per colour)."""

import json
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


@pytest.mark.parametrize("ext,driver", [("gpkg", "GPKG"), ("sqlite", "SQLite")])
def test_bz_zones_database_opens_categorised_by_side(app, tool_colours, tmp_path, ext, driver):
    """A GeoPackage, and an OGR SQLite database (what -o NAME.sqlite writes: OGR's own SQLite
    flavour, not SpatiaLite), hold layer_styles; QGIS applies it on opening either."""
    from qgis.PyQt.QtCore import Qt
    from qgis.core import QgsCategorizedSymbolRenderer, QgsSingleSymbolRenderer, QgsVectorLayer
    gpkg = tmp_path / ("zones." + ext)
    tool("bz-zones", LINE, "--region", REGION, "-d", "15km", "--names", ",".join(NAMES),
         "-o", gpkg)
    zone = QgsVectorLayer("%s|layername=zone" % gpkg, "zone", "ogr")
    assert zone.isValid()
    assert zone.dataProvider().storageType() == driver
    check_zone_renderer(zone, tool_colours)
    for name in ("contact_line", "buffer_zone"):
        other = QgsVectorLayer("%s|layername=%s" % (gpkg, name), name, "ogr")
        assert isinstance(other.renderer(), QgsSingleSymbolRenderer), (name, other.renderer().type())
        stroke = tool_colours[(name, None)]["stroke"]
        sym = other.renderer().symbol()
        layer = sym.symbolLayer(sym.symbolLayerCount() - 1)
        c = layer.strokeColor() if name == "buffer_zone" else layer.color()
        assert (c.red(), c.green(), c.blue()) == rgb(stroke), name
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


def loaded_output(alg, params):
    """Run an algorithm as the toolbox does (its OUTPUT loaded into the project, where the
    provider's post-processor styles it); the loaded layer."""
    import processing
    from qgis.core import QgsProject
    res = processing.runAndLoadResults("bufferzone:" + alg, dict(params, OUTPUT="TEMPORARY_OUTPUT"))
    layer = QgsProject.instance().mapLayer(res["OUTPUT"])
    assert layer is not None and layer.isValid()
    return layer


def symbols_by_feature(layer):
    """[(feature's kind, [symbols the renderer draws it with])] for every feature."""
    from qgis.core import QgsRenderContext
    r = layer.renderer().clone()
    ctx = QgsRenderContext()
    r.startRender(ctx, layer.fields())
    out = [(f["kind"], [s.clone() for s in r.symbolsForFeature(f, ctx)])
           for f in layer.getFeatures()]
    r.stopRender(ctx)
    return out


def test_derive_output_loads_styled(app, tmp_path):
    """Derive contact line: the loaded layer draws its line as bz-derive's file says
    (simplestyle stroke and width), solid, on a white halo."""
    from qgis.PyQt.QtCore import Qt
    from qgis.core import QgsRuleBasedRenderer
    territory = data("donbas_breakaway_2015.geojson")
    out = tmp_path / "line.geojson"
    tool("bz-derive", "--territory", territory, "--region", REGION, "-o", out)
    (props, _), = geojson_features(out)
    layer = loaded_output("derive", dict(TERRITORY=territory, REGION=REGION))
    assert isinstance(layer.renderer(), QgsRuleBasedRenderer), layer.renderer().type()
    drawn = symbols_by_feature(layer)
    assert len(drawn) == 1 and drawn[0][0] == "contact_line" and len(drawn[0][1]) == 1, drawn
    sym = drawn[0][1][0]
    line = sym.symbolLayer(sym.symbolLayerCount() - 1)
    halo = sym.symbolLayer(0)
    c = line.color()
    assert (c.red(), c.green(), c.blue()) == rgb(props["stroke"])
    assert line.width() * 96 / 25.4 == pytest.approx(props["stroke-width"], abs=0.01)
    assert line.penStyle() == Qt.SolidLine
    assert sym.symbolLayerCount() == 2 and halo.color().name() == "#ffffff"
    assert halo.width() > line.width()


def test_diff_output_loads_styled(app, tmp_path):
    """Territory change: gained and lost areas each drawn in bz-diff's file's fill colour."""
    from qgis.core import QgsRuleBasedRenderer
    from shapely.geometry import box, mapping

    def write(name, geom):
        p = tmp_path / name
        p.write_text(json.dumps({"type": "Feature", "properties": {},
                                 "geometry": mapping(geom)}))
        return str(p)
    old = write("old.geojson", box(37.0, 47.5, 38.0, 48.5))
    new = write("new.geojson", box(37.5, 47.5, 38.5, 48.5))
    out = tmp_path / "changes.geojson"
    tool("bz-diff", old, new, "-o", out)
    want = {p["kind"]: p for p, _ in geojson_features(out)}
    layer = loaded_output("diff", dict(OLD=old, NEW=new))
    assert isinstance(layer.renderer(), QgsRuleBasedRenderer), layer.renderer().type()
    drawn = symbols_by_feature(layer)
    assert sorted(k for k, _ in drawn) == ["gained", "lost"]
    for kind, syms in drawn:
        assert len(syms) == 1, kind
        fill = syms[0].symbolLayer(0)
        c = fill.color()
        assert (c.red(), c.green(), c.blue()) == rgb(want[kind]["fill"]), kind
        assert c.alphaF() == pytest.approx(want[kind]["fill-opacity"], abs=0.005), kind
    assert want["gained"]["fill"] != want["lost"]["fill"]
