"""What the algorithms share: QGIS layers to bufferzone inputs, results to feature sinks,
library errors to QgsProcessingException naming the layer and the feature, progress and
cancelling through QgsProcessingFeedback, and the styles the library writes."""

import json
import os
import tempfile

from qgis.PyQt.QtCore import QVariant
from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsCsException,
                       QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsGeometry,
                       QgsProcessingException, QgsProcessingLayerPostProcessorInterface)

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
# The field types of our outputs (QGIS 3.22 still takes QVariant types).
STRING, DOUBLE, INT = QVariant.String, QVariant.Double, QVariant.Int


def bufferzone():
    """The bufferzone package, or a QgsProcessingException telling how to install it."""
    try:
        import bufferzone as bz
    except ImportError as e:
        raise QgsProcessingException(
            "the bufferzone Python package is not installed for QGIS's Python (%s): build the "
            "library with meson and run `meson install`, or put build/python on PYTHONPATH"
            % e) from None
    return bz


def fields(*spec):
    out = QgsFields()
    for name, typ in spec:
        out.append(QgsField(name, typ))
    return out


def layer_name(source, parameters, name, context):
    """How the user knows an input: the layer's name in the project, else its source."""
    from qgis.core import (QgsMapLayer, QgsProcessingFeatureSourceDefinition,
                           QgsProcessingUtils)
    value = parameters.get(name)
    lyr = None
    if isinstance(value, QgsMapLayer):
        lyr = value
    elif isinstance(value, QgsProcessingFeatureSourceDefinition):
        lyr = QgsProcessingUtils.mapLayerFromString(value.source.staticValue(), context)
    elif isinstance(value, str):
        lyr = QgsProcessingUtils.mapLayerFromString(value, context)
    if lyr is not None:
        return lyr.name()
    return source.sourceName() if source is not None else name


def to_geojson(source, what, context, feedback=None):
    """The features of a Processing feature source as a GeoJSON FeatureCollection dict in
    EPSG:4326 lon/lat. Each feature keeps its QGIS feature id as GeoJSON "id", which GDAL
    reads as the FID, so the library's messages ("feature 12: ...") name the feature the user
    sees in the attribute table."""
    xform = QgsCoordinateTransform(source.sourceCrs(), WGS84, context.transformContext())
    feats = []
    for f in source.getFeatures():
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException("cancelled")
        g = f.geometry()
        geom = None
        if g is not None and not g.isNull():
            g = QgsGeometry(g)
            if not xform.isShortCircuited():
                try:
                    g.transform(xform)
                except QgsCsException as e:
                    raise QgsProcessingException(
                        "%s, feature %d: cannot transform to WGS84 lon/lat: %s"
                        % (what, f.id(), e)) from None
            # Curves become segments; 17 digits keep every double exactly.
            if QgsGeometry(g).constGet().hasCurvedSegments():
                g = QgsGeometry(g.constGet().segmentize())
            geom = json.loads(g.asJson(17))
        feats.append({"type": "Feature", "id": int(f.id()), "properties": {}, "geometry": geom})
    if not feats:
        raise QgsProcessingException("%s has no features" % what)
    return {"type": "FeatureCollection", "features": feats}


def library_error(e, names):
    """A QgsProcessingException from a bufferzone.Error whose message starts with the
    package's name of an input ("line: feature 3: ...", "region: ..."): that name is replaced
    by the layer's ("layer 'contact lines' (Contact line), feature 3: ...")."""
    msg = getattr(e, "message", None) or str(e)
    for key in sorted(names, key=len, reverse=True):
        if msg.startswith(key + ":") or msg.startswith(key + " "):
            msg = names[key] + msg[len(key):]
            break
    # The package's hint names its own option; in QGIS the tool is "Fix geometries".
    msg = msg.replace("(make_valid repairs it)", "(QGIS's Fix geometries algorithm repairs it)")
    return QgsProcessingException(msg)


def describe(param_desc, lname):
    return "layer '%s' (%s)" % (lname, param_desc)


def progress_callback(feedback, start=0.0, span=100.0):
    """The package's progress callable: fraction → feedback.setProgress, and True (stop)
    once the user cancelled."""
    def cb(fraction):
        feedback.setProgress(start + span * max(0.0, min(1.0, float(fraction))))
        return feedback.isCanceled()
    return cb


def add_feature(sink, geom, attrs, feedback=None):
    """Add one feature with a Shapely geometry (via WKB) and attribute values."""
    f = QgsFeature()
    if geom is not None and not geom.is_empty:
        g = QgsGeometry()
        g.fromWkb(geom.wkb)
        f.setGeometry(g)
    f.setAttributes([None if isinstance(a, float) and a != a else a for a in attrs])
    if not sink.addFeature(f, QgsFeatureSink.FastInsert) and feedback is not None:
        feedback.reportError("could not write a feature: %s" % sink.lastError())


class StyleFromQml(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style (the one the library wrote next to its own output) to an output
    layer once QGIS loads it."""

    def __init__(self, qml):
        super().__init__()
        self.qml = qml

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        msg, ok = layer.loadNamedStyle(self.qml)
        if not ok:
            feedback.reportError("style %s not applied: %s" % (self.qml, msg))
        else:
            layer.triggerRepaint()


_STYLE_KEEP = []  # post-processors must outlive the algorithm run that created them


def library_styles(write, layers):
    """The QGIS styles the library writes, as {layer name: QML file}: write(path) lets the
    library write its own output to a temporary GeoPackage, whose layer_styles table holds one
    default style per layer; QGIS reads each layer's default style and saves it as QML.
    Layers without a style are left out (an empty dict when the library writes none)."""
    from qgis.core import QgsVectorLayer
    d = tempfile.mkdtemp(prefix="bufferzone-qgis-")
    path = os.path.join(d, "result.gpkg")
    write(path)
    out = {}
    for name in layers:
        lyr = QgsVectorLayer("%s|layername=%s" % (path, name), name, "ogr")
        if not lyr.isValid():
            continue
        _, ok = lyr.loadDefaultStyle()
        if ok:
            qml = os.path.join(d, name + ".qml")
            _, saved = lyr.saveNamedStyle(qml)
            if saved:
                out[name] = qml
        del lyr
    for f in (path, path + "-wal", path + "-shm"):  # keep only the small QML files
        if os.path.exists(f):
            os.remove(f)
    return out


def library_sidecar(write):
    """The QGIS style the library writes beside a GeoJSON output (a rule per kind, and per
    side where the features have sides): write(path) writes the result to a temporary
    .geojson; its .qml sidecar is kept (the path, or None when the library wrote none)."""
    d = tempfile.mkdtemp(prefix="bufferzone-qgis-")
    path = os.path.join(d, "result.geojson")
    write(path)
    if os.path.exists(path):
        os.remove(path)  # keep only the small QML file
    qml = os.path.join(d, "result.qml")
    return qml if os.path.exists(qml) else None


def style_output(context, dest, write):
    """Style the output `dest` with the library's sidecar style of the same features
    (written by write(path)), when QGIS loads it on completion (the toolbox; qgis_process's
    files need none)."""
    if dest and context.willLoadLayerOnCompletion(dest):
        style_outputs(context, {dest: library_sidecar(write)})


def style_outputs(context, dests):
    """Give each output in dests ({destination id: QML file or None}) that QGIS loads on
    completion its style."""
    for dest, qml in dests.items():
        if dest and qml and context.willLoadLayerOnCompletion(dest):
            pp = StyleFromQml(qml)
            _STYLE_KEEP.append(pp)
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(pp)
