#!/usr/bin/python3
"""Renders the README's "From QGIS" screenshot with PyQGIS, headless: the Withdrawal zones
algorithm of the bufferzone provider on the sample data (15 km along the 2015-2022 Donbas
line, clipped to Ukraine's outline), its outputs loaded as the Processing toolbox loads them
(styled by the library's QGIS styles), drawn by QgsMapRendererParallelJob into a PNG.

Usage (from the project root, after building):
    QT_QPA_PLATFORM=offscreen PYTHONPATH=build/python /usr/bin/python3 \\
        qgis/render_example.py docs/qgis_zones.png

tests/qgis/test_style_render.py imports it to check the rendered colours.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "examples", "data")
sys.path.insert(0, "/usr/share/qgis/python/plugins")  # QGIS's Processing plugin
sys.path.insert(0, HERE)                               # our plugin, from the source tree

_APP = []


def start_qgis():
    """A headless QgsApplication with Processing and the bufferzone provider (once)."""
    from qgis.core import QgsApplication
    if not _APP:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QgsApplication([], False)
        app.initQgis()
        from processing.core.Processing import Processing
        Processing.initialize()
        from bufferzone_processing.provider import BufferzoneProvider
        provider = BufferzoneProvider()
        QgsApplication.processingRegistry().addProvider(provider)
        _APP.extend([app, provider])  # both must stay alive
    return _APP[0]


def run_zones(distance_km=15.0, names=("Ukraine", "Donbass")):
    """Run bufferzone:zones as the toolbox does (outputs loaded into the project, styled);
    {output name: QgsVectorLayer}."""
    import processing
    from qgis.core import QgsProject
    params = dict(LINE=os.path.join(DATA, "donbas_contact_line_2015.geojson"),
                  REGION=os.path.join(DATA, "ukraine_outline.geojson"),
                  DISTANCE_A=distance_km, DISTANCE_B=distance_km,
                  NAME_A=names[0], NAME_B=names[1])
    for out in ("ZONES", "WITHDRAWAL_LINES", "CONTACT_LINE", "BUFFER_ZONE"):
        params[out] = "TEMPORARY_OUTPUT"
    res = processing.runAndLoadResults("bufferzone:zones", params)
    project = QgsProject.instance()
    return {out: project.mapLayer(res[out]) for out in
            ("ZONES", "WITHDRAWAL_LINES", "CONTACT_LINE", "BUFFER_ZONE")}


def render(path, layers, width=900, height=640):
    """Draw the layers (top first) over Ukraine's outline with QgsMapRendererParallelJob into
    `path` (PNG); the QImage."""
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFillSymbol,
                           QgsMapRendererParallelJob, QgsMapSettings, QgsProject,
                           QgsVectorLayer)
    outline = QgsVectorLayer(os.path.join(DATA, "ukraine_outline.geojson"), "Ukraine", "ogr")
    # The background only: a plain land colour (the zones' look comes from the library).
    outline.renderer().setSymbol(QgsFillSymbol.createSimple(
        {"color": "#f4f1ea", "outline_color": "#9a9a9a", "outline_width": "0.3"}))
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    zones = layers[-1]
    xf = QgsCoordinateTransform(zones.crs(), crs, QgsProject.instance())
    extent = xf.transformBoundingBox(zones.extent())
    extent.scale(1.15)
    ms = QgsMapSettings()
    ms.setLayers(list(layers) + [outline])
    ms.setDestinationCrs(crs)
    ms.setOutputSize(QSize(width, height))
    ms.setBackgroundColor(QColor("#ffffff"))  # outside Ukraine (no sea layer here)
    ms.setExtent(extent)
    ms.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    if path:
        img.save(path, "PNG")
    return img


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    start_qgis()
    out = run_zones()
    render(argv[1], [out["CONTACT_LINE"], out["WITHDRAWAL_LINES"], out["BUFFER_ZONE"],
                     out["ZONES"]])
    print("wrote", argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
