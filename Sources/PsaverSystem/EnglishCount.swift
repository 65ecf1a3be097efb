/// A count with its noun in English: "1 entry", "2 entries", "0 entries".
public enum EnglishCount {
    /// `count` and `one` when it is 1, `many` otherwise.
    public static func of(_ count: Int, _ one: String, _ many: String) -> String {
        "\(count) \(count == 1 ? one : many)"
    }
}
