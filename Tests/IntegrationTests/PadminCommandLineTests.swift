import Foundation
import PsaverState
import Testing

@Suite("padmin's command line and show output", .serialized, .timeLimit(.minutes(3)))
struct PadminCommandLineTests {
    @Test func showPent_printsEachEntrysFieldsInOrder_aligned_withABlankLineBetween() throws {
        let run = try EngineUnderTest("pshow", entries: 2)
        defer { run.close() }
        try run.start()
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 0, "\(show.err)")
        #expect(show.err.isEmpty)
        let blocks = show.out.components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        let names = ["pname", "pid", "retry_count", "restart_count", "proc_sts", "retry_over_act", "rerun_time",
                     "include_strings", "pent_id", "monitor_sts"]
        for (index, block) in blocks.enumerated() {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            #expect(lines.map { $0.prefix { $0 != " " } }.map(String.init) == names)
            #expect(Set(lines.map { $0.firstRange(of: " = ")?.lowerBound.utf16Offset(in: $0) }) == [15])
            #expect(lines[0] == "pname           = \(run.services[index])")
            #expect(lines[4] == "proc_sts        = AVAIL")
            #expect(lines[6] == "rerun_time      = -----")
            #expect(lines[8] == "pent_id         = \(index + 1)")
        }
        let one = try run.padmin(["-c", "show", "pent", "-i", "2"])
        #expect(one.out.hasPrefix("pname           = \(run.services[1])\n"))
        #expect(!one.out.contains("\n\n"))
    }

    @Test func showParam_andJSON_describeTheRunningEngine() throws {
        let run = try EngineUnderTest("pparam")
        defer { run.close() }
        let engine = try run.start()
        let param = try run.padmin(["-c", "show", "param"])
        #expect(param.code == 0)
        #expect(param.out.contains("IPCKEY             = \(run.box.ipcKey)"))
        #expect(param.out.contains("MONITOR_INTERVAL   = 1"))
        #expect(param.out.contains("SHM_DUMP_FILE      = \(run.box.stateFile)"))
        #expect(param.out.contains("engine_sts         = running"))

        let pent = try PadminJSON(try run.padmin(["-c", "show", "pent", "--json"]).out)
        #expect(pent.ok)
        #expect(pent.exitCode == 0)
        #expect(pent.engine?.state == "running")
        #expect(pent.engine?.pid == engine.pid)
        #expect(pent.entries?.first?.pname == run.service)
        let params = try PadminJSON(try run.padmin(["-c", "show", "param", "--json"]).out)
        #expect(params.params?.monitorInterval == 1)
        #expect(params.entries == nil)
    }

    @Test(arguments: [
        (["-c", "frobnicate"], "unknown command"),
        (["-c", "monitor"], "monitor needs on or off"),
        (["-c", "monitor", "maybe"], "monitor takes on or off"),
        (["-c", "show", "everything"], "unknown show target"),
        (["-c", "stop", "-i", "1"], "-i applies to"),
        (["-c", "reset", "-i", "one"], "-i"),
        ([], "-c needs a command"),
        (["-c", "show", "pent", "--bogus"], "--bogus"),
    ])
    func usageErrors_areOneLine_withTheUsageCode(_ arguments: [String], _ expected: String) throws {
        let run = try EngineUnderTest("pusage")
        defer { run.close() }
        let result = try run.padmin(arguments)
        #expect(result.code == 2)
        #expect(result.err.hasPrefix("padmin: "))
        #expect(result.err.contains(expected))
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.out.isEmpty)
    }

    @Test func aMissingOrBrokenPfile_isAUsageError_thatNamesTheFile() throws {
        let box = try Sandbox("pbadfile")
        defer { box.close() }
        let missing = try Program.run("padmin", ["-f", "\(box.folder)/nope", "-c", "show"], in: box)
        #expect(missing.code == 2)
        #expect(missing.err.contains("\(box.folder)/nope"))
        let broken = "\(box.folder)/broken"
        let text = "##### PARAM #####\nIPCKEY zzz\nSHM_DUMP_FILE \(box.folder)/s\n##### PENT #####\n"
        try box.write(broken, text, permissions: 0o644)
        let bad = try Program.run("padmin", ["-f", broken, "-c", "show"], in: box)
        #expect(bad.code == 2)
        #expect(bad.err.contains("\(broken):2"))
        #expect(bad.err.split(separator: "\n").count == 1)
        let noFile = try Program.run("padmin", ["-c", "show"], in: box)
        #expect(noFile.code == 2)
    }

    @Test func aUsageErrorWithJSON_isAlsoAJSONObject() throws {
        let box = try Sandbox("pjsonusage")
        defer { box.close() }
        let result = try Program.run("padmin", ["-f", "/nonexistent", "-c", "fly", "--json"], in: box)
        #expect(result.code == 2)
        let json = try PadminJSON(result.out)
        #expect(!json.ok)
        #expect(json.error == "usage")
        #expect(json.exitCode == 2)
    }

    @Test func help_showsTheCommands_examples_andExitCodes() throws {
        let box = try Sandbox("phelp")
        defer { box.close() }
        let help = try Program.run("padmin", ["--help"], in: box)
        #expect(help.code == 0)
        for text in ["-c show pent", "-c monitor on|off", "-c reset", "-c stop", "Examples:", "Exit codes:",
                     "monitor off -i 1"] {
            #expect(help.out.contains(text), "\(text)")
        }
    }
}
