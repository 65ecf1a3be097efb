extension TrustedDirectory {
    /// Takes an exclusive `flock` on `name` as `lockFile` does, and makes sure the
    /// locked file is still the one at `name`: a holder that stops removes its file
    /// (`removeLock`), so a lock taken on a file just removed is let go and taken
    /// again on the new one. nil when another process holds it.
    public func lockFileInPlace(_ name: String) throws -> FileDescriptor? {
        for _ in 0..<16 {
            guard let file = try lockFile(name) else { return nil }
            if let opened = try? FileStatus(Syscalls.fstat(file.rawValue)), let named = status(of: name),
                opened.device == named.device, opened.inode == named.inode
            {
                return file
            }
            file.close()
        }
        // The file keeps being replaced under us: someone is at work in our own folder.
        return nil
    }

    /// Removes the lock file `name` while `file` still holds its lock, so that lock
    /// files do not pile up: the next engine creates a fresh one. Only when `name` is
    /// still the locked file.
    public func removeLock(_ name: String, holding file: FileDescriptor) {
        guard let opened = try? FileStatus(Syscalls.fstat(file.rawValue)), let named = status(of: name),
            opened.device == named.device, opened.inode == named.inode
        else { return }
        try? remove(name)
    }
}
