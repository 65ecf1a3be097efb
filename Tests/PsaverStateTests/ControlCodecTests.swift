import PsaverState
import Testing

@Suite("Control protocol codec")
struct ControlCodecTests {
    static let requests: [ControlRequest] = [
        .show, .stop(), .stop(force: true), .monitor(on: true, pentID: nil), .monitor(on: false, pentID: 2), .reset(pentID: nil),
        .reset(pentID: 7),
    ]

    private func decode(_ text: String) -> Result<ControlRequest, ControlAnswer> {
        ControlCodec.decodeRequest(Array(text.utf8))
    }

    private func refusal(_ text: String) -> ControlFailure? {
        guard case .failure(let answer) = decode(text) else { return nil }
        #expect(!answer.ok)
        #expect(!answer.message.isEmpty)
        return answer.error
    }

    @Test(arguments: requests)
    func everyRequest_isOneLine_andDecodesToItself(_ request: ControlRequest) throws {
        let line = ControlCodec.encode(request)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(try ControlCodec.decodeRequest(Array(line.dropLast())).get() == request)
    }

    @Test func theWireNames_areTheDocumentedOnes() {
        #expect(decode(#"{"cmd":"show"}"#) == .success(.show))
        #expect(decode(#"{"cmd":"stop"}"#) == .success(.stop(force: false)))
        #expect(decode(#"{"cmd":"stop","force":true}"#) == .success(.stop(force: true)))
        #expect(decode(#"{"cmd":"stop","force":false}"#) == .success(.stop(force: false)))
        #expect(decode(#"{"cmd":"monitor","on":false,"pent_id":2}"#) == .success(.monitor(on: false, pentID: 2)))
        #expect(decode(#"{"cmd":"monitor","on":true}"#) == .success(.monitor(on: true, pentID: nil)))
        #expect(decode(#"{"cmd":"reset","pent_id":1}"#) == .success(.reset(pentID: 1)))
        #expect(decode(#" { "cmd" : "reset" } "#) == .success(.reset(pentID: nil)))
    }

    @Test func aPlainStop_isTheLineOlderClientsSend() {
        #expect(String(decoding: ControlCodec.encode(.stop()), as: UTF8.self) == "{\"cmd\":\"stop\"}\n")
    }

    @Test func force_onAnythingButStop_isABadRequest() {
        #expect(refusal(#"{"cmd":"show","force":true}"#) == .badRequest)
        #expect(refusal(#"{"cmd":"reset","force":true}"#) == .badRequest)
    }

    @Test func unknownKeys_areIgnored_soNewerClientsStillWork() {
        #expect(decode(#"{"cmd":"show","client":"psview 2"}"#) == .success(.show))
    }

    @Test(arguments: [
        "", " ", "show", "not json", "[]", "null", "{}", #"{"cmd":5}"#, #"{"cmd":"show""#,
        #"{"command":"show"}"#, #"{"cmd":"monitor","on":"yes"}"#, #"{"cmd":"reset","pent_id":"one"}"#,
    ])
    func malformedLines_areRefusedAsBadRequests(_ line: String) {
        #expect(refusal(line) == .badRequest)
    }

    @Test func invalidUTF8_isRefusedAsABadRequest() {
        guard case .failure(let answer) = ControlCodec.decodeRequest([0x7b, 0xff, 0xfe, 0x7d]) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(answer.error == .badRequest)
    }

    @Test func monitorWithoutOn_saysWhatItNeeds() throws {
        guard case .failure(let answer) = decode(#"{"cmd":"monitor","pent_id":1}"#) else {
            Issue.record("monitor without on was accepted")
            return
        }
        #expect(answer.error == .badRequest)
        #expect(answer.message.contains("\"on\""))
    }

    @Test func anUnknownCommand_isNamedInTheRefusal() throws {
        guard case .failure(let answer) = decode(#"{"cmd":"reboot"}"#) else {
            Issue.record("an unknown cmd was accepted")
            return
        }
        #expect(answer.error == .badRequest)
        #expect(answer.message.contains("reboot"))
    }

    @Test(arguments: [0, -1, -2_000_000])
    func aPentIDBelowOne_isAnUnknownEntry(_ id: Int) {
        #expect(refusal(#"{"cmd":"reset","pent_id":\#(id)}"#) == .unknownEntry)
    }

    @Test func aLineOneByteOverTheLimit_isRefusedAsTooLong() {
        let body = #"{"cmd":"show"}"#
        let line = body + String(repeating: " ", count: ControlCodec.maximumRequestLength + 1 - body.utf8.count)
        #expect(line.utf8.count == ControlCodec.maximumRequestLength + 1)
        #expect(refusal(line) == .tooLong)
    }

    @Test func aLineExactlyAtTheLimit_isAccepted() {
        let body = #"{"cmd":"show"}"#
        let line = body + String(repeating: " ", count: ControlCodec.maximumRequestLength - body.utf8.count)
        #expect(decode(line) == .success(.show))
    }

    @Test func aHugeLineOfGarbage_isRefusedWithoutBeingParsed() {
        let line = [UInt8](repeating: UInt8(ascii: "{"), count: 1 << 20)
        guard case .failure(let answer) = ControlCodec.decodeRequest(line) else {
            Issue.record("a 1 MiB line was accepted")
            return
        }
        #expect(answer.error == .tooLong)
    }

    @Test func onlyShow_leavesTheEngineAsItIs() {
        #expect(!ControlRequest.show.changesState)
        for request in Self.requests where request != .show { #expect(request.changesState) }
    }

    @Test func anAnswerWithTheState_isOneLine_andDecodesToItself() throws {
        var entry = StateFixture.java
        entry.pname = "/opt/line\nbreak/アプリ"
        let answer = ControlAnswer(ok: true, message: "done", state: StateFixture.document(entries: [entry]))
        let line = ControlCodec.encode(answer)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(try ControlCodec.decodeAnswer(Array(line.dropLast())) == answer)
    }

    @Test(arguments: [ControlFailure.permissionDenied, .unknownEntry, .badRequest, .tooLong])
    func aRefusal_keepsItsReason(_ failure: ControlFailure) throws {
        let answer = ControlAnswer.refused(failure, "because")
        let decoded = try ControlCodec.decodeAnswer(Array(ControlCodec.encode(answer).dropLast()))
        #expect(decoded == answer)
        #expect(!decoded.ok)
        #expect(decoded.state == nil)
    }

    @Test func theFailureWords_areTheWireContract() {
        #expect(ControlFailure.permissionDenied.rawValue == "permission_denied")
        #expect(ControlFailure.unknownEntry.rawValue == "unknown_entry")
        #expect(ControlFailure.badRequest.rawValue == "bad_request")
        #expect(ControlFailure.tooLong.rawValue == "too_long")
    }

    @Test(arguments: ["", "garbage", #"{"ok":true}"#, #"{"ok":true,"message":"done","state":{"#,
                      #"{"ok":false,"error":"on_fire","message":"x"}"#])
    func aBrokenAnswer_throws(_ text: String) {
        #expect(throws: (any Error).self) { try ControlCodec.decodeAnswer(Array(text.utf8)) }
    }
}
