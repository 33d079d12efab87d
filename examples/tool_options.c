/* tool_options.c — the one option parser of the bz-* tools (see tool_options.h). */
#include "tool_options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_BASE = 256, MAX_OPTS = 64 };

int tool_parse_options(int argc, char **argv, const tool_opt *opts, const char *usage)
{
    struct option longopts[MAX_OPTS + 3];
    char shortopts[2 * MAX_OPTS + 4];
    size_t n = 0, s = 0;
    shortopts[s++] = ':'; /* a missing value comes back as ':', not '?' */
    for (; opts[n].kind != TOOL_OPT_END; n++) {
        if (n == MAX_OPTS)
            return tool_fail("internal error: more than %d options", MAX_OPTS);
        int has_arg = opts[n].kind == TOOL_OPT_FLAG ? no_argument : required_argument;
        longopts[n] = (struct option){opts[n].name, has_arg, NULL, OPT_BASE + (int)n};
        if (opts[n].letter) {
            shortopts[s++] = opts[n].letter;
            if (has_arg == required_argument)
                shortopts[s++] = ':';
        }
    }
    int version = OPT_BASE + (int)n + 1;
    longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n + 1] = (struct option){"version", no_argument, NULL, version};
    longopts[n + 2] = (struct option){NULL, 0, NULL, 0};
    shortopts[s++] = 'h';
    shortopts[s] = '\0';

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const char *given = argv[optind - 1];
        if (c == 'h') {
            fputs(usage, stdout);
            return TOOL_OK;
        }
        if (c == version)
            return tool_version();
        const tool_opt *o = NULL;
        if (c >= OPT_BASE && c < OPT_BASE + (int)n)
            o = &opts[c - OPT_BASE];
        for (size_t i = 0; !o && c > 0 && c < OPT_BASE && i < n; i++)
            if (opts[i].letter == c)
                o = &opts[i];
        if (!o)
            return tool_bad_option(c, given);
        char label[64];
        if (o->label)
            snprintf(label, sizeof label, "%s", o->label);
        else
            snprintf(label, sizeof label, "--%s", o->name);
        switch (o->kind) {
        case TOOL_OPT_FLAG: *(int *)o->target = 1; break;
        case TOOL_OPT_TEXT: *(const char **)o->target = optarg; break;
        case TOOL_OPT_DISTANCE:
            if (tool_parse_distance(optarg, (double *)o->target))
                return tool_bad_distance(label, optarg);
            break;
        case TOOL_OPT_THREADS:
            if (tool_parse_count(optarg, (int *)o->target))
                return tool_usage_error("%s: expected a whole number >= 0, got '%s'", label,
                                        optarg);
            break;
        case TOOL_OPT_CALL: {
            int rc = o->call(o->target, optarg);
            if (rc)
                return rc;
            break;
        }
        case TOOL_OPT_END: break;
        }
        if (o->seen)
            *o->seen = 1;
    }
    return -1;
}

int tool_side_names(const char *names_opt, int territory_form, char *buf, size_t size,
                    const char *names[2])
{
    names[0] = territory_form ? "A" : "left";
    names[1] = territory_form ? "B" : "right";
    if (names_opt && tool_split_names(names_opt, buf, size, &names[0], &names[1]))
        return tool_usage_error("--names: expected two names separated by a comma, got '%s'",
                                names_opt);
    return TOOL_OK;
}

int tool_take_line(int argc, char **argv, const char **line, const char *territory,
                   const char *region, const char *no_region)
{
    if (optind < argc)
        *line = argv[optind++];
    if (optind < argc)
        return tool_usage_error("unexpected argument '%s' (one LINE file at most)", argv[optind]);
    if (!*line && !territory)
        return tool_usage_error("give a contact LINE file, or --territory and --region");
    if (territory && !region)
        return tool_usage_error("%s", no_region);
    return -1;
}
