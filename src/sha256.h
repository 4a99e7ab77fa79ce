/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 as FIPS 180-4 (section 6.2) specifies it, for the digests of the
 * input files (--provenance) and of what a partial sum counted (--summary).
 * Streaming: init, any number of updates, final.
 */
#ifndef QPP_SHA256_H
#define QPP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define QPP_SHA256_LEN 32
#define QPP_SHA256_HEX 64 /* its length in hex digits */

struct qpp_sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    unsigned char block[64]; /* a block being filled */
    size_t nblock;
};

void qpp_sha256_init(struct qpp_sha256 *c);
void qpp_sha256_update(struct qpp_sha256 *c, const void *p, size_t n);
/* The digest of everything given; c must be initialised again for reuse. */
void qpp_sha256_final(struct qpp_sha256 *c, unsigned char out[QPP_SHA256_LEN]);

/* The digest as 64 lower-case hex digits and a NUL. */
void qpp_sha256_hex(const unsigned char d[QPP_SHA256_LEN], char hex[QPP_SHA256_HEX + 1]);

#endif
