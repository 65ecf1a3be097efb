/// Runs seeded mutations of a target's seeds through its check, and says how it went.
///
/// Deterministic: the same target, seed and count make the same inputs, so a
/// failure is reproduced from its index. Each input's time is measured, and its
/// memory when the caller gives a probe (the peak resident size the input reached).
public enum Fuzzer {
    /// What a run found.
    public struct Report: Sendable {
        public var target: String
        public var seed: UInt64
        public var count = 0
        public var bytes = 0
        public var failures: [(index: Int, problem: String)] = []
        public var slowest: Duration = .zero
        public var slowestIndex = 0
        public var slowestLength = 0
        /// Peak resident kilobytes over any one input (0 without a probe).
        public var largestMemory = 0
        public var largestMemoryIndex = 0

        public var summary: String {
            "\(target): \(count) inputs (seed \(seed), \(bytes / 1024) KiB in all), \(failures.count) failures; "
                + "slowest input #\(slowestIndex) (\(slowestLength) bytes) took \(slowest.formatted)"
                + (largestMemory > 0 ? "; largest peak resident size \(largestMemory) KiB (input #\(largestMemoryIndex))" : "")
        }
    }

    /// Runs `count` inputs. `memory` resets and reads a peak resident size around
    /// each input; `input` sees every input before it runs (for the script's
    /// watchdog, which saves the input that hangs).
    public static func run(
        _ target: FuzzTarget, count: Int, seed: UInt64, mutator: Mutator = Mutator(),
        memory: (reset: () -> Void, peak: () -> Int)? = nil, input: (Int, [UInt8]) -> Void = { _, _ in }
    ) -> Report {
        var random = SeededGenerator(seed: seed)
        var report = Report(target: target.name, seed: seed)
        // Recent small inputs are mutated further, so that mutations compound.
        var pool = target.seeds
        let clock = ContinuousClock()
        for index in 0..<count {
            let parent = pool.randomElement(using: &random)!
            let bytes = index < target.seeds.count ? target.seeds[index] : mutator.mutate(parent, using: &random)
            input(index, bytes)
            memory?.reset()
            var problem: String?
            let elapsed = clock.measure { problem = target.check(bytes) }
            if let peak = memory?.peak(), peak > report.largestMemory {
                report.largestMemory = peak
                report.largestMemoryIndex = index
            }
            if elapsed > report.slowest {
                report.slowest = elapsed
                report.slowestIndex = index
                report.slowestLength = bytes.count
            }
            if let problem { report.failures.append((index, problem)) }
            report.count += 1
            report.bytes += bytes.count
            if bytes.count < 4096 {
                if pool.count < 256 { pool.append(bytes) } else { pool[Int.random(in: 0..<256, using: &random)] = bytes }
            }
        }
        return report
    }
}

extension Duration {
    /// `12.3 ms`.
    var formatted: String {
        let milliseconds = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return milliseconds < 1 ? "\(Int(milliseconds * 1000)) µs" : "\((milliseconds * 10).rounded() / 10) ms"
    }
}
