/* SPDX-License-Identifier: MIT */
/* The output file of -o: see outfile.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int qpp_outfile_put(FILE *fp, const char *s)
{
    size_t n = strlen(s);

    return fwrite(s, 1, n, fp) == n && fflush(fp) == 0 ? 0 : -1;
}

/* The temporary file of -o while it exists, for a signal to remove. */
static const char *volatile tmp_name;

static void remove_tmp(int sig)
{
    if (tmp_name)
        unlink(tmp_name);
    raise(sig); /* the default action, restored by SA_RESETHAND, once we return */
}

/* On (1) or off (0): SIGINT, SIGTERM and SIGHUP remove the temporary file
 * before they stop qppbuild.  Signals ignored (nohup) stay ignored. */
static void guard_tmp(int on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    static struct sigaction old[3];
    size_t i;

    for (i = 0; i < 3; i++) {
        if (on) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = remove_tmp;
            sa.sa_flags = (int)SA_RESETHAND;
            sigemptyset(&sa.sa_mask);
            if (sigaction(sigs[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
                sigaction(sigs[i], &sa, NULL);
        } else {
            sigaction(sigs[i], &old[i], NULL);
        }
    }
}

/* write_replacing: a temporary file beside path, then renamed: the file appears
 * whole or not at all, and an old one stays untouched on failure. */
/* A device or FIFO (/dev/null, a named pipe) is not a file to replace:
 * write straight into it, as the shell's > does. */
static int write_direct(const char *path, const char *s)
{
    FILE *fp = fopen(path, "w");
    int saved;

    if (!fp)
        return -1;
    if (qpp_outfile_put(fp, s) < 0) {
        saved = errno;
        fclose(fp);
        errno = saved;
        return -1;
    }
    return fclose(fp) == 0 ? 0 : -1;
}

static int write_replacing(const char *path, const char *s);

/* -o: a regular file (new, or through a symbolic link) appears whole or not
 * at all; anything else is written directly. */
int qpp_outfile_write(const char *path, const char *s)
{
    struct stat st;
    char *real;
    int rc, saved;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_direct(path, s);
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return write_replacing(path, s);
    /* Replace the file the link names, not the link. */
    real = realpath(path, NULL);
    if (!real) /* a dangling link: it names no file to replace */
        return write_direct(path, s);
    rc = write_replacing(real, s);
    saved = errno;
    free(real);
    errno = saved;
    return rc;
}

static int write_replacing(const char *path, const char *s)
{
    struct qpp_buf tmp;
    FILE *fp = NULL;
    struct stat st;
    mode_t mode;
    int fd, rc = -1, saved;

    qpp_buf_init(&tmp);
    qpp_buf_printf(&tmp, "%s.XXXXXX", path);
    if (tmp.failed) {
        errno = ENOMEM;
        return -1;
    }
    guard_tmp(1);
    fd = mkstemp(tmp.s);
    if (fd < 0)
        goto out;
    tmp_name = tmp.s;
    /* mkstemp makes the file 0600: give it the mode a new file would get,
     * or that of the file it replaces. */
    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) < 0) {
        saved = errno;
        close(fd);
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        unlink(tmp.s);
        goto out;
    }
    if (qpp_outfile_put(fp, s) < 0 || fsync(fd) < 0) {
        saved = errno;
        fclose(fp);
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    if (fclose(fp) != 0 || rename(tmp.s, path) != 0) {
        saved = errno;
        unlink(tmp.s);
        errno = saved;
        goto out;
    }
    rc = 0;
out:
    saved = errno;
    tmp_name = NULL;
    guard_tmp(0);
    qpp_buf_free(&tmp);
    errno = saved;
    return rc;
}
