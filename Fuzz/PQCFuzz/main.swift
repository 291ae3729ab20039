#if canImport(Glibc)
import Glibc
#endif
import CFuzzDriver

/// `PQC_FUZZ_TARGET=NAME PQCFuzz [libFuzzer options] [CORPUS_DIR...]`: one
/// libFuzzer binary for every target (`FuzzTargets.all`), built only by
/// scripts/fuzz.sh (with `-sanitize=fuzzer`, into .build-fuzz). A target traps
/// on a crash or a broken invariant, which libFuzzer reports with the input.
///
/// The target comes from the environment, not the command line, because
/// `-sanitize=fuzzer` links libFuzzer's own main() too: whichever main the
/// linker keeps, this one (libFuzzer's driver) or libFuzzer's, runs the same
/// `LLVMFuzzerTestOneInput` with the same options.
_ = FuzzTargets.selected  // an unknown target stops here, before any fuzzing
var cArguments: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
var count = Int32(cArguments.count - 1)
let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&count, &argv) { data, size in fuzzOne(data, size) }
}
exit(status)
