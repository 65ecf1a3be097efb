import Foundation
import PsaverFuzz
import PsaverSystem
import Synchronization

// psaver-fuzz: many seeded mutations through the pfile parser and the control
// decoder (scripts/fuzz runs it). Each input's time and peak memory are measured;
// a watchdog saves and aborts on an input that runs longer than --hang-seconds.
// Exit 0: no property broken and every input within the limits; 1: a failure.

struct Options {
    var targets = ["pfile", "control"]
    var count = 100_000
    var seed: UInt64 = 1
    var timeLimit: Duration = .seconds(1)
    var memoryLimitKiB = 256 * 1024
    var hangSeconds = 10.0
    /// Writes input number N to fuzz-TARGET-N.bin, to look at it (or re-run it with pcheck --check).
    var save: Int?

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            let value = rest.popFirst() ?? ""
            switch flag {
            case "--target": targets = value == "all" ? targets : [value]
            case "--count": count = Int(value) ?? count
            case "--seed": seed = UInt64(value) ?? seed
            case "--time-limit-ms": timeLimit = .milliseconds(Int(value) ?? 1000)
            case "--memory-limit-mib": memoryLimitKiB = (Int(value) ?? 256) * 1024
            case "--hang-seconds": hangSeconds = Double(value) ?? hangSeconds
            case "--save": save = Int(value)
            default:
                ProgramExit.printError("psaver-fuzz: unknown option \(flag); options: --target pfile|control|all "
                                       + "--count N --seed N --time-limit-ms N --memory-limit-mib N --hang-seconds N --save N")
                ProgramExit.exit(2)
            }
        }
    }
}

/// Peak resident size, reset per input: writing 5 to clear_refs resets VmHWM (Linux 4.0+).
enum PeakMemory {
    static func reset() {
        if let fd = try? FileDescriptor.openForAppending("/proc/self/clear_refs") {
            try? fd.write(Array("5".utf8))
            fd.close()
        }
    }

    static func kilobytes() -> Int {
        let status = (try? FileSystem.readText("/proc/self/status")) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let current = Mutex<(target: String, index: Int, bytes: [UInt8], since: ContinuousClock.Instant?)>(("", 0, [], nil))
let watchdog = Thread {
    while true {
        Thread.sleep(forTimeInterval: 0.5)
        let (target, index, bytes, since) = current.withLock { $0 }
        guard let since, ContinuousClock.now - since > .seconds(options.hangSeconds) else { continue }
        let path = "fuzz-hang-\(target)-\(index).bin"
        try? FileSystem.replaceAtomically(FileSystem.absolute(path, relativeTo: FileSystem.currentDirectory()),
                                          with: bytes)
        ProgramExit.printError("psaver-fuzz: \(target) input #\(index) ran over \(options.hangSeconds) s; saved as \(path)")
        ProgramExit.exit(1)
    }
}
watchdog.start()

var failed = false
for name in options.targets {
    let target: FuzzTarget = name == "control" ? .controlRequest : .pfileParser
    let report = Fuzzer.run(target, count: options.count, seed: options.seed,
                            memory: (PeakMemory.reset, PeakMemory.kilobytes)) { index, bytes in
        current.withLock { $0 = (name, index, bytes, ContinuousClock.now) }
        if index == options.save {
            let path = FileSystem.absolute("fuzz-\(name)-\(index).bin", relativeTo: FileSystem.currentDirectory())
            try? FileSystem.replaceAtomically(path, with: bytes)
        }
    }
    current.withLock { $0.since = nil }
    print(report.summary)
    for (index, problem) in report.failures.prefix(20) { print("  input #\(index): \(problem)") }
    if !report.failures.isEmpty || report.slowest > options.timeLimit || report.largestMemory > options.memoryLimitKiB {
        failed = true
    }
}
ProgramExit.exit(failed ? 1 : 0)
