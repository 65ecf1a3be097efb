import Foundation

/// Keeps file writes and process spawns of the test process apart.
///
/// Suites run in parallel threads. A child spawned while another thread has a
/// file open for writing inherits that descriptor until its exec; exec'ing that
/// file meanwhile (a fresh service copy, a fresh restart script) then fails with
/// ETXTBSY, "Text file busy", and a test fails for no fault of pcheck. posix_spawn
/// returns only once the child has exec'd, so holding this lock around both is
/// enough.
enum SpawnGate {
    private static let lock = NSLock()

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
