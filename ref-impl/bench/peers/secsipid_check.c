/*
 * secsipid_check.c: libsecsipid's SecSIPIDCheckFull (signature, claims and the certificate chain
 * to the anchors: CertVerify 1|4, as harness/adapters/secsipidx drives it) on the bench PASSporT,
 * in a loop, per CPU second of the process. Built by ref-impl/bench/run.sh only when pkg-config finds secsipid-1 (not part of
 * make all).
 *
 *   secsipid-check DIR [SECONDS]   -> "libsecsipid SecSIPIDCheckFull (with chain): N/s"
 *
 * The library reads the clock: the PASSporT's age is allowed for in `expire`, and the test PKI's
 * certificates must be valid at the time of the run (2026-01-01 .. 2027-01-01); outside that
 * window the first check fails and the line says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <secsipid.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* all threads: the Go runtime's too */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    char *buf = calloc(1, 65536);
    if (f == NULL || buf == NULL || fread(buf, 1, 65535, f) == 0) {
        if (f)
            fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = 0;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fprintf(stderr, "usage: secsipid-check DIR [SECONDS]\n"), 2;
    double seconds = argc > 2 ? atof(argv[2]) : 0.5;
    char signer[4096], ca[4096], identity[8192];
    char *token = slurp(argv[1], "passport.jwt"), *at = slurp(argv[1], "at.txt"), *x5u = slurp(argv[1], "x5u.txt");
    if (token == NULL || at == NULL || x5u == NULL)
        return fprintf(stderr, "secsipid-check: cannot read %s\n", argv[1]), 2;
    snprintf(signer, sizeof signer, "%s/chain.pem", argv[1]);
    snprintf(ca, sizeof ca, "%s/root.pem", argv[1]);
    /* info = the header's x5u (the library compares them); the key path is the chain file */
    snprintf(identity, sizeof identity, "%s;info=<%s>;alg=ES256", token, x5u);
    long long age = (long long)time(NULL) - strtoll(at, NULL, 10) + 3600;
    SecSIPIDOptSetN("CertVerify", 1 | 4);
    SecSIPIDOptSetS("CertCAFile", ca);
    int rc = SecSIPIDCheckFull(identity, 0, (int)age, signer, 5);
    if (rc != 0) {
        printf("libsecsipid SecSIPIDCheckFull (with chain): not measured (the check returned %d)\n", rc);
        return 1;
    }
    double best = 0;
    for (int r = 0; r < 3; r++) {
        unsigned long n = 0;
        double t0 = now(), dt;
        do {
            for (int i = 0; i < 8; i++)
                if (SecSIPIDCheckFull(identity, 0, (int)age, signer, 5) != 0)
                    return printf("libsecsipid SecSIPIDCheckFull: a check failed in the loop\n"), 1;
            n += 8;
        } while ((dt = now() - t0) < seconds);
        if ((double)n / dt > best)
            best = (double)n / dt;
    }
    printf("libsecsipid SecSIPIDCheckFull (with chain): %.0f/s\n", best);
    free(token);
    free(at);
    free(x5u);
    return 0;
}
