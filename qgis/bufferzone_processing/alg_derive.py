"""Derive contact line: the front line of a control map (bufferzone.derive, bz-derive)."""

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingOutputNumber,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterNumber, QgsWkbTypes)

from . import common
from .base import Base


class DeriveContactLine(Base):
    ID = "derive"
    NAME = "Derive contact line"
    HELP = """The contact line of a control map: the part of the territory's edge that lies \
inside the region and farther than TOLERANCE from the region's own edge (state border, \
coast). Each piece runs with the territory on its LEFT (side A), so the result feeds \
Withdrawal zones directly.

<b>Territory</b>: the area one side holds (e.g. an occupied-area map), any polygon layer.
<b>Region</b>: the whole land area (e.g. the country's outline). An outline over the \
territorial sea makes an occupied coast look like front line.
<b>Tolerance</b> (metres, default 1000): territory edge within this distance of the region's \
edge counts as border, not front (absorbs disagreement between datasets).
<b>Minimum length</b> (metres, default 0 = keep all): drop shorter pieces.
Output: one MultiLineString with length_km (geodesic), loaded with the library's QGIS style \
(the contact line bold on a white halo, as bz-derive's file and bz-render draw it)."""

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TERRITORY", "Territory held by side A (polygons)", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGION", "Region (land outline)", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", "Tolerance (metres): territory edge this close to the region's edge "
            "is border, not front", QgsProcessingParameterNumber.Double, defaultValue=1000.0,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "MIN_LENGTH", "Minimum piece length (metres; 0 keeps all)",
            QgsProcessingParameterNumber.Double, defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Contact line", type=QgsProcessing.TypeVectorLine))
        self.addOutput(QgsProcessingOutputNumber("LENGTH_KM", "Contact line length (km)"))
        self.addOutput(QgsProcessingOutputNumber("PIECES", "Number of pieces"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        bz = common.bufferzone()
        terr, tn = self.source(parameters, "TERRITORY", context, "Territory", feedback)
        feedback.setProgress(10)
        region, rn = self.source(parameters, "REGION", context, "Region", feedback)
        feedback.setProgress(20)
        if feedback.isCanceled():
            raise QgsProcessingException("cancelled")
        try:  # the library polls the Cancel button at every boundary sample it tests
            line = bz.derive(terr, region,
                             tolerance=self.parameterAsDouble(parameters, "TOLERANCE", context),
                             min_length=self.parameterAsDouble(parameters, "MIN_LENGTH", context),
                             progress=common.progress_callback(feedback, 20.0, 70.0))
        except bz.CancelledError:
            raise QgsProcessingException("cancelled") from None
        except bz.Error as e:
            raise common.library_error(e, {"territory": tn, "region": rn}) from None
        feedback.setProgress(90)
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context,
            common.fields(("kind", common.STRING), ("length_km", common.DOUBLE),
                          ("pieces", common.INT)),
            QgsWkbTypes.MultiLineString, common.WGS84)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        common.add_feature(sink, line.geometry,
                           ["contact_line", line.length_m / 1e3, line.num_parts], feedback)
        # the library's style (bold, near-black, on a white halo), as bz-derive's file gets it
        common.style_output(context, dest, lambda p: line.write(p))
        feedback.setProgress(100)
        return {"OUTPUT": dest, "LENGTH_KM": line.length_m / 1e3, "PIECES": line.num_parts}
