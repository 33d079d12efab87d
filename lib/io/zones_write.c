/*
 * io/zones_write.c — a zone result as features: bz_zones_write (to any format the writer
 * knows) and bz_zones_to_geojson (the same features as a GeoJSON string), in one order.
 */
#include "io/writer.h"
#include "core/context.h"
#include "core/text.h"

#include <math.h>
#include <stdlib.h>

static int add_zone_features(bz_writer *w, bz_context *ctx, const bz_zones *zones,
                             const char *name_a, const char *name_b);

int bz_zones_write(bz_context *ctx, const bz_zones *zones, const char *path, const char *name_a,
                   const char *name_b, const bz_write_options *opts)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!zones || !path)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_write: NULL argument");
    if (opts && bzi_check_options_version(ctx, "bz_zones_write", "bz_write_options", opts->version,
                                          BZ_WRITE_OPTIONS_VERSION) != BZ_OK)
        return BZ_ERR_ARGUMENT;
    bz_writer *w = NULL;
    int rc = bz_writer_open(&w, ctx, path, opts);
    if (rc != BZ_OK)
        return rc;
    rc = add_zone_features(w, ctx, zones, name_a, name_b);
    if (rc != BZ_OK) {
        bz_writer_abort(w);
        return rc;
    }
    return bz_writer_commit(w);
}

/* Every feature of a zone result, in bz_zones_write's order: each side's zone and withdrawal
 * line, the contact line, the buffer zone. (bz_zones_to_geojson, below, writes the same features
 * through the same writer.) */
static int add_zone_features(bz_writer *w, bz_context *ctx, const bz_zones *zones,
                             const char *name_a, const char *name_b)
{
    const bz_line *line = bz_zones_contact_line(zones);
    if (!line)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_write: the result has no line");
    bz_feature_attrs a[6];
    const GEOSGeometry *g[6];
    for (int s = 0; s < 2; s++) {
        bz_side side = s ? BZ_SIDE_B : BZ_SIDE_A;
        const char *name = s ? (name_b ? name_b : "B") : (name_a ? name_a : "A");
        bz_feature_attrs *z = &a[2 * s], *wl = &a[2 * s + 1];
        *z = (bz_feature_attrs)BZ_FEATURE_ATTRS_INIT;
        z->kind = "zone";
        z->side = name;
        z->distance_m = bz_zones_distance(zones, side);
        z->area_km2 = bz_zones_area(zones, side) / 1e6;
        g[2 * s] = bz_zones_zone(zones, side);
        *wl = *z;
        wl->kind = "withdrawal_line";
        wl->area_km2 = NAN;
        wl->length_km = bz_zones_withdrawal_length(zones, side) / 1e3;
        g[2 * s + 1] = bz_zones_withdrawal_line(zones, side);
    }
    a[4] = (bz_feature_attrs)BZ_FEATURE_ATTRS_INIT;
    a[4].kind = "contact_line";
    a[4].length_km = bz_zones_contact_length(zones) / 1e3;
    g[4] = bz_line_geometry(line);
    a[5] = (bz_feature_attrs)BZ_FEATURE_ATTRS_INIT;
    a[5].kind = "buffer_zone";
    a[5].area_km2 = bz_zones_buffer_area(zones) / 1e6;
    g[5] = bz_zones_buffer_zone(zones);
    const bz_feature_attrs *ap[6] = {&a[0], &a[1], &a[2], &a[3], &a[4], &a[5]};
    return bzi_writer_add_all(w, 6, g, ap);
}

/*
 * The GeoJSON string: a writer in GeoJSON mode whose bytes go to memory (open_memstream)
 * instead of a temporary file, so the features, properties, styling, number formatting and
 * antimeridian splitting are those of a .geojson file, byte for byte. The collection's "name"
 * is "zones", as for a file zones.geojson.
 */
int bz_zones_to_geojson(char **out, size_t *size, bz_context *ctx, const bz_zones *zones,
                        const char *name_a, const char *name_b)
{
    if (!ctx)
        return BZ_ERR_ARGUMENT;
    if (!out || !zones)
        return bzi_error(ctx, BZ_ERR_ARGUMENT, "bz_zones_to_geojson: NULL argument");
    *out = NULL;
    bz_writer *w = calloc(1, sizeof *w);
    if (!w)
        return bzi_nomem(ctx, "making GeoJSON");
    w->ctx = ctx;
    bzi_json_init(&w->json, ctx);
    w->geojson = 1;
    w->layout = LAYOUT_SINGLE;
    w->path = bzi_dup_text("the GeoJSON string");
    w->stem = bzi_dup_text("zones");
    int rc = w->path && w->stem ? bzi_json_open_memory(&w->json, w->stem)
                                : bzi_nomem(ctx, "making GeoJSON");
    if (rc == BZ_OK)
        rc = add_zone_features(w, ctx, zones, name_a, name_b);
    if (rc == BZ_OK)
        rc = bzi_json_close_memory(&w->json, out, size);
    bzi_writer_free(w);
    return rc;
}
