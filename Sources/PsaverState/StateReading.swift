internal import FoundationEssentials

/// A state file as read: its bytes and what they decode to, kept so that the next
/// reading of the same file decodes only what changed.
///
/// An engine rewrites its file at every change and once per MONITOR_INTERVAL. A rewrite
/// that only moves `heartbeat_at` reuses the document. One that changes a few entries or
/// adds an event decodes the document without its entries, then only the entries whose
/// bytes differ, and takes the others from the last reading. psview over 20 engines of
/// 500 entries reads a busy engine's file ten times a second; JSONDecoder spends about
/// 10 M instructions on one whole.
public struct StateReading: Sendable {
    public let bytes: [UInt8]
    public let document: StateDocument
    /// Where the entries lie in `bytes`, one range for each of `document.entries`; nil
    /// when not known (the next reading then decodes whole).
    let layout: StateFileLayout?

    /// Decodes `bytes` whole.
    public init(decoding bytes: [UInt8]) throws(StateFileError) {
        let document = try StateCodec.decode(bytes)
        let layout = StateFileLayout(bytes)
        self.init(bytes: bytes, document: document,
                  layout: layout?.entries.count == document.entries.count ? layout : nil)
    }

    /// Decodes `bytes`, a later version of the file `previous` was read from, reusing
    /// what did not change; the result (or the error) is what `init(decoding:)` gives.
    public init(decoding bytes: [UInt8], after previous: StateReading?) throws(StateFileError) {
        guard let previous else {
            try self.init(decoding: bytes)
            return
        }
        if let heartbeat = StateCodec.heartbeatOnlyChange(from: previous.bytes, to: bytes) {
            var document = previous.document
            document.heartbeatAt = heartbeat
            // A heartbeat of the same length leaves every entry where it was.
            self.init(bytes: bytes, document: document,
                      layout: bytes.count == previous.bytes.count ? previous.layout : nil)
            return
        }
        if let reading = Self.reusingEntries(of: previous, in: bytes) {
            self = reading
            return
        }
        try self.init(decoding: bytes)
    }

    /// A reading as given (tests build one whose document is not what its bytes say,
    /// to see which entries the next reading takes from it).
    init(bytes: [UInt8], document: StateDocument, layout: StateFileLayout?) {
        self.bytes = bytes
        self.document = document
        self.layout = layout
    }

    /// The document decoded without its entries, then each entry that differs from
    /// `previous`; nil when that is not worth it (most entries changed) or anything
    /// fails, for the caller to decode whole and report the failure.
    private static func reusingEntries(of previous: StateReading, in bytes: [UInt8]) -> StateReading? {
        guard let old = previous.layout, let layout = StateFileLayout(bytes, previous: (previous.bytes, old)) else {
            return nil
        }
        let changed = Set(layout.entries.indices.filter { index in
            index >= old.entries.count
                || !StateCodec.sameBytes(previous.bytes[old.entries[index]], bytes[layout.entries[index]])
        })
        guard changed.count * 2 <= layout.entries.count else { return nil }
        let rest = Array(bytes[..<layout.entriesArray.lowerBound]) + Array("[]".utf8)
            + bytes[layout.entriesArray.upperBound...]
        guard var document = try? StateCodec.decode(rest) else { return nil }
        var entries: [EntryRecord] = []
        entries.reserveCapacity(layout.entries.count)
        let decoder = JSONDecoder()
        for (index, range) in layout.entries.enumerated() {
            if changed.contains(index) {
                guard let entry = try? decoder.decode(EntryRecord.self, from: Data(bytes[range])) else { return nil }
                entries.append(entry)
            } else {
                entries.append(previous.document.entries[index])
            }
        }
        document.entries = entries
        return StateReading(bytes: bytes, document: document, layout: layout)
    }
}
