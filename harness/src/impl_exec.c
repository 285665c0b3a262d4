/*
 * impl_exec.c: a one-shot command-line implementation (--impl NAME=exec:TEMPLATE), one process per
 * case, as x509-limbo-style harnesses run tools such as `openssl verify` or secsipidx.
 *
 * For each verify request the case's inputs are written to files in a fresh temporary folder and
 * substituted into TEMPLATE (split on whitespace; no shell):
 *   {passport} passport.txt      {chain} chain.pem        {trust} trust.pem (trust_anchors)
 *   {keypackage} keypackage.bin  {credential} credential.bin  {x5u_map} x5u_map.json
 *   {policy} policy.json         {at} {tn} {signature_key} {kind} {case} as text   {dir} the folder
 * The command runs with stdin from /dev/null, stderr appended to the implementation's log, and the
 * run's timeout. Exit 0 is accept, 1 reject, anything else an error (internal); a signal is a
 * crash. The first line of stdout is the reason: a NAME, or a JSON object with "reason" (the
 * stirmls CLI's output); the line is kept as the native text.
 * A case with an input the template does not pass (a tn, a policy, an x5u_map...) is UNSUPPORTED:
 * the tool would judge it without that input. An argument naming an input the case lacks is left
 * out, with the option just before it (`--tn {tn}`). The kinds offered are those whose artefact
 * the template names ({passport}, {credential}, {keypackage}; {chain} alone: cert_chain).
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* placeholder, the file it is written to (NULL: substituted as text), the input member */
static const struct {
    const char *name, *file, *member;
} slots[] = {
    {"passport", "passport.txt", "passport"},    {"chain", "chain.pem", "chain"},
    {"trust", "trust.pem", NULL},                {"keypackage", "keypackage.bin", "key_package"},
    {"credential", "credential.bin", "credential"}, {"x5u_map", "x5u_map.json", "x5u_map"},
    {"policy", "policy.json", NULL},             {"at", NULL, NULL},
    {"tn", NULL, "tn"},                          {"signature_key", NULL, "signature_key"},
    {"kind", NULL, NULL},                        {"case", NULL, NULL},
    {"dir", NULL, NULL},
};
#define NSLOTS (sizeof slots / sizeof slots[0])

static int slot_of(const char *name, size_t len)
{
    for (size_t i = 0; i < NSLOTS; i++)
        if (strlen(slots[i].name) == len && strncmp(slots[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

/* Calls fn for each {name} of token t; -1 when a brace is unbalanced or fn fails. */
static int each_placeholder(const char *t, int (*fn)(int slot, void *ctx), void *ctx)
{
    for (const char *p = t; (p = strchr(p, '{'));) {
        const char *e = strchr(p, '}');
        int s = e ? slot_of(p + 1, (size_t)(e - p - 1)) : -1;
        if (s < 0 || fn(s, ctx) != 0)
            return -1;
        p = e + 1;
    }
    return strchr(t, '}') && !strchr(t, '{') ? -1 : 0;
}

static int mark(int slot, void *ctx)
{
    ((bool *)ctx)[slot] = true;
    return 0;
}

int hx_exec_template_check(char **argv, char **err)
{
    bool used[NSLOTS] = {false};
    for (size_t i = 0; argv[i]; i++)
        if (each_placeholder(argv[i], mark, used) != 0) {
            *err = hx_printf("exec template: unknown or unbalanced placeholder in '%s' (known: {passport} "
                             "{chain} {trust} {keypackage} {credential} {x5u_map} {policy} {at} {tn} "
                             "{signature_key} {kind} {case} {dir})", argv[i]);
            return -1;
        }
    if (strchr(argv[0], '{')) {
        *err = hx_strdup("exec template: the program itself cannot be a placeholder");
        return -1;
    }
    return 0;
}

static void template_uses(const hx_impl_spec *s, bool used[NSLOTS])
{
    memset(used, 0, NSLOTS * sizeof *used);
    for (size_t i = 0; s->exec_argv[i]; i++)
        each_placeholder(s->exec_argv[i], mark, used);
}

json_t *hx_exec_hello(const hx_impl_spec *s)
{
    bool used[NSLOTS];
    template_uses(s, used);
    json_t *kinds = json_array();
    if (used[slot_of("passport", 8)])
        json_array_append_new(kinds, json_string("passport"));
    if (used[slot_of("credential", 10)])
        json_array_append_new(kinds, json_string("credential"));
    if (used[slot_of("keypackage", 10)])
        json_array_append_new(kinds, json_string("key_package"));
    if (json_array_size(kinds) == 0 && used[slot_of("chain", 5)])
        json_array_append_new(kinds, json_string("cert_chain"));
    return json_pack("{s:s,s:s,s:s,s:[s],s:o}", "name", s->name, "version", "exec", "protocol",
                     HX_PROTOCOL, "ops", "verify", "kinds", kinds);
}

/* The value of each slot for one case: text (owned) or NULL when the case lacks it. */
static void slot_values(const json_t *p, char *v[NSLOTS])
{
    const json_t *in = json_object_get(p, "input");
    for (size_t i = 0; i < NSLOTS; i++) {
        const json_t *x = slots[i].member ? json_object_get(in, slots[i].member) : NULL;
        if (strcmp(slots[i].name, "trust") == 0)
            x = json_object_get(p, "trust_anchors");
        else if (strcmp(slots[i].name, "policy") == 0)
            x = json_object_get(p, "policy");
        else if (!slots[i].member && strcmp(slots[i].name, "dir") != 0)
            x = json_object_get(p, slots[i].name); /* at, kind, case */
        v[i] = NULL;
        if (json_is_string(x) && json_string_length(x) > 0) {
            v[i] = hx_strdup(json_string_value(x));
        } else if (json_is_integer(x)) {
            v[i] = hx_printf("%" JSON_INTEGER_FORMAT, json_integer_value(x));
        } else if (json_is_array(x) && json_array_size(x) > 0) { /* PEM strings, concatenated */
            size_t k;
            json_t *pem;
            v[i] = hx_strdup("");
            json_array_foreach(x, k, pem) {
                char *next = hx_printf("%s%s", v[i], json_string_value(pem) ?: "");
                free(v[i]);
                v[i] = next;
            }
        } else if (json_is_object(x) && json_object_size(x) > 0) {
            v[i] = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS);
        }
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Writes slot i's value into dir; binary slots (.bin) from hex. The path (owned) or NULL. */
static char *write_slot(const char *dir, size_t i, const char *value)
{
    char *path = hx_path_join(dir, slots[i].file);
    size_t n = strlen(value);
    bool bin = strstr(slots[i].file, ".bin") != NULL;
    char *data = bin ? malloc(n / 2 + 1) : NULL;
    for (size_t k = 0; bin && k + 1 < n; k += 2) {
        int hi = hexval(value[k]), lo = hexval(value[k + 1]);
        data[k / 2] = (char)((hi < 0 || lo < 0) ? 0 : (hi << 4 | lo));
    }
    int rc = hx_write_file_atomic(path, bin ? data : value, bin ? n / 2 : n);
    free(data);
    if (rc != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* The argv for one case; NULL (and *why) when the case needs an input the template does not pass. */
static char **build_argv(const hx_impl_spec *s, const json_t *p, const char *dir, char **why)
{
    bool used[NSLOTS];
    template_uses(s, used);
    char *v[NSLOTS];
    slot_values(p, v);
    char **argv = NULL;
    for (size_t i = 0; i < NSLOTS && !*why; i++)
        if (v[i] && !used[i] && slots[i].member) /* an input the tool would not see */
            *why = hx_printf("exec: the template does not pass {%s}, which this case carries", slots[i].name);
    if (v[slot_of("policy", 6)] && !used[slot_of("policy", 6)] && !*why)
        *why = hx_strdup("exec: the template does not pass {policy}, and this case sets one");
    if (v[slot_of("trust", 5)] && !used[slot_of("trust", 5)] && !*why)
        *why = hx_strdup("exec: the template does not pass {trust}, and this case has trust anchors");
    if (!used[slot_of("at", 2)] && !*why)
        *why = hx_strdup("exec: the template does not pass {at}: the tool would judge at its own clock");
    v[slot_of("dir", 3)] = hx_strdup(dir);
    for (size_t i = 0; i < NSLOTS && !*why; i++) /* file slots: their path replaces the value */
        if (v[i] && used[i] && slots[i].file) {
            char *path = write_slot(dir, i, v[i]);
            free(v[i]);
            v[i] = path;
            if (!path)
                *why = hx_printf("exec: cannot write %s in %s", slots[i].file, dir);
        }
    size_t n = 0;
    for (; s->exec_argv[n]; n++)
        ;
    argv = *why ? NULL : calloc(n + 1, sizeof *argv);
    size_t k = 0;
    for (size_t t = 0; argv && t < n; t++) {
        const char *tok = s->exec_argv[t];
        char *out = hx_strdup("");
        bool absent = false;
        for (const char *q = tok; *q;) {
            const char *b = strchr(q, '{'), *e = b ? strchr(b, '}') : NULL;
            size_t lit = b ? (size_t)(b - q) : strlen(q);
            char *next = hx_printf("%s%.*s", out, (int)lit, q);
            free(out);
            out = next;
            if (!b)
                break;
            int sl = slot_of(b + 1, (size_t)(e - b - 1));
            absent = absent || !v[sl];
            next = hx_printf("%s%s", out, v[sl] ? v[sl] : "");
            free(out);
            out = next;
            q = e + 1;
        }
        if (absent) { /* left out, with the option before it */
            free(out);
            if (k > 0 && argv[k - 1][0] == '-' && !strchr(s->exec_argv[t - 1], '{')) {
                free(argv[--k]);
                argv[k] = NULL;
            }
            continue;
        }
        argv[k++] = out;
    }
    for (size_t i = 0; i < NSLOTS; i++)
        free(v[i]);
    return argv;
}

static void rm_dir(const char *dir)
{
    for (size_t i = 0; i < NSLOTS; i++)
        if (slots[i].file) {
            char *path = hx_path_join(dir, slots[i].file);
            unlink(path);
            free(path);
        }
    rmdir(dir);
}

static void transcript_add(json_t *transcript, const char *dir, const char *text)
{
    if (!transcript)
        return;
    char *clean = hx_utf8_clean(text, strlen(text), HX_TRANSCRIPT_LINE_MAX);
    json_array_append_new(transcript, json_pack("{s:s,s:s}", "dir", dir, "line", clean));
    free(clean);
}

/* Runs argv; *out gets up to 64 KiB of stdout (owned). Returns the wait status, or -1 on timeout
 * (the process group killed), -2 when it could not start. */
static int run(char **argv, const char *stderr_path, int64_t timeout_ms, char **out)
{
    int fds[2];
    *out = NULL;
    if (pipe(fds) != 0)
        return -2;
    int err_fd = open(stderr_path ? stderr_path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        int null = open("/dev/null", O_RDONLY);
        if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 || (err_fd >= 0 && dup2(err_fd, 2) < 0))
            _exit(127);
        close(fds[0]);
        execvp(argv[0], argv);
        dprintf(2, "stirmls-harness: cannot execute %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    if (err_fd >= 0)
        close(err_fd);
    if (pid < 0) {
        close(fds[0]);
        return -2;
    }
    setpgid(pid, pid);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    int64_t deadline = hx_now_ms() + timeout_ms;
    bool timed_out = false;
    for (;;) {
        int64_t left = deadline - hx_now_ms();
        struct pollfd pf = {.fd = fds[0], .events = POLLIN};
        if (left <= 0 || poll(&pf, 1, (int)left) == 0) {
            timed_out = true;
            break;
        }
        char tmp[4096];
        ssize_t r = read(fds[0], tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t keep = len + (size_t)r > cap ? cap - len : (size_t)r;
        memcpy(buf + len, tmp, keep);
        len += keep;
    }
    close(fds[0]);
    int st = 0;
    if (timed_out)
        kill(-pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    buf[len] = '\0';
    *out = buf;
    return timed_out ? -1 : st;
}

/* The verify result for an exit status and the first line of stdout. */
static json_t *result_of(bool accept, const char *line)
{
    json_t *j = line[0] == '{' ? json_loads(line, 0, NULL) : NULL;
    const char *reason = json_string_value(json_object_get(j, "reason"));
    bool name = line[0] != '\0' && strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(line);
    json_t *res = json_pack("{s:s,s:s,s:s}", "verdict", accept ? "accept" : "reject", "reason",
                            accept ? "" : reason ? reason : name ? line : "", "native", line);
    /* the outcome members a JSON-printing tool reports (docs/scenarios.md "expect"); a tool that
     * prints none reports none, and its outcome is not checked */
    static const char *const members[] = {"identities", "assurance", "not_after", "signer", "attest", "rcd",
                                          "certificate", NULL};
    for (size_t i = 0; members[i] && json_is_object(j); i++)
        if (json_object_get(j, members[i]) && (strcmp(members[i], "identities") || json_is_array(json_object_get(j, members[i]))))
            json_object_set(res, members[i], json_object_get(j, members[i]));
    json_decref(j);
    return res;
}

hx_call_status hx_exec_verify(hx_impl *im, const char *params, size_t plen, int64_t timeout_ms,
                              json_t *transcript, json_t **payload, char **why)
{
    *payload = NULL;
    *why = NULL;
    json_t *p = json_loadb(params, plen, 0, NULL);
    const char *tmpdir = getenv("TMPDIR");
    char *dir = hx_printf("%s/stirmls-exec.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    char *unsup = NULL;
    if (!mkdtemp(dir)) {
        *why = hx_printf("exec: cannot create a temporary folder (%s)", strerror(errno));
        json_decref(p);
        free(dir);
        return HX_CALL_CRASH;
    }
    char **argv = build_argv(im->spec, p, dir, &unsup);
    json_decref(p);
    hx_call_status st = HX_CALL_RESULT;
    if (!argv) {
        *payload = json_pack("{s:s,s:s}", "code", "unimplemented", "message", unsup);
        transcript_add(transcript, "!", unsup);
        *why = unsup;
        st = HX_CALL_ERROR;
    } else {
        char *cmd = hx_strdup("exec:");
        for (size_t i = 0; argv[i]; i++) {
            char *next = hx_printf("%s %s", cmd, argv[i]);
            free(cmd);
            cmd = next;
        }
        transcript_add(transcript, ">", cmd);
        free(cmd);
        char *out = NULL;
        int ws = run(argv, im->stderr_path, timeout_ms, &out);
        char *line = strndup(out ? out : "", strcspn(out ? out : "", "\r\n"));
        char *said = hx_printf("exit %d: %s", ws >= 0 && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, line);
        transcript_add(transcript, "<", said);
        free(said);
        if (ws == -1) {
            st = HX_CALL_TIMEOUT;
            *why = hx_printf("no exit before the timeout: process group killed");
        } else if (ws == -2) {
            st = HX_CALL_CRASH;
            *why = hx_strdup("exec: cannot start the command");
        } else if (WIFSIGNALED(ws)) {
            st = HX_CALL_CRASH;
            *why = hx_printf("killed by signal %d", WTERMSIG(ws));
        } else if (WEXITSTATUS(ws) == 0 || WEXITSTATUS(ws) == 1) {
            *payload = result_of(WEXITSTATUS(ws) == 0, line);
        } else {
            char *tail = hx_file_tail(im->stderr_path, 3); /* the tool's complaint, usually */
            *payload = json_pack("{s:s,s:o}", "code", "internal", "message",
                                 json_sprintf("exit status %d%s%s", WEXITSTATUS(ws), tail ? "; stderr ends: " : "",
                                              tail ? tail : ""));
            free(tail);
            st = HX_CALL_ERROR;
        }
        free(line);
        free(out);
        for (size_t i = 0; argv[i]; i++)
            free(argv[i]);
        free(argv);
    }
    rm_dir(dir);
    free(dir);
    return st;
}
