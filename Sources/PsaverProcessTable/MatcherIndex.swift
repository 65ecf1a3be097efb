internal import PsaverConfig
public import PsaverSystem

/// The entries of one pass, indexed by every key a process can match on, so that
/// a pass over P processes and E entries costs O(P + E + bytes read), not
/// O(P × E), however the entries are told apart.
///
/// `ProcessMatcher` accepts a process only when its argv[0] equals `pname`, or its
/// executable (" (deleted)" removed) equals the file `pname` resolves to. Every
/// entry is therefore filed under its pname bytes and, when it resolves, under
/// its resolved path. A process is asked only of the entries filed under its
/// argv[0] or under its executable; any other entry fails both keys, so leaving it
/// out never loses a match.
///
/// Many entries on one key (the guide's shape: one `/usr/bin/java`, one entry per
/// instance told apart by include_strings) are told apart further inside the key:
/// each entry with include strings is filed under the one shared by the fewest
/// entries of that key (the longest among equals), and one automaton per key
/// finds, in one read of a command line, which of those strings it holds; an
/// entry whose chosen string is absent can't match, since all its strings must
/// appear. Entries with a user filter are filed under that user, asked only of
/// that user's processes. The full rule (every string, exclude strings, user,
/// zombies, the engine itself) is still `ProcessMatcher.matches`, asked of each
/// candidate.
///
/// Reading the least first: `candidates(argumentZero:executable:)` needs only
/// argv[0] and the executable, so a pass reads the first bytes of a command line
/// (`leadingBytes`), drops the process when no entry is filed under its keys, and
/// reads the rest only for the processes left.
///
/// Why not a cheaper pre-filter on `comm` (the stat name) before reading the
/// command line: argv[0] is whatever the process's parent or the process itself
/// wrote there (`exec -a`, setproctitle), and `comm` is whatever the last exec's
/// file name or `prctl(PR_SET_NAME)` made it; neither bounds the other, so a
/// `comm` filter would lose processes that match today.
public struct MatcherIndex: Sendable {
    /// The matchers, in the order given; candidates are positions in this array.
    public let matchers: [ProcessMatcher]
    private let byArgumentZero: [ByteKey: Group]
    private let byExecutable: [String: Group]
    /// How many leading bytes of a command line settle argv[0]: one more than the
    /// longest pname, so that an argv[0] still running past them is longer than
    /// every pname and matches none by name. At least a page.
    public let leadingBytes: Int

    public init(_ matchers: [ProcessMatcher]) {
        self.matchers = matchers
        var argumentZero: [ByteKey: [Int]] = [:]
        var executable: [String: [Int]] = [:]
        argumentZero.reserveCapacity(matchers.count)
        var longest = 0
        for (position, matcher) in matchers.enumerated() {
            argumentZero[ByteKey(matcher.pnameBytes[...]), default: []].append(position)
            longest = max(longest, matcher.pnameBytes.count)
            if let resolved = matcher.resolvedPname {
                executable[resolved, default: []].append(position)
            }
        }
        byArgumentZero = argumentZero.mapValues { Group($0, of: matchers) }
        byExecutable = executable.mapValues { Group($0, of: matchers) }
        leadingBytes = max(4096, longest + 1)
    }

    /// Whether any entry can match by executable, so that a pass must read each
    /// process's `exe` link to find its candidates.
    public var matchesByExecutable: Bool { !byExecutable.isEmpty }

    /// The positions of every matcher filed under this argv[0] or executable, each
    /// once, in ascending order: the entries a process with these keys may
    /// satisfy, before its command line is looked at. Empty means the process
    /// can be passed by without reading more of it.
    ///
    /// - Parameters:
    ///   - argumentZero: the command line up to its first NUL.
    ///   - executable: the process's `exe` link target, or nil when unreadable;
    ///     called only when some entry matches by executable.
    public func candidates(argumentZero: ArraySlice<UInt8>, executable: () -> String?) -> [Int] {
        let (byName, byFile) = groups(argumentZero: argumentZero, executable: executable)
        return merged(byName?.all.list ?? [], byFile?.all.list ?? [])
    }

    /// The positions of the matchers this process may satisfy, each once, in
    /// ascending order: those filed under its argv[0] or executable whose
    /// include strings its command line holds (on a key with many entries, the
    /// one string each is filed under; with few, all of them), and, on a key
    /// with many entries, whose user, if any, is the process's.
    ///
    /// - Parameters:
    ///   - argumentZero: the command line up to its first NUL.
    ///   - commandLine: the command line as read, trailing NULs removed.
    ///   - executable: as for `candidates(argumentZero:executable:)`.
    ///   - realUser: the process's real uid, or nil when unknown; called only when
    ///     an entry filed under its keys names a user.
    public func candidates(
        argumentZero: ArraySlice<UInt8>, commandLine: [UInt8],
        executable: () -> String?, realUser: () -> UserID?
    ) -> [Int] {
        let (byName, byFile) = groups(argumentZero: argumentZero, executable: executable)
        var user: UserID??
        let cachedUser = { () -> UserID? in
            if let user { return user }
            let found = realUser()
            user = .some(found)
            return found
        }
        let fromName = byName?.candidates(commandLine, of: matchers, realUser: cachedUser) ?? []
        let fromFile = byFile?.candidates(commandLine, of: matchers, realUser: cachedUser) ?? []
        return merged(fromName, fromFile)
    }

    private func groups(
        argumentZero: ArraySlice<UInt8>, executable: () -> String?
    ) -> (Group?, Group?) {
        let byName = byArgumentZero[ByteKey(argumentZero)]
        guard matchesByExecutable, let target = executable() else { return (byName, nil) }
        return (byName, byExecutable[ProcessMatcher.strippingDeleted(target)])
    }
}

/// Two ascending position lists as one, duplicates dropped: an entry filed under
/// both keys (argv[0] is pname and the exe is its file) is asked once.
private func merged(_ left: [Int], _ right: [Int]) -> [Int] {
    if right.isEmpty { return left }
    if left.isEmpty { return right }
    var result: [Int] = []
    result.reserveCapacity(left.count + right.count)
    var leftIndex = 0
    var rightIndex = 0
    while leftIndex < left.count || rightIndex < right.count {
        let next: Int
        if rightIndex == right.count || (leftIndex < left.count && left[leftIndex] <= right[rightIndex]) {
            next = left[leftIndex]
            leftIndex += 1
        } else {
            next = right[rightIndex]
            rightIndex += 1
        }
        if result.last != next { result.append(next) }
    }
    return result
}

/// The positions filed under one key, in ascending order: almost always one, which
/// is kept without an array of its own (an array a key cost ~1 MB at 10,000 entries).
enum Positions: Sendable {
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
struct ByteKey: Hashable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        lhs.bytes.count == rhs.bytes.count && lhs.bytes.elementsEqual(rhs.bytes)
    }
}
