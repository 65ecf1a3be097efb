import PsaverSystem
import Testing
@testable import PsaverEngine

/// Who gets a slot on the control socket: root and the engine's user always do.
@Suite("ControlAdmission: the control socket can't be crowded out")
struct ControlAdmissionTests {
    let policy = ControlAdmission(owner: UserID(1000))
    let stranger = UserID(2000)

    func holders(_ users: [UserID]) -> [ControlAdmission.Holder] {
        users.enumerated().map { ControlAdmission.Holder(token: UInt64(100 + $0.offset), user: $0.element,
                                                         serial: UInt64($0.offset)) }
    }

    @Test func anotherUser_holdsAtMostAFewConnections() {
        let own = holders(Array(repeating: stranger, count: ControlAdmission.perUserLimit))
        #expect(policy.decide(stranger, holders: own) == .refuse)
        #expect(policy.decide(stranger, holders: Array(own.dropLast())) == .admit)
    }

    @Test func rootAndTheEnginesUser_takeTheOldestStrangersSlot_whenEverySlotIsHeld() {
        let users = (0..<ControlAdmission.totalLimit).map { UserID(3000 + UInt32($0 / ControlAdmission.perUserLimit)) }
        let full = holders(users)
        #expect(policy.decide(.root, holders: full) == .admitClosing(100))
        #expect(policy.decide(UserID(1000), holders: full) == .admitClosing(100))
        #expect(policy.decide(UserID(9999), holders: full) == .refuse)
    }

    @Test func privilegedPeers_areNeverClosedForOthers() {
        let full = holders(Array(repeating: .root, count: ControlAdmission.totalLimit))
        #expect(policy.decide(UserID(1000), holders: full) == .refuse)
    }
}
