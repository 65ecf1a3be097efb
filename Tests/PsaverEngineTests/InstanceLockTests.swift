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
    func lockOnceEveryCopyIsClosed() throws -> InstanceLock {
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

extension InstanceLockTests {
    @Test func aReleasedLock_removesItsFile_soLockFilesDoNotPileUp_andTheKeyCanBeTakenAgain() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        let path = "\(folder)/.ipckey-\(key).lock"
        var lock: InstanceLock? = try InstanceLock(ipcKey: key, folder: folder)
        #expect(FileSystem.exists(path))
        _ = lock
        lock = nil
        #expect(!FileSystem.exists(path))
        lock = try lockOnceEveryCopyIsClosed()
        #expect(throws: InstanceLockError.held(key)) { try InstanceLock(ipcKey: key, folder: folder) }
        #expect(FileSystem.exists(path))
    }
}

extension InstanceLockTests {
    @Test func lockFilesLeftByKilledEngines_areSwept_butAHeldOneStays() throws {
        defer { TemporaryDirectory.removeTree(folder) }
        let other = IPCKey(key.value ^ 0x1)
        let held = try InstanceLock(ipcKey: other, folder: folder)
        try FileSystem.replaceAtomically("\(folder)/.ipckey-0x1.lock", with: [], permissions: 0o600)
        let lock = try InstanceLock(ipcKey: key, folder: folder)
        #expect(!FileSystem.exists("\(folder)/.ipckey-0x1.lock"), "a lock nobody holds is swept")
        #expect(FileSystem.exists("\(folder)/.ipckey-\(other).lock"), "a held one stays")
        #expect(throws: InstanceLockError.held(other)) { try InstanceLock(ipcKey: other, folder: folder) }
        _ = (held, lock)
    }
}
