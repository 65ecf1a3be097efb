import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing
@testable import PsaverEngine

/// DESIGN §2: a dead main's children, session and process group are its
/// leftovers, never its successor; an independent match of the same user is.
@Suite struct LeftoverRuleTests {
    /// A postmaster, pid 500, that leads its own session and group (setsid, as daemons do).
    let postmaster = MainFamily(identity: ProcessIdentity(pid: ProcessID(500), startTime: 1_000),
                                group: ProcessID(500), session: ProcessID(500))

    func process(_ pid: Int32, start: UInt64 = 1_100, group: Int32, session: Int32) -> ProcessKinship {
        ProcessKinship(identity: ProcessIdentity(pid: ProcessID(pid), startTime: start), parentPID: ProcessID(1),
                       group: ProcessID(group), session: ProcessID(session), exited: false)
    }

    @Test func aMemberOfTheSessionTheDeadMainLed_isALeftover() {
        let backend = process(501, group: 500, session: 500)
        #expect(postmaster.keeps(backend) && postmaster.owns(backend))
    }

    @Test func aMemberOfTheGroupTheDeadMainLed_inAnotherSession_isALeftover() {
        let main = MainFamily(identity: postmaster.identity, group: ProcessID(500), session: ProcessID(400))
        #expect(main.keeps(process(502, group: 500, session: 400)))
    }

    @Test func aProcessInTheSessionOfAMainThatDidNotLeadIt_isIndependent() {
        // Started from an operator's shell (session 400): the shell's other jobs are not the main's.
        let main = MainFamily(identity: postmaster.identity, group: ProcessID(450), session: ProcessID(400))
        let other = process(600, group: 600, session: 400)
        #expect(!main.keeps(other) && !main.owns(other))
    }

    @Test func aProcessOlderThanTheDeadMain_isNeverItsLeftover() {
        #expect(!postmaster.keeps(process(300, start: 10, group: 500, session: 500)))
    }

    @Test func aReportedForkThatLeftTheSession_isOwnedForTheCleanUp_butMayBeFollowed() {
        var main = postmaster
        let detached = process(700, group: 700, session: 700)
        main.descendants.insert(detached.identity)
        #expect(main.owns(detached))
        #expect(!main.keeps(detached), "a daemon that detached (setsid) is followed when it matches on its own")
    }

    @Test func theSuccessor_isTheOldestIndependentMatchOfTheSameUser() {
        let busyBackend = ProcessIdentity(pid: ProcessID(501), startTime: 1_100)
        let checkpointer = ProcessIdentity(pid: ProcessID(502), startTime: 1_050)
        let independent = ProcessIdentity(pid: ProcessID(800), startTime: 2_000)
        let chosen = SuccessorRule.choose(
            among: [checkpointer, busyBackend, independent], diedAs: UserID(26), userOf: { _ in UserID(26) },
            matchesOnItsOwn: { $0 != checkpointer }, isLeftover: { $0 == busyBackend })
        #expect(chosen == independent)
    }

    @Test func noSuccessor_whenEveryCandidateIsALeftoverOrDoesNotMatchOnItsOwn() {
        let bgsave = ProcessIdentity(pid: ProcessID(501), startTime: 1_100)
        let worker = ProcessIdentity(pid: ProcessID(502), startTime: 1_100)
        let chosen = SuccessorRule.choose(
            among: [bgsave, worker], diedAs: UserID(0), userOf: { _ in UserID(0) },
            matchesOnItsOwn: { $0 == bgsave }, isLeftover: { $0 == bgsave })
        #expect(chosen == nil)
    }

    @Test func aStatLine_givesParentGroupSessionAndStart_evenWithParenthesesInTheName() throws {
        let line = "4242 (redis-server) x) S 1 4242 4240 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0"
        let kinship = try #require(ProcessKinship.parse(Array(line.utf8)[...]))
        #expect(kinship.identity == ProcessIdentity(pid: ProcessID(4242), startTime: 987_654))
        #expect(kinship.parentPID == ProcessID(1) && kinship.group == ProcessID(4242))
        #expect(kinship.session == ProcessID(4240) && !kinship.exited)
        let zombie = "77 (postgres) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0"
        #expect(try #require(ProcessKinship.parse(Array(zombie.utf8)[...])).exited)
        #expect(ProcessKinship.parse(Array("not a stat line".utf8)[...]) == nil)
    }

    @Test func familiesFollowReportedForks_onlyFromTheProcessTheyKnow() {
        var families = MainFamilies()
        families.watched(PentID(1), postmaster)
        let child = ProcessIdentity(pid: ProcessID(510), startTime: 1_200)
        let grandchild = ProcessIdentity(pid: ProcessID(511), startTime: 1_300)
        families.forked(parent: ProcessID(500), child: child, parentStart: { 1_000 }, isGone: { _ in false })
        families.forked(parent: ProcessID(510), child: grandchild, parentStart: { 1_200 }, isGone: { _ in false })
        // A reused pid (another start time) forks nothing into the family.
        families.forked(parent: ProcessID(500), child: ProcessIdentity(pid: ProcessID(999), startTime: 9_999),
                        parentStart: { 5_000 }, isGone: { _ in false })
        let family = families.take(PentID(1), postmaster.identity)
        #expect(family?.descendants == [child, grandchild])
        #expect(families.take(PentID(1), postmaster.identity) == nil)
        #expect(!families.hasMember(ProcessID(510)))
    }

    @Test func lostForkReports_leaveNoFamilyComplete() {
        var families = MainFamilies()
        var main = postmaster
        main.forksComplete = true
        families.watched(PentID(1), main)
        families.forksLost()
        #expect(families.family(of: PentID(1))?.forksComplete == false)
    }
}
