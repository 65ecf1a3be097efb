public import PsaverSystem

/// The node attributes psaver keeps in Pacemaker's attribute manager (pacemaker-attrd),
/// their names, and how `attrd_updater` is run and read.
///
/// - `psaver-IPCKEY` (private, `-p`: never written to the CIB): one engine's
///   `ClusterSummary`.
/// - `psaver-engines` (private): the IPCKEYs of the engines that ever published on the
///   node, space-separated: how a reader finds the names to ask for (attrd has no way
///   to list attributes).
/// - `#health-psaver` (public): the node's `NodeHealth`, for node-health strategies.
public enum PacemakerAttributes {
    public static let attrdUpdater = "/usr/sbin/attrd_updater"
    public static let crmNode = "/usr/sbin/crm_node"
    public static let health = "#health-psaver"
    public static let index = "psaver-engines"

    public static func summary(ipcKey: String) -> String { "psaver-\(ipcKey)" }

    /// What the children run with: a fixed PATH and the C locale.
    public static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", "LC_ALL=C"]

    /// Whether Pacemaker's attribute manager listens on this host (its abstract socket
    /// `@attrd` in `/proc/net/unix`, which belongs to the host's network namespace) and
    /// `attrd_updater` is installed. A file read: costs nothing without a cluster.
    public static func available(procRoot: String = "/proc") -> Bool {
        guard FileSystem.isExecutable(attrdUpdater),
            let bytes = try? FileSystem.readRegular(procRoot + "/net/unix", what: "socket table", limit: 16 << 20)
        else { return false }
        return attrdListens(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether a `/proc/net/unix` text shows a listening `@attrd` socket.
    public static func attrdListens(_ table: String) -> Bool {
        table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 8, fields[5] == "01" else { return false }  // 01: listening
            let path = fields[7]
            return path == "@attrd" || path.hasPrefix("@attrd@")
        }
    }

    /// The values of `attrd_updater -Q [-A] -n NAME`'s output, by node, in its order.
    /// Lines read `name="NAME" host="NODE" value="VALUE"`; the value runs to the last
    /// quote of the line (attrd_updater does not escape quotes inside it).
    public static func parseQuery(_ text: String) -> [(node: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard let host = line.firstRange(of: " host=\""), let value = line.firstRange(of: "\" value=\""),
                host.upperBound <= value.lowerBound, line.hasSuffix("\"")
            else { return nil }
            let node = String(line[host.upperBound..<value.lowerBound])
            let end = line.index(before: line.endIndex)
            guard value.upperBound <= end else { return nil }
            return (node, String(line[value.upperBound..<end]))
        }
    }
}
