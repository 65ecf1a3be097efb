import Foundation
import PsaverState
import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// DESIGN §2: while an entry is WAITING its process is looked for every 100 ms,
/// whatever the kernel's exec reports say. redis-server matches its include string
/// only once it has renamed itself (`/usr/bin/redis-server 127.0.0.1:PORT`), after
/// its exec, so the report of that exec never shows it.
@Suite("servers that rename themselves", .serialized, .timeLimit(.minutes(3)))
struct RealServerTitleTests {
    @Test func redis_isAvail_longBeforeStartWait_thoughItMatchesOnlyAfterRenamingItself() throws {
        if let reason = RealServer.missing("/usr/bin/redis-server", "/usr/bin/redis-cli")
            ?? (RealServer.canRun ? nil : "needs root")
        {
            print("skipped: Redis title test: \(reason)")
            return
        }
        let box = try Sandbox("redistitle")
        let port = RealServer.freePort()
        defer {
            RealServer.killAll(marked: box.folder)
            RealServer.killAll(marked: "127.0.0.1:\(port)")
            box.close()
        }
        let home = "\(box.folder)/redis"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let conf = "\(home)/redis.conf"
        try box.write(conf, """
            port \(port)
            bind 127.0.0.1
            daemonize yes
            pidfile \(home)/redis.pid
            logfile \(home)/redis.log
            dir \(home)
            save ""

            """, permissions: 0o644)
        let start = try script(box, "redis_start.sh", "exec /usr/bin/redis-server \(conf)")
        // start_wait and MONITOR_INTERVAL of 90 s: only the 100 ms looks while WAITING find it sooner.
        let pent = #"/usr/bin/redis-server:\#(start):86400:3:exit:include_strings=127.0.0.1\:\#(port),start_wait=90"#
        let pfile = try box.pfile([pent], monitorInterval: 90)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        // Not running at start-up: the engine starts it, as after a death.
        let up = try engine.waitForUp(timeout: 45)
        print("redis title test, the engine's log:\n\(engine.log)")
        #expect(up.retryCount == 1 && up.restartCount == 1)
        #expect(RealServer.live(holding: ["127.0.0.1:\(port)"]).map(\.pid) == [try #require(up.pid)])
    }
}
