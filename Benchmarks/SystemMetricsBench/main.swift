// Measures the CPU cost of one SystemCollector.sample() on this machine.
//
//   SystemMetricsBench [samples] [--spawn N]
//
// --spawn N starts N idle child processes (sleep, exec'd under watched names
// through symlinks, so their comm is "postgres", "apache2", ...) to mimic a
// production host; they are killed by pid at the end.
import Glibc
import SystemMetricsCore

let watchedNames = [
    "pqcrypta-api", "pqcrypta-proxy", "pqcrypta-collector", "postgres", "apache2", "php-fpm",
]

/// (user, system) CPU seconds of this process so far.
func cpuSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
}

func maxResidentKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Spawns `count` sleeping children: most named after watched processes.
func spawnChildren(_ count: Int) -> (pids: [pid_t], directory: String) {
    let directory = "/tmp/systemmetrics-bench-\(getpid())"
    mkdir(directory, 0o700)
    let aliases = ["postgres", "apache2", "php-fpm", "pqcrypta-api", "pqcrypta-collector", "worker"]
    for alias in aliases { symlink("/bin/sleep", directory + "/" + alias) }
    var pids: [pid_t] = []
    for index in 0..<count {
        // Spread: lots of postgres/apache2/php-fpm workers, one api and one collector, the rest unrelated.
        let alias: String
        switch index {
        case 0: alias = "pqcrypta-api"
        case 1: alias = "pqcrypta-collector"
        case 2..<22: alias = "postgres"
        case 22..<32: alias = "apache2"
        case 32..<40: alias = "php-fpm"
        default: alias = "worker"
        }
        let path = directory + "/" + alias
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), strdup("600"), nil]
        var pid: pid_t = 0
        if posix_spawn(&pid, path, nil, nil, &argv, environ) == 0 { pids.append(pid) }
        for pointer in argv { free(pointer) }
    }
    usleep(200_000)  // let them exec so comm is final
    return (pids, directory)
}

func stopChildren(_ children: (pids: [pid_t], directory: String)) {
    for pid in children.pids {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
    for alias in ["postgres", "apache2", "php-fpm", "pqcrypta-api", "pqcrypta-collector", "worker"] {
        unlink(children.directory + "/" + alias)
    }
    rmdir(children.directory)
}

func measure(_ label: String, names: [String], samples: Int) -> SystemSample {
    var collector = SystemCollector(configuration: SystemCollectorConfiguration(watchedProcessNames: names))
    var last = collector.sample()  // priming sample, not measured
    let cpuStart = cpuSeconds()
    let wallStart = wallSeconds()
    for _ in 0..<samples { last = collector.sample() }
    let cpuEnd = cpuSeconds()
    func perSample(_ seconds: Double) -> Int { Int((seconds / Double(samples) * 1e6).rounded()) }
    let user = perSample(cpuEnd.user - cpuStart.user)
    let system = perSample(cpuEnd.system - cpuStart.system)
    let wall = perSample(wallSeconds() - wallStart)
    print(
        "\(label): \(user + system) µs CPU/sample (user \(user), kernel \(system)), \(wall) µs wall, \(samples) samples"
    )
    return last
}

var arguments = CommandLine.arguments.dropFirst()
var samples = 2000
var spawnCount = 0
while let argument = arguments.popFirst() {
    if argument == "--spawn", let value = arguments.popFirst().flatMap({ Int($0) }) {
        spawnCount = value
    } else if let value = Int(argument) {
        samples = value
    }
}

let children = spawnCount > 0 ? spawnChildren(spawnCount) : (pids: [], directory: "")
var processCount = 0
if let directory = opendir("/proc") {
    while let entry = readdir(directory) {
        if withUnsafeBytes(of: &entry.pointee.d_name, { $0[0] &- 0x30 < 10 }) { processCount += 1 }
    }
    closedir(directory)
}
print("host: \(processCount) processes in /proc, \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs")
_ = measure("host metrics only (no watched names)", names: [], samples: samples)
let sample = measure("full sample, \(watchedNames.count) watched names", names: watchedNames, samples: samples)
for group in sample.processes {
    print(
        "  \(group.name): \(group.processCount) processes, rss \(group.residentBytes / 1024) KiB, fds \(group.fileDescriptors)"
    )
}
print("mounts \(sample.mounts.count), disks \(sample.disks.count), interfaces \(sample.network.count)")
print("max RSS of this benchmark: \(maxResidentKiB()) KiB")
if spawnCount > 0 { stopChildren(children) }
