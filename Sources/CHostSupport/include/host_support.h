#ifndef PQC_HOST_SUPPORT_H
#define PQC_HOST_SUPPORT_H
/* C pieces of the host that Swift cannot express or import from Glibc:
 * - gnutls_skip_init.c: a symbol GnuTLS looks up at load time (nothing to call);
 * - mallopt() and M_ARENA_MAX, and malloc_trim(), which the Glibc module does not export;
 * - crash_guard.c: which plugin a fatal signal hit (a thread-local name and a
 *   signal handler that only calls write(2)), for crash-loop protection;
 * - pipe_cloexec.c: pipe2(O_CLOEXEC), which the Glibc module does not export. */
#include <malloc.h>

/* Marks the calling thread as running `plugin`'s code (a string that lives
 * for the process), or no plugin's. */
void pqc_crash_guard_enter(const char *plugin);
void pqc_crash_guard_leave(void);
/* Installs the fatal-signal handlers; a crash inside a marked thread appends
 * the plugin's name and a newline to `fd`. Returns 0, or -1 with errno. */
int pqc_crash_guard_install(int fd);
/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start. Returns 0, or -1 with errno. */
int pqc_pipe_cloexec(int fds[2]);
#endif
