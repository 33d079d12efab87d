/*
 * io/style.c — QGIS styles (QML, SLD) for the writer's layers, in bz-render's look (palette.h,
 * shared with bz-render and the simplestyle properties): zones filled in their side's colour,
 * withdrawal lines dashed in it, the contact line bold and dark on a white halo, the buffer zone
 * an outline only, zone areas as labels where they fit inside the zone.
 *
 * Written for QGIS 3.22 (Debian 12) and later, which read symbol layer properties as <prop k v>
 * (every QGIS 3 does). The document has no <layerGeometryType>: QGIS refuses a style whose
 * geometry type differs from the layer's, and one sidecar must serve each geometry type QGIS
 * splits a mixed GeoJSON file into. A rule whose symbol does not fit a feature's geometry
 * draws nothing, so the rule-based renderer can hold fill, line and marker rules side by side.
 */
#include "io/style.h"
#include "core/context.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bzi_look bzi_style_look(const char *kind, const char *side, size_t colour, int cls)
{
    return bzi_look_of(bzi_mark_of(kind), side ? (int)(colour % BZI_PALETTE_SIDES) : -1, cls == 2);
}

/* "#rrggbb" as QGIS's "r,g,b,a". */
static void qgis_colour(char *buf, size_t size, const char *hex, double opacity)
{
    unsigned long v = strtoul(hex + 1, NULL, 16);
    snprintf(buf, size, "%lu,%lu,%lu,%d", (v >> 16) & 255, (v >> 8) & 255, v & 255,
             (int)lround(opacity * 255.0));
}

/* Text into an XML attribute value. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\n': fputs("&#10;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A QGIS expression string literal ('it''s'), XML-escaped. */
static void xml_literal(FILE *f, const char *s)
{
    fputs("&apos;", f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("&apos;&apos;", f);
        else {
            char c[2] = {*s, '\0'};
            xml_text(f, c);
        }
    }
    fputs("&apos;", f);
}

static void prop(FILE *f, const char *k, const char *v)
{
    fprintf(f, "          <prop k=\"%s\" v=\"%s\"/>\n", k, v);
}

/* How one item is drawn: the shared look, in QGIS's terms. */
typedef struct look {
    int cls;                 /* 0 marker, 1 line, 2 fill */
    bzi_look l;              /* colours, opacities, widths in pixels (palette.h) */
    char fill[32], line[32]; /* QGIS colours "r,g,b,a" */
    char width[16];          /* line / outline width, mm */
} look;

static int is_kind(const bzi_style_item *it, const char *kind)
{
    return it->kind && strcmp(it->kind, kind) == 0;
}

static void mm(char *buf, size_t size, double px)
{
    snprintf(buf, size, "%.4g", px * BZI_PX_MM);
}

static void look_for(look *l, const bzi_style_item *it)
{
    l->cls = it->cls;
    l->l = bzi_style_look(it->kind, it->side, it->colour, it->cls);
    qgis_colour(l->fill, sizeof l->fill, l->l.fill, it->cls == 2 ? l->l.fill_opacity : 1.0);
    qgis_colour(l->line, sizeof l->line, l->l.stroke, l->l.stroke_opacity);
    mm(l->width, sizeof l->width, l->l.width_px);
}

/* The white line under a haloed line: locked, so that QgsSymbol::color() (the first unlocked
 * layer's) is the line's own colour. */
static void halo_layer(FILE *f, const look *l)
{
    char width[16];
    mm(width, sizeof width, l->l.halo_px);
    fputs("        <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"1\">\n", f);
    prop(f, "line_color", "255,255,255,255");
    prop(f, "line_style", "solid");
    prop(f, "line_width", width);
    prop(f, "line_width_unit", "MM");
    prop(f, "capstyle", "round");
    prop(f, "joinstyle", "round");
    fputs("        </layer>\n", f);
}

static void symbol(FILE *f, const look *l, const char *name)
{
    static const char *const type[] = {"marker", "line", "fill"};
    fprintf(f,
            "      <symbol type=\"%s\" name=\"%s\" alpha=\"1\" clip_to_extent=\"1\" "
            "force_rhr=\"0\">\n",
            type[l->cls], name);
    if (l->cls == 2) {
        fputs("        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n", f);
        prop(f, "color", l->fill);
        prop(f, "style", l->l.fill_opacity > 0.0 ? "solid" : "no");
        prop(f, "outline_color", l->line);
        prop(f, "outline_style", l->l.stroke_opacity > 0.0 ? "solid" : "no");
        prop(f, "outline_width", l->width);
        prop(f, "outline_width_unit", "MM");
        prop(f, "joinstyle", "round");
    } else if (l->cls == 1) {
        if (l->l.halo_px > 0.0)
            halo_layer(f, l);
        fputs("        <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">\n", f);
        prop(f, "line_color", l->line);
        prop(f, "line_style", l->l.dashed ? "dash" : "solid");
        prop(f, "line_width", l->width);
        prop(f, "line_width_unit", "MM");
        prop(f, "capstyle", l->l.dashed ? "flat" : "round"); /* round caps would close gaps */
        prop(f, "joinstyle", "round");
        if (l->l.dashed) { /* bz-render's dashes, in mm */
            char dash[40], d[16], g[16];
            mm(d, sizeof d, BZI_DASH_PX);
            mm(g, sizeof g, BZI_GAP_PX);
            snprintf(dash, sizeof dash, "%s;%s", d, g);
            prop(f, "use_custom_dash", "1");
            prop(f, "customdash", dash);
            prop(f, "customdash_unit", "MM");
        }
    } else {
        fputs("        <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">\n", f);
        prop(f, "name", "circle");
        prop(f, "color", l->fill);
        prop(f, "outline_color", l->line);
        prop(f, "outline_width", "0.3");
        prop(f, "outline_width_unit", "MM");
        prop(f, "size", "2.4");
        prop(f, "size_unit", "MM");
    }
    fputs("        </layer>\n      </symbol>\n", f);
}

/* The legend text of an item: "A zone", "contact line", "B" (categories by side). */
static void legend(FILE *f, const bzi_style_item *it, int side_only)
{
    if (it->side)
        xml_text(f, it->side);
    if (side_only && it->side)
        return;
    if (it->side && it->kind)
        fputc(' ', f);
    if (it->kind) {
        for (const char *k = it->kind; *k; k++)
            fputc(*k == '_' ? ' ' : *k, f);
    } else if (!it->side) {
        fputs("features", f);
    }
}

static int has_zone_polygons(const bzi_style_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_kind(&items[i], "zone") && items[i].cls == 2)
            return 1;
    return 0;
}

/* Areas of zones, in the polygon, only where the whole label fits inside it. */
static void labeling(FILE *f)
{
    fputs("  <labeling type=\"simple\">\n"
          "    <settings calloutType=\"simple\">\n"
          "      <text-style fieldName=\"CASE WHEN &quot;kind&quot; = &apos;zone&apos; AND "
          "&quot;area_km2&quot; &gt; 0 THEN format_number(&quot;area_km2&quot;, 0) || "
          "&apos; km²&apos; END\" isExpression=\"1\" fontFamily=\"Sans Serif\" fontSize=\"9\" "
          "fontSizeUnit=\"Point\" fontWeight=\"75\" fontItalic=\"0\" textColor=\"33,37,41,255\" "
          "textOpacity=\"1\" namedStyle=\"Bold\" multilineHeight=\"1\" blendMode=\"0\">\n"
          "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
          "bufferColor=\"255,255,255,255\" bufferOpacity=\"1\" bufferNoFill=\"1\" "
          "bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n"
          "      </text-style>\n"
          "      <text-format wrapChar=\"\" multilineAlign=\"3\" plussign=\"0\" "
          "formatNumbers=\"0\" decimals=\"3\" addDirectionSymbol=\"0\"/>\n"
          "      <placement placement=\"4\" fitInPolygonOnly=\"1\" centroidInside=\"1\" "
          "centroidWhole=\"0\" priority=\"5\" dist=\"0\" distUnits=\"MM\" "
          "overrunDistance=\"0\" overrunDistanceUnit=\"MM\" offsetType=\"0\" "
          "polygonPlacementFlags=\"2\" geometryGenerator=\"\" geometryGeneratorEnabled=\"0\" "
          "geometryGeneratorType=\"PointGeometry\" layerType=\"PolygonGeometry\"/>\n"
          "      <rendering drawLabels=\"1\" obstacle=\"1\" obstacleType=\"1\" "
          "obstacleFactor=\"1\" displayAll=\"0\" upsidedownLabels=\"0\" limitNumLabels=\"0\" "
          "maxNumLabels=\"2000\" minFeatureSize=\"0\" scaleVisibility=\"0\" "
          "fontLimitPixelSize=\"0\" mergeLines=\"0\" labelPerPart=\"0\" zIndex=\"0\"/>\n"
          "    </settings>\n"
          "  </labeling>\n",
          f);
}

/* A GeoPackage layer of one kind: categories by side, or one symbol. */
static void one_kind_renderer(FILE *f, const bzi_style_item *items, size_t n)
{
    int by_side = 0;
    for (size_t i = 0; i < n; i++)
        by_side |= items[i].side != NULL;
    look l;
    if (!by_side || is_kind(&items[0], "contact_line") || is_kind(&items[0], "buffer_zone")) {
        look_for(&l, &items[0]);
        fputs("  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
              "forceraster=\"0\">\n    <symbols>\n",
              f);
        symbol(f, &l, "0");
        fputs("    </symbols>\n  </renderer-v2>\n", f);
        return;
    }
    fputs("  <renderer-v2 type=\"categorizedSymbol\" attr=\"side\" symbollevels=\"0\" "
          "enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        if (!items[i].side)
            continue;
        fputs("      <category value=\"", f);
        xml_text(f, items[i].side);
        fprintf(f, "\" symbol=\"%zu\" label=\"", i);
        legend(f, &items[i], 1);
        fputs("\" render=\"true\"/>\n", f);
    }
    fputs("    </categories>\n    <symbols>\n", f);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "%zu", i);
        look_for(&l, &items[i]);
        if (items[i].side)
            symbol(f, &l, name);
    }
    fputs("    </symbols>\n  </renderer-v2>\n", f);
}

/* Does any item of `kind` (NULL: of no kind) have a side? Only then does a rule for the kind
 * without a side test "side" IS NULL: a layer without a "side" field (a Processing output of
 * bz-derive's or bz-diff's features) makes that test an error, and the rule draws nothing. */
static int kind_has_sides(const bzi_style_item *items, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].side &&
            (kind ? items[i].kind && strcmp(items[i].kind, kind) == 0 : !items[i].kind))
            return 1;
    return 0;
}

/* A layer of several kinds (GeoJSON, a Shapefile of one geometry type): a rule per item. */
static void rule_renderer(FILE *f, const bzi_style_item *items, size_t n)
{
    fputs("  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" "
          "forceraster=\"0\">\n    <rules key=\"{bz-root}\">\n",
          f);
    size_t nsym = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].cls < 0)
            continue; /* a mixed collection: no one symbol draws it */
        fprintf(f, "      <rule key=\"{bz-rule-%zu}\" symbol=\"%zu\" filter=\"", i, nsym++);
        if (items[i].kind) {
            fputs("&quot;kind&quot; = ", f);
            xml_literal(f, items[i].kind);
        } else {
            fputs("&quot;kind&quot; IS NULL", f);
        }
        if (items[i].side) {
            fputs(" AND &quot;side&quot; = ", f);
            xml_literal(f, items[i].side);
        } else if (kind_has_sides(items, n, items[i].kind)) {
            fputs(" AND &quot;side&quot; IS NULL", f);
        }
        fputs("\" label=\"", f);
        legend(f, &items[i], 0);
        fputs("\"/>\n", f);
    }
    fputs("    </rules>\n    <symbols>\n", f);
    nsym = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].cls < 0)
            continue;
        char name[32];
        snprintf(name, sizeof name, "%zu", nsym++);
        look l;
        look_for(&l, &items[i]);
        symbol(f, &l, name);
    }
    fputs("    </symbols>\n  </renderer-v2>\n", f);
}

/* Close the memory stream f (open_memstream(text, ...)) and hand its text out as *out; a
 * failure on the way is running out of memory, named by `what`. */
static int close_text(char **out, bz_context *ctx, FILE *f, char **text, const char *what)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || !*text) {
        free(*text);
        return bzi_nomem(ctx, what);
    }
    *out = *text;
    return BZ_OK;
}

int bzi_style_qml(char **out, bz_context *ctx, const bzi_style_item *items, size_t n, int one_kind)
{
    *out = NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return bzi_nomem(ctx, "making a QGIS style");
    int labels = has_zone_polygons(items, n);
    fprintf(f,
            "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            "<!-- Written by bufferzone: the look of bz-render's map. -->\n"
            "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" "
            "labelsEnabled=\"%d\">\n",
            labels);
    if (n == 0) {
        fputs("  <renderer-v2 type=\"nullSymbol\"/>\n", f);
    } else if (one_kind) {
        one_kind_renderer(f, items, n);
    } else {
        rule_renderer(f, items, n);
    }
    if (labels)
        labeling(f);
    fputs("  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
          "  <layerOpacity>1</layerOpacity>\n</qgis>\n",
          f);
    return close_text(out, ctx, f, &text, "making a QGIS style");
}

/* SLD 1.1 (OGC Symbology Encoding) for other software that reads layer_styles: a rule per
 * item, filtered on kind (a layer of several kinds) and side. Widths in pixels (SLD's unit),
 * as bz-render draws them at 96 dpi. */
static void sld_parameter(FILE *f, const char *name, const char *value)
{
    fprintf(f, "            <se:SvgParameter name=\"%s\">%s</se:SvgParameter>\n", name, value);
}

/* A polygon's <se:Fill> or <se:Stroke> (element), its colour and opacity (name, name-opacity),
 * and a stroke's width when given. */
static void sld_paint(FILE *f, const char *element, const char *name, const char *colour,
                      double opacity, const char *width)
{
    char key[32], value[16];
    snprintf(value, sizeof value, "%.3g", opacity);
    snprintf(key, sizeof key, "%s-opacity", name);
    fprintf(f, "          <se:%s>\n", element);
    sld_parameter(f, name, colour);
    sld_parameter(f, key, value);
    if (width)
        sld_parameter(f, "stroke-width", width);
    fprintf(f, "          </se:%s>\n", element);
}

static void sld_equal(FILE *f, const char *field, const char *value)
{
    fprintf(f, "          <ogc:PropertyIsEqualTo><ogc:PropertyName>%s</ogc:PropertyName>", field);
    fputs("<ogc:Literal>", f);
    xml_text(f, value);
    fputs("</ogc:Literal></ogc:PropertyIsEqualTo>\n", f);
}

static void sld_rule(FILE *f, const bzi_style_item *it, int one_kind)
{
    look l;
    look_for(&l, it);
    fputs("      <se:Rule>\n        <se:Name>", f);
    legend(f, it, 0);
    fputs("</se:Name>\n", f);
    int by_kind = !one_kind && it->kind, by_side = it->side != NULL;
    if (by_kind || by_side) {
        fputs("        <ogc:Filter>\n", f);
        if (by_kind && by_side)
            fputs("         <ogc:And>\n", f);
        if (by_kind)
            sld_equal(f, "kind", it->kind);
        if (by_side)
            sld_equal(f, "side", it->side);
        if (by_kind && by_side)
            fputs("         </ogc:And>\n", f);
        fputs("        </ogc:Filter>\n", f);
    }
    char width[16];
    snprintf(width, sizeof width, "%.3g", l.l.width_px); /* SLD's unit: pixels */
    if (l.cls == 2) {
        fputs("        <se:PolygonSymbolizer>\n", f);
        if (l.l.fill_opacity > 0.0)
            sld_paint(f, "Fill", "fill", l.l.fill, l.l.fill_opacity, NULL);
        if (l.l.stroke_opacity > 0.0)
            sld_paint(f, "Stroke", "stroke", l.l.stroke, l.l.stroke_opacity, width);
        fputs("        </se:PolygonSymbolizer>\n", f);
    } else if (l.cls == 1) {
        fputs("        <se:LineSymbolizer>\n          <se:Stroke>\n", f);
        sld_parameter(f, "stroke", l.l.stroke);
        sld_parameter(f, "stroke-width", width);
        if (l.l.dashed) {
            char dash[32];
            snprintf(dash, sizeof dash, "%g %g", BZI_DASH_PX, BZI_GAP_PX);
            sld_parameter(f, "stroke-dasharray", dash);
        }
        fputs("          </se:Stroke>\n        </se:LineSymbolizer>\n", f);
    } else {
        fputs("        <se:PointSymbolizer>\n          <se:Graphic>\n"
              "            <se:Mark><se:WellKnownName>circle</se:WellKnownName>\n"
              "              <se:Fill>\n",
              f);
        sld_parameter(f, "fill", l.l.fill);
        fputs("              </se:Fill>\n            </se:Mark>\n"
              "            <se:Size>9</se:Size>\n          </se:Graphic>\n"
              "        </se:PointSymbolizer>\n",
              f);
    }
    fputs("      </se:Rule>\n", f);
}

int bzi_style_sld(char **out, bz_context *ctx, const char *layer, const bzi_style_item *items,
                  size_t n, int one_kind)
{
    *out = NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return bzi_nomem(ctx, "making an SLD style");
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
          "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" "
          "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
          "xsi:schemaLocation=\"http://www.opengis.net/sld "
          "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
          "  <NamedLayer>\n    <se:Name>",
          f);
    xml_text(f, layer);
    fputs("</se:Name>\n    <UserStyle>\n      <se:Name>", f);
    xml_text(f, layer);
    fputs("</se:Name>\n      <se:FeatureTypeStyle>\n", f);
    for (size_t i = 0; i < n; i++)
        if (items[i].cls >= 0)
            sld_rule(f, &items[i], one_kind);
    fputs("      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n"
          "</StyledLayerDescriptor>\n",
          f);
    return close_text(out, ctx, f, &text, "making an SLD style");
}

/* ---------------------------------------------------------------------------------------- */
/* Where styles go                                                                          */
/* ---------------------------------------------------------------------------------------- */

int bzi_style_sidecar(bz_context *ctx, const char *dir, const char *name, const char *qml,
                      const char *shown)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return bzi_error(ctx, BZ_ERR_IO, "writing %s: the style's path is too long", shown);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    int e = fd < 0 ? errno : 0;
    size_t len = strlen(qml), off = 0;
    while (e == 0 && off < len) {
        ssize_t k = write(fd, qml + off, len - off);
        if (k > 0)
            off += (size_t)k;
        else if (k == 0)
            e = EIO;
        else if (errno != EINTR)
            e = errno;
    }
    if (e == 0 && fsync(fd) != 0)
        e = errno;
    if (fd >= 0 && close(fd) != 0 && e == 0)
        e = errno;
    if (e != 0)
        return bzi_error(ctx, BZ_ERR_IO, "writing %s: its QGIS style %s: %s", shown, name,
                         strerror(e));
    return BZ_OK;
}

/* The columns QGIS's OGR provider gives the table (QgsOgrProviderMetadata::saveStyle). */
static int make_table(OGRLayerH *out, bz_context *ctx, GDALDatasetH ds, const char *shown,
                      bzi_gdal_quiet *q)
{
    /* QGIS's layer_styles table, column by column (data: its rows are alike on purpose) */
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } cols[] = {
        {"f_table_catalog", OFTString, 256},
        {"f_table_schema", OFTString, 256},
        {"f_table_name", OFTString, 256},
        {"f_geometry_column", OFTString, 256},
        {"styleName", OFTString, 30},
        {"styleQML", OFTString, 0},
        {"styleSLD", OFTString, 0},
        {"useAsDefault", OFTInteger, 0},
        {"description", OFTString, 0},
        {"owner", OFTString, 30},
        {"ui", OFTString, 30},
        {"update_time", OFTDateTime, 0},
    };
    char **lco = CSLSetNameValue(NULL, "FID", "id");
    OGRLayerH t = GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone, lco);
    CSLDestroy(lco);
    if (!t)
        return bzi_error(ctx, BZ_ERR_IO, "writing %s: cannot create its QGIS style table: %s",
                         shown, bzi_gdal_msg(q));
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
        if (!fd)
            return bzi_nomem(ctx, "making the QGIS style table");
        if (cols[i].width)
            OGR_Fld_SetWidth(fd, cols[i].width);
        if (strcmp(cols[i].name, "useAsDefault") == 0)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (cols[i].type == OFTDateTime)
            OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
        OGRErr err = OGR_L_CreateField(t, fd, 1);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return bzi_error(ctx, BZ_ERR_IO, "writing %s: QGIS style table, column %s: %s", shown,
                             cols[i].name, bzi_gdal_msg(q));
    }
    *out = t;
    return BZ_OK;
}

int bzi_style_table_add(OGRLayerH *table, bz_context *ctx, GDALDatasetH ds, OGRLayerH layer,
                        const char *qml, const char *sld, const char *shown, bzi_gdal_quiet *q)
{
    int rc = *table ? BZ_OK : make_table(table, ctx, ds, shown, q);
    if (rc != BZ_OK)
        return rc;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(*table));
    if (!f)
        return bzi_nomem(ctx, "adding a QGIS style");
    const char *name = OGR_L_GetName(layer);
    const char *geom = OGR_L_GetGeometryColumn(layer);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "f_table_catalog"), "");
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "f_table_schema"), "");
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "f_table_name"), name);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "f_geometry_column"), geom ? geom : "");
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "styleName"), name);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "styleQML"), qml);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "styleSLD"), sld);
    OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault"), 1);
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "description"),
                         "bufferzone: the look of bz-render's map");
    OGR_F_SetFieldString(f, OGR_F_GetFieldIndex(f, "owner"), "");
    OGRErr err = OGR_L_CreateFeature(*table, f);
    OGR_F_Destroy(f);
    if (err != OGRERR_NONE)
        return bzi_error(ctx, BZ_ERR_IO, "writing %s: the QGIS style of layer %s: %s", shown, name,
                         bzi_gdal_msg(q));
    return BZ_OK;
}

/* The public face of palette.h, for programs that draw in the library's look (bz-render). */
_Static_assert(BZ_LOOK_SIDE_COLOURS == BZI_PALETTE_SIDES, "bufferzone.h and palette.h disagree");

int bz_look_of(bz_look *out, bz_context *ctx, const char *kind, int side, int polygonal)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_look_of: NULL argument");
    if (bzi_check_options_version(ctx, "bz_look_of", "bz_look", out->version, BZ_LOOK_VERSION) !=
        BZ_OK)
        return BZ_ERR_ARGUMENT;
    bzi_look l = bzi_look_of(bzi_mark_of(kind), side < 0 ? -1 : side, polygonal);
    out->fill = l.fill;
    out->stroke = l.stroke;
    out->fill_opacity = l.fill_opacity;
    out->stroke_opacity = l.stroke_opacity;
    out->width_px = l.width_px;
    out->dash_px = l.dashed ? BZI_DASH_PX : 0.0;
    out->gap_px = l.dashed ? BZI_GAP_PX : 0.0;
    out->halo_px = l.halo_px;
    return BZ_OK;
}
