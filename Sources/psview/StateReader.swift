import PsaverConsole
import PsaverState
import PsaverSystem

/// Reads one engine's state file and says how the engine is, for `ConsoleUpdate.engineUpdated`.
enum StateReader {
    /// A state file is a few hundred bytes per entry; anything beyond this is not one.
    static let sizeLimit = StateFileStore.maximumSize

    /// The document (nil when unreadable) and the liveness: `.gone` when the engine's pid
    /// no longer exists on this host. A file written on another host (shared storage)
    /// is judged by its heartbeat alone, which the console does at each tick.
    ///
    /// Never blocks: the file is opened without blocking and must be a regular file of
    /// sane size (`FileSystem.readRegular`), so that a FIFO put in its place cannot freeze
    /// the console. A link is followed: an operator may name the state file by one.
    /// `previous` is the last reading of the same file: a rewrite that only moved the
    /// heartbeat (once per MONITOR_INTERVAL per engine) then costs no JSON decode, and one
    /// that changed a few entries decodes only those (`StateReading`).
    static func read(
        _ path: String, host: String, previous: StateReading?
    ) -> (StateReading?, EngineLiveness) {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readRegular(path, what: "state file", limit: sizeLimit, links: .follow)
        } catch let error as SystemError {
            return (nil, .unreadable(error.reason))
        } catch let refusal as PathRefusal {
            return (nil, .unreadable(refusal.reason))
        } catch {
            return (nil, .unreadable("\(error)"))
        }
        let reading: StateReading
        do {
            reading = try StateReading(decoding: bytes, after: previous)
        } catch {
            return (nil, .unreadable("\(error)"))
        }
        return (reading, liveness(of: reading.document, host: host))
    }

    static func liveness(of document: StateDocument, host: String) -> EngineLiveness {
        if document.host != host { return .running }
        return EngineProcess.runs(document) ? .running : .gone
    }

    /// The final state of the engine before this one, which the engine keeps beside its
    /// state file when that one ended at retry over; nil when there is none or it can't
    /// be read (read as the state file is: without blocking, a regular file of sane size).
    static func previousEngine(of document: StateDocument?) -> StateDocument? {
        guard let document else { return nil }
        let path = StateFileStore(path: document.params.shmDumpFile).previousPath
        guard let bytes = try? FileSystem.readRegular(path, what: "state file", limit: sizeLimit),
            let previous = try? StateCodec.decode(bytes), previous.engineSts == .retryOver
        else { return nil }
        return previous
    }

    /// The end of the file the entry's engine sends restart script output to, as lines.
    static func scriptOutput(of document: StateDocument?) -> ScriptOutput {
        guard let path = document?.scriptOutput else { return ScriptOutput(path: nil, lines: .success([])) }
        do {
            let bytes = try FileSystem.readRegular(path, what: "log", limit: 64 << 10, tail: true)
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            if bytes.count == 64 << 10, !lines.isEmpty { lines.removeFirst() }  // a cut first line
            if lines.last == "" { lines.removeLast() }
            return ScriptOutput(path: path, lines: .success(Array(lines.suffix(200))))
        } catch let error as SystemError {
            return ScriptOutput(path: path, lines: .failure(ScriptOutputError(error.reason)))
        } catch let refusal as PathRefusal {
            return ScriptOutput(path: path, lines: .failure(ScriptOutputError(refusal.reason)))
        } catch {
            return ScriptOutput(path: path, lines: .failure(ScriptOutputError("\(error)")))
        }
    }
}
