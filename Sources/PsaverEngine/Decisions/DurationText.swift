/// Durations as log lines show them, in seconds: `3`, `0.1`, `2.5`, never `3.00297686`.
enum DurationText {
    /// Whole seconds as they are; below 10 s one decimal (two below 1 s, so that the
    /// back-off's 0.05 s shows), trailing zeros dropped; from 10 s on, whole seconds.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        if attoseconds == 0 { return String(whole) }
        let value = Double(whole) + Double(attoseconds) / 1e18
        let places = value >= 10 ? 0 : value >= 1 ? 1 : 2
        let scale = [1.0, 10.0, 100.0][places]
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        var text = String(rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
