import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

@Suite struct ConfirmationTests {
    let tomcatSocket = Fixture.tomcat.rawValue + ".sock"
    let java = EntryKey(engine: Fixture.tomcat, pentID: 1)

    @Test func mOnAMonitoredEntryAsksBeforeTurningMonitoringOff() {
        var model = Fixture.model()
        #expect(model.handle(.character("m")) == [])
        #expect(model.mode == .confirming(.monitorOff(java)))
        #expect(model.question(for: .monitorOff(java)) == "Turn monitoring OFF for pent 1 (/usr/bin/java)? y/n")
    }

    @Test func yesSendsMonitorOffToTheEntrysEngine() {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        let effects = model.handle(.character("y"))
        #expect(effects == [.send(.monitor(on: false, pentID: 1), socketPath: tomcatSocket, engine: Fixture.tomcat)])
        #expect(model.mode == .normal)
        #expect(model.statusMessage == "Turning monitoring OFF for pent 1 (/usr/bin/java)…")
    }

    @Test(arguments: [ConsoleKey.character("n"), .escape, .character("q")])
    func noEscOrQCancelWithoutSending(key: ConsoleKey) {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        #expect(model.handle(key) == [])
        #expect(model.mode == .normal)
        #expect(model.statusMessage == "Cancelled.")
    }

    @Test func otherKeysLeaveTheQuestionOpen() {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        #expect(model.handle(.down) == [])
        #expect(model.handle(.character("x")) == [])
        #expect(model.mode == .confirming(.monitorOff(java)))
        #expect(model.selection == java)
    }

    @Test func mOnAnUnmonitoredEntryTurnsMonitoringOnAtOnce() {
        var model = Fixture.model()
        _ = model.handle(.home)
        let effects = model.handle(.character("m"))
        #expect(effects == [.send(.monitor(on: true, pentID: 1), socketPath: Fixture.batch.rawValue + ".sock",
                                  engine: Fixture.batch)])
        #expect(model.mode == .normal)
    }

    @Test func rAsksThenSendsAReset() {
        var model = Fixture.model()
        _ = model.handle(.down)
        let httpd = EntryKey(engine: Fixture.tomcat, pentID: 2)
        #expect(model.handle(.character("r")) == [])
        #expect(model.mode == .confirming(.reset(httpd)))
        #expect(model.question(for: .reset(httpd)) == "Reset retry_count of pent 2 (/usr/sbin/httpd)? y/n")
        #expect(model.handle(.character("Y")) == [.send(.reset(pentID: 2), socketPath: tomcatSocket,
                                                        engine: Fixture.tomcat)])
    }

    @Test func anActionOnAGoneEngineIsRefusedWithAStatusMessage() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.tomcat, nil, .gone))
        #expect(model.handle(.character("m")) == [])
        #expect(model.mode == .normal)
        #expect(model.statusMessage == "Engine of pent 1 (/usr/bin/java) is gone: nothing sent.")
        #expect(model.handle(.character("r")) == [])
        #expect(model.mode == .normal)
    }

    @Test func anEngineThatGoesStaleWhileAskingIsRefusedAtYes() {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        model.apply(.tick(now: Fixture.now.adding(seconds: 60)))
        #expect(model.handle(.character("y")) == [])
        #expect(model.statusMessage == "Engine of pent 1 (/usr/bin/java) is STALE: nothing sent.")
    }

    @Test func aStoppedEngineRefusesEvenWithAFreshHeartbeat() {
        var model = Fixture.model()
        var document = Fixture.tomcatDocument()
        document.engineSts = .stopped
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(model.handle(.character("r")) == [])
        #expect(model.statusMessage == "Engine of pent 1 (/usr/bin/java) is stopped: nothing sent.")
    }

    @Test func theAnswerToASendReplacesTheStatusMessage() {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        _ = model.handle(.character("y"))
        model.apply(.actionResult("permission denied: uid 1000 may not change pfile_tomcat"))
        #expect(model.statusMessage == "permission denied: uid 1000 may not change pfile_tomcat")
    }
}

extension WallTime {
    func adding(seconds: Int64) -> WallTime {
        WallTime(secondsSinceEpoch: secondsSinceEpoch + seconds, nanoseconds: nanoseconds)
    }
}
