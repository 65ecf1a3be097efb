import PsaverFuzz
import Testing

/// Issue 8: a few thousand seeded mutations per decoder on every `swift test`;
/// scripts/fuzz runs 100,000 and more with per-input time and memory limits.
@Suite("Fuzzing the decoders of hostile input", .timeLimit(.minutes(5)))
struct FuzzTests {
    @Test(arguments: [FuzzTarget.pfileParser, .controlRequest].map { ($0.name, $0) })
    func seededMutations_neverBreakTheDecodersProperties(_ name: String, _ target: FuzzTarget) {
        let report = Fuzzer.run(target, count: 3_000, seed: 20_261_130)
        print(report.summary)
        #expect(report.count == 3_000)
        #expect(report.failures.isEmpty, "\(report.failures.prefix(5))")
    }

    @Test func theSameSeed_makesTheSameInputs() {
        var first: [[UInt8]] = []
        var second: [[UInt8]] = []
        _ = Fuzzer.run(.controlRequest, count: 200, seed: 7) { first.append($1) }
        _ = Fuzzer.run(.controlRequest, count: 200, seed: 7) { second.append($1) }
        #expect(first == second)
        #expect(Set(first).count > 100, "the mutations vary")
    }

    @Test func theMutatorMakesTheShapesThatWereQuadratic_longRunsAndRepeatedSlices() {
        var random = SeededGenerator(seed: 3)
        let mutator = Mutator()
        let base = Array("include_strings=a&b".utf8)
        let longest = (0..<2_000).map { _ in mutator.mutate(base, using: &random).count }.max() ?? 0
        #expect(longest > 4_096)
    }
}
