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

    /// Serves every allocation of `bytes` or more straight from the kernel (mmap),
    /// and gives it back at free, for a long-running process that now and then
    /// builds a large temporary (a pfile's text, a pass's records, a state file of
    /// thousands of entries). glibc would otherwise raise its threshold after the
    /// first such buffer and put the next ones in the heap among long-lived data,
    /// where the pages stay resident: 2.3 MB of pcheck's 17 MB at 10,000 entries.
    /// The corresponding C function is `mallopt` (M_MMAP_THRESHOLD).
    public static func keepLargeBuffersOutOfTheHeap(from bytes: Int = 128 << 10) {
        _ = psaver_malloc_mmap_threshold(Int32(bytes))
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
