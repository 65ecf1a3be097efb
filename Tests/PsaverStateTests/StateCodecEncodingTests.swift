import PsaverState
import PsaverSystem
import Testing

/// The state file's bytes come from a hand-written writer; they must stay the
/// bytes JSONEncoder writes for the same document (DESIGN §5's shape, pretty,
/// keys sorted), whatever the values hold.
@Suite struct StateCodecEncodingTests {
    @Test func theWriterGivesJSONEncodersBytesForARunningEngine() {
        let document = StateFixture.document()

        #expect(StateCodec.encode(document) == StateCodec.prettyJSON(document))
    }

    @Test func theWriterGivesJSONEncodersBytesForEveryStateNullAndNumber() {
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

        #expect(StateCodec.encode(document) == StateCodec.prettyJSON(document))
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

    @Test func theWriterEscapesStringsAsJSONEncoderDoes() {
        var entry = StateFixture.entry(1, "/opt/weird \"name\"\\dir/bin/ja va", pid: 1, .avail,
                                       include: "tab\there&newline\nand\r\u{8}\u{c}\u{1}\u{1f}\u{7f}")
        entry.user = "ユーザー😀\u{2028}"
        var document = StateFixture.document(entries: [entry])
        document.events = [EventRecord(time: "t", pentId: 1, text: "a/b\\c\"d\u{0}e")]

        #expect(StateCodec.encode(document) == StateCodec.prettyJSON(document))
    }

    @Test func theWriterGivesJSONEncodersBytesForAnEngineWithNoEntriesOrEvents() {
        var document = StateFixture.document(entries: [], status: .stopped)
        document.events = []

        #expect(StateCodec.encode(document) == StateCodec.prettyJSON(document))
    }

    @Test func aWrittenDocumentReadsBackTheSame() throws {
        let document = StateFixture.document()

        #expect(try StateCodec.decode(StateCodec.encode(document)) == document)
    }
}

@Suite struct HeartbeatRewriteTests {
    @Test func aHeartbeatRewrite_isTheEncodingOfTheSameDocumentAtTheNewTime() throws {
        var document = StateFixture.document()
        let later = "2026-11-25T10:59:59+09:00"
        let rewritten = try #require(StateCodec.replacingHeartbeat(in: StateCodec.encode(document), with: later))
        document.heartbeatAt = later
        #expect(rewritten == StateCodec.encode(document))
        #expect(StateCodec.heartbeatOnlyChange(from: StateCodec.encode(StateFixture.document()), to: rewritten) == later)
    }

    @Test func bytesWithoutAHeartbeat_areNotRewritten() {
        #expect(StateCodec.replacingHeartbeat(in: Array("{}".utf8), with: "x") == nil)
    }
}
