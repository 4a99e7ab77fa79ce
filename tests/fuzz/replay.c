/* SPDX-License-Identifier: MIT */
/* Runs the fuzz target over files, without libFuzzer: `make check` replays
 * the corpus with a plain build this way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        char *buf = NULL;
        size_t len = 0, cap = 0, n;

        if (!fp) {
            perror(argv[i]);
            return 1;
        }
        do {
            if (len == cap) {
                char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
                if (!nb) {
                    fclose(fp);
                    free(buf);
                    return 1;
                }
                buf = nb;
            }
            n = fread(buf + len, 1, cap - len, fp);
            len += n;
        } while (n > 0);
        fclose(fp);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
        free(buf);
    }
    return 0;
}
