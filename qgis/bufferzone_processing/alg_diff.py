"""Territory change: area gained and lost between two dates, per administrative unit
(bufferzone.diff, bz-diff)."""

from qgis.core import (QgsCoordinateTransform, QgsProcessing, QgsProcessingException,
                       QgsProcessingOutputNumber, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsWkbTypes)

from . import common
from .base import Base

UNIT_FIELDS = ("name", "NAME", "shapeName", "ADMIN_1", "name_en")


class TerritoryChange(Base):
    ID = "diff"
    NAME = "Territory change"
    HELP = """How a territory changed between two dates (as bz-diff): the area gained (in NEW, \
not in OLD) and lost (in OLD, not in NEW), in ellipsoidal km², optionally only inside a \
region and split per administrative unit.

<b>Old / New territory</b>: the territory at the earlier and the later date (polygon layers, \
any CRS).
<b>Region</b> (optional): count only changes inside this area.
<b>Administrative units</b> (optional polygon layer) and <b>Unit name field</b> (default: the \
first of name, NAME, shapeName, ADMIN_1, name_en the layer has).
Outputs: the changed areas (kind gained/lost, name, area_km2), loaded with the library's QGIS \
style (gained red, lost green, as bz-diff's file and bz-render draw them), and with units a \
table (name, gained_km2, lost_km2, net_km2), largest net change first."""

    def initAlgorithm(self, config=None):  # noqa: N802
        poly = [QgsProcessing.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource("OLD", "Old territory", poly))
        self.addParameter(QgsProcessingParameterFeatureSource("NEW", "New territory", poly))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGION", "Region (count changes only inside it)", poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", "Administrative units", poly, optional=True))
        self.addParameter(QgsProcessingParameterField(
            "UNITS_FIELD", "Unit name field", parentLayerParameterName="UNITS", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Changes (gained / lost)",
            type=QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "UNITS_TABLE", "Change per unit", type=QgsProcessing.TypeVector, optional=True,
            createByDefault=True))
        for out, desc in (("OLD_KM2", "Old territory (km²)"), ("NEW_KM2", "New territory (km²)"),
                          ("GAINED_KM2", "Gained (km²)"), ("LOST_KM2", "Lost (km²)"),
                          ("NET_KM2", "Net change (km²)")):
            self.addOutput(QgsProcessingOutputNumber(out, desc))

    def units(self, parameters, context, feedback):
        """(GeoDataFrame of the units in EPSG:4326, name field, label) or (None, None, None)."""
        src = self.parameterAsSource(parameters, "UNITS", context)
        if src is None:
            return None, None, None
        import geopandas as gpd
        from shapely import wkb
        label = common.describe("Administrative units",
                                common.layer_name(src, parameters, "UNITS", context))
        names = src.fields().names()
        field = self.parameterAsString(parameters, "UNITS_FIELD", context)
        if not field:
            field = next((f for f in UNIT_FIELDS if f in names), None)
            if field is None:
                raise QgsProcessingException("%s: no name, NAME, shapeName, ADMIN_1 or name_en "
                                             "field; choose the unit name field" % label)
        xform = QgsCoordinateTransform(src.sourceCrs(), common.WGS84, context.transformContext())
        vals, geoms = [], []
        for f in src.getFeatures():
            if feedback.isCanceled():
                raise QgsProcessingException("cancelled")
            g = f.geometry()
            if g is None or g.isNull():
                geoms.append(None)
            else:
                if not xform.isShortCircuited():
                    g.transform(xform)
                geoms.append(wkb.loads(bytes(g.asWkb())))
            v = f[field]
            vals.append(None if v is None or (hasattr(v, "isNull") and v.isNull()) else str(v))
        return gpd.GeoDataFrame({field: vals}, geometry=geoms, crs="EPSG:4326"), field, label

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        bz = common.bufferzone()
        old, on = self.source(parameters, "OLD", context, "Old territory", feedback)
        new, nn = self.source(parameters, "NEW", context, "New territory", feedback)
        region, rn = self.source(parameters, "REGION", context, "Region", feedback)
        units, field, un = self.units(parameters, context, feedback)
        feedback.setProgress(20)
        if feedback.isCanceled():
            raise QgsProcessingException("cancelled")
        names = {"old territory": on, "new territory": nn, "region": rn, "by": un}
        try:  # polled between the overlays (which GEOS cannot interrupt) and between units
            d = bz.diff(old, new, region=region, by=units, by_field=field,
                        progress=common.progress_callback(feedback, 20.0, 70.0))
        except bz.CancelledError:
            raise QgsProcessingException("cancelled") from None
        except bz.Error as e:
            raise common.library_error(e, {k: v for k, v in names.items() if v}) from None
        feedback.setProgress(90)
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context,
            common.fields(("kind", common.STRING), ("name", common.STRING),
                          ("area_km2", common.DOUBLE)),
            QgsWkbTypes.MultiPolygon, common.WGS84)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        common.add_feature(sink, d.gained, ["gained", "in NEW, not in OLD", d.gained_km2], feedback)
        common.add_feature(sink, d.lost, ["lost", "in OLD, not in NEW", d.lost_km2], feedback)
        # the library's style (gained red, lost green), as bz-diff's file gets it
        common.style_output(context, dest, lambda p: d.write(p))
        result = {"OUTPUT": dest, "OLD_KM2": d.old_km2, "NEW_KM2": d.new_km2,
                  "GAINED_KM2": d.gained_km2, "LOST_KM2": d.lost_km2, "NET_KM2": d.net_km2}
        if d.units is not None:
            tsink, tdest = self.parameterAsSink(
                parameters, "UNITS_TABLE", context,
                common.fields(("name", common.STRING), ("gained_km2", common.DOUBLE),
                              ("lost_km2", common.DOUBLE), ("net_km2", common.DOUBLE)),
                QgsWkbTypes.NoGeometry, common.WGS84)
            if tsink is not None:
                for r in d.units.itertuples(index=False):
                    common.add_feature(tsink, None, [r.name, float(r.gained_km2),
                                                     float(r.lost_km2), float(r.net_km2)], feedback)
                result["UNITS_TABLE"] = tdest
        feedback.setProgress(100)
        return result
