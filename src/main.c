/* SPDX-License-Identifier: MIT */
/*
 * qppbuild's command line: options, files, printing, exit status.  Everything
 * else is the library (qppbuild.h).
 */
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "entity.h"
#include "listing.h"
#include "outfile.h"
#include "qppbuild.h"
#include "summary.h"
#include "util.h"

enum exit_status { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum verbosity { NORMAL, QUIET, VERBOSE };

struct cli {
    struct qpp_options o;
    const char **report_ids;
    size_t nreport_ids, capreport_ids;
    struct qpp_measure_map *maps;
    size_t nmaps, capmaps;
    char **files; /* the arguments that are not options, in order */
    int nfiles;
    const char *output;
    const char *provenance; /* --provenance FILE */
    time_t recorded;        /* its time: SOURCE_DATE_EPOCH, else now */
    const char *measures_data;
    const char *benchmarks;
    const char *structure, *counts, *diagnostics, *format; /* as given, or NULL */
    int compact, check_only, list_measures, help, version;
    int verbosity;   /* enum verbosity */
    int json_diags;  /* --diagnostics json */
    int text;        /* --format text */
    char error[512]; /* the first usage error; "" when none */
    int nomem;       /* ... and it is that memory ran out */
};

/* ---- options ----
 *
 * One table row an option.  Options are never bundled (-cq is not -c -q), a
 * value is the next argument or follows '=' (--output=FILE), long names are
 * never abbreviated, and every argument is read before the first usage error
 * is reported, so --diagnostics json anywhere applies to it.
 *
 * Adding an option: a row in opts[] (its --help text comes from there), the
 * field it sets, an entry in the man page's option list (tests/man-check.sh
 * compares the two) and a line in the README's "Options in brief". */

struct opt;
/* Returns 0, or -1 once it has said what is wrong (usage()). */
typedef int (*opt_setter)(struct cli *c, const struct opt *o, char *val);

struct opt {
    const char *name;         /* long name, without "--" */
    const char *value;        /* name of its value in --help; NULL: takes none */
    opt_setter set;           /* what it does */
    size_t off;               /* set_str, set_word, set_int: the field in struct cli */
    const char *const *words; /* set_word: the values allowed */
    const char *help;         /* --help text; '\n' starts another line */
    int n;                    /* set_int: the number stored */
    char letter;              /* short name, or 0 */
};

/* The option as written in messages: --name, or -x when given so. */
static char shown[64];

static int usage(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage(struct cli *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (!c->error[0])
        vsnprintf(c->error, sizeof c->error, fmt, ap); /* NOLINT: ap is started */
    va_end(ap);
    return -1;
}

#define FIELD(c, o, type) ((type *)(void *)((char *)(c) + (o)->off))

/* A string; given twice, both must be the same. */
static int set_str(struct cli *c, const struct opt *o, char *val)
{
    const char **p = FIELD(c, o, const char *);

    if (*p && strcmp(*p, val) != 0)
        return usage(c, "%s given twice ('%s' and '%s')", shown, *p, val);
    *p = val;
    return 0;
}

/* One of o->words, stored as the word itself. */
static int set_word(struct cli *c, const struct opt *o, char *val)
{
    const char *const *w;
    struct qpp_buf b;
    int rc;

    for (w = o->words; *w; w++)
        if (strcmp(*w, val) == 0)
            return set_str(c, o, val);
    qpp_buf_init(&b);
    for (w = o->words; *w; w++)
        qpp_buf_printf(&b, "%s%s", w == o->words ? "" : w[1] ? ", " : " or ", *w);
    rc = usage(c, "%s takes %s, not '%s'", shown, b.s ? b.s : "other values", val);
    qpp_buf_free(&b);
    return rc;
}

static int set_int(struct cli *c, const struct opt *o, char *val)
{
    int *p = FIELD(c, o, int);

    (void)val;
    if (*p && *p != o->n)
        return usage(c, "%s contradicts an option before it", shown);
    *p = o->n;
    return 0;
}

static int set_reports(struct cli *c, const struct opt *o, char *val)
{
    char *tok, *save = NULL;
    size_t before = c->nreport_ids;

    (void)o;
    for (tok = strtok_r(val, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (qpp_grow((void **)&c->report_ids, &c->capreport_ids, c->nreport_ids + 1,
                     sizeof *c->report_ids) < 0)
            return c->nomem = 1, usage(c, "out of memory");
        c->report_ids[c->nreport_ids++] = tok;
    }
    return c->nreport_ids > before ? 0 : usage(c, "%s takes ids, not '%s'", shown, val);
}

/* URL[|version]=ID; one url given two ids cannot be guessed between. */
static int set_map(struct cli *c, const struct opt *o, char *val)
{
    char *eq = strrchr(val, '='), *bar;
    size_t i;

    (void)o;
    if (!eq || eq == val || !eq[1])
        return usage(c, "%s takes URL=ID, not '%s'", shown, val);
    if (qpp_grow((void **)&c->maps, &c->capmaps, c->nmaps + 1, sizeof *c->maps) < 0)
        return c->nomem = 1, usage(c, "out of memory");
    *eq = '\0';
    if ((bar = strrchr(val, '|')) != NULL) /* a version is not part of the match */
        *bar = '\0';
    for (i = 0; i < c->nmaps; i++)
        if (strcmp(c->maps[i].url, val) == 0 && strcmp(c->maps[i].id, eq + 1) != 0)
            return usage(c, "%s maps %s to two ids (%s and %s)", shown, val,
                         c->maps[i].id, eq + 1);
    c->maps[c->nmaps].url = val;
    c->maps[c->nmaps].id = eq + 1;
    c->nmaps++;
    return 0;
}

/* A whole number from lo to hi, or 0. */
static long number(const char *s, long lo, long hi)
{
    char *end;
    long n;

    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
        return 0;
    n = strtol(s, &end, 10);
    return n >= lo && n <= hi ? n : 0;
}

static int set_year(struct cli *c, const struct opt *o, char *val)
{
    int y = strlen(val) == 4 ? (int)number(val, 1900, 2999) : 0;

    (void)o;
    if (!y)
        return usage(c, "performance year '%s' is not a year", val);
    if (c->o.year && c->o.year != y)
        return usage(c, "%s given twice (%d and %d)", shown, c->o.year, y);
    c->o.year = y;
    return 0;
}

/* --tin, --npi: checked as CMS checks them; a TIN is never shown. */
static int set_tin(struct cli *c, const struct opt *o, char *val)
{
    if (!qpp_tin_valid(val))
        return usage(c,
                     "%s takes 9 digits (the value given has %zu characters; not shown)",
                     shown, strlen(val));
    return set_str(c, o, val);
}

static int set_npi(struct cli *c, const struct opt *o, char *val)
{
    if (!qpp_npi_valid(val))
        return usage(c, "%s takes 10 digits with a valid check digit, not '%s'", shown,
                     val);
    return set_str(c, o, val);
}

static int set_jobs(struct cli *c, const struct opt *o, char *val)
{
    (void)o;
    if (!(c->o.jobs = (int)number(val, 1, 256)))
        return usage(c, "%s takes a number from 1 to 256, not '%s'", shown, val);
    return 0;
}

#define CLI(field) offsetof(struct cli, field)

static const char *const entity_types[] = {"individual",   "group", "subgroup",
                                           "virtualGroup", "apm",   NULL};
static const char *const structures[] = {"submission", "measurementSet", "measurement",
                                         NULL};
static const char *const methods[] = {"electronicHealthRecord", "registry",
                                      "cmsWebInterface", NULL};
static const char *const counts[] = {"gross", "net", NULL};
static const char *const text_json[] = {"text", "json", NULL};
static const char *const json_text[] = {"json", "text", NULL};

static const struct opt opts[] = {
    {"organization-id", "ID", set_str, CLI(o.organization_id), NULL,
     "Organization resource naming the entity\n(id, or Organization/id)", 0, 'O'},
    {"tin", "TIN", set_tin, CLI(o.tin), NULL,
     "the entity's TIN (9 digits): no Organization\nresource needed", 0, 0},
    {"npi", "NPI", set_npi, CLI(o.npi), NULL,
     "an individual's NPI (10 digits), with --tin", 0, 0},
    {"program-library-id", "ID", set_str, CLI(o.library_id), NULL,
     "quality-program Library (id, url[|version])", 0, 'L'},
    {"no-program-library", NULL, set_int, CLI(o.no_program_library), NULL,
     "do not check reports against a Library", 1, 0},
    {"measure-report-id", "ID", set_reports, 0, NULL,
     "use only these reports (repeat, or a,b,c)", 0, 'r'},
    {"performance-year", "YYYY", set_year, 0, NULL,
     "default: the year of the reports' periods", 0, 'y'},
    {"entity-type", "T", set_word, CLI(o.entity_type), entity_types,
     "individual, group (default), subgroup,\nvirtualGroup, apm", 0, 'e'},
    {"entity-id", "ID", set_str, CLI(o.entity_id), NULL,
     "APM, virtual group or subgroup id", 0, 0},
    {"structure", "S", set_word, CLI(structure), structures,
     "submission (default), measurementSet,\nmeasurement", 0, 's'},
    {"measurement-set-id", "ID", set_str, CLI(o.measurement_set_id), NULL,
     "target set of --structure measurement", 0, 0},
    {"submission-method", "M", set_word, CLI(o.method), methods,
     "electronicHealthRecord (default), registry,\ncmsWebInterface (years that had it)",
     0, 'm'},
    {"quality-program", "P", set_str, CLI(o.program), NULL,
     "mips (default), app1, appPlus, an MVP id, pcf", 0, 'p'},
    {"cehrt-id", "ID", set_str, CLI(o.cehrt_id), NULL,
     "CMS EHR certification id (required on\neCQM sets from 2025)", 0, 0},
    {"measures-data", "FILE", set_str, CLI(measures_data), NULL,
     "CMS's measures-data.json for the year", 0, 0},
    {"counts", "gross|net", set_word, CLI(counts), counts,
     "how the reports count the denominator", 0, 0},
    {"measure-map", "URL=ID", set_map, 0, NULL, "QPP measureId of a Measure canonical", 0,
     0},
    {"output", "FILE", set_str, CLI(output), NULL, "write there, whole or not at all", 0,
     'o'},
    {"summary", NULL, set_int, CLI(o.summary), NULL,
     "write one FHIR summary MeasureReport a\nmeasure (NDJSON): partial sums to add up",
     1, 0},
    {"provenance", "FILE", set_str, CLI(provenance), NULL,
     "also write a FHIR transaction Bundle of\nwhat was written and from what", 0, 0},
    {"compact", NULL, set_int, CLI(compact), NULL, "one-line JSON", 1, 'c'},
    {"check", NULL, set_int, CLI(check_only), NULL, "validate only; write nothing", 1, 0},
    {"diagnostics", "text|json", set_word, CLI(diagnostics), text_json,
     "format of messages on stderr", 0, 0},
    {"list-measures", NULL, set_int, CLI(list_measures), NULL,
     "list the quality measures of -y's year\n(or only the measures named: 113, CMS130)",
     1, 0},
    {"jobs", "N", set_jobs, 0, NULL, "threads that read (default: the cores)", 0, 'j'},
    {"pre-score", NULL, set_int, CLI(o.score.enabled), NULL,
     "preview CMS's quality scoring of the\nsubmission instead of writing it", 1, 0},
    {"format", "json|text", set_word, CLI(format), json_text,
     "the preview as JSON (default) or a table", 0, 0},
    {"benchmarks", "FILE", set_str, CLI(benchmarks), NULL,
     "CMS's benchmarks file for the year", 0, 0},
    {"small-practice", NULL, set_int, CLI(o.score.small_practice), NULL,
     "preview for 15 or fewer clinicians", 1, 0},
    {"quiet", NULL, set_int, CLI(verbosity), NULL, "errors only", QUIET, 'q'},
    {"verbose", NULL, set_int, CLI(verbosity), NULL, "notes and progress too", VERBOSE,
     'v'},
    {"help", NULL, set_int, CLI(help), NULL, "this help (given alone)", 1, 'h'},
    {"version", NULL, set_int, CLI(version), NULL,
     "version and built-in years (given alone)", 1, 'V'},
};

#define NOPTS (sizeof opts / sizeof opts[0])

static const struct opt *find_long(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < NOPTS; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

static const struct opt *find_short(char letter)
{
    size_t i;

    for (i = 0; i < NOPTS; i++)
        if (letter && opts[i].letter == letter)
            return &opts[i];
    return NULL;
}

/* The one long option that name (len bytes) abbreviates, or NULL. */
static const struct opt *completes(const char *name, size_t len)
{
    const struct opt *found = NULL;
    size_t i;

    for (i = 0; i < NOPTS; i++)
        if (len && strncmp(opts[i].name, name, len) == 0) {
            if (found)
                return NULL;
            found = &opts[i];
        }
    return found;
}

/* An argument that is an option, never a value: "-x" or "--x...", not "-". */
static int is_option(const char *s)
{
    return s[0] == '-' && s[1] != '\0';
}

static void help(FILE *fp)
{
    size_t i;

    fputs("usage: qppbuild [options] [file ...]\n"
          "       qppbuild --list-measures -y YYYY [measure ...]\n"
          "Convert FHIR R4 MeasureReports into a CMS QPP submission (JSON on stdout).\n"
          "With no file, or -, read standard input.  Files: FHIR JSON, NDJSON,\n"
          "Bundles, JSON arrays of resources, Parameters; each named once, and\n"
          "never as the -o file.\n"
          "\n",
          fp);
    for (i = 0; i < NOPTS; i++) {
        const struct opt *o = &opts[i];
        const char *h;
        int n;

        if (o->letter)
            n = fprintf(fp, "  -%c, --%s", o->letter, o->name);
        else
            n = fprintf(fp, "      --%s", o->name);
        if (o->value)
            n += fprintf(fp, " %s", o->value);
        fprintf(fp, "%*s", n < 32 ? 32 - n : 1, "");
        for (h = o->help; *h; h++) {
            fputc(*h, fp);
            if (*h == '\n')
                fprintf(fp, "%32s", "");
        }
        fputc('\n', fp);
    }
    fputs("\n"
          "Options and values are separate arguments (-o FILE, --output FILE or\n"
          "--output=FILE); one-letter options are not combined, long names are\n"
          "written in full.\n"
          "Exit status: 0 written, 1 input not valid for a submission, 2 usage,\n"
          "3 input/output error or out of memory.  See qppbuild(1).\n",
          fp);
}

/* An argument that starts with a dash but is no option. */
static void unknown(struct cli *c, const char *arg)
{
    const char *name = arg + (arg[1] == '-' ? 2 : 1);
    size_t len = strcspn(name, "=");
    const struct opt *o;

    if (arg[1] != '-' && (o = find_long(name, len)) != NULL)
        usage(c, "unknown option '%s': long options take two dashes (--%s)", arg,
              o->name);
    else if (arg[1] != '-' && (o = completes(name, len)) != NULL && len > 1)
        usage(c,
              "unknown option '%s': long options take two dashes and their full "
              "name (--%s)",
              arg, o->name);
    else if (arg[1] != '-' && (o = find_short(arg[1])) != NULL && o->value)
        usage(c, "unknown option '%s': a value is the next argument (-%c %s)", arg,
              arg[1], arg + 2);
    else if (arg[1] != '-')
        usage(c,
              "unknown option '%s': one-letter options are not combined, and a "
              "value is the next argument (-o FILE)",
              arg);
    else if ((o = completes(name, len)) != NULL)
        usage(c, "unknown option '%s': long options are written in full (--%s)", arg,
              o->name);
    else
        usage(c, "unknown option '%s'", arg);
}

/* Every argument: options set c, the others are files.  Usage errors are
 * kept in c->error (the first one) and reading goes on. */
static void read_arguments(struct cli *c, int argc, char **argv)
{
    int i, files_only = 0;

    for (i = 1; i < argc; i++) {
        char *arg = argv[i], *val = NULL;
        const struct opt *o;
        size_t len;

        if (files_only || !is_option(arg)) {
            c->files[c->nfiles++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            files_only = 1;
            continue;
        }
        if (arg[1] == '-') {
            len = strcspn(arg + 2, "=");
            o = find_long(arg + 2, len);
            if (o && arg[2 + len] == '=')
                val = arg + 3 + len;
        } else {
            o = arg[2] ? NULL : find_short(arg[1]);
        }
        if (!o) {
            unknown(c, arg);
            continue;
        }
        if (arg[1] == '-')
            snprintf(shown, sizeof shown, "--%s", o->name);
        else
            snprintf(shown, sizeof shown, "-%c", o->letter);
        if (!o->value && val) {
            usage(c, "option '%s' takes no value", shown);
            continue;
        }
        if (o->value && !val) {
            if (i + 1 >= argc || is_option(argv[i + 1])) {
                usage(c, "option '%s' needs a value (%s)", shown, o->value);
                continue;
            }
            val = argv[++i];
        }
        if (o->value && !*val) {
            usage(c, "option '%s' needs a value, not an empty one", shown);
            continue;
        }
        o->set(c, o, val);
    }
}

/* An input file by device and inode, and where it is named. */
struct named_file {
    dev_t dev;
    ino_t ino;
    int i;
};

static int by_inode(const void *x, const void *y)
{
    const struct named_file *a = x, *b = y;

    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Whether path (an output; "-" is standard output) is a file, and its stat. */
static int stat_output(const char *path, struct stat *st)
{
    return path && strcmp(path, "-") != 0 && stat(path, st) == 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The same file named twice would count its reports twice, and -o naming
 * an input would replace it with the submission: usage errors, told by
 * device and inode, whatever the path says.  Each file is looked at once
 * and the names sorted by inode, so that many files take linear time; the
 * errors are said in the order of the files. */
static void check_files(struct cli *c)
{
    struct stat a, out, prov;
    struct named_file *v;
    int *first; /* the first name before i of the file i names, or -1 */
    int i, n = 0, stdin_named = 0, out_at = -1, prov_at = -1;
    int has_out = stat_output(c->output, &out),
        has_prov = stat_output(c->provenance, &prov);

    for (i = 0; i < c->nfiles && c->files[i]; i++)
        ;
    v = qpp_calloc((size_t)i + 1, sizeof *v);
    first = qpp_calloc((size_t)i + 1, sizeof *first);
    if (!v || !first) {
        c->nomem = 1;
        usage(c, "out of memory");
        goto out;
    }
    for (i = 0; i < c->nfiles && c->files[i]; i++) {
        first[i] = -1;
        if (strcmp(c->files[i], "-") != 0 && stat(c->files[i], &a) == 0 &&
            S_ISREG(a.st_mode)) {
            v[n].dev = a.st_dev;
            v[n].ino = a.st_ino;
            v[n++].i = i;
            if (has_out && out_at < 0 && same_file(&a, &out))
                out_at = i;
            if (has_prov && prov_at < 0 && same_file(&a, &prov))
                prov_at = i;
        } else {
            first[i] = -2; /* standard input, or not a regular file */
        }
    }
    qsort(v, (size_t)n, sizeof *v, by_inode);
    for (i = 1; i < n; i++)
        if (v[i].dev == v[i - 1].dev && v[i].ino == v[i - 1].ino)
            first[v[i].i] = first[v[i - 1].i] >= 0 ? first[v[i - 1].i] : v[i - 1].i;
    for (i = 0; i < c->nfiles && c->files[i]; i++) {
        if (strcmp(c->files[i], "-") == 0) {
            if (stdin_named++)
                usage(c, "standard input ('-') is named twice");
            continue;
        }
        if (first[i] == -2)
            continue; /* said when it is read */
        if (first[i] >= 0) {
            usage(c,
                  "the same file is named twice ('%s' and '%s'): its reports would "
                  "count twice",
                  c->files[first[i]], c->files[i]);
            break;
        }
        if (i == out_at) {
            usage(c, "-o names an input file ('%s'): the submission would replace it",
                  c->output);
            break;
        }
        if (i == prov_at) {
            usage(c, "--provenance names an input file ('%s'): it would be replaced",
                  c->provenance);
            break;
        }
    }
out:
    qpp_free(v);
    qpp_free(first);
}

/* --summary and --provenance with the other options; the time provenance
 * records: SOURCE_DATE_EPOCH (reproducible-builds.org) when set. */
static void check_summary_provenance(struct cli *c)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");

    if (c->o.summary && (c->o.score.enabled || c->list_measures))
        usage(c, "--summary takes no --pre-score or --list-measures");
    else if (c->o.summary && c->o.structure != QPP_SUBMISSION)
        usage(c, "--summary writes MeasureReports: it takes no --structure");
    else if (c->provenance &&
             (c->o.summary || c->check_only || c->o.score.enabled || c->list_measures))
        usage(c, "--provenance records a submission: it takes no --summary, --check, "
                 "--pre-score or --list-measures");
    else if (c->provenance && strcmp(c->provenance, "-") == 0)
        usage(c, "--provenance needs a file, not standard output");
    else if (c->provenance && c->output && strcmp(c->provenance, c->output) == 0)
        usage(c, "--provenance and -o name the same file (%s)", c->output);
    if (!c->provenance || c->error[0])
        return;
    if (epoch && *epoch) {
        if (strspn(epoch, "0123456789") != strlen(epoch) || strlen(epoch) > 12)
            usage(c, "SOURCE_DATE_EPOCH is not a number of seconds: '%s'", epoch);
        else
            c->recorded = (time_t)strtoll(epoch, NULL, 10);
    } else {
        c->recorded = time(NULL);
    }
}

/* Returns -1 to go on, else an exit status. */
static int parse_options(struct cli *c, int argc, char **argv)
{
    struct qpp_options defaults;
    int needs_tin;

    qpp_options_init(&defaults);
    c->verbosity = NORMAL;
    c->files = calloc((size_t)argc + 1, sizeof *c->files);
    if (!c->files)
        return c->nomem = 1, usage(c, "out of memory"), EXIT_IO;
    read_arguments(c, argc, argv);
    c->json_diags = qpp_streq(c->diagnostics, "json");
    c->text = qpp_streq(c->format, "text");
    if (c->error[0])
        return c->nomem ? EXIT_IO : EXIT_USAGE;
    if ((c->help || c->version) && argc != 2)
        return usage(c, "%s stands alone: give it no other argument",
                     c->help ? "--help" : "--version"),
               EXIT_USAGE;
    if (c->help) {
        help(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_IO;
    }
    if (c->version) {
        size_t i;
        printf("qppbuild %s\nmeasure data built in for", QPP_VERSION);
        for (i = 0; i < qpp_catalog_nbuiltin; i++)
            printf(" %d", qpp_catalog_builtin_nth(i));
        printf("\njansson %s\n", jansson_version_str());
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_IO;
    }
    /* The defaults of what was not given (o is all zero until here). */
    if (!c->o.entity_type)
        c->o.entity_type = defaults.entity_type;
    if (!c->o.method)
        c->o.method = defaults.method;
    if (!c->o.program)
        c->o.program = defaults.program;
    c->o.structure = defaults.structure;
    c->o.counts = defaults.counts;
    if (!c->o.jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->o.jobs = n < 1 ? 1 : n > 256 ? 256 : (int)n;
    }
    if (c->structure)
        c->o.structure = strcmp(c->structure, "measurement") == 0  ? QPP_MEASUREMENT
                         : strcmp(c->structure, "submission") == 0 ? QPP_SUBMISSION
                                                                   : QPP_MEASUREMENT_SET;
    if (c->counts)
        c->o.counts = strcmp(c->counts, "net") == 0 ? QPP_COUNTS_NET : QPP_COUNTS_GROSS;
    needs_tin = strcmp(c->o.entity_type, "individual") == 0 ||
                strcmp(c->o.entity_type, "group") == 0;
    if ((c->o.tin || c->o.npi) && strcmp(c->o.entity_type, "individual") != 0 &&
        (c->o.npi || strcmp(c->o.entity_type, "group") != 0))
        usage(c, "%s names %s, not -e %s%s", c->o.npi ? "--npi" : "--tin",
              c->o.npi ? "an individual (-e individual)" : "an individual or a group",
              c->o.entity_type, needs_tin ? "" : " (named by --entity-id)");
    else if (c->o.structure == QPP_MEASUREMENT && !c->o.measurement_set_id)
        usage(c, "--structure measurement needs --measurement-set-id");
    else if (c->o.structure != QPP_MEASUREMENT && c->o.measurement_set_id)
        usage(c, "--measurement-set-id goes with --structure measurement");
    else if (c->check_only && c->output)
        usage(c, "--check writes nothing: it takes no -o");
    else if (!c->o.score.enabled &&
             (c->text || c->benchmarks || c->o.score.small_practice))
        usage(c, "--format, --benchmarks and --small-practice go with --pre-score");
    else if (c->list_measures && (c->output || c->check_only || c->o.score.enabled))
        usage(c, "--list-measures takes no -o, --check or --pre-score");
    else if (c->list_measures && c->nfiles && !c->o.year && !c->measures_data)
        usage(c, "--list-measures needs -y YEAR (or --measures-data FILE): the "
                 "arguments after it are measures (113, CMS130), not files");
    else if (c->list_measures && !c->o.year && !c->measures_data)
        usage(c, "--list-measures needs -y YEAR (or --measures-data FILE)");
    else if (!c->list_measures)
        check_files(c);
    if (!c->error[0])
        check_summary_provenance(c);
    if (c->error[0])
        return c->nomem ? EXIT_IO : EXIT_USAGE;
    c->o.report_ids = c->report_ids;
    c->o.nreport_ids = c->nreport_ids;
    c->o.digest_inputs = c->provenance != NULL; /* --summary sets it too */
    c->o.maps = c->maps;
    c->o.nmaps = c->nmaps;
    return -1;
}

/* ---- diagnostics ---- */

/* -1 when there was no memory to write it: out-of-memory is said instead. */
static int print_diag(const struct cli *c, const struct qpp_diag *g)
{
    int rc;

    if (c->json_diags) {
        json_t *o = qpp_diag_json(g);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        fprintf(stderr, "%s\n",
                s ? s
                  : "{\"severity\":\"error\",\"code\":\"out-of-memory\",\"file\":null,"
                    "\"line\":null,\"column\":null,\"resource\":null,\"pointer\":null,"
                    "\"message\":\"out of memory\"}");
        rc = s ? 0 : -1;
        free(s);
        json_decref(o);
    } else {
        char *s = qpp_diag_text(g);
        fprintf(stderr, "qppbuild: %s\n", s ? s : "error[out-of-memory]: out of memory");
        rc = s ? 0 : -1;
        free(s);
    }
    return rc;
}

/* The diagnostics from *next on, *next moved past them; when last, also
 * out-of-memory and, past the cap, how many of each code were not shown.
 * -1 when a diagnostic could not be written for want of memory. */
static int print_diags_from(const struct cli *c, const struct qpp_diags *d, size_t *next,
                            int last)
{
    enum qpp_severity least = c->verbosity == QUIET     ? QPP_ERROR
                              : c->verbosity == VERBOSE ? QPP_NOTE
                                                        : QPP_WARNING;
    size_t i;
    int sev, code, rc = 0;

    for (i = *next; i < d->len; i++)
        if (d->v[i].severity >= least && print_diag(c, &d->v[i]) < 0)
            rc = -1;
    *next = d->len;
    if (!last)
        return rc;
    if (d->nomem) {
        char msg[] = "out of memory";
        struct qpp_diag g = {QPP_ERROR, QPP_OUT_OF_MEMORY, NULL, -1, -1, NULL, NULL, msg};
        print_diag(c, &g);
    }
    /* Past the cap, one line for each code with how many were not shown. */
    for (sev = QPP_ERROR; sev >= (int)least; sev--) {
        for (code = 0; code < QPP_NCODES; code++) {
            char msg[128];
            struct qpp_diag g;

            if (qpp_code_severity((enum qpp_code)code) == (enum qpp_severity)sev &&
                qpp_diags_dropped_line(d, (enum qpp_code)code, &g, msg, sizeof msg) &&
                print_diag(c, &g) < 0)
                rc = -1;
        }
    }
    return rc;
}

static int print_diags(const struct cli *c, const struct qpp_diags *d)
{
    size_t next = 0;

    return print_diags_from(c, d, &next, 1);
}

/* ---- progress ---- */

struct progress {
    int verbose;  /* -v: a line for each input when it is read */
    int terminal; /* stderr is a terminal: a line kept up to date */
    int shown;    /* a line is on the terminal */
    double start, last;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Called by the reader as it goes, and when an input is read.  On a
 * terminal a line is kept up to date (for inputs past 64 MB, or with -v);
 * with -v the final figures of each input are printed. */
static void show_progress(void *ctx, unsigned long long bytes,
                          unsigned long long resources, int done)
{
    struct progress *p = ctx;
    double t = now(), mb = (double)bytes / 1e6;

    if (!done) {
        if (!p->terminal || t - p->last < 0.5 || (!p->verbose && !p->shown && mb < 64))
            return;
    } else if (!p->verbose && !p->shown) {
        return;
    }
    p->last = t;
    /* On a terminal: back to the line's start, and clear what a longer
     * line left after this one. */
    fprintf(stderr, "%sqppbuild: %llu resources, %.1f MB, %.1f MB/s%s%s",
            p->terminal ? "\r" : "", resources, mb,
            t > p->start ? mb / (t - p->start) : 0.0, p->terminal ? "\033[K" : "",
            done ? "\n" : "");
    p->shown = !done;
    if (done)
        p->start = t;
}

/* ---- output ---- */

/* --provenance: the Bundle of bytes s, written whole or not at all. */
static void emit_provenance(const struct cli *c, struct qpp_run *run, const char *s,
                            struct qpp_diags *d)
{
    json_t *bundle = qpp_run_provenance(run, s, strlen(s), c->recorded);
    char *p = bundle ? qpp_write_dumps(bundle, c->compact) : NULL;

    if (bundle && !p)
        qpp_diag_nomem(d);
    if (p && qpp_outfile_write(c->provenance, p) < 0) {
        struct qpp_place at = {c->provenance, -1, -1, NULL, NULL};
        qpp_diag(d, QPP_IO_ERROR, &at, NULL, "write error: %s", strerror(errno));
    }
    qpp_free(p);
    json_decref(bundle);
}

/* Write the output where -o says, then the provenance of it; a failure
 * becomes a diagnostic. */
static void emit(const struct cli *c, json_t *out, struct qpp_run *run,
                 struct qpp_diags *d)
{
    char *s = c->text        ? qpp_score_text(out)
              : c->o.summary ? qpp_summary_dumps(out)
                             : qpp_write_dumps(out, c->compact);
    const char *path = c->output && strcmp(c->output, "-") != 0 ? c->output : NULL;
    int rc;

    if (!s) {
        qpp_diag_nomem(d);
        return;
    }
    rc = path ? qpp_outfile_write(path, s) : qpp_outfile_put(stdout, s);
    if (rc < 0) {
        struct qpp_place at = {path ? path : "(standard output)", -1, -1, NULL, NULL};
        qpp_diag(d, QPP_IO_ERROR, &at, NULL, "write error: %s", strerror(errno));
    } else if (c->provenance) {
        emit_provenance(c, run, s, d);
    }
    qpp_free(s);
}

/* ---- the run ---- */

/* A JSON file given on the command line (--measures-data, --benchmarks):
 * a new reference, or NULL with a diagnostic. */
static json_t *load_json_file(const char *path, struct qpp_diags *d)
{
    json_error_t err;
    json_t *root;
    FILE *fp = fopen(path, "r");
    struct qpp_place file = {path, -1, -1, NULL, NULL};

    if (!fp) {
        qpp_diag(d, QPP_IO_ERROR, &file, NULL, "%s", strerror(errno));
        return NULL;
    }
    memset(&err, 0, sizeof err);
    root = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        struct qpp_place at = {path, err.line, err.column, NULL, NULL};
        enum json_error_code code = json_error_code(&err);
        /* A read error (a directory, EIO) looks like a short file to jansson;
         * jansson leaves the error empty when its first allocation fails. */
        if (ferror(fp))
            qpp_diag(d, QPP_IO_ERROR, &file, NULL, "read error: %s", strerror(errno));
        else if (!err.text[0] || code == json_error_out_of_memory)
            qpp_diag(d, QPP_OUT_OF_MEMORY, &at, NULL, "out of memory");
        else
            qpp_diag(d, QPP_JSON_SYNTAX, &at, NULL, "%s", err.text);
    }
    fclose(fp);
    return root;
}

static int load_measures_data(const char *path, struct qpp_catalog_year **out,
                              struct qpp_diags *d)
{
    json_t *root = load_json_file(path, d);
    int rc;

    if (!root)
        return -1;
    rc = qpp_catalog_load(root, path, out, d);
    json_decref(root);
    return rc;
}

/* --benchmarks: CMS's benchmarks file, read like --measures-data. */
static int load_benchmarks(const char *path, struct qpp_benchmark_set **out,
                           struct qpp_diags *d)
{
    json_t *root = load_json_file(path, d);
    int rc;

    if (!root)
        return -1;
    rc = qpp_benchmark_load(root, path, out, d);
    json_decref(root);
    return rc;
}

/* --list-measures: the year's measures, or those c->files name. */
static void list_measures(const struct cli *c, const struct qpp_catalog_year *data,
                          struct qpp_diags *d)
{
    const struct qpp_catalog_year *y = data ? data : qpp_catalog_builtin_year(c->o.year);
    char *s;

    if (!y) {
        qpp_diag(d, QPP_YEAR_UNSUPPORTED, NULL, NULL,
                 "no measure data for %d; give CMS's file with --measures-data",
                 c->o.year);
        return;
    }
    if (qpp_listing_measures(y, (const char *const *)c->files, (size_t)c->nfiles, &s, d) <
        0)
        return;
    if (qpp_outfile_put(stdout, s) < 0) {
        struct qpp_place at = {"(standard output)", -1, -1, NULL, NULL};
        qpp_diag(d, QPP_IO_ERROR, &at, NULL, "write error: %s", strerror(errno));
    }
    qpp_free(s);
}

int main(int argc, char **argv)
{
    struct cli c;
    struct qpp_diags d;
    struct qpp_catalog_year *data = NULL;
    struct qpp_benchmark_set *benchmarks = NULL;
    struct qpp_run *run = NULL;
    struct progress prog = {0, 0, 0, 0, 0};
    json_t *out = NULL;
    static const char *const stdin_name[] = {"-"};
    int status, lost, unsaid;
    size_t said = 0; /* diagnostics already written */

    memset(&c, 0, sizeof c);
    qpp_alloc_setup();
    qpp_diags_init(&d);
    status = parse_options(&c, argc, argv);
    if (status >= 0 && c.error[0]) {
        qpp_diag(&d, c.nomem ? QPP_OUT_OF_MEMORY : QPP_USAGE, NULL, NULL, "%s", c.error);
        print_diags(&c, &d);
        if (!c.json_diags && !c.nomem)
            fputs("Try 'qppbuild --help' for more information.\n", stderr);
    }
    if (status >= 0)
        goto done;
    if (c.measures_data) {
        if (load_measures_data(c.measures_data, &data, &d) < 0)
            goto report;
        c.o.catalog = data;
    }
    if (c.benchmarks) {
        if (load_benchmarks(c.benchmarks, &benchmarks, &d) < 0)
            goto report;
        c.o.score.benchmarks = benchmarks;
    }
    if (c.list_measures) {
        list_measures(&c, data, &d);
        status = EXIT_OK;
        goto report;
    }
    prog.verbose = c.verbosity == VERBOSE && !c.json_diags;
    prog.terminal = isatty(STDERR_FILENO) && !c.json_diags && c.verbosity != QUIET;
    prog.start = prog.last = now();
    c.o.progress = show_progress;
    c.o.progress_ctx = &prog;
    run = qpp_run_new(&c.o, &d);
    if (!run) {
        qpp_diag_nomem(&d);
        goto report;
    }
    if (c.nfiles > 0)
        qpp_run_read_files(run, (const char *const *)c.files, c.nfiles);
    else
        qpp_run_read_files(run, stdin_name, 1);
    if (!qpp_diags_io_failed(&d) && qpp_run_build(run, &out) == 0 && c.check_only) {
        json_decref(out);
        out = NULL;
    }
    if (c.verbosity == VERBOSE)
        qpp_run_note_skipped(run);
report:
    /* What is to be said is said before the output is written: a warning
     * that cannot be written for want of memory is said as out-of-memory,
     * and then nothing is written (exit 3), as for an error. */
    unsaid = 0;
    if (status < 0 && out && !qpp_diags_io_failed(&d) && !qpp_diags_errors(&d)) {
        unsaid = print_diags_from(&c, &d, &said, 0) < 0;
        if (!unsaid)
            emit(&c, out, run, &d);
    }
    lost = print_diags_from(&c, &d, &said, 1) < 0;
    if (qpp_diags_io_failed(&d) || unsaid || (lost && qpp_diags_errors(&d)))
        status = EXIT_IO;
    else if (qpp_diags_errors(&d))
        status = EXIT_INVALID;
    else if (status < 0)
        status = EXIT_OK;
done:
    json_decref(out);
    qpp_run_free(run);
    qpp_catalog_free(data);
    qpp_benchmark_free(benchmarks);
    qpp_diags_free(&d);
    free(c.report_ids);
    free(c.maps);
    free(c.files);
    return status;
}
