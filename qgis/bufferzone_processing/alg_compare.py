"""Compare proposals: withdrawal proposals side by side (bufferzone.compare, bz-compare)."""

import re

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterString, QgsWkbTypes, QgsCoordinateTransform)

from . import common
from .base import Base

DEFAULT_PROPOSALS = "equal 5 km=sym:5km\nequal 10 km=sym:10km\none-sided=a:10km,b:0"
COLUMNS = [("proposal", common.STRING), ("spec", common.STRING), ("side_a", common.STRING),
           ("side_b", common.STRING), ("distance_a_m", common.DOUBLE),
           ("distance_b_m", common.DOUBLE), ("zone_a_km2", common.DOUBLE),
           ("zone_b_km2", common.DOUBLE), ("buffer_zone_km2", common.DOUBLE),
           ("ratio_a_b", common.DOUBLE)]
PLACE_COLUMNS = [("places_a", common.INT), ("population_a", common.DOUBLE),
                 ("places_b", common.INT), ("population_b", common.DOUBLE)]


_BARE = re.compile(r"^\s*[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?\s*$")


def _km(spec):
    """A bare number in a spec means km, as in bz-compare ("a:10,b:0" = "a:10km,b:0km")."""
    if spec.startswith("zone:"):
        return spec
    head, colon, rest = spec.partition(":") if spec.startswith("sym:") else ("", "", spec)
    parts = []
    for tok in rest.split(","):
        side, c, value = tok.rpartition(":")
        parts.append(side + c + (value.strip() + "km" if _BARE.match(value) else value))
    return head + colon + ",".join(parts)


def parse_proposals(text):
    """[(name, spec, spec with km units)] from 'NAME=SPEC' items, one per line or separated
    by ';' (as bz-compare --proposal NAME=SPEC; without NAME= the spec is its own name)."""
    out = []
    for item in text.replace(";", "\n").splitlines():
        item = item.strip()
        if not item:
            continue
        name, eq, spec = item.partition("=")
        out.append((name.strip(), spec.strip()) if eq else (item, item))
    out = [(n, s, _km(s)) for n, s in out]
    if not out:
        raise QgsProcessingException("Proposals: give at least one NAME=SPEC")
    return out


class CompareProposals(Base):
    ID = "compare"
    NAME = "Compare proposals"
    HELP = """Withdrawal proposals along one contact line, side by side (as bz-compare): per \
proposal the area each side gives up (km², ellipsoidal), the buffer zone, the ratio between \
the sides and, with a places layer, how many settlements and people lie inside each side's \
zone.

<b>Sides</b>: Contact line (+ Region), or Territory + Region (the line is derived once), as in \
Withdrawal zones.
<b>Proposals</b>: NAME=SPEC, one per line (or separated by ';'). SPEC is a distance for both \
sides ("10km", "5000m", "6mi", "2.5nmi"; a bare number is km, as in bz-compare), "sym:10km", \
"a:10km,b:0" or "left:5km,right:0" (a missing side withdraws 0), or "zone:FILE" (an explicit \
zone polygon file split between the sides).
<b>Places</b> (optional point layer) with a name field and a population field (default: \
name, population).
Output: a table (no geometry), one row per proposal, with the columns of bz-compare --csv."""

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_sides()
        self.addParameter(QgsProcessingParameterString(
            "PROPOSALS", "Proposals (NAME=SPEC, one per line; distances with units)",
            defaultValue=DEFAULT_PROPOSALS, multiLine=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "PLACES", "Places (points, optional)", [QgsProcessing.TypeVectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "PLACE_NAME_FIELD", "Place name field", defaultValue="name",
            parentLayerParameterName="PLACES", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "POPULATION_FIELD", "Population field", defaultValue="population",
            parentLayerParameterName="PLACES", type=QgsProcessingParameterField.Numeric,
            optional=True))
        self.add_names()
        self.add_tolerance()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Comparison table", type=QgsProcessing.TypeVector))

    def places(self, parameters, context, feedback, bz):
        src = self.parameterAsSource(parameters, "PLACES", context)
        if src is None:
            return None
        label = common.describe("Places", common.layer_name(src, parameters, "PLACES", context))
        nf = self.parameterAsString(parameters, "PLACE_NAME_FIELD", context) or "name"
        pf = self.parameterAsString(parameters, "POPULATION_FIELD", context) or "population"
        fnames = src.fields().names()
        xform = QgsCoordinateTransform(src.sourceCrs(), common.WGS84, context.transformContext())
        names, lons, lats, pops = [], [], [], []
        for f in src.getFeatures():
            g = f.geometry()
            if g is None or g.isNull():
                continue
            if not xform.isShortCircuited():
                g.transform(xform)
            for p in g.asMultiPoint() if g.isMultipart() else [g.asPoint()]:
                names.append(str(f[nf]) if nf in fnames and f[nf] is not None else None)
                v = f[pf] if pf in fnames else None
                try:
                    pops.append(float(v) if v is not None else float("nan"))
                except (TypeError, ValueError):
                    raise QgsProcessingException("%s, feature %d: population %r is not a number"
                                                 % (label, f.id(), v)) from None
                lons.append(p.x())
                lats.append(p.y())
        return bz.Places.from_arrays(names, lons, lats, pops)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        bz = common.bufferzone()
        proposals = parse_proposals(self.parameterAsString(parameters, "PROPOSALS", context))
        inputs, names = self.sides(parameters, context, feedback)
        places = self.places(parameters, context, feedback, bz)
        side_names = self.side_names(parameters, context, inputs)
        tol = self.parameterAsDouble(parameters, "TOLERANCE", context)
        line = inputs["line"]
        try:
            if line is None:  # derive once, not per proposal
                line = bz.derive(inputs["territory"], inputs["region"], tolerance=tol)
            cols = COLUMNS + (PLACE_COLUMNS if places is not None else [])
            sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, common.fields(*cols),
                                              QgsWkbTypes.NoGeometry, common.WGS84)
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
            # One proposal at a time: progress and cancelling between proposals.
            for i, (name, spec, spec_km) in enumerate(proposals):
                if feedback.isCanceled():
                    raise QgsProcessingException("cancelled")
                feedback.pushInfo("proposal %s: %s" % (name, spec))
                df = bz.compare(line, proposals={name: spec_km}, territory=inputs["territory"],
                                region=inputs["region"], places=places, names=side_names,
                                tolerance=tol)
                row = df.iloc[0]
                vals = [name, spec] + [row[c] for c, _ in cols[2:]]
                vals = [v.item() if hasattr(v, "item") else v for v in vals]
                common.add_feature(sink, None, vals, feedback)
                feedback.setProgress(100.0 * (i + 1) / len(proposals))
        except bz.Error as e:
            raise common.library_error(e, names) from None
        return {"OUTPUT": dest}
