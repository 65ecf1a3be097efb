import Foundation
@testable import PsaverState
import Testing

/// psview rereads a state file at every change; a reading decodes only the entries whose
/// bytes changed and must always give what decoding the file whole gives.
@Suite("Rereading a state file")
struct StateReadingTests {
    static func entries(_ count: Int, restartsOf changed: Int? = nil) -> [EntryRecord] {
        (1...count).map { id in
            // Brackets, braces, quotes and escapes inside strings must not fool the scan.
            StateFixture.entry(id, id == 2 ? "/opt/a]b}\"{[\\/サーバ" : "/opt/app/bin/service-\(id)",
                               pid: Int32(1000 + id), .avail, restarts: id == changed ? 7 : 0,
                               include: id == 3 ? "x\ny\t\"z\"" : "")
        }
    }

    /// As the engine writes it, with `heartbeat_at` moved to be the first key or the
    /// last, after the entries and events (engines have written both).
    static func file(_ document: StateDocument, heartbeatFirst: Bool) -> [UInt8] {
        let text = String(decoding: StateCodec.encode(document), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.hasPrefix("  \"heartbeat_at\"") }),
            let close = lines.lastIndex(of: "}"), index < close - 1
        else { return [] }  // the writer's layout changed: the tests fail on an empty file
        var line = lines.remove(at: index)
        if line.hasSuffix(",") { line.removeLast() }
        if heartbeatFirst {
            lines.insert(line + ",", at: 1)
        } else {
            lines[close - 2] += ","
            lines.insert(line, at: close - 1)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test(arguments: [true, false])
    func aRewriteOfOneEntry_decodesThatEntry_andTakesTheOthersFromTheLastReading(heartbeatFirst: Bool) throws {
        let first = Self.file(StateFixture.document(entries: Self.entries(10)), heartbeatFirst: heartbeatFirst)
        let text = String(decoding: first, as: UTF8.self)
        let (heartbeat, entries) = (try #require(text.range(of: "heartbeat_at")), try #require(text.range(of: "\"entries\"")))
        #expect((heartbeat.lowerBound < entries.lowerBound) == heartbeatFirst)
        let before = try StateReading(decoding: first)
        #expect(before.layout?.entries.count == 10)
        // The last reading's document marks every entry, which its bytes do not say.
        var marked = before.document
        for index in marked.entries.indices { marked.entries[index].grace = 1 }
        let previous = StateReading(bytes: before.bytes, document: marked, layout: before.layout)

        var changed = StateFixture.document(entries: Self.entries(10, restartsOf: 4), heartbeat: "2026-11-25T10:50:19+00:00")
        changed.events.append(EventRecord(time: "2026-11-25T10:50:18+00:00", pentId: 4, text: "restarted"))
        let after = try StateReading(decoding: Self.file(changed, heartbeatFirst: heartbeatFirst), after: previous)

        #expect(after.document.entries[3] == changed.entries[3], "the changed entry is decoded")
        #expect(after.document.entries.indices.filter { after.document.entries[$0].grace == 1 }.count == 9,
                "the nine others are the last reading's")
        var rest = after.document
        rest.entries = changed.entries
        #expect(rest == changed, "everything outside the entries is decoded")
    }

    @Test(arguments: [true, false])
    func entriesThatOnlyMoved_areAllTakenFromTheLastReading(heartbeatFirst: Bool) throws {
        let before = try StateReading(decoding: Self.file(StateFixture.document(entries: Self.entries(10)),
                                                          heartbeatFirst: heartbeatFirst))
        var marked = before.document
        for index in marked.entries.indices { marked.entries[index].grace = 1 }
        let previous = StateReading(bytes: before.bytes, document: marked, layout: before.layout)
        // A longer heartbeat moves the entries when it stands before them; a new event
        // makes the rewrite more than a heartbeat.
        var moved = StateFixture.document(entries: Self.entries(10), heartbeat: "2026-11-25T10:50:19.25+00:00")
        moved.events.append(EventRecord(time: "2026-11-25T10:50:18+00:00", pentId: nil, text: "a new event"))
        let bytes = Self.file(moved, heartbeatFirst: heartbeatFirst)

        let after = try StateReading(decoding: bytes, after: previous)
        #expect(after.document.entries.allSatisfy { $0.grace == 1 })
        #expect(after.layout == StateFileLayout(bytes), "the moved layout is the one a scan finds")
        var unmarked = after.document
        unmarked.entries = moved.entries
        #expect(unmarked == moved)
    }

    @Test(arguments: [true, false])
    func everyKindOfRewrite_givesWhatAWholeDecodeGives(heartbeatFirst: Bool) throws {
        let base = StateFixture.document(entries: Self.entries(6))
        var rewrites: [StateDocument] = []
        rewrites.append(StateFixture.document(entries: Self.entries(6, restartsOf: 2)))  // the tricky strings' entry
        rewrites.append(StateFixture.document(entries: Array(Self.entries(6).dropLast())))  // one entry gone
        rewrites.append(StateFixture.document(entries: Self.entries(7)))  // one more
        rewrites.append(StateFixture.document(entries: []))
        rewrites.append(StateFixture.document(entries: Self.entries(6, restartsOf: 6), heartbeat: "2026-11-25T10:50:19+00:00"))
        rewrites.append(StateFixture.document(entries: Self.entries(6), status: .stopped))
        rewrites.append(StateFixture.document(entries: Self.entries(6), heartbeat: "2026-11-25T10:50:19.5+00:00"))
        var reading = try StateReading(decoding: Self.file(base, heartbeatFirst: heartbeatFirst))
        for rewrite in rewrites + [base] {
            let bytes = Self.file(rewrite, heartbeatFirst: heartbeatFirst)
            reading = try StateReading(decoding: bytes, after: reading)
            #expect(reading.document == (try StateCodec.decode(bytes)))
            #expect(reading.document == rewrite)
        }
    }

    @Test func aBrokenEntry_failsAsAWholeDecodeFails() throws {
        let first = StateCodec.encode(StateFixture.document(entries: Self.entries(6)))
        let reading = try StateReading(decoding: first)
        let text = String(decoding: StateCodec.encode(StateFixture.document(entries: Self.entries(6, restartsOf: 5))),
                          as: UTF8.self)
        let broken = Array(text.replacingOccurrences(of: "(\"restart_count\"\\s*:\\s*)7", with: "$1\"7\"",
                                                     options: .regularExpression).utf8)
        #expect(broken != first)
        let whole = #expect(throws: StateFileError.self) { try StateCodec.decode(broken) }
        let again = #expect(throws: StateFileError.self) { try StateReading(decoding: broken, after: reading) }
        #expect(whole == again)
        #expect("\(whole.map { "\($0)" } ?? "")".contains("entries[4]"))
    }

    @Test func aFileTheScanDoesNotRecognise_isDecodedWhole() throws {
        let document = StateFixture.document(entries: Self.entries(3))
        let text = String(decoding: StateCodec.encode(document), as: UTF8.self)
        let reading = try StateReading(decoding: Array(text.utf8))
        // Two "entries" keys, and an escaped key: whatever JSONDecoder makes of them.
        let twice = text.replacingOccurrences(of: "\"events\" :", with: "\"entries\" : [],\n  \"events\" :")
        let escaped = text.replacingOccurrences(of: "\"entries\" :", with: "\"\\u0065ntries\" :")
        for variant in [twice, escaped] {
            #expect(StateFileLayout(Array(variant.utf8)) == nil)
            let whole = try? StateCodec.decode(Array(variant.utf8))
            #expect((try? StateReading(decoding: Array(variant.utf8), after: reading).document) == whole)
        }
        #expect(throws: StateFileError.self) { try StateReading(decoding: Array((text + "]").utf8), after: reading) }
    }

    @Test func theScanFindsEachEntry() throws {
        let bytes = StateCodec.encode(StateFixture.document(entries: Self.entries(3)))
        let layout = try #require(StateFileLayout(bytes))
        let decoded = try layout.entries.map { try JSONDecoder().decode(EntryRecord.self, from: Data(bytes[$0])) }
        #expect(decoded == Self.entries(3))
        #expect(bytes[layout.entriesArray.lowerBound] == UInt8(ascii: "["))
        #expect(bytes[layout.entriesArray.upperBound - 1] == UInt8(ascii: "]"))
    }
}
