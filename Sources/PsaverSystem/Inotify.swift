import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// One inotify instance: tells a reader that files changed, without polling.
///
/// psview watches the folders that hold state files (the engine replaces a state file by
/// renaming a temporary one over it, so a watch on the file itself would follow the old
/// inode) and the registry folder. The descriptor is non-blocking and close-on-exec; put
/// it in an `Epoll` set and call `readEvents()` when it is readable.
public final class Inotify {
    /// Which changes a watch reports, and what an event was.
    public struct Mask: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let modified = Mask(rawValue: UInt32(IN_MODIFY))
        public static let attributesChanged = Mask(rawValue: UInt32(IN_ATTRIB))
        public static let closedAfterWriting = Mask(rawValue: UInt32(IN_CLOSE_WRITE))
        public static let movedFrom = Mask(rawValue: UInt32(IN_MOVED_FROM))
        public static let movedTo = Mask(rawValue: UInt32(IN_MOVED_TO))
        public static let created = Mask(rawValue: UInt32(IN_CREATE))
        public static let deleted = Mask(rawValue: UInt32(IN_DELETE))
        /// The watched folder itself was removed or moved away.
        public static let watchedDeleted = Mask(rawValue: UInt32(IN_DELETE_SELF))
        public static let watchedMoved = Mask(rawValue: UInt32(IN_MOVE_SELF))
        /// Only in events: the kernel dropped events (read everything again).
        public static let overflowed = Mask(rawValue: UInt32(IN_Q_OVERFLOW))
        /// Only in events: the watch is gone (its folder was removed).
        public static let watchRemoved = Mask(rawValue: UInt32(IN_IGNORED))
        /// Only when adding: fail unless the path is a folder.
        public static let onlyDirectory = Mask(rawValue: UInt32(IN_ONLYDIR))

        /// Every way a file in a watched folder can appear, change or go.
        public static let folderChanges: Mask = [
            .closedAfterWriting, .movedFrom, .movedTo, .created, .deleted, .attributesChanged,
            .watchedDeleted, .watchedMoved,
        ]
    }

    /// One watch, as returned by `addWatch`.
    public struct Watch: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
    }

    /// One change: the watch it came from, what happened, and the name inside the watched
    /// folder ("" for the folder itself and for overflow).
    public struct Event: Sendable, Equatable {
        public var watch: Watch
        public var mask: Mask
        public var name: String
    }

    public let descriptor: FileDescriptor

    /// The corresponding C function is `inotify_init1` (`IN_NONBLOCK | IN_CLOEXEC`).
    public init() throws {
        let flags = Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC)
        descriptor = FileDescriptor(rawValue: try retryingInterrupts("inotify_init1") { inotify_init1(flags) })
    }

    deinit { descriptor.close() }

    /// Watches `path` for `mask`; watching the same path again returns the same watch.
    /// The corresponding C function is `inotify_add_watch`.
    public func addWatch(_ path: String, mask: Mask) throws -> Watch {
        Watch(rawValue: try retryingInterrupts("inotify_add_watch", path) {
            inotify_add_watch(descriptor.rawValue, path, mask.rawValue)
        })
    }

    /// Stops a watch; one already gone is fine. The corresponding C function is `inotify_rm_watch`.
    public func removeWatch(_ watch: Watch) {
        _ = inotify_rm_watch(descriptor.rawValue, watch.rawValue)
    }

    /// Every event waiting now (none when nothing is waiting).
    public func readEvents() -> [Event] {
        var events: [Event] = []
        // Large enough for many events at once; one event is at most 16 + NAME_MAX + 1 bytes.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in Glibc.read(descriptor.rawValue, raw.baseAddress, raw.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return events }
            events += Self.decode(buffer[0..<count])
        }
    }

    /// Splits a read buffer into events: `struct inotify_event` is a 16-byte header
    /// (wd, mask, cookie, len) followed by `len` bytes of NUL-padded name.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [Event] {
        var events: [Event] = []
        var offset = bytes.startIndex
        func word(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        while offset + 16 <= bytes.endIndex {
            let watch = Int32(bitPattern: word(offset))
            let mask = word(offset + 4)
            let length = Int(word(offset + 12))
            let nameEnd = min(offset + 16 + length, bytes.endIndex)
            let name = String(decoding: bytes[(offset + 16)..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
            events.append(Event(watch: Watch(rawValue: watch), mask: Mask(rawValue: mask), name: name))
            offset = nameEnd
        }
        return events
    }
}
