import Foundation
import PsaverState
import PsaverSystem
import Testing

@Suite("show pent and show param text")
struct PentReportTests {
    @Test func showPent_printsTheTenFieldsInProcessSaversOrder_withTheEqualsSignsAligned() {
        let text = PentReport.showPent(StateFixture.document())
        #expect(text == """
            pname           = /usr/bin/java
            pid             = 3679
            retry_count     = 0
            restart_count   = 0
            proc_sts        = AVAIL
            retry_over_act  = exit
            rerun_time      = -----
            include_strings = apache&tomcat
            pent_id         = 1
            monitor_sts     = on

            """)
    }

    @Test func entries_areSeparatedByOneBlankLine() {
        let second = StateFixture.entry(2, "/usr/sbin/httpd", pid: nil, .down, retryCount: 1, restarts: 4)
        let text = PentReport.showPent(StateFixture.document(entries: [StateFixture.java, second]))
        let blocks = text.components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        #expect(blocks[0].hasPrefix("pname           = /usr/bin/java"))
        #expect(blocks[1].hasPrefix("pname           = /usr/sbin/httpd"))
        #expect(text.hasSuffix("monitor_sts     = on\n"))
        #expect(!text.contains("\n\n\n"))
    }

    @Test func aDownEntry_showsDashesForItsPid_andItsRerunTimeAsProcessSaverDoes() throws {
        // 2026-11-25 is a Wednesday; the time of day is the local one the ISO text carries.
        let iso = WallTime(secondsSinceEpoch: 1_795_602_612).iso8601
        let hms = String(iso.dropFirst(11).prefix(8))
        let day = Int(iso.dropFirst(8).prefix(2))!
        let weekday = ["2026-11-24": "Tue", "2026-11-25": "Wed", "2026-11-26": "Thu"][String(iso.prefix(10))]!
        let shown = "\(weekday) Nov \(day < 10 ? " " : "")\(day) \(hms) 2026"
        let entry = StateFixture.entry(2, "/usr/sbin/httpd", pid: nil, .down, retryCount: 1, restarts: 4,
                                       rerun: iso, monitor: .off)
        let fields = Dictionary(uniqueKeysWithValues: PentReport.lines(for: entry))
        #expect(fields["pid"] == "-----")
        #expect(fields["rerun_time"] == shown)
        #expect(fields["proc_sts"] == "DOWN")
        #expect(fields["monitor_sts"] == "off")
        #expect(fields["retry_count"] == "1")
        #expect(fields["restart_count"] == "4")
    }

    @Test func everyProcStatus_isPrintedAsItsWord() {
        for status in ProcStatus.allCases {
            let entry = StateFixture.entry(1, "/bin/x", pid: 1, status)
            #expect(PentReport.lines(for: entry)[4] == ("proc_sts", status.rawValue))
        }
    }

    @Test func showParam_printsThePARAMValuesAndWhereTheEngineIs_aligned() {
        let text = PentReport.showParam(StateFixture.document())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "IPCKEY             = 0x20000001")
        #expect(lines.contains("MONITOR_INTERVAL   = 10"))
        #expect(lines.contains("SHM_DUMP_FILE      = /var/opt/HA/PS/dump/pfile_tomcat"))
        #expect(lines.contains("control_socket     = /var/opt/HA/PS/dump/pfile_tomcat.sock"))
        #expect(lines.contains("engine_sts         = running"))
        let columns = Set(lines.map { $0.firstRange(of: " = ")?.lowerBound.utf16Offset(in: $0) })
        #expect(columns.count == 1)
    }
}

@Suite("State file freshness")
struct StateFreshnessTests {
    let now = WallTime(iso8601: "2026-11-25T10:50:12+00:00")!

    @Test func aRecentHeartbeatFromALivePid_isRunning() {
        #expect(StateFreshness.judge(StateFixture.document(), now: now, processExists: true) == .running)
    }

    @Test func aHeartbeatOlderThanTwoMonitorIntervals_isStale() {
        let document = StateFixture.document(heartbeat: "2026-11-25T10:49:51+00:00")
        #expect(StateFreshness.judge(document, now: now, processExists: true)
            == .stale(lastHeartbeat: "2026-11-25T10:49:51+00:00"))
    }

    @Test func aGonePid_isStale_evenWithARecentHeartbeat() {
        #expect(StateFreshness.judge(StateFixture.document(), now: now, processExists: false)
            == .stale(lastHeartbeat: "2026-11-25T10:50:09+00:00"))
    }

    @Test func aFinalState_isStopped_withItsStatusAndTime() {
        let document = StateFixture.document(status: .retryOver)
        #expect(StateFreshness.judge(document, now: now, processExists: false)
            == .stopped(.retryOver, at: "2026-11-25T10:50:09+00:00"))
    }
}
