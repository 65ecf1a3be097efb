/// Names one engine the console watches: by convention its state file's path.
///
/// The app chooses the value (the path it reads, or the registry link); the console
/// only compares and sorts it, so groups keep a stable order across updates.
public struct EngineID: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }
    public static func < (lhs: EngineID, rhs: EngineID) -> Bool { lhs.rawValue < rhs.rawValue }
}
