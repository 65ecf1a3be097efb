internal import PsaverConfig

/// The entries of one pass, indexed by the two keys a process can match on, so
/// that a pass over P processes and E entries costs O(P + E), not O(P × E).
///
/// `ProcessMatcher` accepts a process only when its argv[0] equals `pname`, or its
/// executable (" (deleted)" removed) equals the file `pname` resolves to. Every
/// entry is therefore filed under its pname bytes and, when it resolves, under
/// its resolved path. A process is then asked only of the entries filed under its
/// argv[0] or under its executable; any other entry fails both keys, so leaving it
/// out never loses a match. The full rule (strings, user, zombies, the engine
/// itself) is still `ProcessMatcher.matches`, asked of each candidate.
///
/// Why not a cheaper pre-filter on `comm` (the stat name) before reading the
/// command line: argv[0] is whatever the process's parent or the process itself
/// wrote there (`exec -a`, setproctitle), and `comm` is whatever the last exec's
/// file name or `prctl(PR_SET_NAME)` made it; neither bounds the other, so a
/// `comm` filter would lose processes that match today.
public struct MatcherIndex: Sendable {
    /// The matchers, in the order given; candidates are positions in this array.
    public let matchers: [ProcessMatcher]
    private let byArgumentZero: [ByteKey: Positions]
    private let byExecutable: [String: Positions]

    public init(_ matchers: [ProcessMatcher]) {
        self.matchers = matchers
        var argumentZero: [ByteKey: [Int]] = [:]
        var executable: [String: [Int]] = [:]
        argumentZero.reserveCapacity(matchers.count)
        for (position, matcher) in matchers.enumerated() {
            argumentZero[ByteKey(matcher.pnameBytes[...]), default: []].append(position)
            if let resolved = matcher.resolvedPname {
                executable[resolved, default: []].append(position)
            }
        }
        byArgumentZero = argumentZero.mapValues(Positions.init)
        byExecutable = executable.mapValues(Positions.init)
    }

    /// Whether any entry can match by executable, so that a pass must read each
    /// process's `exe` link to find its candidates.
    public var matchesByExecutable: Bool { !byExecutable.isEmpty }

    /// The positions of the matchers a process with this argv[0] and executable
    /// may satisfy, each once, in ascending order.
    ///
    /// - Parameters:
    ///   - argumentZero: the command line up to its first NUL.
    ///   - executable: the process's `exe` link target, or nil when unreadable;
    ///     called only when some entry matches by executable.
    public func candidates(argumentZero: ArraySlice<UInt8>, executable: () -> String?) -> [Int] {
        let byName = byArgumentZero[ByteKey(argumentZero)]?.list ?? []
        guard matchesByExecutable, let target = executable(),
            let byFile = byExecutable[ProcessMatcher.strippingDeleted(target)]?.list
        else { return byName }
        if byName.isEmpty { return byFile }
        // An entry filed under both keys (argv[0] is pname and the exe is its file)
        // must be asked once: ascending merge, duplicates dropped.
        var merged: [Int] = []
        merged.reserveCapacity(byName.count + byFile.count)
        var left = 0
        var right = 0
        while left < byName.count || right < byFile.count {
            let next: Int
            if right == byFile.count || (left < byName.count && byName[left] <= byFile[right]) {
                next = byName[left]
                left += 1
            } else {
                next = byFile[right]
                right += 1
            }
            if merged.last != next { merged.append(next) }
        }
        return merged
    }
}

/// The positions filed under one key, in ascending order: almost always one, which
/// is kept without an array of its own (an array a key cost ~1 MB at 10,000 entries).
private enum Positions: Sendable {
    case one(Int)
    case many([Int])

    var list: [Int] {
        switch self {
        case .one(let position): [position]
        case .many(let positions): positions
        }
    }

    init(_ positions: [Int]) {
        self = positions.count == 1 ? .one(positions[0]) : .many(positions)
    }
}

/// Bytes as a dictionary key, hashed in one call rather than byte by byte (the
/// standard slice's hashing was the largest single cost of an indexed pass).
private struct ByteKey: Hashable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.bytes.count == rhs.bytes.count && lhs.bytes.elementsEqual(rhs.bytes)
    }
}
