/*
 * results.c: results.jsonl, the run's journal. One JSON record per line, appended with a single
 * write(2) as each case finishes, so a killed run keeps every finished case (the page cache
 * survives the process; fsync is left out on purpose: it would cost more than the run itself
 * on large suites and protects only against power loss). --resume reads it back, drops a torn
 * last line, and continues.
 *   {"type":"result", ...the report's result record...}
 *   {"type":"hello","implementation":NAME,"hello":{...}}        first successful hello
 *   {"type":"final","implementation":NAME,"ok":BOOL,"why":TEXT} the closing hello
 *   {"type":"matrix","implementation":PRODUCER,"producer","verifier","case",...} a generate cell
 * Index: first result/hello per key, last final/matrix (a rerun after --resume supersedes).
 */
#include "harness.h"
#include "runner_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HX_JOURNAL_MAX (1024u * 1024u * 1024u)

static void index_add(json_t *index, json_t *r);

int hx_journal_open(hx_journal *j, const char *dir, bool resume, char **err)
{
    pthread_mutex_init(&j->mu, NULL);
    j->records = json_array();
    j->path = hx_path_join(dir, "results.jsonl");
    if (resume) {
        size_t len = 0;
        char *text = hx_read_file(j->path, HX_JOURNAL_MAX, &len);
        if (!text) {
            *err = hx_printf("%s: cannot read (nothing to resume)", j->path);
            return -1;
        }
        size_t keep = 0;
        for (char *p = text, *nl; (nl = memchr(p, '\n', len - (size_t)(p - text))); p = nl + 1) {
            json_t *r = json_loadb(p, (size_t)(nl - p), 0, NULL);
            if (r)
                json_array_append_new(j->records, r);
            keep = (size_t)(nl + 1 - text);
        }
        free(text);
        if (truncate(j->path, (off_t)keep) != 0) {
            *err = hx_printf("%s: cannot drop the torn last line", j->path);
            return -1;
        }
    }
    j->index = hx_records_index(j->records);
    j->fd = open(j->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (resume ? 0 : O_TRUNC), 0666);
    if (j->fd < 0) {
        *err = hx_printf("%s: cannot open for writing", j->path);
        return -1;
    }
    return 0;
}

void hx_journal_append(hx_journal *j, json_t *rec)
{
    size_t n = 0;
    char *text = hx_jw_dumps(rec, 0, &n);
    text[n] = '\n'; /* the buffer holds a NUL after the text, which becomes the newline */
    pthread_mutex_lock(&j->mu);
    ssize_t w = write(j->fd, text, n + 1);
    (void)w; /* a full disk shows up as a missing result, reported at the end */
    json_array_append(j->records, rec);
    index_add(j->index, rec);
    pthread_mutex_unlock(&j->mu);
    free(text);
}

char *hx_record_key(const char *type, const char *impl, const char *case_id)
{
    return hx_printf("%s\x1f%s\x1f%s", type, impl ? impl : "", case_id ? case_id : "");
}

static void index_add(json_t *index, json_t *r)
{
    const char *t = json_string_value(json_object_get(r, "type"));
    const char *im = json_string_value(json_object_get(r, "implementation"));
    if (!t || !im)
        return;
    bool matrix = strcmp(t, "matrix") == 0;
    char *cv = matrix ? hx_printf("%s\x1f%s", json_string_value(json_object_get(r, "case")) ?: "",
                                  json_string_value(json_object_get(r, "verifier")) ?: "")
                      : NULL;
    char *key = hx_record_key(t, im, matrix ? cv : json_string_value(json_object_get(r, "case")));
    free(cv);
    if (strcmp(t, "final") == 0 || matrix || !json_object_get(index, key))
        json_object_set(index, key, r);
    free(key);
}

json_t *hx_records_index(const json_t *records)
{
    json_t *index = json_object(), *r;
    size_t i;
    json_array_foreach(records, i, r)
        index_add(index, r);
    return index;
}

static bool journal_has(hx_journal *j, const char *type, const char *impl, const char *case_id)
{
    char *key = hx_record_key(type, impl, case_id);
    pthread_mutex_lock(&j->mu);
    bool found = json_object_get(j->index, key) != NULL;
    pthread_mutex_unlock(&j->mu);
    free(key);
    return found;
}

bool hx_journal_done(hx_journal *j, const char *case_id, const char *impl)
{
    return journal_has(j, "result", impl, case_id);
}

bool hx_journal_has_hello(hx_journal *j, const char *impl)
{
    return journal_has(j, "hello", impl, NULL);
}

void hx_journal_close(hx_journal *j)
{
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    json_decref(j->records);
    json_decref(j->index);
    j->records = j->index = NULL;
    free(j->path);
    pthread_mutex_destroy(&j->mu);
}
