import PsaverSystem

/// Processes the kernel reported new images for, not yet checked against the
/// entries: every exec, and every fork of such a process before its check.
///
/// A fork inherits its parent's image, so the child of a process whose exec is
/// still unchecked is checked like an exec of its own: a daemon that execs,
/// forks and exits at once is found in its child even when both reports came in
/// one batch and the parent is gone by the time it is checked.
struct PendingExecs {
    private var order: [ProcessID] = []
    private var members: Set<ProcessID> = []
    private var start = 0

    var isEmpty: Bool { start == order.count }

    mutating func append(_ pid: ProcessID) {
        guard members.insert(pid).inserted else { return }
        order.append(pid)
    }

    func contains(_ pid: ProcessID) -> Bool { members.contains(pid) }

    /// Takes up to `count` of the oldest, in the order they came.
    mutating func takeBatch(_ count: Int) -> ArraySlice<ProcessID> {
        let end = min(order.count, start + count)
        let batch = order[start..<end]
        start = end
        for pid in batch { members.remove(pid) }
        if start == order.count {
            order.removeAll(keepingCapacity: order.count <= 4096)
            start = 0
        }
        return batch
    }
}
