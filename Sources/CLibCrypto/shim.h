#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
/* OpenSSL's libcrypto, already in the process as a libpq dependency, for SHA-256.
 * Use SHA256_Init/Update/Final only. They are deprecated since OpenSSL 3.0 in
 * favour of EVP, but present in every distribution build, and they are plain
 * block code: the context is a value (no allocation, nothing shared between
 * threads), they are the fastest for short inputs such as log lines, and they do
 * not initialise OpenSSL's provider machinery. EVP, and in OpenSSL 3 the one-shot
 * SHA256() too, fetch the algorithm from the default provider, which costs ~2 MB
 * of RSS in a process that otherwise never initialises libcrypto (measured). */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#endif
