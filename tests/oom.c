/* SPDX-License-Identifier: MIT */
/* Linked with main.o into build/qppbuild-oom: QPP_FAIL_ONCE=N makes the
 * N-th allocation fail, so that tests/cli-test.sh can check the command
 * line's out-of-memory paths (exit status 3, nothing on stdout). */
#include <stdlib.h>

#include "alloc.h"

__attribute__((constructor)) static void fail_once_from_environment(void)
{
    const char *n = getenv("QPP_FAIL_ONCE");

    if (n)
        qpp_alloc_fail_once(strtoul(n, NULL, 10));
}
