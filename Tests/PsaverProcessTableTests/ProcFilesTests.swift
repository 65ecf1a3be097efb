import PsaverProcessTable
import PsaverSystem
import Testing

/// The byte parsers for `stat` and `status`.
@Suite struct ProcFilesTests {
    func stat(_ text: String) -> ProcFiles.Stat? { ProcFiles.parseStat(Array(text.utf8)) }

    /// Fields 5 to 21 and 23 on, as zeros; field 9 (flags) set to `flags`.
    func line(_ head: String, flags: String = "4194560", startTime: String = "123456") -> String {
        "\(head) 1 1 0 -1 \(flags) 0 0 0 0 0 0 0 0 20 0 1 0 \(startTime) 1000 100 0 0\n"
    }

    @Test func aPlainStatLineGivesPidStateParentAndStartTime() throws {
        let parsed = try #require(stat(line("4321 (java) S 17")))

        #expect(parsed.identity == ProcessIdentity(pid: ProcessID(4321), startTime: 123_456))
        #expect(parsed.state == .sleeping)
        #expect(parsed.parentPID == ProcessID(17))
        #expect(!parsed.isKernelThread)
    }

    @Test func fieldsAreCountedFromTheLastClosingParenthesis() throws {
        let parsed = try #require(stat(line("4321 ((a) b) 1 2 3) Z 17")))

        #expect(parsed.identity.startTime == 123_456)
        #expect(parsed.state == .zombie)
        #expect(parsed.parentPID == ProcessID(17))
    }

    @Test func theKernelThreadFlagIsRead() throws {
        #expect(try #require(stat(line("2 (kthreadd) S 0", flags: "2129984"))).isKernelThread)
    }

    @Test func truncatedOrGarbledStatLinesAreRejected() {
        #expect(stat("") == nil)
        #expect(stat("4321 (java) S 17 1 1 0") == nil)
        #expect(stat("4321 java S 17") == nil)
        #expect(stat(line("x (java) S 17")) == nil)
        #expect(stat(line("4321 (java) S 17", startTime: "12a")) == nil)
        #expect(stat(line("4321 (java) S 17", startTime: "99999999999999999999999")) == nil)
    }

    @Test func theRealUserIsTheFirstNumberOfTheUidLine() {
        let status = "Name:\tjava\nUmask:\t0022\nUid:\t1001\t0\t0\t0\nGid:\t100\t100\t100\t100\n"

        #expect(ProcFiles.parseRealUser(status: Array(status.utf8)) == UserID(1001))
        #expect(ProcFiles.parseRealUser(status: Array("Name:\tjava\n".utf8)) == nil)
    }
}
