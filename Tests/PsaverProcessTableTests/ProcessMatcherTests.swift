import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing

/// The matching rule alone, with no files: what is asked for and when.
@Suite struct ProcessMatcherTests {
    let me = ProcessID(999)

    func record(_ arguments: [String], pid: Int32 = 10, parent: Int32 = 1, state: ProcessRecord.State = .sleeping)
        -> ProcessRecord
    {
        ProcessRecord(
            identity: ProcessIdentity(pid: ProcessID(pid), startTime: 1), parentPID: ProcessID(parent),
            state: state, arguments: arguments)
    }

    @Test func theExecutableIsNotReadWhenArgvZeroMatches() {
        let matcher = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: "/opt/jdk/bin/java", selfPID: me)
        var asked = 0

        let matched = matcher.matches(
            record(["/usr/bin/java", "-jar"]), executable: { asked += 1; return nil }, realUser: { nil })

        #expect(matched)
        #expect(asked == 0)
    }

    @Test func theExecutableIsNotReadWhenTheStringsAlreadyFail() {
        let matcher = ProcessMatcher(
            entry: entry(1, "/usr/bin/java", include: ["tomcat"]), resolvedPname: "/opt/jdk/bin/java", selfPID: me)
        var asked = 0

        let matched = matcher.matches(
            record(["java", "activemq"]), executable: { asked += 1; return "/opt/jdk/bin/java" }, realUser: { nil })

        #expect(!matched)
        #expect(asked == 0)
    }

    @Test func theExecutableMatchesTheResolvedPname() {
        let matcher = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: "/opt/jdk/bin/java", selfPID: me)

        #expect(matcher.matches(record(["java"]), executable: { "/opt/jdk/bin/java" }, realUser: { nil }))
        #expect(matcher.matches(record(["java"]), executable: { "/opt/jdk/bin/java (deleted)" }, realUser: { nil }))
        #expect(!matcher.matches(record(["java"]), executable: { "/usr/bin/java" }, realUser: { nil }))
        #expect(!matcher.matches(record(["java"]), executable: { nil }, realUser: { nil }))
    }

    @Test func anUnresolvablePnameMatchesOnlyByArgvZero() {
        let matcher = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: nil, selfPID: me)

        #expect(matcher.matches(record(["/usr/bin/java"]), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(["java"]), executable: { "/usr/bin/java" }, realUser: { nil }))
    }

    @Test func argvZeroMustEqualPnameExactly() {
        let matcher = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: nil, selfPID: me)

        #expect(!matcher.matches(record(["/usr/bin/javac"]), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(["/usr/bin/jav"]), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(["/usr/bin/java "]), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(["grep", "/usr/bin/java"]), executable: { nil }, realUser: { nil }))
    }

    @Test func theUserIsAskedOnlyWhenTheEntryHasAUserFilter() {
        let open = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: nil, selfPID: me)
        let filtered = ProcessMatcher(entry: entry(1, "/usr/bin/java", user: 1000), resolvedPname: nil, selfPID: me)
        var asked = 0

        #expect(open.matches(record(["/usr/bin/java"]), executable: { nil }, realUser: { asked += 1; return nil }))
        #expect(asked == 0)
        #expect(filtered.matches(record(["/usr/bin/java"]), executable: { nil }, realUser: { UserID(1000) }))
        #expect(!filtered.matches(record(["/usr/bin/java"]), executable: { nil }, realUser: { UserID(0) }))
        #expect(!filtered.matches(record(["/usr/bin/java"]), executable: { nil }, realUser: { nil }))
    }

    @Test func exitedProcessesTheEngineAndItsChildrenNeverMatch() {
        let matcher = ProcessMatcher(entry: entry(1, "/usr/bin/java"), resolvedPname: nil, selfPID: me)
        let java = ["/usr/bin/java"]

        #expect(!matcher.matches(record(java, state: .zombie), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(java, state: .dead), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(java, pid: 999), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record(java, parent: 999), executable: { nil }, realUser: { nil }))
        #expect(!matcher.matches(record([]), executable: { "/usr/bin/java" }, realUser: { nil }))
    }
}
