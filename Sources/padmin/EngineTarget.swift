import PsaverConfig
import PsaverState
import PsaverSystem

/// Where one engine keeps its state and its control socket, as its pfile says.
///
/// padmin reads the pfile's text and parses it, without the loader's ownership
/// and script checks: those protect what the engine runs, and padmin runs
/// nothing. An operator who may read the pfile (0644) can always `show`, even
/// when the pfile belongs to root or another user; whether a change is allowed
/// is the engine's decision, made on the socket with SO_PEERCRED.
struct EngineTarget {
    var pfilePath: String
    var store: StateFileStore
    /// How long a request may wait for its answer: the pfile's MSG_CHECK_INTERVAL.
    var timeout: Duration

    var socketPath: String { store.socketPath }

    /// Reads and parses the pfile at `path`; the error is a usage failure that says why.
    static func load(pfile path: String) throws(PadminFailure) -> EngineTarget {
        let absolute = FileSystem.absolute(path, relativeTo: FileSystem.currentDirectory())
        let text: String
        do {
            let bytes = try FileSystem.readRegular(absolute, what: "pfile", limit: PFileLoader.maximumSize,
                                                   links: .follow)
            text = String(decoding: bytes, as: UTF8.self)
        } catch {
            let reason = (error as? SystemError)?.reason ?? "\(error)"
            var failure = PadminFailure.usage("cannot read the pfile: \(reason); check the path given with -f")
            failure.subject = absolute
            throw failure
        }
        let pfile: PFile
        do {
            pfile = try PFileParser.parse(text, path: absolute)
        } catch {
            let first = error.errors.first.map(Self.oneLine) ?? "\(error)"
            throw .usage("the pfile is not valid: \(first) (pcheck --check -f \(path) lists every finding)")
        }
        return EngineTarget(pfilePath: absolute, store: StateFileStore(path: pfile.params.stateFile),
                            timeout: pfile.params.messageCheckInterval)
    }

    /// The same engine's kept retry-over state (`SHM_DUMP_FILE.previous`), read like its state file.
    func previous() throws(PadminFailure) -> EngineTarget {
        let kept = store.previousPath
        guard FileSystem.exists(kept) else {
            throw PadminFailure(.notRunning, "no_previous", "no earlier engine's state is kept: there is no \(kept) "
                                + "(it is written when an engine that ended at retry over is followed by a new one)")
        }
        var target = self
        target.store = StateFileStore(path: kept)
        return target
    }

    /// `file:line:column: message`, without the quoted line and caret.
    private static func oneLine(_ diagnostic: PFileDiagnostic) -> String {
        var location = diagnostic.file
        if diagnostic.line > 0 { location += ":\(diagnostic.line)" }
        if diagnostic.column > 0 { location += ":\(diagnostic.column)" }
        return "\(location): \(diagnostic.message)"
    }
}
