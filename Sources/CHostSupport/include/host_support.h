#ifndef PQC_HOST_SUPPORT_H
#define PQC_HOST_SUPPORT_H
/* C pieces of the host that Swift cannot express or import from Glibc:
 * - gnutls_skip_init.c: a symbol GnuTLS looks up at load time (nothing to call);
 * - mallopt() and M_ARENA_MAX, which the Glibc module does not export. */
#include <malloc.h>
#endif
