import PsaverConfig
import PsaverEngine
import PsaverSystem
import Testing

/// DESIGN §3 and issue 8, reproduction 4: one engine per IPCKEY, a lock that only
/// the engine's user can hold, and a squatter on the abstract name ignored.
@Suite("The IPCKEY lock", .serialized, .timeLimit(.minutes(1)))
struct InstanceLockTests {
    let folder: String
    let key = IPCKey(UInt32.random(in: 0x4000_0000...0x7fff_ffff))

    init() throws {
        folder = try TemporaryDirectory.make(prefix: "psaver-lock")
    }

    @Test func aSecondLockOnTheSameKey_isHeld_untilTheFirstIsReleased() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        var first: InstanceLock? = try InstanceLock(ipcKey: key, folder: folder)
        #expect(throws: InstanceLockError.held(key)) { try InstanceLock(ipcKey: key, folder: folder) }
        _ = first
        first = nil
        _ = try lockOnceEveryCopyIsClosed()
    }

    /// Other tests in this process spawn programs all the time, and each child holds
    /// a copy of every descriptor from its fork until its exec closes them (they are
    /// close-on-exec). A lock let go here is free once those children have exec'd:
    /// microseconds as a rule, seconds never. A lock that is never let go still fails.
    private func lockOnceEveryCopyIsClosed() throws -> InstanceLock {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            do {
                return try InstanceLock(ipcKey: key, folder: folder)
            } catch InstanceLockError.held(_) where ContinuousClock.now < deadline {
                continue
            }
        }
    }

    @Test func aNameBoundByANonEngine_thatDoesNotListen_doesNotBlockTheLock() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        let squatter = try UnixSocket.make()
        defer { squatter.close() }
        try UnixSocket.bindAbstract(squatter, name: "psaver/ipckey/\(key)")
        let lock = try InstanceLock(ipcKey: key, folder: folder)
        #expect(lock.squatter == nil)
    }

    @Test func aListeningHolderOfTheSameUser_isBelieved_evenWithAnotherLockFolder() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        let other = try TemporaryDirectory.make(prefix: "psaver-lock-other")
        defer { TemporaryDirectory.removeTree(other) }
        let first = try InstanceLock(ipcKey: key, folder: other)
        #expect(throws: InstanceLockError.held(key)) { try InstanceLock(ipcKey: key, folder: folder) }
        _ = first
    }

    @Test func aLockFolderOthersMayWrite_isRefused() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        try FileSystem.setPermissions(folder, 0o777)
        #expect(throws: PathRefusal.self) { try InstanceLock(ipcKey: key, folder: folder) }
    }
}
