/*
 * certcache.h: parsed certificates shared by their exact DER: a bounded, caller-owned cache
 * (docs/performance.md, "What limits each figure").
 *
 * Parsing a certificate costs about as much as an ECDSA verification with OpenSSL 3.0 (d2i_X509
 * builds a provider decoder context for every subject public key), so a verifier that sees the
 * same intermediates and leaves again (every KeyPackage of a member, every credential under one
 * STI-CA, the chain-validation cache's repeated chains) parses each of them once:
 *
 *   stirmls_certcache *certs = stirmls_certcache_new(256);   // owned
 *   stirmls_stir_binding b;
 *   stirmls_stir_binding_init(&b, trust);
 *   b.certs = certs;                                         // the credential validators parse through it
 *   ...
 *   stirmls_certcache_free(certs);
 *
 * The key is the whole DER, compared byte for byte (a 64-bit hash only finds the candidates):
 * parsing is a function of those bytes alone, so a shared object is exactly what a fresh parse
 * would give. Certificate objects are read-only once parsed. Only successful parses are stored;
 * a failure is parsed (and reported) again every time. When full, the least recently used entry
 * is dropped (a counter of lookups, no clock). Thread-safe: one cache may serve every thread of
 * a process (a mutex guards the table, a parse runs outside it); the certificates it hands out
 * are reference counted atomically and only read, so they may be used on any thread.
 */
#ifndef STIRMLS_CERTCACHE_H
#define STIRMLS_CERTCACHE_H

#include "stirmls/cert.h"

typedef struct stirmls_certcache stirmls_certcache; /* opaque; owned; stirmls_certcache_free */

/* A cache of at most `capacity` certificates (0: never stores). NULL on allocation failure. */
stirmls_certcache *stirmls_certcache_new(size_t capacity);
void stirmls_certcache_free(stirmls_certcache *c);
/* Lookups answered from the cache (hits) and parsed (misses); either pointer may be NULL. */
void stirmls_certcache_stats(const stirmls_certcache *c, uint64_t *hits, uint64_t *misses);

/* stirmls_cert_from_der through the cache, same contract: *out is one reference owned by the
 * caller (stirmls_cert_free), shared with the cache on a hit. c NULL: plain stirmls_cert_from_der. */
STIRMLS_MUST_USE stirmls_reason stirmls_certcache_parse(stirmls_certcache *c, const uint8_t *der, size_t len,
                                                        stirmls_cert **out, stirmls_detail *d);

/* stirmls_cert_list_parse (PEM bundle or one DER certificate) with every certificate parsed
 * through the cache; same contract. c NULL: plain stirmls_cert_list_parse. */
STIRMLS_MUST_USE stirmls_reason stirmls_certcache_list_parse(stirmls_certcache *c, const uint8_t *data,
                                                             size_t len, stirmls_cert_list *out,
                                                             stirmls_detail *d);

#endif
