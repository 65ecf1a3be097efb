import CPsaverShims

/// Makes the calling process the reaper of its orphaned descendants.
public enum ChildSubreaper {
    /// From now on, a descendant whose parent ends is re-parented to this process
    /// instead of PID 1 (which in a container may never reap it), so that a
    /// benchmark or test that detaches services can still reap them.
    /// The corresponding C function is `prctl(PR_SET_CHILD_SUBREAPER)`.
    public static func become() throws {
        _ = try retryingInterrupts("prctl", "PR_SET_CHILD_SUBREAPER") { psaver_become_subreaper() }
    }
}
