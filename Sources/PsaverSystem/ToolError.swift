/// The one shape of an error line that pcheck, padmin and psview print on stderr:
/// `tool: what: why`, where `what` names the file, socket or option involved.
///
/// `ToolError(tool: "padmin").line("/run/psaver/x.sock", "connect", "Permission denied")`
/// reads `padmin: /run/psaver/x.sock: connect: Permission denied`. Empty parts are left out,
/// so a caller can pass an absent subject as "". pfile diagnostics keep a compiler's
/// shape after the tool's name (`pcheck: FILE:LINE:COL: error: …`).
public struct ToolError: Sendable {
    /// The program's name, the first word of every line.
    public let tool: String

    public init(tool: String) { self.tool = tool }

    /// The line, without a line break.
    public func line(_ parts: String...) -> String { line(parts) }

    /// The line, without a line break.
    public func line(_ parts: [String]) -> String { Self.phrase([tool] + parts) }

    /// The line for `error` after `context` (such as "cannot start"); see `parts(of:)`.
    public func line(_ error: any Error, after context: String = "") -> String {
        line([context] + Self.parts(of: error))
    }

    /// The line for a warning: `tool: warning: what: why`.
    public func warningLine(_ parts: String...) -> String { line(["warning"] + parts) }

    /// Prints the line on stderr.
    public func report(_ parts: String...) { ProgramExit.printError(line(parts)) }

    /// Prints the line for `error` on stderr.
    public func report(_ error: any Error, after context: String = "") {
        ProgramExit.printError(line(error, after: context))
    }

    /// Prints a warning line on stderr.
    public func warn(_ parts: String...) { ProgramExit.printError(line(["warning"] + parts)) }

    /// The non-empty parts joined with `: `, for a message that a caller prints later.
    public static func phrase(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// An error as the parts of a line, the path first where the error knows one:
    /// a `SystemError` as `subject: call: reason`; anything else as its description
    /// (a `PathRefusal` says what the path is for, the path, what is wrong and the fix).
    public static func parts(of error: any Error) -> [String] {
        switch error {
        case let error as SystemError:
            return [error.subject ?? "", error.call, error.reason]
        default:
            return ["\(error)"]
        }
    }
}
