/*
 * bz-render — an SVG map of what the other tools wrote. Reads every input with
 * bz_read_features, sorts the features by their 'kind' and 'side' attributes (zones per side,
 * withdrawal lines, contact line, buffer zone, gained/lost; anything else is land or a plain
 * line, points are places) and hands them to render_map.c for the layout.
 */
#include "render_map.h"
#include "tool_common.h"
#include "tool_options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage:\n"
    "  bz-render INPUT... -o MAP.svg [--width PX] [--title T] [--places FILE] [options]\n"
    "\n"
    "Draws an SVG map of the files the other bz-* tools write (and of any other vector file):\n"
    "zones in each side's colour, the contact line bold, withdrawal lines dashed, the buffer\n"
    "zone's outline, gained/lost areas, places as labelled dots, with a legend, a scale bar\n"
    "and a north arrow. Features are recognised by their 'kind' and 'side' attributes;\n"
    "polygons without a kind are drawn as land (e.g. a --region file), points as places.\n"
    "\n"
    "  INPUT...                files to draw, bottom layer first within each kind\n"
    "  -o, --output MAP.svg    the SVG file to write ('-' = stdout)\n"
    "  --width PX              width in pixels (default 1000, at least 500)\n"
    "  --title T               the map's title (default: from the first input's name)\n"
    "  --places FILE           settlements to show (Point features with name, population)\n"
    "  --focus                 frame the map on the zones and lines, not on the whole land\n"
    "  --overwrite             replace MAP.svg if it exists (atomically; a symlink's target is\n"
    "                          replaced, a FIFO or /dev/stdout is written into)\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "Examples:\n"
    "  bz-zones examples/data/donbas_contact_line_2015.geojson -d 15km -o zones.geojson\n"
    "  bz-render zones.geojson examples/data/ukraine_outline.geojson --focus \\\n"
    "            --places examples/data/places_ne_ukraine_region.geojson -o map.svg\n"
    "  chromium --headless --screenshot=map.png map.svg   # to look at it as a PNG\n"
    "\n"
    "Exit status: 0 success, 1 processing error (file, nothing to draw), 2 usage error.\n";

struct args {
    char **inputs;
    int ninputs;
    const char *output, *title, *places;
    int width, focus, overwrite;
};

/* --width: 500 to 20000 pixels. */
static int parse_width(void *target, char *text)
{
    char *end = NULL;
    long w = strtol(text, &end, 10);
    if (end == text || *end || w < 500 || w > 20000)
        return tool_usage_error("--width: expected 500 to 20000 pixels, got '%s'", text);
    *(int *)target = (int)w;
    return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->width = 1000;
    const tool_opt opts[] = {
        TOOL_OPT_TEXT("output", 'o', &a->output),
        TOOL_OPT_CALL("width", 0, parse_width, &a->width),
        TOOL_OPT_TEXT("title", 0, &a->title),
        TOOL_OPT_TEXT("places", 0, &a->places),
        TOOL_OPT_FLAG("focus", 0, &a->focus),
        TOOL_OPT_FLAG("overwrite", 0, &a->overwrite),
        TOOL_OPT_TABLE_END,
    };
    int rc = tool_parse_options(argc, argv, opts, usage_text);
    if (rc != -1)
        return rc;
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    if (a->ninputs == 0)
        return tool_usage_error("nothing to draw: give at least one INPUT file");
    if (!a->output)
        return tool_usage_error("no output: give -o MAP.svg (or -o - for stdout)");
    return -1;
}

/* "data/zones_10km.geojson" -> "zones_10km" (kept in buf). */
static const char *file_label(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    return buf;
}

static double attr_number(const bz_features *f, size_t i, const char *field)
{
    const char *s = bz_features_attr(f, i, field);
    if (!s || !*s)
        return NAN;
    char *end = NULL;
    double v = strtod(s, &end);
    return end != s ? v : NAN;
}

static const char *attr_first(const bz_features *f, size_t i, const char *const *fields)
{
    for (; *fields; fields++) {
        const char *s = bz_features_attr(f, i, *fields);
        if (s && *s)
            return s;
    }
    return NULL;
}

/* Add x to an accumulator that starts as NaN ("unknown"). */
static void accumulate(double *sum, double x)
{
    if (isfinite(x))
        *sum = isfinite(*sum) ? *sum + x : x;
}

static int side_index(rm_map *m, const char *name)
{
    if (!name)
        name = "?";
    for (size_t s = 0; s < m->nsides; s++)
        if (strcmp(m->sides[s].name, name) == 0)
            return (int)s;
    if (m->nsides == RM_MAX_SIDES)
        return RM_MAX_SIDES - 1;
    char *copy = strdup(name);
    if (!copy)
        return -1;
    m->sides[m->nsides] = (rm_side){copy, NAN, NAN};
    return (int)m->nsides++;
}

static int add_place(rm_map *m, double lon, double lat, double population, const char *name)
{
    if (m->nplaces == m->places_cap) {
        size_t cap = m->places_cap ? 2 * m->places_cap : 64;
        rm_place *p = realloc(m->places, cap * sizeof *p);
        if (!p)
            return -1;
        m->places = p;
        m->places_cap = cap;
    }
    char *copy = strdup(name ? name : "");
    if (!copy)
        return -1;
    rm_place *p = &m->places[m->nplaces++];
    p->lon = lon;
    p->lat = lat;
    p->population = population;
    p->name = copy; /* freed by map_free */
    return 0;
}

static rm_layer layer_of(const char *kind, int polygonal)
{
    static const struct {
        const char *kind;
        rm_layer layer;
    } kinds[] = {{"zone", RM_ZONE},
                 {"withdrawal_line", RM_WITHDRAWAL},
                 {"contact_line", RM_CONTACT},
                 {"buffer_zone", RM_BUFFER},
                 {"gained", RM_GAINED},
                 {"lost", RM_LOST}};
    for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(kind, kinds[k].kind) == 0)
            return kinds[k].layer;
    return polygonal ? RM_LAND : RM_OTHER_LINE;
}

/* Sort one feature into the map: its shape, the side, the numbers for the legend. */
static int add_feature(rm_map *m, bz_context *ctx, const bz_features *f, size_t i, int input)
{
    static const char *const name_fields[] = {"name", "NAME", "name_en", "NAMEASCII", NULL};
    static const char *const pop_fields[] = {"population", "POP_MAX", "pop", NULL};
    const GEOSGeometry *g = bz_features_geometry(f, i);
    if (!g)
        return 0;
    rg_shape shape;
    if (rg_shape_from_geometry(&shape, ctx, g) != 0)
        return -1;
    const char *kind = bz_features_attr(f, i, "kind");
    for (size_t p = 0; p < shape.points.npoints; p++) {
        const char *pop = attr_first(f, i, pop_fields);
        if (add_place(m, shape.points.xy[2 * p], shape.points.xy[2 * p + 1],
                      pop ? strtod(pop, NULL) : NAN, attr_first(f, i, name_fields)) != 0) {
            rg_shape_free(&shape);
            return -1;
        }
    }
    if (shape.rings.nparts == 0 && shape.lines.nparts == 0) {
        rg_shape_free(&shape);
        return 0;
    }
    rm_layer layer = layer_of(kind, shape.rings.nparts > 0);
    int side = -1;
    if (layer == RM_ZONE || layer == RM_WITHDRAWAL) {
        side = side_index(m, bz_features_attr(f, i, "side"));
        if (side < 0) {
            rg_shape_free(&shape);
            return -1;
        }
    }
    if (layer == RM_ZONE) {
        accumulate(&m->sides[side].zone_km2, attr_number(f, i, "area_km2"));
        double d = attr_number(f, i, "distance_m");
        if (isfinite(d))
            m->sides[side].distance_m = d;
    }
    if (layer == RM_CONTACT)
        accumulate(&m->contact_km, attr_number(f, i, "length_km"));
    if (layer == RM_BUFFER)
        accumulate(&m->buffer_km2, attr_number(f, i, "area_km2"));
    if (layer == RM_GAINED)
        accumulate(&m->gained_km2, attr_number(f, i, "area_km2"));
    if (layer == RM_LOST)
        accumulate(&m->lost_km2, attr_number(f, i, "area_km2"));
    if (m->nitems == m->items_cap) {
        size_t cap = m->items_cap ? 2 * m->items_cap : 32;
        rm_item *items = realloc(m->items, cap * sizeof *items);
        if (!items) {
            rg_shape_free(&shape);
            return -1;
        }
        m->items = items;
        m->items_cap = cap;
    }
    m->items[m->nitems++] = (rm_item){layer, side, input, shape};
    return 0;
}

static void map_free(rm_map *m)
{
    for (size_t i = 0; i < m->nitems; i++)
        rg_shape_free(&m->items[i].shape);
    free(m->items);
    for (size_t i = 0; i < m->nplaces; i++)
        free(m->places[i].name);
    free(m->places);
    for (size_t s = 0; s < m->nsides; s++)
        free(m->sides[s].name);
}

static int read_inputs(rm_map *m, bz_context *ctx, const struct args *a)
{
    for (int k = 0; k < a->ninputs; k++) {
        bz_features *f = NULL;
        if (bz_read_features(&f, ctx, tool_input_path(a->inputs[k]), NULL) != BZ_OK)
            return tool_read_failed(ctx, "input", a->inputs[k]);
        for (size_t i = 0; i < bz_features_count(f); i++) {
            if (add_feature(m, ctx, f, i, k) != 0) {
                bz_features_free(f);
                return tool_fail("%s: feature %zu: cannot decode its geometry (out of memory?)",
                                 a->inputs[k], i);
            }
        }
        bz_features_free(f);
    }
    if (a->places) {
        bz_places *p = NULL;
        if (bz_read_places(&p, ctx, tool_input_path(a->places), NULL) != BZ_OK)
            return tool_read_failed(ctx, "places", a->places);
        for (size_t i = 0; i < bz_places_count(p); i++) {
            double lon, lat;
            bz_places_coords(p, i, &lon, &lat);
            if (add_place(m, lon, lat, bz_places_population(p, i), bz_places_name(p, i)) != 0) {
                bz_places_free(p);
                return tool_fail("out of memory");
            }
        }
        bz_places_free(p);
    }
    return TOOL_OK;
}

/* Draw into memory, then hand the bytes to the library, which writes them under its output
 * policy (a temporary file and rename; a symlink's target; straight into a FIFO or device), so
 * a failure never leaves half a map behind. */
static int write_map(const struct args *a, bz_context *ctx, const rm_map *m)
{
    if (strcmp(a->output, "-") == 0) {
        if (rm_write_svg(stdout, ctx, m) != 0)
            return tool_fail("nothing to draw: the inputs hold no lines, polygons or places");
        return fflush(stdout) == 0 ? TOOL_OK : tool_fail("writing to standard output failed");
    }
    char *svg = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&svg, &size);
    if (!out)
        return tool_fail("out of memory");
    int drawn = rm_write_svg(out, ctx, m);
    int bad = ferror(out);
    bad |= fclose(out) != 0;
    int rc = TOOL_OK;
    if (drawn != 0) {
        rc = tool_fail("nothing to draw: the inputs hold no lines, polygons or places");
    } else if (bad) {
        rc = tool_fail("cannot draw the map: out of memory");
    } else {
        bz_write_options o = BZ_WRITE_OPTIONS_INIT;
        o.overwrite = a->overwrite;
        if (bz_output_write(ctx, a->output, svg, size, &o) != BZ_OK)
            rc = tool_write_failed(ctx, a->output);
    }
    free(svg);
    return rc;
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
    /* Refuse a bad output now, not after reading and drawing. */
    const char **inputs = calloc((size_t)a.ninputs + 1, sizeof *inputs);
    if (!inputs) {
        bz_context_free(ctx);
        return tool_fail("out of memory");
    }
    for (int k = 0; k < a.ninputs; k++)
        inputs[k] = a.inputs[k];
    inputs[a.ninputs] = a.places;
    rc = tool_check_io(ctx, a.output, NULL, a.overwrite, 1, inputs, (size_t)a.ninputs + 1);
    free(inputs);
    if (rc != TOOL_OK) {
        bz_context_free(ctx);
        return rc;
    }
    const char **labels = calloc((size_t)a.ninputs, sizeof *labels);
    char(*label_buf)[128] = calloc((size_t)a.ninputs, sizeof *label_buf);
    rm_map m = {0};
    m.buffer_km2 = m.contact_km = m.gained_km2 = m.lost_km2 = NAN;
    rc = TOOL_FAIL;
    if (!labels || !label_buf) {
        tool_fail("out of memory");
        goto done;
    }
    for (int k = 0; k < a.ninputs; k++)
        labels[k] = file_label(a.inputs[k], label_buf[k], sizeof label_buf[k]);
    m.input_labels = labels;
    m.ninputs = (size_t)a.ninputs;
    m.width = a.width;
    m.focus = a.focus;
    m.title = a.title ? a.title : labels[0];
    if (read_inputs(&m, ctx, &a) != TOOL_OK)
        goto done;
    rc = write_map(&a, ctx, &m);

done:
    map_free(&m);
    free(labels);
    free(label_buf);
    bz_context_free(ctx);
    return rc;
}
