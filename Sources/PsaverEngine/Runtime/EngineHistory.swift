import PsaverState
import PsaverSystem

/// The engine's side of the history file (`HistoryStore`): the book it keeps up to date
/// from its state documents, and when to write it.
///
/// Written when it changed, but no more often than once a second and no more than 1 %
/// of the time (a write waits 100 times as long as the last one took), so that a
/// thousand entries restarting once a second cost the engine little. A history that
/// waits is written at the next heartbeat at the latest, and at the engine's end;
/// readers add what the state file counted since (`HistoryDocument.lifetimeRestarts`).
struct EngineHistory {
    let store: HistoryStore
    private var book: HistoryBook?
    private var dirty = false
    private var nextWrite = MonotonicInstant.now()
    static let minimumInterval = Duration.seconds(1)

    init(stateFile: String) { store = HistoryStore(stateFile: stateFile) }

    /// What the engine before this one left; a file that can't be read is said once and
    /// started afresh (it is replaced at the first write).
    private mutating func load(log: (String) -> Void) -> HistoryBook {
        do {
            return HistoryBook(loaded: try store.read())
        } catch {
            log("cannot read the restart history \(store.path), starting it afresh: \(error)")
            return HistoryBook(loaded: nil)
        }
    }

    /// Takes in a document the engine just wrote in full.
    mutating func absorb(_ document: StateDocument, log: (String) -> Void) {
        var current = book ?? load(log: log)
        if current.absorb(document) { dirty = true }
        book = current
    }

    /// Writes the history when it changed and its time has come (`force`: at the end).
    /// Throws what the write threw; the history stays due.
    mutating func flush(force: Bool) throws {
        guard dirty, let book else { return }
        let start = MonotonicInstant.now()
        guard force || start >= nextWrite else { return }
        try store.write(book.document)
        dirty = false
        let cost = MonotonicInstant.now() - start
        nextWrite = MonotonicInstant.now() + max(Self.minimumInterval, cost * 100)
    }
}
