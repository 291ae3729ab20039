#ifndef PQC_HOST_SUPPORT_H
#define PQC_HOST_SUPPORT_H
/* C pieces of the host that Swift cannot express or import from Glibc:
 * - gnutls_skip_init.c: a symbol GnuTLS looks up at load time (nothing to call);
 * - mallopt() and M_ARENA_MAX, which the Glibc module does not export;
 * - prctl(), variadic, which Swift cannot call (runner_support.c). */
#include <malloc.h>

/* The plugin runner asks to be SIGKILLed when the daemon that started it dies
 * (PR_SET_PDEATHSIG), so a runner stuck in plugin code never outlives it.
 * Returns 0 on success, -1 with errno set. */
int pqc_die_with_parent(void);
#endif
