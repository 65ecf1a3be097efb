internal import PsaverSystem

/// Reads the two files a pass needs of every process, `stat` and `cmdline`, each
/// with one open and one read into a buffer kept for the whole pass.
///
/// Any failure, the usual one being a process that exited between the folder
/// listing and the read (ENOENT, ESRCH), reads as nil: the pass skips that pid.
struct ProcFileReader {
    private var buffer: [UInt8] = []

    /// The fields of `DIRECTORY/stat`, or nil when it is gone or not a stat line.
    mutating func stat(_ directory: String) -> ProcFiles.Stat? {
        guard let count = try? FileSystem.read(directory + "/stat", into: &buffer, limit: 64 << 10) else {
            return nil
        }
        return buffer.withUnsafeBufferPointer { whole in
            ProcFiles.parseStat(UnsafeBufferPointer(rebasing: whole[..<count]))
        }
    }

    /// `DIRECTORY/cmdline` without its trailing NULs, or nil when it is gone.
    /// Empty for kernel threads and for processes whose memory is already gone.
    mutating func commandLine(_ directory: String) -> [UInt8]? {
        guard var count = try? FileSystem.read(directory + "/cmdline", into: &buffer, limit: 1 << 20) else {
            return nil
        }
        while count > 0 && buffer[count - 1] == 0 { count -= 1 }
        return Array(buffer[..<count])
    }
}
