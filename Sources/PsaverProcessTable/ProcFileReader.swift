internal import PsaverSystem

/// Reads the two files a pass needs of every process, `stat` and `cmdline`.
///
/// Any failure, the usual one being a process that exited between the folder
/// listing and the read (ENOENT, ESRCH), reads as nil: the pass skips that pid.
struct ProcFileReader {
    /// The fields of `DIRECTORY/stat`, or nil when it is gone or not a stat line.
    mutating func stat(_ directory: String) -> ProcFiles.Stat? {
        guard let bytes = try? FileSystem.readBytes(directory + "/stat", limit: 4096) else { return nil }
        return ProcFiles.parseStat(bytes)
    }

    /// `DIRECTORY/cmdline`, or nil when it is gone. Empty for kernel threads.
    mutating func commandLine(_ directory: String) -> [UInt8]? {
        try? FileSystem.readBytes(directory + "/cmdline", limit: 1 << 20)
    }
}
