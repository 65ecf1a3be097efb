import Foundation
import PsaverState
import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One real server as the check procedure drives it (RealServerTests).
struct ServerUnderTest {
    var name: String
    /// The PENT line and the restart script it names (which only starts the server).
    var pent: String
    var startScript: String
    /// The live main processes of this instance (exactly one when all is well).
    var mains: () -> [Int32]
    /// Whether it answers (a TCP connect, pg_isready, redis-cli ping).
    var serving: () -> Bool
    /// Makes a child of `main` busy before the first kill (a query, a BGSAVE, a
    /// connection); returns what to undo at the end.
    var busy: (_ main: Int32) throws -> (() -> Void)
    /// A child of `main` to kill alone, and a look that says the server has
    /// recovered from that (a new worker, pg_isready again).
    var child: (_ main: Int32) -> Int32?
    var recoveredFromChildDeath: (_ main: Int32, _ killed: Int32) -> Bool
    /// Whether the busy child outlives its main unless the engine ends it (nginx's
    /// workers, Redis's BGSAVE child; PostgreSQL's children end on their own).
    var childOutlivesMain = true
}

/// The guide's check procedure, per server: the engine finds the main at start-up;
/// a child killed alone is left alone; three kills of the main (the first while a
/// child is busy) are each restarted, retry_count 1, 2, 3, with exactly one main
/// and the server serving again; the fourth is RETRY_OVER:EXIT.
func runCheckProcedure(_ box: Sandbox, _ server: ServerUnderTest) throws {
    let (status, output) = try RealServer.run(box, server.startScript, [], timeout: 120)
    #expect(status == 0, "\(server.name) start script: \(output)")
    var main = try waitFor("\(server.name) to start", timeout: 60) { () -> Int32? in
        let mains = server.mains()
        return mains.count == 1 && server.serving() ? mains[0] : nil
    }
    // Whatever the test fails at, nothing of any main it saw stays running.
    var seen: Set<Int32> = [main]
    defer { RealServer.killFamilies(of: seen) }
    let pfile = try box.pfile([server.pent], monitorInterval: 5)
    let engine = try PcheckRun(box, pfile: pfile)
    defer { engine.stop() }
    try engine.waitForEntry(1, "AVAIL with the main's pid") { $0.procSts == .avail && $0.pid == main }

    // A child killed alone is the server's business, not the engine's.
    let child = try #require(server.child(main), "\(server.name) has a child to kill")
    kill(child, SIGKILL)
    _ = try waitFor("\(server.name) to recover from the death of its child \(child)", timeout: 60) {
        server.recoveredFromChildDeath(main, child) ? true : nil
    }
    let afterChild = try #require(engine.entry())
    #expect(afterChild.pid == main && afterChild.procSts == .avail && afterChild.restartCount == 0,
            "\(engine.log)")
    #expect(engine.logCount("Down") == 0, "\(engine.log)")

    for round in 1...3 {
        let undo = round == 1 ? try server.busy(main) : {}
        defer { undo() }
        kill(main, SIGKILL)
        let up = try engine.waitForUp(replacing: main, timeout: 120)
        #expect(up.retryCount == round, "kill \(round): \(engine.log)")
        _ = try waitFor("\(server.name) to serve again after kill \(round)", timeout: 60) {
            server.serving() ? true : nil
        }
        let mains = server.mains()
        #expect(mains == [try #require(up.pid)], "kill \(round): one main, the one the engine follows")
        main = try #require(up.pid)
        seen.insert(main)
    }
    #expect(!engine.log.contains("still running as pid="), "no leftover followed as the service:\n\(engine.log)")
    if server.childOutlivesMain {
        #expect(engine.log.contains("leftover pid="), "the first kill's busy child was cleaned up:\n\(engine.log)")
    }

    let lastChildren = server.child(main).map { [$0] } ?? []
    kill(main, SIGKILL)
    try engine.waitForLog("RETRY_OVER:EXIT", timeout: 120)
    #expect(try engine.program.wait(timeout: 60) == 1)
    // After a failover nothing of it may still answer on this node.
    if server.childOutlivesMain {
        for child in lastChildren {
            #expect(!isAlive(child), "pid \(child), left by the last main, was ended at retry over:\n\(engine.log)")
        }
    }
    // What was cleaned up each time, for whoever reads the test's output.
    print("\(server.name) check procedure, the engine's log:\n\(engine.log)")
}
