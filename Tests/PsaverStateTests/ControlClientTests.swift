import Foundation
import PsaverState
import PsaverSystem
import Testing

@Suite("Control client against a scripted socket", .serialized, .timeLimit(.minutes(1)))
struct ControlClientTests {
    private func answerLine(_ answer: ControlAnswer) -> String {
        String(decoding: ControlCodec.encode(answer).dropLast(), as: UTF8.self)
    }

    private func send(_ request: ControlRequest, to fake: FakeEngineSocket,
                      timeout: Duration = .seconds(5)) -> Result<ControlAnswer, ControlClientError> {
        Result { () throws(ControlClientError) in
            try ControlClient(socketPath: fake.path, timeout: timeout).send(request)
        }
    }

    @Test func aRequest_isSentAsOneLine_andTheAnswerComesBackWithTheState() throws {
        let state = StateFixture.document()
        let fake = try FakeEngineSocket(.reply(answerLine(ControlAnswer(ok: true, message: "done", state: state))))
        defer { fake.close() }
        let answer = try send(.monitor(on: false, pentID: 1), to: fake).get()
        #expect(answer.ok)
        #expect(answer.state == state)
        #expect(ControlCodec.decodeRequest(fake.request) == .success(.monitor(on: false, pentID: 1)))
    }

    @Test func noSocketFile_meansTheEngineIsNotRunning() {
        let path = "/tmp/psaver-client-none-\(UInt32.random(in: 0...UInt32.max))/engine.sock"
        #expect(throws: ControlClientError.notRunning(path)) {
            try ControlClient(socketPath: path).send(.show)
        }
    }

    @Test func aSocketFileNobodyListensOn_isStale() throws {
        let (folder, path) = try FakeEngineSocket.stale()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ControlClientError.stale(path)) {
            try ControlClient(socketPath: path).send(.monitor(on: true, pentID: nil))
        }
        #expect("\(ControlClientError.stale(path))".contains("stale"))
    }

    @Test func aPermissionRefusal_isPermissionDenied_withTheEnginesWords() throws {
        let refusal = ControlAnswer.refused(.permissionDenied, "permission denied: only root may change this engine")
        let fake = try FakeEngineSocket(.reply(answerLine(refusal)))
        defer { fake.close() }
        #expect(send(.stop(), to: fake) == .failure(.permissionDenied(refusal.message)))
    }

    @Test func anUnknownPentID_isUnknownEntry() throws {
        let fake = try FakeEngineSocket(.reply(answerLine(.refused(.unknownEntry, "no entry with pent_id 9"))))
        defer { fake.close() }
        #expect(send(.reset(pentID: 9), to: fake) == .failure(.unknownEntry("no entry with pent_id 9")))
    }

    @Test func aStopRefusedUnderACluster_isClusterManaged_withTheEnginesWords_andDoesNotWaitForAnEnd() throws {
        let words = ClusterRecord(manager: .pacemaker, resource: "psaver").stopRefusal(enginePID: ProcessID(42))
        // The engine keeps the connection open after a refusal: waiting for its close would time out.
        let fake = try FakeEngineSocket(.reply(answerLine(.refused(.clusterManaged, words)), linger: .seconds(3)))
        defer { fake.close() }
        let started = Date()
        #expect(send(.stop(), to: fake) == .failure(.clusterManaged(words)))
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(words.contains("pacemaker resource psaver") && words.contains("crm resource stop psaver"))
        #expect(words.contains("padmin -c stop --force"))
    }

    @Test(arguments: [ControlFailure.badRequest, .tooLong])
    func aRequestTheEngineCannotRead_isABadRequest(_ failure: ControlFailure) throws {
        let fake = try FakeEngineSocket(.reply(answerLine(.refused(failure, "what?"))))
        defer { fake.close() }
        #expect(send(.show, to: fake) == .failure(.badRequest("what?")))
    }

    @Test func anEngineThatNeverAnswers_timesOut() throws {
        let fake = try FakeEngineSocket(.silent(after: .seconds(1)))
        defer { fake.close() }
        #expect(send(.show, to: fake, timeout: .milliseconds(300)) == .failure(.timedOut(.milliseconds(300))))
    }

    @Test func anEngineThatHangsUpWithoutAnswering_isATransportError() throws {
        let fake = try FakeEngineSocket(.hangUp)
        defer { fake.close() }
        guard case .failure(.transport(let message)) = send(.show, to: fake) else {
            Issue.record("expected a transport error")
            return
        }
        #expect(message.contains("without answering"))
    }

    @Test func anUnreadableAnswer_isATransportError() throws {
        let fake = try FakeEngineSocket(.reply("this is not json"))
        defer { fake.close() }
        guard case .failure(.transport(let message)) = send(.show, to: fake) else {
            Issue.record("expected a transport error")
            return
        }
        #expect(message.contains("unreadable answer"))
    }

    @Test func stop_returnsOnlyOnceTheEngineHasClosedTheConnection() throws {
        let fake = try FakeEngineSocket(.reply(answerLine(ControlAnswer(ok: true, message: "engine stopping")),
                                               linger: .milliseconds(400)))
        defer { fake.close() }
        let started = Date()
        let answer = try send(.stop(), to: fake).get()
        #expect(answer.message == "engine stopping")
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test func everyError_readsAsASentence() {
        let errors: [ControlClientError] = [
            .notRunning("/s"), .stale("/s"), .permissionDenied("permission denied: x"), .unknownEntry("no entry"),
            .badRequest("b"), .clusterManaged("refused: c"), .timedOut(.seconds(5)), .transport("t"),
        ]
        for error in errors { #expect(!error.description.isEmpty) }
        #expect(ControlClientError.timedOut(.seconds(5)).description.contains("5 s"))
        #expect(ControlClientError.notRunning("/s").description.contains("not running"))
    }
}
