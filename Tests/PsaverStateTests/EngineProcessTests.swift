import PsaverState
import PsaverSystem
import Testing

/// Whether a state file's engine still runs: gone means gone.
@Suite("EngineProcess: the engine behind a state file")
struct EngineProcessTests {
    static func stat(_ name: String, state: String, ticks: UInt64) -> String {
        "4242 (\(name)) \(state) 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \(ticks) 1000 100\n"
    }

    @Test func aRunningEngine_withItsStartTicks_runs() {
        #expect(EngineProcess.judge(stat: Self.stat("pcheck", state: "S", ticks: 777), startTicks: 777))
    }

    @Test func aZombieEngine_isGone_whoeverHasYetToReapIt() {
        #expect(!EngineProcess.judge(stat: Self.stat("pcheck", state: "Z", ticks: 777), startTicks: 777))
        #expect(!EngineProcess.judge(stat: Self.stat("pcheck", state: "X", ticks: 777), startTicks: nil))
    }

    @Test func aForgedFileNamingPid1_isNotARunningEngine() {
        let initStat = Self.stat("systemd", state: "S", ticks: 1)
        #expect(!EngineProcess.judge(stat: initStat, startTicks: 99_999))
        #expect(!EngineProcess.judge(stat: initStat, startTicks: nil), "without start ticks, only a pcheck counts")
        #expect(!EngineProcess.runs(pid: ProcessID(0), startTicks: nil))
    }

    @Test func aNameWithSpacesAndParentheses_isReadFromTheLastParenthesis() {
        #expect(EngineProcess.judge(stat: Self.stat("pcheck) Z (x", state: "R", ticks: 5), startTicks: 5))
    }
}
