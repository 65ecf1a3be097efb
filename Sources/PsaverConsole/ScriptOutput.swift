/// The tail of the file that an engine's restart scripts write into, for the details view.
public struct ScriptOutput: Equatable, Sendable {
    /// The file read, or nil when the engine does not say where its scripts write.
    public var path: String?
    /// Its last lines, oldest first, or why they could not be read.
    public var lines: Result<[String], ScriptOutputError>

    public init(path: String?, lines: Result<[String], ScriptOutputError>) {
        self.path = path
        self.lines = lines
    }
}

/// Why a script output file could not be shown; the text is shown as is.
public struct ScriptOutputError: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
