/*
 * record.c: what implementations produced becomes a suite. From a finished run (its journal,
 * results.jsonl, and the suite it ran), every artefact a producer made in a generate case is
 * written as a verify case of the `recorded` family, in the ordinary vectors format
 * (stirmls-vectors/1, DIR/recorded.json): the original case's check with the artefact put in the
 * field the check names, its evaluation time, trust anchors and policy, expecting what the check
 * expects, so `run --vectors DIR` replays the artefacts against any implementation with no
 * producer present. Each case names its origin: producer, its hello, the original case, the suite
 * hash, the date (SOURCE_DATE_EPOCH when set, else today, UTC) and every verifier's verdict,
 * including a producer whose artefact no verifier judged as expected.
 * Case ids: recorded/<producer>.<family>.<name>.<first 8 hex digits of the artefact's SHA-256>
 * (the vectors' ids are FAMILY/NAME; the producer's name lowercased, other characters as '-'), so
 * one artefact is one case: recording into a DIR that holds a recorded family adds the new cases
 * to it (the same id is kept once, with the verdicts of verifiers it did not have), sorted by id, written with sorted keys: the same artefacts
 * give the same bytes.
 */
#include "harness.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *artefact_hash8(const char *a)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(a, strlen(a), h, &n, EVP_sha256(), NULL);
    return hx_printf("%02x%02x%02x%02x", h[0], h[1], h[2], h[3]);
}

/* a name as the id pattern allows it: [a-z0-9_.-], lowercase, anything else '-' (owned) */
static char *id_part(const char *s)
{
    char *out = hx_strdup(*s ? s : "-");
    for (char *p = out; *p; p++) {
        unsigned char c = (unsigned char)tolower((unsigned char)*p);
        *p = (char)((isalnum(c) && c < 128) || c == '_' || c == '.' || c == '-' ? c : '-');
    }
    if (!isalnum((unsigned char)out[0]))
        out[0] = 'x';
    return out;
}

static char *record_date(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return hx_strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The verifiers that judged the artefact as its check expects (PASS, PASS_OTHER_REASON), by name. */
static json_t *as_expected(const json_t *verdicts)
{
    json_t *out = json_array();
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)verdicts, name, v) {
        int x = hx_verdict_parse(json_string_value(json_object_get(v, "verdict")) ?: "");
        if (x == HX_PASS || x == HX_PASS_OTHER_REASON)
            json_array_append_new(out, json_string(name));
    }
    size_t n = json_array_size(out);
    const char **names = calloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = json_string_value(json_array_get(out, i));
    qsort(names, n, sizeof *names, cmp_str);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, json_string(names[i]));
    free(names);
    json_decref(out);
    return sorted;
}

/* The recorded case for one artefact; cells: {verifier -> matrix record} of that producer and case. */
static json_t *recorded_case(const json_t *gen, const char *producer, const json_t *hello, const char *artifact,
                             json_t *with, const json_t *cells, const char *suite_hash, const char *date)
{
    const json_t *check = json_object_get(gen, "check");
    const char *gid = json_string_value(json_object_get(gen, "id")), *slash = strchr(gid, '/');
    const char *field = json_string_value(json_object_get(check, "artifact_field"))
                            ?: json_string_value(json_object_get(gen, "kind"));
    char *fam = hx_strdup(gid), *p = id_part(producer), *h8 = artefact_hash8(artifact);
    fam[slash ? (size_t)(slash - gid) : 0] = '\0';
    char *id = hx_printf("recorded/%s.%s.%s.%s", p, fam, slash ? slash + 1 : gid, h8);
    json_t *input = json_deep_copy(json_object_get(check, "input"));
    if (!json_is_object(input)) {
        json_decref(input);
        input = json_object();
    }
    if (json_is_object(with)) /* the artefact's check.artifact_with fields (generate.c) */
        json_object_update(input, with);
    json_object_set_new(input, field, json_string(artifact));
    json_t *tags = json_array(), *t;
    size_t i;
    json_array_foreach(json_object_get(gen, "tags"), i, t)
        if (strcmp(json_string_value(t) ?: "", "generate") != 0)
            json_array_append(tags, t);
    json_t *verdicts = json_object();
    const char *vname;
    json_t *cell;
    json_object_foreach((json_t *)cells, vname, cell) {
        const char *verdict = json_string_value(json_object_get(cell, "verdict")) ?: "";
        json_t *obs = json_object_get(cell, "observed");
        json_object_set_new(verdicts, vname, json_pack("{s:s,s:O,s:s}", "verdict", verdict, "observed",
                                                       obs ? obs : json_null(), "reason",
                                                       json_string_value(json_object_get(cell, "reason")) ?: ""));
    }
    json_t *c = json_pack("{s:s,s:s,s:O,s:O,s:o,s:O,s:O,s:O,s:o}", "id", id, "op", "verify", "kind",
                          json_object_get(check, "kind"), "at", json_object_get(gen, "at"), "input", input,
                          "expect", json_object_get(check, "expect"), "spec", json_object_get(gen, "spec"),
                          "importance", json_object_get(gen, "importance"), "tags", tags);
    json_t *ta = json_object_get(gen, "trust_anchors"), *pol = json_object_get(check, "policy");
    json_object_set_new(c, "trust_anchors", ta ? json_incref(ta) : json_array());
    if (pol)
        json_object_set(c, "policy", pol);
    json_object_set_new(c, "why", json_sprintf("the %s %s produced for %s (%s)", field, producer, gid,
                                               json_string_value(json_object_get(gen, "why")) ?: ""));
    json_object_set_new(c, "origin", json_pack("{s:s,s:O,s:s,s:s,s:s,s:o,s:o}", "producer", producer, "hello",
                                               hello ? hello : json_null(), "case", gid, "suite", suite_hash,
                                               "date", date, "verdicts", verdicts, "as_expected", as_expected(verdicts)));
    free(fam), free(p), free(h8), free(id);
    return c;
}

/* The recorded cases DIR/recorded.json already holds (id -> case), empty when none. */
static json_t *existing(const char *dir, char **err)
{
    char *path = hx_path_join(dir, "recorded.json");
    size_t len = 0;
    char *text = hx_read_file(path, (size_t)1 << 30, &len);
    json_t *out = json_object();
    if (text) {
        json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *c;
        size_t i;
        if (!json_is_array(json_object_get(doc, "cases")) ||
            strcmp(json_string_value(json_object_get(doc, "family")) ?: "", "recorded") != 0)
            *err = hx_printf("%s: not a recorded family (%s)", path, HX_VECTORS_SCHEMA);
        json_array_foreach(json_object_get(doc, "cases"), i, c)
            json_object_set(out, json_string_value(json_object_get(c, "id")) ?: "", c);
        json_decref(doc);
    }
    free(text);
    free(path);
    return out;
}

int hx_record_family(const json_t *cases, const char *dir, char **err)
{
    size_t n = json_object_size(cases), k = 0;
    const char **ids = calloc(n + 1, sizeof *ids), *id;
    json_t *v, *arr = json_array();
    json_object_foreach((json_t *)cases, id, v)
        ids[k++] = id;
    qsort(ids, k, sizeof *ids, cmp_str);
    for (size_t i = 0; i < k; i++)
        json_array_append(arr, json_object_get(cases, ids[i]));
    free(ids);
    json_t *doc = json_pack("{s:s,s:s,s:{s:s,s:s},s:o}", "schema", HX_VECTORS_SCHEMA, "family", "recorded",
                            "generator", "tool", "stirmls-harness", "version", HX_TOOL_VERSION, "cases", arr);
    size_t len = 0;
    char *text = hx_jw_dumps(doc, HX_JW_INDENT1, &len), *path = hx_path_join(dir, "recorded.json");
    text[len] = '\n'; /* the writer leaves room for the NUL, which becomes the final newline */
    int rc = hx_mkdir_p(dir) == 0 ? hx_write_file_atomic(path, text, len + 1) : -1;
    if (rc != 0)
        *err = hx_printf("%s: cannot write", path);
    free(text), free(path);
    json_decref(doc);
    return rc;
}

/* Adds run_dir's artefacts (its journal, over suite) to cases. */
static int record_run(const char *run_dir, const hx_suite *suite, json_t *cases, const char *date, char **err)
{
    char *path = hx_path_join(run_dir, "results.jsonl");
    size_t len = 0;
    char *text = hx_read_file(path, (size_t)1 << 30, &len);
    if (!text) {
        *err = hx_printf("%s: cannot read the run's journal", path);
        free(path);
        return -1;
    }
    free(path);
    /* producer \x1f case -> {artifact, cells: {verifier -> record}}; hellos: name -> hello */
    json_t *made = json_object(), *hellos = json_object();
    for (char *p = text, *nl; (nl = memchr(p, '\n', len - (size_t)(p - text))); p = nl + 1) {
        json_t *rec = json_loadb(p, (size_t)(nl - p), 0, NULL);
        const char *t = json_string_value(json_object_get(rec, "type")) ?: "";
        const char *im = json_string_value(json_object_get(rec, "implementation"));
        if (strcmp(t, "hello") == 0 && im && !json_object_get(hellos, im))
            json_object_set(hellos, im, json_object_get(rec, "hello"));
        const char *art = json_string_value(json_object_get(rec, "artifact"));
        const char *cs = json_string_value(json_object_get(rec, "case"));
        const char *ver = json_string_value(json_object_get(rec, "verifier"));
        if (strcmp(t, "matrix") == 0 && im && art && cs && ver) {
            char *key = hx_printf("%s\x1f%s", im, cs);
            json_t *m = json_object_get(made, key);
            if (!m || strcmp(json_string_value(json_object_get(m, "artifact")), art) != 0) {
                m = json_pack("{s:s,s:s,s:s,s:{}}", "producer", im, "case", cs, "artifact", art, "cells");
                if (json_object_get(rec, "artifact_with"))
                    json_object_set(m, "artifact_with", json_object_get(rec, "artifact_with"));
                json_object_set_new(made, key, m);
            }
            json_object_set(json_object_get(m, "cells"), ver, rec);
            free(key);
        }
        json_decref(rec);
    }
    free(text);
    const char *key;
    json_t *m;
    json_object_foreach(made, key, m) {
        const hx_case *c = hx_suite_find(suite, json_string_value(json_object_get(m, "case")));
        if (!c)
            continue;
        json_t *gen = hx_suite_case_json(suite, c);
        const char *producer = json_string_value(json_object_get(m, "producer"));
        json_t *rc = recorded_case(gen, producer, json_object_get(hellos, producer),
                                   json_string_value(json_object_get(m, "artifact")),
                                   json_object_get(m, "artifact_with"), json_object_get(m, "cells"), suite->hash,
                                   date);
        const char *id = json_string_value(json_object_get(rc, "id"));
        json_t *had = json_object_get(cases, id);
        if (!had) {
            json_object_set(cases, id, rc);
        } else { /* one artefact, one case: the first recording, with the verdicts of verifiers it lacked */
            json_t *o = json_object_get(had, "origin"), *vs = json_object_get(o, "verdicts");
            const char *vn;
            json_t *vv;
            json_object_foreach(json_object_get(json_object_get(rc, "origin"), "verdicts"), vn, vv)
                if (json_is_object(vs) && !json_object_get(vs, vn))
                    json_object_set(vs, vn, vv);
            json_object_set_new(o, "as_expected", as_expected(vs));
        }
        json_decref(rc);
        json_decref(gen);
    }
    json_decref(made);
    json_decref(hellos);
    return 0;
}

int hx_record(const char *const *run_dirs, size_t nruns, const hx_suite *suite, const char *dir, size_t *added,
              char **err)
{
    json_t *cases = existing(dir, err);
    size_t before = json_object_size(cases);
    char *date = record_date();
    int rc = *err ? -1 : 0;
    for (size_t i = 0; i < nruns && rc == 0; i++)
        rc = record_run(run_dirs[i], suite, cases, date, err);
    if (rc == 0)
        rc = hx_record_family(cases, dir, err);
    if (added)
        *added = json_object_size(cases) - before;
    free(date);
    json_decref(cases);
    return rc;
}

/* record [--vectors DIR] --out DIR RUN_DIR...: the artefacts of finished runs, added to DIR's
 * recorded family (created when missing). */
int hx_cmd_record(int argc, char **argv, char *(*default_vectors)(void))
{
    char *vectors = NULL, *out = NULL, *err = NULL;
    const char **runs = calloc((size_t)argc + 1, sizeof *runs);
    size_t n = 0;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if ((strcmp(argv[i], "--vectors") == 0 || strcmp(argv[i], "--out") == 0) && i + 1 < argc) {
            char **slot = argv[i][2] == 'v' ? &vectors : &out;
            free(*slot);
            *slot = hx_strdup(argv[++i]);
        } else if (strcmp(argv[i], "--help") == 0) {
            fputs("usage: stirmls-harness record --out DIR [--vectors DIR] RUN_DIR...\n"
                  "  the artefacts the runs' producers made in generate cases, added to DIR/recorded.json\n"
                  "  (the recorded family: replay with run --vectors DIR); --vectors: the suite the runs ran\n",
                  stdout);
            free(vectors), free(out), free(runs);
            return 0;
        } else if (argv[i][0] != '-') {
            runs[n++] = argv[i];
        } else {
            rc = 2;
        }
    }
    if (rc != 0 || !out || n == 0) {
        fputs("stirmls-harness: record wants --out DIR [--vectors DIR] RUN_DIR... (try --help)\n", stderr);
        free(vectors), free(out), free(runs);
        return 2;
    }
    if (!vectors)
        vectors = default_vectors();
    hx_suite suite = {0};
    size_t added = 0;
    if (hx_suite_load(&suite, vectors, &err) != 0 || hx_record(runs, n, &suite, out, &added, &err) != 0) {
        char *safe = hx_ctl_escape(err ? err : "record failed");
        fprintf(stderr, "stirmls-harness: record: %s\n", safe);
        free(safe);
        rc = 2;
    } else {
        char *safe = hx_ctl_escape(out);
        printf("recorded: %zu new cases in %s/recorded.json\n", added, safe);
        free(safe);
    }
    free(err);
    hx_suite_cleanup(&suite);
    free(vectors), free(out), free(runs);
    return rc;
}

int hx_record_after_run(const hx_run_config *cfg, const hx_suite *suite, const char *dir)
{
    const char *runs[1] = {cfg->out_dir};
    char *err = NULL;
    size_t added = 0;
    int rc = hx_record(runs, 1, suite, dir, &added, &err);
    char *safe = hx_ctl_escape(rc == 0 ? dir : err ? err : "record failed");
    if (rc == 0)
        printf("recorded: %zu new cases in %s/recorded.json\n", added, safe);
    else
        fprintf(stderr, "stirmls-harness: --record: %s\n", safe);
    free(safe);
    free(err);
    return rc;
}
