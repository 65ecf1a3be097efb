import PsaverConfig
import PsaverSystem

/// Reads the pfile for SIGHUP only when it is a consistent file (DESIGN §3): a file
/// written in place at the moment of SIGHUP (`cat > pfile`) would otherwise be taken
/// half-written and drop entries.
///
/// Runs on the reload's own thread, never on the loop: it waits while a process has
/// the file open for writing (up to `writerPatience`), then loads it and keeps the
/// result only if the file did not change while it was read. A file still being
/// written, or that keeps changing, is refused and the old configuration stays.
enum PFileSettling {
    static let writerPatience: Duration = .seconds(10)
    static let pause: Duration = .milliseconds(50)
    /// Between looks for writers: each look reads every process's descriptors.
    static let writerPause: Duration = .milliseconds(250)
    static let readAttempts = 5

    /// Why a reload read nothing consistent.
    struct Unsettled: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ path: String, using load: () throws -> PFile) throws -> PFile {
        let deadline = MonotonicInstant.now() + writerPatience
        while true {
            let writers = OpenWriters.pids(of: path)
            if writers.isEmpty { break }
            guard MonotonicInstant.now() < deadline else {
                throw Unsettled(description: "\(path) is still open for writing by pid "
                                + writers.map(\.description).joined(separator: ", ")
                                + " after \(DurationText.seconds(writerPatience)) s; send SIGHUP again once it is saved")
            }
            MonotonicInstant.sleep(writerPause)
        }
        for _ in 0..<readAttempts {
            let before = fingerprint(path)
            let pfile = try load()
            if before != nil && fingerprint(path) == before { return pfile }
            MonotonicInstant.sleep(pause)
        }
        throw Unsettled(description: "\(path) changed while it was read, \(readAttempts) times; "
                        + "send SIGHUP again once it is saved")
    }

    /// What changes when a file is written: its identity, size and modification time.
    private static func fingerprint(_ path: String) -> [Int64]? {
        guard let status = try? FileSystem.status(of: path) else { return nil }
        return [Int64(bitPattern: status.device), Int64(bitPattern: status.inode), status.size, status.modifiedAt]
    }
}
