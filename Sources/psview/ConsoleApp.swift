import PsaverConsole
import PsaverScreen
import PsaverState
import PsaverSystem

/// psview's event loop: one epoll over the keyboard, inotify, a signalfd and the control
/// requests in flight, with a one-second timer for the clock and staleness.
///
/// Inputs go into the `ConsoleModel`; after each batch that may change the screen the
/// model is rendered and, only when the grid differs from the one on screen, painted.
/// A batch of heartbeats alone (the model says they change nothing shown) is not
/// rendered: with 20 engines they come twice a second. Idle, the loop wakes once a
/// second, renders, and sends the terminal the clock's new digits. Nothing in the loop
/// waits for an engine: control requests are exchanges on epoll (`ControlExchange`).
final class ConsoleApp {
    private enum Token {
        static let keyboard: UInt64 = 1, inotify: UInt64 = 2, signals: UInt64 = 3
        /// Control exchanges get tokens from here up.
        static let firstExchange: UInt64 = 100
    }

    private let terminal: Terminal
    private let epoll: Epoll
    private let signals: SignalFD
    private let watcher: StateWatcher
    private let source: EngineSource
    private let demo: DemoSession?
    private let host = Identity.hostName
    private var model: ConsoleModel
    private var catalog: EngineCatalog
    private var exchanges: [UInt64: ControlExchange] = [:]
    private var nextExchangeToken = Token.firstExchange
    private var shown: ScreenGrid?

    private init(terminal: Terminal, epoll: Epoll, signals: SignalFD, watcher: StateWatcher,
                 source: EngineSource, demo: DemoSession?)
    {
        self.terminal = terminal
        self.epoll = epoll
        self.signals = signals
        self.watcher = watcher
        self.source = source
        self.demo = demo
        catalog = EngineCatalog(source: source, host: Identity.hostName)
        let size = terminal.size
        model = ConsoleModel(rows: size.rows, cols: size.cols, viewer: Identity.effectiveUser)
    }

    /// Takes the terminal, runs until the operator quits or a signal ends psview, and
    /// gives the terminal back.
    static func run(source: EngineSource, color: Bool, demo: DemoSession?) -> PsviewExitCode {
        let signals: SignalFD, epoll: Epoll, watcher: StateWatcher
        do {
            // Nothing inherited stays blocked (SIGWINCH must reach curses); then TERM, INT,
            // HUP and CHLD are blocked and arrive as readable data, never as a handler
            // running between two curses calls.
            SignalMask.unblockAll()
            signals = try SignalFD()
            SignalFD.ignoreBrokenPipes()
            watcher = try StateWatcher()
            epoll = try Epoll()
            try epoll.add(signals.descriptor, token: Token.signals)
            try epoll.add(watcher.inotify.descriptor, token: Token.inotify)
        } catch {
            Psview.errors.report(error, after: "cannot set up the event loop")
            return .fault
        }
        let terminal: Terminal
        do {
            terminal = try Terminal(color: color)
        } catch {
            ProgramExit.printError(Psview.errors.line(error)
                                   + "; for a plain table use psview --once (or --once --json)")
            return .noTerminal
        }
        do {
            try epoll.add(.standardInput, token: Token.keyboard)
        } catch {
            terminal.close()
            Psview.errors.report(error, after: "cannot wait for keys on stdin")
            return .noTerminal
        }
        let app = ConsoleApp(terminal: terminal, epoll: epoll, signals: signals, watcher: watcher,
                             source: source, demo: demo)
        let code = app.loop()
        terminal.close()
        return code
    }

    private func loop() -> PsviewExitCode {
        discover()
        model.apply(.tick(now: .now()))
        paint()
        var nextTick = MonotonicInstant.now() + .seconds(1)
        while true {
            let ready: [Epoll.Ready]
            do {
                let deadline = exchanges.values.map(\.deadline).reduce(nextTick, min)
                ready = try epoll.wait(timeout: max(deadline - MonotonicInstant.now(), .zero))
            } catch {
                return .fault
            }
            // Whether this turn may change the screen: anything but state files whose
            // rereading the model says changed nothing shown.
            var screenMayChange = false
            for event in ready {
                if event.token != Token.inotify { screenMayChange = true }
                switch event.token {
                case Token.signals:
                    for signal in signals.drain() {
                        if signal == SignalFD.child {
                            demoCheck()
                        } else {
                            return .quit  // TERM, INT, HUP: leave cleanly
                        }
                    }
                case Token.inotify:
                    if handle(watcher.changes(from: watcher.inotify.readEvents())) { screenMayChange = true }
                case Token.keyboard:
                    // The terminal hung up: nobody is left to read the screen.
                    if event.hangUp && !event.readable { return .quit }
                case let token:
                    if let exchange = exchanges[token], let outcome = exchange.readable() {
                        finish(token, outcome)
                    }
                }
            }
            let now = MonotonicInstant.now()
            for (token, exchange) in exchanges {
                if let outcome = exchange.expire(at: now) {
                    finish(token, outcome)
                    screenMayChange = true
                }
            }
            // Always ask curses: a resize arrives as a signal that only interrupts the wait.
            while let key = terminal.readKey() {
                screenMayChange = true
                if case .resize = key { shown = nil }  // Ctrl-L and resizes paint everything
                for effect in model.handle(key) {
                    if perform(effect) == .quit { return .quit }
                }
            }
            if MonotonicInstant.now() >= nextTick {
                tick()
                nextTick = MonotonicInstant.now() + .seconds(1)
                screenMayChange = true
            }
            if screenMayChange { paint() }
        }
    }

    private enum Next { case goOn, quit }

    private func perform(_ effect: ConsoleEffect) -> Next {
        switch effect {
        case .quit:
            return .quit
        case .send(let command, let socketPath, let engine):
            let entry = EntryKey(engine: engine, pentID: command.pentID)
            let document = model.engine(engine)?.document
            let seconds = document?.params.msgCheckInterval ?? 5
            let expected = document.map { ExpectedEngine(pid: $0.pid, user: $0.uid) }
            switch ControlExchange.start(command, socketPath: socketPath, entry: entry, timeoutSeconds: seconds,
                                         engine: expected) {
            case .sending(let exchange):
                let token = nextExchangeToken
                nextExchangeToken += 1
                do {
                    try epoll.add(exchange.socket, token: token)
                    exchanges[token] = exchange
                } catch {
                    exchange.socket.close()
                    model.apply(.controlAnswered(entry, .notSent("cannot wait for the answer: \(error)")))
                }
            case .failed(let outcome):
                model.apply(.controlAnswered(entry, outcome))
            }
        case .dismiss(let engine):
            let refusal = catalog.dismiss(engine.rawValue)
            if refusal == nil { watcher.forget(stateFile: engine.rawValue) }
            model.apply(.dismissed(engine, refusal: refusal))
        case .loadScriptOutput(let entry):
            let document = model.engine(entry.engine)?.document
            model.apply(.previousEngine(entry.engine, StateReader.previousEngine(of: document)))
            model.apply(.scriptOutput(entry, StateReader.scriptOutput(of: document)))
            model.setHistory(try? HistoryStore(stateFile: entry.engine.rawValue).read(), of: entry.engine)
        }
        return .goOn
    }

    private func finish(_ token: UInt64, _ outcome: ControlOutcome) {
        guard let exchange = exchanges.removeValue(forKey: token) else { return }
        epoll.remove(exchange.socket)
        exchange.socket.close()
        model.apply(.controlAnswered(exchange.entry, outcome))
        // The engine writes its state file before answering: read it now rather than
        // wait for inotify, so that the confirmation shows with the answer.
        reread(exchange.entry.engine.rawValue)
    }

    /// Renders the model and paints it if anything on screen changes.
    private func paint() {
        let grid = ConsoleLayout.render(model, now: .now(), host: host)
        guard grid != shown else { return }
        terminal.paint(grid, over: shown)
        shown = grid
    }

    /// Once a second: the clock for staleness, engines whose pid came or went, folders
    /// that could not be watched yet, the restart script output in details, the demo.
    private func tick() {
        if watcher.retryMissing() { discover() }
        for path in catalog.enginesWhosePidChanged() { reread(path) }
        if case .details(let entry) = model.mode { _ = perform(.loadScriptOutput(entry)) }
        demoCheck()
        model.apply(.tick(now: .now()))
    }

    /// Rereads what the events name; false when that changed nothing on screen (only
    /// heartbeats of running engines).
    private func handle(_ changes: StateWatcher.Changes) -> Bool {
        if changes.everything {
            discover()
            for path in catalog.paths { reread(path) }
            return true
        }
        var changed = false
        if changes.registry {
            discover()
            changed = true
        }
        for path in changes.stateFiles where reread(path) { changed = true }
        return changed
    }

    /// Adds the engines to show (see `EngineCatalog.discover`), and drops the ones whose
    /// registry link went away (dismissed elsewhere, or replaced).
    private func discover() {
        if case .registry(let registries) = source {
            for registry in registries { watcher.watchRegistry(registry.folder) }
        }
        let (added, removed) = catalog.discover()
        for path in removed {
            watcher.forget(stateFile: path)
            model.apply(.engineRemoved(EngineID(path)))
        }
        for path in added {
            watcher.watch(stateFile: path)
            reread(path)
        }
    }

    /// Reads the state file again into the model; whether the screen may change.
    @discardableResult
    private func reread(_ path: String) -> Bool {
        guard let update = catalog.reread(path) else { return false }
        return model.apply(update)
    }

    private func demoCheck() {
        if let message = demo?.checkEngine() { model.apply(.actionResult(message)) }
    }
}

extension ControlCommand {
    /// The entry the command is about.
    var pentID: Int {
        switch self {
        case .monitor(_, let pentID), .reset(let pentID): pentID
        }
    }
}
