/*
 * tool_common.h — what the bz-* tools share: exit codes, error reporting, distances with units,
 * number formatting, aligned tables, JSON/CSV quoting and writing GeoJSON to stdout.
 *
 * The tools use the public API only (<bufferzone.h>). They are programs, so unlike the library
 * they print; every message goes to stderr prefixed with the tool's name, like GDAL's tools.
 */
#ifndef BZ_TOOL_COMMON_H
#define BZ_TOOL_COMMON_H

#include <bufferzone.h>

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TOOL_PRINTF(f, a)
#endif

/* Exit codes shared by every tool. */
enum { TOOL_OK = 0, TOOL_FAIL = 1, TOOL_USAGE = 2 };

/* Remember the tool's name (basename of argv[0]) for messages. */
void tool_init(const char *argv0);
const char *tool_name(void);

/* "bz-x: message" + "Try 'bz-x --help'." on stderr; returns TOOL_USAGE. */
int tool_usage_error(const char *fmt, ...) TOOL_PRINTF(1, 2);
/* "bz-x: message" on stderr; returns TOOL_FAIL. */
int tool_fail(const char *fmt, ...) TOOL_PRINTF(1, 2);
/* "bz-x: what: <bz_errmsg(ctx)>" on stderr; returns TOOL_FAIL. */
int tool_bz_fail(const bz_context *ctx, const char *what);
/* Print "bz-x (bufferzone X.Y.Z)" for --version; returns TOOL_OK. */
int tool_version(void);
/* For getopt_long with a leading ':' in optstring: c == ':' is an option missing its value,
 * anything else an unknown option. Prints the usage error; returns TOOL_USAGE. */
int tool_bad_option(int c, const char *opt);
/* A new bufferzone context, or NULL after printing "bz-x: cannot create a bufferzone context". */
bz_context *tool_context_new(void);

/*
 * Parse a distance: a plain decimal number ("10", "2.5", ".5") with an optional unit, "10km",
 * "5000m", "6mi", "2.5nmi", "10 km". A bare number is kilometres. Anything else is rejected:
 * signs, hexadecimal ("0x10km"), exponents ("1e3km"), "inf", "nan", over-large values, a
 * repeated unit ("10 km km").
 * Returns 0 and sets *metres, or -1.
 */
int tool_parse_distance(const char *text, double *metres);
/* The message to show when tool_parse_distance failed, naming the option and the text. */
int tool_bad_distance(const char *option, const char *text);
/* Parse a non-negative integer ("--threads 4"); returns 0 or -1. */
int tool_parse_count(const char *text, int *value);

/* Format `value` with `decimals` digits and thousands separators ("12,394.0"); NaN gives
 * "n/a". `sign` adds a '+' to positive values. Returns buf. */
char *tool_fmt_number(char *buf, size_t size, double value, int decimals, int sign);
/* A distance in metres as text with the natural unit: "10 km", "2.5 km", "500 m". */
char *tool_fmt_distance(char *buf, size_t size, double metres);

/* A text table: add cells row by row, then print with every column aligned.
 * Numbers are right-aligned, text left-aligned (per column, set with tool_table_align). */
typedef struct tool_table tool_table;
tool_table *tool_table_new(size_t ncols);
/* 'l' or 'r' per column, e.g. "lrrr". */
void tool_table_align(tool_table *t, const char *align);
/* Add one cell (copied); rows fill left to right. Returns 0 or -1 when out of memory. */
int tool_table_add(tool_table *t, const char *cell);
/* Print with two spaces between columns and a rule under the first (header) row. */
void tool_table_print(const tool_table *t, FILE *out);
void tool_table_free(tool_table *t);

/* Write s as a JSON string literal (quoted, escaped). */
void tool_json_string(FILE *out, const char *s);
/* Write a number as JSON (null for NaN/inf), with up to `decimals` digits. */
void tool_json_number(FILE *out, double v, int decimals);
/* Write s as one CSV field (quoted when needed). */
void tool_csv_field(FILE *out, const char *s);

/*
 * Output to a file or to stdout ("-"). The library writes files atomically, so for "-" the
 * tool writes a temporary GeoJSON file and copies it to stdout afterwards.
 */
typedef struct tool_output {
    const char *path; /* what to give the library */
    int to_stdout;    /* 1 when the user asked for "-" */
    char dir[64];     /* temporary directory for "-" */
    char file[96];    /* temporary file for "-" */
} tool_output;

/* "-o -" writes one text file to stdout: only GeoJSON-like formats make sense there. Returns
 * TOOL_OK or a usage error. */
int tool_check_stdout_format(const char *output, const char *format);
/* Prepare; returns TOOL_OK or TOOL_FAIL (message printed). */
int tool_output_begin(tool_output *o, const char *user_path);
/* The library's write options for an output prepared with tool_output_begin: the user's
 * -f/--format, --overwrite and --no-style, and for "-" GeoJSON, overwriting the temporary file
 * and no QGIS style (nothing goes beside standard output). */
bz_write_options tool_write_options(const tool_output *o, const char *format, int overwrite,
                                    int no_style);
/* For "-": copy the temporary file to stdout. Returns TOOL_OK or TOOL_FAIL. */
int tool_output_finish(tool_output *o);
/* Remove temporaries (always call, also after a failure). */
void tool_output_cleanup(tool_output *o);

/*
 * Refuse before any work, so that a user waits seconds and not minutes for it: '-' (standard
 * input) named for more than one input is a usage error, and an output the library would not
 * write (bz_output_check: it exists and --overwrite was not given, it is a directory, it is
 * the same file as an input, its QGIS style .qml exists, ...) is refused with the library's
 * message; no_style: the tool writes no QGIS style (--no-style). `output` may be NULL
 * (the tool writes no file) or "-" (standard output: a temporary file, nothing to check);
 * NULL inputs are skipped. Returns TOOL_OK, TOOL_USAGE (a wrong command line: the same file
 * as an input, '-' twice, a format that cannot go there) or TOOL_FAIL (message printed).
 */
int tool_check_io(bz_context *ctx, const char *output, const char *format, int overwrite,
                  int no_style, const char *const *inputs, size_t ninputs);

/* After a failed write of `output`: "bz-x: writing OUTPUT: <bz_errmsg>"; an existing output
 * says "bz-x: OUTPUT exists: pass --overwrite to replace it". Returns TOOL_FAIL. */
int tool_write_failed(const bz_context *ctx, const char *output);

/* The path to give the library for an input: "-" means standard input. */
const char *tool_input_path(const char *path);

/* After a failed read: "bz-x: reading the KIND from PATH: <bz_errmsg>" (PATH left out when the
 * library's message names it already). Returns TOOL_FAIL. */
int tool_read_failed(const bz_context *ctx, const char *kind, const char *path);

/* --make-valid: polygons read by tool_read_polygon are repaired (GEOSMakeValid) instead of
 * refused. Set by the option table (TOOL_OPT_MAKE_VALID). */
extern int tool_make_valid;

/* Read helpers that print "bz-x: reading the KIND from PATH: message" on failure and
 * return TOOL_FAIL (TOOL_OK on success). `opts` may be NULL; tool_read_polygon reads with
 * make_valid set from --make-valid. */
int tool_read_line(bz_line **out, bz_context *ctx, const char *path, const bz_read_options *opts);
int tool_read_polygon(GEOSGeometry **out, bz_context *ctx, const char *path, const char *what,
                      const bz_read_options *opts);

/* The inputs of the sides (bz-zones, bz-compare), each read when its path is not NULL, in this
 * order: the line, the territory, the region. --layer / --where (layer, where) select within
 * the first input: the line, or else the territory. Returns TOOL_OK, or TOOL_FAIL after a
 * message (what was read stays in the out-parameters, for the caller to free). */
int tool_read_sides(bz_line **line, GEOSGeometry **territory, GEOSGeometry **region,
                    bz_context *ctx, const char *line_path, const char *territory_path,
                    const char *region_path, const char *layer, const char *where);

/* Split "A,B" into two names (pointers into a copy kept in buf). Returns 0 or -1. */
int tool_split_names(const char *text, char *buf, size_t size, const char **a, const char **b);

#endif
