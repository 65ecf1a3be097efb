public import PsaverConfig
import PsaverState
import PsaverSystem

/// Every refusal the engine makes at start-up about its configuration, in one
/// place, so that `pcheck --check` passes exactly what the engine accepts: the
/// pfile is already parsed and its files judged safe (`PFileLoader`); this adds
/// the state folder and the `--log` file, by the rules the engine opens them with.
///
/// The engine admits with `creating: true` (a missing state folder is made, as at
/// every start); `--check` with `creating: false`, which changes nothing on disk and
/// asks instead whether the engine could make what is missing.
public enum EngineAdmission {
    /// Throws the first refusal (a `PathRefusal`, `SystemError` or `LogFileError`, each naming its path).
    public static func admit(_ pfile: PFile, log: EngineLog.Destination = .syslog, creating: Bool) throws {
        let store = StateFileStore(path: pfile.params.stateFile)
        if creating {
            _ = try store.folder()
        } else {
            try checkFolder(FileSystem.directoryName(of: store.path),
                            role: "the state folder (SHM_DUMP_FILE \(store.path))", shared: false, engineCreates: true)
        }
        if !creating, case .file(let path) = log {
            do {
                try checkFolder(FileSystem.directoryName(of: path), role: "the log (--log \(path))", shared: true,
                                engineCreates: false)
            } catch let error as SystemError {
                throw LogFileError(path: path, error: error)
            }
            if FileSystem.exists(path) { try EngineLog.openLogFile(path).close() }
        }
    }

    /// What `--check` says about entries that the engine accepts but that look wrong:
    /// a pname that does not exist or can't be run (a process may still show that
    /// argv[0], so this is never a refusal).
    public static func warnings(_ pfile: PFile) -> [PFileDiagnostic] {
        pfile.entries.compactMap { entry in
            let problem: String
            if !FileSystem.exists(entry.pname) {
                problem = "does not exist"
            } else if !FileSystem.isExecutable(entry.pname) {
                problem = "is not executable"
            } else {
                return nil
            }
            return PFileDiagnostic(.warning, file: pfile.path, line: entry.line,
                                   message: "pent_id \(entry.id): pname \(entry.pname) \(problem); the entry "
                                       + "matches only a process whose argv[0] is exactly that path")
        }
    }

    /// The folder by the engine's rule when it exists; when it does not and the engine
    /// would make it, the nearest folder above it that does, which must be one the
    /// engine may create folders in.
    private static func checkFolder(_ path: String, role: String, shared: Bool, engineCreates: Bool) throws {
        guard engineCreates || FileSystem.exists(path) else {
            throw SystemError("open", path, code: SystemError.noSuchFile)
        }
        var existing = FileSystem.absolute(path, relativeTo: FileSystem.currentDirectory())
        var missing = false
        while !FileSystem.exists(existing) && existing != "/" {
            existing = FileSystem.directoryName(of: existing)
            missing = true
        }
        do {
            _ = try TrustedDirectory(existing, shared: shared || missing)
        } catch let refusal as PathRefusal {
            throw refusal.about(role)
        }
        if missing && !FileSystem.canCreate(in: existing) {
            throw SystemError("mkdir", path, code: SystemError.permissionDenied)
        }
    }
}
