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
 * Only hello and final records stay in memory; a result or matrix record is indexed by where its
 * line is in the file ([offset, length]) and read back with pread when the reports are written,
 * so the run's memory does not grow with the transcripts.
 */
#include "harness.h"
#include "runner_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HX_JOURNAL_MAX (1024u * 1024u * 1024u)

static void index_add(json_t *index, json_t *r, size_t off, size_t len);

/* --resume: index every complete line, drop a torn last one; *size is what is kept. */
static int journal_load(hx_journal *j, size_t *size, char **err)
{
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
            index_add(j->index, r, (size_t)(p - text), (size_t)(nl - p));
        json_decref(r);
        keep = (size_t)(nl + 1 - text);
    }
    free(text);
    if (truncate(j->path, (off_t)keep) != 0) {
        *err = hx_printf("%s: cannot drop the torn last line", j->path);
        return -1;
    }
    *size = keep;
    return 0;
}

int hx_journal_open(hx_journal *j, const char *dir, bool resume, char **err)
{
    pthread_mutex_init(&j->mu, NULL);
    j->index = json_object();
    j->path = hx_path_join(dir, "results.jsonl");
    j->size = 0;
    if (resume && journal_load(j, &j->size, err) != 0)
        return -1;
    j->fd = open(j->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | (resume ? 0 : O_TRUNC), 0666);
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
    if (w == (ssize_t)(n + 1)) { /* a full disk shows up as a missing result, reported at the end */
        index_add(j->index, rec, j->size, n);
        j->size += n + 1;
    } else if (w > 0) {
        j->size += (size_t)w;
    }
    pthread_mutex_unlock(&j->mu);
    free(text);
}

char *hx_journal_line(int fd, const json_t *ref, size_t *len)
{
    json_int_t off = json_integer_value(json_array_get(ref, 0));
    json_int_t n = json_integer_value(json_array_get(ref, 1));
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        abort();
    size_t got = 0;
    while (got < (size_t)n) {
        ssize_t r = pread(fd, buf + got, (size_t)n - got, (off_t)off + (off_t)got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

char *hx_record_key(const char *type, const char *impl, const char *case_id)
{
    return hx_printf("%s\x1f%s\x1f%s", type, impl ? impl : "", case_id ? case_id : "");
}

/* hello/final: the record itself; result/matrix: [offset, length] of its line. */
static void index_add(json_t *index, json_t *r, size_t off, size_t len)
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
    json_t *v = (matrix || strcmp(t, "result") == 0)
                    ? json_pack("[I,I]", (json_int_t)off, (json_int_t)len) : json_incref(r);
    if (strcmp(t, "final") == 0 || matrix || !json_object_get(index, key))
        json_object_set(index, key, v);
    json_decref(v);
    free(key);
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
    json_decref(j->index);
    j->index = NULL;
    free(j->path);
    pthread_mutex_destroy(&j->mu);
}
