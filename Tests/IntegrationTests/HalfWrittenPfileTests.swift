import Foundation
import PsaverState
import PsaverSystem
import Testing

/// A pfile read at SIGHUP is a consistent file.
@Suite("a pfile written in place at SIGHUP", .serialized, .timeLimit(.minutes(2)))
struct HalfWrittenPfileTests {
    @Test func aPfileHalfWrittenAtSIGHUP_isReadOnlyOnceItsWriterHasClosedIt() throws {
        let box = try Sandbox("halfpfile")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let lineA = "\(a):\(try box.restartScript(for: a)):0:3:exit"
        let lineB = "\(b):\(try box.restartScript(for: b)):0:3:exit"
        let pfile = try box.pfile([lineA, lineB])
        let whole = try String(contentsOfFile: pfile, encoding: .utf8)
        let cut = try #require(whole.range(of: lineB))
        try box.write("\(box.folder)/half", String(whole[..<cut.lowerBound]), permissions: 0o644)
        try box.write("\(box.folder)/rest", String(whole[cut.lowerBound...]), permissions: 0o644)
        _ = try box.startService(a)
        _ = try box.startService(b)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(2, "up") { $0.procSts == .avail }

        // `cat > pfile` that stops half-way: the file is truncated and half written.
        let writer = try Program("/bin/sh", ["-c", """
            exec 3>\(pfile)
            cat \(box.folder)/half >&3
            : > \(box.folder)/half-written
            while [ ! -e \(box.folder)/release ]; do sleep 0.05; done
            cat \(box.folder)/rest >&3
            """], in: box, name: "writer")
        defer { writer.stop() }
        _ = try waitFor("the writer to stop half-way", timeout: PcheckRun.patience) {
            FileSystem.exists("\(box.folder)/half-written") ? true : nil
        }
        engine.program.signal(SIGHUP)
        try engine.waitForLog("SIGHUP Catch")
        // Time for a reload that does not wait for the writer (it would drop b).
        _ = try? waitFor("a reload of the half-written file", timeout: 2) {
            engine.log.contains("pfile reloaded") ? true : nil
        }
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        _ = try writer.wait(timeout: PcheckRun.patience)
        try engine.waitForLog("pfile reloaded")
        #expect(engine.log.contains("pfile reloaded: 2 entries kept, 0 new, 0 removed"), "\(engine.log)")
        #expect(!engine.log.contains("1 removed"), "\(engine.log)")
        #expect(engine.state?.entries.count == 2)
    }
}
