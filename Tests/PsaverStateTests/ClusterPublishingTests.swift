import PsaverState
import PsaverSystem
import Testing

@Suite("What an engine tells Pacemaker")
struct ClusterPublishingTests {
    static func state(_ entries: [EntryRecord], status: EngineStatus = .running) -> StateDocument {
        StateFixture.document(entries: entries, status: status)
    }

    static let up = StateFixture.entry(1, "/usr/bin/java", pid: 1, .avail)
    static let down = StateFixture.entry(2, "/usr/sbin/httpd", pid: nil, .down)
    static let fatal = StateFixture.entry(3, "/usr/sbin/batch", pid: nil, .fatal)

    @Test("health is green when all is well, yellow when an entry needs attention, red at retry over or FATAL")
    func healthJudgesTheEngine() {
        #expect(NodeHealth.judge(Self.state([Self.up])) == .green)
        #expect(NodeHealth.judge(Self.state([Self.up, Self.down])) == .yellow)
        var off = Self.up
        off.monitorSts = .off
        #expect(NodeHealth.judge(Self.state([off])) == .yellow)
        #expect(NodeHealth.judge(Self.state([Self.up, Self.fatal])) == .red)
        #expect(NodeHealth.judge(Self.state([Self.up], status: .retryOver)) == .red)
    }

    @Test("one restart does not flap the health: yellow is published only once it held for the hold time")
    func oneRestartDoesNotFlap() {
        var damper = HealthDamper(hold: .seconds(10))
        let t0 = MonotonicInstant.seconds(100)
        #expect(damper.observe(.green, at: t0) == .green)
        #expect(damper.observe(.yellow, at: t0 + .seconds(1)) == nil)
        #expect(damper.deadline == t0 + .seconds(11))
        #expect(damper.observe(.green, at: t0 + .seconds(3)) == nil)
        #expect(damper.deadline == nil)
        #expect(damper.observe(.yellow, at: t0 + .seconds(20)) == nil)
        #expect(damper.observe(.yellow, at: t0 + .seconds(30)) == .yellow)
    }

    @Test("red is published at once")
    func redIsAtOnce() {
        var damper = HealthDamper(hold: .seconds(10))
        let t0 = MonotonicInstant.seconds(5)
        #expect(damper.observe(.green, at: t0) == .green)
        #expect(damper.observe(.red, at: t0 + .milliseconds(1)) == .red)
        #expect(damper.published == .red)
    }

    @Test("a summary is one line of JSON that reads back with the state file's entry keys")
    func summaryReadsBack() throws {
        let summary = ClusterSummary(Self.state([Self.up, Self.down]), health: .yellow,
                                     at: WallTime(secondsSinceEpoch: 1_764_067_812), heartbeatSeconds: 30)
        let value = summary.encoded()
        #expect(!value.contains("\n"))
        #expect(value.contains("\"pent_id\":1") && value.contains("\"proc_sts\":\"DOWN\"")
                && value.contains("\"restart_count\":0") && value.contains("\"pid\":null"))
        #expect(ClusterSummary.decode(value) == summary)
        #expect(ClusterSummary.decode("") == nil)
    }

    @Test("a summary too large for one attribute keeps the entries that need attention and says it was cut")
    func largeSummariesAreCut() throws {
        var entries = (1...2_000).map { StateFixture.entry($0, "/opt/app/bin/server-\($0)", pid: Int32($0), .avail) }
        entries[1_500] = StateFixture.entry(1_501, "/opt/app/bin/server-1501", pid: nil, .fatal)
        let summary = ClusterSummary(Self.state(entries), health: .red, at: WallTime(secondsSinceEpoch: 0),
                                     heartbeatSeconds: 30)
        let value = summary.encoded()
        #expect(value.utf8.count <= ClusterSummary.sizeLimit)
        let read = try #require(ClusterSummary.decode(value))
        #expect(read.truncated && read.total == 2_000)
        #expect(read.counts == ["AVAIL": 1_999, "FATAL": 1])
        #expect(read.entries.contains { $0.pentId == 1_501 && $0.procSts == .fatal })
        #expect(read.entries.count > 50)
    }

    @Test("attrd_updater's query output reads as node and value, quotes inside the value kept")
    func queryOutputParses() {
        let text = """
            name="psaver-0x1" host="node1" value="{"a":"b"}"
            name="psaver-0x1" host="node2" value=""
            attrd_updater: Could not query value of x: attribute does not exist

            """
        let values = PacemakerAttributes.parseQuery(text)
        #expect(values.map(\.node) == ["node1", "node2"])
        #expect(values.map(\.value) == ["{\"a\":\"b\"}", ""])
    }

    @Test("Pacemaker is seen by attrd's listening socket in /proc/net/unix, and nothing else")
    func attrdIsDetectedBySocket() {
        let listening = "00000000edf66ef5: 00000002 00000000 00010000 0001 01 216381 @attrd@@@@@@@@"
        let connected = "00000000cb533ba7: 00000003 00000000 00000000 0001 03 223533 @attrd@@@@@@@@"
        let other = "000000003ea40503: 00000002 00000000 00010000 0001 01 216185 @cib_ro@@@@@@@@"
        #expect(PacemakerAttributes.attrdListens("Num RefCount\n\(listening)\n"))
        #expect(!PacemakerAttributes.attrdListens("Num RefCount\n\(connected)\n\(other)\n"))
    }
}
