// pqcrypta-collector: everything lives in CollectorCore; this is the process entry.
#if canImport(Glibc)
import Glibc
#endif
import CollectorCore

exit(CollectorCommand.run(Array(CommandLine.arguments.dropFirst())))
