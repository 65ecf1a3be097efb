import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Issue 8, reproduction 2: a client tells its change only to the engine of the
/// state file; a swapped socket, or anyone else answering, hears nothing.
@Suite("Control client checks who answers", .serialized, .timeLimit(.minutes(1)))
struct ControlClientIdentityTests {
    private let done = String(decoding: ControlCodec.encode(ControlAnswer(ok: true, message: "done")).dropLast(),
                              as: UTF8.self)

    init() {
        // The fake answers a client that hung up without a word: that write must not end the tests.
        SignalFD.ignoreBrokenPipes()
    }

    private func send(_ fake: FakeEngineSocket, path: String? = nil, engine: ExpectedEngine?)
        -> Result<ControlAnswer, ControlClientError>
    {
        Result { () throws(ControlClientError) in
            try ControlClient(socketPath: path ?? fake.path, timeout: .seconds(2), engine: engine)
                .send(.monitor(on: false, pentID: nil))
        }
    }

    /// Lets a fake that was never reached finish at once, instead of waiting out its timeout.
    private func release(_ fake: FakeEngineSocket) {
        _ = try? ControlClient(socketPath: fake.path, timeout: .seconds(1)).send(.show)
    }

    private func isNotTheEngine(_ result: Result<ControlAnswer, ControlClientError>) -> Bool {
        if case .failure(.notTheEngine) = result { return true }
        return false
    }

    @Test func theEnginePidOfTheStateFile_answering_isTold() throws {
        let fake = try FakeEngineSocket(.reply(done))
        defer { fake.close() }
        let me = ExpectedEngine(pid: Identity.processID, user: Identity.effectiveUser)
        #expect(try send(fake, engine: me).get().ok)
    }

    @Test func anotherPidAnswering_isNotTheEngine_andHearsNothing() throws {
        let fake = try FakeEngineSocket(.reply(done))
        defer { fake.close() }
        let other = ExpectedEngine(pid: ProcessID(1), user: Identity.effectiveUser)
        let result = send(fake, engine: other)
        #expect(isNotTheEngine(result), "\(result)")
        #expect(fake.request.isEmpty, "the request was never written")
    }

    @Test func aSocketOfAnotherUserThanTheEngines_isNotTheEngine() throws {
        let fake = try FakeEngineSocket(.reply(done))
        defer { fake.close() }
        let someoneElse = ExpectedEngine(pid: Identity.processID, user: UserID(Identity.effectiveUser.rawValue + 1))
        #expect(isNotTheEngine(send(fake, engine: someoneElse)))
        release(fake)
    }

    @Test func aLinkAtTheSocketPath_isNotFollowed() throws {
        let fake = try FakeEngineSocket(.reply(done))
        defer { fake.close() }
        let link = fake.folder + "/link.sock"
        #expect(symlink(fake.path, link) == 0)
        #expect(isNotTheEngine(send(fake, path: link, engine: nil)))
        #expect(fake.request.isEmpty)
        release(fake)
    }

    @Test func aSocketInAFolderAnyoneMayWrite_isNotTrusted() throws {
        let fake = try FakeEngineSocket(.reply(done))
        defer { fake.close() }
        try FileSystem.setPermissions(fake.folder, 0o777)
        #expect(isNotTheEngine(send(fake, engine: nil)))
        #expect(fake.request.isEmpty)
        try FileSystem.setPermissions(fake.folder, 0o755)
        release(fake)
    }
}
