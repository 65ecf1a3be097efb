import PsaverConfig
import PsaverState
import PsaverSystem

/// Which engines psview shows: named ones, or every one in the registry.
enum EngineSource {
    /// These state files, always (a missing one shows as unreadable until it appears).
    case files([String])
    /// Every engine registered on this host that this user may read (its own registry,
    /// and root's for anyone else), as they come and go.
    case registry([EngineRegistry])

    /// The state files of `pfiles` (their SHM_DUMP_FILE) and `stateFiles`, or the
    /// registry when both are empty.
    static func from(pfiles: [String], stateFiles: [String]) throws(SourceError) -> EngineSource {
        if pfiles.isEmpty && stateFiles.isEmpty { return .registry(EngineRegistry.visible()) }
        let cwd = FileSystem.currentDirectory()
        var paths: [String] = []
        for pfile in pfiles {
            let path = FileSystem.absolute(pfile, relativeTo: cwd)
            let text: String
            do {
                text = try FileSystem.readText(path)
            } catch {
                let reason = (error as? SystemError).map { "\($0.call): \($0.reason)" } ?? "\(error)"
                throw SourceError(message: ToolError.phrase([path, "cannot read the pfile", reason]))
            }
            do {
                // Only SHM_DUMP_FILE is needed: no file-safety rule, so that operators
                // may watch an engine whose pfile they could not run.
                paths.append(try PFileParser.parse(text, path: path).params.stateFile)
            } catch {
                throw SourceError(message: "\(error)")
            }
        }
        paths += stateFiles.map { FileSystem.absolute($0, relativeTo: cwd) }
        var seen: Set<String> = []
        return .files(paths.filter { seen.insert($0).inserted })
    }
}

/// Why the engines to show could not be worked out; one line for stderr.
struct SourceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
