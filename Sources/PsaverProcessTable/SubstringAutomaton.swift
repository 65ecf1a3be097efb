/// Many byte strings searched for at once in one text (Aho–Corasick): the text is
/// read once, whatever the number of strings, and each string that occurs in it is
/// reported once.
///
/// The text is a command line as `/proc/PID/cmdline` holds it: the NULs between
/// arguments are read as spaces, the rule `ProcessMatcher` searches by, so a string
/// that spans two arguments (`-jar app.jar`) is found here exactly when the matcher
/// finds it. Immutable once built, so one automaton serves every pass.
struct SubstringAutomaton: Sendable {
    /// Per node: where its edges start in `edgeBytes`/`edgeTargets`, and how many.
    private let edgeStart: [Int32]
    private let edgeCount: [Int32]
    /// Every node's edges, each node's sorted by byte, for a binary search.
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    /// The longest proper suffix of a node's string that is also a node.
    private let failure: [Int32]
    /// The pattern ending at a node, or -1.
    private let output: [Int32]
    /// The nearest node on the failure chain (the node itself excluded) that ends a
    /// pattern, or -1: what is reported besides a node's own pattern.
    private let outputLink: [Int32]

    /// The number of strings searched for; patterns are numbered in the order given.
    let patternCount: Int

    /// An automaton for `patterns`; an empty pattern is never reported, and a
    /// pattern given twice is reported under its first number.
    init(_ patterns: [[UInt8]]) {
        patternCount = patterns.count
        // Build the trie with a map per node, then flatten it.
        var children: [[UInt8: Int32]] = [[:]]
        var ends: [Int32] = [-1]
        for (number, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node = 0
            for byte in pattern {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children.append([:])
                    ends.append(-1)
                    children[node][byte] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            if ends[node] < 0 { ends[node] = Int32(number) }
        }
        var starts = [Int32](repeating: 0, count: children.count)
        var counts = [Int32](repeating: 0, count: children.count)
        var bytes: [UInt8] = []
        var targets: [Int32] = []
        for (node, edges) in children.enumerated() {
            starts[node] = Int32(bytes.count)
            counts[node] = Int32(edges.count)
            for (byte, target) in edges.sorted(by: { $0.key < $1.key }) {
                bytes.append(byte)
                targets.append(target)
            }
        }
        edgeStart = starts
        edgeCount = counts
        edgeBytes = bytes
        edgeTargets = targets
        output = ends

        // Failure and output links, breadth first so a node's suffixes are done first.
        var fail = [Int32](repeating: 0, count: children.count)
        var link = [Int32](repeating: -1, count: children.count)
        var queue: [Int32] = []
        queue.reserveCapacity(children.count)
        for target in children[0].values { queue.append(target) }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            for (byte, target) in children[node] {
                var suffix = Int(fail[node])
                var targetFailure: Int32 = 0
                while true {
                    if let found = children[suffix][byte] {
                        targetFailure = found
                        break
                    }
                    if suffix == 0 { break }
                    suffix = Int(fail[suffix])
                }
                fail[Int(target)] = targetFailure
                link[Int(target)] = ends[Int(targetFailure)] >= 0 ? targetFailure : link[Int(targetFailure)]
                queue.append(target)
            }
        }
        failure = fail
        outputLink = link
    }

    /// Calls `found` once for each pattern that occurs in `text` (NULs read as
    /// spaces), in the order their first occurrences end.
    ///
    /// Costs O(text + patterns found): a node whose patterns were reported is not
    /// walked again, since everything on its output chain was reported with it.
    func forEachPattern(in text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        if patternCount == 0 { return }
        var reported = Set<Int32>()
        var node: Int32 = 0
        for raw in text {
            let byte = raw == 0 ? 0x20 : raw
            while true {
                if let next = step(node, byte) {
                    node = next
                    break
                }
                if node == 0 { break }
                node = failure[Int(node)]
            }
            var report = output[Int(node)] >= 0 ? node : outputLink[Int(node)]
            while report >= 0, reported.insert(report).inserted {
                found(Int(output[Int(report)]))
                report = outputLink[Int(report)]
            }
        }
    }

    /// The child of `node` along `byte`, by binary search over its sorted edges.
    @inline(__always)
    private func step(_ node: Int32, _ byte: UInt8) -> Int32? {
        var low = Int(edgeStart[Int(node)])
        var high = low + Int(edgeCount[Int(node)])
        while low < high {
            let middle = (low + high) >> 1
            let value = edgeBytes[middle]
            if value == byte { return edgeTargets[middle] }
            if value < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
