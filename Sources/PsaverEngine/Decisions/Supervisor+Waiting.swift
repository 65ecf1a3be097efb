import PsaverState

extension Supervisor {
    /// Whether some entry's script has ended and its process is awaited (WAITING):
    /// looked for every 100 ms (DESIGN §2), whatever the kernel's reports say.
    public var hasWaitingEntries: Bool {
        trackers.contains { $0.procStatus == .waiting }
    }
}
