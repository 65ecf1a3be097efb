import PsaverConfig
import PsaverFuzz
@testable import PsaverProcessTable
import PsaverSystem
import Testing

/// Many entries on one pname, told apart by include strings, exclude strings and
/// users (the guide's shape): the index must hand each process exactly the
/// entries that asking every entry would accept, and the automaton must find
/// exactly the strings a plain search finds.
@Suite struct MatcherIndexSplitTests {
    /// A generated host of processes against entries sharing few pnames, with
    /// overlapping strings (`ab`, `abc`, `bc`), strings spanning arguments, shared
    /// strings, exclude strings and user filters: for every process, the index's
    /// candidates that match are exactly the entries that a brute-force scan of
    /// every matcher accepts, and every candidate is named once.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func theIndexAcceptsExactlyWhatABruteForceScanAccepts(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let pnames = ["/usr/bin/java", "/bin/sleep", "/opt/app/bin/app"]
        let words = ["a", "ab", "abc", "bc", "c", "-Dapp=1", "-Dapp=12", "-Dapp=2", "x y", "tomcat", "\u{3042}"]
        let resolved = ["/usr/bin/java": "/usr/lib/jvm/bin/java", "/bin/sleep": "/usr/bin/sleep"]
        let entryCount = 20 + random.below(60)
        let matchers = (1...entryCount).map { id -> ProcessMatcher in
            let pname = pnames[random.below(pnames.count)]
            let include = (0..<random.below(4)).map { _ in words[random.below(words.count)] }
            let exclude = random.below(4) == 0 ? [words[random.below(words.count)]] : []
            let user: UInt32? = random.below(3) == 0 ? UInt32(1000 + random.below(3)) : nil
            return ProcessMatcher(
                entry: entry(id, pname, include: include, exclude: exclude, user: user),
                resolvedPname: resolved[pname], selfPID: ProcessID(1))
        }
        let index = MatcherIndex(matchers)
        var accepted = 0
        for pid in 10..<400 {
            let argumentZero: String = switch random.below(4) {
            case 0: "java"
            case 1: "/usr/bin/sleep"
            default: pnames[random.below(pnames.count)]
            }
            let exe: String? = switch random.below(4) {
            case 0: nil
            case 1: "/usr/lib/jvm/bin/java (deleted)"
            case 2: "/usr/bin/sleep"
            default: "/usr/lib/jvm/bin/java"
            }
            let arguments = [argumentZero] + (0..<random.below(6)).map { _ in words[random.below(words.count)] }
            let uid = UserID(UInt32(1000 + random.below(3)))
            let record = ProcessRecord(
                identity: ProcessIdentity(pid: ProcessID(Int32(pid)), startTime: 1), parentPID: ProcessID(2),
                arguments: arguments)
            let command = record.commandLineBytes
            let expected = matchers.indices.filter {
                matchers[$0].matches(record, executable: { exe }, realUser: { uid })
            }
            let candidates = index.candidates(
                argumentZero: command[..<record.argumentZeroLength], commandLine: command,
                executable: { exe }, realUser: { uid })
            let found = candidates.filter {
                matchers[$0].matches(record, executable: { exe }, realUser: { uid })
            }
            #expect(found == expected, "pid \(pid): \(arguments) exe \(exe ?? "-") uid \(uid)")
            #expect(Set(candidates).count == candidates.count)
            accepted += expected.count
        }
        #expect(accepted > 50, "the generated host should give many processes a match")
    }

    /// 200 entries on one pname, each named by its own argument: a process is
    /// handed the one entry its argument names (and the entries naming no
    /// string), not the 200.
    @Test func aProcessOfASharedPnameIsHandedOnlyTheEntriesItsStringsName() {
        let pname = "/bin/sleep"
        var matchers = (1...200).map {
            ProcessMatcher(entry: entry($0, pname, include: ["\(20_000_000 + $0)"]), resolvedPname: nil,
                           selfPID: ProcessID(1))
        }
        matchers.append(ProcessMatcher(entry: entry(201, pname, user: 7), resolvedPname: nil, selfPID: ProcessID(1)))
        let index = MatcherIndex(matchers)
        let record = ProcessRecord(
            identity: ProcessIdentity(pid: ProcessID(50), startTime: 1), parentPID: ProcessID(2),
            arguments: [pname, "20000042"])
        var userRead = false

        let candidates = index.candidates(
            argumentZero: Array(pname.utf8)[...], commandLine: record.commandLineBytes,
            executable: { nil }, realUser: { userRead = true; return UserID(8) })

        #expect(candidates == [41])
        #expect(userRead)
    }

    /// 100 entries on one pname told apart only by user: a process is handed the
    /// entry of its own user, not the 100.
    @Test func entriesThatDifferOnlyByUserAreHandedOnlyTheProcessesOfThatUser() {
        let pname = "/usr/bin/java"
        let matchers = (1...100).map {
            ProcessMatcher(entry: entry($0, pname, user: UInt32(1000 + $0)), resolvedPname: nil, selfPID: ProcessID(1))
        }
        let record = ProcessRecord(
            identity: ProcessIdentity(pid: ProcessID(50), startTime: 1), parentPID: ProcessID(2), arguments: [pname])

        let candidates = MatcherIndex(matchers).candidates(
            argumentZero: Array(pname.utf8)[...], commandLine: record.commandLineBytes,
            executable: { nil }, realUser: { UserID(1042) })

        #expect(candidates == [41])
    }

    @Test(arguments: [3, 4, 5] as [UInt64])
    func theAutomatonFindsEveryPatternAPlainSearchFindsAndEachOnce(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0x20, 0x00, 0xE3]
        let patterns = (0..<30).map { _ in
            (0..<(1 + random.below(4))).map { _ in alphabet[random.below(alphabet.count - 1)] }
        }
        let automaton = SubstringAutomaton(patterns)
        for _ in 0..<100 {
            let text = (0..<random.below(40)).map { _ in alphabet[random.below(alphabet.count)] }
            var found: [Int] = []
            text.withUnsafeBufferPointer { automaton.forEachPattern(in: $0) { found.append($0) } }
            let firstNumbers = Set(patterns.indices.filter { patterns.firstIndex(of: patterns[$0]) == $0 })
            let expected = Set(patterns.indices.filter {
                firstNumbers.contains($0) && ProcessMatcher.commandLine(text, contains: patterns[$0])
            })
            #expect(Set(found) == expected, "text \(text)")
            #expect(found.count == Set(found).count)
        }
    }
}
