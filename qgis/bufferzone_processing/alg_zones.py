"""Withdrawal zones: both sides' zones, withdrawal lines, the contact line and the buffer zone
(bufferzone.zones, the bz-zones tool)."""

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingOutputNumber,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterNumber,
                       QgsWkbTypes)

from . import common
from .base import Base

FIELDS = (("kind", common.STRING), ("side", common.STRING), ("distance_m", common.DOUBLE),
          ("area_km2", common.DOUBLE), ("length_km", common.DOUBLE))

# Our outputs and the GeoPackage layers the library writes (and styles) for them.
LAYERS = {"ZONES": "zone", "WITHDRAWAL_LINES": "withdrawal_line", "CONTACT_LINE": "contact_line",
          "BUFFER_ZONE": "buffer_zone"}


class WithdrawalZones(Base):
    ID = "zones"
    NAME = "Withdrawal zones"
    HELP = """Where each side's new line is if side A withdraws DISTANCE A and side B DISTANCE B \
from a contact line, measured as exact geodesic distances on the WGS84 ellipsoid (not in the \
layer's map units). Areas are ellipsoidal km².

<b>Inputs</b>, in one of three forms (any vector layer, any CRS: features are transformed to \
WGS84 lon/lat):
<ul><li><b>Contact line</b> alone: side A is LEFT of the line's direction, side B right.</li>
<li><b>Contact line + Region</b>: the region is split by the line, both zones clipped to it.</li>
<li><b>Territory + Region</b> (line optional): side A holds the territory, side B the rest of \
the region; without a line the contact line is derived from the territory's border (see \
Derive contact line).</li></ul>
<b>Distances</b> are in kilometres (0 to 1,000; 0 = that side does not withdraw).
<b>Outputs</b>: zones (one polygon per side), withdrawal lines (one per side), the contact \
line and the buffer zone (both zones together), with the attributes kind, side, \
distance_m, area_km2 (polygons) and length_km (lines); styled with the library's QGIS style \
when it writes one. Every withdrawal-line point is within max(1 m, 0.01 % of the distance) \
of the requested distance (MAX_ERROR_M reports the largest deviation measured)."""

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_sides()
        for side, label in (("A", "left of the line / holding the territory"),
                            ("B", "right of the line / the rest of the region")):
            self.addParameter(QgsProcessingParameterNumber(
                "DISTANCE_" + side, "Withdrawal distance of side %s (%s), kilometres"
                % (side, label), QgsProcessingParameterNumber.Double, defaultValue=10.0,
                minValue=0.0, maxValue=1000.0))
        self.add_names()
        self.add_tolerance()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "ZONES", "Zones", type=QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "WITHDRAWAL_LINES", "Withdrawal lines",
            type=QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "CONTACT_LINE", "Contact line (used)", type=QgsProcessing.TypeVectorLine,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "BUFFER_ZONE", "Buffer zone", type=QgsProcessing.TypeVectorPolygon,
            optional=True))
        for out, desc in (("AREA_A_KM2", "Zone area of side A (km²)"),
                          ("AREA_B_KM2", "Zone area of side B (km²)"),
                          ("BUFFER_ZONE_KM2", "Buffer zone area (km²)"),
                          ("CONTACT_LINE_KM", "Contact line length (km)"),
                          ("MAX_ERROR_M", "Largest distance error measured (m)")):
            self.addOutput(QgsProcessingOutputNumber(out, desc))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        bz = common.bufferzone()
        inputs, names = self.sides(parameters, context, feedback)
        da = self.parameterAsDouble(parameters, "DISTANCE_A", context) * 1000.0
        db = self.parameterAsDouble(parameters, "DISTANCE_B", context) * 1000.0
        side_names = self.side_names(parameters, context, inputs)
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        feedback.pushInfo("distances %.0f m / %.0f m (geodesic)" % (da, db))
        try:
            z = bz.zones(inputs["line"], territory=inputs["territory"], region=inputs["region"],
                         distance_a=da, distance_b=db, names=side_names, tolerance=tol,
                         progress=common.progress_callback(feedback, 0.0, 90.0))
        except bz.CancelledError:
            raise QgsProcessingException("cancelled") from None
        except bz.Error as e:
            raise common.library_error(e, names) from None
        return self.write(z, side_names, parameters, context, feedback)

    def write(self, z, n, parameters, context, feedback):
        flds = common.fields(*FIELDS)
        nan = float("nan")
        outs, dests = {}, {}
        for key, wkb in (("ZONES", QgsWkbTypes.MultiPolygon),
                         ("WITHDRAWAL_LINES", QgsWkbTypes.MultiLineString),
                         ("CONTACT_LINE", QgsWkbTypes.MultiLineString),
                         ("BUFFER_ZONE", QgsWkbTypes.MultiPolygon)):
            sink, dest = self.parameterAsSink(parameters, key, context, flds, wkb, common.WGS84)
            if sink is None and key in ("ZONES", "WITHDRAWAL_LINES"):
                raise QgsProcessingException(self.invalidSinkError(parameters, key))
            outs[key] = sink
            dests[key] = dest
        for s in (0, 1):
            d = z.distances[s]
            common.add_feature(outs["ZONES"], z.zone(s),
                               ["zone", n[s], d, z.areas[s] / 1e6, nan], feedback)
            common.add_feature(outs["WITHDRAWAL_LINES"], z.withdrawal_line(s),
                               ["withdrawal_line", n[s], d, nan, z.lengths[s] / 1e3], feedback)
        if outs["CONTACT_LINE"] is not None:
            common.add_feature(outs["CONTACT_LINE"], z.contact_line,
                               ["contact_line", None, nan, nan, z.contact_length / 1e3], feedback)
        if outs["BUFFER_ZONE"] is not None:
            common.add_feature(outs["BUFFER_ZONE"], z.buffer_zone,
                               ["buffer_zone", None, nan, z.buffer_area / 1e6, nan], feedback)
        feedback.setProgress(95)
        # The library's own QGIS styles are the single source of the look; needed only for
        # outputs QGIS loads into the project (the toolbox), not for qgis_process's files.
        if any(d and context.willLoadLayerOnCompletion(d) for d in dests.values()):
            qml = common.library_styles(lambda p: z.write(p, names=n, overwrite=True),
                                        LAYERS.values())
            common.style_outputs(context, {dests[k]: qml.get(LAYERS[k]) for k in LAYERS})
        feedback.setProgress(100)
        return {"ZONES": dests["ZONES"], "WITHDRAWAL_LINES": dests["WITHDRAWAL_LINES"],
                "CONTACT_LINE": dests["CONTACT_LINE"], "BUFFER_ZONE": dests["BUFFER_ZONE"],
                "AREA_A_KM2": z.areas[0] / 1e6, "AREA_B_KM2": z.areas[1] / 1e6,
                "BUFFER_ZONE_KM2": z.buffer_area / 1e6, "CONTACT_LINE_KM": z.contact_length / 1e3,
                "MAX_ERROR_M": z.max_error_m}
