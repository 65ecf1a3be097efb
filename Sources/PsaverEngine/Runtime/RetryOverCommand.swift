/// What a cluster manager hands the engine (DESIGN §9): who runs it, and what to
/// tell the cluster at retry over so that failover starts at once rather than at
/// the cluster's next monitor.
public struct RetryOverCommand: Sendable, Equatable {
    /// The program (an absolute path, run directly, never through a shell) and its arguments.
    public var program: String
    public var arguments: [String]
    /// How long the engine waits for it before killing its process group and exiting anyway.
    public var timeout: Duration

    public static let defaultTimeout: Duration = .seconds(10)

    public init(program: String, arguments: [String], timeout: Duration = RetryOverCommand.defaultTimeout) {
        self.program = program
        self.arguments = arguments
        self.timeout = timeout
    }

    /// `crm_resource --fail --resource psaver --node node1`, for log lines.
    public var commandLine: String { ([program] + arguments).joined(separator: " ") }
}
