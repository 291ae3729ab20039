// The IngestBench executable: one command of its own, parsed like the daemon's.
#if canImport(Glibc)
import Glibc
#endif
import CollectorCore

exit(CollectorCommand.execute(BenchIngestCommand.self, Array(CommandLine.arguments.dropFirst())))
