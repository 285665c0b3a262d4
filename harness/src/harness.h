/*
 * harness.h: the conformance harness (stirmls-interop/1 client, runner, reports).
 *
 * The harness never includes reference-implementation internals: every implementation, the
 * reference included, is driven through the protocol documented in docs/protocol.md.
 * Modules: util.c (escaping, clocks, files), proto.c (NDJSON framing), impl_proc.c / impl_tcp.c /
 * impl_exec.c /
 * impl.c (transports and calls), vectors.c, expectations.c, runner.c, worker.c, generate.c,
 * score.c, results.c, jsonw.c (writer), jsonr.c (reader),
 * report_json.c, report_junit.c, report_md.c, report_html.c, report_text.c, capture.c, x5u_server.c,
 * diff.c, merge.c and record.c (runs over time),
 * main.c.
 */
#ifndef STIRMLS_HARNESS_H
#define STIRMLS_HARNESS_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define HX_PROTOCOL "stirmls-interop/1"
#define HX_TOOL_VERSION "0.1.0"
#define HX_REPORT_SCHEMA "stirmls-report/1"
#define HX_VECTORS_SCHEMA "stirmls-vectors/1"
#define HX_LINE_MAX (1024u * 1024u) /* one protocol line, newline excluded */
#define HX_TRANSCRIPT_LINE_MAX 16384/* bytes of each line kept in the report */

/* ---- verdicts ------------------------------------------------------------------------------ */
#define HX_VERDICTS(X) \
    X(PASS) X(PASS_OTHER_REASON) X(FAIL) X(XFAIL) X(XPASS) X(UNSUPPORTED) X(SKIP) X(TIMEOUT) \
    X(CRASH) X(PROTOCOL_ERROR)
typedef enum {
#define X(n) HX_##n,
    HX_VERDICTS(X)
#undef X
    HX_VERDICT_COUNT
} hx_verdict;
const char *hx_verdict_name(hx_verdict v);
int hx_verdict_parse(const char *s); /* -1 when unknown */
bool hx_verdict_expected(hx_verdict v, bool strict_reasons);

/* ---- util.c -------------------------------------------------------------------------------- */
int64_t hx_now_ms(void); /* CLOCK_MONOTONIC; durations and deadlines only, never verification */
char *hx_strdup(const char *s);
char *hx_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Valid UTF-8 copy: invalid bytes and NUL become "\xNN"; at most max input bytes (then "..."). owned */
char *hx_utf8_clean(const char *s, size_t len, size_t max);
/* Length of the valid UTF-8 sequence at p (n > 0 bytes available; no overlong form, no surrogate,
 * nothing above U+10FFFF; a NUL byte is invalid), 0 if invalid. */
size_t hx_utf8_seq(const unsigned char *p, size_t n);
/* For terminals and Markdown: control bytes (ESC included) and DEL become "\xNN". owned */
char *hx_ctl_escape(const char *s);
/* For HTML/XML text and attributes: & < > " ' escaped, control bytes as "\xNN" text. owned */
char *hx_xml_escape(const char *s);
int hx_mkdir_p(const char *path);
/* The last `lines` non-empty lines of a file (at most its last 4 KiB), valid UTF-8, joined by
 * newlines; NULL when the file is missing or empty. owned */
char *hx_file_tail(const char *path, int lines);
char *hx_read_file(const char *path, size_t max, size_t *len); /* owned, NUL-terminated */
int hx_write_file_atomic(const char *path, const char *data, size_t len);
char *hx_path_join(const char *a, const char *b); /* owned */
char *hx_self_dir(void);                          /* directory of this executable, owned */
bool hx_glob_match(const char *pattern, const char *s);

/* ---- jsonw.c: json_dumps-identical writer (sorted keys) into a buffer that may drain to a file - */
#define HX_JW_INDENT1 1 /* JSON_INDENT(1), else JSON_COMPACT */
#define HX_JW_ASCII 2   /* JSON_ENSURE_ASCII */
#define HX_JW_HTML 4    /* also '<' '>' '&' as \u003c \u003e \u0026 (safe inside <script>) */
#define HX_REPORT_CERTS 8 /* hx_report_stream: each case also carries "certificates" (certview.c) */
typedef struct {
    char *p;     /* NUL-terminated, owned */
    size_t len, cap;
    FILE *f;     /* when set, hx_jbuf_drain writes the buffer out */
    bool err;    /* a write to f failed */
} hx_jbuf;
void hx_jbuf_reserve(hx_jbuf *b, size_t more);
void hx_jbuf_put(hx_jbuf *b, const char *s, size_t n);
void hx_jbuf_puts(hx_jbuf *b, const char *s);
int hx_jbuf_drain(hx_jbuf *b, bool all); /* all: everything, else only past 64 KiB; -1 on error */
void hx_jbuf_free(hx_jbuf *b);
void hx_jw_string(hx_jbuf *b, const char *s, size_t n, int flags);
void hx_jw_indent(hx_jbuf *b, int flags, size_t depth); /* newline and depth spaces (indented) */
void hx_jw_value(hx_jbuf *b, const json_t *v, int flags, size_t depth);
char *hx_jw_dumps(const json_t *v, int flags, size_t *len); /* owned */
/* JSON text this writer produced compactly (sorted keys), re-formatted for flags at depth
 * without building values; -1 (nothing written) when t is not such a text. */
int hx_jw_text(hx_jbuf *b, const char *t, size_t n, int flags, size_t depth);
typedef struct {
    const char *key, *val; /* key without its quotes (still escaped); the value's text */
    size_t klen, vlen;
} hx_member;
/* The members of the object text t in their order; -1 when t is not an object of at most max. */
int hx_json_members(const char *t, size_t n, hx_member *m, size_t max, size_t *count);
bool hx_member_is(const hx_member *m, const char *key);
/* jsonr.c: the value at t (json_loadb's result with JSON_REJECT_DUPLICATES) and the index after
 * it, or NULL when it is anything but plain JSON (then ask json_loadb). owned */
json_t *hx_json_read(const char *t, size_t n, size_t *end);
/* Index after the value at t[i] (whitespace first skipped), 0 if its shape is malformed. */
size_t hx_json_skip(const char *t, size_t n, size_t i);
size_t hx_json_ws(const char *t, size_t n, size_t i); /* index after whitespace at i */

/* ---- proto.c: NDJSON framing over a file descriptor ------------------------------------------ */
typedef enum { HX_IO_OK, HX_IO_TIMEOUT, HX_IO_EOF, HX_IO_TOOLONG, HX_IO_ERROR } hx_io;
typedef struct {
    char *buf; /* at most HX_LINE_MAX + 1 bytes are ever held */
    size_t len;
} hx_linebuf;
void hx_linebuf_reset(hx_linebuf *lb);
/* Reads one line (newline stripped) before the deadline; *line is owned. */
hx_io hx_read_line(int fd, hx_linebuf *lb, int64_t deadline_ms, char **line, size_t *line_len);
hx_io hx_write_all(int fd, const char *data, size_t len, int64_t deadline_ms);

/* Outcome of one request/response exchange. */
typedef enum {
    HX_CALL_RESULT,    /* {"id","result":{}} */
    HX_CALL_ERROR,     /* {"id","error":{"code","message"}} */
    HX_CALL_TIMEOUT,
    HX_CALL_CRASH,     /* EOF, broken pipe, process gone */
    HX_CALL_PROTOCOL   /* not JSON, wrong id, too long, wrong shape */
} hx_call_status;
/* Checks a response line against the request id; sets *payload (borrowed from *doc) */
hx_call_status hx_proto_parse_response(const char *line, size_t len, json_int_t id, json_t **doc,
                                       json_t **payload, char **why);

/* ---- impl.c: one running instance of an implementation --------------------------------------- */
typedef struct hx_impl_spec {
    char *name;
    char **argv;      /* NULL-terminated, for stdio implementations; owned */
    char **exec_argv; /* NULL-terminated template, for exec: implementations (impl_exec.c); owned */
    char *tcp_host;   /* for tcp:// implementations */
    char *tcp_port;
    char *token;      /* tcp://H:P?token=FILE: sent in the hello's params (netsvc.h); owned */
} hx_impl_spec;
int hx_impl_spec_parse(const char *arg, hx_impl_spec *out, char **err); /* NAME=COMMAND|tcp://H:P|exec:T */
void hx_impl_spec_cleanup(hx_impl_spec *s);

typedef struct hx_impl {
    const hx_impl_spec *spec;
    const char *stderr_path; /* stdio: where the implementation's stderr is appended */
    pid_t pid;               /* stdio: > 0 while running */
    int fd_in, fd_out;       /* write requests to fd_in, read responses from fd_out (same for tcp) */
    hx_linebuf lb;
    json_int_t next_id;
    json_t *hello;           /* result of the last successful hello, owned */
    int failed_starts;       /* consecutive starts whose hello failed */
    char *exit_note;         /* how the last instance ended, owned */
} hx_impl;
void hx_impl_init(hx_impl *im, const hx_impl_spec *spec, const char *stderr_path);
void hx_impl_cleanup(hx_impl *im);
/* transports */
int hx_impl_proc_start(hx_impl *im, char **err);
void hx_impl_proc_stop(hx_impl *im, bool kill_now);
int hx_impl_tcp_start(hx_impl *im, char **err);
void hx_impl_tcp_stop(hx_impl *im);
/* impl_exec.c: one process per case; the template's placeholders must be known (else *err). */
int hx_exec_template_check(char **argv, char **err);
json_t *hx_exec_hello(const hx_impl_spec *s); /* the hello an exec implementation stands for */
hx_call_status hx_exec_verify(hx_impl *im, const char *params, size_t plen, int64_t timeout_ms,
                              json_t *transcript, json_t **payload, char **why);
/* One exchange. transcript (may be NULL) gets {"dir":">"|"<","line":...} records appended.
 * *payload is owned by the caller (result or error object). */
hx_call_status hx_impl_call(hx_impl *im, const char *op, json_t *params, int64_t timeout_ms,
                            json_t *transcript, json_t **payload, char **why);
/* The same with params already written (hx_jw_dumps with HX_JW_ASCII). */
hx_call_status hx_impl_call_text(hx_impl *im, const char *op, const char *params, size_t plen,
                                 int64_t timeout_ms, json_t *transcript, json_t **payload, char **why);
/* Starts (or restarts) and says hello. */
hx_call_status hx_impl_ensure(hx_impl *im, int64_t timeout_ms, json_t *transcript, char **why);
void hx_impl_stop(hx_impl *im, bool kill_now);
/* Was the process/connection lost (must restart before the next call)? */
bool hx_impl_running(const hx_impl *im);

/* ---- vectors.c ------------------------------------------------------------------------------- */
typedef struct {
    size_t off, len;
} hx_span;
typedef struct {
    const char *id, *op, *kind, *file;  /* owned by the suite */
    json_t *json;                        /* the case object: NULL in the suite (hx_suite_case_json) */
    char *tags;                          /* the string tags, each NUL-terminated, in order; owned */
    size_t ntags;
    const char *expect_verdict;          /* accept | reject | either */
    const char *expect_reason;           /* may be NULL */
    const char *expect_flag;             /* for either */
    const char *expect_outcome;          /* the outcome members of expect (compact JSON), or NULL */
    hx_span text;   /* in the suite's spool: the case (compact JSON) */
    hx_span params; /* the verify params as requests carry them (ASCII), len 0 for generate */
    hx_span view;   /* the report's view of the case (compact JSON) */
} hx_case;
/* The cases are parsed one at a time and kept as text in a spool file (not in memory), with
 * the few fields the runner needs, so the suite's memory does not grow with its size. */
typedef struct {
    hx_case *cases;
    size_t ncases;
    char *hash;       /* SHA-256 hex over the vector files, owned */
    char *dir;
    FILE *spool;      /* temporary file, owned */
    size_t spool_len;
} hx_suite;
int hx_suite_load(hx_suite *s, const char *dir, char **err);
void hx_suite_cleanup(hx_suite *s);
const hx_case *hx_suite_find(const hx_suite *s, const char *id);
/* Does any case of the suite carry this tag / name this "either" flag (generate: check's)? */
bool hx_suite_has_tag(const hx_suite *s, const char *tag);
bool hx_suite_has_flag(const hx_suite *s, const char *flag);
/* The suite's distinct tags or either flags, sorted, ", "-separated (owned). */
char *hx_suite_tags(const hx_suite *s);
char *hx_suite_flags(const hx_suite *s);
char *hx_suite_text(const hx_suite *s, hx_span sp, size_t *len); /* owned */
json_t *hx_suite_case_json(const hx_suite *s, const hx_case *c); /* the case object, owned */

/* ---- expectations.c --------------------------------------------------------------------------- */
typedef struct {
    char *pattern, *reason, *expect_reason; /* owned */
    int matched;
} hx_exp_entry;
typedef struct {
    char *impl, *path;
    hx_exp_entry *skip, *xfail;
    size_t nskip, nxfail;
    json_t *policy; /* object flag -> "accept"|"reject", owned */
} hx_expectations;
int hx_expectations_load(hx_expectations *e, const char *impl, const char *path, char **err);
void hx_expectations_cleanup(hx_expectations *e);
hx_exp_entry *hx_expectations_skip(hx_expectations *e, const char *case_id);
hx_exp_entry *hx_expectations_xfail(hx_expectations *e, const char *case_id);

/* ---- score.c: observed outcome -> verdict ------------------------------------------------------ */
typedef struct {
    hx_call_status status;
    const char *observed;  /* accept | reject | NULL */
    const char *reason;    /* observed reason */
    const char *err_code;  /* error.code when status == HX_CALL_ERROR */
    const json_t *result;  /* the verify result (borrowed), for the outcome members; may be NULL */
    bool strict_outcome;   /* an outcome member the case states and the result omits is a FAIL */
} hx_outcome;
/* Resolves the expected verdict/reason of a case for an implementation (policy for either). */
json_t *hx_expected(const hx_case *c, const hx_expectations *e);
/* note (may be NULL): what the xfail entry did is appended to *note (owned, may start NULL). */
hx_verdict hx_score(const hx_case *c, const hx_expectations *e, const hx_outcome *o,
                    bool strict_reasons, char **note);
/* The two steps of hx_score: the verdict before expectations' xfail, then xfail applied. */
hx_verdict hx_score_raw(const hx_case *c, const hx_expectations *e, const hx_outcome *o);
hx_verdict hx_apply_xfail(const hx_case *c, const hx_expectations *e, hx_verdict v,
                          const char *observed_reason, char **note);
/* The outcome members a case states (identities, assurance, not_after, signer, attest, rcd,
 * certificate) against the result: HX_PASS, or HX_FAIL when the result reports one with another
 * value, or omits one under strict_outcome; *note (owned, may be NULL) says which. */
hx_verdict hx_score_outcome(const hx_case *c, const hx_outcome *o, char **note);
/* Appends "; text" (or text) to *s, which may be NULL; text is consumed. */
void hx_append_note(char **s, char *text);

/* ---- runner.c --------------------------------------------------------------------------------- */
typedef struct {
    hx_impl_spec *impls;
    size_t nimpls;
    hx_expectations *exps; /* one per implementation (possibly empty) */
    char *vectors_dir, *out_dir;
    char **filters;
    size_t nfilters;
    int jobs;
    int64_t timeout_ms;
    bool strict_reasons, capture, progress, resume;
    bool strict_outcome; /* --strict-outcome: every outcome member a case states must be reported */
    bool allow_unsupported_only; /* a run where an implementation judged no case may still pass */
    bool x5u_serve;      /* --x5u-serve: the loopback x5u repository, x5u_fetch in requests */
    bool x5u_fetch_only; /* --x5u-fetch-only: also withhold x5u_map (implies x5u_serve) */
    int x5u_port;        /* set by hx_run while the repository listens (for --capture) */
    json_t *argv_record; /* the options, stored in run.json for --resume */
} hx_run_config;
bool hx_case_selected(const hx_run_config *cfg, const char *id);
/* Every --filter GLOB (not -GLOB) must match some case and the filters must select one:
 * otherwise -1 and *err names the filter (a usage error). */
int hx_filters_check(const hx_run_config *cfg, const hx_suite *suite, char **err);
/* Every policy flag of every expectation file must be an either flag of the suite. */
int hx_policy_check(const hx_run_config *cfg, const hx_suite *suite, char **err);
int hx_run(hx_run_config *cfg, hx_suite *suite); /* exit status 0/1/2 */

/* ---- results / reports ---------------------------------------------------------------------- */
char *hx_record_key(const char *type, const char *impl, const char *case_id); /* owned */
/* The line a journal reference [offset, length, ...] points at, read with pread (owned). */
char *hx_journal_line(int fd, const json_t *ref, size_t *len);
/* The report: a document with everything but its cases, results and matrix cells, which are
 * written from the suite's spool and the journal, one at a time, in report order. */
typedef struct {
    json_t *doc;      /* owned; "cases", "results" and "matrix" are placeholders */
    const hx_run_config *cfg;
    const hx_suite *suite;
    const json_t *index; /* the journal index (hx_record_key -> record or [offset, length]) */
    int fd;           /* the journal (borrowed) */
    int cases_fd;     /* the suite's spool (borrowed) */
    size_t nresults;
    size_t *tests, *failures; /* per implementation, owned */
} hx_report;
void hx_report_build(hx_report *rep, const hx_run_config *cfg, const hx_suite *suite,
                     const json_t *index, int fd);
void hx_report_cleanup(hx_report *rep);
/* Results in report order: start with *cur = 0; the journal reference and implementation of the
 * next one, false after the last. */
bool hx_report_next(const hx_report *rep, size_t *cur, const json_t **ref, size_t *impl);
/* The result a reference points at, as the report holds it, without its transcript (owned). */
json_t *hx_report_result(const hx_report *rep, const json_t *ref);
bool hx_report_unexpected(const hx_report *rep, const json_t *ref); /* its "unexpected" */
int hx_report_verdict(const hx_report *rep, const json_t *ref);     /* its verdict, -1 if none */
/* Implementation k judged no case and that fails the run (no --allow-unsupported-only). */
bool hx_report_judged_nothing(const hx_report *rep, size_t k);
/* The document written to path.tmp then renamed: head, the report in flags' format, tail. */
int hx_report_stream(const hx_report *rep, const char *path, const char *head, const char *tail,
                     int flags);
int hx_report_json_write(const hx_report *rep, const char *dir);
int hx_report_junit_write(const hx_report *rep, const char *dir);
int hx_report_md_write(const hx_report *rep, const char *dir, bool strict_reasons);
int hx_report_html_write(const hx_report *rep, const char *dir);
/* Text escaped for Markdown (a table cell or list item): backslash escapes, control bytes \xNN. owned */
char *hx_md_escape(const char *s);
/* ---- report_text.c: the summaries every view shares ------------------------------------------- */
/* "OK: N results, U unexpected: PASS n ..." for one implementation; with several, the verdict
 * counts are left to hx_report_impl_line (a total over implementations would mislead). owned */
char *hx_report_summary_line(const hx_report *rep);
/* "NAME: N results, U unexpected, J judged: PASS n ..." (the name control-escaped). owned */
char *hx_report_impl_line(const hx_report *rep, size_t k);
/* The families of the selected cases, in suite order (array of strings, owned). */
json_t *hx_report_families(const hx_report *rep);
/* A bar of width cells for one family cell ({judged, passed, failed, unsupported}): glyph[0]
 * passed, glyph[1] failed, glyph[2] unsupported, in proportion, each nonzero part at least one
 * cell; then " P/J passed", ", F failed", ", U unsupported" as they apply. owned */
char *hx_family_cell(const json_t *fam, int width, const char *const glyph[3]);
/* The terminal summary: the summary line, each implementation's line (several), the family
 * table, the warnings; control bytes escaped. */
void hx_report_print(const hx_report *rep, FILE *f);

/* ---- certview.c: decoded certificates (libcrypto's reader and printers) ----------------------- */
/* {role, subject, issuer, not_before, not_after (+ _unix), basic_constraints, key_usage, tnauthlist,
 * jwt_claim_constraints (those present), other_extensions:[{name,value}]} or {role, error}. */
json_t *hx_cert_view(const char *pem, const char *role);
/* The certificate field a reason is about ("not_after", "tnauthlist", ...), NULL if none. */
const char *hx_cert_field_of(const char *reason);
/* Every certificate of a case (chain, check chain, x5u_map, trust anchors), the field the case's
 * expected reason is about marked "about" (a validity bound: on the certificates outside it at `at`). */
json_t *hx_case_cert_views(const json_t *case_json);

/* ---- explain.c: `stirmls-harness explain CASE_ID` -------------------------------------------- */
/* Each case of ids in turn, a blank line between; an unknown id is an error before any output. */
int hx_explain(const char *vectors_dir, char *const *ids, size_t n, FILE *f, char **err);

/* ---- x5u_server.c: the loopback x5u certificate repository -------------------------------------- */
#define HX_X5U_REQ_MAX 4096 /* bytes of a request head (request line and headers) */
typedef struct {
    char *case_id, *url; /* the case and the original x5u URL (the x5u_map key) */
    char *path;          /* "/<case id, percent-encoded>/<n>.pem" */
    char *body;          /* the chain as concatenated PEM */
    size_t len;
} hx_x5u_doc;
typedef struct {
    int fd, port, stop[2];
    pthread_t thread;
    bool running;
    hx_x5u_doc *docs; /* owned; fixed once the server runs */
    size_t ndocs;
    unsigned long served; /* 200 responses (atomic) */
} hx_x5u_server;
void hx_x5u_server_init(hx_x5u_server *s);
/* Every entry of a case's x5u_map becomes a document (before hx_x5u_server_start). */
void hx_x5u_server_add(hx_x5u_server *s, const char *case_id, const json_t *x5u_map);
/* Binds 127.0.0.1 on an ephemeral port and starts the server thread. */
int hx_x5u_server_start(hx_x5u_server *s, char **err);
/* {"<original url>":"http://127.0.0.1:PORT/<case>/<n>.pem"} for a case (owned). */
json_t *hx_x5u_server_fetch_map(const hx_x5u_server *s, const char *case_id);
void hx_x5u_server_cleanup(hx_x5u_server *s); /* stops the thread, frees the documents */

/* ---- diff.c: runs over time (`diff OLD_RUN NEW_RUN`) ----------------------------------------- */
/* A run's report.json (RUN: its directory or the file), checked to be a report; NULL and *err. */
json_t *hx_run_report_load(const char *run, char **err);
bool hx_run_report_strict(const json_t *report); /* the run's --strict-reasons */
/* "IMPL\tCASE" -> {impl, case, verdict, seen, unexpected} for every result and generate-matrix cell
 * (a cell's implementation is its verifier, its case "CASE <- PRODUCER"). owned */
json_t *hx_run_outcomes(const json_t *report);
int hx_cmd_diff(int argc, char **argv); /* exit 1 when anything regressed */
/* ---- merge.c: `merge --out DIR RUN_DIR...` ---------------------------------------------------- */
/* default_vectors: the suite when --vectors is not given (main.c's: the repository's vectors/) */
int hx_cmd_merge(int argc, char **argv, char *(*default_vectors)(void));

/* ---- record.c: generate artefacts as the `recorded` vector family ------------------------------ */
/* The artefacts of the runs' journals (over suite, the suite they ran) added to dir/recorded.json
 * (created when missing; a case already there is kept, with the verdicts of verifiers it lacked);
 * *added: the new cases. */
int hx_record(const char *const *run_dirs, size_t nruns, const hx_suite *suite, const char *dir,
              size_t *added, char **err);
/* cases (id -> case) written as dir/recorded.json, sorted by id, sorted keys */
int hx_record_family(const json_t *cases, const char *dir, char **err);
/* run --record DIR: the finished run's artefacts (prints what it recorded; errors on stderr) */
int hx_record_after_run(const hx_run_config *cfg, const hx_suite *suite, const char *dir);
int hx_cmd_record(int argc, char **argv, char *(*default_vectors)(void));

/* ---- capture.c -------------------------------------------------------------------------------- */
pid_t hx_capture_start(const hx_run_config *cfg, char **err);
void hx_capture_stop(pid_t pid);

/* ---- bridge.c: `stirmls-harness bridge` (argv[0] is "bridge"); exit status 0 or 2 ------------ */
int hx_bridge_main(int argc, char **argv);

#endif
