/* runner_int.h: shared between runner.c, results.c and worker.c (not part of the harness API). */
#ifndef STIRMLS_HARNESS_RUNNER_INT_H
#define STIRMLS_HARNESS_RUNNER_INT_H

#include "harness.h"

#include <pthread.h>

typedef struct {
    pthread_mutex_t mu;
    int fd;
    char *path;
    json_t *records; /* every record of the journal, owned */
    json_t *index;   /* hx_records_index of records, owned */
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
    size_t counts[HX_VERDICT_COUNT], done;
    char **stderr_paths; /* per implementation */
} hx_runner;

void *hx_worker_main(void *arg);
void hx_progress(hx_runner *r, bool final);

#endif
