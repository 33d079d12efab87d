"""A base class for the algorithms: the provider's group, instances, and the sides inputs
(line / territory / region layers) that three of the four algorithms share."""

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)

from . import common


class Base(QgsProcessingAlgorithm):
    def createInstance(self):  # noqa: N802
        return type(self)()

    def group(self):
        return "Withdrawal zones"

    def groupId(self):  # noqa: N802
        return "zones"

    def displayName(self):  # noqa: N802
        return self.NAME

    def name(self):
        return self.ID

    def shortHelpString(self):  # noqa: N802
        return self.HELP

    # --- shared parameters -------------------------------------------------------------
    def add_sides(self, line_optional=True):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "LINE", "Contact line", [QgsProcessing.TypeVectorLine], optional=line_optional))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TERRITORY", "Territory held by side A (polygons)",
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "REGION", "Region (land outline) to clip to", [QgsProcessing.TypeVectorPolygon],
            optional=True))

    def add_tolerance(self):
        p = QgsProcessingParameterNumber(
            "TOLERANCE", "Derivation tolerance (metres): territory border within this distance "
            "of the region's edge is not front line", QgsProcessingParameterNumber.Double,
            defaultValue=1000.0, minValue=0.0)
        p.setFlags(p.flags() | p.FlagAdvanced)
        self.addParameter(p)

    def add_names(self):
        # Empty = the tools' defaults: left/right with a line, A/B in the territory form.
        self.addParameter(QgsProcessingParameterString(
            "NAME_A", "Name of side A (left of the line / holding the territory; empty = "
            "'left', or 'A' in the territory form)", defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "NAME_B", "Name of side B (right of the line / the rest of the region; empty = "
            "'right', or 'B' in the territory form)", defaultValue="", optional=True))

    def side_names(self, parameters, context, inputs):
        """The side names, defaulting as bz-zones --names does."""
        a = self.parameterAsString(parameters, "NAME_A", context)
        b = self.parameterAsString(parameters, "NAME_B", context)
        da, db = ("A", "B") if inputs["territory"] is not None else ("left", "right")
        return (a or da, b or db)

    def source(self, parameters, name, context, desc, feedback):
        """(GeoJSON dict or None, 'layer ... (desc)') of an optional feature-source input."""
        src = self.parameterAsSource(parameters, name, context)
        if src is None:
            if parameters.get(name) not in (None, ""):
                raise QgsProcessingException("%s: cannot open %r" % (desc, parameters.get(name)))
            return None, None
        label = common.describe(desc, common.layer_name(src, parameters, name, context))
        return common.to_geojson(src, label, context, feedback), label

    def sides(self, parameters, context, feedback):
        """dict(line=, territory=, region=) for the package and the error-name mapping."""
        line, ln = self.source(parameters, "LINE", context, "Contact line", feedback)
        terr, tn = self.source(parameters, "TERRITORY", context, "Territory", feedback)
        region, rn = self.source(parameters, "REGION", context, "Region", feedback)
        if line is None and terr is None:
            raise QgsProcessingException("give a contact line layer, or a territory layer and "
                                         "a region layer")
        if terr is not None and region is None:
            raise QgsProcessingException("a territory needs a region (side B holds the rest "
                                         "of the region)")
        names = {k: v for k, v in (("line", ln), ("territory", tn), ("region", rn)) if v}
        return dict(line=line, territory=terr, region=region), names
