/*
 * chaincache.c: accepted chain validations, keyed by the exact bytes of their inputs
 * (chaincache.h). An entry is found by a 64-bit FNV-1a hash of its key and confirmed by comparing
 * the whole key, so two different inputs never share an entry. One mutex guards the table; a
 * validation runs outside it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/chaincache.h"

#define KEY_TAG "stirmls chaincache v2"

struct cc_entry {
    uint64_t hash;            /* FNV-1a of key */
    uint8_t *key;             /* owned; NULL = free slot */
    size_t key_len;
    uint64_t not_before;      /* validity window of the path: latest notBefore ... */
    uint64_t not_after;       /* ... earliest notAfter (both inclusive) */
    uint64_t used;            /* value of the lookup counter at the last use */
    stirmls_chain_result res; /* owned */
};

struct stirmls_chaincache {
    size_t cap;
    struct cc_entry *e; /* cap slots */
    uint64_t tick;      /* lookups so far: the LRU order */
    uint64_t hits, misses;
    pthread_mutex_t lock;
};

stirmls_chaincache *stirmls_chaincache_new(size_t capacity)
{
    stirmls_chaincache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->cap = capacity;
    if ((capacity > 0 && (capacity > SIZE_MAX / sizeof *c->e || (c->e = calloc(capacity, sizeof *c->e)) == NULL)) ||
        pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->e);
        free(c);
        return NULL;
    }
    return c;
}

static void entry_clear(struct cc_entry *e)
{
    free(e->key);
    stirmls_chain_result_cleanup(&e->res);
    memset(e, 0, sizeof *e);
}

void stirmls_chaincache_free(stirmls_chaincache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->cap; i++)
        entry_clear(&c->e[i]);
    pthread_mutex_destroy(&c->lock);
    free(c->e);
    free(c);
}

/* The lock of a cache read through a const pointer (the counters move under it). */
static pthread_mutex_t *lock_of(const stirmls_chaincache *c)
{
    return c ? &((stirmls_chaincache *)(uintptr_t)c)->lock : NULL;
}

void stirmls_chaincache_stats(const stirmls_chaincache *c, uint64_t *hits, uint64_t *misses)
{
    if (c)
        pthread_mutex_lock(lock_of(c));
    if (hits)
        *hits = c ? c->hits : 0;
    if (misses)
        *misses = c ? c->misses : 0;
    if (c)
        pthread_mutex_unlock(lock_of(c));
}

size_t stirmls_chaincache_size(const stirmls_chaincache *c)
{
    size_t n = 0;
    if (c)
        pthread_mutex_lock(lock_of(c));
    for (size_t i = 0; c && i < c->cap; i++)
        n += c->e[i].key != NULL;
    if (c)
        pthread_mutex_unlock(lock_of(c));
    return n;
}

/* ---- the key ------------------------------------------------------------------------------ */

static void put_bytes(stirmls_buf *b, const void *p, size_t n)
{
    stirmls_buf_put_u64(b, (uint64_t)n);
    stirmls_buf_put(b, p, n);
}

/* Every input stirmls_chain_verify reads except the time and the reference TN, each
 * length-prefixed (unambiguous). The TN is checked after the lookup (stirmls_chain_check_tn), so the
 * members of a carrier with different numbers share one entry. */
static stirmls_reason build_key(stirmls_cert *const *chain, size_t n, const stirmls_chain_opts *o,
                                stirmls_buf *b)
{
    uint8_t anchors[STIRMLS_SHA256_LEN];
    stirmls_trust_digest(o->trust, anchors);
    put_bytes(b, KEY_TAG, sizeof KEY_TAG - 1);
    put_bytes(b, anchors, sizeof anchors);
    stirmls_buf_put_u64(b, (uint64_t)(o->max_len ? o->max_len : STIRMLS_MAX_CHAIN_DEFAULT));
    stirmls_buf_put_u32(b, o->anchor_flags);
    stirmls_buf_put_u64(b, (uint64_t)o->trust_spc.n);
    for (size_t i = 0; i < o->trust_spc.n; i++)
        put_bytes(b, o->trust_spc.spc[i], strlen(o->trust_spc.spc[i]));
    stirmls_buf_put_u64(b, (uint64_t)n);
    for (size_t i = 0; i < n; i++) {
        stirmls_slice der = stirmls_cert_der(chain[i]);
        put_bytes(b, der.ptr, der.len);
    }
    return stirmls_buf_status(b);
}

/* FNV-1a over 64-bit words (the tail byte by byte): only finds a candidate, which the whole key
 * then confirms. */
static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h ^= w;
        h *= 0x100000001b3u;
        h ^= h >> 29;
    }
    for (; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static struct cc_entry *find(stirmls_chaincache *c, uint64_t h, const stirmls_buf *key)
{
    for (size_t i = 0; i < c->cap; i++) {
        struct cc_entry *e = &c->e[i];
        if (e->key != NULL && e->hash == h && e->key_len == key->len && memcmp(e->key, key->ptr, key->len) == 0)
            return e;
    }
    return NULL;
}

/* ---- copies of a result ------------------------------------------------------------------- */

static stirmls_tnauthlist *list_copy(const stirmls_tnauthlist *l)
{
    stirmls_tnauthlist *r = stirmls_tnauthlist_new();
    if (r == NULL || l->n == 0)
        return r;
    if ((r->entries = calloc(l->n, sizeof *r->entries)) == NULL)
        goto fail;
    for (; r->n < l->n; r->n++) {
        r->entries[r->n] = l->entries[r->n];
        if ((r->entries[r->n].value = strdup(l->entries[r->n].value)) == NULL)
            goto fail;
    }
    return r;
fail:
    stirmls_tnauthlist_free(r);
    return NULL;
}

/* A result sharing the certificates and key (reference counted) and copying the identities. */
static stirmls_reason result_copy(const stirmls_chain_result *src, stirmls_chain_result *dst)
{
    stirmls_reason rc = STIRMLS_R_OK;
    memset(dst, 0, sizeof *dst);
    dst->carrier_asserted = src->carrier_asserted;
    dst->not_after = src->not_after;
    if (src->identities != NULL && (dst->identities = list_copy(src->identities)) == NULL) {
        rc = STIRMLS_R_INTERNAL;
        goto out;
    }
    if (src->path.n > 0 && (dst->path.certs = calloc(src->path.n, sizeof *dst->path.certs)) == NULL) {
        rc = STIRMLS_R_INTERNAL;
        goto out;
    }
    for (; dst->path.n < src->path.n; dst->path.n++)
        dst->path.certs[dst->path.n] = stirmls_cert_up_ref(src->path.certs[dst->path.n]);
    if (src->leaf_key != NULL)
        dst->leaf_key = stirmls_key_up_ref(src->leaf_key);
out:
    if (rc != STIRMLS_R_OK)
        stirmls_chain_result_cleanup(dst);
    return rc;
}

/* ---- lookups and inserts ------------------------------------------------------------------ */

/* The slot for a new entry: a free one, else the least recently used. */
static struct cc_entry *victim(stirmls_chaincache *c)
{
    struct cc_entry *v = &c->e[0];
    for (size_t i = 0; i < c->cap; i++) {
        if (c->e[i].key == NULL)
            return &c->e[i];
        if (c->e[i].used < v->used)
            v = &c->e[i];
    }
    return v;
}

/* Store an accepted result under key (best effort: nothing is stored when memory runs out). */
static void insert(stirmls_chaincache *c, struct cc_entry *old, uint64_t h, stirmls_buf *key,
                   const stirmls_chain_result *res, unsigned anchor_flags)
{
    if (c->cap == 0)
        return;
    struct cc_entry *e = old != NULL ? old : victim(c);
    entry_clear(e);
    if (result_copy(res, &e->res) != STIRMLS_R_OK)
        return;
    e->not_before = 0;
    e->not_after = UINT64_MAX;
    for (size_t i = 0; i < stirmls_chain_timed(&res->path, anchor_flags); i++) {
        uint64_t nb = stirmls_cert_not_before(res->path.certs[i]), na = stirmls_cert_not_after(res->path.certs[i]);
        e->not_before = nb > e->not_before ? nb : e->not_before;
        e->not_after = na < e->not_after ? na : e->not_after;
    }
    e->hash = h;
    e->used = c->tick;
    e->key = stirmls_buf_take(key, &e->key_len);
    if (e->key == NULL)
        entry_clear(e);
}

stirmls_reason stirmls_chaincache_verify(stirmls_chaincache *c, stirmls_cert *const *chain, size_t n,
                                         const stirmls_chain_opts *o, stirmls_chain_result *res,
                                         stirmls_detail *d)
{
    if (c == NULL || o->trust == NULL || (o->tn != NULL && !stirmls_tn_valid(o->tn)))
        return stirmls_chain_verify(chain, n, o, res, d); /* the last: USAGE, as without a cache */
    stirmls_chain_opts chain_only = *o;
    chain_only.tn = NULL;
    stirmls_buf key;
    stirmls_buf_init(&key);
    if (build_key(chain, n, o, &key) != STIRMLS_R_OK) {
        stirmls_buf_cleanup(&key);
        pthread_mutex_lock(&c->lock);
        c->tick++;
        c->misses++;
        pthread_mutex_unlock(&c->lock);
        return stirmls_chain_verify(chain, n, o, res, d);
    }
    stirmls_reason rc;
    uint64_t h = fnv1a(key.ptr, key.len);
    pthread_mutex_lock(&c->lock);
    c->tick++;
    struct cc_entry *e = find(c, h, &key);
    if (e != NULL && e->not_before <= o->at && o->at <= e->not_after && result_copy(&e->res, res) == STIRMLS_R_OK) {
        e->used = c->tick;
        c->hits++;
        pthread_mutex_unlock(&c->lock);
        stirmls_buf_cleanup(&key);
        return stirmls_chain_check_tn(res, o, d);
    }
    c->misses++;
    pthread_mutex_unlock(&c->lock);
    rc = stirmls_chain_verify(chain, n, &chain_only, res, d);
    if (rc == STIRMLS_R_OK) {
        pthread_mutex_lock(&c->lock); /* the table may have changed meanwhile: look again */
        insert(c, find(c, h, &key), h, &key, res, o->anchor_flags);
        pthread_mutex_unlock(&c->lock);
        rc = stirmls_chain_check_tn(res, o, d);
    }
    stirmls_buf_cleanup(&key);
    return rc;
}
