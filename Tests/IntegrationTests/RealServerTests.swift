import Foundation
import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// nginx, PostgreSQL 15 and Redis from Debian, each configured the guide's way
/// (pname is the real binary, include_strings pick the main, 86400:3:exit, a
/// restart script that only starts the server), with private ports and data in the
/// sandbox. Skipped, with the reason, where a server is not installed or the tests
/// do not run as root.
@Suite("real servers kept alive", .serialized, .timeLimit(.minutes(10)))
struct RealServerTests {
    @Test func nginx_passesTheCheckProcedure_withItsWorkersCleanedUpAfterTheMaster() throws {
        if let reason = RealServer.missing("/usr/sbin/nginx") ?? (RealServer.canRun ? nil : "needs root") {
            print("skipped: nginx check procedure: \(reason)")
            return
        }
        let box = try Sandbox("nginx")
        defer {
            RealServer.killAll(marked: box.folder)
            box.close()
        }
        let port = RealServer.freePort()
        let conf = "\(box.folder)/nginx.conf"
        try box.write(conf, """
            worker_processes 2;
            pid \(box.folder)/nginx.pid;
            error_log \(box.folder)/nginx-error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(box.folder)/body;
                proxy_temp_path \(box.folder)/proxy;
                fastcgi_temp_path \(box.folder)/fastcgi;
                uwsgi_temp_path \(box.folder)/uwsgi;
                scgi_temp_path \(box.folder)/scgi;
                server { listen 127.0.0.1:\(port); location / { return 200 "ok\\n"; } }
            }

            """, permissions: 0o644)
        let start = try script(box, "nginx_start.sh", "exec /usr/sbin/nginx -c \(conf)")
        let mains = { RealServer.live(holding: ["nginx: master process", conf]).map(\.pid) }
        let workers = { (main: Int32) in
            RealServer.children(of: main).filter { $0.commandLine.contains("nginx: worker") }.map(\.pid)
        }
        try runCheckProcedure(box, ServerUnderTest(
            name: "nginx", pent: "/usr/sbin/nginx:\(start):86400:3:exit:include_strings=master&\(conf)",
            startScript: start, mains: mains, serving: { RealServer.serves(port) },
            busy: { _ in
                // An open connection to a worker, which outlives the master unless ended.
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                return { close(fd) }
            },
            child: { workers($0).first },
            recoveredFromChildDeath: { main, killed in
                let now = workers(main)
                return now.count == 2 && !now.contains(killed)
            }))
    }

    @Test func postgresql_passesTheCheckProcedure_withABusyBackendNeverTakenForTheDatabase() throws {
        let bin = "/usr/lib/postgresql/15/bin"
        if let reason = RealServer.missing("\(bin)/postgres", "\(bin)/pg_ctl", "\(bin)/initdb", "\(bin)/pg_isready",
                                           "/usr/bin/psql", "/usr/sbin/runuser")
            ?? (RealServer.canRun ? nil : "needs root")
        {
            print("skipped: PostgreSQL check procedure: \(reason)")
            return
        }
        let box = try Sandbox("pg")
        defer {
            RealServer.killAll(marked: box.folder)
            box.close()
        }
        let port = RealServer.freePort()
        let home = "\(box.folder)/pg"
        let data = "\(home)/data"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try RealServer.run(box, "/bin/chown", ["postgres:postgres", home])
        try FileSystem.setPermissions(home, 0o755)
        let (initStatus, initOutput) = try RealServer.run(
            box, "/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/initdb", "-A", "trust", "-D", data], timeout: 180)
        try #require(initStatus == 0, "initdb: \(initOutput)")
        let start = try script(box, "pg_start.sh", """
            exec /usr/sbin/runuser -u postgres -- \(bin)/pg_ctl -D \(data) -l \(home)/server.log -w -t 60 \
              -o "-p \(port) -k \(home) -c listen_addresses=127.0.0.1" start
            """)
        let mains = { RealServer.live(holding: ["\(bin)/postgres", "-D \(data)"]).map(\.pid) }
        let ready = {
            (try? RealServer.run(box, "\(bin)/pg_isready", ["-h", "127.0.0.1", "-p", "\(port)"], timeout: 30).0) == 0
        }
        try runCheckProcedure(box, ServerUnderTest(
            name: "PostgreSQL", pent: "\(bin)/postgres:\(start):86400:3:exit:include_strings=\(data),user=postgres",
            startScript: start, mains: mains, serving: ready,
            busy: { main in
                let query = try Program("/usr/sbin/runuser", [
                    "-u", "postgres", "--", "/usr/bin/psql", "-h", "127.0.0.1", "-p", "\(port)", "-d", "postgres",
                    "-c", "SELECT pg_sleep(30)",
                ], in: box, name: "psql")
                _ = try waitFor("the query to run in a backend", timeout: 60) {
                    RealServer.children(of: main).contains { $0.commandLine.contains("SELECT") } ? true : nil
                }
                return { query.stop() }
            },
            child: { main in
                RealServer.children(of: main).first { $0.commandLine.contains("checkpointer") }?.pid
            },
            recoveredFromChildDeath: { main, killed in
                let checkpointers = RealServer.children(of: main).filter {
                    $0.commandLine.contains("checkpointer")
                }
                return checkpointers.count == 1 && checkpointers[0].pid != killed && ready()
            }, childOutlivesMain: false))
    }

    @Test func redis_passesTheCheckProcedure_withItsBackgroundSaveCleanedUp_andAnEscapedIncludeString() throws {
        if let reason = RealServer.missing("/usr/bin/redis-server", "/usr/bin/redis-cli")
            ?? (RealServer.canRun ? nil : "needs root")
        {
            print("skipped: Redis check procedure: \(reason)")
            return
        }
        let box = try Sandbox("redis")
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
            rdb-key-save-delay 1000000

            """, permissions: 0o644)
        let start = try script(box, "redis_start.sh", "exec /usr/bin/redis-server \(conf)")
        let title = "127.0.0.1:\(port)"
        let mains = {
            RealServer.live(holding: [title]).filter { $0.commandLine.hasPrefix("/usr/bin/redis-server") }.map(\.pid)
        }
        let cli = { (arguments: [String]) in
            try? RealServer.run(box, "/usr/bin/redis-cli", ["-p", "\(port)"] + arguments, timeout: 30)
        }
        let bgsave = { (main: Int32) throws -> Int32 in
            for key in 1...5 { cli(["set", "key\(key)", "value"]) }
            cli(["bgsave"])
            return try waitFor("a BGSAVE child", timeout: 30) {
                RealServer.children(of: main).first { $0.commandLine.contains("redis-rdb-bgsave") }?.pid
            }
        }
        var killedChild: Int32?
        try runCheckProcedure(box, ServerUnderTest(
            name: "Redis", pent: #"/usr/bin/redis-server:\#(start):86400:3:exit:include_strings=127.0.0.1\:\#(port)"#,
            startScript: start, mains: mains, serving: { cli(["ping"])?.1.contains("PONG") == true },
            busy: { main in
                _ = try bgsave(main)
                return {}
            },
            child: { main in
                killedChild = try? bgsave(main)
                return killedChild
            },
            recoveredFromChildDeath: { main, killed in
                !RealServer.children(of: main).contains { $0.pid == killed }
                    && cli(["ping"])?.1.contains("PONG") == true
                    && (try? String(contentsOfFile: "\(home)/redis.log", encoding: .utf8))?
                        .contains("Background saving terminated by signal") == true
            }))
    }
}
