/* clibad_test.c: bad input to every CLI verb (issue 8): nonexistent, empty, binary, truncated and
 * 100 MB inputs and wrong argument combinations. Each row must give exit 2, nothing on stdout,
 * exactly one line on stderr, no crash, and no output file left behind. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testlib/testlib.h"

static char *dir;
/* @E empty file, @B binary junk, @BIG a sparse 100 MB file, @T truncated PEM, @G good PEM chain,
 * @K good key, @J claims JSON, @O an output path that must not be created, @N nonexistent */
static char p_empty[600], p_bin[600], p_big[600], p_trunc[600], p_chain[600], p_key[600], p_json[600],
    p_out[600], p_none[600], p_root[600];

static void put(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
    dir = tl_tmpdir();
#define P(v, name) snprintf(v, sizeof v, "%s/%s", dir, name)
    P(p_empty, "empty"), P(p_bin, "binary"), P(p_big, "big"), P(p_trunc, "trunc.pem"), P(p_chain, "chain.pem");
    P(p_key, "key.pem"), P(p_json, "claims.json"), P(p_out, "out.bin"), P(p_none, "nonexistent"), P(p_root, "root.pem");
#undef P
    put(p_empty, "", 0);
    uint8_t junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 151 + 7);
    put(p_bin, junk, sizeof junk);
    int fd = open(p_big, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ck_assert(fd >= 0 && ftruncate(fd, 100L * 1024 * 1024) == 0);
    close(fd);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' pki generate --seed bad --out '%s' >/dev/null", getenv("STIRMLS_CLI"), dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "cp '%s/range-ee.chain.pem' '%s' && cp '%s/range-ee.key.pem' '%s' && head -c 300 '%s' > '%s'",
             dir, p_chain, dir, p_key, p_chain, p_trunc);
    ck_assert_int_eq(system(cmd), 0);
    put(p_json, "{\"orig\":{\"tn\":\"12155550150\"},\"iat\":1780272000,\"dest\":{\"uri\":[\"mimi://x\"]}}", 74);
}

static void teardown(void)
{
    tl_rmdir(dir);
    free(dir);
}

static const char *subst(const char *a)
{
    static const struct {
        const char *tag;
        const char *path;
    } map[] = {{"@E", p_empty}, {"@B", p_bin}, {"@BIG", p_big}, {"@T", p_trunc}, {"@G", p_chain},
               {"@K", p_key},   {"@J", p_json}, {"@O", p_out},  {"@N", p_none},  {"@R", p_root}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(a, map[i].tag) == 0)
            return map[i].path;
    return a;
}

struct bad {
    const char *name;
    const char *argv[24];
};

static const struct bad rows[] = {
    /* top level */
    {"no verb", {NULL}},
    {"unknown verb", {"frobnicate", NULL}},
    /* tnauthlist */
    {"tna decode nonexistent", {"tnauthlist", "decode", "@N", NULL}},
    {"tna decode empty", {"tnauthlist", "decode", "@E", NULL}},
    {"tna decode 100 MB", {"tnauthlist", "decode", "@BIG", NULL}},
    {"tna decode no file", {"tnauthlist", "decode", NULL}},
    {"tna encode nothing", {"tnauthlist", "encode", NULL}},
    {"tna encode bad TN", {"tnauthlist", "encode", "--one", "12a", NULL}},
    {"tna encode range count 1", {"tnauthlist", "encode", "--range", "12155550100:1", NULL}},
    {"tna encode range no count", {"tnauthlist", "encode", "--range", "12155550100", NULL}},
    {"tna unknown sub", {"tnauthlist", "print", "@G", NULL}},
    /* cert */
    {"cert verify no args", {"cert", "verify", NULL}},
    {"cert verify chain nonexistent", {"cert", "verify", "--chain", "@N", "--trust", "@R", "--at", "1", NULL}},
    {"cert verify chain empty", {"cert", "verify", "--chain", "@E", "--trust", "@R", "--at", "1", NULL}},
    {"cert verify chain 100 MB", {"cert", "verify", "--chain", "@BIG", "--trust", "@R", "--at", "1", NULL}},
    {"cert verify chain binary", {"cert", "verify", "--chain", "@J", "--trust", "@R", "--at", "1", NULL}},
    {"cert verify trust empty", {"cert", "verify", "--chain", "@G", "--trust", "@E", "--at", "1", NULL}},
    {"cert verify no --at", {"cert", "verify", "--chain", "@G", "--trust", "@R", NULL}},
    {"cert verify bad --at", {"cert", "verify", "--chain", "@G", "--trust", "@R", "--at", "noon", NULL}},
    {"cert verify negative --at", {"cert", "verify", "--chain", "@G", "--trust", "@R", "--at", "-5", NULL}},
    {"cert verify bad --tn", {"cert", "verify", "--chain", "@G", "--trust", "@R", "--at", "1", "--tn", "abc", NULL}},
    {"cert verify dangling option", {"cert", "verify", "--chain", "@G", "--trust", "@R", "--at", NULL}},
    {"cert show nonexistent", {"cert", "show", "@N", NULL}},
    {"cert show empty", {"cert", "show", "@E", NULL}},
    /* pki */
    {"pki no seed", {"pki", "generate", "--out", "@O", NULL}},
    {"pki no out", {"pki", "generate", "--seed", "s", NULL}},
    {"pki out is a file", {"pki", "generate", "--seed", "s", "--out", "@J", NULL}},
    /* passport */
    {"passport no sub", {"passport", NULL}},
    {"passport sign no key", {"passport", "sign", "--x5u", "https://a", "--claims", "@J", NULL}},
    {"passport sign key nonexistent", {"passport", "sign", "--key", "@N", "--x5u", "https://a", "--claims", "@J", NULL}},
    {"passport sign key binary", {"passport", "sign", "--key", "@B", "--x5u", "https://a", "--claims", "@J", NULL}},
    {"passport sign key truncated", {"passport", "sign", "--key", "@T", "--x5u", "https://a", "--claims", "@J", NULL}},
    {"passport sign claims empty", {"passport", "sign", "--key", "@K", "--x5u", "https://a", "--claims", "@E", NULL}},
    {"passport sign claims binary", {"passport", "sign", "--key", "@K", "--x5u", "https://a", "--claims", "@B", NULL}},
    {"passport sign claims 100 MB", {"passport", "sign", "--key", "@K", "--x5u", "https://a", "--claims", "@BIG", NULL}},
    {"passport sign bad ppt", {"passport", "sign", "--key", "@K", "--x5u", "https://a", "--claims", "@J", "--ppt", "zzz", NULL}},
    {"passport verify no args", {"passport", "verify", NULL}},
    {"passport verify token nonexistent", {"passport", "verify", "--passport", "@N", "--chain", "@G", "--trust", "@R", "--at", "1", "--signature-key", "04", NULL}},
    {"passport verify token empty", {"passport", "verify", "--passport", "@E", "--chain", "@G", "--trust", "@R", "--at", "1", "--signature-key", "04", NULL}},
    {"passport verify token 100 MB", {"passport", "verify", "--passport", "@BIG", "--chain", "@G", "--trust", "@R", "--at", "1", "--signature-key", "04", NULL}},
    {"passport verify chain empty", {"passport", "verify", "--passport", "@J", "--chain", "@E", "--trust", "@R", "--at", "1", "--signature-key", "04", NULL}},
    {"passport verify mls without key", {"passport", "verify", "--passport", "@J", "--chain", "@G", "--trust", "@R", "--at", "1", NULL}},
    {"passport verify bad profile", {"passport", "verify", "--passport", "@J", "--chain", "@G", "--trust", "@R", "--at", "1", "--profile", "web", NULL}},
    {"passport verify bad key hex", {"passport", "verify", "--passport", "@J", "--chain", "@G", "--trust", "@R", "--at", "1", "--signature-key", "zz", NULL}},
    {"passport verify bad max-age", {"passport", "verify", "--passport", "@J", "--chain", "@G", "--trust", "@R", "--at", "1", "--signature-key", "04", "--max-age", "week", NULL}},
    /* mky */
    {"mky no key", {"mky", NULL}},
    {"mky odd hex", {"mky", "--signature-key", "abc", NULL}},
    /* keypackage */
    {"kp no sub", {"keypackage", NULL}},
    {"kp create no key", {"keypackage", "create", "--credential-type", "basic", "--not-before", "1", "--not-after", "2", "--out", "@O", NULL}},
    {"kp create key binary", {"keypackage", "create", "--credential-type", "basic", "--signature-key-pem", "@B", "--not-before", "1", "--not-after", "2", "--out", "@O", NULL}},
    {"kp create bad type", {"keypackage", "create", "--credential-type", "magic", "--signature-key-pem", "@K", "--not-before", "1", "--not-after", "2", "--out", "@O", NULL}},
    {"kp create chain empty", {"keypackage", "create", "--credential-type", "certificate", "--signature-key-pem", "@K", "--chain", "@E", "--not-before", "1", "--not-after", "2", "--out", "@O", NULL}},
    {"kp create no lifetime", {"keypackage", "create", "--credential-type", "basic", "--signature-key-pem", "@K", "--out", "@O", NULL}},
    {"kp verify no --in", {"keypackage", "verify", "--at", "1", NULL}},
    {"kp verify nonexistent", {"keypackage", "verify", "--in", "@N", "--at", "1", NULL}},
    {"kp verify empty", {"keypackage", "verify", "--in", "@E", "--at", "1", NULL}},
    {"kp verify 100 MB", {"keypackage", "verify", "--in", "@BIG", "--at", "1", NULL}},
    {"kp verify hex of junk", {"keypackage", "verify", "--in", "@B", "--hex", "--at", "1", NULL}},
    {"kp verify trust binary", {"keypackage", "verify", "--in", "@B", "--at", "1", "--trust", "@B", NULL}},
    {"kp verify no --at", {"keypackage", "verify", "--in", "@B", NULL}},
    {"kp verify bad codepoint", {"keypackage", "verify", "--in", "@B", "--at", "1", "--stir-passport-type", "0x0A0A", NULL}},
    {"kp inspect nonexistent", {"keypackage", "inspect", "--in", "@N", NULL}},
    /* credential */
    {"cred verify no key", {"credential", "verify", "--in", "@B", "--at", "1", NULL}},
    {"cred verify bad key", {"credential", "verify", "--in", "@B", "--signature-key", "xyz", "--at", "1", NULL}},
    {"cred verify empty", {"credential", "verify", "--in", "@E", "--signature-key", "04", "--at", "1", NULL}},
    /* serve, reasons */
    {"serve bad listen", {"serve", "--listen", "nohostport", NULL}},
    {"serve listen without host", {"serve", "--listen", ":7000", NULL}},
    {"serve listen wildcard", {"serve", "--listen", "*:7000", NULL}},
    {"serve listen twice", {"serve", "--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0", NULL}},
    {"serve bad allow prefix", {"serve", "--listen", "127.0.0.1:0", "--allow", "10.0.0.0/33", NULL}},
    {"serve bad allow address", {"serve", "--listen", "127.0.0.1:0", "--allow", "10.0.0/8", NULL}},
    {"serve missing token file", {"serve", "--listen", "127.0.0.1:0", "--token", "@N", NULL}},
    {"serve empty token file", {"serve", "--listen", "127.0.0.1:0", "--token", "@E", NULL}},
    {"serve idle zero", {"serve", "--listen", "127.0.0.1:0", "--idle", "0", NULL}},
    {"serve max-conn zero", {"serve", "--listen", "127.0.0.1:0", "--max-conn", "0", NULL}},
    {"serve allow without listen", {"serve", "--allow", "127.0.0.1", NULL}},
    {"serve cannot listen", {"serve", "--listen", "192.0.2.1:1", NULL}},
    {"serve extra args", {"serve", "now", NULL}},
    {"reasons bad option", {"reasons", "--xml", NULL}},
};

START_TEST(bad_input_is_one_line_exit_2)
{
    const struct bad *r = &rows[_i];
    const char *args[24];
    size_t n = 0;
    for (; r->argv[n]; n++)
        args[n] = subst(r->argv[n]);
    args[n] = NULL;
    remove(p_out);
    char *out = NULL, *err = NULL;
    int st = tl_run_cli(args, &out, &err);
    ck_assert_msg(st == 2, "%s: exit %d (stdout %.200s, stderr %.200s)", r->name, st, out, err);
    ck_assert_msg(out[0] == 0, "%s: stdout not empty: %.200s", r->name, out);
    size_t len = strlen(err);
    ck_assert_msg(len > 0 && strchr(err, '\n') == err + len - 1, "%s: want one stderr line, got '%s'", r->name, err);
    ck_assert_msg(access(p_out, F_OK) != 0, "%s: an output file was left behind", r->name);
    free(out);
    free(err);
}
END_TEST

Suite *clibad_suite(void);
Suite *clibad_suite(void)
{
    Suite *s = suite_create("clibad");
    TCase *tc = tcase_create("usage");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, bad_input_is_one_line_exit_2, 0, sizeof rows / sizeof rows[0]);
    suite_add_tcase(s, tc);
    return s;
}
