#ifndef PQC_FUZZ_DRIVER_H
#define PQC_FUZZ_DRIVER_H
/* libFuzzer's entry for programs with a main() of their own (compiler-rt,
 * FuzzerInterface.h): runs the fuzzing loop over `callback` with libFuzzer's
 * command line in argc/argv. Linked from libclang_rt.fuzzer by -sanitize=fuzzer. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
