#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Whether the calling user may create entries in the folder `path`.
    /// The corresponding C function is `access`.
    public static func canCreate(in path: String) -> Bool { Syscalls.access(path, W_OK | X_OK) }
}
