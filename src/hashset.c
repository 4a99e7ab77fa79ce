/* SPDX-License-Identifier: MIT */
/* Open addressing with linear probing; see hashset.h. */
#include "hashset.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static size_t slot(const struct qpp_hashset *s, unsigned long long key)
{
    return (size_t)(key ^ (key >> 29)) & (s->cap - 1);
}

static int grow(struct qpp_hashset *s)
{
    struct qpp_hashset bigger = {NULL, 0, s->cap ? s->cap * 2 : 4};
    size_t i;

    bigger.v = qpp_calloc(bigger.cap, sizeof *bigger.v);
    if (!bigger.v)
        return -1;
    for (i = 0; i < s->cap; i++) {
        if (s->v[i].key) {
            size_t k = slot(&bigger, s->v[i].key);
            while (bigger.v[k].key)
                k = (k + 1) & (bigger.cap - 1);
            bigger.v[k] = s->v[i];
        }
    }
    bigger.n = s->n;
    qpp_free(s->v);
    *s = bigger;
    return 0;
}

const struct qpp_seen *qpp_hashset_get(const struct qpp_hashset *s,
                                       unsigned long long key)
{
    size_t k;

    if (!s->cap)
        return NULL;
    key = key ? key : 1;
    for (k = slot(s, key); s->v[k].key; k = (k + 1) & (s->cap - 1))
        if (s->v[k].key == key)
            return &s->v[k];
    return NULL;
}

const struct qpp_seen *qpp_hashset_put(struct qpp_hashset *s, unsigned long long key,
                                       unsigned long long value, unsigned int line,
                                       unsigned int source, int *nomem)
{
    const struct qpp_seen *found = qpp_hashset_get(s, key);
    size_t k;

    if (found)
        return found;
    key = key ? key : 1;
    /* Keep the table at most three quarters full. */
    if (4 * (s->n + 1) > 3 * s->cap && grow(s) < 0) {
        *nomem = 1;
        return NULL;
    }
    for (k = slot(s, key); s->v[k].key; k = (k + 1) & (s->cap - 1))
        ;
    s->v[k].key = key;
    s->v[k].value = value;
    s->v[k].line = line;
    s->v[k].source = source;
    s->n++;
    return NULL;
}

void qpp_hashset_free(struct qpp_hashset *s)
{
    qpp_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* ---- keys ---- */

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static unsigned long long load_le(const unsigned char *p, size_t n)
{
    unsigned long long w = 0;
    size_t i;

    for (i = 0; i < n; i++)
        w |= (unsigned long long)p[i] << (8 * i);
    return w;
}

struct sip {
    unsigned long long v0, v1, v2, v3;
};

static void sip_rounds(struct sip *s, int n)
{
    while (n-- > 0) {
        s->v0 += s->v1;
        s->v1 = ROTL(s->v1, 13);
        s->v1 ^= s->v0;
        s->v0 = ROTL(s->v0, 32);
        s->v2 += s->v3;
        s->v3 = ROTL(s->v3, 16);
        s->v3 ^= s->v2;
        s->v0 += s->v3;
        s->v3 = ROTL(s->v3, 21);
        s->v3 ^= s->v0;
        s->v2 += s->v1;
        s->v1 = ROTL(s->v1, 17);
        s->v1 ^= s->v2;
        s->v2 = ROTL(s->v2, 32);
    }
}

static void sip_word(struct sip *s, unsigned long long m)
{
    s->v3 ^= m;
    sip_rounds(s, 2);
    s->v0 ^= m;
}

unsigned long long qpp_siphash(const unsigned char k[16], const void *p, size_t n)
{
    const unsigned char *b = p;
    unsigned long long k0 = load_le(k, 8), k1 = load_le(k + 8, 8);
    struct sip s = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
                    k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
    size_t i;

    for (i = 0; i + 8 <= n; i += 8)
        sip_word(&s, load_le(b + i, 8));
    sip_word(&s, load_le(b + i, n - i) | (unsigned long long)(n & 0xff) << 56);
    s.v2 ^= 0xff;
    sip_rounds(&s, 4);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

static unsigned char process_key[16];
static pthread_once_t process_key_once = PTHREAD_ONCE_INIT;

/* From the system's random source; should that fail, from what differs
 * between runs (time, process id), which still defeats precomputed input. */
static void draw_process_key(void)
{
    FILE *fp = fopen("/dev/urandom", "rb");
    size_t got = fp ? fread(process_key, 1, sizeof process_key, fp) : 0;
    unsigned long long seed[2];

    if (fp)
        fclose(fp);
    if (got == sizeof process_key)
        return;
    seed[0] = (unsigned long long)time(NULL) ^ (unsigned long long)clock() << 32;
    seed[1] = (unsigned long long)getpid() ^ (unsigned long long)(size_t)&seed;
    memcpy(process_key, seed, sizeof process_key);
}

unsigned long long qpp_hashset_key(const char *s, size_t n, unsigned domain)
{
    unsigned char k[16];

    pthread_once(&process_key_once, draw_process_key);
    memcpy(k, process_key, sizeof k);
    k[0] ^= (unsigned char)domain;
    return qpp_siphash(k, s, n);
}
