/// The one shape of an error line that pcheck, padmin and psview print on stderr:
/// `tool: what: why`, where `what` names the file, socket or option involved.
///
/// `ToolError(tool: "padmin").line("/run/psaver/x.sock", "connect", "Permission denied")`
/// reads `padmin: /run/psaver/x.sock: connect: Permission denied`. Empty parts are left out,
/// so a caller can pass an optional subject as "".
public struct ToolError: Sendable {
    /// The program's name, the first word of every line.
    public let tool: String

    public init(tool: String) { self.tool = tool }

    /// The line, without a line break.
    public func line(_ parts: String...) -> String { Self.join(tool, parts) }

    /// The line for a warning: `tool: warning: what: why`.
    public func warningLine(_ parts: String...) -> String { Self.join(tool, ["warning"] + parts) }

    /// Prints the line on stderr.
    public func report(_ parts: String...) { ProgramExit.printError(Self.join(tool, parts)) }

    /// Prints a warning line on stderr.
    public func warn(_ parts: String...) { ProgramExit.printError(Self.join(tool, ["warning"] + parts)) }

    /// Joins with `: `, dropping empty parts and a `tool: ` that a part already starts with.
    static func join(_ tool: String, _ parts: [String]) -> String {
        let kept = parts.filter { !$0.isEmpty }.map { part in
            part.hasPrefix(tool + ": ") ? String(part.dropFirst(tool.count + 2)) : part
        }
        return ([tool] + kept).joined(separator: ": ")
    }
}
