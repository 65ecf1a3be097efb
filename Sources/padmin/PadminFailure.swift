/// Why a padmin command failed: one line for stderr, a word for `--json`, and the exit code.
struct PadminFailure: Error {
    var code: PadminExitCode
    /// A stable word for scripts: `not_running`, `stale`, `usage`, `permission_denied`,
    /// `unknown_entry`, `failure`.
    var reason: String
    /// One sentence for people, without the `padmin: ` prefix.
    var message: String

    init(_ code: PadminExitCode, _ reason: String, _ message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }

    static func usage(_ message: String) -> PadminFailure { PadminFailure(.usage, "usage", message) }
    static func failure(_ message: String) -> PadminFailure { PadminFailure(.failure, "failure", message) }
}
