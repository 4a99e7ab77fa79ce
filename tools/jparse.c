/* SPDX-License-Identifier: MIT */
/*
 * jparse: the benchmark's yardstick.  jansson alone parses each line of an
 * NDJSON file, as qppbuild loads JSON, and does nothing else.
 *
 * usage: jparse FILE
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    FILE *fp;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long values = 0, errors = 0;

    if (argc != 2 || !(fp = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: jparse FILE\n");
        return 2;
    }
    while ((n = getline(&line, &cap, fp)) > 0) {
        json_error_t err;
        json_t *j = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &err);
        if (j)
            values++;
        else
            errors++;
        json_decref(j);
    }
    free(line);
    fclose(fp);
    printf("%lu values, %lu errors\n", values, errors);
    return errors ? 1 : 0;
}
