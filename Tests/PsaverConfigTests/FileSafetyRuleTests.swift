import PsaverConfig
import PsaverSystem
import Testing

let alice = UserID(1000)
let bob = UserID(1001)

func file(_ permissions: UInt32, ownedBy owner: UserID) -> FileStatus {
    FileStatus(kind: .regular, permissions: permissions, owner: owner)
}

@Suite("Deciding which files psaver may trust")
struct FileSafetyRuleTests {
    let asRoot = FileSafetyRule(runningAs: .root)
    let asAlice = FileSafetyRule(runningAs: alice)

    @Test func asRootARootOwnedFileWritableOnlyByRootIsSafe() {
        #expect(asRoot.problems(with: file(0o755, ownedBy: .root)).isEmpty)
        #expect(asRoot.problems(with: file(0o600, ownedBy: .root)).isEmpty)
    }

    @Test func asRootAFileOwnedByAnotherUserIsRefusedEvenIfOnlyTheOwnerCanWriteIt() {
        #expect(asRoot.problems(with: file(0o755, ownedBy: alice)) == [.notOwnedByRoot(owner: alice)])
    }

    @Test func asRootGroupAndWorldWritableFilesAreRefused() {
        #expect(asRoot.problems(with: file(0o775, ownedBy: .root)) == [.groupWritable])
        #expect(asRoot.problems(with: file(0o757, ownedBy: .root)) == [.worldWritable])
        #expect(asRoot.problems(with: file(0o666, ownedBy: bob))
            == [.notOwnedByRoot(owner: bob), .groupWritable, .worldWritable])
    }

    @Test func asAUserFilesOwnedByThatUserOrRootAreSafe() {
        #expect(asAlice.problems(with: file(0o755, ownedBy: alice)).isEmpty)
        #expect(asAlice.problems(with: file(0o755, ownedBy: .root)).isEmpty)
    }

    @Test func asAUserAFileOwnedBySomeoneElseIsRefused() {
        #expect(asAlice.problems(with: file(0o755, ownedBy: bob)) == [.ownedByAnotherUser(owner: bob)])
    }

    @Test func asAUserGroupOrWorldWritableFilesAreRefusedEvenWhenTheUserOwnsThem() {
        #expect(asAlice.problems(with: file(0o664, ownedBy: alice)) == [.groupWritable])
        #expect(asAlice.problems(with: file(0o646, ownedBy: .root)) == [.worldWritable])
    }

    @Test func readAndExecuteBitsForOthersDoNotMatter() {
        #expect(asAlice.problems(with: file(0o4755, ownedBy: alice)).isEmpty)
        #expect(asRoot.problems(with: file(0o555, ownedBy: .root)).isEmpty)
    }

    @Test func theExplanationSaysWhatWhyAndHowToFixIt() {
        let problems = asRoot.problems(with: file(0o666, ownedBy: alice))
        let text = asRoot.explanation(of: problems, file: "/etc/p", named: "the pfile", mode: 0o666)
        #expect(text == """
            the pfile /etc/p is owned by uid 1000 instead of root, writable by its group and writable by \
            every user (mode 0666); psaver running as root refuses files that anyone but root can change. \
            Fix: chown root /etc/p and chmod go-w /etc/p
            """)
    }

    @Test func theExplanationForAUserNamesTheOwnerAndTheUser() {
        let problems = asAlice.problems(with: file(0o644, ownedBy: bob))
        let text = asAlice.explanation(
            of: problems, file: "/s", named: "the restart script", mode: 0o644, ownerName: { "user\($0)" })
        #expect(text.contains("owned by user1001, who is neither user1000 nor root (mode 0644)"))
        #expect(text.contains("psaver refuses files that other users can change"))
        #expect(!text.contains("chmod"))
    }
}
