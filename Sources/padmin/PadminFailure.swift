import PsaverSystem

/// Why a padmin command failed: one line for stderr, a word for `--json`, and the exit code.
struct PadminFailure: Error {
    var code: PadminExitCode
    /// A stable word for scripts: `not_running`, `stale`, `usage`, `permission_denied`,
    /// `unknown_entry`, `failure`.
    var reason: String
    /// One sentence for people, without the `padmin: ` prefix.
    var message: String
    /// The file or socket the failure is about, printed first: `padmin: SUBJECT: message`.
    var subject: String?

    init(_ code: PadminExitCode, _ reason: String, _ message: String, subject: String? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.subject = subject
    }

    /// The stderr line, in the style every psaver tool shares (`ToolError`).
    var line: String { ToolError(tool: "padmin").line(subject ?? "", message) }

    static func usage(_ message: String) -> PadminFailure { PadminFailure(.usage, "usage", message) }
    static func failure(_ message: String, subject: String? = nil) -> PadminFailure {
        PadminFailure(.failure, "failure", message, subject: subject)
    }
}
