/*
 * tool_options.h — the one command-line parser of the bz-* tools. Each tool lists its options
 * in a table (what each one sets, and how its value is read: text, a distance with a unit, a
 * thread count, or the tool's own function); tool_parse_options walks argv with getopt_long and
 * adds -h/--help and --version, so every tool reads options, reports a bad value or an unknown
 * option, and answers --help the same way.
 */
#ifndef BZ_TOOL_OPTIONS_H
#define BZ_TOOL_OPTIONS_H

#include "tool_common.h"

/* How an option's value is read, and what `target` points to. */
typedef enum tool_opt_kind {
    TOOL_OPT_END = 0,  /* ends the table */
    TOOL_OPT_FLAG,     /* no value; int *target = 1 */
    TOOL_OPT_TEXT,     /* const char **target = the value (argv's string) */
    TOOL_OPT_DISTANCE, /* double *target in metres (tool_parse_distance; a bare number is km) */
    TOOL_OPT_THREADS,  /* int *target, a whole number >= 0 (--threads) */
    TOOL_OPT_CALL      /* call(target, value): 0 to go on, or the exit code */
} tool_opt_kind;

typedef struct tool_opt {
    const char *name; /* long name without "--" ("distance") */
    char letter;      /* short option ('d'), or 0 */
    tool_opt_kind kind;
    void *target;
    int *seen;         /* may be NULL: set to 1 when the option is given */
    const char *label; /* how messages name it ("-d", "--a"); NULL = "--" + name */
    int (*call)(void *target, char *value); /* TOOL_OPT_CALL */
} tool_opt;

/* Table entries, in the order of a tool's --help. */
#define TOOL_OPT_FLAG(name, letter, target)                                                        \
    {                                                                                              \
        name, letter, TOOL_OPT_FLAG, target, NULL, NULL, NULL                                      \
    }
#define TOOL_OPT_TEXT(name, letter, target)                                                        \
    {                                                                                              \
        name, letter, TOOL_OPT_TEXT, target, NULL, NULL, NULL                                      \
    }
#define TOOL_OPT_DISTANCE(name, letter, target, seen, label)                                       \
    {                                                                                              \
        name, letter, TOOL_OPT_DISTANCE, target, seen, label, NULL                                 \
    }
#define TOOL_OPT_THREADS(name, target)                                                             \
    {                                                                                              \
        name, 0, TOOL_OPT_THREADS, target, NULL, NULL, NULL                                        \
    }
#define TOOL_OPT_CALL(name, letter, fn, target)                                                    \
    {                                                                                              \
        name, letter, TOOL_OPT_CALL, target, NULL, NULL, fn                                        \
    }
/* The writing options the tools that write a GIS file share: -o/--output, -f/--format,
 * --overwrite, --no-style. */
#define TOOL_OPT_OUTPUT(output, format, overwrite, no_style)                                       \
    TOOL_OPT_TEXT("output", 'o', output), TOOL_OPT_TEXT("format", 'f', format),                    \
        TOOL_OPT_FLAG("overwrite", 0, overwrite), TOOL_OPT_FLAG("no-style", 0, no_style)
/* The inputs that say where the sides are (bz-zones, bz-compare): --region, --territory,
 * --names, and --layer / --where for the line (or the territory). */
#define TOOL_OPT_SIDES(region, territory, names, layer, where)                                     \
    TOOL_OPT_TEXT("region", 0, region), TOOL_OPT_TEXT("territory", 0, territory),                  \
        TOOL_OPT_TEXT("names", 0, names), TOOL_OPT_TEXT("layer", 0, layer),                        \
        TOOL_OPT_TEXT("where", 0, where)
/* --make-valid, for every tool that reads polygons (see tool_make_valid). */
#define TOOL_OPT_MAKE_VALID TOOL_OPT_FLAG("make-valid", 0, &tool_make_valid)
#define TOOL_OPT_TABLE_END                                                                         \
    {                                                                                              \
        NULL, 0, TOOL_OPT_END, NULL, NULL, NULL, NULL                                              \
    }

/*
 * Parse the options of argv against `opts` (ended by TOOL_OPT_TABLE_END), plus -h/--help
 * (prints `usage` on stdout) and --version. Long options may be abbreviated as getopt_long
 * allows. Returns -1 to go on, with optind at the first operand; otherwise the exit code:
 * TOOL_OK after --help or --version, TOOL_USAGE after a message on stderr (an unknown option,
 * a missing or bad value).
 */
int tool_parse_options(int argc, char **argv, const tool_opt *opts, const char *usage);

/*
 * After tool_parse_options, the operand of bz-zones and bz-compare: at most one LINE file
 * (into *line, else NULL), and either a LINE or --territory, which needs --region
 * (`no_region` is the message when it is missing). Returns -1 to go on, or TOOL_USAGE after a
 * message.
 */
int tool_take_line(int argc, char **argv, const char **line, const char *territory,
                   const char *region, const char *no_region);

/* The sides' names: --names A,B split into buf (names[0], names[1] point into it), else the
 * defaults, A,B in the territory form and left,right with a line. Returns TOOL_OK, or
 * TOOL_USAGE after a message. */
int tool_side_names(const char *names_opt, int territory_form, char *buf, size_t size,
                    const char *names[2]);

#endif
