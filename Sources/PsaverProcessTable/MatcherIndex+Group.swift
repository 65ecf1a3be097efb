internal import PsaverSystem

extension MatcherIndex {
    /// The entries filed under one key (an argv[0] or an executable).
    ///
    /// A few entries on a key are all asked of each process with that key. Past
    /// `splitThreshold` they are split by the include string each is filed under
    /// and by user, so that a process is asked only of the entries it may match.
    struct Group: Sendable {
        /// Every position filed here, ascending.
        let all: Positions
        /// The finer filing, for keys with many entries; nil for the rest.
        let split: Split?

        /// Up to this many entries on one key are simply all asked.
        static let splitThreshold = 8

        init(_ positions: [Int], of matchers: [ProcessMatcher]) {
            all = Positions(positions)
            split = positions.count > Self.splitThreshold ? Split(positions, of: matchers) : nil
        }

        /// The positions a process with this command line may match, ascending.
        /// In a small group, an entry whose strings are not all in the command line
        /// is left out here, so that the process's stat file is not read for it.
        func candidates(_ commandLine: [UInt8], of matchers: [ProcessMatcher], realUser: () -> UserID?) -> [Int] {
            if let split { return split.candidates(commandLine, realUser: realUser) }
            return all.list.filter { position in
                matchers[position].includes.allSatisfy { ProcessMatcher.commandLine(commandLine, contains: $0) }
            }
        }
    }

    /// Many entries on one key, filed by their rarest include string and by user.
    final class Split: Sendable {
        /// Entries without include strings.
        private let unkeyed: UserBuckets
        /// Every chosen include string, found in one read of a command line.
        private let automaton: SubstringAutomaton
        /// The entries filed under each of the automaton's patterns.
        private let keyed: [UserBuckets]

        init(_ positions: [Int], of matchers: [ProcessMatcher]) {
            // How many entries of this key carry each string: an entry is filed
            // under its least shared one, so that a process holding a string
            // common to all of them (`-server`) is not asked of every one.
            var shared: [[UInt8]: Int] = [:]
            for position in positions {
                for include in Set(matchers[position].includes) { shared[include, default: 0] += 1 }
            }
            var patterns: [[UInt8]] = []
            var patternNumber: [[UInt8]: Int] = [:]
            var unkeyed = UserBuckets()
            var keyed: [UserBuckets] = []
            for position in positions {
                let matcher = matchers[position]
                guard let chosen = matcher.includes.min(by: { first, second in
                    let (a, b) = (shared[first, default: 0], shared[second, default: 0])
                    return a != b ? a < b : first.count > second.count
                }) else {
                    unkeyed.add(position, user: matcher.userID)
                    continue
                }
                let number: Int
                if let known = patternNumber[chosen] {
                    number = known
                } else {
                    number = patterns.count
                    patternNumber[chosen] = number
                    patterns.append(chosen)
                    keyed.append(UserBuckets())
                }
                keyed[number].add(position, user: matcher.userID)
            }
            self.unkeyed = unkeyed
            self.keyed = keyed
            automaton = SubstringAutomaton(patterns)
        }

        func candidates(_ commandLine: [UInt8], realUser: () -> UserID?) -> [Int] {
            var found: [Int] = []
            unkeyed.collect(into: &found, realUser: realUser)
            commandLine.withUnsafeBufferPointer { text in
                automaton.forEachPattern(in: text) { number in
                    keyed[number].collect(into: &found, realUser: realUser)
                }
            }
            found.sort()
            return found
        }
    }

    /// Positions split by the user their entry names; entries naming none are
    /// asked of every process.
    struct UserBuckets: Sendable {
        private var anyUser: [Int] = []
        private var byUser: [UserID: [Int]] = [:]

        mutating func add(_ position: Int, user: UserID?) {
            if let user { byUser[user, default: []].append(position) } else { anyUser.append(position) }
        }

        /// Appends the positions a process of `realUser` may match; reads the
        /// user only when some entry here names one.
        func collect(into found: inout [Int], realUser: () -> UserID?) {
            found.append(contentsOf: anyUser)
            if byUser.isEmpty { return }
            if let user = realUser(), let positions = byUser[user] { found.append(contentsOf: positions) }
        }
    }
}
