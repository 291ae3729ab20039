// The IntelBench executable: one intel run (the anomaly and slo analyzers) over
// generated history, for 1 host and for N hosts in the same database. Run it
// through scripts/bench-intel.sh; figures in docs/benchmarks.md#intel-run.
#if canImport(Glibc)
import Glibc
#endif
import CollectorCore

exit(CollectorCommand.execute(BenchIntelCommand.self, Array(CommandLine.arguments.dropFirst())))
