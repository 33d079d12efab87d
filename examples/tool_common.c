/* tool_common.c — helpers every bz-* tool shares (see tool_common.h). */
#include "tool_common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A program-wide name is fine here: the tools are programs, not the library. */
static const char *g_name = "bz-tool";

void tool_init(const char *argv0)
{
    if (argv0 && *argv0) {
        const char *slash = strrchr(argv0, '/');
        g_name = slash ? slash + 1 : argv0;
    }
}

const char *tool_name(void)
{
    return g_name;
}

static void vmessage(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", g_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int tool_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", g_name);
    return TOOL_USAGE;
}

int tool_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return TOOL_FAIL;
}

int tool_bz_fail(const bz_context *ctx, const char *what)
{
    const char *msg = ctx ? bz_errmsg(ctx) : "";
    if (!msg || !*msg)
        msg = ctx ? bz_status_string(bz_errcode(ctx)) : "cannot create a context";
    return tool_fail("%s: %s", what, msg);
}

int tool_version(void)
{
    printf("%s (bufferzone %s)\n", g_name, bz_version());
    return TOOL_OK;
}

int tool_bad_option(int c, const char *opt)
{
    if (c == ':')
        return tool_usage_error("option '%s' needs a value", opt);
    return tool_usage_error("unknown option '%s'", opt);
}

bz_context *tool_context_new(void)
{
    bz_context *ctx = bz_context_new();
    if (!ctx)
        tool_fail("cannot create a bufferzone context (out of memory?)");
    return ctx;
}

/* ------------------------------------------------------------------------------------------ */

static int unit_factor(const char *unit, double *factor)
{
    static const struct {
        const char *name;
        double metres;
    } units[] = {
        {"", 1000.0},           {"km", 1000.0},         {"m", 1.0},
        {"mi", 1609.344},       {"nmi", 1852.0},        {"nm", 1852.0},
        {"kilometres", 1000.0}, {"kilometers", 1000.0}, {"metres", 1.0},
        {"meters", 1.0},        {"miles", 1609.344},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(unit, units[i].name) == 0) {
            *factor = units[i].metres;
            return 0;
        }
    }
    return -1;
}

int tool_parse_distance(const char *text, double *metres)
{
    if (!text || !*text)
        return -1;
    /* strtod also takes "0x10", "1e3", "inf", "nan" and signs: check the shape first, digits
     * with at most one point and at least one digit, so that only plain decimals get to it. */
    size_t digits = 0, points = 0, len = 0;
    for (; isdigit((unsigned char)text[len]) || text[len] == '.'; len++) {
        digits += text[len] != '.';
        points += text[len] == '.';
    }
    if (digits == 0 || points > 1)
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (end != text + len || errno == ERANGE || !isfinite(v) || v < 0.0)
        return -1;
    while (*end == ' ')
        end++;
    char unit[16];
    size_t n = strlen(end);
    if (n >= sizeof unit)
        return -1;
    for (size_t i = 0; i <= n; i++)
        unit[i] = (char)tolower((unsigned char)end[i]);
    double factor;
    if (unit_factor(unit, &factor) != 0)
        return -1;
    v *= factor;
    if (v > BZ_MAX_DISTANCE_M || (v > 0.0 && v < BZ_MIN_DISTANCE_M))
        return -1;
    *metres = v;
    return 0;
}

int tool_bad_distance(const char *option, const char *text)
{
    return tool_usage_error(
        "%s: bad distance '%s' (expected 0, or a plain decimal number from 0.1 mm (0.0001m) to "
        "1000 km, with a unit m, km, mi or nmi; a bare number means km)",
        option, text ? text : "");
}

int tool_parse_count(const char *text, int *value)
{
    if (!text || !*text)
        return -1;
    errno = 0;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (*end || errno == ERANGE || v < 0 || v > 1024)
        return -1;
    *value = (int)v;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */

char *tool_fmt_number(char *buf, size_t size, double value, int decimals, int sign)
{
    if (!isfinite(value)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(value));
    /* -0.0 after rounding is shown without a sign */
    int negative = value < 0.0 && strspn(raw, "0.") != strlen(raw);
    int positive = value > 0.0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    char tmp[96];
    size_t k = 0;
    if (negative)
        tmp[k++] = '-';
    else if (sign && positive)
        tmp[k++] = '+';
    for (size_t i = 0; i < int_len; i++) {
        tmp[k++] = raw[i];
        size_t left = int_len - i - 1;
        if (left > 0 && left % 3 == 0)
            tmp[k++] = ',';
    }
    tmp[k] = '\0';
    snprintf(buf, size, "%s%s", tmp, dot ? dot : "");
    return buf;
}

char *tool_fmt_distance(char *buf, size_t size, double metres)
{
    if (!isfinite(metres))
        snprintf(buf, size, "n/a");
    else if (metres == 0.0)
        snprintf(buf, size, "0");
    else if (metres < 1.0) /* millimetres would read "0 m" */
        snprintf(buf, size, "%.4g mm", metres * 1000.0);
    else if (metres < 1000.0)
        snprintf(buf, size, "%.0f m", metres);
    else
        snprintf(buf, size, "%.4g km", metres / 1000.0);
    return buf;
}

/* ------------------------------------------------------------------------------------------ */

struct tool_table {
    size_t ncols;
    size_t ncells;
    size_t cap;
    char **cells;
    char align[32];
};

tool_table *tool_table_new(size_t ncols)
{
    if (ncols == 0 || ncols >= sizeof(((tool_table *)0)->align))
        return NULL;
    tool_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        t->align[i] = i == 0 ? 'l' : 'r';
    return t;
}

void tool_table_align(tool_table *t, const char *align)
{
    for (size_t i = 0; t && align && i < t->ncols && align[i]; i++)
        t->align[i] = align[i];
}

int tool_table_add(tool_table *t, const char *cell)
{
    if (!t)
        return -1;
    if (t->ncells == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        char **cells = realloc(t->cells, cap * sizeof *cells);
        if (!cells)
            return -1;
        t->cells = cells;
        t->cap = cap;
    }
    char *copy = strdup(cell ? cell : "");
    if (!copy)
        return -1;
    t->cells[t->ncells++] = copy;
    return 0;
}

/* Columns line up on screen, so count characters, not bytes (names and "km²" are UTF-8). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* Print one row, without trailing blanks (an empty last column would leave some). */
static void print_row(const tool_table *t, const size_t *width, size_t first, FILE *out)
{
    size_t len = 0;
    char line[4096];
    for (size_t c = 0; c < t->ncols && first + c < t->ncells; c++) {
        const char *s = t->cells[first + c];
        size_t pad = width[c] - display_width(s);
        int n = snprintf(line + len, sizeof line - len, "%s%*s%s%*s", c ? "  " : "",
                         t->align[c] == 'r' ? (int)pad : 0, "", s,
                         t->align[c] == 'r' ? 0 : (int)pad, "");
        if (n < 0 || (size_t)n >= sizeof line - len)
            break;
        len += (size_t)n;
    }
    while (len > 0 && line[len - 1] == ' ')
        len--;
    fprintf(out, "%.*s\n", (int)len, line);
}

void tool_table_print(const tool_table *t, FILE *out)
{
    if (!t || t->ncells == 0)
        return;
    size_t width[32] = {0};
    for (size_t i = 0; i < t->ncells; i++) {
        size_t w = display_width(t->cells[i]);
        if (w > width[i % t->ncols])
            width[i % t->ncols] = w;
    }
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        total += width[c] + (c ? 2 : 0);
    for (size_t row = 0; row * t->ncols < t->ncells; row++) {
        print_row(t, width, row * t->ncols, out);
        if (row == 0) { /* a rule under the header */
            for (size_t k = 0; k < total; k++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
}

void tool_table_free(tool_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

/* ------------------------------------------------------------------------------------------ */

void tool_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void tool_json_number(FILE *out, double v, int decimals)
{
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    /* trim trailing zeros so 5000.000 prints as 5000 */
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (n > 0 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    fputs(buf, out);
}

void tool_csv_field(FILE *out, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* ------------------------------------------------------------------------------------------ */

int tool_check_stdout_format(const char *output, const char *format)
{
    if (!output || strcmp(output, "-") != 0 || !format)
        return TOOL_OK;
    if (strcmp(format, "GeoJSON") == 0 || strcmp(format, "GeoJSONSeq") == 0)
        return TOOL_OK;
    return tool_usage_error("-o - writes GeoJSON to standard output; -f %s needs a file name",
                            format);
}

int tool_output_begin(tool_output *o, const char *user_path)
{
    memset(o, 0, sizeof *o);
    o->path = user_path;
    if (strcmp(user_path, "-") != 0)
        return TOOL_OK;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 40)
        tmp = "/tmp";
    snprintf(o->dir, sizeof o->dir, "%s/bz-out-XXXXXX", tmp);
    if (!mkdtemp(o->dir)) {
        o->dir[0] = '\0';
        return tool_fail("cannot create a temporary directory for standard output: %s",
                         strerror(errno));
    }
    snprintf(o->file, sizeof o->file, "%s/stdout.geojson", o->dir);
    o->path = o->file;
    o->to_stdout = 1;
    return TOOL_OK;
}

int tool_output_finish(tool_output *o)
{
    if (!o->to_stdout)
        return TOOL_OK;
    FILE *f = fopen(o->file, "rb");
    if (!f)
        return tool_fail("cannot read back the temporary output %s: %s", o->file, strerror(errno));
    char buf[65536];
    size_t n;
    int rc = TOOL_OK;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) {
            rc = tool_fail("writing to standard output failed");
            break;
        }
    fclose(f);
    if (fflush(stdout) != 0 && rc == TOOL_OK)
        rc = tool_fail("writing to standard output failed");
    return rc;
}

void tool_output_cleanup(tool_output *o)
{
    if (!o->to_stdout || !o->dir[0])
        return;
    unlink(o->file);
    rmdir(o->dir);
    o->dir[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */

bz_write_options tool_write_options(const tool_output *o, const char *format, int overwrite,
                                    int no_style)
{
    bz_write_options w = BZ_WRITE_OPTIONS_INIT;
    w.format = format ? format : (o->to_stdout ? "GeoJSON" : NULL);
    w.overwrite = overwrite || o->to_stdout;
    w.no_style = no_style || o->to_stdout; /* nothing goes beside standard output */
    return w;
}

int tool_check_io(bz_context *ctx, const char *output, const char *format, int overwrite,
                  int no_style, const char *const *inputs, size_t ninputs)
{
    /* GDAL would read the one standard input twice: the second read sees nothing. */
    size_t stdin_uses = 0;
    for (size_t k = 0; k < ninputs; k++)
        stdin_uses += inputs[k] && strcmp(inputs[k], "-") == 0;
    if (stdin_uses > 1)
        return tool_usage_error("'-' (standard input) is given for %zu inputs; it can be read "
                                "only once: name the other inputs' files",
                                stdin_uses);
    if (!output || strcmp(output, "-") == 0)
        return TOOL_OK;
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.format = format;
    o.overwrite = overwrite;
    o.no_style = no_style;
    int rc = bz_output_check(ctx, output, &o, inputs, ninputs);
    if (rc == BZ_OK)
        return TOOL_OK;
    if (rc == BZ_ERR_EXISTS)
        return tool_fail("%s: pass --overwrite to replace it", bz_errmsg(ctx));
    if (rc == BZ_ERR_ARGUMENT)
        return tool_usage_error("%s", bz_errmsg(ctx));
    return tool_fail("%s", bz_errmsg(ctx));
}

int tool_write_failed(const bz_context *ctx, const char *output)
{
    if (bz_errcode(ctx) == BZ_ERR_EXISTS)
        return tool_fail("%s: pass --overwrite to replace it", bz_errmsg(ctx));
    char what[1200];
    snprintf(what, sizeof what, "writing %s", output);
    return tool_bz_fail(ctx, what);
}

const char *tool_input_path(const char *path)
{
    /* GDAL reads standard input through its virtual file system. */
    return strcmp(path, "-") == 0 ? "/vsistdin/" : path;
}

/* "reading the KIND from PATH: message", without naming PATH twice when the library's message
 * already does. */
int tool_make_valid;

/* The library's hint for an invalid polygon, "(make_valid repairs it)", names the read option;
 * a tool's user needs the flag that sets it. */
static const char *with_flag_hint(const char *msg, char *buf, size_t size)
{
    static const char option[] = "(make_valid repairs it)";
    const char *at = msg ? strstr(msg, option) : NULL;
    if (!at)
        return msg;
    snprintf(buf, size, "%.*s(--make-valid repairs it)%s", (int)(at - msg), msg,
             at + sizeof option - 1);
    return buf;
}

int tool_read_failed(const bz_context *ctx, const char *kind, const char *path)
{
    char what[1200], hinted[1200];
    const char *msg = with_flag_hint(bz_errmsg(ctx), hinted, sizeof hinted);
    if (msg && strstr(msg, path))
        snprintf(what, sizeof what, "reading the %s", kind);
    else
        snprintf(what, sizeof what, "reading the %s from %s", kind, path);
    if (msg && *msg)
        return tool_fail("%s: %s", what, msg);
    return tool_bz_fail(ctx, what);
}

int tool_read_line(bz_line **out, bz_context *ctx, const char *path, const bz_read_options *opts)
{
    if (bz_read_line(out, ctx, tool_input_path(path), opts) == BZ_OK)
        return TOOL_OK;
    return tool_read_failed(ctx, "contact line", path);
}

int tool_read_polygon(GEOSGeometry **out, bz_context *ctx, const char *path, const char *what,
                      const bz_read_options *opts)
{
    bz_read_options o = opts ? *opts : (bz_read_options)BZ_READ_OPTIONS_INIT;
    o.make_valid = tool_make_valid;
    if (bz_read_polygon(out, ctx, tool_input_path(path), &o) == BZ_OK)
        return TOOL_OK;
    return tool_read_failed(ctx, what, path);
}

int tool_read_sides(bz_line **line, GEOSGeometry **territory, GEOSGeometry **region,
                    bz_context *ctx, const char *line_path, const char *territory_path,
                    const char *region_path, const char *layer, const char *where)
{
    bz_read_options filtered = BZ_READ_OPTIONS_INIT;
    filtered.layer = layer;
    filtered.where = where;
    if (line_path && tool_read_line(line, ctx, line_path, &filtered) != TOOL_OK)
        return TOOL_FAIL;
    if (territory_path && tool_read_polygon(territory, ctx, territory_path, "territory",
                                            line_path ? NULL : &filtered) != TOOL_OK)
        return TOOL_FAIL;
    if (region_path && tool_read_polygon(region, ctx, region_path, "region", NULL) != TOOL_OK)
        return TOOL_FAIL;
    return TOOL_OK;
}

int tool_split_names(const char *text, char *buf, size_t size, const char **a, const char **b)
{
    if (!text || strlen(text) >= size)
        return -1;
    strcpy(buf, text);
    char *comma = strchr(buf, ',');
    if (!comma || comma == buf || !comma[1] || strchr(comma + 1, ','))
        return -1;
    *comma = '\0';
    *a = buf;
    *b = comma + 1;
    return 0;
}
