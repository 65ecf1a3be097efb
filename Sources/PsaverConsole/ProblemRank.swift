public import PsaverState

/// How bad an entry looks, for the problems view and `n`/`N`: lower is worse.
///
/// FATAL, then HUNG (being killed), then DOWN, then flapping (a crash loop, whatever
/// proc_sts says now), then RESTARTING and WAITING, then monitoring off, then the last
/// known rows of an engine that stopped or died; a monitored AVAIL entry of a live engine
/// that is not flapping is no problem at all.
public enum ProblemRank: Int, Comparable, Sendable {
    case fatal = 0, hung, down, flapping, restarting, waiting, monitorOff, deadEngine, none

    public init(_ record: EntryRecord, engineLive: Bool) {
        switch record.procSts {
        case .fatal: self = .fatal
        case _ where !engineLive: self = .deadEngine
        case .hung: self = .hung
        case .down: self = .down
        case _ where record.isFlapping: self = .flapping
        case .restarting: self = .restarting
        case .waiting: self = .waiting
        case .avail: self = record.monitorSts == .off ? .monitorOff : .none
        }
    }

    public var isProblem: Bool { self != .none }

    public static func < (a: ProblemRank, b: ProblemRank) -> Bool { a.rawValue < b.rawValue }
}
