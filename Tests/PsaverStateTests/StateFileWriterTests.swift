import PsaverState
import PsaverSystem
import Testing

/// The engine's state-file writer: whole documents, and heartbeats that copy the
/// file before in the kernel but for its time (DESIGN §5: still a new file each
/// time, renamed over the old).
@Suite("Writing state files and heartbeats")
struct StateFileWriterTests {
    let folder: String
    let store: StateFileStore

    init() throws {
        folder = try TemporaryDirectory.make(prefix: "psaver-writer")
        store = StateFileStore(path: folder + "/state")
    }

    func contents() throws -> [UInt8] {
        try FileSystem.readRegular(store.path, what: "state file", limit: StateFileStore.maximumSize)
    }

    func manyEntries() -> StateDocument {
        let entries = (1...3_000).map { StateFixture.entry($0, "/opt/app/bin/svc-\($0)", pid: Int32($0), .avail) }
        return StateFixture.document(entries: entries)
    }

    @Test func aHeartbeat_writesTheDocumentBefore_atTheNewTime() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var writer = StateFileWriter(store: store)
        var document = manyEntries()
        try writer.write(document)

        for later in ["2026-11-25T10:59:59+09:00", "2026-11-25T11:00:09+09:00", "2026-11-25T11:00:19+0900"] {
            #expect(try writer.writeHeartbeat(later))
            document.heartbeatAt = later
            #expect(try contents() == StateCodec.encode(document), "heartbeat \(later)")
        }
        #expect(try store.read() == document)
        writer.close()
    }

    @Test func everyHeartbeat_isANewFile_renamedOverTheOld_mode0644() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var writer = StateFileWriter(store: store)
        try writer.write(StateFixture.document())
        let before = try FileSystem.status(of: store.path, followLinks: false)

        #expect(try writer.writeHeartbeat("2026-11-25T11:00:00+09:00"))

        let after = try FileSystem.status(of: store.path, followLinks: false)
        #expect(after.inode != before.inode)
        #expect(after.permissions == 0o644)
        #expect(try FileSystem.contents(ofDirectory: folder) == ["state"], "no temporary file is left")
        writer.close()
    }

    @Test func aHeartbeatBeforeAnyWrite_writesNothing_andSaysSo() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var writer = StateFileWriter(store: store)

        #expect(try writer.writeHeartbeat("2026-11-25T11:00:00+09:00") == false)
        #expect(!FileSystem.exists(store.path))
    }

    @Test func aStateFileRemovedBetweenWrites_comesBackWholeAtTheNextHeartbeat() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var writer = StateFileWriter(store: store)
        var document = manyEntries()
        try writer.write(document)
        try FileSystem.remove(store.path)

        #expect(try writer.writeHeartbeat("2026-11-25T11:00:00+09:00"))

        document.heartbeatAt = "2026-11-25T11:00:00+09:00"
        #expect(try store.read() == document)
        writer.close()
    }

    @Test func aStateFolderRemovedBetweenWrites_isMadeAgain_andTheHeartbeatLandsInIt() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        let nested = StateFileStore(path: folder + "/dump/state")
        var writer = StateFileWriter(store: nested)
        var document = StateFixture.document()
        try writer.write(document)
        TemporaryDirectory.removeTree(folder + "/dump")

        #expect(try writer.writeHeartbeat("2026-11-25T11:00:00+09:00"))

        document.heartbeatAt = "2026-11-25T11:00:00+09:00"
        #expect(try nested.read() == document)
        writer.close()
    }

    @Test func aTimeThatJSONWouldHaveToEscape_isNotSplicedIn() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var writer = StateFileWriter(store: store)
        try writer.write(StateFixture.document())

        #expect(try writer.writeHeartbeat("10:00\"") == false)
        #expect(try store.read() == StateFixture.document())
        writer.close()
    }
}
