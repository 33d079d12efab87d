"""Progress, cancelling and error messages through QgsProcessingFeedback /
QgsProcessingException."""

import pytest

from conftest import data

LINE = data("korea_mdl_lsib.geojson")
REGION = data("korea_outline.geojson")


def outputs():
    return {k: "memory:" for k in ("ZONES", "WITHDRAWAL_LINES", "CONTACT_LINE", "BUFFER_ZONE")}


def run(alg, params, feedback):
    import processing
    return processing.run("bufferzone:" + alg, params, feedback=feedback)


def test_progress_reaches_feedback(app):
    from qgis.core import QgsProcessingFeedback
    fb = QgsProcessingFeedback()
    seen = []
    fb.progressChanged.connect(seen.append)
    run("zones", dict(LINE=LINE, REGION=REGION, DISTANCE_A=2, DISTANCE_B=2, **outputs()), fb)
    computing = [p for p in seen if 0 < p < 90]
    assert len(computing) >= 2, seen          # the library's callback, scaled into 0..90
    assert seen == sorted(seen) and seen[-1] == 100


def test_cancel_stops_the_library(app):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback
    fb = QgsProcessingFeedback()
    seen = []

    def on_progress(p):
        seen.append(p)
        if p > 0:
            fb.cancel()
    fb.progressChanged.connect(on_progress)
    with pytest.raises(QgsProcessingException, match="cancelled"):
        run("zones", dict(LINE=LINE, REGION=REGION, DISTANCE_A=2, DISTANCE_B=2, **outputs()), fb)
    assert seen and max(seen) < 90                   # stopped while computing


def bowtie_region(name):
    """A memory layer whose second feature (id 2) is a self-intersecting polygon."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    lyr = QgsVectorLayer("Polygon?crs=EPSG:4326", name, "memory")
    feats = []
    for wkt in ("POLYGON((126 37, 130 37, 130 39, 126 39, 126 37))",
                "POLYGON((126 40, 128 41, 128 40, 126 41, 126 40))"):
        f = QgsFeature()
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    ok, added = lyr.dataProvider().addFeatures(feats)
    assert ok and [f.id() for f in added] == [1, 2]
    return lyr


def error_message(params, context=None):
    """The QgsProcessingException's message (caught here, so that no traceback keeps a
    layer alive past QGIS's shutdown)."""
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback
    try:
        processing.run("bufferzone:zones", params, feedback=QgsProcessingFeedback(),
                       context=context)
    except QgsProcessingException as e:
        return str(e)
    return None


@pytest.mark.parametrize("qgis_checks", [True, False])
def test_error_names_layer_and_feature(app, qgis_checks):
    """With QGIS's invalid-geometry check (the default) QGIS names the feature; with the
    check off the library finds the self-intersection and the provider maps its message to
    the layer's name and the feature's id."""
    from qgis.core import QgsFeatureRequest, QgsProcessingContext
    lyr = bowtie_region("my outline")
    ctx = QgsProcessingContext()
    ctx.setInvalidGeometryCheck(QgsFeatureRequest.GeometryAbortOnInvalid if qgis_checks
                                else QgsFeatureRequest.GeometryNoCheck)
    msg = error_message(dict(LINE=LINE, REGION=lyr, DISTANCE_A=2, DISTANCE_B=2, **outputs()),
                        ctx)
    del lyr
    assert msg is not None
    if qgis_checks:
        assert "my outline" in msg and "(2)" in msg, msg
    else:
        assert msg.startswith("layer 'my outline' (Region): feature 2, polygon 0: "
                              "Self-intersection at lon 127.0"), msg
        assert "Fix geometries" in msg, msg  # QGIS's tool, not the package's make_valid


TERRITORY = data("donbas_breakaway_2015.geojson")
UKRAINE = data("ukraine_outline.geojson")


def cancel_inside_library(alg, params):
    """Run alg, pressing Cancel at the first progress report from inside the library
    (between 20 and 90 %); the QgsProcessingException's text and every progress value seen."""
    from qgis.core import QgsProcessingException, QgsProcessingFeedback
    fb = QgsProcessingFeedback()
    seen = []

    def on_progress(p):
        seen.append(p)
        if 20 < p < 90:
            fb.cancel()
    fb.progressChanged.connect(on_progress)
    try:
        run(alg, params, fb)
    except QgsProcessingException as e:
        return str(e), seen
    return None, seen


@pytest.mark.parametrize("alg", ["derive", "diff"])
def test_derive_and_diff_report_progress_from_the_library(app, alg):
    from qgis.core import QgsProcessingFeedback
    fb = QgsProcessingFeedback()
    seen = []
    fb.progressChanged.connect(seen.append)
    params = (dict(TERRITORY=TERRITORY, REGION=UKRAINE, TOLERANCE=10, OUTPUT="memory:")
              if alg == "derive" else
              dict(OLD=TERRITORY, NEW=UKRAINE, OUTPUT="memory:"))
    run(alg, params, fb)
    inside = [p for p in seen if 20 < p < 90]
    assert len(inside) >= 2, seen          # the package's callback, scaled into 20..90
    assert seen == sorted(seen) and seen[-1] == 100


@pytest.mark.parametrize("alg", ["derive", "diff"])
def test_cancel_stops_derive_and_diff_inside_the_library(app, alg):
    params = (dict(TERRITORY=TERRITORY, REGION=UKRAINE, TOLERANCE=10, OUTPUT="memory:")
              if alg == "derive" else
              dict(OLD=TERRITORY, NEW=UKRAINE, OUTPUT="memory:"))
    msg, seen = cancel_inside_library(alg, params)
    assert msg is not None and "cancelled" in msg, (msg, seen)
    assert max(seen) < 90, seen            # stopped while computing, nothing written
