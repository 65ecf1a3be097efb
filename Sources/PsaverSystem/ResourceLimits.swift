import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// The process's resource limits.
public enum ResourceLimits {
    /// Raises the soft limit on open descriptors to the hard limit, so that one
    /// pidfd per watched process fits; returns the soft limit now in force.
    /// The corresponding C functions are `getrlimit` and `setrlimit`.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// Returns memory freed since the last call to the system, where the allocator
    /// would otherwise keep it resident. The corresponding C function is `malloc_trim`.
    public static func returnFreedMemory() {
        _ = psaver_malloc_trim()
    }

    /// Marks every inherited descriptor above stderr close-on-exec, so restart
    /// scripts never inherit them even where posix_spawn can't close them (glibc
    /// before 2.34). The corresponding C function is `close_range`.
    public static func closeInheritedDescriptorsOnExec() {
        _ = psaver_cloexec_from(3)
    }
}
