/*
 * main.c: stirmls-harness command line. Exit status: 0 every result as expected, 1 otherwise,
 * 2 usage or harness error.
 */
#include "harness.h"

#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage_top[] =
    "usage: stirmls-harness run [OPTIONS]     run the conformance suite (run --help for options)\n"
    "       stirmls-harness explain [--vectors DIR] CASE_ID...  a case as a person reads it: why, spec\n"
    "                           text, expected, the inputs decoded, the commands reproducing it\n"
    "       stirmls-harness bridge --listen HOST:PORT [OPTIONS] -- COMMAND...\n"
    "                                         a stdio adapter as a TCP service (bridge --help)\n"
    "       stirmls-harness diff [--markdown] OLD_RUN NEW_RUN  what changed between two runs (report\n"
    "                           directories or report.json): regressed, fixed, changed, added, removed\n"
    "                           per implementation; exit 1 when anything regressed\n"
    "       stirmls-harness merge --out DIR [OPTIONS] RUN_DIR...  one set of reports from several\n"
    "                           runs (merge --help for options)\n"
    "       stirmls-harness record --out DIR [--vectors DIR] RUN_DIR...  the artefacts of generate\n"
    "                           cases, as the recorded vector family (replay with run --vectors DIR)\n"
    "       stirmls-harness --help | --version\n"
    "Drives implementations through the stirmls-interop/1 protocol (docs/protocol.md) and writes\n"
    "report.json, junit.xml, summary.md and index.html.\n";

static const char usage_run[] =
    "usage: stirmls-harness run [OPTIONS]\n"
    "  --impl NAME=COMMAND      implementation started from COMMAND (split on whitespace, no shell)\n"
    "  --impl NAME=tcp://H:P    implementation reached over TCP; repeatable. Default: the reference,\n"
    "                           stirmls serve from the harness's own directory\n"
    "  --impl NAME=exec:TEMPLATE a command-line tool run once per case, the case's inputs as files\n"
    "                           ({passport} {chain} {trust} {at} {tn} {signature_key} ...; README)\n"
    "  --vectors DIR            vector files (default: the repository's vectors/, else the\n"
    "                           installed PREFIX/share/stirmls/vectors)\n"
    "  --scenarios DIR          scenarios, compiled first into OUT/vectors by stirmls-vectorgen\n"
    "  --filter GLOB            run only matching case ids; -GLOB excludes; repeatable\n"
    "  --jobs N                 parallel workers, each with its own instances (default 1)\n"
    "  --expectations NAME=FILE expectation file (YAML) for implementation NAME\n"
    "  --out DIR                report directory (default reports/latest)\n"
    "  --timeout S              per-call timeout in seconds (default 10; fractions allowed)\n"
    "  --strict-reasons         PASS_OTHER_REASON counts as a failure\n"
    "  --strict-outcome         an outcome member a case states (identities, not_after, rcd,\n"
    "                           certificate...) that the result omits is a FAIL (the reference)\n"
    "  --allow-unsupported-only an implementation that judged no case (every result UNSUPPORTED\n"
    "                           or SKIP) does not fail the run\n"
    "  --capture                tcpdump the loopback ports in use into DIR/capture.pcap\n"
    "  --x5u-serve              serve every case's x5u_map chains over HTTP on 127.0.0.1 and add\n"
    "                           input.x5u_fetch {URL: loopback URL} to verify requests\n"
    "  --x5u-fetch-only         as --x5u-serve, and withhold x5u_map: peers must fetch\n"
    "  --list                   print the selected case ids (first column) and exit\n"
    "  --resume DIR             continue the run recorded in DIR (alone: its options are reused)\n"
    "  --record DIR             add the artefacts produced in generate cases, with every verifier's\n"
    "                           verdict, to DIR/recorded.json (the recorded family; --vectors DIR replays)\n"
    "Exit status: 0 all results as expected, 1 otherwise, 2 usage or harness error.\n";

static int usage(const char *msg)
{
    char *safe = hx_ctl_escape(msg);
    fprintf(stderr, "stirmls-harness: %s (try --help)\n", safe);
    free(safe);
    return 2;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *default_vectors(void)
{
    const char *root = getenv("STIRMLS_ROOT");
    if (root)
        return hx_path_join(root, "vectors");
    char *dir = hx_self_dir();
    for (int up = 0; up < 4; up++) {
        char *v = hx_path_join(dir, "vectors"), *h = hx_path_join(dir, "harness");
        bool hit = is_dir(v) && is_dir(h);
        free(h);
        if (hit) {
            char *real = realpath(v, NULL);
            free(dir);
            if (real) {
                free(v);
                return real;
            }
            return v;
        }
        free(v);
        char *parent = hx_path_join(dir, "..");
        free(dir);
        dir = parent;
    }
    free(dir);
    /* installed (make install, the .deb): <prefix>/bin/stirmls-harness and <prefix>/share/stirmls/vectors */
    char *self = hx_self_dir(), *inst = hx_path_join(self, "../share/stirmls/vectors");
    free(self);
    char *real = is_dir(inst) ? realpath(inst, NULL) : NULL;
    free(inst);
    return real ? real : hx_strdup("vectors");
}

typedef struct {
    hx_run_config cfg;
    char **exp_args;
    size_t nexp;
    bool list;
    char *resume_dir;
    char *scenarios_dir;
    char *record_dir;
} opts;

static void push(char ***v, size_t *n, const char *s)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = hx_strdup(s);
}

static int parse(int argc, char **argv, opts *o, bool *help)
{
    static const struct option lo[] = {
        {"impl", 1, 0, 'i'}, {"vectors", 1, 0, 'v'}, {"scenarios", 1, 0, 's'}, {"filter", 1, 0, 'f'},
        {"jobs", 1, 0, 'j'}, {"expectations", 1, 0, 'e'}, {"out", 1, 0, 'o'}, {"timeout", 1, 0, 't'},
        {"strict-reasons", 0, 0, 'S'}, {"capture", 0, 0, 'c'}, {"list", 0, 0, 'l'},
        {"resume", 1, 0, 'r'}, {"help", 0, 0, 'h'}, {"x5u-serve", 0, 0, 'x'},
        {"x5u-fetch-only", 0, 0, 'X'}, {"allow-unsupported-only", 0, 0, 'U'}, {"record", 1, 0, 'R'},
        {"strict-outcome", 0, 0, 'Q'}, {0, 0, 0, 0}};
    hx_run_config *c = &o->cfg;
    int ch;
    char *end = NULL, *err = NULL;
    optind = 0; /* glibc: 0 re-initialises getopt, parse runs twice on --resume */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (ch) {
        case 'i':
            c->impls = realloc(c->impls, (c->nimpls + 1) * sizeof *c->impls);
            if (hx_impl_spec_parse(optarg, &c->impls[c->nimpls++], &err) != 0) {
                int rc = usage(err);
                free(err);
                return rc;
            }
            break;
        case 'v': free(c->vectors_dir); c->vectors_dir = hx_strdup(optarg); break;
        case 's': free(o->scenarios_dir); o->scenarios_dir = hx_strdup(optarg); break;
        case 'f': push(&c->filters, &c->nfilters, optarg); break;
        case 'j':
            c->jobs = (int)strtol(optarg, &end, 10);
            if (*end || c->jobs < 1 || c->jobs > 64)
                return usage("--jobs wants a number from 1 to 64");
            break;
        case 'e': push(&o->exp_args, &o->nexp, optarg); break;
        case 'o': free(c->out_dir); c->out_dir = hx_strdup(optarg); break;
        case 't': {
            double s = strtod(optarg, &end);
            if (*end || !(s > 0 && s <= 86400))
                return usage("--timeout wants seconds, greater than 0");
            c->timeout_ms = (int64_t)(s * 1000.0);
            break;
        }
        case 'S': c->strict_reasons = true; break;
        case 'Q': c->strict_outcome = true; break;
        case 'U': c->allow_unsupported_only = true; break;
        case 'c': c->capture = true; break;
        case 'x': c->x5u_serve = true; break;
        case 'X': c->x5u_serve = c->x5u_fetch_only = true; break;
        case 'l': o->list = true; break;
        case 'R': free(o->record_dir); o->record_dir = hx_strdup(optarg); break;
        case 'r': free(o->resume_dir); o->resume_dir = hx_strdup(optarg); break;
        case 'h': *help = true; return 0;
        default: return usage("unknown option or missing value");
        }
    }
    if (optind != argc)
        return usage("unexpected argument");
    return 0;
}

/* The options of a resumed run come from DIR/run.json. */
static int load_resume(opts *o)
{
    char *path = hx_path_join(o->resume_dir, "run.json");
    json_t *rec = json_load_file(path, 0, NULL);
    free(path);
    json_t *args = json_object_get(rec, "args");
    if (!json_is_array(args)) {
        json_decref(rec);
        return usage("--resume: DIR/run.json is missing or unreadable");
    }
    size_t n = json_array_size(args);
    char **argv = calloc(n + 2, sizeof *argv);
    argv[0] = "run";
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)json_string_value(json_array_get(args, i));
    char *dir = o->resume_dir;
    o->resume_dir = NULL;
    bool help = false;
    int rc = parse((int)n + 1, argv, o, &help);
    free(argv);
    json_decref(rec);
    free(o->cfg.out_dir);
    o->cfg.out_dir = dir;
    o->cfg.resume = true;
    return rc;
}

/* --scenarios DIR: compile with the stirmls-vectorgen beside this binary into OUT/vectors (argv
 * list, no shell); the run then reads those vectors, so reports and --resume see what ran. */
static int compile_scenarios(opts *o, char **err)
{
    hx_run_config *c = &o->cfg;
    char *self = hx_self_dir(), *vg = hx_path_join(self, "stirmls-vectorgen");
    char *dir = hx_path_join(c->out_dir, "vectors");
    int rc = -1;
    if (hx_mkdir_p(dir) != 0) {
        *err = hx_printf("--scenarios: cannot create %s", dir);
        goto out;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        *err = hx_printf("--scenarios: pipe failed");
        goto out;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {vg, "--scenarios", o->scenarios_dir, "--out", dir, NULL};
        close(fds[0]);
        if (freopen("/dev/null", "w", stdout) == NULL || dup2(fds[1], 2) < 0)
            _exit(127);
        execv(vg, args);
        _exit(127);
    }
    close(fds[1]);
    char msg[512] = "";
    size_t got = 0;
    ssize_t r;
    while ((r = read(fds[0], msg + got, sizeof msg - 1 - got)) > 0 && got + (size_t)r < sizeof msg - 1)
        got += (size_t)r;
    close(fds[0]);
    msg[got] = 0;
    msg[strcspn(msg, "\n")] = 0; /* the compiler's first line: FILE:LINE:COL: key 'K': problem */
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        *err = hx_printf("--scenarios: %s did not compile: %s", o->scenarios_dir, msg[0] ? msg : vg);
        goto out;
    }
    free(c->vectors_dir);
    c->vectors_dir = dir;
    dir = NULL;
    rc = 0;
out:
    free(self), free(vg), free(dir);
    return rc;
}

static int finish_config(opts *o, int argc, char **argv, char **err)
{
    hx_run_config *c = &o->cfg;
    if (c->nimpls == 0) {
        char *self = hx_self_dir(), *cli = hx_path_join(self, "stirmls");
        char *arg = hx_printf("stirmls=%s serve", cli);
        c->impls = calloc(1, sizeof *c->impls);
        hx_impl_spec_parse(arg, &c->impls[c->nimpls++], err);
        free(arg), free(cli), free(self);
    }
    for (size_t i = 0; i < c->nimpls; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->impls[i].name, c->impls[k].name) == 0) {
                *err = hx_printf("--impl %s given twice", c->impls[i].name);
                return -1;
            }
    c->exps = calloc(c->nimpls, sizeof *c->exps);
    for (size_t i = 0; i < c->nimpls; i++)
        hx_expectations_load(&c->exps[i], c->impls[i].name, NULL, err);
    for (size_t k = 0; k < o->nexp; k++) {
        char *eq = strchr(o->exp_args[k], '=');
        size_t i = 0;
        while (eq && i < c->nimpls && (strlen(c->impls[i].name) != (size_t)(eq - o->exp_args[k]) ||
                                       strncmp(c->impls[i].name, o->exp_args[k], (size_t)(eq - o->exp_args[k]))))
            i++;
        if (!eq || i == c->nimpls) {
            *err = hx_printf("--expectations %s: wants NAME=FILE with NAME an --impl name", o->exp_args[k]);
            return -1;
        }
        hx_expectations_cleanup(&c->exps[i]);
        if (hx_expectations_load(&c->exps[i], c->impls[i].name, eq + 1, err) != 0)
            return -1;
    }
    if (!c->out_dir)
        c->out_dir = hx_strdup("reports/latest");
    if (o->scenarios_dir != NULL && !c->resume && compile_scenarios(o, err) != 0)
        return -1;
    if (!c->vectors_dir)
        c->vectors_dir = default_vectors();
    if (!c->timeout_ms)
        c->timeout_ms = 10000;
    if (!c->jobs)
        c->jobs = 1;
    c->progress = isatty(2) && !o->list;
    if (!c->resume) {
        json_t *args = json_array();
        for (int i = 1; i < argc; i++)
            json_array_append_new(args, json_string(argv[i]));
        c->argv_record = json_pack("{s:o,s:s}", "args", args, "tool", HX_TOOL_VERSION);
    }
    return 0;
}

static void list_cases(const hx_run_config *c, const hx_suite *s)
{
    for (size_t i = 0; i < s->ncases; i++) {
        const hx_case *k = &s->cases[i];
        if (!hx_case_selected(c, k->id))
            continue;
        char *id = hx_ctl_escape(k->id), *kind = hx_ctl_escape(k->kind ? k->kind : k->op);
        /* reject REASON, or either FLAG (the expectation file's policy key) */
        const char *more = k->expect_flag ? k->expect_flag : k->expect_reason;
        char *safe = hx_ctl_escape(more ? more : "");
        printf("%s\t%s\t%s%s%s\n", id, kind, k->expect_verdict ? k->expect_verdict : "",
               more ? " " : "", safe);
        free(id);
        free(kind);
        free(safe);
    }
}

static void cleanup(opts *o)
{
    hx_run_config *c = &o->cfg;
    for (size_t i = 0; i < c->nimpls; i++) {
        hx_impl_spec_cleanup(&c->impls[i]);
        if (c->exps)
            hx_expectations_cleanup(&c->exps[i]);
    }
    free(c->impls);
    free(c->exps);
    for (size_t i = 0; i < c->nfilters; i++)
        free(c->filters[i]);
    free(c->filters);
    for (size_t i = 0; i < o->nexp; i++)
        free(o->exp_args[i]);
    free(o->exp_args);
    free(c->vectors_dir);
    free(c->out_dir);
    free(o->resume_dir);
    free(o->scenarios_dir);
    free(o->record_dir);
    json_decref(c->argv_record);
}

static int cmd_run(int argc, char **argv)
{
    opts o = {0};
    bool help = false;
    int rc = parse(argc, argv, &o, &help);
    if (rc == 0 && help) {
        fputs(usage_run, stdout);
        cleanup(&o);
        return 0;
    }
    if (rc == 0 && o.resume_dir && argc > 3)
        rc = usage("--resume DIR takes no other option (the run's own options are reused)");
    if (rc == 0 && o.resume_dir)
        rc = load_resume(&o);
    char *err = NULL;
    hx_suite suite = {0};
    if (rc == 0 && finish_config(&o, argc, argv, &err) != 0)
        rc = usage(err);
    else if (rc == 0 && hx_suite_load(&suite, o.cfg.vectors_dir, &err) != 0)
        rc = usage(err);
    else if (rc == 0 && (hx_filters_check(&o.cfg, &suite, &err) != 0 ||
                         hx_policy_check(&o.cfg, &suite, &err) != 0))
        rc = usage(err);
    else if (rc == 0 && o.list)
        list_cases(&o.cfg, &suite);
    else if (rc == 0)
        rc = hx_run(&o.cfg, &suite);
    if ((rc == 0 || rc == 1) && o.record_dir && !o.list && hx_record_after_run(&o.cfg, &suite, o.record_dir) != 0)
        rc = 2;
    free(err);
    hx_suite_cleanup(&suite);
    cleanup(&o);
    return rc;
}

/* explain [--vectors DIR] CASE_ID... */
static int cmd_explain(int argc, char **argv)
{
    char *vectors = NULL, *err = NULL;
    char **ids = calloc((size_t)argc + 1, sizeof *ids);
    size_t n = 0;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (strcmp(argv[i], "--vectors") == 0 && i + 1 < argc) {
            free(vectors);
            vectors = hx_strdup(argv[++i]);
        } else if (argv[i][0] != '-') {
            ids[n++] = argv[i];
        } else {
            rc = usage("explain wants [--vectors DIR] CASE_ID...");
        }
    }
    if (rc == 0 && n == 0)
        rc = usage("explain wants a CASE_ID (run --list prints them)");
    if (rc == 0 && !vectors)
        vectors = default_vectors();
    if (rc == 0 && hx_explain(vectors, ids, n, stdout, &err) != 0)
        rc = usage(err);
    free(err);
    free(vectors);
    free(ids);
    return rc;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
    /* One malloc arena: what loading the suite freed serves the workers' journal index and the
     * reports, instead of each thread growing its own (the run's peak memory). */
    mallopt(M_ARENA_MAX, 1);
#endif
    if (argc < 2)
        return usage("missing command");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage_top, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("stirmls-harness %s (%s)\n", HX_TOOL_VERSION, HX_PROTOCOL);
        return 0;
    }
    if (strcmp(argv[1], "bridge") == 0)
        return hx_bridge_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0)
        return hx_cmd_merge(argc - 1, argv + 1, default_vectors);
    if (strcmp(argv[1], "record") == 0)
        return hx_cmd_record(argc - 1, argv + 1, default_vectors);
    if (strcmp(argv[1], "diff") == 0)
        return hx_cmd_diff(argc - 1, argv + 1);
    if (strcmp(argv[1], "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    return usage("unknown command");
}
