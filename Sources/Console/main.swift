// pqcrypta-console: everything lives in ConsoleKit; this is the process entry.
#if canImport(Glibc)
import Glibc
#endif
import ConsoleKit

exit(await ConsoleCommand.run(Array(CommandLine.arguments.dropFirst())))
