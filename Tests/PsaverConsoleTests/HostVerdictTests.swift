import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Issue 18 item 7: `psview --once` exits as a Nagios plugin does.
@Suite struct HostVerdictTests {
    func model(_ documents: [(EngineID, StateDocument?, EngineLiveness)]) -> ConsoleModel {
        var model = ConsoleModel()
        for (id, document, liveness) in documents { model.apply(.engineUpdated(id, document, liveness)) }
        model.apply(.tick(now: Fixture.now))
        return model
    }

    func healthy() -> StateDocument {
        var document = Fixture.tomcatDocument()
        document.entries = [Fixture.entry(1, "/usr/bin/java", pid: 3679, .avail)]
        return document
    }

    @Test func everyEntryAvailAndMonitoredIsOk() {
        #expect(HostVerdict(model([(Fixture.tomcat, healthy(), .running)])) == .ok)
    }

    @Test func downMonitoringOffOrFlappingNeedsAttention() {
        #expect(HostVerdict(model([(Fixture.tomcat, Fixture.tomcatDocument(), .running)])) == .attention)
        var off = healthy()
        off.entries[0].monitorSts = .off
        #expect(HostVerdict(model([(Fixture.tomcat, off, .running)])) == .attention)
        var flapping = healthy()
        flapping.entries[0].flapping = true
        let (verdict, reasons) = HostVerdict.judge(model([(Fixture.tomcat, flapping, .running)]))
        #expect(verdict == .attention)
        #expect(reasons == ["0x20000001 (pfile_tomcat) pent 1 /usr/bin/java AVAIL, flapping"])
    }

    @Test func aStaleEngineNeedsAttention() {
        var stale = healthy()
        stale.heartbeatAt = "2026-11-25T10:40:00+00:00"
        #expect(HostVerdict(model([(Fixture.tomcat, stale, .running)])) == .attention)
    }

    @Test func anEngineAtRetryOverOrGoneIsCritical() {
        var over = healthy()
        over.engineSts = .retryOver
        #expect(HostVerdict(model([(Fixture.tomcat, over, .running)])) == .critical)
        #expect(HostVerdict(model([(Fixture.tomcat, healthy(), .gone)])) == .critical)
        // The batch fixture holds a FATAL entry.
        #expect(HostVerdict(model([(Fixture.batch, Fixture.batchDocument(), .running)])) == .critical)
    }

    @Test func nothingReadableIsUnknown() {
        #expect(HostVerdict(model([])) == .unknown)
        #expect(HostVerdict(model([(Fixture.tomcat, nil, .unreadable("Permission denied"))])) == .unknown)
        #expect(HostVerdict.unknown.rawValue == 3 && HostVerdict.critical.rawValue == 2)
    }

    @Test func theJSONStatusWordsAreMachineWords() {
        #expect(EngineHealth.retryOver.machineWord == "retry_over")
        #expect(EngineHealth.unreadable("x").machineWord == "unreadable")
        #expect(EngineHealth.stale.machineWord == "stale")
    }
}
