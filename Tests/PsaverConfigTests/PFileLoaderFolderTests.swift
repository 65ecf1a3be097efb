import PsaverConfig
import PsaverSystem
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The folders that hold the pfile and its scripts: the engine runs a script by its
/// path whenever a service dies, so whoever can write in one of them could put
/// another file there after the pfile was checked, and have it run as the engine's
/// user. Such a folder is refused like a group- or world-writable script.
@Suite("Loading pfiles: the folders of the pfile and its scripts")
struct PFileLoaderFolderTests {
    /// `folder/bin/start.sh` (0755) named by `folder/pfile`, `bin` with `mode`; the pfile's path.
    private func scriptIn(binMode mode: UInt32, of folder: String) throws -> String {
        try FileSystem.makeDirectory("\(folder)/bin", permissions: 0o755)
        try FileSystem.setPermissions("\(folder)/bin", mode)
        return try writePFile(in: folder, pent: "/usr/bin/java:\(folder)/bin/start.sh:0:3:exit", script: "bin/start.sh")
    }

    @Test func aScriptInAFolderEveryUserMayWrite_isRefusedAtItsPentLine_namingTheFolder() throws {
        try withTemporaryFolder { folder in
            let found = loaderDiagnostics(try scriptIn(binMode: 0o777, of: folder))
            #expect(found.map(\.line) == [5])
            #expect(found.map(\.column) == [15])
            let message = try #require(found.first?.message)
            #expect(message.hasPrefix("the restart script \(folder)/bin/start.sh: \(folder)/bin may be written by other users (mode 0777)"))
            #expect(message.contains("run: chmod go-w \(folder)/bin"))
        }
    }

    @Test func aScriptInAGroupWritableFolder_isRefused() throws {
        try withTemporaryFolder { folder in
            let found = loaderDiagnostics(try scriptIn(binMode: 0o775, of: folder))
            #expect(found.first?.message.contains("\(folder)/bin may be written by other users (mode 0775)") == true)
        }
    }

    @Test func aScriptInAStickySharedFolder_isAccepted_asNobodyElseCanReplaceIt() throws {
        try withTemporaryFolder { folder in
            let path = try scriptIn(binMode: 0o1777, of: folder)
            #expect(loaderDiagnostics(path).isEmpty)
        }
    }

    @Test func aFolderFurtherUpTheWay_isCheckedToo() throws {
        try withTemporaryFolder { folder in
            try FileSystem.makeDirectory("\(folder)/opt/app/bin", permissions: 0o755)
            let path = try writePFile(
                in: folder, pent: "/usr/bin/java:\(folder)/opt/app/bin/start.sh:0:3:exit", script: "opt/app/bin/start.sh")
            #expect(loaderDiagnostics(path).isEmpty)
            try FileSystem.setPermissions("\(folder)/opt", 0o777)
            let found = loaderDiagnostics(path)
            #expect(found.map(\.line) == [5])
            #expect(found.first?.message.contains("\(folder)/opt may be written by other users (mode 0777)") == true)
        }
    }

    @Test func aPFileBelowAFolderEveryUserMayWrite_isRefused_beforeItsEntriesAreRead() throws {
        try withTemporaryFolder { folder in
            let path = try scriptIn(binMode: 0o755, of: folder)
            try FileSystem.setPermissions(folder, 0o777)
            let found = loaderDiagnostics(path)
            #expect(found.map(\.line) == [0])
            #expect(found.first?.message.contains("\(folder) may be written by other users (mode 0777)") == true)
        }
    }

    @Test func aPFileInAGroupWritableFolder_isRefused_namingTheFolder() throws {
        try withTemporaryFolder { folder in
            try FileSystem.makeDirectory("\(folder)/etc", permissions: 0o755)
            try write("#!/bin/sh\n", to: "\(folder)/start.sh", permissions: 0o755)
            let text = pfile(param: minimalParam, pent: ["/a:\(folder)/start.sh:0:1:exit"])
            try write(text, to: "\(folder)/etc/pfile", permissions: 0o644)
            try FileSystem.setPermissions("\(folder)/etc", 0o770)
            let found = loaderDiagnostics("\(folder)/etc/pfile")
            #expect(found.map(\.line) == [0])
            #expect(found.first?.message.hasPrefix(
                "the pfile \(folder)/etc/pfile: \(folder)/etc may be written by other users (mode 0770)") == true)
        }
    }

    @Test func linksTheEnginesUserMade_areFollowed_toTheFileTheyName() throws {
        try withTemporaryFolder { folder in
            _ = try scriptIn(binMode: 0o755, of: folder)
            #expect(symlink("bin", "\(folder)/current") == 0)
            #expect(symlink("\(folder)/pfile", "\(folder)/pfile-link") == 0)
            let text = pfile(param: minimalParam, pent: ["/a:\(folder)/current/start.sh:0:1:exit"])
            try write(text, to: "\(folder)/pfile", permissions: 0o644)
            #expect(loaderDiagnostics("\(folder)/pfile-link").isEmpty)
        }
    }

    @Test func aLinkToAScriptInAFolderOthersMayWrite_isRefusedAtTheFolder() throws {
        try withTemporaryFolder { folder in
            _ = try scriptIn(binMode: 0o777, of: folder)
            #expect(symlink("\(folder)/bin/start.sh", "\(folder)/start-link.sh") == 0)
            let text = pfile(param: minimalParam, pent: ["/a:\(folder)/start-link.sh:0:1:exit"])
            try write(text, to: "\(folder)/pfile", permissions: 0o644)
            let found = loaderDiagnostics("\(folder)/pfile")
            #expect(found.first?.message.contains("\(folder)/bin may be written by other users") == true)
        }
    }

    @Test(.enabled(if: Identity.effectiveUser == .root, "needs root to give a folder to another user"))
    func asRoot_aScriptInAFolderOfAnotherUser_isRefused_namingTheOwner() throws {
        try withTemporaryFolder { folder in
            let path = try scriptIn(binMode: 0o755, of: folder)
            #expect(chown("\(folder)/bin", 65534, 65534) == 0)
            let found = loaderDiagnostics(path, as: .root)
            #expect(found.count == 1)
            let message = try #require(found.first?.message)
            #expect(message.contains("\(folder)/bin belongs to \(Identity.userName(of: UserID(65534)))"))
            #expect(message.contains("chown root \(folder)/bin"))
        }
    }

    @Test(.enabled(if: Identity.effectiveUser == .root, "needs root to make a link as another user"))
    func asRoot_aLinkAnotherUserMade_isRefused() throws {
        try withTemporaryFolder { folder in
            _ = try scriptIn(binMode: 0o755, of: folder)
            #expect(symlink("\(folder)/bin/start.sh", "\(folder)/start-link.sh") == 0)
            #expect(lchown("\(folder)/start-link.sh", 65534, 65534) == 0)
            let text = pfile(param: minimalParam, pent: ["/a:\(folder)/start-link.sh:0:1:exit"])
            try write(text, to: "\(folder)/pfile", permissions: 0o644)
            let found = loaderDiagnostics("\(folder)/pfile", as: .root)
            #expect(found.first?.message.contains("\(folder)/start-link.sh is a symbolic link") == true)
        }
    }

    @Test func scriptsInMoreFoldersThanAreKeptOpen_areAllChecked() throws {
        try withTemporaryFolder { folder in
            var pents: [String] = []
            for index in 0..<40 {
                try FileSystem.makeDirectory("\(folder)/app\(index)", permissions: 0o755)
                try write("#!/bin/sh\n", to: "\(folder)/app\(index)/start.sh", permissions: 0o755)
                pents.append("/a\(index):\(folder)/app\(index)/start.sh:0:1:exit")
            }
            try write(pfile(param: minimalParam, pent: pents), to: "\(folder)/pfile", permissions: 0o644)
            #expect(loaderDiagnostics("\(folder)/pfile").isEmpty)
            try FileSystem.setPermissions("\(folder)/app39", 0o777)
            try FileSystem.setPermissions("\(folder)/app3", 0o777)
            let found = loaderDiagnostics("\(folder)/pfile")
            #expect(found.map(\.line) == [5 + 3, 5 + 39])
            #expect(found.last?.message.contains("\(folder)/app39 may be written by other users") == true)
        }
    }
}
