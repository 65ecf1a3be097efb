/// Why an entry was last restarted, as the state file's `last_restart_reason` spells
/// it: stable machine words for scripts, with `last_restart_text` beside for people.
public enum RestartReason: String, Codable, Sendable, Equatable, CaseIterable {
    case died
    case hung
    case missingAtStart = "missing_at_start"
    case scriptFailed = "script_failed"
    case scriptTimedOut = "script_timed_out"
    case noProcess = "no_process"
    case monitorOn = "monitor_on"
    case reset
}
