/* SPDX-License-Identifier: MIT */
/*
 * qppbuild's command line: options, files, printing, exit status.  Everything
 * else is the library (qppbuild.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "qppbuild.h"
#include "util.h"

enum exit_status { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

enum verbosity { QUIET, NORMAL, VERBOSE };

struct cli {
    struct qpp_options o;
    const char **report_ids;
    size_t nreport_ids, capreport_ids;
    struct qpp_measure_map *maps;
    size_t nmaps, capmaps;
    const char *output;
    const char *measures_data;
    const char *benchmarks; /* --benchmarks */
    int compact, check_only, json_diags, list_measures;
    int text; /* --format text */
    enum verbosity verbosity;
};

enum {
    OPT_NO_LIBRARY = 256,
    OPT_ENTITY_ID,
    OPT_SET_ID,
    OPT_CEHRT,
    OPT_MEASURES_DATA,
    OPT_COUNTS,
    OPT_MAP,
    OPT_CHECK,
    OPT_DIAGNOSTICS,
    OPT_LIST,
    OPT_PRE_SCORE,
    OPT_FORMAT,
    OPT_BENCHMARKS,
    OPT_SMALL_PRACTICE
};

static const struct option long_options[] = {
    {"organization-id", required_argument, NULL, 'O'},
    {"program-library-id", required_argument, NULL, 'L'},
    {"no-program-library", no_argument, NULL, OPT_NO_LIBRARY},
    {"measure-report-id", required_argument, NULL, 'r'},
    {"performance-year", required_argument, NULL, 'y'},
    {"entity-type", required_argument, NULL, 'e'},
    {"entity-id", required_argument, NULL, OPT_ENTITY_ID},
    {"structure", required_argument, NULL, 's'},
    {"measurement-set-id", required_argument, NULL, OPT_SET_ID},
    {"submission-method", required_argument, NULL, 'm'},
    {"quality-program", required_argument, NULL, 'p'},
    {"cehrt-id", required_argument, NULL, OPT_CEHRT},
    {"measures-data", required_argument, NULL, OPT_MEASURES_DATA},
    {"counts", required_argument, NULL, OPT_COUNTS},
    {"measure-map", required_argument, NULL, OPT_MAP},
    {"output", required_argument, NULL, 'o'},
    {"compact", no_argument, NULL, 'c'},
    {"check", no_argument, NULL, OPT_CHECK},
    {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
    {"list-measures", no_argument, NULL, OPT_LIST},
    {"jobs", required_argument, NULL, 'j'},
    {"pre-score", no_argument, NULL, OPT_PRE_SCORE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"benchmarks", required_argument, NULL, OPT_BENCHMARKS},
    {"small-practice", no_argument, NULL, OPT_SMALL_PRACTICE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *fp)
{
    fputs(
        "usage: qppbuild [options] [file ...]\n"
        "Convert FHIR R4 MeasureReports into a CMS QPP submission (JSON on stdout).\n"
        "With no file, or -, read standard input.\n"
        "\n"
        "  -O, --organization-id ID      Organization naming the entity (TIN, NPI, XX)\n"
        "  -L, --program-library-id ID   quality-program Library (id, url[|version])\n"
        "      --no-program-library      do not check reports against a Library\n"
        "  -r, --measure-report-id ID    use only these reports (repeat, or a,b,c)\n"
        "  -y, --performance-year YYYY   default: the year of the reports' periods\n"
        "  -e, --entity-type T           individual, group (default), subgroup,\n"
        "                                virtualGroup, apm\n"
        "      --entity-id ID            APM, virtual group or subgroup id\n"
        "  -s, --structure S             submission (default), measurementSet,\n"
        "                                measurement\n"
        "      --measurement-set-id ID   target set of --structure measurement\n"
        "  -m, --submission-method M     electronicHealthRecord (default), registry,\n"
        "                                cmsWebInterface (years that had it)\n"
        "  -p, --quality-program P       mips (default), app1, appPlus, an MVP id, pcf\n"
        "      --cehrt-id ID             CMS EHR certification id (required on\n"
        "                                eCQM sets from 2025)\n"
        "      --measures-data FILE      CMS's measures-data.json for the year\n"
        "      --counts gross|net        how the reports count the denominator\n"
        "      --measure-map URL=ID      QPP measureId of a Measure canonical\n"
        "  -o, --output FILE             write there, whole or not at all\n"
        "  -c, --compact                 one-line JSON\n"
        "      --check                   validate only; write nothing\n"
        "      --diagnostics text|json   format of messages on stderr\n"
        "      --list-measures           list the quality measures of -y's year\n"
        "  -j, --jobs N                  threads that read (default: the cores)\n"
        "      --pre-score               preview CMS's quality scoring of the\n"
        "                                submission instead of writing it\n"
        "      --format json|text        the preview as JSON (default) or a table\n"
        "      --benchmarks FILE         CMS's benchmarks file for the year\n"
        "      --small-practice          preview for 15 or fewer clinicians\n"
        "  -q, --quiet                   errors only\n"
        "  -v, --verbose                 notes and progress too\n"
        "  -h, --help                    this help\n"
        "  -V, --version                 version and built-in years\n"
        "\n"
        "Exit status: 0 written, 1 input not valid for a submission, 2 usage,\n"
        "3 input/output error or out of memory.  See qppbuild(1).\n",
        fp);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("qppbuild: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'qppbuild --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

static int nomem_error(void)
{
    fputs("qppbuild: error[out-of-memory]: out of memory\n", stderr);
    return EXIT_IO;
}

static void version(void)
{
    size_t i;

    printf("qppbuild %s\nmeasure data built in for", QPP_VERSION);
    for (i = 0; i < qpp_catalog_nbuiltin; i++)
        printf(" %d", qpp_catalog_builtin[i].year);
    printf("\njansson %s\n", jansson_version_str());
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* 0 done, 1 no id in arg, -1 out of memory. */
static int add_report_ids(struct cli *c, char *arg)
{
    char *tok, *save = NULL;
    size_t before = c->nreport_ids;

    for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (qpp_grow((void **)&c->report_ids, &c->capreport_ids, c->nreport_ids + 1,
                     sizeof *c->report_ids) < 0)
            return -1;
        c->report_ids[c->nreport_ids++] = tok;
    }
    return c->nreport_ids > before ? 0 : 1;
}

/* 0 added, 1 not URL=ID, 2 the url mapped to another id already, -1 out of
 * memory. */
static int add_map(struct cli *c, char *arg)
{
    char *eq = strrchr(arg, '=');
    size_t i;

    if (!eq || eq == arg || !eq[1])
        return 1;
    if (qpp_grow((void **)&c->maps, &c->capmaps, c->nmaps + 1, sizeof *c->maps) < 0)
        return -1;
    *eq = '\0';
    c->maps[c->nmaps].url = arg;
    c->maps[c->nmaps].id = eq + 1;
    /* A version on the url is not part of the match. */
    if (strrchr(arg, '|'))
        *strrchr(arg, '|') = '\0';
    /* One url, two ids: which one the user meant cannot be guessed. */
    for (i = 0; i < c->nmaps; i++)
        if (strcmp(c->maps[i].url, arg) == 0 && strcmp(c->maps[i].id, eq + 1) != 0)
            return 2;
    c->nmaps++;
    return 0;
}

static int parse_year(const char *s)
{
    char *end;
    long y = strtol(s, &end, 10);

    return *s && !*end && strlen(s) == 4 && y >= 1900 && y <= 2999 ? (int)y : 0;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static int parse_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);

    return *s && !*end && n >= 1 && n <= 256 ? (int)n : 0;
}

/* A leading ':' makes getopt tell a missing value from an unknown option. */
static const char short_options[] = ":O:L:r:y:e:s:m:p:o:j:cqvhV";

/* Whether the option getopt_long returned (ch, long index li) has a value. */
static int takes_value(int ch, int li)
{
    const char *p;

    if (li >= 0)
        return long_options[li].has_arg == required_argument;
    p = ch > 0 && ch < 128 ? strchr(short_options + 1, ch) : NULL;
    return p && p[1] == ':';
}

/* Returns -1 to go on, else an exit status. */
static int parse_options(struct cli *c, int argc, char **argv)
{
    static const char *const entity_types[] = {"individual",   "group", "subgroup",
                                               "virtualGroup", "apm",   NULL};
    static const char *const structures[] = {"submission", "measurementSet",
                                             "measurement", NULL};
    static const char *const methods[] = {"electronicHealthRecord", "registry",
                                          "cmsWebInterface", NULL};
    int ch, i, li;
    char name[64];

    qpp_options_init(&c->o);
    c->o.jobs = default_jobs();
    c->verbosity = NORMAL;
    opterr = 0; /* our messages, named qppbuild rather than argv[0] */
    while ((li = -1, ch = getopt_long(argc, argv, short_options, long_options, &li)) !=
           -1) {
        /* The option as written, for messages. */
        if (li >= 0)
            snprintf(name, sizeof name, "--%s", long_options[li].name);
        else if (optopt > 0 && optopt < 128)
            snprintf(name, sizeof name, "-%c", optopt);
        else if (ch > 0 && ch < 128 && ch != '?' && ch != ':')
            snprintf(name, sizeof name, "-%c", ch);
        else
            snprintf(name, sizeof name, "%.60s", argv[optind - 1]);
        if (ch == '?')
            return usage_error("unknown option '%s'", name);
        if (ch == ':')
            return usage_error("option '%s' needs a value", name);
        if (takes_value(ch, li) && !*optarg)
            return usage_error("option '%s' needs a value, not an empty one", name);
        switch (ch) {
            case 'O':
                c->o.organization_id = optarg;
                break;
            case 'L':
                c->o.library_id = optarg;
                break;
            case OPT_NO_LIBRARY:
                c->o.no_program_library = 1;
                break;
            case 'r':
                i = add_report_ids(c, optarg);
                if (i < 0)
                    return nomem_error();
                if (i > 0)
                    return usage_error("--measure-report-id takes ids, not '%s'", optarg);
                break;
            case 'y':
                if (!(c->o.year = parse_year(optarg)))
                    return usage_error("performance year '%s' is not a year", optarg);
                break;
            case 'e':
                if (!one_of(optarg, entity_types))
                    return usage_error("entity type '%s' is not individual, group, "
                                       "subgroup, virtualGroup or apm",
                                       optarg);
                c->o.entity_type = optarg;
                break;
            case OPT_ENTITY_ID:
                c->o.entity_id = optarg;
                break;
            case 's':
                if (!one_of(optarg, structures))
                    return usage_error("structure '%s' is not submission, measurementSet "
                                       "or measurement",
                                       optarg);
                for (i = 0; structures[i] && strcmp(structures[i], optarg) != 0; i++)
                    ;
                c->o.structure = (enum qpp_structure)i;
                break;
            case OPT_SET_ID:
                c->o.measurement_set_id = optarg;
                break;
            case 'm':
                if (!one_of(optarg, methods))
                    return usage_error(
                        "submission method '%s' is not "
                        "electronicHealthRecord, registry or cmsWebInterface",
                        optarg);
                c->o.method = optarg;
                break;
            case 'p':
                c->o.program = optarg;
                break;
            case OPT_CEHRT:
                c->o.cehrt_id = optarg;
                break;
            case OPT_MEASURES_DATA:
                c->measures_data = optarg;
                break;
            case OPT_COUNTS:
                if (strcmp(optarg, "gross") == 0)
                    c->o.counts = QPP_COUNTS_GROSS;
                else if (strcmp(optarg, "net") == 0)
                    c->o.counts = QPP_COUNTS_NET;
                else
                    return usage_error("--counts takes gross or net, not '%s'", optarg);
                break;
            case OPT_MAP:
                i = add_map(c, optarg);
                if (i < 0)
                    return nomem_error();
                if (i == 2)
                    return usage_error("--measure-map maps %s to two ids", optarg);
                if (i > 0)
                    return usage_error("--measure-map takes URL=ID, not '%s'", optarg);
                break;
            case 'o':
                c->output = optarg;
                break;
            case 'c':
                c->compact = 1;
                break;
            case OPT_CHECK:
                c->check_only = 1;
                break;
            case OPT_DIAGNOSTICS:
                if (strcmp(optarg, "json") == 0)
                    c->json_diags = 1;
                else if (strcmp(optarg, "text") != 0)
                    return usage_error("--diagnostics takes text or json, not '%s'",
                                       optarg);
                break;
            case OPT_LIST:
                c->list_measures = 1;
                break;
            case 'j':
                if (!(c->o.jobs = parse_jobs(optarg)))
                    return usage_error("--jobs takes a number from 1 to 256, not '%s'",
                                       optarg);
                break;
            case OPT_PRE_SCORE:
                c->o.score.enabled = 1;
                break;
            case OPT_FORMAT:
                if (strcmp(optarg, "text") == 0)
                    c->text = 1;
                else if (strcmp(optarg, "json") != 0)
                    return usage_error("--format takes json or text, not '%s'", optarg);
                break;
            case OPT_BENCHMARKS:
                c->benchmarks = optarg;
                break;
            case OPT_SMALL_PRACTICE:
                c->o.score.small_practice = 1;
                break;
            case 'q':
                c->verbosity = QUIET;
                break;
            case 'v':
                c->verbosity = VERBOSE;
                break;
            case 'h':
                usage(stdout);
                return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
            case 'V':
                version();
                return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
            default:
                fputs("Try 'qppbuild --help' for more information.\n", stderr);
                return EXIT_USAGE;
        }
    }
    if (c->o.structure == QPP_MEASUREMENT && !c->o.measurement_set_id)
        return usage_error("%s", "--structure measurement needs --measurement-set-id");
    if (c->o.structure != QPP_MEASUREMENT && c->o.measurement_set_id)
        return usage_error("%s",
                           "--measurement-set-id goes with --structure measurement");
    if (c->check_only && c->output)
        return usage_error("%s", "--check writes nothing: it takes no -o");
    if (!c->o.score.enabled && (c->text || c->benchmarks || c->o.score.small_practice))
        return usage_error("%s", "--format, --benchmarks and --small-practice go with "
                                 "--pre-score");
    if (c->list_measures &&
        (optind < argc || c->output || c->check_only || c->o.score.enabled))
        return usage_error("%s", "--list-measures takes no file, -o, --check or "
                                 "--pre-score");
    if (c->list_measures && !c->o.year && !c->measures_data)
        return usage_error("%s",
                           "--list-measures needs -y YEAR (or --measures-data FILE)");
    c->o.report_ids = c->report_ids;
    c->o.nreport_ids = c->nreport_ids;
    c->o.maps = c->maps;
    c->o.nmaps = c->nmaps;
    return -1;
}

/* ---- diagnostics ---- */

static void print_diag(const struct cli *c, const struct qpp_diag *g)
{
    if (c->json_diags) {
        json_t *o = qpp_diag_json(g);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        fprintf(stderr, "%s\n",
                s ? s
                  : "{\"severity\":\"error\",\"code\":\"out-of-memory\",\"file\":null,"
                    "\"line\":null,\"column\":null,\"resource\":null,\"pointer\":null,"
                    "\"message\":\"out of memory\"}");
        free(s);
        json_decref(o);
    } else {
        char *s = qpp_diag_text(g);
        fprintf(stderr, "qppbuild: %s\n", s ? s : "error[out-of-memory]: out of memory");
        free(s);
    }
}

static void print_diags(const struct cli *c, const struct qpp_diags *d)
{
    enum qpp_severity least = c->verbosity == QUIET     ? QPP_ERROR
                              : c->verbosity == VERBOSE ? QPP_NOTE
                                                        : QPP_WARNING;
    size_t i;
    int sev;

    for (i = 0; i < d->len; i++)
        if (d->v[i].severity >= least)
            print_diag(c, &d->v[i]);
    if (d->nomem) {
        char msg[] = "out of memory";
        struct qpp_diag g = {QPP_ERROR, QPP_OUT_OF_MEMORY, NULL, -1, -1, NULL, NULL, msg};
        print_diag(c, &g);
    }
    for (sev = QPP_ERROR; sev >= (int)least; sev--) {
        char msg[96];
        struct qpp_diag g = {QPP_NOTE, QPP_TOO_MANY, NULL, -1, -1, NULL, NULL, msg};

        if (!d->dropped[sev])
            continue;
        snprintf(msg, sizeof msg, "%zu more %ss not shown", d->dropped[sev],
                 qpp_severity_name((enum qpp_severity)sev));
        print_diag(c, &g);
    }
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

static int write_all(FILE *fp, const char *s)
{
    size_t n = strlen(s);

    return fwrite(s, 1, n, fp) == n && fflush(fp) == 0 ? 0 : -1;
}

/* The temporary file of -o while it exists, for a signal to remove. */
static const char *volatile tmp_name;

static void remove_tmp(int sig)
{
    if (tmp_name)
        unlink(tmp_name);
    raise(sig); /* the default action, restored by SA_RESETHAND, once we return */
}

/* On (1) or off (0): SIGINT, SIGTERM and SIGHUP remove the temporary file
 * before they stop qppbuild.  Signals ignored (nohup) stay ignored. */
static void guard_tmp(int on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    static struct sigaction old[3];
    size_t i;

    for (i = 0; i < 3; i++) {
        if (on) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = remove_tmp;
            sa.sa_flags = (int)SA_RESETHAND;
            sigemptyset(&sa.sa_mask);
            if (sigaction(sigs[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
                sigaction(sigs[i], &sa, NULL);
        } else {
            sigaction(sigs[i], &old[i], NULL);
        }
    }
}

/* Write to a temporary file beside path, then rename it: the file appears
 * whole or not at all, and an old one stays untouched on failure. */
/* A device or FIFO (/dev/null, a named pipe) is not a file to replace:
 * write straight into it, as the shell's > does. */
static int write_direct(const char *path, const char *s)
{
    FILE *fp = fopen(path, "w");
    int saved;

    if (!fp)
        return -1;
    if (write_all(fp, s) < 0) {
        saved = errno;
        fclose(fp);
        errno = saved;
        return -1;
    }
    return fclose(fp) == 0 ? 0 : -1;
}

static int write_replacing(const char *path, const char *s);

/* -o: a regular file (new, or through a symbolic link) appears whole or not
 * at all; anything else is written directly. */
static int write_file(const char *path, const char *s)
{
    struct stat st;
    char *real;
    int rc, saved;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_direct(path, s);
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return write_replacing(path, s);
    /* Replace the file the link names, not the link. */
    real = realpath(path, NULL);
    if (!real) /* a dangling link: it names no file to replace */
        return write_direct(path, s);
    rc = write_replacing(real, s);
    saved = errno;
    free(real);
    errno = saved;
    return rc;
}

static int write_replacing(const char *path, const char *s)
{
    struct qpp_buf tmp;
    FILE *fp = NULL;
    struct stat st;
    mode_t mode;
    int fd, rc = -1, saved;

    qpp_buf_init(&tmp);
    qpp_buf_printf(&tmp, "%s.XXXXXX", path);
    if (tmp.failed) {
        errno = ENOMEM;
        return -1;
    }
    guard_tmp(1);
    fd = mkstemp(tmp.s);
    if (fd < 0)
        goto out;
    tmp_name = tmp.s;
    /* mkstemp makes the file 0600: give it the mode a new file would get,
     * or that of the file it replaces. */
    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) < 0) {
        saved = errno;
        close(fd);
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(tmp.s);
        goto out;
    }
    if (write_all(fp, s) < 0 || fsync(fd) < 0) {
        saved = errno;
        fclose(fp);
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    if (fclose(fp) != 0 || rename(tmp.s, path) != 0) {
        saved = errno;
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    rc = 0;
out:
    saved = errno;
    tmp_name = NULL;
    guard_tmp(0);
    qpp_buf_free(&tmp);
    errno = saved;
    return rc;
}

/* Write the output where -o says; a failure becomes a diagnostic. */
static void emit(const struct cli *c, json_t *out, struct qpp_diags *d)
{
    char *s = c->text ? qpp_score_text(out) : qpp_write_dumps(out, c->compact);
    const char *path = c->output && strcmp(c->output, "-") != 0 ? c->output : NULL;
    int rc;

    if (!s) {
        qpp_diag_nomem(d);
        return;
    }
    rc = path ? write_file(path, s) : write_all(stdout, s);
    qpp_free(s);
    if (rc < 0) {
        struct qpp_place at = {path ? path : "(standard output)", -1, -1, NULL, NULL};
        qpp_diag(d, QPP_IO_ERROR, &at, NULL, "write error: %s", strerror(errno));
    }
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

/* A field of --list-measures: tabs and line ends inside it (CMS's titles
 * have some) would break the one-line, tab-separated format, so each run of
 * control characters becomes one space. */
static void put_field(const char *s, const char *sep)
{
    int space = 0;

    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch < 0x20 || ch == 0x7f) {
            if (!space)
                putchar(' ');
            space = 1;
        } else {
            putchar(ch);
            space = ch == ' ';
        }
    }
    fputs(sep, stdout);
}

static void put_list(const char *const *v, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++)
        put_field(v[k], k + 1 < n ? "," : "");
    fputs(n ? "\t" : "-\t", stdout);
}

static void list_measures(const struct qpp_catalog_year *y)
{
    size_t i;

    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        put_field(m->id, "\t");
        put_field(m->emeasure_id ? m->emeasure_id : "-", "\t");
        put_field(m->metric_type, "\t");
        put_field(m->overall_algorithm ? m->overall_algorithm : "-", "\t");
        put_list(m->strata, m->nstrata);
        put_list(m->methods, m->nmethods);
        put_field(m->title, "\n");
    }
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
    int status, i;

    memset(&c, 0, sizeof c);
    qpp_alloc_setup();
    qpp_diags_init(&d);
    status = parse_options(&c, argc, argv);
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
        const struct qpp_catalog_year *y =
            data ? data : qpp_catalog_builtin_year(c.o.year);
        if (!y) {
            qpp_diag(&d, QPP_YEAR_UNSUPPORTED, NULL, NULL,
                     "no measure data for %d; give CMS's file with --measures-data",
                     c.o.year);
            goto report;
        }
        list_measures(y);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            struct qpp_place at = {"(standard output)", -1, -1, NULL, NULL};
            qpp_diag(&d, QPP_IO_ERROR, &at, NULL, "write error: %s", strerror(errno));
        }
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
    for (i = optind; i < argc || (i == optind && argc == optind); i++) {
        const char *name = i < argc ? argv[i] : "-";
        FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
        int rc;

        if (!fp) {
            struct qpp_place at = {name, -1, -1, NULL, NULL};
            qpp_diag(&d, QPP_IO_ERROR, &at, NULL, "cannot open: %s", strerror(errno));
            continue;
        }
        rc = qpp_run_read(run, fp, name);
        if (fp != stdin)
            fclose(fp);
        if (rc < 0) /* a read error or no memory: the run has failed */
            break;
        if (i >= argc)
            break;
    }
    if (!qpp_diags_io_failed(&d) && qpp_run_build(run, &out) == 0 && c.check_only) {
        json_decref(out);
        out = NULL;
    }
    if (c.verbosity == VERBOSE)
        qpp_run_note_skipped(run);
report:
    if (status < 0 && out && !qpp_diags_io_failed(&d) && !qpp_diags_errors(&d))
        emit(&c, out, &d);
    print_diags(&c, &d);
    if (qpp_diags_io_failed(&d))
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
    return status;
}
