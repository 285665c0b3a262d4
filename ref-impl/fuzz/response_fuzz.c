/* response_fuzz.c: the harness's reading of an implementation's answers (harness/src/proto.c):
 * the input is the implementation's stdout, read line by line through hx_read_line (NDJSON
 * framing, CRLF, the line limit) from a pipe; each line is checked by hx_proto_parse_response
 * against request id 1, a result by hx_verify_result_ok, and what the reports keep of it goes
 * through the transcript and report escapes.
 * Invariants: PROTOCOL comes with a reason and no payload; RESULT with an object, ERROR with a
 * string code among the three; the transcript text is valid UTF-8 (jansson takes it); the
 * terminal escape leaves no control byte and the XML escape no markup character. */
#include <fcntl.h>
#include <unistd.h>
#include "fuzz.h"
#include "harness.h"
#include "runner_int.h"

static void escapes(const char *s)
{
    char *t = hx_ctl_escape(s), *x = hx_xml_escape(s);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        FUZZ_CHECK(*p >= 0x20 && *p != 0x7F);
    FUZZ_CHECK(strpbrk(x, "<>\"'") == NULL);
    free(t);
    free(x);
}

static void one_line(const char *line, size_t len)
{
    json_t *doc = NULL, *payload = NULL, *s;
    char *why = NULL, *clean = hx_utf8_clean(line, len, HX_TRANSCRIPT_LINE_MAX);
    s = json_string(clean);
    FUZZ_CHECK(s != NULL);
    json_decref(s);
    free(clean);
    hx_call_status st = hx_proto_parse_response(line, len, 1, &doc, &payload, &why);
    switch (st) {
    case HX_CALL_PROTOCOL:
        FUZZ_CHECK(why != NULL && payload == NULL);
        break;
    case HX_CALL_RESULT:
        FUZZ_CHECK(why == NULL && json_is_object(payload));
        if (hx_verify_result_ok(payload, &why)) {
            escapes(json_string_value(json_object_get(payload, "reason")));
            escapes(json_string_value(json_object_get(payload, "native")));
        } else {
            FUZZ_CHECK(why != NULL);
        }
        break;
    case HX_CALL_ERROR: {
        const char *code = json_string_value(json_object_get(payload, "code"));
        FUZZ_CHECK(why == NULL && code != NULL);
        FUZZ_CHECK(!strcmp(code, "unimplemented") || !strcmp(code, "bad_request") || !strcmp(code, "internal"));
        escapes(json_string_value(json_object_get(payload, "message")));
        break;
    }
    default:
        FUZZ_CHECK(0);
    }
    json_decref(doc);
    free(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fds[2];
    FUZZ_CHECK(pipe(fds) == 0);
    FUZZ_CHECK(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0);
    size_t off = 0;
    while (off < size) { /* at most the pipe's capacity (64 KiB, the -max_len of run.sh) */
        ssize_t w = write(fds[1], data + off, size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fds[1]);
    hx_linebuf lb = {0};
    char *line;
    size_t len, total = 0;
    hx_io io;
    while ((io = hx_read_line(fds[0], &lb, hx_now_ms() + 5000, &line, &len)) == HX_IO_OK) {
        FUZZ_CHECK(line[len] == 0 && len <= HX_LINE_MAX);
        total += len + 1;
        one_line(line, len);
        free(line);
    }
    FUZZ_CHECK(io == HX_IO_EOF && line == NULL && total <= off);
    hx_linebuf_reset(&lb);
    close(fds[0]);
    return 0;
}
