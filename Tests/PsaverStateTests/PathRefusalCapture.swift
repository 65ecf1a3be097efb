import PsaverSystem

/// The `PathRefusal` that `body` throws; nil when it succeeds or throws anything else.
func pathRefusal(_ body: () throws -> Void) -> PathRefusal? {
    do {
        try body()
        return nil
    } catch {
        return error as? PathRefusal
    }
}
