/*
 * bz-zones — both sides' withdrawal zones along a contact line, written to a GIS file, with a
 * summary table (or JSON). The library's main job, start to finish:
 *   read the line / region / territory  ->  bz_zones_compute  ->  bz_zones_write  ->  summary.
 */
#include "tool_common.h"
#include "tool_options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage:\n"
    "  bz-zones LINE -d D -o OUTPUT [options]                          sides: left/right of LINE\n"
    "  bz-zones LINE --region POLY -d D -o OUTPUT [options]            the region split by LINE\n"
    "  bz-zones --territory POLY --region POLY -d D -o OUTPUT [options]  line derived\n"
    "\n"
    "Computes both sides' withdrawal zones along a contact line (exact geodesic distances on\n"
    "the WGS84 ellipsoid), writes them with the withdrawal lines, the contact line and the\n"
    "buffer zone, and prints each side's zone area and withdrawal-line length.\n"
    "\n"
    "Inputs (any format GDAL reads: GeoJSON, Shapefile, GeoPackage, KML, ...; '-' = stdin):\n"
    "  LINE                    the contact line (LineString features, merged)\n"
    "  --region POLY           clip to this area (e.g. a country outline); with LINE it is\n"
    "                          split into the part left of the line and the part right of it\n"
    "  --territory POLY        the area held by side A; side B is the rest of --region\n"
    "  --layer L               read this layer of LINE (of --territory when there is no LINE)\n"
    "  --where SQL             OGR SQL filter for the same input, e.g. \"name = 'front'\"\n"
    "  --make-valid            repair invalid polygons (rings that cross or touch themselves,\n"
    "                          as in many TopoJSON and hand-drawn maps) instead of stopping\n"
    "  --tolerance D           territory form without LINE: territory edge within D of the\n"
    "                          region's edge is border, not front (default 1km)\n"
    "\n"
    "Distances (m, km, mi, nmi; a bare number means km):\n"
    "  -d, --distance D        both sides withdraw D\n"
    "  --a D, --b D            side A / side B withdraws D (override -d)\n"
    "  --left D, --right D     the same as --a / --b: A is left of the line, B right\n"
    "\n"
    "Output:\n"
    "  -o, --output OUTPUT     .geojson, .shp, .gpkg, ... ('-' = GeoJSON on stdout)\n"
    "  -f, --format FORMAT     OGR driver name, e.g. GPKG (default: from the extension)\n"
    "  --overwrite             replace OUTPUT if it exists (atomically; a symlink's target is\n"
    "                          replaced, a FIFO or /dev/stdout is written into)\n"
    "  --no-style              write no QGIS style (by default a .gpkg carries one per layer,\n"
    "                          .geojson and .shp get a .qml file beside them)\n"
    "  --names A,B             names of the sides (default left,right with a line given,\n"
    "                          A,B in the territory form)\n"
    "  --json                  print the summary as JSON instead of a table\n"
    "  --threads N             worker threads (0 = one per CPU, the default)\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "Examples:\n"
    "  bz-zones examples/data/donbas_contact_line_2015.geojson -d 15km -o zones.geojson\n"
    "  bz-zones examples/data/korea_mdl_lsib.geojson --region examples/data/korea_outline.geojson "
    "\\\n"
    "           -d 2km --names North,South -o dmz.gpkg\n"
    "  bz-zones --territory occupied.geojson --region ukraine.geojson --a 10km --b 5km \\\n"
    "           --names occupied,Ukraine -o zones.gpkg --json > summary.json\n"
    "\n"
    "Exit status: 0 success, 1 processing error (file, geometry), 2 usage error.\n";

struct args {
    const char *line, *region, *territory, *layer, *where, *output, *format, *names;
    double dist_a, dist_b, dist_both, tolerance;
    int have_a, have_b, have_both, overwrite, json, threads;
    int no_style; /* --no-style */
};

/* Returns -1 to go on, or the exit code (help, version, usage error). */
static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->tolerance = 1000.0;
    const tool_opt opts[] = {
        TOOL_OPT_DISTANCE("distance", 'd', &a->dist_both, &a->have_both, "-d"),
        TOOL_OPT_DISTANCE("left", 0, &a->dist_a, &a->have_a, NULL),
        TOOL_OPT_DISTANCE("right", 0, &a->dist_b, &a->have_b, NULL),
        TOOL_OPT_DISTANCE("a", 0, &a->dist_a, &a->have_a, NULL),
        TOOL_OPT_DISTANCE("b", 0, &a->dist_b, &a->have_b, NULL),
        TOOL_OPT_SIDES(&a->region, &a->territory, &a->names, &a->layer, &a->where),
        TOOL_OPT_MAKE_VALID,
        TOOL_OPT_OUTPUT(&a->output, &a->format, &a->overwrite, &a->no_style),
        TOOL_OPT_FLAG("json", 0, &a->json),
        TOOL_OPT_THREADS("threads", &a->threads),
        TOOL_OPT_DISTANCE("tolerance", 0, &a->tolerance, NULL, NULL),
        TOOL_OPT_TABLE_END,
    };
    int rc = tool_parse_options(argc, argv, opts, usage_text);
    if (rc != -1)
        return rc;
    rc = tool_take_line(argc, argv, &a->line, a->territory, a->region,
                        "--territory needs --region (side B is the region minus the territory)");
    if (rc != -1)
        return rc;
    if (!a->output)
        return tool_usage_error("no output: give -o OUTPUT (or -o - for GeoJSON on stdout)");
    if (!a->have_a && a->have_both)
        a->dist_a = a->dist_both, a->have_a = 1;
    if (!a->have_b && a->have_both)
        a->dist_b = a->dist_both, a->have_b = 1;
    if (!a->have_a || !a->have_b)
        return tool_usage_error("no distance for side %s: give -d D, or both --a D and --b D",
                                a->have_a ? "B" : "A");
    if (tool_check_stdout_format(a->output, a->format) != TOOL_OK)
        return TOOL_USAGE;
    if (a->json && strcmp(a->output, "-") == 0)
        return tool_usage_error("--json and -o - both want standard output; pick one");
    return -1;
}

static void print_table(FILE *out, const bz_zones *z, const char *names[2])
{
    tool_table *t = tool_table_new(4);
    char buf[4][64];
    tool_table_add(t, "");
    tool_table_add(t, "withdraws");
    tool_table_add(t, "area km²");
    tool_table_add(t, "line km");
    for (int s = 0; s < 2; s++) {
        bz_side side = s == 0 ? BZ_SIDE_A : BZ_SIDE_B;
        tool_table_add(t, names[s]);
        tool_table_add(t, tool_fmt_distance(buf[0], sizeof buf[0], bz_zones_distance(z, side)));
        tool_table_add(t,
                       tool_fmt_number(buf[1], sizeof buf[1], bz_zones_area(z, side) / 1e6, 1, 0));
        tool_table_add(t, tool_fmt_number(buf[2], sizeof buf[2],
                                          bz_zones_withdrawal_length(z, side) / 1e3, 1, 0));
    }
    tool_table_add(t, "buffer zone");
    tool_table_add(t, "");
    tool_table_add(t, tool_fmt_number(buf[3], sizeof buf[3], bz_zones_buffer_area(z) / 1e6, 1, 0));
    tool_table_add(t, "");
    tool_table_add(t, "contact line");
    tool_table_add(t, "");
    tool_table_add(t, "");
    tool_table_add(t,
                   tool_fmt_number(buf[0], sizeof buf[0], bz_zones_contact_length(z) / 1e3, 1, 0));
    tool_table_print(t, out);
    tool_table_free(t);
    fprintf(out,
            "(line km: each side's withdrawal line; area and length are ellipsoidal; largest "
            "deviation from the exact distance %.2f m)\n",
            bz_zones_max_error(z));
}

static void print_json(FILE *out, const bz_zones *z, const char *names[2])
{
    fputs("{\n  \"contact_line_km\": ", out);
    tool_json_number(out, bz_zones_contact_length(z) / 1e3, 4);
    fputs(",\n  \"buffer_zone_km2\": ", out);
    tool_json_number(out, bz_zones_buffer_area(z) / 1e6, 4);
    fputs(",\n  \"max_error_m\": ", out);
    tool_json_number(out, bz_zones_max_error(z), 4);
    fputs(",\n  \"sides\": [\n", out);
    for (int s = 0; s < 2; s++) {
        bz_side side = s == 0 ? BZ_SIDE_A : BZ_SIDE_B;
        fputs("    {\"name\": ", out);
        tool_json_string(out, names[s]);
        fputs(", \"distance_m\": ", out);
        tool_json_number(out, bz_zones_distance(z, side), 3);
        fputs(", \"zone_km2\": ", out);
        tool_json_number(out, bz_zones_area(z, side) / 1e6, 4);
        fputs(", \"withdrawal_line_km\": ", out);
        tool_json_number(out, bz_zones_withdrawal_length(z, side) / 1e3, 4);
        fputs(s == 0 ? "},\n" : "}\n", out);
    }
    fputs("  ]\n}\n", out);
}

int main(int argc, char **argv)
{
    tool_init(argv[0]);
    struct args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;

    const char *names[2];
    char names_buf[512];
    rc = tool_side_names(a.names, a.territory != NULL, names_buf, sizeof names_buf, names);
    if (rc != TOOL_OK)
        return rc;

    bz_context *ctx = tool_context_new();
    if (!ctx)
        return TOOL_FAIL;
    /* Refuse a bad output now, not after computing. */
    const char *inputs[] = {a.line, a.territory, a.region};
    rc = tool_check_io(ctx, a.output, a.format, a.overwrite, a.no_style, inputs, 3);
    if (rc != TOOL_OK) {
        bz_context_free(ctx);
        return rc;
    }
    bz_line *line = NULL;
    GEOSGeometry *region = NULL, *territory = NULL;
    bz_zones *zones = NULL;
    tool_output out = {0};
    rc = TOOL_FAIL;

    if (bz_context_set_threads(ctx, a.threads) != BZ_OK) {
        tool_bz_fail(ctx, "--threads");
        goto done;
    }
    if (tool_read_sides(&line, &territory, &region, ctx, a.line, a.territory, a.region, a.layer,
                        a.where) != TOOL_OK)
        goto done;

    bz_zone_options zopts = BZ_ZONE_OPTIONS_INIT;
    zopts.derive_tolerance_m = a.tolerance;
    if (bz_zones_compute(&zones, ctx, line, region, territory, a.dist_a, a.dist_b, &zopts) !=
        BZ_OK) {
        tool_bz_fail(ctx, "computing the withdrawal zones");
        goto done;
    }

    if (tool_output_begin(&out, a.output) != TOOL_OK)
        goto done;
    bz_write_options wopts = tool_write_options(&out, a.format, a.overwrite, a.no_style);
    if (bz_zones_write(ctx, zones, out.path, names[0], names[1], &wopts) != BZ_OK) {
        tool_write_failed(ctx, a.output);
        goto done;
    }
    if (tool_output_finish(&out) != TOOL_OK)
        goto done;

    if (a.json)
        print_json(stdout, zones, names);
    else
        print_table(out.to_stdout ? stderr : stdout, zones, names);
    rc = TOOL_OK;

done:
    tool_output_cleanup(&out);
    bz_zones_free(zones);
    bz_geometry_free(ctx, region);
    bz_geometry_free(ctx, territory);
    bz_line_free(line);
    bz_context_free(ctx);
    return rc;
}
