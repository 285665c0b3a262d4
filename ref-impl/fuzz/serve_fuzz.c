/* serve_fuzz.c: the request framing of `stirmls serve` (stirmls-interop/1): the input is the
 * byte stream on stdin (lines, JSON requests, ops); answers go to /dev/null. The CLI sources are
 * compiled in so the static stream loop is reachable. */
#define _GNU_SOURCE /* netsvc.c (accept4, pipe2), before any header */
#include "fuzz.h"
#include "../cli/cli.c"
#include "../cli/cli_auth.c"
#include "../cli/mls_cli.c"
#include "../cli/serve_ops.c"
#include "../cli/serve_verify.c"
#include "../cli/serve_generate.c"
#include "../cli/serve_fetch.c"
#include "../cli/netsvc.c"
#include "../cli/cmd_serve.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (sink == NULL)
        sink = fopen("/dev/null", "w");
    FUZZ_CHECK(sink != NULL);
    serve_fetch_enabled = 0; /* no network from the fuzzer */
    if (size == 0)
        return 0;
    FILE *in = fmemopen((void *)(uintptr_t)data, size, "r");
    FUZZ_CHECK(in != NULL);
    serve_stream(in, sink);
    fclose(in);
    return 0;
}
