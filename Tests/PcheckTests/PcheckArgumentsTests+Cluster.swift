import PsaverState
import Testing
@testable import pcheck

/// The options a cluster manager's agent passes (README, Clusters).
extension PcheckArgumentsTests {
    @Test func everythingAfterOnRetryOver_isTheCommand_optionsIncluded() throws {
        let parsed = try run(["-f", "p", "--cluster-resource", "psaver", "--on-retry-over",
                              "/usr/sbin/crm_resource", "--fail", "--resource", "psaver", "--node", "node1"])
        #expect(parsed.onRetryOver == ["/usr/sbin/crm_resource", "--fail", "--resource", "psaver", "--node", "node1"])
        #expect(parsed.cluster == ClusterRecord(manager: .pacemaker, resource: "psaver"))
    }

    @Test func theRetryOverCommand_mustBeAnAbsolutePath_andPresent() {
        #expect(throws: PcheckArguments.UsageError.self) { try PcheckArguments.parse(["-f", "p", "--on-retry-over"]) }
        #expect(throws: PcheckArguments.UsageError(
            message: "--on-retry-over needs the program's absolute path, not 'crm_resource'")) {
            try PcheckArguments.parse(["-f", "p", "--on-retry-over", "crm_resource", "--fail"])
        }
    }

    @Test func theClusterManager_isPacemakerOrClusterpro_andNeedsAResource() throws {
        #expect(try run(["-f", "p", "--cluster-resource=genw-psaver", "--cluster-manager", "clusterpro"]).cluster
                == ClusterRecord(manager: .clusterpro, resource: "genw-psaver"))
        #expect(throws: PcheckArguments.UsageError.self) {
            try PcheckArguments.parse(["-f", "p", "--cluster-resource", "r", "--cluster-manager", "heartbeat"])
        }
        #expect(throws: PcheckArguments.UsageError(message: "--cluster-manager needs --cluster-resource <name>")) {
            try PcheckArguments.parse(["-f", "p", "--cluster-manager", "pacemaker"])
        }
    }

    @Test func withoutClusterOptions_theEngineIsNotClusterManaged() throws {
        let parsed = try run(["-f", "p"])
        #expect(parsed.cluster == nil)
        #expect(parsed.onRetryOver == nil)
    }
}
