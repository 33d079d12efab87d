/*
 * bz-diff — how a territory changed between two dates: the area that changed hands in each
 * direction (bz_territory_diff), optionally per administrative unit (bz_intersection_area),
 * and the changed polygons as a file (kind "gained" / "lost").
 */
#include "tool_common.h"
#include "tool_options.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage:\n"
    "  bz-diff OLD NEW [--region POLY] [--by ADMIN --by-field FIELD] [-o CHANGES] [options]\n"
    "\n"
    "Compares the territory one side holds at two dates (two polygon files, e.g. occupied-area\n"
    "maps) and reports the area gained (in NEW, not in OLD) and lost (in OLD, not in NEW) in\n"
    "ellipsoidal km², optionally per administrative unit.\n"
    "\n"
    "  OLD, NEW                the territory at the earlier and the later date\n"
    "  --region POLY           count only changes inside this area\n"
    "  --make-valid            repair invalid polygons (rings that cross or touch themselves,\n"
    "                          as in many TopoJSON and hand-drawn maps) instead of stopping\n"
    "  --by ADMIN              split the changes by the polygons of this file (e.g. oblasts)\n"
    "  --by-field FIELD        the attribute naming each unit (default: the first of name,\n"
    "                          NAME, shapeName, ADMIN_1 that the file has)\n"
    "  -o, --output CHANGES    write the changed polygons (kind gained / lost) to this file\n"
    "                          (.geojson, .shp, .gpkg, ...; '-' = GeoJSON on stdout)\n"
    "  -f, --format FORMAT     OGR driver name (default: from the extension)\n"
    "  --overwrite             replace CHANGES if it exists (atomically; a symlink's target is\n"
    "                          replaced, a FIFO or /dev/stdout is written into)\n"
    "  --no-style              write no QGIS style (by default a .gpkg carries one per layer,\n"
    "                          .geojson and .shp get a .qml file beside them)\n"
    "  --json                  print the report as JSON instead of tables\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "Examples:\n"
    "  bz-diff occupied_2024-07-08.geojson occupied_2026-08-22.geojson\n"
    "  bz-diff old.geojson new.geojson --by oblasts.geojson --by-field shapeName \\\n"
    "          -o changes.geojson --overwrite\n"
    "\n"
    "Exit status: 0 success, 1 processing error (file, geometry), 2 usage error.\n";

struct args {
    const char *old_path, *new_path, *region, *by, *by_field, *output, *format;
    int overwrite, json;
    int no_style; /* --no-style */
};

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    const tool_opt opts[] = {
        TOOL_OPT_TEXT("region", 0, &a->region),
        TOOL_OPT_MAKE_VALID,
        TOOL_OPT_TEXT("by", 0, &a->by),
        TOOL_OPT_TEXT("by-field", 0, &a->by_field),
        TOOL_OPT_OUTPUT(&a->output, &a->format, &a->overwrite, &a->no_style),
        TOOL_OPT_FLAG("json", 0, &a->json),
        TOOL_OPT_TABLE_END,
    };
    int rc = tool_parse_options(argc, argv, opts, usage_text);
    if (rc != -1)
        return rc;
    if (argc - optind != 2)
        return tool_usage_error("give two territory files, OLD and NEW (got %d)", argc - optind);
    a->old_path = argv[optind];
    a->new_path = argv[optind + 1];
    if (a->by_field && !a->by)
        return tool_usage_error("--by-field needs --by ADMIN");
    if (tool_check_stdout_format(a->output, a->format) != TOOL_OK)
        return TOOL_USAGE;
    if (a->json && a->output && strcmp(a->output, "-") == 0)
        return tool_usage_error("--json and -o - both want standard output; pick one");
    return -1;
}

/* One administrative unit's share of the change. */
struct unit {
    const char *name;
    double gained_km2, lost_km2;
};

static int by_net_change(const void *pa, const void *pb)
{
    const struct unit *a = pa, *b = pb;
    double na = fabs(a->gained_km2 - a->lost_km2), nb = fabs(b->gained_km2 - b->lost_km2);
    return na < nb ? 1 : na > nb ? -1 : strcmp(a->name, b->name);
}

/* Split gained/lost by the units of the admin file; fills *units (caller frees). */
static int split_by_units(bz_context *ctx, const struct args *a, const GEOSGeometry *gained,
                          const GEOSGeometry *lost, bz_features **admin, struct unit **units,
                          size_t *nunits)
{
    if (bz_read_features(admin, ctx, tool_input_path(a->by), NULL) != BZ_OK)
        return tool_read_failed(ctx, "administrative units", a->by);
    size_t n = bz_features_count(*admin);
    const char *field = a->by_field;
    static const char *guesses[] = {"name", "NAME", "shapeName", "ADMIN_1", "name_en"};
    for (size_t g = 0; !field && n > 0 && g < sizeof guesses / sizeof guesses[0]; g++)
        if (bz_features_attr(*admin, 0, guesses[g]))
            field = guesses[g];
    if (!field)
        return tool_fail("%s: no name, NAME, shapeName or ADMIN_1 attribute; give --by-field",
                         a->by);
    *units = calloc(n ? n : 1, sizeof **units);
    if (!*units)
        return tool_fail("out of memory");
    for (size_t i = 0; i < n; i++) {
        const GEOSGeometry *g = bz_features_geometry(*admin, i);
        const char *name = bz_features_attr(*admin, i, field);
        if (!name && i == 0 && a->by_field)
            return tool_fail("%s: feature 0 has no attribute '%s'", a->by, field);
        (*units)[*nunits].name = name ? name : "(unnamed)";
        double gm2 = 0.0, lm2 = 0.0;
        if (g && (bz_intersection_area(&gm2, ctx, gained, g) != BZ_OK ||
                  bz_intersection_area(&lm2, ctx, lost, g) != BZ_OK)) {
            char what[1200];
            snprintf(what, sizeof what, "%s: unit %zu (%s)", a->by, i, (*units)[*nunits].name);
            return tool_bz_fail(ctx, what);
        }
        (*units)[*nunits].gained_km2 = gm2 / 1e6;
        (*units)[*nunits].lost_km2 = lm2 / 1e6;
        (*nunits)++;
    }
    qsort(*units, *nunits, sizeof **units, by_net_change);
    return TOOL_OK;
}

static int write_changes(bz_context *ctx, const struct args *a, const GEOSGeometry *gained,
                         const GEOSGeometry *lost, double gained_m2, double lost_m2)
{
    tool_output out;
    if (tool_output_begin(&out, a->output) != TOOL_OK)
        return TOOL_FAIL;
    bz_write_options wopts = tool_write_options(&out, a->format, a->overwrite, a->no_style);
    bz_writer *w = NULL;
    bz_feature_attrs ga = BZ_FEATURE_ATTRS_INIT, la = BZ_FEATURE_ATTRS_INIT;
    ga.kind = "gained";
    ga.name = "in NEW, not in OLD";
    ga.area_km2 = gained_m2 / 1e6;
    la.kind = "lost";
    la.name = "in OLD, not in NEW";
    la.area_km2 = lost_m2 / 1e6;
    int rc = TOOL_FAIL;
    if (bz_writer_open(&w, ctx, out.path, &wopts) != BZ_OK ||
        bz_writer_add(w, gained, &ga) != BZ_OK || bz_writer_add(w, lost, &la) != BZ_OK) {
        bz_writer_abort(w);
        tool_write_failed(ctx, a->output);
    } else if (bz_writer_commit(w) != BZ_OK) {
        tool_write_failed(ctx, a->output);
    } else {
        rc = tool_output_finish(&out);
    }
    tool_output_cleanup(&out);
    return rc;
}

static void print_text(FILE *out, const struct args *a, const double km2[5],
                       const struct unit *units, size_t nunits)
{
    static const char *labels[] = {"old territory", "new territory", "gained", "lost",
                                   "net change"};
    const char *files[] = {a->old_path, a->new_path, "in NEW, not in OLD", "in OLD, not in NEW",
                           "gained - lost"};
    char buf[64];
    tool_table *t = tool_table_new(3);
    tool_table_align(t, "lrl");
    tool_table_add(t, "");
    tool_table_add(t, "km²");
    tool_table_add(t, "");
    for (int i = 0; i < 5; i++) {
        tool_table_add(t, labels[i]);
        tool_table_add(t, tool_fmt_number(buf, sizeof buf, km2[i], 1, i == 4));
        tool_table_add(t, files[i]);
    }
    tool_table_print(t, out);
    tool_table_free(t);
    if (!units)
        return;
    fputc('\n', out);
    t = tool_table_new(4);
    tool_table_add(t, "unit");
    tool_table_add(t, "gained km²");
    tool_table_add(t, "lost km²");
    tool_table_add(t, "net km²");
    size_t shown = 0;
    for (size_t i = 0; i < nunits; i++) {
        if (units[i].gained_km2 < 0.005 && units[i].lost_km2 < 0.005)
            continue; /* unchanged units would bury the changed ones */
        tool_table_add(t, units[i].name);
        tool_table_add(t, tool_fmt_number(buf, sizeof buf, units[i].gained_km2, 1, 0));
        tool_table_add(t, tool_fmt_number(buf, sizeof buf, units[i].lost_km2, 1, 0));
        tool_table_add(
            t, tool_fmt_number(buf, sizeof buf, units[i].gained_km2 - units[i].lost_km2, 1, 1));
        shown++;
    }
    tool_table_print(t, out);
    tool_table_free(t);
    fprintf(out, "(%zu of %zu units changed)\n", shown, nunits);
}

static void print_json(FILE *out, const double km2[5], const struct unit *units, size_t nunits)
{
    static const char *keys[] = {"old_km2", "new_km2", "gained_km2", "lost_km2", "net_km2"};
    fputs("{", out);
    for (int i = 0; i < 5; i++) {
        fprintf(out, "%s\n  \"%s\": ", i ? "," : "", keys[i]);
        tool_json_number(out, km2[i], 4);
    }
    if (units) {
        fputs(",\n  \"units\": [", out);
        for (size_t i = 0; i < nunits; i++) {
            fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
            tool_json_string(out, units[i].name);
            fputs(", \"gained_km2\": ", out);
            tool_json_number(out, units[i].gained_km2, 4);
            fputs(", \"lost_km2\": ", out);
            tool_json_number(out, units[i].lost_km2, 4);
            fputs(", \"net_km2\": ", out);
            tool_json_number(out, units[i].gained_km2 - units[i].lost_km2, 4);
            fputs("}", out);
        }
        fputs("\n  ]", out);
    }
    fputs("\n}\n", out);
}

/* Area of a territory, inside the region when there is one. */
static int territory_area(bz_context *ctx, const GEOSGeometry *t, const GEOSGeometry *region,
                          double *m2)
{
    return region ? bz_intersection_area(m2, ctx, t, region) : bz_geodesic_area(m2, ctx, t);
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
    /* Refuse a bad output now, not after comparing. */
    const char *inputs[] = {a.old_path, a.new_path, a.region, a.by};
    rc = tool_check_io(ctx, a.output, a.format, a.overwrite, a.no_style, inputs, 4);
    if (rc != TOOL_OK) {
        bz_context_free(ctx);
        return rc;
    }
    GEOSGeometry *old_t = NULL, *new_t = NULL, *region = NULL, *gained = NULL, *lost = NULL;
    bz_features *admin = NULL;
    struct unit *units = NULL;
    size_t nunits = 0;
    rc = TOOL_FAIL;

    if (tool_read_polygon(&old_t, ctx, a.old_path, "old territory", NULL) != TOOL_OK ||
        tool_read_polygon(&new_t, ctx, a.new_path, "new territory", NULL) != TOOL_OK ||
        (a.region && tool_read_polygon(&region, ctx, a.region, "region", NULL) != TOOL_OK))
        goto done;

    double old_m2 = 0, new_m2 = 0, gained_m2 = 0, lost_m2 = 0;
    if (territory_area(ctx, old_t, region, &old_m2) != BZ_OK ||
        territory_area(ctx, new_t, region, &new_m2) != BZ_OK) {
        tool_bz_fail(ctx, "measuring the territories");
        goto done;
    }
    if (bz_territory_diff(&gained, &lost, &gained_m2, &lost_m2, ctx, old_t, new_t, region) !=
        BZ_OK) {
        tool_bz_fail(ctx, "comparing the territories");
        goto done;
    }
    if (a.by && split_by_units(ctx, &a, gained, lost, &admin, &units, &nunits) != TOOL_OK)
        goto done;
    if (a.output && write_changes(ctx, &a, gained, lost, gained_m2, lost_m2) != TOOL_OK)
        goto done;

    const double km2[5] = {old_m2 / 1e6, new_m2 / 1e6, gained_m2 / 1e6, lost_m2 / 1e6,
                           (gained_m2 - lost_m2) / 1e6};
    int to_stdout = a.output && strcmp(a.output, "-") == 0;
    if (a.json)
        print_json(stdout, km2, units, nunits);
    else
        print_text(to_stdout ? stderr : stdout, &a, km2, units, nunits);
    rc = TOOL_OK;

done:
    free(units);
    bz_features_free(admin);
    bz_geometry_free(ctx, gained);
    bz_geometry_free(ctx, lost);
    bz_geometry_free(ctx, old_t);
    bz_geometry_free(ctx, new_t);
    bz_geometry_free(ctx, region);
    bz_context_free(ctx);
    return rc;
}
