/* SPDX-License-Identifier: MIT */
/*
 * The output file of -o: a regular file appears whole or not at all (a
 * temporary file beside it, renamed over it), an old one stays untouched on
 * failure; a device or FIFO is written straight into, as the shell's > does.
 */
#ifndef QPP_OUTFILE_H
#define QPP_OUTFILE_H

#include <stdio.h>

/* Write s to fp and flush it.  Returns 0, or -1 with errno set. */
int qpp_outfile_put(FILE *fp, const char *s);

/* Write s to path as said above.  While the temporary file exists, SIGINT,
 * SIGTERM and SIGHUP remove it before they stop the process.  Returns 0, or
 * -1 with errno set. */
int qpp_outfile_write(const char *path, const char *s);

#endif
