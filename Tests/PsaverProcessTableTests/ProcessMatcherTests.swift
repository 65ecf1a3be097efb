import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing

/// The matching rule alone, with no files: what matches, and what is asked for when.
@Suite struct ProcessMatcherTests {
    let me = ProcessID(999)
    let jdk = "/opt/jdk/bin/java"

    func matcher(_ entry: Entry, resolved: String? = nil) -> ProcessMatcher {
        ProcessMatcher(entry: entry, resolvedPname: resolved, selfPID: me)
    }

    func record(
        _ arguments: [String], pid: Int32 = 10, parent: Int32 = 1, state: ProcessRecord.State = .sleeping
    ) -> ProcessRecord {
        ProcessRecord(
            identity: ProcessIdentity(pid: ProcessID(pid), startTime: 1), parentPID: ProcessID(parent),
            state: state, arguments: arguments)
    }

    /// Asks `matcher` about `record` with a fixed executable and user.
    func matches(
        _ matcher: ProcessMatcher, _ record: ProcessRecord, exe: String? = nil, uid: UInt32? = nil
    ) -> Bool {
        matcher.matches(record, executable: { exe }, realUser: { uid.map { UserID($0) } })
    }

    @Test func theExecutableIsNotReadWhenArgvZeroMatches() {
        let java = matcher(entry(1, "/usr/bin/java"), resolved: jdk)
        var asked = 0

        let matched = java.matches(
            record(["/usr/bin/java", "-jar"]), executable: { asked += 1; return nil }, realUser: { nil })

        #expect(matched)
        #expect(asked == 0)
    }

    @Test func theExecutableIsNotReadWhenTheStringsAlreadyFail() {
        let tomcat = matcher(entry(1, "/usr/bin/java", include: ["tomcat"]), resolved: jdk)
        var asked = 0

        let matched = tomcat.matches(
            record(["java", "activemq"]), executable: { asked += 1; return self.jdk }, realUser: { nil })

        #expect(!matched)
        #expect(asked == 0)
    }

    @Test func theExecutableMatchesTheResolvedPname() {
        let java = matcher(entry(1, "/usr/bin/java"), resolved: jdk)

        #expect(matches(java, record(["java"]), exe: jdk))
        #expect(matches(java, record(["java"]), exe: jdk + " (deleted)"))
        #expect(!matches(java, record(["java"]), exe: "/usr/bin/java"))
        #expect(!matches(java, record(["java"]), exe: nil))
    }

    @Test func anUnresolvablePnameMatchesOnlyByArgvZero() {
        let java = matcher(entry(1, "/usr/bin/java"), resolved: nil)

        #expect(matches(java, record(["/usr/bin/java"])))
        #expect(!matches(java, record(["java"]), exe: "/usr/bin/java"))
    }

    @Test func argvZeroMustEqualPnameExactly() {
        let java = matcher(entry(1, "/usr/bin/java"))

        #expect(!matches(java, record(["/usr/bin/javac"])))
        #expect(!matches(java, record(["/usr/bin/jav"])))
        #expect(!matches(java, record(["/usr/bin/java "])))
        #expect(!matches(java, record(["grep", "/usr/bin/java"])))
        #expect(!matches(java, record(["vi", "/usr/bin/java"])))
    }

    @Test func theUserIsAskedOnlyWhenTheEntryHasAUserFilter() {
        let anyone = matcher(entry(1, "/usr/bin/java"))
        let filtered = matcher(entry(1, "/usr/bin/java", user: 1000))
        var asked = 0

        #expect(anyone.matches(
            record(["/usr/bin/java"]), executable: { nil }, realUser: { asked += 1; return nil }))
        #expect(asked == 0)
        #expect(matches(filtered, record(["/usr/bin/java"]), uid: 1000))
        #expect(!matches(filtered, record(["/usr/bin/java"]), uid: 0))
        #expect(!matches(filtered, record(["/usr/bin/java"]), uid: nil))
    }

    @Test func exitedProcessesTheEngineAndItsChildrenNeverMatch() {
        let java = matcher(entry(1, "/usr/bin/java"))
        let argv = ["/usr/bin/java"]

        #expect(!matches(java, record(argv, state: .zombie)))
        #expect(!matches(java, record(argv, state: .dead)))
        #expect(!matches(java, record(argv, pid: 999)))
        #expect(!matches(java, record(argv, parent: 999)))
        #expect(!matches(java, record([]), exe: "/usr/bin/java"))
    }
}
