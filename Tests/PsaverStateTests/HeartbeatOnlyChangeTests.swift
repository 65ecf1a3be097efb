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

    @Test func aFileWithoutAHeartbeat_isNeverHeartbeatOnly() {
        let bare = Array("{\"pid\" : 1}".utf8)
        #expect(StateCodec.heartbeatOnlyChange(from: bare, to: bare) == nil)
    }
}
