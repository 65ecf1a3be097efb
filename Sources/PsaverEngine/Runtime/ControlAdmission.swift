import PsaverSystem

/// Who gets a slot on the control socket when a peer connects (DESIGN §6: no number
/// of other clients can lock root or the engine's user out).
///
/// The rule, in docs/padmin.md: root and the engine's own user are privileged. Every
/// other uid holds at most `perUserLimit` connections at once. Past `totalLimit`
/// connections, a privileged peer takes the slot of the oldest unprivileged client,
/// which is closed; an unprivileged one is refused. Idle clients are closed after
/// `ControlServer.idleLimit` in any case. Pure: the server does the closing.
struct ControlAdmission {
    static let totalLimit = 32
    static let perUserLimit = 4

    enum Decision: Equatable {
        case admit
        /// Admit, after closing this client (the oldest unprivileged one).
        case admitClosing(UInt64)
        case refuse
    }

    /// A connected client: its token, its peer's uid, and its order of arrival.
    struct Holder: Equatable {
        var token: UInt64
        var user: UserID
        var serial: UInt64
    }

    let owner: UserID

    func isPrivileged(_ user: UserID) -> Bool { user == .root || user == owner }

    func decide(_ newcomer: UserID, holders: [Holder]) -> Decision {
        if !isPrivileged(newcomer) {
            let own = holders.count { $0.user == newcomer }
            return own < Self.perUserLimit && holders.count < Self.totalLimit ? .admit : .refuse
        }
        guard holders.count >= Self.totalLimit else { return .admit }
        let victim = holders.filter { !isPrivileged($0.user) }.min { $0.serial < $1.serial }
        return victim.map { .admitClosing($0.token) } ?? .refuse
    }
}
