/*
 * x5u_test.c: the loopback x5u repository (x5u_server.c) over real sockets: the exact bytes for a
 * known path, the status of every other request (table), the fetch map; and a run with
 * --x5u-fetch-only against the reference (`stirmls serve`, which must fetch) on the suite's x5u
 * cases.
 */
#include "harness.h"
#include "hxtest.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PEM_A "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
#define PEM_B "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----" /* no final newline */

/* Send req (len bytes) to 127.0.0.1:port, read the answer to EOF. owned */
static char *http(int port, const char *req, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    for (size_t off = 0; off < len;) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may stop reading: the answer is still there */
        off += (size_t)w;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t r;
    while (n < cap && (r = recv(fd, buf + n, cap - n, 0)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    close(fd);
    return buf;
}

static void start(hx_x5u_server *s)
{
    hx_x5u_server_init(s);
    json_t *map = json_pack("{s:[s,s],s:[s]}", "https://certs.example/a.pem", PEM_A, PEM_B,
                            "https://certs.example/b.pem", PEM_A);
    hx_x5u_server_add(s, "ppt/x5u case", map);
    json_decref(map);
    char *err = NULL;
    ck_assert_msg(hx_x5u_server_start(s, &err) == 0, "%s", err ? err : "");
    ck_assert_int_gt(s->port, 0);
}

START_TEST(serves_the_chain)
{
    hx_x5u_server s;
    start(&s);
    const char *req = "GET /ppt/x5u%20case/0.pem HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    char *got = http(s.port, req, strlen(req));
    const char *body = PEM_A PEM_B "\n";
    char *want = hx_printf("HTTP/1.0 200 OK\r\nContent-Type: application/pem-certificate-chain\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(body), body);
    ck_assert_str_eq(got, want);
    free(got), free(want);
    /* the second entry, with a bare-LF request */
    got = http(s.port, "GET /ppt/x5u%20case/1.pem HTTP/1.1\n\n", 36);
    ck_assert_ptr_nonnull(strstr(got, "\r\n\r\n" PEM_A));
    ck_assert_int_eq(strlen(strstr(got, "\r\n\r\n")), 4 + strlen(PEM_A));
    free(got);
    ck_assert_uint_eq(s.served, 2);
    /* the map a verify request carries */
    json_t *m = hx_x5u_server_fetch_map(&s, "ppt/x5u case");
    char *u0 = hx_printf("http://127.0.0.1:%d/ppt/x5u%%20case/0.pem", s.port);
    ck_assert_str_eq(json_string_value(json_object_get(m, "https://certs.example/a.pem")), u0);
    ck_assert_int_eq(json_object_size(m), 2);
    json_decref(m);
    m = hx_x5u_server_fetch_map(&s, "other/case");
    ck_assert_int_eq(json_object_size(m), 0);
    json_decref(m);
    free(u0);
    hx_x5u_server_cleanup(&s);
}
END_TEST

typedef struct {
    const char *name, *req;
    size_t pad; /* bytes of header padding appended before the blank line */
    const char *status;
} status_row;

static const status_row status_rows[] = {
    {"unknown_path", "GET /ppt/x5u%20case/2.pem HTTP/1.0\r\n", 0, "HTTP/1.0 404 Not Found\r\n"},
    {"unescaped_path", "GET /ppt/x5u case/0.pem HTTP/1.0\r\n", 0, "HTTP/1.0 400 Bad Request\r\n"},
    {"root", "GET / HTTP/1.0\r\n", 0, "HTTP/1.0 404 Not Found\r\n"},
    {"traversal", "GET /ppt/../ppt/x5u%20case/0.pem HTTP/1.0\r\n", 0, "HTTP/1.0 404 Not Found\r\n"},
    {"query", "GET /ppt/x5u%20case/0.pem?x=1 HTTP/1.0\r\n", 0, "HTTP/1.0 404 Not Found\r\n"},
    {"post", "POST /ppt/x5u%20case/0.pem HTTP/1.0\r\n", 0, "HTTP/1.0 405 Method Not Allowed\r\n"},
    {"head", "HEAD /ppt/x5u%20case/0.pem HTTP/1.0\r\n", 0, "HTTP/1.0 405 Method Not Allowed\r\n"},
    {"not_http", "GET /ppt/x5u%20case/0.pem FTP/1.0\r\n", 0, "HTTP/1.0 400 Bad Request\r\n"},
    {"just_fits", "GET /ppt/x5u%20case/0.pem HTTP/1.0\r\n", HX_X5U_REQ_MAX - 60, "HTTP/1.0 200 OK\r\n"},
    {"oversized", "GET /ppt/x5u%20case/0.pem HTTP/1.0\r\n", HX_X5U_REQ_MAX, "HTTP/1.0 431 Request Header Fields Too Large\r\n"},
    {"huge", "GET /ppt/x5u%20case/0.pem HTTP/1.0\r\n", 200000, "HTTP/1.0 431 Request Header Fields Too Large\r\n"},
};

START_TEST(status_table)
{
    const status_row *r = &status_rows[_i];
    hx_x5u_server s;
    start(&s);
    size_t n = strlen(r->req);
    char *req = malloc(n + r->pad + 16);
    memcpy(req, r->req, n);
    if (r->pad) { /* one long header line: "X: aaaa...\r\n" */
        memcpy(req + n, "X: ", 3);
        memset(req + n + 3, 'a', r->pad);
        memcpy(req + n + 3 + r->pad, "\r\n", 2);
        n += 5 + r->pad;
    }
    memcpy(req + n, "\r\n", 2);
    n += 2;
    char *got = http(s.port, req, n);
    ck_assert_msg(strncmp(got, r->status, strlen(r->status)) == 0, "%s: got '%.60s'", r->name, got);
    if (strstr(r->status, " 200 ") == NULL)
        ck_assert_msg(strstr(got, "BEGIN CERTIFICATE") == NULL, "%s: body leaked", r->name);
    free(got), free(req);
    hx_x5u_server_cleanup(&s);
}
END_TEST

/* A client that connects and sends nothing does not stop the server for long (2 s), and the
 * next client is served. */
START_TEST(silent_client_times_out)
{
    hx_x5u_server s;
    start(&s);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char *req = "GET /ppt/x5u%20case/0.pem HTTP/1.0\r\n\r\n";
    char *got = http(s.port, req, strlen(req));
    ck_assert_ptr_nonnull(strstr(got, " 200 OK"));
    free(got);
    close(fd);
    hx_x5u_server_cleanup(&s);
}
END_TEST

/* The suite's x5u cases with x5u_map withheld: the reference must fetch each chain. */
START_TEST(fetch_only_against_the_reference)
{
    const char *cli = getenv("HX_STIRMLS"), *vec = getenv("HX_REPO_VECTORS");
    if (cli == NULL || vec == NULL || access(cli, X_OK) != 0) {
        fprintf(stderr, "SKIP: HX_STIRMLS / HX_REPO_VECTORS not set: x5u fetch run not done\n");
        return;
    }
    char *dir = hxt_tmpdir(), *out = hx_path_join(dir, "out"), *impl = hx_printf("stirmls=%s serve", cli);
    char *argv[] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", (char *)vec,
                    "--filter", "*x5u*", "--x5u-fetch-only", "--out", out, NULL};
    int rc = hxt_run(argv, dir);
    char *verdicts = hxt_verdicts(out);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, verdicts ? verdicts : "");
    ck_assert_ptr_nonnull(strstr(verdicts, "ppt/x5u-resolved=PASS"));
    ck_assert_ptr_null(strstr(verdicts, "FAIL"));
    /* the requests carried x5u_fetch and no x5u_map */
    char *journal = hxt_slurp(out, "results.jsonl", NULL);
    ck_assert_ptr_nonnull(journal);
    ck_assert_ptr_nonnull(strstr(journal, "x5u_fetch"));
    ck_assert_ptr_nonnull(strstr(journal, "http://127.0.0.1:"));
    ck_assert_ptr_null(strstr(journal, "x5u_map"));
    free(journal), free(verdicts), free(impl), free(out);
    hxt_rmdir(dir);
    free(dir);
}
END_TEST

Suite *x5u_suite(void);
Suite *x5u_suite(void)
{
    Suite *s = suite_create("x5u");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, serves_the_chain);
    tcase_add_loop_test(tc, status_table, 0, (int)(sizeof status_rows / sizeof status_rows[0]));
    tcase_add_test(tc, silent_client_times_out);
    tcase_add_test(tc, fetch_only_against_the_reference);
    suite_add_tcase(s, tc);
    return s;
}
