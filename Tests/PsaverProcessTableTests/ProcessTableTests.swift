import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing

/// The table over fake proc trees: one pass, identities, the ways processes vanish.
@Suite struct ProcessTableTests {
    @Test func aProcessWhoseArgvZeroIsPnameMatches() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, arguments: [java, "-jar", "app.jar"], exe: java)

        let found = fixture.table().findMatches(for: [entry(1, java)])

        #expect(found == [PentID(1): ProcessIdentity(pid: ProcessID(100), startTime: 1000)])
    }

    @Test func aProcessWhoseExeIsTheFilePnameResolvesToMatchesThoughArgvZeroDiffers() throws {
        let fixture = try ProcFixture()
        let real = try fixture.program("java-17")
        let pname = try fixture.programLink("java", to: real)
        try fixture.process(100, arguments: ["java", "-jar", "app.jar"], exe: real)

        let found = fixture.table().findMatches(for: [entry(1, pname)])

        #expect(found[PentID(1)]?.pid == ProcessID(100))
    }

    @Test func aProcessRunningADeletedProgramStillMatchesByExe() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, arguments: ["java"], exe: java + " (deleted)")

        #expect(fixture.table().findMatches(for: [entry(1, java)])[PentID(1)]?.pid == ProcessID(100))
    }

    @Test func aProcessWhoseExeCannotBeReadMatchesOnlyByArgvZero() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, arguments: ["java", "-jar", "app.jar"], exe: nil)

        #expect(fixture.table().findMatches(for: [entry(1, java)]).isEmpty)
    }

    @Test func everyIncludeStringMustAppearInTheCommandLine() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, startTime: 10, arguments: [java, "-Dapp=apache"], exe: java)
        try fixture.process(101, startTime: 20, arguments: [java, "-Dapp=apache", "tomcat"], exe: java)

        let found = fixture.table().findMatches(for: [entry(1, java, include: ["apache", "tomcat"])])

        #expect(found[PentID(1)]?.pid == ProcessID(101))
    }

    @Test func includeStringsAreSearchedInArgumentsJoinedWithSingleSpaces() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, arguments: [java, "-jar", "app.jar"], exe: java)

        let found = fixture.table().findMatches(for: [entry(1, java, include: ["-jar app.jar"])])

        #expect(found[PentID(1)]?.pid == ProcessID(100))
    }

    @Test func aProcessHoldingAnyExcludeStringDoesNotMatch() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, startTime: 10, arguments: [java, "tomcat", "--stop"], exe: java)
        try fixture.process(101, startTime: 20, arguments: [java, "tomcat"], exe: java)

        let found = fixture.table().findMatches(
            for: [entry(1, java, include: ["tomcat"], exclude: ["--stop", "--version"])])

        #expect(found[PentID(1)]?.pid == ProcessID(101))
    }

    @Test func aUserFilterMatchesOnlyThatUsersProcesses() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, startTime: 10, arguments: [java], exe: java, uid: 0)
        try fixture.process(101, startTime: 20, arguments: [java], exe: java, uid: 1001)

        let table = fixture.table()

        #expect(table.findMatches(for: [entry(1, java, user: 1001)])[PentID(1)]?.pid == ProcessID(101))
        #expect(table.findMatches(for: [entry(1, java, user: 0)])[PentID(1)]?.pid == ProcessID(100))
        #expect(table.findMatches(for: [entry(1, java, user: 2000)]).isEmpty)
        #expect(table.realUser(of: ProcessID(101)) == UserID(1001))
    }

    @Test func aZombieNeverMatchesAndHasNoIdentity() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, state: "Z", arguments: [java], exe: java)
        try fixture.process(101, state: "X", arguments: [java], exe: java)

        let table = fixture.table()

        #expect(table.findMatches(for: [entry(1, java)]).isEmpty)
        #expect(table.identity(of: ProcessID(100)) == nil)
        #expect(table.identity(of: ProcessID(101)) == nil)
        #expect(!table.isAlive(ProcessIdentity(pid: ProcessID(100), startTime: 1000)))
    }

    @Test func theOldestMatchWinsByStartTime() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(300, startTime: 500, arguments: [java], exe: java)
        try fixture.process(200, startTime: 100, arguments: [java], exe: java)
        try fixture.process(100, startTime: 900, arguments: [java], exe: java)

        let found = fixture.table().findMatches(for: [entry(1, java)])

        #expect(found[PentID(1)] == ProcessIdentity(pid: ProcessID(200), startTime: 100))
    }

    @Test func processesStartedInTheSameTickAreOrderedByPid() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(302, startTime: 100, arguments: [java], exe: java)
        try fixture.process(301, startTime: 100, arguments: [java], exe: java)
        try fixture.process(303, startTime: 100, arguments: [java], exe: java)

        #expect(fixture.table().findMatches(for: [entry(1, java)])[PentID(1)]?.pid == ProcessID(301))
    }

    @Test func theEngineAndItsChildrenAreNeverMatched() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(500, startTime: 1, arguments: [java], exe: java)
        try fixture.process(501, parent: 500, startTime: 2, arguments: [java], exe: java)
        try fixture.process(502, parent: 1, startTime: 3, arguments: [java], exe: java)

        let found = fixture.table(selfPID: 500).findMatches(for: [entry(1, java)])

        #expect(found[PentID(1)]?.pid == ProcessID(502))
    }

    @Test func aCommandLineThatMerelyMentionsPnameAsAnArgumentDoesNotMatch() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let grep = try fixture.program("grep")
        let vi = try fixture.program("vi")
        try fixture.process(100, arguments: [grep, java], exe: grep)
        try fixture.process(101, arguments: ["vi", java], exe: vi)
        try fixture.process(102, arguments: [java + "c", "Main.java"], exe: grep)

        #expect(fixture.table().findMatches(for: [entry(1, java)]).isEmpty)
    }

    @Test func aReusedPidIsNotTheProcessThatDied() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, startTime: 1000, arguments: [java], exe: java)
        let table = fixture.table()
        let first = try #require(table.identity(of: ProcessID(100)))
        #expect(table.isAlive(first))

        // The process dies and a new one is given the same pid.
        try fixture.process(100, startTime: 2000, arguments: [java], exe: java)

        #expect(!table.isAlive(first))
        #expect(table.identity(of: ProcessID(100)) == ProcessIdentity(pid: ProcessID(100), startTime: 2000))
    }

    @Test func aGonePidHasNoIdentity() throws {
        let fixture = try ProcFixture()

        #expect(fixture.table().identity(of: ProcessID(4242)) == nil)
        #expect(!fixture.table().isAlive(ProcessIdentity(pid: ProcessID(4242), startTime: 1)))
    }

    @Test func aCommandNameWithSpacesAndParenthesesIsParsed() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, startTime: 777, name: "(a) b) c", arguments: [java], exe: java)

        let table = fixture.table()

        #expect(table.identity(of: ProcessID(100)) == ProcessIdentity(pid: ProcessID(100), startTime: 777))
        #expect(table.findMatches(for: [entry(1, java)])[PentID(1)]?.startTime == 777)
    }

    @Test func aKernelThreadIsNeverMatched() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        // Empty command line, even with an exe that would match.
        try fixture.process(2, parent: 0, arguments: [], exe: java)
        // The kernel's own flag, even with a command line that would match.
        try fixture.process(3, parent: 2, arguments: [java], exe: java, kernelThreadFlag: true)

        #expect(fixture.table().findMatches(for: [entry(1, java)]).isEmpty)
    }

    @Test func aProcessThatVanishesMidScanIsSkipped() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.vanishedProcess(100)
        try fixture.process(101, startTime: 5000, arguments: [java], exe: java)

        let table = fixture.table()

        #expect(table.findMatches(for: [entry(1, java)])[PentID(1)]?.pid == ProcessID(101))
        #expect(table.identity(of: ProcessID(100)) == nil)
        #expect(table.record(of: ProcessID(100)) == nil)
    }

    @Test func foldersThatAreNotPidsAreIgnored() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try FileSystem.makeDirectory(fixture.root + "/self")
        try FileSystem.makeDirectory(fixture.root + "/sys")
        try fixture.process(100, arguments: [java], exe: java)

        #expect(fixture.table().findMatches(for: [entry(1, java)]).count == 1)
    }

    @Test func onePassAnswersForEveryEntryTogether() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let httpd = try fixture.program("httpd")
        try fixture.process(100, startTime: 10, arguments: [java, "tomcat"], exe: java)
        try fixture.process(101, startTime: 20, arguments: [java, "activemq"], exe: java)
        try fixture.process(200, startTime: 30, arguments: [httpd, "-k", "start"], exe: httpd)
        try fixture.process(201, parent: 200, startTime: 40, arguments: [httpd, "-k", "start"], exe: httpd)

        let found = fixture.table().findMatches(for: [
            entry(1, java, include: ["tomcat"]),
            entry(2, java, include: ["activemq"]),
            entry(3, httpd),
            entry(4, java, include: ["jboss"]),
            entry(5, fixture.base + "/bin/missing"),
        ])

        #expect(found == [
            PentID(1): ProcessIdentity(pid: ProcessID(100), startTime: 10),
            PentID(2): ProcessIdentity(pid: ProcessID(101), startTime: 20),
            PentID(3): ProcessIdentity(pid: ProcessID(200), startTime: 30),
        ])
    }

    @Test func aRecordCarriesParentStateAndArguments() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(
            100, parent: 42, state: "R", startTime: 9, arguments: [java, "a b", "", "c"], exe: java)

        let record = try #require(fixture.table().record(of: ProcessID(100)))

        #expect(record.identity == ProcessIdentity(pid: ProcessID(100), startTime: 9))
        #expect(record.parentPID == ProcessID(42))
        #expect(record.state == .running)
        #expect(record.arguments == [java, "a b", "", "c"])
        #expect(record.commandLine == "\(java) a b  c")
        #expect(fixture.table().executable(of: ProcessID(100)) == java)
    }

    @Test func aCommandLineLongerThanOneReadIsReadWhole() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        let classPath = String(repeating: "/opt/app/lib/some-library.jar:", count: 1000)
        let main = "org.apache.catalina.startup.Bootstrap"
        try fixture.process(100, arguments: [java, "-cp", classPath, main], exe: java)

        let found = fixture.table().findMatches(for: [entry(1, java, include: [main])])

        #expect(found[PentID(1)]?.pid == ProcessID(100))
        #expect(fixture.table().record(of: ProcessID(100))?.arguments.count == 4)
    }

    @Test func aMissingProcRootFindsNothing() {
        let table = ProcessTable(root: "/nonexistent/psaver/proc", selfPID: ProcessID(1))

        #expect(table.findMatches(for: [entry(1, "/bin/sh")]).isEmpty)
        #expect(table.identity(of: ProcessID(1)) == nil)
    }
}

/// A look at a process that fails is not evidence that it died (DESIGN §2): at
/// 30,000 entries an engine out of descriptors took every process it could not
/// open a pidfd for as dead, and restarted it, though it ran.
@Suite struct LivenessTests {
    @Test func aProcessWhoseStatCannotBeReadIsNotDeclaredGone() throws {
        let fixture = try ProcFixture()
        try fixture.process(100, startTime: 1000, arguments: ["/opt/svc"])
        // A folder where the stat file should be: the read fails (EISDIR), as it
        // does with EMFILE or EACCES, without saying anything about the process.
        try FileSystem.remove(fixture.root + "/100/stat")
        try FileSystem.makeDirectory(fixture.root + "/100/stat")
        let identity = ProcessIdentity(pid: ProcessID(100), startTime: 1000)

        #expect(fixture.table().isAlive(identity))
        guard case .unknown = fixture.table().liveness(of: identity) else {
            Issue.record("expected unknown, got \(fixture.table().liveness(of: identity))")
            return
        }
    }

    @Test func anUnparsableStatLineIsNotDeclaredGone() throws {
        let fixture = try ProcFixture()
        try fixture.process(100, startTime: 1000, arguments: ["/opt/svc"])
        try fixture.rawStat(100, "garbage")

        #expect(fixture.table().isAlive(ProcessIdentity(pid: ProcessID(100), startTime: 1000)))
    }

    @Test func evidenceOfAnEndIsGone() throws {
        let fixture = try ProcFixture()
        try fixture.process(100, startTime: 1000, arguments: ["/opt/svc"])
        try fixture.process(101, state: "Z", startTime: 1000, arguments: ["/opt/svc"])
        let table = fixture.table()

        #expect(table.liveness(of: ProcessIdentity(pid: ProcessID(100), startTime: 1000)) == .alive)
        #expect(table.liveness(of: ProcessIdentity(pid: ProcessID(100), startTime: 999)) == .gone)
        #expect(table.liveness(of: ProcessIdentity(pid: ProcessID(101), startTime: 1000)) == .gone)
        #expect(table.liveness(of: ProcessIdentity(pid: ProcessID(102), startTime: 1000)) == .gone)
    }
}
