/* certcache.c: parsed certificates shared by their exact DER (stirmls/certcache.h). One mutex
 * guards the table; a parse runs outside it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/certcache.h"

struct entry {
    uint64_t hash;
    uint64_t used; /* lookup counter at the last hit or store */
    stirmls_cert *cert; /* one reference */
};

struct stirmls_certcache {
    size_t cap, n;
    uint64_t tick, hits, misses;
    struct entry *e;
    pthread_mutex_t lock;
};

stirmls_certcache *stirmls_certcache_new(size_t capacity)
{
    stirmls_certcache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->cap = capacity;
    if ((capacity > 0 && (c->e = calloc(capacity, sizeof *c->e)) == NULL) ||
        pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->e);
        free(c);
        return NULL;
    }
    return c;
}

void stirmls_certcache_free(stirmls_certcache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        stirmls_cert_free(c->e[i].cert);
    pthread_mutex_destroy(&c->lock);
    free(c->e);
    free(c);
}

void stirmls_certcache_stats(const stirmls_certcache *c, uint64_t *hits, uint64_t *misses)
{
    stirmls_certcache *m = (stirmls_certcache *)(uintptr_t)c; /* the lock only */
    if (m)
        pthread_mutex_lock(&m->lock);
    if (hits)
        *hits = c ? c->hits : 0;
    if (misses)
        *misses = c ? c->misses : 0;
    if (m)
        pthread_mutex_unlock(&m->lock);
}

/* FNV-1a, 64 bits: finds candidates only; a hit is decided by comparing the whole DER. */
static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static struct entry *find(stirmls_certcache *c, uint64_t h, const uint8_t *der, size_t len)
{
    for (size_t i = 0; i < c->n; i++) {
        stirmls_slice s = stirmls_cert_der(c->e[i].cert);
        if (c->e[i].hash == h && s.len == len && memcmp(s.ptr, der, len) == 0)
            return &c->e[i];
    }
    return NULL;
}

/* Keep one more reference of cert; when full, drop the least recently used entry. */
static void store(stirmls_certcache *c, uint64_t h, stirmls_cert *cert)
{
    struct entry *slot;
    if (c->cap == 0)
        return;
    if (c->n < c->cap) {
        slot = &c->e[c->n++];
    } else {
        slot = &c->e[0];
        for (size_t i = 1; i < c->n; i++)
            if (c->e[i].used < slot->used)
                slot = &c->e[i];
        stirmls_cert_free(slot->cert);
    }
    slot->hash = h;
    slot->used = c->tick;
    slot->cert = stirmls_cert_up_ref(cert);
}

stirmls_reason stirmls_certcache_parse(stirmls_certcache *c, const uint8_t *der, size_t len, stirmls_cert **out,
                                       stirmls_detail *d)
{
    if (c == NULL)
        return stirmls_cert_from_der(der, len, out, d);
    uint64_t h = fnv1a(der, len);
    pthread_mutex_lock(&c->lock);
    c->tick++;
    struct entry *e = find(c, h, der, len);
    if (e != NULL) {
        c->hits++;
        e->used = c->tick;
        *out = stirmls_cert_up_ref(e->cert);
        pthread_mutex_unlock(&c->lock);
        return STIRMLS_R_OK;
    }
    c->misses++;
    pthread_mutex_unlock(&c->lock);
    stirmls_reason rc = stirmls_cert_from_der(der, len, out, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    pthread_mutex_lock(&c->lock);
    if (find(c, h, der, len) == NULL) /* another thread may have stored the same DER meanwhile */
        store(c, h, *out);
    pthread_mutex_unlock(&c->lock);
    return rc;
}
