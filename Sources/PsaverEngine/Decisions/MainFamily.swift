import PsaverProcessTable
import PsaverSystem

/// A watched process as last seen alive, with what belongs to it: the session and
/// process group it leads, and the processes the kernel reported it (or them)
/// forking. DESIGN §2: when it dies, these are its leftovers, never its successor,
/// and they are ended before the restart script runs.
struct MainFamily: Sendable, Equatable {
    var identity: ProcessIdentity
    /// Its process group and session, from its stat file while it ran.
    var group: ProcessID
    var session: ProcessID
    /// Processes forked by it or by one of these, as the kernel reported them.
    var descendants: Set<ProcessIdentity> = []
    /// Whether the kernel has reported every fork since the watch began (the
    /// descendants were listed then): its descendants are then all it left behind.
    var forksComplete = false

    init(identity: ProcessIdentity, group: ProcessID, session: ProcessID) {
        self.identity = identity
        self.group = group
        self.session = session
    }

    /// Whether it led its own session (`setsid`, as every daemon does) or group: only
    /// then do that session's or group's members belong to it. A process in its
    /// caller's session (an operator's shell) shares it with unrelated processes.
    var leadsSession: Bool { session == identity.pid }
    var leadsGroup: Bool { group == identity.pid }

    /// Whether `process` is one of its leftovers, to be ended before a restart: a
    /// reported descendant, or a member of the session or group it led.
    func owns(_ process: ProcessKinship) -> Bool {
        guard process.identity != identity else { return false }
        return descendants.contains(process.identity) || keeps(process)
    }

    /// Whether `process` is still in the session or group it led (and started no
    /// earlier than it did): never its successor. A reported descendant that left
    /// them (`setsid`) and matches the entry on its own is a daemon that detached,
    /// and may be followed.
    func keeps(_ process: ProcessKinship) -> Bool {
        guard process.identity != identity, process.identity.startTime >= identity.startTime else { return false }
        return (leadsSession && process.session == session) || (leadsGroup && process.group == group)
    }
}

extension SuccessorRule {
    /// DESIGN §2 in full: the oldest candidate that runs as the dead process's user,
    /// matches the entry on its own (`matchesOnItsOwn`: a fork reported of a watched
    /// process is known before its own command line is checked) and is not one of the
    /// dead process's leftovers (`isLeftover`).
    static func choose(
        among candidates: [ProcessIdentity], diedAs user: UserID?, userOf: (ProcessIdentity) -> UserID?,
        matchesOnItsOwn: (ProcessIdentity) -> Bool, isLeftover: (ProcessIdentity) -> Bool
    ) -> ProcessIdentity? {
        choose(among: candidates.filter { matchesOnItsOwn($0) && !isLeftover($0) }, diedAs: user, userOf: userOf)
    }
}
