/* runner_int.h: shared between runner.c, results.c and worker.c (not part of the harness API). */
#ifndef STIRMLS_HARNESS_RUNNER_INT_H
#define STIRMLS_HARNESS_RUNNER_INT_H

#include "harness.h"

#include <pthread.h>

typedef struct {
    pthread_mutex_t mu;
    int fd;
    char *path;
    size_t size;     /* bytes of the journal */
    json_t *index;   /* hx_record_key -> hello/final record or [offset, length] of the line, owned */
} hx_journal;
int hx_journal_open(hx_journal *j, const char *dir, bool resume, char **err);
void hx_journal_append(hx_journal *j, json_t *rec); /* rec stays the caller's */
bool hx_journal_done(hx_journal *j, const char *case_id, const char *impl);
bool hx_journal_has_hello(hx_journal *j, const char *impl);
void hx_journal_close(hx_journal *j);

typedef struct {
    const hx_case *c;
    size_t impl;
} hx_item;

typedef struct {
    hx_run_config *cfg;
    hx_suite *suite;
    hx_journal journal;
    hx_item *items;
    size_t nitems, next;
    pthread_mutex_t mu; /* next, counts, finals */
    size_t *counts;     /* per implementation k: counts[k * HX_VERDICT_COUNT + verdict] */
    size_t done;
    char **stderr_paths; /* per implementation */
    char **names;        /* per implementation: its name, control-escaped (the progress line) */
    hx_x5u_server x5u;   /* --x5u-serve */
} hx_runner;

/* What one work item produced. */
typedef struct {
    hx_verdict verdict;
    json_t *result;     /* the implementation's result (or error) object, owned, or NULL */
    char *note;         /* harness-side explanation, owned */
    json_t *transcript; /* owned */
} hx_item_out;

void *hx_worker_main(void *arg);
/* Starts the instance if needed and journals its first hello. */
hx_call_status hx_worker_ensure(hx_runner *r, hx_impl *im, json_t *transcript, char **why);
/* NULL when the implementation offers the case's op, kind and tags, else why not (owned). */
char *hx_unsupported(const hx_case *c, const json_t *hello);
/* A verify result must say accept or reject; the other members have fixed types. */
bool hx_verify_result_ok(const json_t *res, char **why);
/* One verify exchange scored against c; cell: no xfail (a matrix cell). */
void hx_run_verify(hx_runner *r, hx_impl *im, const hx_case *c, const char *params, size_t plen,
                   bool cell, hx_item_out *o);
/* The input object a verify request carries for case_id (owned): with --x5u-serve, an x5u_map
 * gets its x5u_fetch beside it (and with --x5u-fetch-only the x5u_map is withheld). */
json_t *hx_request_input(hx_runner *r, const char *case_id, json_t *input);
/* generate.c: one producer's generate case, verified by every implementation of the run. */
void hx_run_generate(hx_runner *r, hx_impl *ims, const hx_item *it, hx_item_out *o);
void hx_progress(hx_runner *r, bool final);

#endif
