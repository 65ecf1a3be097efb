import Foundation
import PsaverState
import PsaverSystem
import Testing

/// The state file's bytes come from a hand-written writer: whatever the values
/// hold, they must read back as the same document (DESIGN §5's names), keep the
/// heartbeat near the start, and give each entry and event a line of its own.
@Suite struct StateCodecEncodingTests {
    @Test func aRunningEngine_readsBackTheSame() throws {
        let document = StateFixture.document()

        #expect(try StateCodec.decode(StateCodec.encode(document)) == document)
    }

    @Test func everyStateNullAndNumber_readsBackTheSame() throws {
        let entries: [EntryRecord] = ProcStatus.allCases.enumerated().map { offset, status in
            var entry = StateFixture.entry(
                offset + 1, "/opt/app/bin/svc-\(offset)", pid: offset == 0 ? nil : Int32(offset * 1000),
                status, retryCount: offset, restarts: offset * 7, rerun: offset % 2 == 0 ? nil : "2026-11-25T10:00:00+09:00",
                include: offset == 2 ? "apache&tomcat" : "", monitor: offset == 3 ? .off : .on)
            entry.excludeStrings = offset == 4 ? "--stop&--version" : ""
            entry.user = offset == 1 ? "app" : nil
            entry.scriptRunning = offset == 2
            entry.script = offset == 2 ? ScriptRecord(pid: 4100, startTime: 123_456_789, attempt: 3) : nil
            entry.stall = offset == 1 ? 60 : nil
            entry.grace = offset == 0 ? 0 : 86400
            entry.retry = Int(Int32.max)
            entry.flapping = offset == 5
            entry.lastRestartReason = offset == 1 ? .hung : nil
            entry.lastRestartText = offset == 1 ? "hung for 61 s, killed" : nil
            return entry
        }
        var document = StateFixture.document(entries: entries, status: .retryOver)
        document.events.append(EventRecord(time: "2026-11-25T10:41:00+00:00", pentId: nil, text: "Stop pcheck!!"))
        document.pid = ProcessID(Int32.max)
        document.uid = UserID(UInt32.max)
        document.startTicks = 123_456_789_012
        document.cluster = ClusterRecord(manager: .pacemaker, resource: "psaver_tomcat")
        document.log = "/var/log/pcheck.log"
        document.scriptOutput = "/var/opt/HA/PS/dump/pfile_tomcat.out"

        #expect(try StateCodec.decode(StateCodec.encode(document)) == document)
        // A field added to the document later must be set here too, or this comparison
        // would not see the writer leave it out.
        let everEntry = entries.map { Set(Self.nilProperties(of: $0)) }.reduce(Set(Self.nilProperties(of: entries[0]))) {
            $0.intersection($1)
        }
        let unset = Self.nilProperties(of: document) + everEntry.sorted()
        #expect(unset.isEmpty, "set these in the fixture: \(unset)")
    }

    /// The names of a value's optional properties that hold nil.
    static func nilProperties(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap { child in
            let inner = Mirror(reflecting: child.value)
            return inner.displayStyle == .optional && inner.children.isEmpty ? child.label : nil
        }
    }

    @Test func stringsWithQuotesControlsAndNonASCII_readBackTheSame() throws {
        var entry = StateFixture.entry(1, "/opt/weird \"name\"\\dir/bin/ja va", pid: 1, .avail,
                                       include: "tab\there&newline\nand\r\u{8}\u{c}\u{1}\u{1f}\u{7f}")
        entry.user = "ユーザー😀\u{2028}"
        var document = StateFixture.document(entries: [entry])
        document.events = [EventRecord(time: "t", pentId: 1, text: "a/b\\c\"d\u{0}e")]

        let bytes = StateCodec.encode(document)
        #expect(try StateCodec.decode(bytes) == document)
        #expect(!bytes.contains { $0 < 0x20 && $0 != UInt8(ascii: "\n") }, "controls are escaped")
        #expect(bytes.split(separator: UInt8(ascii: "\n")).count == Self.lineCount(of: document))
    }

    @Test func anEngineWithNoEntriesOrEvents_readsBackTheSame() throws {
        var document = StateFixture.document(entries: [], status: .stopped)
        document.events = []

        let text = String(decoding: StateCodec.encode(document), as: UTF8.self)
        #expect(try StateCodec.decode(Array(text.utf8)) == document)
        #expect(text.contains("\n  \"entries\" : [],\n  \"events\" : []\n}\n"))
    }

    @Test func theHeartbeat_comesBeforeEveryEntry_withinTheFirstFewHundredBytes() throws {
        let entries = (1...2_000).map { StateFixture.entry($0, "/opt/app/bin/svc-\($0)", pid: Int32($0), .avail) }
        let text = String(decoding: StateCodec.encode(StateFixture.document(entries: entries)), as: UTF8.self)

        let heartbeat = try #require(text.range(of: "\"heartbeat_at\" : "))
        #expect(text.distance(from: text.startIndex, to: heartbeat.lowerBound) < 512)
    }

    @Test func eachEntryAndEvent_isOneLine_whichAnOperatorCanGrep() {
        let document = StateFixture.document()
        let lines = String(decoding: StateCodec.encode(document), as: UTF8.self).split(separator: "\n")

        for entry in document.entries {
            let line = lines.filter { $0.hasPrefix("    { \"pent_id\" : \(entry.pentId), ") }
            #expect(line.count == 1)
            #expect(line.first?.contains("\"proc_sts\" : \"\(entry.procSts.rawValue)\"") == true)
        }
        #expect(lines.count == Self.lineCount(of: document))
    }

    /// Braces, the engine's own values, and a line per entry and per event.
    static func lineCount(of document: StateDocument) -> Int {
        let optional = [document.startTicks != nil, document.cluster != nil, document.log != nil,
                        document.scriptOutput != nil].filter { $0 }.count
        let closing = (document.entries.isEmpty ? 0 : 1) + (document.events.isEmpty ? 0 : 1)
        return 2 + 13 + optional + document.entries.count + document.events.count + closing
    }
}

