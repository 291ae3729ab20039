/*
 * Skip GnuTLS's implicit initialisation at load time.
 *
 * libpq links libldap, which links GnuTLS. GnuTLS's library constructor calls
 * its global init (crypto backends, ASN.1 trees, random generator, PKCS#11 and
 * p11-kit state): ~0.9 MB of RSS in a daemon that never uses GnuTLS. libpq does
 * its TLS with OpenSSL, and libldap calls gnutls_global_init() itself before it
 * uses TLS (for an LDAP service lookup), which is all GnuTLS needs.
 *
 * The constructor first asks _gnutls_global_init_skip(), a weak symbol that a
 * program may define to return 1: that is GnuTLS's own GNUTLS_SKIP_GLOBAL_INIT
 * (<gnutls/gnutls.h>), spelled out here so the build does not need GnuTLS's
 * headers. It must be in the executable's dynamic symbol table for the
 * constructor to find it (Package.swift exports it).
 *
 * Why not GNUTLS_NO_IMPLICIT_INIT=1 set from .preinit_array: glibc's own
 * initialiser, which runs after .preinit_array and before GnuTLS's constructor,
 * resets `environ` to the process's original environment, so the variable is
 * gone again by the time GnuTLS reads it (checked with gdb). The variable still
 * works when the operator sets it; this makes it unnecessary.
 */
#include "host_support.h"

__attribute__((visibility("default"), used))
int _gnutls_global_init_skip(void);

int _gnutls_global_init_skip(void) { return 1; }
