import Foundation
import PsaverState
import Testing

@Suite("Seeing that only the heartbeat moved")
struct HeartbeatOnlyChangeTests {
    let before = Array("""
        {
          "engine_sts" : "running",
          "heartbeat_at" : "2026-11-25T10:50:12+09:00",
          "pid" : 12183
        }
        """.utf8)

    @Test func aRewriteThatOnlyMovesTheHeartbeat_givesTheNewHeartbeat() {
        let after = Array(String(decoding: before, as: UTF8.self)
            .replacingOccurrences(of: "10:50:12", with: "10:50:22").utf8)
        #expect(StateCodec.heartbeatOnlyChange(from: before, to: after) == "2026-11-25T10:50:22+09:00")
    }

    @Test func anyOtherChange_isNotHeartbeatOnly() {
        let after = Array(String(decoding: before, as: UTF8.self)
            .replacingOccurrences(of: "10:50:12", with: "10:50:22")
            .replacingOccurrences(of: "running", with: "stopped").utf8)
        #expect(StateCodec.heartbeatOnlyChange(from: before, to: after) == nil)
        let longer = before + Array(" ".utf8)
        #expect(StateCodec.heartbeatOnlyChange(from: before, to: longer) == nil)
    }

    /// A file of many entries with `heartbeat_at` among the first keys or after the
    /// entries: engines have written both.
    func largeFile(heartbeatFirst: Bool, heartbeat: String, restarts: [Int]) -> [UInt8] {
        let entries = restarts.enumerated().map { index, count in
            "    { \"pent_id\" : \(index + 1), \"pname\" : \"/opt/app/bin/service-\(index)\", \"restart_count\" : \(count) }"
        }.joined(separator: ",\n")
        let heartbeatLine = "  \"heartbeat_at\" : \"\(heartbeat)\",\n"
        return Array(("{\n" + (heartbeatFirst ? heartbeatLine : "") + "  \"entries\" : [\n\(entries)\n  ],\n"
            + (heartbeatFirst ? "" : heartbeatLine) + "  \"pid\" : 12183\n}\n").utf8)
    }

    @Test(arguments: [true, false])
    func inALargeFile_aChangeAnywhereElse_isNotHeartbeatOnly_whereverTheHeartbeatStands(heartbeatFirst: Bool) {
        let (earlier, later) = ("2026-11-25T10:50:12+09:00", "2026-11-25T10:50:22+09:00")
        let quiet = Array(repeating: 0, count: 300)
        let before = largeFile(heartbeatFirst: heartbeatFirst, heartbeat: earlier, restarts: quiet)
        #expect(StateCodec.heartbeatOnlyChange(
            from: before, to: largeFile(heartbeatFirst: heartbeatFirst, heartbeat: later, restarts: quiet)) == later)
        // One digit changed, at the start, the end and in between (not on 8-byte bounds).
        for index in [0, 1, 7, 150, 298, 299] {
            var restarts = quiet
            restarts[index] = 1
            let after = largeFile(heartbeatFirst: heartbeatFirst, heartbeat: later, restarts: restarts)
            #expect(StateCodec.heartbeatOnlyChange(from: before, to: after) == nil, "entry \(index)")
        }
    }

    @Test func aFileWithoutAHeartbeat_isNeverHeartbeatOnly() {
        let bare = Array("{\"pid\" : 1}".utf8)
        #expect(StateCodec.heartbeatOnlyChange(from: bare, to: bare) == nil)
    }
}
