/*
 * runner.c: a run from start to reports. Selects the cases, opens (or resumes) the journal,
 * queues every (case, implementation) pair not yet done, runs --jobs workers, then renders
 * every report from the journal, so a resumed run and an uninterrupted one render the same way.
 */
#include "harness.h"
#include "runner_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool hx_case_selected(const hx_run_config *cfg, const char *id)
{
    bool any_include = false, included = false;
    for (size_t i = 0; i < cfg->nfilters; i++) {
        const char *f = cfg->filters[i];
        if (f[0] == '-') {
            if (hx_glob_match(f + 1, id))
                return false;
        } else {
            any_include = true;
            included = included || hx_glob_match(f, id);
        }
    }
    return !any_include || included;
}

int hx_filters_check(const hx_run_config *cfg, const hx_suite *suite, char **err)
{
    for (size_t i = 0; i < cfg->nfilters; i++) {
        const char *f = cfg->filters[i];
        bool hit = false;
        for (size_t k = 0; k < suite->ncases && !hit; k++)
            hit = hx_glob_match(f[0] == '-' ? f + 1 : f, suite->cases[k].id);
        if (!hit && f[0] != '-') {
            *err = hx_printf("--filter %s selects no case (case ids are FAMILY/NAME: try %s/*; "
                             "--list shows them)", f, f);
            return -1;
        }
    }
    for (size_t k = 0; k < suite->ncases; k++)
        if (hx_case_selected(cfg, suite->cases[k].id))
            return 0;
    *err = hx_printf(suite->ncases ? "the filters select no case of %s" : "%s holds no case",
                     cfg->vectors_dir);
    return -1;
}

int hx_policy_check(const hx_run_config *cfg, const hx_suite *suite, char **err)
{
    for (size_t i = 0; i < cfg->nimpls; i++) {
        const char *flag;
        json_t *v;
        json_object_foreach(cfg->exps[i].policy, flag, v)
            if (!hx_suite_has_flag(suite, flag)) {
                char *flags = hx_suite_flags(suite);
                *err = hx_printf("%s: policy: unknown flag '%s' (the suite's either flags: %s)",
                                 cfg->exps[i].path ? cfg->exps[i].path : cfg->impls[i].name, flag,
                                 flags[0] ? flags : "none");
                free(flags);
                return -1;
            }
    }
    return 0;
}

void hx_progress(hx_runner *r, bool final)
{
    if (!r->cfg->progress)
        return;
    pthread_mutex_lock(&r->mu);
    size_t width = 30, done = r->done, total = r->nitems ? r->nitems : 1;
    char bar[64];
    size_t fill = done * width / total;
    for (size_t i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    char line[2048];
    int n = snprintf(line, sizeof line, "\r[%s] %zu/%zu", bar, done, r->nitems);
    for (size_t k = 0; k < r->cfg->nimpls; k++) { /* each implementation's own counts */
        if (r->cfg->nimpls > 1 && n > 0 && (size_t)n < sizeof line)
            n += snprintf(line + n, sizeof line - (size_t)n, "%s %s:", k ? " |" : "", r->names[k]);
        for (int v = 0; v < HX_VERDICT_COUNT && n > 0 && (size_t)n < sizeof line; v++)
            if (r->counts[k * HX_VERDICT_COUNT + (size_t)v])
                n += snprintf(line + n, sizeof line - (size_t)n, " %s %zu", hx_verdict_name((hx_verdict)v),
                              r->counts[k * HX_VERDICT_COUNT + (size_t)v]);
    }
    if (n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, "%s", final ? "\n" : "\033[K");
    fputs(line, stderr); /* numbers, our verdict names and the --impl names (control-escaped) */
    fflush(stderr);
    pthread_mutex_unlock(&r->mu);
}

static int prepare_dirs(hx_runner *r, char **err)
{
    hx_run_config *cfg = r->cfg;
    char *errdir = hx_path_join(cfg->out_dir, "stderr");
    if (hx_mkdir_p(cfg->out_dir) != 0 || hx_mkdir_p(errdir) != 0) {
        *err = hx_printf("%s: cannot create the output directory", cfg->out_dir);
        free(errdir);
        return -1;
    }
    r->stderr_paths = calloc(cfg->nimpls, sizeof *r->stderr_paths);
    r->names = calloc(cfg->nimpls, sizeof *r->names);
    r->counts = calloc(cfg->nimpls * HX_VERDICT_COUNT, sizeof *r->counts);
    for (size_t i = 0; i < cfg->nimpls; i++)
        r->names[i] = hx_ctl_escape(cfg->impls[i].name);
    for (size_t i = 0; i < cfg->nimpls; i++) {
        char *name = hx_printf("%s.log", cfg->impls[i].name);
        r->stderr_paths[i] = hx_path_join(errdir, name);
        free(name);
        if (!cfg->resume) /* a new run starts with empty logs */
            truncate(r->stderr_paths[i], 0);
    }
    free(errdir);
    if (!cfg->resume) {
        char *path = hx_path_join(cfg->out_dir, "run.json");
        char *text = json_dumps(cfg->argv_record, JSON_INDENT(2) | JSON_SORT_KEYS);
        int rc = hx_write_file_atomic(path, text, strlen(text));
        free(text);
        free(path);
        if (rc != 0) {
            *err = hx_printf("%s: cannot write run.json", cfg->out_dir);
            return -1;
        }
    }
    return 0;
}

static void queue_items(hx_runner *r)
{
    r->items = calloc(r->suite->ncases * r->cfg->nimpls + 1, sizeof *r->items);
    for (size_t i = 0; i < r->suite->ncases; i++) {
        const hx_case *c = &r->suite->cases[i];
        if (!hx_case_selected(r->cfg, c->id))
            continue;
        for (size_t k = 0; k < r->cfg->nimpls; k++)
            if (!hx_journal_done(&r->journal, c->id, r->cfg->impls[k].name))
                r->items[r->nitems++] = (hx_item){.c = c, .impl = k};
    }
}

/* --x5u-serve: every x5u_map of the selected cases on the loopback repository. */
static int start_x5u(hx_runner *r, char **err)
{
    if (!r->cfg->x5u_serve)
        return 0;
    for (size_t i = 0; i < r->suite->ncases; i++) {
        const hx_case *c = &r->suite->cases[i];
        if (!hx_case_selected(r->cfg, c->id))
            continue;
        json_t *cj = hx_suite_case_json(r->suite, c);
        json_t *m = json_object_get(json_object_get(cj, "input"), "x5u_map");
        json_t *cm = json_object_get(json_object_get(json_object_get(cj, "check"), "input"), "x5u_map");
        if (json_is_object(m))
            hx_x5u_server_add(&r->x5u, c->id, m);
        if (json_is_object(cm))
            hx_x5u_server_add(&r->x5u, c->id, cm);
        json_decref(cj);
    }
    if (hx_x5u_server_start(&r->x5u, err) != 0)
        return -1;
    r->cfg->x5u_port = r->x5u.port;
    return 0;
}

static int run_workers(hx_runner *r)
{
    int jobs = r->cfg->jobs < 1 ? 1 : r->cfg->jobs;
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    int started = 0;
    for (int i = 0; i < jobs; i++)
        if (pthread_create(&th[i], NULL, hx_worker_main, r) == 0)
            started++;
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return started > 0 ? 0 : -1;
}

static int write_reports(hx_runner *r, const hx_report *report)
{
    const char *dir = r->cfg->out_dir;
    if (hx_report_json_write(report, dir) || hx_report_junit_write(report, dir) ||
        hx_report_md_write(report, dir, r->cfg->strict_reasons) || hx_report_html_write(report, dir))
        return -1;
    return 0;
}

int hx_run(hx_run_config *cfg, hx_suite *suite)
{
    hx_runner r = {.cfg = cfg, .suite = suite};
    hx_x5u_server_init(&r.x5u);
    pthread_mutex_init(&r.mu, NULL);
    signal(SIGPIPE, SIG_IGN);
    char *err = NULL;
    int status = 2;
    pid_t cap = -1;
    if (prepare_dirs(&r, &err) != 0 || hx_journal_open(&r.journal, cfg->out_dir, cfg->resume, &err) != 0)
        goto out;
    if (start_x5u(&r, &err) != 0)
        goto out;
    if (cfg->capture && (cap = hx_capture_start(cfg, &err)) < 0)
        goto out;
    queue_items(&r);
    if (run_workers(&r) != 0) {
        err = hx_strdup("cannot start worker threads");
        goto out;
    }
    hx_progress(&r, true);
    hx_report report;
    hx_report_build(&report, cfg, suite, r.journal.index, r.journal.fd);
    if (write_reports(&r, &report) != 0) {
        err = hx_printf("%s: cannot write the reports", cfg->out_dir);
        hx_report_cleanup(&report);
        goto out;
    }
    char *html = hx_path_join(cfg->out_dir, "index.html");
    char *safe = hx_ctl_escape(html);
    hx_report_print(&report, stdout);
    printf("report: %s\n", safe);
    free(safe);
    free(html);
    status = json_is_true(json_object_get(report.doc, "ok")) ? 0 : 1;
    hx_report_cleanup(&report);
out:
    if (cap > 0)
        hx_capture_stop(cap);
    hx_x5u_server_cleanup(&r.x5u);
    if (err) {
        char *msg = hx_ctl_escape(err);
        fprintf(stderr, "stirmls-harness: %s\n", msg);
        free(msg);
        free(err);
    }
    if (r.journal.path)
        hx_journal_close(&r.journal);
    for (size_t i = 0; r.stderr_paths && i < cfg->nimpls; i++)
        free(r.stderr_paths[i]), free(r.names[i]);
    free(r.stderr_paths);
    free(r.names);
    free(r.counts);
    free(r.items);
    pthread_mutex_destroy(&r.mu);
    return status;
}
