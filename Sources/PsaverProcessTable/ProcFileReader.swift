internal import PsaverSystem

/// Reads the files a pass needs of every process, `stat` and `cmdline`, each with
/// one open and one read into a buffer kept for the whole pass.
///
/// Any failure, the usual one being a process that exited between the folder
/// listing and the read (ENOENT, ESRCH), reads as nil: the pass skips that pid.
struct ProcFileReader {
    private var buffer: [UInt8] = []
    /// The buffer for leading bytes, kept at the size asked so that the kernel is
    /// never asked for more (a page, not the megabyte the big buffer may have grown to).
    private var lead: [UInt8] = []

    /// The fields of `DIRECTORY/stat`, or nil when it is gone or not a stat line.
    mutating func stat(_ directory: String) -> ProcFiles.Stat? {
        guard let count = try? FileSystem.read(directory + "/stat", into: &buffer, limit: 64 << 10) else {
            return nil
        }
        return buffer.withUnsafeBufferPointer { whole in
            ProcFiles.parseStat(UnsafeBufferPointer(rebasing: whole[..<count]))
        }
    }

    /// `DIRECTORY/cmdline` without its trailing NULs, up to `ProcessTable.commandLineLimit`
    /// bytes, or nil when it is gone. Empty for kernel threads and for processes
    /// whose memory is already gone.
    mutating func commandLine(_ directory: String) -> [UInt8]? {
        guard var count = try? FileSystem.read(
            directory + "/cmdline", into: &buffer, limit: ProcessTable.commandLineLimit)
        else { return nil }
        while count > 0 && buffer[count - 1] == 0 { count -= 1 }
        return Array(buffer[..<count])
    }

    /// The first `count` bytes of `DIRECTORY/cmdline`: enough to tell argv[0]
    /// (`MatcherIndex.leadingBytes`). `whole` when the command line ended within
    /// them (trailing NULs then removed); nil when the process is gone.
    mutating func leadingCommandLine(_ directory: String, count: Int) -> (bytes: [UInt8], whole: Bool)? {
        if lead.count != count { lead = [UInt8](repeating: 0, count: count) }
        guard var read = try? FileSystem.read(directory + "/cmdline", into: &lead, limit: count) else {
            return nil
        }
        if read == count { return (lead, false) }
        while read > 0 && lead[read - 1] == 0 { read -= 1 }
        return (Array(lead[..<read]), true)
    }
}
