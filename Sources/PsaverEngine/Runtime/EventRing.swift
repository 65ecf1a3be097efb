public import PsaverState

/// The last events for the state file: a bounded ring, newest last.
public struct EventRing: Sendable {
    public let capacity: Int
    public private(set) var events: [EventRecord] = []

    public init(capacity: Int = 100) { self.capacity = capacity }

    public mutating func append(_ event: EventRecord) {
        events.append(event)
        if events.count > capacity { events.removeFirst(events.count - capacity) }
    }
}
