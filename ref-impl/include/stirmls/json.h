/*
 * json.h: the library's one JSON wrapper (jansson stays inside src/codec/json.c).
 *
 * Parsing: duplicate member names are rejected (JSON_DUPLICATE_MEMBER), anything else that does
 * not parse is JSON_INVALID (with the byte offset); integers are exact signed 64-bit values
 * (larger ones do not parse); NUL inside strings is rejected.
 *
 * Deterministic form (RFC 8225 §9): no whitespace; object members sorted by name in code-point
 * order (= byte order of UTF-8), recursively, including objects inside arrays; strings escape
 * only '"', '\\' and control characters (\b \f \n \r \t, others \u00XX); everything else is
 * raw UTF-8 ('/' is not escaped).
 *
 * Values are opaque. A parsed document is owned (stirmls_json_free); values reached through
 * get/at/iter are borrowed from their document.
 */
#ifndef STIRMLS_JSON_H
#define STIRMLS_JSON_H

#include "stirmls/base.h"

typedef struct stirmls_json stirmls_json;

typedef enum stirmls_json_type {
    STIRMLS_JSON_OBJECT,
    STIRMLS_JSON_ARRAY,
    STIRMLS_JSON_STRING,
    STIRMLS_JSON_INTEGER,
    STIRMLS_JSON_REAL,
    STIRMLS_JSON_TRUE,
    STIRMLS_JSON_FALSE,
    STIRMLS_JSON_NULL
} stirmls_json_type;

/* Parse text[0..len). Any JSON value at top level is allowed. *out owned. */
STIRMLS_MUST_USE stirmls_reason stirmls_json_parse(const void *text, size_t len, stirmls_json **out,
                                                   stirmls_detail *d);
void stirmls_json_free(stirmls_json *j);

stirmls_json_type stirmls_json_typeof(const stirmls_json *j);
/* Member of an object (borrowed), NULL when j is not an object or has no such member. */
stirmls_json *stirmls_json_get(const stirmls_json *j, const char *name);
/* Number of elements of an array or members of an object; 0 for other types. */
size_t stirmls_json_size(const stirmls_json *j);
/* Element i of an array (borrowed), NULL when out of range or not an array. */
stirmls_json *stirmls_json_at(const stirmls_json *j, size_t i);
/* The string (NUL-terminated, borrowed) or NULL when not a string; *len may be NULL. */
const char *stirmls_json_string(const stirmls_json *j, size_t *len);
/* 1 and *out when j is an integer, else 0. */
int stirmls_json_int(const stirmls_json *j, int64_t *out);

/* Object iteration: it = stirmls_json_iter(obj); while (it) { key(it), value(it); it = next(obj, it) } */
void *stirmls_json_iter(const stirmls_json *obj);
void *stirmls_json_iter_next(const stirmls_json *obj, void *it);
const char *stirmls_json_iter_key(void *it);
stirmls_json *stirmls_json_iter_value(void *it);

/* Building (for signers): a new empty object (owned), and setting a string member (copied). */
stirmls_json *stirmls_json_new_object(void);
STIRMLS_MUST_USE stirmls_reason stirmls_json_set_string(stirmls_json *obj, const char *name,
                                                        const char *value);

/* Append the deterministic serialization of j to out. */
STIRMLS_MUST_USE stirmls_reason stirmls_json_serialize(const stirmls_json *j, stirmls_buf *out);
/* OK when text[0..len) is byte-for-byte the deterministic serialization of its own parse;
 * JSON_NONCANONICAL otherwise (offset = first differing byte); parse errors as stirmls_json_parse. */
STIRMLS_MUST_USE stirmls_reason stirmls_json_check_deterministic(const void *text, size_t len,
                                                                 stirmls_detail *d);
/* The same check for text already parsed into j (stirmls_json_parse of text[0..len)), without
 * parsing it again. */
STIRMLS_MUST_USE stirmls_reason stirmls_json_check_serialized(const stirmls_json *j, const void *text,
                                                              size_t len, stirmls_detail *d);

#endif
