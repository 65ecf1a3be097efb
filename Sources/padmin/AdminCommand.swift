import PsaverState

/// What `-c` asks for, with `-i`, checked before anything is read or sent.
enum AdminCommand: Equatable {
    case showPent(pentID: Int?)
    case showParam
    case monitor(on: Bool, pentID: Int?)
    case reset(pentID: Int?)
    case stop

    static let expected = "expected show pent, show param, monitor on|off, reset or stop"

    /// Reads the words after `-c` (`["monitor", "on"]`, or one quoted `"monitor on"`)
    /// and the `-i` value. The error is a usage message.
    init(words: [String], pentID: Int?) throws(PadminFailure) {
        let words = words.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        guard let verb = words.first else { throw .usage("-c needs a command; \(Self.expected)") }
        let rest = Array(words.dropFirst())
        func noMore(_ allowed: Int) throws(PadminFailure) {
            guard rest.count > allowed else { return }
            throw .usage("unexpected \"\(rest[allowed])\" after -c \(verb); \(Self.expected)")
        }
        switch verb.lowercased() {
        case "show":
            try noMore(1)
            switch rest.first?.lowercased() ?? "pent" {
            case "pent": self = .showPent(pentID: pentID)
            case "param": self = .showParam
            case let other: throw .usage("unknown show target \"\(other)\"; expected show pent or show param")
            }
        case "monitor":
            try noMore(1)
            switch rest.first?.lowercased() {
            case "on": self = .monitor(on: true, pentID: pentID)
            case "off": self = .monitor(on: false, pentID: pentID)
            case nil: throw .usage("monitor needs on or off: -c monitor on|off [-i PENT_ID]")
            case let other?: throw .usage("monitor takes on or off, not \"\(other)\"")
            }
        case "reset":
            try noMore(0)
            self = .reset(pentID: pentID)
        case "stop":
            try noMore(0)
            self = .stop
        default:
            throw .usage("unknown command \"\(words.joined(separator: " "))\"; \(Self.expected)")
        }
        if pentID != nil, self == .showParam || self == .stop {
            throw .usage("-i applies to show pent, monitor and reset, not to \(name)")
        }
    }

    /// The command as an operator writes it after `-c`.
    var name: String {
        switch self {
        case .showPent: "show pent"
        case .showParam: "show param"
        case .monitor(let on, _): on ? "monitor on" : "monitor off"
        case .reset: "reset"
        case .stop: "stop"
        }
    }

    /// The control request for a change; nil for `show`, which reads the state file.
    var request: ControlRequest? {
        switch self {
        case .showPent, .showParam: nil
        case .monitor(let on, let id): .monitor(on: on, pentID: id)
        case .reset(let id): .reset(pentID: id)
        case .stop: .stop()
        }
    }
}
