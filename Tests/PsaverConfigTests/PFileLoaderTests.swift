import Foundation
import PsaverConfig
import PsaverSystem
import Testing

/// A fresh folder under /tmp for one test, removed afterwards with everything in it.
func withTemporaryFolder(_ body: (String) throws -> Void) throws {
    let path = "/tmp/psaver-config-tests-\(Identity.processID)-\(UInt64.random(in: 0...UInt64.max))"
    try FileSystem.makeDirectory(path, permissions: 0o700)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}

/// Writes `text` at `path` with exactly `permissions` (set after creation, so the umask has no say).
func write(_ text: String, to path: String, permissions: UInt32) throws {
    try FileSystem.replaceAtomically(path, with: Array(text.utf8), permissions: permissions)
    try FileSystem.setPermissions(path, permissions)
}

/// Every diagnostic `PFileLoader.load` reports, or none when it loads.
func loaderDiagnostics(_ path: String, as user: UserID = Identity.effectiveUser) -> [PFileDiagnostic] {
    do {
        _ = try PFileLoader.load(path: path, as: user)
        return []
    } catch {
        return error.diagnostics
    }
}

/// A folder holding a pfile named `pfile` whose one entry runs `script` (mode 0755) and
/// carries `options`; `pent` replaces the entry line when given.
func writePFile(in folder: String, options: String = "", pent: String? = nil, script: String = "start.sh") throws
    -> String
{
    try write("#!/bin/sh\nexit 0\n", to: "\(folder)/\(script)", permissions: 0o755)
    let line = pent ?? "/usr/bin/java:\(folder)/start.sh:0:3:exit" + (options.isEmpty ? "" : ":" + options)
    let text = pfile(param: ["IPCKEY 0x2a", "SHM_DUMP_FILE dump/state"], pent: [line])
    try write(text, to: "\(folder)/pfile", permissions: 0o644)
    return "\(folder)/pfile"
}

@Suite("Loading pfiles from disk")
struct PFileLoaderTests {
    @Test func aSafePFileLoadsWithItsStateFileBesideIt() throws {
        try withTemporaryFolder { folder in
            let pfile = try PFileLoader.load(path: try writePFile(in: folder))
            #expect(pfile.path == "\(folder)/pfile")
            #expect(pfile.params.ipcKey == IPCKey(42))
            #expect(pfile.params.stateFile == "\(folder)/dump/state")
            #expect(pfile.entries.map(\.restartScript) == ["\(folder)/start.sh"])
        }
    }

    @Test func aRelativePathIsTakenAgainstTheWorkingDirectory() throws {
        try withTemporaryFolder { folder in
            _ = try writePFile(in: folder)
            let pfile = try PFileLoader.load(path: "./pfile", workingDirectory: folder)
            #expect(pfile.path == "\(folder)/pfile")
        }
    }

    @Test func aMissingPFileNamesTheFileAndTheReason() throws {
        try withTemporaryFolder { folder in
            let found = loaderDiagnostics("\(folder)/nope")
            #expect(found.count == 1)
            #expect(found.first?.file == "\(folder)/nope")
            #expect(found.first?.line == 0)
            #expect(found.first?.message.contains("cannot read the pfile: No such file or directory") == true)
        }
    }

    @Test func aFolderIsNotAPFile() throws {
        try withTemporaryFolder { folder in
            #expect(loaderDiagnostics(folder).first?.message.contains("not a regular file") == true)
        }
    }

    @Test func parseErrorsNameThePFileByItsAbsolutePath() throws {
        try withTemporaryFolder { folder in
            _ = try writePFile(in: folder, pent: "java:/b:1:1:exit")
            do throws(PFileErrors) {
                _ = try PFileLoader.load(path: "pfile", workingDirectory: folder)
                Issue.record("expected a relative pname to be refused")
            } catch {
                #expect(error.diagnostics.map(\.file) == ["\(folder)/pfile"])
                #expect(error.diagnostics.map(\.line) == [5])
            }
        }
    }

    @Test func aGroupWritablePFileIsRefusedForAnyUser() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder)
            try FileSystem.setPermissions(path, 0o664)
            let found = loaderDiagnostics(path)
            #expect(found.count == 1)
            #expect(found.first?.file == path)
            #expect(found.first?.line == 0)
            #expect(found.first?.message.contains("the pfile \(path) is writable by its group") == true)
            #expect(found.first?.message.contains("chmod go-w \(path)") == true)
        }
    }

    @Test func aWorldWritableRestartScriptIsRefusedAtItsPentLine() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder)
            try FileSystem.setPermissions("\(folder)/start.sh", 0o757)
            let found = loaderDiagnostics(path)
            #expect(found.count == 1)
            #expect(found.first?.line == 5)
            #expect(found.first?.column == 15)
            #expect(found.first?.text == "/usr/bin/java:\(folder)/start.sh:0:3:exit")
            #expect(found.first?.message.contains(
                "the restart script \(folder)/start.sh is writable by every user") == true)
            #expect(found.first?.message.contains("chmod go-w \(folder)/start.sh") == true)
        }
    }

    @Test func aMissingRestartScriptIsAnErrorAtItsColumn() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder, pent: "/usr/bin/java:\(folder)/gone.sh:0:3:exit")
            let found = loaderDiagnostics(path)
            #expect(found.map(\.line) == [5])
            #expect(found.map(\.column) == [15])
            #expect(found.first?.message == "the restart script \(folder)/gone.sh does not exist; create it or fix the path")
        }
    }

    @Test func aNonExecutableRestartScriptIsAnError() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder)
            try FileSystem.setPermissions("\(folder)/start.sh", 0o644)
            let found = loaderDiagnostics(path)
            #expect(found.count == 1)
            #expect(found.first?.message.contains("is not executable; run: chmod +x \(folder)/start.sh") == true)
        }
    }

    @Test func theExecScriptIsCheckedLikeARestartScript() throws {
        try withTemporaryFolder { folder in
            let line = "/usr/bin/java:\(folder)/start.sh:0:3:exec=\(folder)/notify.sh"
            let path = try writePFile(in: folder, pent: line)
            let found = loaderDiagnostics(path)
            #expect(found.count == 1)
            #expect(found.first?.column == line.count - "\(folder)/notify.sh".count + 1)
            #expect(found.first?.message.contains("the exec= script \(folder)/notify.sh does not exist") == true)
        }
    }

    @Test func aScriptSharedByTwoEntriesIsReportedOnceAtTheFirst() throws {
        try withTemporaryFolder { folder in
            let script = "\(folder)/shared.sh"
            try write("#!/bin/sh\n", to: script, permissions: 0o777)
            let text = pfile(param: minimalParam, pent: ["/a:\(script):0:1:exit", "/b:\(script):0:1:exit"])
            try write(text, to: "\(folder)/pfile", permissions: 0o600)
            let found = loaderDiagnostics("\(folder)/pfile")
            #expect(found.map(\.line) == [5])
            #expect(found.first?.message.contains("writable by its group and writable by every user") == true)
        }
    }

    @Test func aKnownUserIsResolvedToItsID() throws {
        try withTemporaryFolder { folder in
            let pfile = try PFileLoader.load(path: try writePFile(in: folder, options: "user=root"))
            #expect(pfile.entries.first?.user == "root")
            #expect(pfile.entries.first?.userID == .root)
        }
    }

    @Test func anUnknownUserIsAnErrorAtItsValue() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder, options: "include_strings=x,user=no-such-psaver-user")
            let found = loaderDiagnostics(path)
            let line = "/usr/bin/java:\(folder)/start.sh:0:3:exit:include_strings=x,user="
            #expect(found.map(\.line) == [5])
            #expect(found.map(\.column) == [line.count + 1])
            #expect(found.first?.message.contains("no user named \"no-such-psaver-user\"") == true)
        }
    }

    @Test func parserWarningsSurviveLoading() throws {
        try withTemporaryFolder { folder in
            try write("#!/bin/sh\n", to: "\(folder)/s.sh", permissions: 0o700)
            let text = pfile(param: minimalParam + ["OLD_KEY 1"], pent: ["/a:\(folder)/s.sh:0:1:exit"])
            try write(text, to: "\(folder)/pfile", permissions: 0o600)
            let pfile = try PFileLoader.load(path: "\(folder)/pfile")
            #expect(pfile.warnings.map(\.line) == [4])
        }
    }
}
