#ifndef PQC_GNUTLS_SKIP_INIT_H
#define PQC_GNUTLS_SKIP_INIT_H
/* Nothing to call: the target only defines a symbol GnuTLS looks up (see
 * gnutls_skip_init.c). The header exists because SwiftPM C targets need one. */
#endif
