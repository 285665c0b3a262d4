/*
 * fake_impl.c: a fake stirmls-interop/1 implementation for the harness tests. No crypto: it
 * answers from its MODE, or (mode good) from the vectors' own expectations read directly.
 *
 *   fake-impl [--vectors DIR] [--listen PORTFILE] [--state FILE] MODE
 *   good            answers each case's expected verdict and reason (either: accept)
 *   accept-all      accepts everything
 *   reject-wrong    rejects everything with reason WRONG_REASON
 *   crash3          like good, but dies (SIGSEGV) on its third request unless FILE exists
 *                   (it creates FILE first, so the restarted instance behaves)
 *   hang            answers hello, never answers verify
 *   garbage         answers verify with a line that is not JSON
 *   wrong-id        answers verify with the wrong id
 *   huge            answers verify with a 2 MiB line
 *   unimplemented   answers verify with error unimplemented
 *   internal        answers verify with error internal ("fake: boom")
 *   limited         like good, but offers only kind cert_chain and no tags
 *   doc-tags        like good, but its hello claims tags ["needs-passport","needs-x5u"] (tag names
 *                   an old docs/protocol.md example showed, which no case carries)
 *   xss             name, reason and native carry <script> and terminal escapes
 *   twice           answers verify twice
 *   drip            answers verify one byte every 100 ms
 *   close-stdout    closes stdout on verify and keeps running
 *   die-midline     writes half a response to verify, then dies by SIGKILL
 *   bad-utf8        answers verify with invalid UTF-8 in native
 * --listen serves the same protocol over TCP on 127.0.0.1 (port written to PORTFILE).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *mode = "good";
static const char *state_file;
static json_t *expects; /* case id -> expect object */
static int requests;

static void load_vectors(const char *dir)
{
    expects = json_object();
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_t *doc = json_load_file(path, 0, NULL);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(doc, "cases"), i, c)
            json_object_set(expects, json_string_value(json_object_get(c, "id")), json_object_get(c, "expect"));
        json_decref(doc);
    }
    if (d)
        closedir(d);
}

static json_t *hello(void)
{
    const char *name = strcmp(mode, "xss") == 0 ? "<script>alert(1)</script>\x1b[31mfake" : "fake";
    json_t *h = json_pack("{s:s,s:s,s:s,s:[s,s],s:[s,s,s,s],s:[i,i]}", "name", name, "version", "1.0",
                          "protocol", "stirmls-interop/1", "ops", "verify", "generate", "kinds",
                          "cert_chain", "passport", "credential", "key_package", "credential_types",
                          61521, 61522);
    if (strcmp(mode, "limited") == 0) {
        json_object_set_new(h, "kinds", json_pack("[s]", "cert_chain"));
        json_object_set_new(h, "tags", json_array());
    }
    if (strcmp(mode, "doc-tags") == 0)
        json_object_set_new(h, "tags", json_pack("[s,s]", "needs-passport", "needs-x5u"));
    return h;
}

static json_t *verdict(const char *v, const char *reason, const char *native)
{
    return json_pack("{s:s,s:s,s:s,s:[]}", "verdict", v, "reason", reason, "native", native, "identities");
}

static json_t *verify(json_t *params)
{
    if (strcmp(mode, "accept-all") == 0)
        return verdict("accept", "", "");
    if (strcmp(mode, "reject-wrong") == 0)
        return verdict("reject", "WRONG_REASON", "fake: wrong on purpose");
    if (strcmp(mode, "xss") == 0)
        return verdict("reject", "<script>alert(1)</script>", "\x1b[31m<img src=x onerror=alert(1)>");
    json_t *x = json_object_get(expects, json_string_value(json_object_get(params, "case")));
    const char *v = json_string_value(json_object_get(x, "verdict"));
    if (!v || strcmp(v, "either") == 0)
        return verdict("accept", "", "");
    const char *r = json_string_value(json_object_get(x, "reason"));
    return verdict(v, r ? r : "", "");
}

static void respond(FILE *out, json_int_t id, json_t *body, const char *member)
{
    json_t *resp = json_pack("{s:I,s:o}", "id", id, member, body);
    char *s = json_dumps(resp, JSON_COMPACT);
    fprintf(out, "%s\n", s);
    fflush(out);
    free(s);
    json_decref(resp);
}

/* Returns 0 to go on, 1 after shutdown. */
static int handle(FILE *out, const char *line)
{
    json_t *req = json_loads(line, 0, NULL);
    json_int_t id = json_integer_value(json_object_get(req, "id"));
    const char *op = json_string_value(json_object_get(req, "op"));
    int done = 0;
    requests++;
    if (strcmp(mode, "crash3") == 0 && requests == 3 && state_file && access(state_file, F_OK) != 0) {
        FILE *f = fopen(state_file, "w");
        if (f)
            fclose(f);
        fputs("fake: crashing on purpose\n", stderr);
        raise(SIGSEGV);
    }
    if (!op) {
        respond(out, id, json_pack("{s:s,s:s}", "code", "bad_request", "message", "no op"), "error");
    } else if (strcmp(op, "hello") == 0) {
        respond(out, id, hello(), "result");
    } else if (strcmp(op, "shutdown") == 0) {
        respond(out, id, json_object(), "result");
        done = 1;
    } else if (strcmp(mode, "hang") == 0) {
        struct pollfd p = {.fd = 0, .events = POLLIN};
        while (poll(&p, 1, -1) >= 0 && !(p.revents & (POLLHUP | POLLERR)))
            usleep(10000); /* never answers; leaves once the harness is gone */
        exit(0);
    } else if (strcmp(mode, "garbage") == 0) {
        fputs("this is not json {\n", out);
        fflush(out);
    } else if (strcmp(mode, "wrong-id") == 0) {
        respond(out, id + 1000, verdict("accept", "", ""), "result");
    } else if (strcmp(mode, "huge") == 0) {
        static char chunk[1 << 16];
        memset(chunk, 'x', sizeof chunk);
        for (int i = 0; i < 1600; i++) /* 100 MiB, then the newline */
            if (fwrite(chunk, 1, sizeof chunk, out) != sizeof chunk)
                break;
        fputc('\n', out);
        fflush(out);
    } else if (strcmp(mode, "twice") == 0) {
        json_t *r = json_pack("{s:I,s:o}", "id", id, "result", verdict("accept", "", ""));
        char *t = json_dumps(r, JSON_COMPACT);
        fprintf(out, "%s\n%s\n", t, t); /* one flush, one write: both lines arrive together */
        fflush(out);
        free(t);
        json_decref(r);
    } else if (strcmp(mode, "drip") == 0) {
        const char *text = "{\"id\":1,\"result\":{\"verdict\":\"accept\"}}\n";
        for (const char *p = text; *p; p++) {
            fputc(*p, out);
            fflush(out);
            usleep(100000);
        }
    } else if (strcmp(mode, "close-stdout") == 0) {
        fclose(out);
        for (;;)
            pause();
    } else if (strcmp(mode, "die-midline") == 0) {
        fprintf(out, "{\"id\":%lld,\"resu", (long long)id);
        fflush(out);
        raise(SIGKILL);
    } else if (strcmp(mode, "bad-utf8") == 0) {
        fprintf(out, "{\"id\":%lld,\"result\":{\"verdict\":\"accept\",\"native\":\"\xff\xfe\"}}\n", (long long)id);
        fflush(out);
    } else if (strcmp(op, "generate") == 0 && strcmp(mode, "unimplemented") != 0) {
        const char *kind = json_string_value(json_object_get(json_object_get(req, "params"), "kind"));
        respond(out, id, json_pack("{s:{s:s}}", "artifact", kind ? kind : "passport",
                                   "fake.generated.artifact"), "result");
    } else if (strcmp(mode, "internal") == 0 && strcmp(op, "verify") == 0) {
        respond(out, id, json_pack("{s:s,s:s}", "code", "internal", "message", "fake: boom"), "error");
    } else if (strcmp(mode, "unimplemented") == 0 || strcmp(op, "verify") != 0) {
        respond(out, id, json_pack("{s:s,s:s}", "code", "unimplemented", "message", "fake"), "error");
    } else {
        respond(out, id, verify(json_object_get(req, "params")), "result");
    }
    json_decref(req);
    return done;
}

static void serve(FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0)
        if (handle(out, line))
            break;
    free(line);
}

static int listen_tcp(const char *portfile)
{
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 4) ||
        getsockname(s, (struct sockaddr *)&a, &al))
        return 1;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return 1;
    fprintf(f, "%u\n", ntohs(a.sin_port));
    fclose(f);
    rename(tmp, portfile);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0)
            continue;
        FILE *in = fdopen(c, "r"), *out = fdopen(dup(c), "w");
        serve(in, out);
        fclose(in);
        fclose(out);
    }
}

int main(int argc, char **argv)
{
    const char *portfile = NULL;
    signal(SIGPIPE, SIG_IGN);
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--vectors") == 0)
            load_vectors(argv[i + 1]);
        else if (strcmp(argv[i], "--listen") == 0)
            portfile = argv[i + 1];
        else if (strcmp(argv[i], "--state") == 0)
            state_file = argv[i + 1];
    }
    if (i < argc)
        mode = argv[i];
    if (!expects)
        expects = json_object();
    int rc = portfile ? listen_tcp(portfile) : (serve(stdin, stdout), 0);
    json_decref(expects);
    return rc;
}
