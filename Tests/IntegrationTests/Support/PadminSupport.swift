import Foundation
import PsaverState
import PsaverSystem

/// What a padmin run printed and how it ended.
struct PadminResult {
    var code: Int32
    var out: String
    var err: String
}

/// One engine under test: a sandbox, a service with a restart script that notes
/// each start, a pfile, and pcheck running on it with its log in the sandbox.
final class EngineUnderTest {
    let box: Sandbox
    let service: String
    let services: [String]
    let pfile: String
    let logPath: String
    private(set) var engine: Program?

    /// Sets up `entries` services (`a`, `b`, …) and their scripts; the engine is not started yet.
    init(_ name: String, entries: Int = 1, retry: Int = 3, monitorInterval: Int = 1) throws {
        box = try Sandbox(name)
        var pents: [String] = []
        var services: [String] = []
        for index in 0..<entries {
            let svc = try box.service(String(UnicodeScalar(UInt8(ascii: "a") + UInt8(index))))
            let starts = "\(box.folder)/starts-\(FileSystem.baseName(of: svc))"
            let script = try box.restartScript(for: svc, extra: "date +%s.%N >> \(starts)")
            pents.append("\(svc):\(script):0:\(retry):exit")
            services.append(svc)
        }
        self.services = services
        service = services[0]
        pfile = try box.pfile(pents, monitorInterval: monitorInterval)
        logPath = "\(box.folder)/pcheck.log"
    }

    /// Starts pcheck and waits until its own state shows every entry AVAIL. With
    /// `servicesFirst`, the services are started by hand before, so nothing is counted.
    @discardableResult
    func start(servicesFirst: Bool = true) throws -> Program {
        if servicesFirst {
            for svc in services where box.pids(of: svc).isEmpty { _ = try box.startService(svc) }
        }
        let program = try Program("pcheck", ["-f", pfile, "--log", logPath], in: box)
        engine = program
        _ = try waitFor("every entry AVAIL", timeout: 20) { () -> Bool? in
            // This engine's own state (a killed engine's file may still say running); it
            // shows AVAIL only after the start-up scan, which follows the socket's creation.
            guard let state = self.box.state(), state.pid.rawValue == program.pid, state.engineSts == .running,
                state.entries.allSatisfy({ $0.procSts == .avail }) else { return nil }
            return true
        }
        return program
    }

    var state: StateDocument? { box.state() }
    var entry: EntryRecord? { box.state()?.entries.first }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Wall-clock times (seconds since the epoch) at which `service`'s restart script started.
    func starts(of service: String? = nil) -> [Double] {
        let path = "\(box.folder)/starts-\(FileSystem.baseName(of: service ?? self.service))"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Double($0) }
    }

    /// Runs padmin on this engine's pfile; `asNobody` runs it as user nobody with group
    /// `group` (65534, nogroup, by default) through setpriv.
    func padmin(_ arguments: [String], asNobody: Bool = false, group: Int = 65534) throws -> PadminResult {
        let full = ["-f", pfile] + arguments
        let (code, out, err) =
            asNobody
            ? try Program.run("/usr/bin/setpriv", ["--reuid=nobody", "--regid=\(group)", "--clear-groups",
                                                   try nobodysPadmin()] + full, in: box)
            : try Program.run("padmin", full, in: box)
        return PadminResult(code: code, out: out, err: err)
    }

    /// A copy of padmin in the sandbox (0755): the build folder may sit where nobody
    /// cannot reach it, such as a clone under /root. Copied by a child process so no
    /// descriptor open for writing leaks into a concurrent spawn (exec would fail, ETXTBSY).
    private func nobodysPadmin() throws -> String {
        let copy = "\(box.folder)/padmin"
        if !FileManager.default.fileExists(atPath: copy) {
            let (code, _, err) = try Program.run("/usr/bin/install", ["-m", "0755", Sandbox.binary("padmin"), copy],
                                                 in: box)
            guard code == 0 else { throw CopyFailed(message: err) }
        }
        return copy
    }

    /// Waits until the first entry satisfies `condition`; returns it.
    @discardableResult
    func waitForEntry(_ what: String, timeout: Double = 20, _ condition: @escaping (EntryRecord) -> Bool) throws
        -> EntryRecord
    {
        try waitFor(what, timeout: timeout) { self.entry.flatMap { condition($0) ? $0 : nil } }
    }

    /// Stops the engine if it runs, then kills everything from the sandbox and removes it.
    func close() {
        engine?.stop()
        box.close()
    }
}

/// `install` could not copy padmin into the sandbox.
struct CopyFailed: Error {
    var message: String
}

/// A raw client on a control socket, for the misbehaving ones: silent, half a line, garbage.
final class RawControlClient {
    let socket: FileDescriptor

    init(_ path: String) throws {
        socket = try UnixSocket.make()
        try UnixSocket.connect(socket, path: path)
        UnixSocket.setTimeout(socket, .seconds(5))
    }

    func send(_ bytes: [UInt8]) { try? socket.write(bytes) }
    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads what the engine sent until it closes or `timeout` passes (answers, or nothing).
    func readAll() -> String {
        var input: [UInt8] = []
        while let bytes = try? socket.read(maximum: 65536), !bytes.isEmpty { input += bytes }
        return String(decoding: input, as: UTF8.self)
    }

    /// Reads one answer line (without its newline), or what came before the engine
    /// closed the connection or `timeout` passed.
    func readLine() -> String {
        var input: [UInt8] = []
        while !input.contains(UInt8(ascii: "\n")), let bytes = try? socket.read(maximum: 65536), !bytes.isEmpty {
            input += bytes
        }
        return String(decoding: input.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    func close() { socket.close() }
}

/// Decodes what `padmin --json` printed.
struct PadminJSON: Decodable {
    var ok: Bool
    var command: String
    var exitCode: Int32
    var error: String?
    var message: String?
    var entries: [EntryRecord]?
    var params: ParamsRecord?
    var engine: Engine?

    struct Engine: Decodable {
        var state: String
        var pid: Int32
    }

    enum CodingKeys: String, CodingKey {
        case ok, command, error, message, entries, params, engine
        case exitCode = "exit_code"
    }

    init(_ text: String) throws {
        self = try JSONDecoder().decode(PadminJSON.self, from: Data(text.utf8))
    }
}
