import PsaverState
import PsaverSystem
import Testing

@Suite("Restart history across engines")
struct HistoryBookTests {
    static func state(pid: Int32, restarts: Int, events: [EventRecord] = [],
                      entries: [EntryRecord]? = nil) -> StateDocument
    {
        var document = StateFixture.document(entries: entries ?? [
            StateFixture.entry(1, "/usr/bin/java", pid: 3679, .avail, restarts: restarts,
                               rerun: restarts > 0 ? "2026-11-25T10:49:58+00:00" : nil, include: "apache&tomcat"),
        ])
        document.pid = ProcessID(pid)
        document.events = events
        return document
    }

    static let javaKey = HistoryKey(pname: "/usr/bin/java", includeStrings: "apache&tomcat", excludeStrings: "",
                                    user: nil)

    @Test("the lifetime count grows by what restart_count grew, and carries into the next engine")
    func lifetimeCountCarriesAcrossEngines() throws {
        var first = HistoryBook(loaded: nil)
        let changes = [0, 2, 2, 3].map { first.absorb(Self.state(pid: 100, restarts: $0)) }
        #expect(changes == [false, true, false, true])
        #expect(first.document.entry(Self.javaKey)?.restartsTotal == 3)

        // Written and read back by the next engine, whose own counters start at 0.
        let loaded = try HistoryStore.decode(HistoryStore.encode(first.document))
        var second = HistoryBook(loaded: loaded)
        let changed = second.absorb(Self.state(pid: 200, restarts: 1))
        #expect(changed)
        #expect(second.document.entry(Self.javaKey)?.restartsTotal == 4)
        #expect(second.document.entry(Self.javaKey)?.lastRestart == "2026-11-25T10:49:58+00:00")
    }

    @Test("a reader adds what the running engine counted since the history was written, and nothing twice")
    func readersAddOnlyTheUnwrittenPart() {
        var book = HistoryBook(loaded: HistoryDocument(entries: [
            HistoryEntry(key: Self.javaKey, restartsTotal: 10, enginePID: 100, engineRestarts: 4),
        ]))
        #expect(book.document.lifetimeRestarts(of: Self.state(pid: 200, restarts: 0)) == [10])
        #expect(book.document.lifetimeRestarts(of: Self.state(pid: 200, restarts: 2)) == [12])
        _ = book.absorb(Self.state(pid: 200, restarts: 2))
        #expect(book.document.lifetimeRestarts(of: Self.state(pid: 200, restarts: 2)) == [12])
        #expect(book.document.lifetimeRestarts(of: Self.state(pid: 200, restarts: 5)) == [15])
    }

    @Test("events are kept per entry, the last twenty, each taken once")
    func eventsAreKeptPerEntryOnce() {
        var book = HistoryBook(loaded: nil)
        var ring: [EventRecord] = []
        for n in 1...25 {
            ring.append(EventRecord(time: "2026-11-25T10:50:\(10 + n)+00:00", pentId: 1, text: "event \(n)"))
            ring.append(EventRecord(time: "2026-11-25T10:50:\(10 + n)+00:00", pentId: nil, text: "engine line"))
            _ = book.absorb(Self.state(pid: 100, restarts: 0, events: ring))
        }
        let events = book.document.entry(Self.javaKey)?.events.map(\.text) ?? []
        #expect(events == (6...25).map { "event \($0)" })
        #expect(book.document.entry(Self.javaKey)?.events.last?.enginePID == 100)
    }

    @Test("entries are told apart by what they match on, not by pent_id, so moving a line keeps its history")
    func historyFollowsTheEntryNotItsPosition() {
        var book = HistoryBook(loaded: nil)
        let java = StateFixture.entry(1, "/usr/bin/java", pid: 1, .avail, restarts: 2, include: "tomcat")
        let httpd = StateFixture.entry(2, "/usr/sbin/httpd", pid: 2, .avail, restarts: 0)
        _ = book.absorb(Self.state(pid: 100, restarts: 0, entries: [java, httpd]))
        var movedJava = java, movedHttpd = httpd
        (movedJava.pentId, movedHttpd.pentId) = (2, 1)
        movedJava.restartCount = 0
        #expect(book.document.lifetimeRestarts(of: Self.state(pid: 300, restarts: 0, entries: [movedHttpd, movedJava]))
                == [0, 2])
    }

    @Test("two identical PENT lines keep two histories")
    func identicalLinesAreNumbered() {
        let one = StateFixture.entry(1, "/bin/sleep", pid: 1, .avail)
        var two = one
        two.pentId = 2
        let keys = HistoryKey.keys(of: [one, two])
        #expect(keys.map(\.occurrence) == [1, 2])
        #expect(keys[0] != keys[1])
    }

    @Test("a history file that is not one says so instead of crashing")
    func malformedHistoryIsAnError() {
        #expect(throws: StateFileError.self) { try HistoryStore.decode(Array("{\"version\": ".utf8)) }
    }
}
