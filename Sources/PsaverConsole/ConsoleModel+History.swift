public import PsaverState

extension ConsoleModel {
    /// The history file read beside an engine's state file (nil: none), for the details
    /// view (`ConsoleLayout.historyLines`).
    public mutating func setHistory(_ history: HistoryDocument?, of engine: EngineID) {
        entryHistories[engine] = history
    }
}
