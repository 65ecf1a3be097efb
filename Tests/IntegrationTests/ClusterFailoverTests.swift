import Foundation
import PsaverSystem
import Testing

/// The failover psaver exists for, in a real two-node Pacemaker cluster built in
/// network namespaces on this machine by `scripts/cluster-failover.sh` (see there).
///
/// It needs root and Pacemaker, corosync and crmsh; `.ci/run` installs them and CI
/// runs as root, so there it always runs. The script removes every process,
/// namespace and mount it made, failure included, and prints its figures.
@Suite("two-node Pacemaker failover", .serialized)
struct ClusterFailoverTests {
    static let tools = ["/usr/sbin/corosync", "/usr/sbin/pacemakerd", "/usr/sbin/crm", "/usr/sbin/crm_resource",
                        "/usr/sbin/ocf-tester", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/perl"]
    static let missing = tools.filter { !FileSystem.isExecutable($0) }
    static let canRun = Identity.effectiveUser == .root && missing.isEmpty
    static let whyNot: Comment =
        Identity.effectiveUser != .root
        ? "the two-node cluster test needs root (network namespaces and mounts)"
        : "the two-node cluster test needs \(missing.joined(separator: ", ")) (.ci/run installs them)"

    @Test(.enabled(if: canRun, whyNot), .timeLimit(.minutes(12)))
    func threeKillsHealInPlace_theFourthMovesTheGroupToNode2_whosEngineRefusesPadminStop() async throws {
        let box = try Sandbox("cluster")
        defer { box.close() }
        let script = PcheckConfigTests.repositoryRoot + "/scripts/cluster-failover.sh"
        let bin = FileSystem.directoryName(of: Sandbox.binary("pcheck"))
        let started = MonotonicInstant.now()
        let cluster = try Program(script, ["--bin", bin, "--runs", "10", "--monitor-interval", "10s"], in: box)
        // Waited for without holding a thread: the test pool has one per core, and a
        // minute-long blocking wait starves the other suites' tests.
        let deadline = MonotonicInstant.now() + .seconds(600)
        while cluster.isRunning, MonotonicInstant.now() < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        if cluster.isRunning {
            // Every wait in the script is bounded; should it still overrun, SIGTERM lets its
            // trap remove the namespaces (SIGKILL, the last resort, would leave them).
            cluster.signal(SIGTERM)
            _ = try? cluster.wait(timeout: 60)
            cluster.stop()
            Issue.record("the cluster test overran 600 s:\n\(cluster.output)")
            return
        }
        let result = (code: try cluster.wait(timeout: 1), out: cluster.output, err: cluster.errors)
        print(result.out, terminator: "")
        if !result.err.isEmpty { print(result.err, terminator: "") }
        print("cluster test: \(MonotonicInstant.now() - started)")
        #expect(result.code == 0, "\(result.out.split(separator: "\n").last ?? "")\n\(result.err)")
        let runs = result.out.split(separator: "\n").filter { $0.hasPrefix("failover run ") }
        #expect(runs.count == 10, "ten timed failovers")
        #expect(result.out.contains("PASSED"))
        #expect(result.out.contains("failover by the monitor alone"), "the monitor's own path was shown too")
        #expect(result.out.contains("remote restart seen: "), "node1's psview showed node2's restart")
    }
}
