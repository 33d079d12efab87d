/*
 * palette.h — the one look of bufferzone's maps. bz-render's SVG (examples/render_map.c), the
 * QGIS styles the writer stores (QML and SLD, style.c) and the simplestyle properties of its
 * GeoJSON (geojson_write.c, for geojson.io and GitHub) all take their colours, opacities,
 * widths and dashes from bzi_look_of, so the three cannot drift apart:
 *   - zones filled in their side's colour, without an outline (the dashed withdrawal line is
 *     the zone's far edge);
 *   - withdrawal lines dashed in their side's colour;
 *   - the contact line bold and near-black, on a white halo;
 *   - the buffer zone an outline only: a soft grey band, the zones show through;
 *   - bz-diff's gained areas red, lost areas green.
 *
 * Header-only, no symbols: bz-render, which otherwise uses only the public API, includes it
 * too (static inline functions, so a file that uses part of it warns about nothing).
 * Widths are CSS pixels (96 per inch), what SVG and simplestyle's stroke-width mean; the QGIS
 * styles convert them to millimetres (BZI_PX_MM).
 */
#ifndef BZ_PALETTE_H
#define BZ_PALETTE_H

#include <stddef.h>
#include <string.h>

/* Side colours, in the order the sides are first met (they repeat after six): a pair that
 * colour-blind readers can still tell apart (orange / blue) first. */
#define BZI_PALETTE_SIDES 6

static inline const char *bzi_palette_side(size_t i)
{
    static const char *const colour[BZI_PALETTE_SIDES] = {"#d9480f", "#1864ab", "#2b8a3e",
                                                          "#862e9c", "#e67700", "#0b7285"};
    return colour[i % BZI_PALETTE_SIDES];
}

/* Millimetres per CSS pixel (96 dpi): the QGIS styles' widths are the same lines in mm. */
#define BZI_PX_MM (25.4 / 96.0)

/* Withdrawal lines: dashes of this many pixels, gaps of this many. */
#define BZI_DASH_PX 7.0
#define BZI_GAP_PX 4.0

/* What a feature is, from its "kind" attribute. */
typedef enum bzi_mark {
    BZI_MARK_OTHER, /* no kind we know: land (polygons), plain lines, places (points) */
    BZI_MARK_ZONE,
    BZI_MARK_WITHDRAWAL,
    BZI_MARK_CONTACT,
    BZI_MARK_BUFFER,
    BZI_MARK_GAINED,
    BZI_MARK_LOST
} bzi_mark;

static inline bzi_mark bzi_mark_of(const char *kind)
{
    static const struct {
        const char *kind;
        bzi_mark mark;
    } kinds[] = {{"zone", BZI_MARK_ZONE},
                 {"withdrawal_line", BZI_MARK_WITHDRAWAL},
                 {"contact_line", BZI_MARK_CONTACT},
                 {"buffer_zone", BZI_MARK_BUFFER},
                 {"gained", BZI_MARK_GAINED},
                 {"lost", BZI_MARK_LOST}};
    for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
        if (strcmp(kind, kinds[k].kind) == 0)
            return kinds[k].mark;
    return BZI_MARK_OTHER;
}

/* How one feature is drawn. fill_opacity 0 = not filled; stroke_opacity 0 = no outline. */
typedef struct bzi_look {
    const char *fill, *stroke; /* "#rrggbb" */
    double fill_opacity, stroke_opacity;
    double width_px; /* line width, or a polygon's outline */
    int dashed;      /* BZI_DASH_PX on BZI_GAP_PX */
    double halo_px;  /* > 0: a white line this wide drawn under the line */
} bzi_look;

/*
 * The look of a feature of `mark`, of the side with colour index `side` (-1 = no side),
 * a polygon (polygonal != 0) or a line / point.
 */
static inline bzi_look bzi_look_of(bzi_mark mark, int side, int polygonal)
{
    const char *c = side >= 0 ? bzi_palette_side((size_t)side) : "#495057";
    bzi_look l = {c, c, 0.0, 1.0, 1.2, 0, 0.0};
    /* A table written as a switch: each case is one kind's look (data, not repeated logic). */
    switch (mark) {
    case BZI_MARK_ZONE: /* no outline: the dashed withdrawal line is the zone's far edge */
        l.fill_opacity = 0.33;
        l.stroke_opacity = polygonal ? 0.0 : 1.0;
        l.width_px = polygonal ? 0.6 : 1.8;
        break;
    case BZI_MARK_WITHDRAWAL:
        l.width_px = 1.8;
        l.dashed = 1;
        break;
    case BZI_MARK_CONTACT: /* the halo lifts the line off the zones */
        l.fill = l.stroke = "#111111";
        l.width_px = 2.6;
        l.halo_px = 5.5;
        break;
    case BZI_MARK_BUFFER: /* a soft band, so the dashed lines on top of it still read dashed */
        l.fill = l.stroke = "#495057";
        l.stroke_opacity = 0.4;
        l.width_px = 4.0;
        break;
    case BZI_MARK_GAINED:
        l.fill = "#e03131";
        l.stroke = "#c92a2a";
        l.fill_opacity = 0.5;
        l.width_px = 0.6;
        break;
    case BZI_MARK_LOST:
        l.fill = "#2f9e44";
        l.stroke = "#2b8a3e";
        l.fill_opacity = 0.5;
        l.width_px = 0.6;
        break;
    case BZI_MARK_OTHER:
        if (polygonal && side < 0) { /* land: a light tint, a grey edge */
            l.fill = "#f1efe9";
            l.stroke = "#868e96";
            l.fill_opacity = 1.0;
            l.width_px = 0.8;
        } else if (polygonal) {
            l.fill_opacity = 0.33;
            l.width_px = 0.6;
        }
        break;
    }
    return l;
}

#endif
