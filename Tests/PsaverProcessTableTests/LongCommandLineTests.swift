import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing

/// A pass reads argv[0] first and the rest of a command line only for candidates,
/// up to `ProcessTable.commandLineLimit`: what that rule finds and what it can't.
@Suite struct LongCommandLineTests {
    @Test func aCandidateWhoseStringLiesFarIntoALongCommandLineIsFound() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let filler = String(repeating: "x", count: 200_000)
        try fixture.process(100, arguments: [java, filler, "-Dapp=far"], exe: java)
        let table = fixture.table()

        #expect(table.findMatches(for: [entry(1, java, include: ["-Dapp=far"])])[PentID(1)]?.pid == ProcessID(100))
        let index = MatcherIndex([table.matcher(for: entry(1, java, include: ["-Dapp=far"]))])
        #expect(table.matches(of: ProcessID(100), using: index)?.1 == [PentID(1)])
    }

    @Test func anArgvZeroRunningPastTheLeadingBytesMatchesNoPnameButItsExecutableStillCounts() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let title = String(repeating: "t", count: 10_000)
        try fixture.process(100, arguments: [title, "-Dapp=1"], exe: java)
        try fixture.process(101, arguments: [title, "-Dapp=1"], exe: "/bin/other")

        let found = fixture.table().findAllMatches(for: [entry(1, java, include: ["-Dapp=1"]), entry(2, String(title.prefix(4096)))])

        #expect(found == [PentID(1): [ProcessIdentity(pid: ProcessID(100), startTime: 1000)]])
    }

    @Test func stringsBeyondTheCommandLineLimitAreNotSeen() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let filler = String(repeating: "x", count: ProcessTable.commandLineLimit)
        try fixture.process(100, arguments: [java, "-Dnear", filler, "-Dbeyond"], exe: java)
        let table = fixture.table()

        let found = table.findMatches(for: [entry(1, java, include: ["-Dnear"]), entry(2, java, include: ["-Dbeyond"])])

        #expect(found.keys.sorted() == [PentID(1)])
    }
}
