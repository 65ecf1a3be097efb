/// What an epoll registration stands for: one token type for every source of the
/// engine's loop, packed into epoll's 64-bit user data.
enum LoopToken: Hashable, Sendable {
    case signals
    case controlListener
    case controlClient(UInt32)
    /// The pidfd of an entry's tracked process.
    case process(PentIDValue)
    /// The pidfd of a restart script adopted from an engine before this one.
    case adoptedScript(PentIDValue)
    /// The kernel's process-events connector (root only).
    case processEvents
    /// The end of a pfile re-read for SIGHUP, off the loop.
    case reload

    typealias PentIDValue = UInt32

    var rawValue: UInt64 {
        switch self {
        case .signals: 1 << 56
        case .controlListener: 2 << 56
        case .controlClient(let n): 3 << 56 | UInt64(n)
        case .process(let id): 4 << 56 | UInt64(id)
        case .adoptedScript(let id): 5 << 56 | UInt64(id)
        case .processEvents: 6 << 56
        case .reload: 7 << 56
        }
    }

    init?(rawValue: UInt64) {
        let value = UInt32(truncatingIfNeeded: rawValue)
        switch rawValue >> 56 {
        case 1: self = .signals
        case 2: self = .controlListener
        case 3: self = .controlClient(value)
        case 4: self = .process(value)
        case 5: self = .adoptedScript(value)
        case 6: self = .processEvents
        case 7: self = .reload
        default: return nil
        }
    }
}
