/*
 * bz-derive — the contact line of a control map: the edge of an occupied-area polygon that is
 * neither state border nor coast (bz_line_derive), written as a line file with its length.
 */
#include "tool_common.h"
#include "tool_options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage:\n"
    "  bz-derive --territory POLY --region POLY -o LINE [options]\n"
    "\n"
    "Derives the contact line from a control map: the part of the territory's edge inside the\n"
    "region and farther than the tolerance from the region's own edge (state border, coast).\n"
    "Each piece runs with the territory on its LEFT (side A). Reports the line's geodesic\n"
    "length and its pieces.\n"
    "\n"
    "  --territory POLY        the area one side holds (e.g. an occupied-area map)\n"
    "  --region POLY           the whole area (e.g. the country's outline)\n"
    "  --layer L, --where SQL  select features of the territory file\n"
    "  --make-valid            repair invalid polygons (rings that cross or touch themselves,\n"
    "                          as in many TopoJSON and hand-drawn maps) instead of stopping\n"
    "  --tolerance D           territory edge within D of the region's edge is border, not\n"
    "                          front (default 1km; absorbs disagreement between datasets)\n"
    "  --min-length D          drop pieces shorter than D (default 0: keep all)\n"
    "  -o, --output LINE       .geojson, .shp, .gpkg, ... ('-' = GeoJSON on stdout)\n"
    "  -f, --format FORMAT     OGR driver name (default: from the extension)\n"
    "  --overwrite             replace LINE if it exists (atomically; a symlink's target is\n"
    "                          replaced, a FIFO or /dev/stdout is written into)\n"
    "  --no-style              write no QGIS style (by default a .gpkg carries one per layer,\n"
    "                          .geojson and .shp get a .qml file beside them)\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "Distances take a unit (m, km, mi, nmi); a bare number means km.\n"
    "\n"
    "Examples:\n"
    "  bz-derive --territory examples/data/donbas_breakaway_2015.geojson \\\n"
    "            --region examples/data/ukraine_outline.geojson -o line.geojson\n"
    "  bz-derive --territory occupied.geojson --region oblasts.geojson --tolerance 2km \\\n"
    "            --min-length 5km -o front.gpkg --overwrite\n"
    "\n"
    "Exit status: 0 success, 1 processing error (file, geometry, no line left), 2 usage error.\n";

struct args {
    const char *territory, *region, *layer, *where, *output, *format;
    double tolerance, min_length;
    int overwrite;
    int no_style; /* --no-style */
};

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->tolerance = 1000.0;
    const tool_opt opts[] = {
        TOOL_OPT_TEXT("territory", 0, &a->territory),
        TOOL_OPT_TEXT("region", 0, &a->region),
        TOOL_OPT_MAKE_VALID,
        TOOL_OPT_TEXT("layer", 0, &a->layer),
        TOOL_OPT_TEXT("where", 0, &a->where),
        TOOL_OPT_DISTANCE("tolerance", 0, &a->tolerance, NULL, NULL),
        TOOL_OPT_DISTANCE("min-length", 0, &a->min_length, NULL, NULL),
        TOOL_OPT_OUTPUT(&a->output, &a->format, &a->overwrite, &a->no_style),
        TOOL_OPT_TABLE_END,
    };
    int rc = tool_parse_options(argc, argv, opts, usage_text);
    if (rc != -1)
        return rc;
    if (optind < argc)
        return tool_usage_error("unexpected argument '%s'", argv[optind]);
    if (!a->territory || !a->region)
        return tool_usage_error("give both --territory POLY and --region POLY");
    if (!a->output)
        return tool_usage_error("no output: give -o LINE (or -o - for GeoJSON on stdout)");
    if (tool_check_stdout_format(a->output, a->format) != TOOL_OK)
        return TOOL_USAGE;
    return -1;
}

/* Geodesic length of one part, summed segment by segment. */
static double part_length(bz_context *ctx, const bz_line *line, size_t part, size_t *npoints)
{
    const double *xy = bz_line_part_coords(line, part, npoints);
    double total = 0.0;
    for (size_t i = 0; xy && i + 1 < *npoints; i++) {
        double d = 0.0;
        if (bz_geodesic_inverse(&d, NULL, NULL, ctx, xy[2 * i], xy[2 * i + 1], xy[2 * i + 2],
                                xy[2 * i + 3]) == BZ_OK)
            total += d;
    }
    return total;
}

static void print_report(FILE *out, bz_context *ctx, const bz_line *line, double length_m)
{
    size_t nparts = bz_line_num_parts(line);
    char buf[3][64];
    fprintf(out, "Contact line: %s km in %zu piece%s, %zu vertices\n",
            tool_fmt_number(buf[0], sizeof buf[0], length_m / 1e3, 1, 0), nparts,
            nparts == 1 ? "" : "s", bz_line_num_points(line));
    tool_table *t = tool_table_new(5);
    tool_table_add(t, "piece");
    tool_table_add(t, "km");
    tool_table_add(t, "vertices");
    tool_table_add(t, "from (lon, lat)");
    tool_table_add(t, "to (lon, lat)");
    tool_table_align(t, "rrrll");
    for (size_t p = 0; p < nparts; p++) {
        size_t n = 0;
        double len = part_length(ctx, line, p, &n);
        const double *xy = bz_line_part_coords(line, p, &n);
        snprintf(buf[0], sizeof buf[0], "%zu", p + 1);
        tool_table_add(t, buf[0]);
        tool_table_add(t, tool_fmt_number(buf[1], sizeof buf[1], len / 1e3, 1, 0));
        snprintf(buf[2], sizeof buf[2], "%zu", n);
        tool_table_add(t, buf[2]);
        snprintf(buf[0], sizeof buf[0], "%.4f, %.4f", xy[0], xy[1]);
        tool_table_add(t, buf[0]);
        snprintf(buf[0], sizeof buf[0], "%.4f, %.4f", xy[2 * n - 2], xy[2 * n - 1]);
        tool_table_add(t, buf[0]);
    }
    tool_table_print(t, out);
    tool_table_free(t);
}

int main(int argc, char **argv)
{
    tool_init(argv[0]);
    struct args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;

    bz_context *ctx = tool_context_new();
    if (!ctx)
        return TOOL_FAIL;
    /* Refuse a bad output now, not after deriving. */
    const char *inputs[] = {a.territory, a.region};
    rc = tool_check_io(ctx, a.output, a.format, a.overwrite, a.no_style, inputs, 2);
    if (rc != TOOL_OK) {
        bz_context_free(ctx);
        return rc;
    }
    GEOSGeometry *territory = NULL, *region = NULL;
    bz_line *line = NULL;
    bz_writer *w = NULL;
    tool_output out = {0};
    rc = TOOL_FAIL;

    bz_read_options ropts = BZ_READ_OPTIONS_INIT;
    ropts.layer = a.layer;
    ropts.where = a.where;
    if (tool_read_polygon(&territory, ctx, a.territory, "territory", &ropts) != TOOL_OK ||
        tool_read_polygon(&region, ctx, a.region, "region", NULL) != TOOL_OK)
        goto done;

    bz_derive_options dopts = BZ_DERIVE_OPTIONS_INIT;
    dopts.tolerance_m = a.tolerance;
    dopts.min_length_m = a.min_length;
    if (bz_line_derive(&line, ctx, territory, region, &dopts) != BZ_OK) {
        tool_bz_fail(ctx, "deriving the contact line");
        goto done;
    }
    double length_m = 0.0;
    if (bz_line_length(&length_m, ctx, line) != BZ_OK) {
        tool_bz_fail(ctx, "measuring the contact line");
        goto done;
    }

    if (tool_output_begin(&out, a.output) != TOOL_OK)
        goto done;
    bz_write_options wopts = tool_write_options(&out, a.format, a.overwrite, a.no_style);
    bz_feature_attrs attrs = BZ_FEATURE_ATTRS_INIT;
    attrs.kind = "contact_line";
    attrs.name = "derived contact line";
    attrs.length_km = length_m / 1e3;
    if (bz_writer_open(&w, ctx, out.path, &wopts) != BZ_OK ||
        bz_writer_add(w, bz_line_geometry(line), &attrs) != BZ_OK) {
        tool_write_failed(ctx, a.output);
        goto done;
    }
    bz_writer *committing = w;
    w = NULL; /* consumed by commit, also when it fails */
    if (bz_writer_commit(committing) != BZ_OK) {
        tool_write_failed(ctx, a.output);
        goto done;
    }
    if (tool_output_finish(&out) != TOOL_OK)
        goto done;
    print_report(out.to_stdout ? stderr : stdout, ctx, line, length_m);
    rc = TOOL_OK;

done:
    bz_writer_abort(w);
    tool_output_cleanup(&out);
    bz_line_free(line);
    bz_geometry_free(ctx, territory);
    bz_geometry_free(ctx, region);
    bz_context_free(ctx);
    return rc;
}
