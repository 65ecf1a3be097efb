import PsaverState
import Testing

@Suite("The state file under a cluster")
struct ClusterRecordTests {
    @Test func aClusterManagedEngine_writesItsResourceAndStartTicks_andReadsThemBack() throws {
        var document = StateFixture.document()
        document.startTicks = 4_242_424
        document.cluster = ClusterRecord(manager: .pacemaker, resource: "psaver_tomcat")
        let text = String(decoding: StateCodec.encode(document), as: UTF8.self)
        // The OCF agent reads these lines with sed: their shape is part of the contract.
        #expect(text.contains("\n  \"start_ticks\" : 4242424,\n"))
        #expect(text.contains("\"manager\" : \"pacemaker\""))
        #expect(text.contains("\"resource\" : \"psaver_tomcat\""))
        #expect(try StateCodec.decode(StateCodec.encode(document)) == document)
    }

    @Test func aStateFileWithoutClusterOrStartTicks_stillReads_asNotClusterManaged() throws {
        let plain = StateFixture.document()
        let decoded = try StateCodec.decode(StateCodec.encode(plain))
        #expect(decoded.cluster == nil)
        #expect(decoded.startTicks == nil)
        #expect(!String(decoding: StateCodec.encode(plain), as: UTF8.self).contains("cluster"))
    }

    @Test func showParam_namesTheClusterResource_onlyWhenThereIsOne() {
        var document = StateFixture.document()
        #expect(!PentReport.showParam(document).contains("cluster_resource"))
        document.cluster = ClusterRecord(manager: .clusterpro, resource: "genw_ps_tomcat_mon")
        #expect(PentReport.showParam(document).contains("cluster_resource   = genw_ps_tomcat_mon (clusterpro)\n"))
    }

    @Test func theStopAdvice_namesEachManagersOwnCommand() {
        #expect(ClusterRecord(manager: .pacemaker, resource: "psaver").stopAdvice.contains("crm resource stop psaver"))
        #expect(ClusterRecord(manager: .clusterpro, resource: "genw_ps").stopAdvice.contains("clpmonctrl -s -m genw_ps"))
    }
}
