/*
 * render_map.c — lay out and write the SVG map of bz-render: an equirectangular projection
 * scaled by the cosine of the mean latitude (true scale along that parallel, close enough for
 * a few hundred km), the layers in a fixed order, place labels that do not collide, a legend
 * panel, a scale bar measured geodesically, a north arrow and a title.
 */
#include "render_map.h"

#include "tool_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Land from different inputs (a country, a territory in it) in distinguishable neutral tints. */
static const char *const land_tint[] = {"#f1efe9", "#d9d0c1", "#c8d3dc", "#e2d3e6"};
#define LAND_TINTS (sizeof land_tint / sizeof land_tint[0])

#define LEGEND_W 280.0
#define NARROW 900 /* below this width the legend goes under the map, in two columns */
#define MARGIN 16.0
#define HEADER_H 74.0
#define FOOTER_H 40.0
#define ROW_H 24.0
#define DEG (3.14159265358979323846 / 180.0)

struct view {
    double lon0, lat0, coslat;
    int shift;                     /* data crosses the antimeridian: add 360 to lon < 0 */
    double minx, maxx, miny, maxy; /* data bounds in (lon * coslat, lat) units */
    double k;                      /* pixels per unit */
    double ox, oy, fw, fh;         /* the map frame in pixels */
    double padx, pady;             /* centring offsets inside the frame */
    double lx, ly, lcol;           /* legend origin and column width (0: one column) */
    double height;                 /* the whole document */
    bz_context *ctx;               /* for bz_look_of and the scale bar */
};

static double unit_x(const struct view *v, double lon)
{
    return (lon + (v->shift && lon < 0.0 ? 360.0 : 0.0) - v->lon0) * v->coslat;
}

static void project(const struct view *v, double lon, double lat, double *x, double *y)
{
    *x = v->ox + v->padx + (unit_x(v, lon) - v->minx) * v->k;
    *y = v->oy + v->pady + (v->maxy - lat) * v->k;
}

static void xml_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, out);
        }
    }
}

/* ---- bounds and projection ---------------------------------------------------------------- */

struct bounds {
    double lon_min, lon_max, lat_min, lat_max;
    int n;
};

static void bounds_add(struct bounds *b, double lon, double lat, int shift)
{
    if (!isfinite(lon) || !isfinite(lat))
        return;
    if (shift && lon < 0.0)
        lon += 360.0;
    if (b->n++ == 0) {
        b->lon_min = b->lon_max = lon;
        b->lat_min = b->lat_max = lat;
        return;
    }
    b->lon_min = fmin(b->lon_min, lon);
    b->lon_max = fmax(b->lon_max, lon);
    b->lat_min = fmin(b->lat_min, lat);
    b->lat_max = fmax(b->lat_max, lat);
}

static void bounds_parts(struct bounds *b, const rg_parts *p, int shift)
{
    for (size_t i = 0; i < p->npoints; i++)
        bounds_add(b, p->xy[2 * i], p->xy[2 * i + 1], shift);
}

/* The area to show: everything, or with --focus everything but the land (when there is more). */
static struct bounds data_bounds(const rm_map *m, int shift)
{
    struct bounds b = {0};
    for (int pass = 0; pass < 2 && b.n == 0; pass++) {
        for (size_t i = 0; i < m->nitems; i++) {
            const rm_item *it = &m->items[i];
            if (pass == 0 && m->focus && it->layer == RM_LAND)
                continue;
            bounds_parts(&b, &it->shape.rings, shift);
            bounds_parts(&b, &it->shape.lines, shift);
        }
    }
    if (b.n == 0)
        for (size_t i = 0; i < m->nplaces; i++)
            bounds_add(&b, m->places[i].lon, m->places[i].lat, shift);
    return b;
}

static size_t legend_rows(bz_context *ctx, const rm_map *m);

static int make_view(struct view *v, bz_context *ctx, const rm_map *m)
{
    memset(v, 0, sizeof *v);
    v->ctx = ctx;
    struct bounds b = data_bounds(m, 0);
    if (b.n == 0)
        return -1;
    if (b.lon_max - b.lon_min > 180.0) { /* a map across the antimeridian */
        v->shift = 1;
        b = data_bounds(m, 1);
    }
    v->lon0 = 0.5 * (b.lon_min + b.lon_max);
    v->lat0 = 0.5 * (b.lat_min + b.lat_max);
    v->coslat = fmax(cos(v->lat0 * DEG), 0.05);
    double dx = fmax((b.lon_max - b.lon_min) * v->coslat, 0.02);
    double dy = fmax(b.lat_max - b.lat_min, 0.02);
    /* 4 % air on every side */
    v->minx = (b.lon_min - v->lon0) * v->coslat - 0.04 * dx;
    v->maxx = (b.lon_max - v->lon0) * v->coslat + 0.04 * dx;
    v->miny = b.lat_min - 0.04 * dy;
    v->maxy = b.lat_max + 0.04 * dy;
    dx = v->maxx - v->minx;
    dy = v->maxy - v->miny;
    v->ox = MARGIN;
    v->oy = HEADER_H;
    int narrow = m->width < NARROW;
    double rows = (double)legend_rows(ctx, m);
    v->fw = (double)m->width - 2.0 * MARGIN - (narrow ? 0.0 : LEGEND_W);
    double max_h = 1.25 * v->fw;
    v->k = fmin(v->fw / dx, max_h / dy);
    double min_h = fmax(0.45 * v->fw, narrow ? 0.0 : 40.0 + ROW_H * rows);
    v->fh = fmax(dy * v->k, min_h);
    if (narrow) {
        v->lx = v->ox;
        v->ly = v->oy + v->fh + 12;
        v->lcol = 0.5 * v->fw;
        v->height = v->ly + 36 + ROW_H * ceil(rows / 2.0) + FOOTER_H - 6;
    } else {
        v->lx = v->ox + v->fw + 20;
        v->ly = v->oy + 4;
        v->height = HEADER_H + v->fh + FOOTER_H;
    }
    v->padx = 0.5 * (v->fw - dx * v->k);
    v->pady = 0.5 * (v->fh - dy * v->k);
    return 0;
}

/* ---- shapes ------------------------------------------------------------------------------- */

/* One SVG path for all parts; points closer than 0.4 px to the last one drawn are skipped,
 * which keeps files of dense real data small without a visible change. */
static void path_data(FILE *out, const struct view *v, const rg_parts *p, int close)
{
    size_t start = 0;
    for (size_t k = 0; k < p->nparts; k++) {
        size_t end = p->ends[k];
        double lx = 0.0, ly = 0.0;
        for (size_t i = start; i < end; i++) {
            double x, y;
            project(v, p->xy[2 * i], p->xy[2 * i + 1], &x, &y);
            if (i == start)
                fprintf(out, "M%.1f %.1f", x, y);
            else if (i + 1 == end || hypot(x - lx, y - ly) >= 0.4)
                fprintf(out, "L%.1f %.1f", x, y);
            else
                continue;
            lx = x;
            ly = y;
        }
        if (close)
            fputc('Z', out);
        start = end;
    }
}

static void draw_parts(FILE *out, const struct view *v, const rg_parts *p, int close,
                       const char *style)
{
    if (p->nparts == 0)
        return;
    fprintf(out, "<path %s d=\"", style);
    path_data(out, v, p, close);
    fputs("\"/>\n", out);
}

/* Bounding-box area (square degrees) of all the land one input brought: a country drawn as
 * 27 oblasts is as large as the country. -1 when the input has no land. */
static double input_land_extent(const rm_map *m, int input)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < m->nitems; i++) {
        const rg_parts *p = &m->items[i].shape.rings;
        if (m->items[i].input != input || m->items[i].layer != RM_LAND)
            continue;
        for (size_t k = 0; k < p->npoints; k++) {
            x0 = fmin(x0, p->xy[2 * k]);
            x1 = fmax(x1, p->xy[2 * k]);
            y0 = fmin(y0, p->xy[2 * k + 1]);
            y1 = fmax(y1, p->xy[2 * k + 1]);
        }
    }
    return x1 >= x0 ? (x1 - x0) * (y1 - y0) : -1.0;
}

/* Each input's land gets its own tint: the largest (the country) the lightest. */
static size_t land_rank(const rm_map *m, int input)
{
    double mine = input_land_extent(m, input);
    size_t rank = 0;
    for (size_t j = 0; j < m->ninputs; j++) {
        double other = input_land_extent(m, (int)j);
        if ((int)j != input && (other > mine || (other == mine && (int)j < input)))
            rank++;
    }
    return rank % LAND_TINTS;
}

/* The "kind" attribute the library writes for a layer's features (NULL: land, places, ...). */
static const char *kind_of(rm_layer layer)
{
    switch (layer) {
    case RM_ZONE: return "zone";
    case RM_GAINED: return "gained";
    case RM_LOST: return "lost";
    case RM_BUFFER: return "buffer_zone";
    case RM_WITHDRAWAL: return "withdrawal_line";
    case RM_CONTACT: return "contact_line";
    default: return NULL;
    }
}

/* The look shared with the library's QGIS styles and simplestyle properties (bz_look_of). */
static bz_look look_of(bz_context *ctx, rm_layer layer, int side, int polygonal)
{
    bz_look l = BZ_LOOK_INIT;
    if (bz_look_of(&l, ctx, kind_of(layer), side, polygonal) != BZ_OK) /* not with BZ_LOOK_INIT */
        l.fill = l.stroke = "#495057";
    return l;
}

/* An item's SVG presentation attributes, from the shared look (bz_look_of). */
static void item_style(char *buf, size_t size, const struct view *v, const rm_map *m,
                       const rm_item *it, int polygonal)
{
    bz_look l = look_of(v->ctx, it->layer, it->side, polygonal);
    if (it->layer == RM_LAND && polygonal)
        l.fill = land_tint[land_rank(m, it->input)];
    char fill[64] = "fill=\"none\"", stroke[160] = "stroke=\"none\"";
    if (polygonal && l.fill_opacity >= 1.0)
        snprintf(fill, sizeof fill, "fill=\"%s\"", l.fill);
    else if (polygonal && l.fill_opacity > 0.0)
        snprintf(fill, sizeof fill, "fill=\"%s\" fill-opacity=\"%.3g\"", l.fill, l.fill_opacity);
    if (l.stroke_opacity > 0.0) {
        char opacity[40] = "", dash[48] = "";
        if (l.stroke_opacity < 1.0)
            snprintf(opacity, sizeof opacity, " stroke-opacity=\"%.3g\"", l.stroke_opacity);
        if (l.dash_px > 0.0)
            snprintf(dash, sizeof dash, " stroke-dasharray=\"%g %g\"", l.dash_px, l.gap_px);
        snprintf(stroke, sizeof stroke, "stroke=\"%s\" stroke-width=\"%.3g\"%s%s", l.stroke,
                 l.width_px, opacity, dash);
    }
    snprintf(buf, size, "%s %s", fill, stroke);
}

static const rm_map *g_sort_map; /* qsort has no user pointer in C11 */

/* Land: the larger input first, so a territory is not hidden under the country around it;
 * within an input, its own order. */
static int by_extent(const void *pa, const void *pb)
{
    const rm_item *a = &g_sort_map->items[*(const size_t *)pa];
    const rm_item *b = &g_sort_map->items[*(const size_t *)pb];
    double ea = input_land_extent(g_sort_map, a->input);
    double eb = input_land_extent(g_sort_map, b->input);
    if (ea != eb)
        return ea < eb ? 1 : -1;
    if (a->input != b->input)
        return a->input < b->input ? -1 : 1;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    return ia < ib ? -1 : ia > ib;
}

static void draw_item(FILE *out, const struct view *v, const rm_map *m, const rm_item *it)
{
    char style[256];
    bz_look l = look_of(v->ctx, it->layer, it->side, 0);
    if (l.halo_px > 0.0) { /* a white halo lifts the line off the zones */
        snprintf(style, sizeof style, "fill=\"none\" stroke=\"#fff\" stroke-width=\"%.3g\"",
                 l.halo_px);
        draw_parts(out, v, &it->shape.lines, 0, style);
    }
    item_style(style, sizeof style, v, m, it, 1);
    draw_parts(out, v, &it->shape.rings, 1, style);
    item_style(style, sizeof style, v, m, it, 0);
    draw_parts(out, v, &it->shape.lines, 0, style);
}

static void draw_items(FILE *out, const struct view *v, const rm_map *m)
{
    size_t *order = malloc((m->nitems ? m->nitems : 1) * sizeof *order);
    for (int layer = 0; layer < RM_LAYERS; layer++) {
        size_t n = 0;
        for (size_t i = 0; i < m->nitems; i++) {
            if ((int)m->items[i].layer != layer)
                continue;
            if (order)
                order[n++] = i;
            else
                draw_item(out, v, m, &m->items[i]); /* out of memory: input order */
        }
        if (order && layer == RM_LAND) {
            g_sort_map = m;
            qsort(order, n, sizeof *order, by_extent);
        }
        for (size_t k = 0; order && k < n; k++)
            draw_item(out, v, m, &m->items[order[k]]);
    }
    free(order);
}

/* ---- places ------------------------------------------------------------------------------- */

struct box {
    double x0, y0, x1, y1;
};

static int overlaps(const struct box *a, const struct box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static int by_population(const void *pa, const void *pb)
{
    const rm_place *a = *(const rm_place *const *)pa, *b = *(const rm_place *const *)pb;
    double x = isfinite(a->population) ? a->population : -1.0;
    double y = isfinite(b->population) ? b->population : -1.0;
    return x < y ? 1 : x > y ? -1 : 0;
}

static double dot_radius(double population)
{
    if (!isfinite(population) || population < 1000.0)
        return 2.0;
    return fmin(2.0 + 1.1 * log10(population / 1000.0), 5.5);
}

static void draw_places(FILE *out, const struct view *v, const rm_map *m)
{
    if (m->nplaces == 0)
        return;
    const rm_place **order = malloc(m->nplaces * sizeof *order);
    struct box *boxes = malloc((m->nplaces + 1) * sizeof *boxes);
    if (!order || !boxes) {
        free(order);
        free(boxes);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < m->nplaces; i++) {
        double x, y;
        project(v, m->places[i].lon, m->places[i].lat, &x, &y);
        if (x > v->ox + 3 && x < v->ox + v->fw - 3 && y > v->oy + 3 && y < v->oy + v->fh - 3)
            order[n++] = &m->places[i];
    }
    qsort(order, n, sizeof *order, by_population);
    const size_t max_labels = 30;
    size_t max_dots = n, nboxes = 0;
    if (max_dots > 250)
        max_dots = 250; /* a dense gazetteer would blot the map out: the largest only */
    /* keep labels off the scale bar and the north arrow */
    boxes[nboxes++] = (struct box){v->ox, v->oy + v->fh - 56, v->ox + 260, v->oy + v->fh};
    fputs("<g fill=\"#212529\" stroke=\"#fff\" stroke-width=\"0.8\">\n", out);
    for (size_t i = max_dots; i-- > 0;) { /* big towns last, on top */
        double x, y;
        project(v, order[i]->lon, order[i]->lat, &x, &y);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>\n", x, y,
                dot_radius(order[i]->population));
    }
    fputs("</g>\n<g font-size=\"11\" fill=\"#212529\" stroke=\"#fff\" stroke-width=\"3\" "
          "paint-order=\"stroke\" stroke-linejoin=\"round\">\n",
          out);
    size_t labelled = 0;
    for (size_t i = 0; i < max_dots && labelled < max_labels; i++) {
        const char *name = order[i]->name;
        if (!name || !*name)
            continue;
        double x, y, r = dot_radius(order[i]->population);
        project(v, order[i]->lon, order[i]->lat, &x, &y);
        size_t chars = 0;
        for (const char *s = name; *s; s++)
            chars += ((unsigned char)*s & 0xC0) != 0x80;
        double w = 6.2 * (double)chars + 2.0;
        struct box right = {x + r + 2, y - 8, x + r + 2 + w, y + 5};
        struct box left = {x - r - 2 - w, y - 8, x - r - 2, y + 5};
        const struct box *tries[2] = {&right, &left};
        for (int t = 0; t < 2; t++) {
            const struct box *bx = tries[t];
            int ok = bx->x0 > v->ox && bx->x1 < v->ox + v->fw && bx->y0 > v->oy &&
                     bx->y1 < v->oy + v->fh;
            for (size_t k = 0; ok && k < nboxes; k++)
                ok = !overlaps(bx, &boxes[k]);
            if (!ok)
                continue;
            boxes[nboxes++] = *bx;
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\"%s>", t ? bx->x1 : bx->x0, y + 3.5,
                    t ? " text-anchor=\"end\"" : "");
            xml_text(out, name);
            fputs("</text>\n", out);
            labelled++;
            break;
        }
    }
    fputs("</g>\n", out);
    free(order);
    free(boxes);
}

/* ---- furniture: scale bar, north arrow, legend, title ------------------------------------- */

static void draw_scale_bar(FILE *out, bz_context *ctx, const struct view *v)
{
    /* metres per pixel along the parallel through the map's centre, measured geodesically */
    double dlon = 100.0 / (v->k * v->coslat);
    double d100 = 0.0;
    if (bz_geodesic_inverse(&d100, NULL, NULL, ctx, v->lon0 - dlon / 2, v->lat0, v->lon0 + dlon / 2,
                            v->lat0) != BZ_OK ||
        d100 <= 0.0)
        return;
    double m_per_px = d100 / 100.0;
    double target_km = 0.22 * v->fw * m_per_px / 1000.0;
    double step = pow(10.0, floor(log10(target_km)));
    double nice = target_km >= 5 * step ? 5 * step : target_km >= 2 * step ? 2 * step : step;
    double px = nice * 1000.0 / m_per_px;
    double x = v->ox + 14, y = v->oy + v->fh - 18;
    fprintf(out,
            "<g font-size=\"11\" fill=\"#212529\">\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"34\" fill=\"#fff\" "
            "fill-opacity=\"0.8\" rx=\"3\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#212529\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#fff\" "
            "stroke=\"#212529\" stroke-width=\"1\"/>\n",
            x - 8, y - 22, px + 60, x, y, px / 2, x + px / 2, y, px / 2);
    char a[32], b[32];
    fprintf(out,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">0</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s km</text>\n</g>\n",
            x, y - 5, x + px / 2, y - 5,
            tool_fmt_number(a, sizeof a, nice / 2, nice < 2 ? 1 : 0, 0), x + px + 8, y - 5,
            tool_fmt_number(b, sizeof b, nice, nice < 1 ? 1 : 0, 0));
}

static void draw_north_arrow(FILE *out, const struct view *v)
{
    double x = v->ox + v->fw - 26, y = v->oy + 16;
    fprintf(out,
            "<g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"44\" fill=\"#fff\" "
            "fill-opacity=\"0.8\" rx=\"3\"/>\n"
            "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"#212529\"/>\n"
            "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"#fff\" stroke=\"#212529\"/>\n"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" "
            "text-anchor=\"middle\">N</text>\n</g>\n",
            x - 12, y - 2, x, y + 16, x - 6, y + 32, x, y + 28, x, y + 16, x + 6, y + 32, x, y + 28,
            x, y + 13);
}

enum swatch { SW_FILL, SW_LINE, SW_DASH, SW_OUTLINE, SW_DOT };

struct entry {
    enum swatch swatch;
    const char *colour, *stroke;
    double opacity;
    double width;
    char label[192];
};

static int has_item(const rm_map *m, rm_layer layer, int side, int input)
{
    for (size_t i = 0; i < m->nitems; i++)
        if (m->items[i].layer == layer && (side < 0 || m->items[i].side == side) &&
            (input < 0 || m->items[i].input == input))
            return 1;
    return 0;
}

/* Fills up to `cap` legend entries; returns how many there are. */
static size_t legend_entries(bz_context *ctx, const rm_map *m, struct entry *e, size_t cap)
{
    size_t n = 0;
    char num[64], dist[64];
#define ADD(sw, col, op, wd)                                                                       \
    if (n < cap)                                                                                   \
        e[n++] = (struct entry)                                                                    \
        {                                                                                          \
            sw, col, col, op, wd, ""                                                               \
        }
    for (size_t s = 0; s < m->nsides; s++) {
        if (!has_item(m, RM_ZONE, (int)s, -1))
            continue;
        bz_look l = look_of(ctx, RM_ZONE, (int)s, 1);
        ADD(SW_FILL, l.fill, l.fill_opacity, 0.6);
        const rm_side *sd = &m->sides[s];
        int k = snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s zone", sd->name);
        if (isfinite(sd->distance_m) && k > 0)
            k += snprintf(e[n - 1].label + k, sizeof e[n - 1].label - (size_t)k, ", %s",
                          tool_fmt_distance(dist, sizeof dist, sd->distance_m));
        if (isfinite(sd->zone_km2) && k > 0)
            snprintf(e[n - 1].label + k, sizeof e[n - 1].label - (size_t)k, ", %s km²",
                     tool_fmt_number(num, sizeof num, sd->zone_km2, 0, 0));
    }
    for (size_t s = 0; s < m->nsides; s++) {
        if (!has_item(m, RM_WITHDRAWAL, (int)s, -1))
            continue;
        bz_look l = look_of(ctx, RM_WITHDRAWAL, (int)s, 0);
        ADD(SW_DASH, l.stroke, l.stroke_opacity, l.width_px);
        snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s withdrawal line", m->sides[s].name);
    }
    if (has_item(m, RM_CONTACT, -1, -1)) {
        bz_look l = look_of(ctx, RM_CONTACT, -1, 0);
        ADD(SW_LINE, l.stroke, l.stroke_opacity, l.width_px);
        if (isfinite(m->contact_km))
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "contact line, %s km",
                     tool_fmt_number(num, sizeof num, m->contact_km, 0, 0));
        else
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "contact line");
    }
    if (has_item(m, RM_BUFFER, -1, -1)) {
        bz_look l = look_of(ctx, RM_BUFFER, -1, 1);
        ADD(SW_OUTLINE, l.stroke, l.stroke_opacity, l.width_px);
        if (isfinite(m->buffer_km2))
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "buffer zone, %s km²",
                     tool_fmt_number(num, sizeof num, m->buffer_km2, 0, 0));
        else
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "buffer zone");
    }
    const struct {
        rm_layer layer;
        const char *what;
        double km2;
    } change[] = {{RM_GAINED, "gained", m->gained_km2}, {RM_LOST, "lost", m->lost_km2}};
    for (size_t c = 0; c < 2; c++) {
        if (!has_item(m, change[c].layer, -1, -1))
            continue;
        bz_look l = look_of(ctx, change[c].layer, -1, 1);
        ADD(SW_FILL, l.fill, l.fill_opacity, l.width_px);
        e[n - 1].stroke = l.stroke;
        if (isfinite(change[c].km2))
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s, %s km²", change[c].what,
                     tool_fmt_number(num, sizeof num, change[c].km2, 0, 0));
        else
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s", change[c].what);
    }
    for (size_t i = 0; i < m->ninputs; i++) {
        if (has_item(m, RM_LAND, -1, (int)i)) {
            ADD(SW_FILL, land_tint[land_rank(m, (int)i)], 1.0, 0.8);
            e[n - 1].stroke = "#868e96";
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s", m->input_labels[i]);
        }
        if (has_item(m, RM_OTHER_LINE, -1, (int)i)) {
            ADD(SW_LINE, "#495057", 1.0, 1.2);
            snprintf(e[n - 1].label, sizeof e[n - 1].label, "%s", m->input_labels[i]);
        }
    }
    if (m->nplaces > 0) {
        ADD(SW_DOT, "#212529", 1.0, 0.0);
        snprintf(e[n - 1].label, sizeof e[n - 1].label, "places (largest named)");
    }
#undef ADD
    return n;
}

static size_t legend_rows(bz_context *ctx, const rm_map *m)
{
    struct entry e[32];
    return legend_entries(ctx, m, e, 32);
}

static void draw_legend(FILE *out, const struct view *v, const rm_map *m)
{
    struct entry e[32];
    size_t n = legend_entries(v->ctx, m, e, 32);
    bz_look dashed = look_of(v->ctx, RM_WITHDRAWAL, -1, 0);
    double x0 = v->lx, y = v->ly;
    fprintf(out,
            "<g font-size=\"12\" fill=\"#212529\">\n<text x=\"%.1f\" y=\"%.1f\" "
            "font-weight=\"bold\" font-size=\"13\">Legend</text>\n",
            x0, y + 12);
    size_t per_col = v->lcol > 0.0 ? (n + 1) / 2 : n;
    for (size_t i = 0; i < n; i++) {
        double x = x0 + (per_col && i >= per_col ? v->lcol : 0.0);
        double cy = y + 36 + ROW_H * (double)(per_col ? i % per_col : i);
        const struct entry *en = &e[i];
        switch (en->swatch) {
        case SW_FILL:
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"28\" height=\"14\" fill=\"%s\" "
                    "fill-opacity=\"%.2f\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n",
                    x, cy - 11, en->colour, en->opacity, en->stroke, en->width);
            break;
        case SW_OUTLINE:
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"28\" height=\"14\" fill=\"none\" "
                    "stroke=\"%s\" stroke-opacity=\"%.2f\" stroke-width=\"%.1f\"/>\n",
                    x, cy - 11, en->colour, en->opacity, en->width);
            break;
        case SW_LINE:
        case SW_DASH:
            fprintf(out, "<path d=\"M%.1f %.1fh28\" stroke=\"%s\" stroke-width=\"%.1f\"", x, cy - 4,
                    en->colour, en->width);
            if (en->swatch == SW_DASH)
                fprintf(out, " stroke-dasharray=\"%g %g\"", dashed.dash_px, dashed.gap_px);
            fputs("/>\n", out);
            break;
        case SW_DOT:
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x + 14,
                    cy - 4, en->colour);
            break;
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 38, cy);
        xml_text(out, en->label);
        fputs("</text>\n", out);
    }
    fputs("</g>\n", out);
}

static void draw_header(FILE *out, const rm_map *m)
{
    fputs("<text x=\"16\" y=\"34\" font-size=\"22\" font-weight=\"bold\" fill=\"#212529\">", out);
    xml_text(out, m->title);
    fputs("</text>\n", out);
    char line[256] = "", num[64];
    size_t k = 0;
    if (isfinite(m->contact_km))
        k += (size_t)snprintf(line + k, sizeof line - k, "Contact line %s km",
                              tool_fmt_number(num, sizeof num, m->contact_km, 1, 0));
    if (isfinite(m->buffer_km2) && k < sizeof line)
        k += (size_t)snprintf(line + k, sizeof line - k, "%sbuffer zone %s km²", k ? " · " : "",
                              tool_fmt_number(num, sizeof num, m->buffer_km2, 1, 0));
    if (isfinite(m->gained_km2) && isfinite(m->lost_km2) && k < sizeof line) {
        char num2[64];
        snprintf(line + k, sizeof line - k, "%sgained %s km², lost %s km²", k ? " · " : "",
                 tool_fmt_number(num, sizeof num, m->gained_km2, 1, 0),
                 tool_fmt_number(num2, sizeof num2, m->lost_km2, 1, 0));
    }
    if (line[0]) {
        fputs("<text x=\"16\" y=\"58\" font-size=\"13\" fill=\"#495057\">", out);
        xml_text(out, line);
        fputs("</text>\n", out);
    }
}

int rm_write_svg(FILE *out, bz_context *ctx, const rm_map *m)
{
    struct view v;
    if (make_view(&v, ctx, m) != 0)
        return -1;
    double w = (double)m->width, h = v.height;
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
            "<defs><clipPath id=\"frame\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\"/></clipPath></defs>\n",
            w, h, w, h, v.ox, v.oy, v.fw, v.fh);
    draw_header(out, m);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e9ecef\"/>\n",
            v.ox, v.oy, v.fw, v.fh);
    fputs("<g clip-path=\"url(#frame)\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n",
          out);
    draw_items(out, &v, m);
    draw_places(out, &v, m);
    fputs("</g>\n", out);
    fprintf(out,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#adb5bd\"/>\n",
            v.ox, v.oy, v.fw, v.fh);
    draw_scale_bar(out, ctx, &v);
    draw_north_arrow(out, &v);
    draw_legend(out, &v, m);
    /* narrow maps break the note in two lines so it stays on the page */
    int narrow = m->width < NARROW;
    fprintf(out,
            "<text x=\"16\" y=\"%.1f\" font-size=\"11\" fill=\"#868e96\">Equirectangular "
            "projection, true scale along %.2f°%c.%s",
            h - (narrow ? 30 : 16), fabs(v.lat0), v.lat0 >= 0 ? 'N' : 'S',
            narrow ? "</text>\n<text x=\"16\" y=\"" : " ");
    if (narrow)
        fprintf(out, "%.1f\" font-size=\"11\" fill=\"#868e96\">", h - 14);
    fprintf(out,
            "Lengths and areas on the WGS84 ellipsoid. Drawn by bz-render (bufferzone %s)."
            "</text>\n</svg>\n",
            bz_version());
    return 0;
}
