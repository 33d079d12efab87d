/*
 * bz-compare — withdrawal proposals side by side: for each proposal the area each side gives
 * up, the buffer zone, the ratio between the sides and (with --places) the settlements and
 * people inside each side's zone. The table is meant to be pasted into an article.
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
    "  bz-compare LINE [--region POLY] --proposal NAME=SPEC ... [options]\n"
    "  bz-compare --territory POLY --region POLY --proposal NAME=SPEC ... [options]\n"
    "\n"
    "Compares withdrawal proposals along one contact line: the area each side gives up (km²,\n"
    "ellipsoidal), the buffer zone, the ratio between the sides and, with --places, how many\n"
    "settlements and people lie inside each side's zone.\n"
    "\n"
    "Proposals (-p, --proposal NAME=SPEC, repeated; without NAME= the SPEC is the name):\n"
    "  sym:D                   both sides withdraw D\n"
    "  a:D,b:D                 side A withdraws the first, side B the second (a missing side\n"
    "                          withdraws 0); left:D,right:D means the same\n"
    "  zone:FILE               an explicit zone polygon (e.g. an area one side is asked to\n"
    "                          leave), split between the sides\n"
    "Distances take a unit (m, km, mi, nmi); a bare number means km.\n"
    "\n"
    "Inputs and options:\n"
    "  LINE                    the contact line; sides are left (A) and right (B) of it\n"
    "  --territory POLY        the area side A holds (with --region; the line is derived)\n"
    "  --region POLY           clip to this area (with LINE: split it by the line)\n"
    "  --layer L, --where SQL  select features of LINE (of --territory without LINE)\n"
    "  --make-valid            repair invalid polygons (rings that cross or touch themselves,\n"
    "                          as in many TopoJSON and hand-drawn maps) instead of stopping\n"
    "  --tolerance D           deriving the line: edge within D of the region's edge is\n"
    "                          border, not front (default 1km)\n"
    "  --places FILE           settlements (Point features with name and population)\n"
    "  --names A,B             names of the sides (default left,right or A,B)\n"
    "  --json | --csv          machine-readable output instead of the table\n"
    "  --threads N             worker threads (0 = one per CPU, the default)\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "Examples:\n"
    "  bz-compare examples/data/donbas_contact_line_2015.geojson \\\n"
    "             --region examples/data/ukraine_outline.geojson --names Ukraine,Donbass \\\n"
    "             --proposal 'equal 5 km=sym:5km' --proposal 'equal 10 km=sym:10km' \\\n"
    "             --proposal 'one-sided=a:10km,b:0' \\\n"
    "             --places examples/data/places_ne_ukraine_region.geojson\n"
    "  bz-compare --territory occupied.geojson --region ukraine.geojson \\\n"
    "             --proposal sym:15km --proposal zone:demilitarised.geojson --csv > table.csv\n"
    "\n"
    "Exit status: 0 success, 1 processing error (file, geometry), 2 usage error.\n";

#define MAX_PROPOSALS 64

struct proposal {
    char name[128];
    char spec[512];        /* as given, for the JSON/CSV output */
    const char *zone_path; /* zone:FILE, else NULL */
    double dist[2];        /* metres, sides A and B */
};

/* What one proposal gives each side. */
struct outcome {
    double zone_km2[2], buffer_km2, contact_km;
    size_t places[2];
    double population[2];
};

struct args {
    const char *line, *region, *territory, *places, *names, *layer, *where;
    struct proposal proposals[MAX_PROPOSALS];
    size_t nproposals;
    double tolerance;
    int json, csv, threads;
};

/* "sym:10km", "a:10km,b:0", "left:5km", "zone:FILE". Returns 0, or -1 with a usage message. */
static int parse_spec(struct proposal *p, char *spec)
{
    if (strncmp(spec, "zone:", 5) == 0) {
        if (!spec[5])
            return tool_usage_error("--proposal %s: zone: needs a file name", p->name), -1;
        p->zone_path = spec + 5;
        return 0;
    }
    if (strncmp(spec, "sym:", 4) == 0) {
        if (tool_parse_distance(spec + 4, &p->dist[0]))
            return tool_bad_distance("--proposal sym", spec + 4), -1;
        p->dist[1] = p->dist[0];
        return 0;
    }
    int seen[2] = {0, 0};
    for (char *save = NULL, *tok = strtok_r(spec, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        if (!colon)
            break;
        *colon = '\0';
        int s = strcmp(tok, "a") == 0 || strcmp(tok, "left") == 0    ? 0
                : strcmp(tok, "b") == 0 || strcmp(tok, "right") == 0 ? 1
                                                                     : -1;
        if (s < 0 || seen[s])
            return tool_usage_error("--proposal %s: unknown or repeated side '%s' (use a/b or "
                                    "left/right)",
                                    p->name, tok),
                   -1;
        if (tool_parse_distance(colon + 1, &p->dist[s]))
            return tool_bad_distance("--proposal", colon + 1), -1;
        seen[s] = 1;
    }
    if (!seen[0] && !seen[1])
        return tool_usage_error("--proposal %s: expected sym:D, a:D,b:D, left:D,right:D or "
                                "zone:FILE",
                                p->name),
               -1;
    return 0;
}

static int add_proposal(struct args *a, char *text)
{
    if (a->nproposals == MAX_PROPOSALS)
        return tool_usage_error("too many proposals (at most %d)", MAX_PROPOSALS), -1;
    struct proposal *p = &a->proposals[a->nproposals];
    char *eq = strchr(text, '=');
    char *colon = strchr(text, ':');
    char *spec = text;
    if (eq && (!colon || eq < colon)) { /* NAME=SPEC; a '=' inside zone:FILE is not a name */
        *eq = '\0';
        spec = eq + 1;
        if (!*text)
            return tool_usage_error("--proposal: empty name before '='"), -1;
    }
    snprintf(p->name, sizeof p->name, "%s", text == spec ? spec : text);
    snprintf(p->spec, sizeof p->spec, "%s", spec);
    a->nproposals++;
    return parse_spec(p, spec); /* may cut spec (argv) into tokens; p->spec keeps the text */
}

/* -p / --proposal, for tool_parse_options. */
static int proposal_option(void *args, char *text)
{
    return add_proposal(args, text) ? TOOL_USAGE : 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->tolerance = 1000.0;
    const tool_opt opts[] = {
        TOOL_OPT_CALL("proposal", 'p', proposal_option, a),
        TOOL_OPT_TEXT("places", 0, &a->places),
        TOOL_OPT_SIDES(&a->region, &a->territory, &a->names, &a->layer, &a->where),
        TOOL_OPT_MAKE_VALID,
        TOOL_OPT_FLAG("json", 0, &a->json),
        TOOL_OPT_FLAG("csv", 0, &a->csv),
        TOOL_OPT_THREADS("threads", &a->threads),
        TOOL_OPT_DISTANCE("tolerance", 0, &a->tolerance, NULL, NULL),
        TOOL_OPT_TABLE_END,
    };
    int rc = tool_parse_options(argc, argv, opts, usage_text);
    if (rc != -1)
        return rc;
    rc =
        tool_take_line(argc, argv, &a->line, a->territory, a->region, "--territory needs --region");
    if (rc != -1)
        return rc;
    if (a->nproposals == 0)
        return tool_usage_error("no proposal: give at least one --proposal NAME=SPEC");
    if (a->json && a->csv)
        return tool_usage_error("--json and --csv exclude each other");
    return -1;
}

static int evaluate(bz_context *ctx, const struct proposal *p, const bz_line *line,
                    const GEOSGeometry *region, const GEOSGeometry *territory,
                    const bz_places *places, struct outcome *o)
{
    bz_zones *z = NULL;
    char what[1400];
    if (p->zone_path) {
        GEOSGeometry *zone = NULL;
        snprintf(what, sizeof what, "zone of proposal '%s'", p->name);
        if (tool_read_polygon(&zone, ctx, p->zone_path, what, NULL) != TOOL_OK)
            return TOOL_FAIL;
        int st = bz_zones_from_polygon(&z, ctx, line, region, territory, zone);
        bz_geometry_free(ctx, zone);
        if (st != BZ_OK) {
            snprintf(what, sizeof what, "proposal '%s': splitting %s by sides", p->name,
                     p->zone_path);
            return tool_bz_fail(ctx, what);
        }
    } else if (bz_zones_compute(&z, ctx, line, region, territory, p->dist[0], p->dist[1], NULL) !=
               BZ_OK) {
        snprintf(what, sizeof what, "proposal '%s': computing the zones", p->name);
        return tool_bz_fail(ctx, what);
    }
    o->buffer_km2 = bz_zones_buffer_area(z) / 1e6;
    o->contact_km = bz_zones_contact_length(z) / 1e3;
    for (int s = 0; s < 2; s++) {
        bz_side side = s ? BZ_SIDE_B : BZ_SIDE_A;
        o->zone_km2[s] = bz_zones_area(z, side) / 1e6;
        o->places[s] = 0;
        o->population[s] = NAN;
        if (places && bz_places_within(&o->places[s], &o->population[s], NULL, ctx, places,
                                       bz_zones_zone(z, side)) != BZ_OK) {
            snprintf(what, sizeof what, "proposal '%s': counting places", p->name);
            bz_zones_free(z);
            return tool_bz_fail(ctx, what);
        }
    }
    bz_zones_free(z);
    return TOOL_OK;
}

static double ratio(const struct outcome *o)
{
    return o->zone_km2[1] > 0.0 ? o->zone_km2[0] / o->zone_km2[1] : NAN;
}

static const char *distance_cell(char *buf, size_t size, const struct proposal *p, int s)
{
    return p->zone_path ? "zone" : tool_fmt_distance(buf, size, p->dist[s]);
}

static void print_table(const struct args *a, const struct outcome *o, const char *names[2],
                        int with_places)
{
    char buf[128];
    size_t ncols = with_places ? 10 : 6;
    tool_table *t = tool_table_new(ncols);
    tool_table_add(t, "proposal");
    snprintf(buf, sizeof buf, "%s / %s withdraw", names[0], names[1]);
    tool_table_add(t, buf);
    for (int s = 0; s < 2; s++) {
        snprintf(buf, sizeof buf, "%s gives up km²", names[s]);
        tool_table_add(t, buf);
    }
    tool_table_add(t, "buffer zone km²");
    snprintf(buf, sizeof buf, "%s : %s", names[0], names[1]);
    tool_table_add(t, buf);
    for (int s = 0; with_places && s < 2; s++) {
        snprintf(buf, sizeof buf, "%s places", names[s]);
        tool_table_add(t, buf);
        snprintf(buf, sizeof buf, "%s people", names[s]);
        tool_table_add(t, buf);
    }
    for (size_t i = 0; i < a->nproposals; i++) {
        const struct proposal *p = &a->proposals[i];
        tool_table_add(t, p->name);
        char da[64], db[64];
        snprintf(buf, sizeof buf, "%s / %s", distance_cell(da, sizeof da, p, 0),
                 distance_cell(db, sizeof db, p, 1));
        tool_table_add(t, p->zone_path ? "zone" : buf);
        for (int s = 0; s < 2; s++)
            tool_table_add(t, tool_fmt_number(buf, sizeof buf, o[i].zone_km2[s], 1, 0));
        tool_table_add(t, tool_fmt_number(buf, sizeof buf, o[i].buffer_km2, 1, 0));
        double r = ratio(&o[i]);
        if (isfinite(r))
            snprintf(buf, sizeof buf, "%.2f : 1", r);
        else
            snprintf(buf, sizeof buf, "%s", o[i].zone_km2[0] > 0.0 ? "all" : "n/a");
        tool_table_add(t, buf);
        for (int s = 0; with_places && s < 2; s++) {
            tool_table_add(t, tool_fmt_number(buf, sizeof buf, (double)o[i].places[s], 0, 0));
            tool_table_add(t, tool_fmt_number(buf, sizeof buf, o[i].population[s], 0, 0));
        }
    }
    printf("Contact line: %s km. Areas are ellipsoidal; a side gives up its own ground within "
           "its distance of the line.\n\n",
           tool_fmt_number(buf, sizeof buf, o[0].contact_km, 1, 0));
    tool_table_print(t, stdout);
    tool_table_free(t);
}

static void print_csv(const struct args *a, const struct outcome *o, const char *names[2],
                      int with_places)
{
    fputs("proposal,spec,side_a,side_b,distance_a_m,distance_b_m,zone_a_km2,zone_b_km2,"
          "buffer_zone_km2,ratio_a_b",
          stdout);
    if (with_places)
        fputs(",places_a,population_a,places_b,population_b", stdout);
    fputc('\n', stdout);
    for (size_t i = 0; i < a->nproposals; i++) {
        const struct proposal *p = &a->proposals[i];
        tool_csv_field(stdout, p->name);
        fputc(',', stdout);
        tool_csv_field(stdout, p->spec);
        for (int s = 0; s < 2; s++) {
            fputc(',', stdout);
            tool_csv_field(stdout, names[s]);
        }
        double v[6] = {p->zone_path ? NAN : p->dist[0],
                       p->zone_path ? NAN : p->dist[1],
                       o[i].zone_km2[0],
                       o[i].zone_km2[1],
                       o[i].buffer_km2,
                       ratio(&o[i])};
        for (int k = 0; k < 6; k++) {
            fputc(',', stdout);
            if (isfinite(v[k]))
                printf("%.4f", v[k]);
        }
        for (int s = 0; with_places && s < 2; s++) {
            printf(",%zu,", o[i].places[s]);
            if (isfinite(o[i].population[s]))
                printf("%.0f", o[i].population[s]);
        }
        fputc('\n', stdout);
    }
}

static void print_json(const struct args *a, const struct outcome *o, const char *names[2],
                       int with_places)
{
    fputs("{\n  \"contact_line_km\": ", stdout);
    tool_json_number(stdout, o[0].contact_km, 4);
    fputs(",\n  \"proposals\": [", stdout);
    for (size_t i = 0; i < a->nproposals; i++) {
        const struct proposal *p = &a->proposals[i];
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", stdout);
        tool_json_string(stdout, p->name);
        fputs(", \"spec\": ", stdout);
        tool_json_string(stdout, p->spec);
        fputs(", \"buffer_zone_km2\": ", stdout);
        tool_json_number(stdout, o[i].buffer_km2, 4);
        fputs(", \"ratio_a_b\": ", stdout);
        tool_json_number(stdout, ratio(&o[i]), 6);
        fputs(",\n     \"sides\": [", stdout);
        for (int s = 0; s < 2; s++) {
            fputs(s ? ", {\"name\": " : "{\"name\": ", stdout);
            tool_json_string(stdout, names[s]);
            fputs(", \"distance_m\": ", stdout);
            tool_json_number(stdout, p->zone_path ? NAN : p->dist[s], 3);
            fputs(", \"zone_km2\": ", stdout);
            tool_json_number(stdout, o[i].zone_km2[s], 4);
            if (with_places) {
                printf(", \"places\": %zu, \"population\": ", o[i].places[s]);
                tool_json_number(stdout, o[i].population[s], 0);
            }
            fputs("}", stdout);
        }
        fputs("]}", stdout);
    }
    fputs("\n  ]\n}\n", stdout);
}

int main(int argc, char **argv)
{
    tool_init(argv[0]);
    static struct args a; /* static: the proposals make it large for the stack */
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
    /* No output file, but '-' may stand for one input only: refuse that before any work. */
    const char *inputs[4 + MAX_PROPOSALS] = {a.line, a.territory, a.region, a.places};
    for (size_t k = 0; k < a.nproposals; k++)
        inputs[4 + k] = a.proposals[k].zone_path;
    rc = tool_check_io(ctx, NULL, NULL, 0, 1, inputs, 4 + a.nproposals);
    if (rc != TOOL_OK) {
        bz_context_free(ctx);
        return rc;
    }
    bz_line *line = NULL;
    GEOSGeometry *region = NULL, *territory = NULL;
    bz_places *places = NULL;
    struct outcome *o = calloc(a.nproposals, sizeof *o);
    rc = TOOL_FAIL;
    if (!o) {
        tool_fail("out of memory");
        goto done;
    }
    if (bz_context_set_threads(ctx, a.threads) != BZ_OK) {
        tool_bz_fail(ctx, "--threads");
        goto done;
    }
    if (tool_read_sides(&line, &territory, &region, ctx, a.line, a.territory, a.region, a.layer,
                        a.where) != TOOL_OK)
        goto done;
    if (a.places && bz_read_places(&places, ctx, tool_input_path(a.places), NULL) != BZ_OK) {
        tool_read_failed(ctx, "places", a.places);
        goto done;
    }
    /* Derive the line once, not once per proposal. */
    if (!line) {
        bz_derive_options dopts = BZ_DERIVE_OPTIONS_INIT;
        dopts.tolerance_m = a.tolerance;
        if (bz_line_derive(&line, ctx, territory, region, &dopts) != BZ_OK) {
            tool_bz_fail(ctx, "deriving the contact line");
            goto done;
        }
    }
    for (size_t i = 0; i < a.nproposals; i++)
        if (evaluate(ctx, &a.proposals[i], line, region, territory, places, &o[i]) != TOOL_OK)
            goto done;

    if (a.json)
        print_json(&a, o, names, places != NULL);
    else if (a.csv)
        print_csv(&a, o, names, places != NULL);
    else
        print_table(&a, o, names, places != NULL);
    rc = fflush(stdout) == 0 ? TOOL_OK : tool_fail("writing to standard output failed");

done:
    free(o);
    bz_places_free(places);
    bz_line_free(line);
    bz_geometry_free(ctx, region);
    bz_geometry_free(ctx, territory);
    bz_context_free(ctx);
    return rc;
}
