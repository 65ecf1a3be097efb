public import PsaverSystem

/// The time of an event on both clocks: monotonic to measure, wall-clock to show.
public struct Moment: Sendable, Equatable {
    public var monotonic: MonotonicInstant
    public var wall: WallTime

    public init(monotonic: MonotonicInstant, wall: WallTime) {
        self.monotonic = monotonic
        self.wall = wall
    }

    /// Reads both clocks.
    public static func now() -> Moment { Moment(monotonic: .now(), wall: .now()) }
}
