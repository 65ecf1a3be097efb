import PsaverConfig
import PsaverFuzz
import PsaverProcessTable
import PsaverSystem
import Testing

/// The indexed pass must find exactly what asking every entry of every process
/// finds: these tests fail if the index files an entry under the wrong key or
/// drops one.
@Suite struct MatcherIndexTests {
    @Test func aProcessThatRewroteItsArgvZeroIsStillFoundByItsExecutableAmongManyEntries() throws {
        let fixture = try ProcFixture()
        let worker = try fixture.program("worker")
        var entries = try (1...50).map { entry($0, try fixture.program("other-\($0)")) }
        entries.append(entry(51, worker))
        try fixture.process(100, arguments: ["worker: serving 3 clients"], exe: worker)

        let found = fixture.table().findMatches(for: entries)

        #expect(found == [PentID(51): ProcessIdentity(pid: ProcessID(100), startTime: 1000)])
    }

    @Test func aProcessStartedThroughALinkIsFoundByTheFileTheLinkResolvesTo() throws {
        let fixture = try ProcFixture()
        let real = try fixture.program("python3.11")
        let pname = try fixture.programLink("python3", to: real)
        try fixture.process(100, arguments: ["/usr/local/bin/py", "serve.py"], exe: real)

        #expect(fixture.table().findMatches(for: [entry(1, pname)])[PentID(1)]?.pid == ProcessID(100))
    }

    @Test func entriesSharingAPnameEachFindTheProcessTheirIncludeStringsName() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let names = ["alpha", "bravo", "charlie", "delta"]
        for (offset, name) in names.enumerated() {
            try fixture.process(Int32(100 + offset), arguments: [java, "-Dapp=\(name)"], exe: java)
        }
        let entries = names.enumerated().map { entry($0.offset + 1, java, include: ["-Dapp=\($0.element)"]) }

        let found = fixture.table().findMatches(for: entries)

        #expect(found == Dictionary(uniqueKeysWithValues: names.indices.map {
            (PentID($0 + 1), ProcessIdentity(pid: ProcessID(Int32(100 + $0)), startTime: 1000))
        }))
    }

    @Test func oneProcessMatchesTheEntryNamingItsArgvZeroAndTheEntryNamingItsExecutable() throws {
        let fixture = try ProcFixture()
        let real = try fixture.program("daemon")
        let launcher = try fixture.program("launcher")
        try fixture.process(100, arguments: [launcher, "--child"], exe: real)

        let found = fixture.table().findMatches(for: [entry(1, launcher), entry(2, real)])

        #expect(found[PentID(1)]?.pid == ProcessID(100))
        #expect(found[PentID(2)]?.pid == ProcessID(100))
    }

    @Test func allMatchesListsEveryMatchingProcessOnceOldestFirst() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        // argv[0] is pname AND the exe is its file: filed under both keys, listed once.
        try fixture.process(300, startTime: 30, arguments: [java, "b"], exe: java)
        try fixture.process(100, startTime: 50, arguments: [java, "c"], exe: java)
        try fixture.process(200, startTime: 10, arguments: ["java", "a"], exe: java)
        try fixture.process(400, state: "Z", startTime: 5, arguments: [java], exe: java)
        try fixture.process(500, startTime: 1, arguments: ["/bin/grep", java], exe: "/bin/grep")

        let all = fixture.table().findAllMatches(for: [entry(1, java), entry(2, "/nowhere/else")])

        let oldestFirst: [ProcessIdentity] = [
            ProcessIdentity(pid: ProcessID(200), startTime: 10),
            ProcessIdentity(pid: ProcessID(300), startTime: 30),
            ProcessIdentity(pid: ProcessID(100), startTime: 50),
        ]
        #expect(all == [PentID(1): oldestFirst])
    }

    @Test func candidatesNameEachEntryOnceInAscendingOrder() {
        let pname = "/opt/app/bin/app"
        let matchers = [
            ProcessMatcher(entry: entry(1, "/elsewhere"), resolvedPname: pname, selfPID: ProcessID(1)),
            ProcessMatcher(entry: entry(2, pname), resolvedPname: pname, selfPID: ProcessID(1)),
            ProcessMatcher(entry: entry(3, pname), resolvedPname: nil, selfPID: ProcessID(1)),
            ProcessMatcher(entry: entry(4, "/other"), resolvedPname: "/other", selfPID: ProcessID(1)),
        ]
        let index = MatcherIndex(matchers)

        #expect(index.candidates(argumentZero: Array(pname.utf8)[...], executable: { pname }) == [0, 1, 2])
        #expect(index.candidates(argumentZero: Array("x".utf8)[...], executable: { pname + " (deleted)" })
            == [0, 1])
        #expect(index.candidates(argumentZero: Array(pname.utf8)[...], executable: { nil }) == [1, 2])
        #expect(index.candidates(argumentZero: Array("x".utf8)[...], executable: { "/nope" }).isEmpty)
    }

    /// A generated host: processes with every mix of argv[0] (pname, a rewritten
    /// title, a bare name), executables (the program, a link's target, deleted,
    /// unreadable) and users, against entries with shared pnames, links, strings
    /// and user filters. The indexed pass must agree with asking every pair.
    @Test func theIndexedPassFindsWhatAskingEveryEntryOfEveryProcessFinds() throws {
        let fixture = try ProcFixture()
        var random = SeededGenerator(seed: 11)
        let programs = try (0..<6).map { try fixture.program("prog\($0)") }
        let links = try (0..<3).map { try fixture.programLink("link\($0)", to: programs[$0]) }
        let pnames = programs + links
        let words = ["alpha", "bravo", "charlie", "--stop"]

        struct Fake { var record: ProcessRecord; var exe: String?; var uid: UInt32 }
        var fakes: [Fake] = []
        for pid in Int32(100)..<Int32(260) {
            let program = programs[random.below(programs.count)]
            let argumentZero: String = switch random.below(4) {
            case 0: program
            case 1: pnames[random.below(pnames.count)]
            case 2: "title: \(words[random.below(words.count)])"
            default: FileSystem.baseName(of: program)
            }
            let exe: String? = switch random.below(5) {
            case 0: nil
            case 1: program + " (deleted)"
            default: program
            }
            let arguments = [argumentZero] + (0..<random.below(3)).map { _ in words[random.below(words.count)] }
            let uid = UInt32(1000 + random.below(2))
            let start = UInt64(random.below(40))
            try fixture.process(pid, startTime: start, arguments: arguments, exe: exe, uid: uid)
            fakes.append(Fake(
                record: ProcessRecord(identity: ProcessIdentity(pid: ProcessID(pid), startTime: start),
                                      parentPID: ProcessID(1), arguments: arguments),
                exe: exe, uid: uid))
        }
        let entries = (1...40).map { id in
            entry(id, pnames[random.below(pnames.count)],
                  include: random.below(3) == 0 ? [words[random.below(3)]] : [],
                  exclude: random.below(4) == 0 ? ["--stop"] : [],
                  user: random.below(4) == 0 ? UInt32(1000) : nil)
        }
        let table = fixture.table()

        var expected: [PentID: [ProcessIdentity]] = [:]
        for entry in entries {
            let matcher = table.matcher(for: entry)
            let matching = fakes.filter { fake in
                matcher.matches(fake.record, executable: { fake.exe }, realUser: { UserID(fake.uid) })
            }
            if !matching.isEmpty {
                expected[entry.id] = matching.map(\.record.identity).sorted { $0.isOlder(than: $1) }
            }
        }

        let all = table.findAllMatches(for: entries)
        let oldest = table.findMatches(for: entries)

        #expect(expected.count > 10, "the generated host should give many entries a match")
        #expect(all == expected)
        #expect(oldest == expected.mapValues { $0[0] })
    }
}


extension SeededGenerator {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
