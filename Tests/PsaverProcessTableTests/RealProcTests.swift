import PsaverProcessTable
import PsaverSystem
import Testing

/// The one check against the host's real /proc: this test process, and only it.
@Suite struct RealProcTests {
    @Test func theTestProcessHasALiveIdentityWithAStartTime() throws {
        let table = ProcessTable()

        let identity = try #require(table.identity(of: Identity.processID))

        #expect(identity.pid == Identity.processID)
        #expect(identity.startTime > 0)
        #expect(table.isAlive(identity))
    }
}
