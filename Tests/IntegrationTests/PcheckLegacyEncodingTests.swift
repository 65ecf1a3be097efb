import Foundation
import PsaverState
import PsaverSystem
import Testing

/// A pfile in Shift-JIS or EUC-JP, as hosts that follow the guide write them: the
/// entries' include strings are compared with the running services' command lines
/// byte for byte, so services already running are recognised and not started twice.
@Suite("pcheck with pfiles in legacy encodings", .serialized, .timeLimit(.minutes(2)))
struct PcheckLegacyEncodingTests {
    /// テスト in Shift-JIS and in EUC-JP.
    static let encodings: [(name: String, bytes: [UInt8])] = [
        ("sjis", [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]),
        ("eucjp", [0xA5, 0xC6, 0xA5, 0xB9, 0xA5, 0xC8]),
    ]

    @Test func servicesNamedInShiftJISAndEUCJPAreRecognisedAndNotStartedAgain() throws {
        let box = try Sandbox("enc")
        defer { box.close() }
        // The service is a copy of sh that keeps its arguments (the loop never execs).
        let service = "\(box.folder)/svc-\(box.tag)-jp"
        try FileSystem.replaceAtomically(service, with: FileSystem.readBytes("/bin/sh"), permissions: 0o755)
        var pents: [UInt8] = []
        for encoding in Self.encodings {
            let octal = encoding.bytes.map { "\\" + String($0, radix: 8) }.joined()
            let start = try script(box, "start-\(encoding.name)", """
                echo run >> \(box.folder)/\(encoding.name).runs
                setsid \(service) -c 'while :; do sleep 1; done' jp "-Dname=$(printf '\(octal)')" \
                  </dev/null >/dev/null 2>&1 &
                """)
            // Started by hand before the engine, as an operator's service already runs.
            _ = try Program.run("/bin/sh", [start], in: box)
            try? FileSystem.remove("\(box.folder)/\(encoding.name).runs")
            pents += Array("\(service):\(start):0:3:exit:include_strings=-Dname=".utf8) + encoding.bytes + [0x0A]
        }
        let services = try waitFor("both services to run", timeout: 10) { () -> [Int32]? in
            let pids = box.pids(of: service)
            return pids.count == 2 ? pids : nil
        }
        let head = """
            ##### PARAM #####
            IPCKEY             \(box.ipcKey)
            MONITOR_INTERVAL   2
            SHM_DUMP_FILE      \(box.folder)/pfile.state
            ##### PENT #####

            """
        let pfile = "\(box.folder)/pfile"
        try FileSystem.replaceAtomically(pfile, with: Array(head.utf8) + pents, permissions: 0o644)

        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 0)
        #expect(check.err.contains("not UTF-8"), "pcheck --check said: \(check.err)")

        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        let watched = try waitFor("both entries AVAIL", timeout: PcheckRun.patience) { () -> Set<Int32>? in
            guard let entries = box.state()?.entries, entries.count == 2,
                entries.allSatisfy({ $0.procSts == .avail }) else { return nil }
            return Set(entries.compactMap(\.pid))
        }
        #expect(watched == Set(services), "\(engine.diagnosis)")
        for encoding in Self.encodings {
            #expect(!FileSystem.exists("\(box.folder)/\(encoding.name).runs"), "\(encoding.name) started again")
        }
        #expect(box.pids(of: service).count == 2)

        // padmin prints the strings as the bytes written in the pfile.
        let show = try Program("padmin", ["-f", pfile, "-c", "show", "pent"], in: box)
        defer { show.stop() }
        #expect(try show.wait(timeout: 20) == 0)
        let printed = try FileSystem.readBytes(show.outputPath)
        for encoding in Self.encodings {
            let line = Array("include_strings = -Dname=".utf8) + encoding.bytes + [0x0A]
            #expect(contains(printed, line), "padmin printed \(printed)")
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
