import PsaverConsole
import PsaverScreen
import PsaverState
import PsaverSystem

/// psview's event loop: one epoll over the keyboard, inotify and a signalfd, with a
/// one-second timer for the clock and staleness.
///
/// Inputs go into the `ConsoleModel`; after each batch the model is rendered and, only
/// when the grid differs from the one on screen, painted. Idle, the loop wakes once a
/// second, renders, and sends the terminal the clock's new digits.
final class ConsoleApp {
    private enum Token: UInt64 {
        case keyboard = 1, inotify, signals
    }

    private let terminal: Terminal
    private let epoll: Epoll
    private let signals: SignalFD
    private let watcher: StateWatcher
    private let source: EngineSource
    private let demo: DemoSession?
    private let host = Identity.hostName
    private var model: ConsoleModel
    /// Per engine shown: the pid and whether it existed at the last read or tick.
    private var engines: [String: (pid: ProcessID?, alive: Bool)] = [:]
    /// The last reading of each state file, so that a heartbeat-only rewrite skips decoding.
    private var readings: [String: StateFileStore.Reading] = [:]
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
        let size = terminal.size
        model = ConsoleModel(rows: size.rows, cols: size.cols)
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
            try epoll.add(signals.descriptor, token: Token.signals.rawValue)
            try epoll.add(watcher.inotify.descriptor, token: Token.inotify.rawValue)
        } catch {
            ProgramExit.printError("psview: cannot set up the event loop: \(error)")
            return .fault
        }
        let terminal: Terminal
        do {
            terminal = try Terminal(color: color)
        } catch {
            ProgramExit.printError("psview: \(error)")
            return .noTerminal
        }
        do {
            try epoll.add(.standardInput, token: Token.keyboard.rawValue)
        } catch {
            terminal.close()
            ProgramExit.printError("psview: cannot wait for keys on stdin: \(error)")
            return .noTerminal
        }
        let app = ConsoleApp(terminal: terminal, epoll: epoll, signals: signals, watcher: watcher,
                             source: source, demo: demo)
        let code = app.loop()
        terminal.close()
        return code
    }

    private func loop() -> PsviewExitCode {
        discover(initially: true)
        model.apply(.tick(now: .now()))
        paint()
        var nextTick = MonotonicInstant.now() + .seconds(1)
        while true {
            let ready: [Epoll.Ready]
            do {
                ready = try epoll.wait(timeout: max(nextTick - MonotonicInstant.now(), .zero))
            } catch {
                return .fault
            }
            for event in ready {
                switch Token(rawValue: event.token) {
                case .signals:
                    for signal in signals.drain() {
                        if signal == SignalFD.child {
                            demoCheck()
                        } else {
                            return .quit  // TERM, INT, HUP: leave cleanly
                        }
                    }
                case .inotify:
                    handle(watcher.changes(from: watcher.inotify.readEvents()))
                case .keyboard:
                    // The terminal hung up: nobody is left to read the screen.
                    if event.hangUp && !event.readable { return .quit }
                case nil:
                    break
                }
            }
            // Always ask curses: a resize arrives as a signal that only interrupts the wait.
            while let key = terminal.readKey() {
                if case .resize = key { shown = nil }  // Ctrl-L and resizes paint everything
                for effect in model.handle(key) {
                    switch effect {
                    case .quit:
                        return .quit
                    case .send(let command, let socketPath, let engine):
                        paint()  // show "Turning … for …" while the engine answers
                        send(command, to: socketPath, engine: engine)
                    }
                }
            }
            if MonotonicInstant.now() >= nextTick {
                tick()
                nextTick = MonotonicInstant.now() + .seconds(1)
            }
            paint()
        }
    }

    /// Renders the model and paints it if anything on screen changes.
    private func paint() {
        let grid = ConsoleLayout.render(model, now: .now(), host: host)
        guard grid != shown else { return }
        terminal.paint(grid, over: shown)
        shown = grid
    }

    /// Once a second: the clock for staleness, engines whose pid came or went, folders
    /// that could not be watched yet, and the demo engine.
    private func tick() {
        if watcher.retryMissing() { discover(initially: false) }
        for (path, known) in engines {
            guard let pid = known.pid else { continue }
            if StateFreshness.processExists(pid) != known.alive { reread(path) }
        }
        demoCheck()
        model.apply(.tick(now: .now()))
    }

    private func handle(_ changes: StateWatcher.Changes) {
        if changes.everything {
            discover(initially: false)
            for path in engines.keys { reread(path) }
            return
        }
        if changes.registry { discover(initially: false) }
        for path in changes.stateFiles { reread(path) }
    }

    /// Adds the engines to show: the named files, or the registry's links. At start-up,
    /// links whose engine has stopped or died are left out (DESIGN §5); engines already
    /// shown stay, so that entries remain visible after their engine dies.
    private func discover(initially: Bool) {
        switch source {
        case .files(let paths):
            for path in paths where engines[path] == nil { add(path) }
        case .registry(let registry):
            watcher.watchRegistry(registry.folder)
            for path in registry.stateFiles() where engines[path] == nil {
                if initially {
                    let (reading, liveness) = StateReader.read(path, host: host, previous: nil)
                    guard let document = reading?.document, liveness == .running, document.engineSts == .running,
                        !StateFreshness.heartbeatIsOld(document, at: .now())
                    else { continue }
                }
                add(path)
            }
        }
    }

    private func add(_ path: String) {
        watcher.watch(stateFile: path)
        reread(path)
    }

    private func reread(_ path: String) {
        let (reading, liveness) = StateReader.read(path, host: host, previous: readings[path])
        readings[path] = reading
        let document = reading?.document
        if let document {
            engines[path] = (document.pid, liveness != .gone)
        } else if engines[path] == nil {
            engines[path] = (nil, false)
        }
        model.apply(.engineUpdated(EngineID(path), document, liveness))
    }

    /// Sends a control request (blocking, at most MSG_CHECK_INTERVAL) and shows the answer;
    /// the state file's change then arrives through inotify like any other.
    private func send(_ command: ControlCommand, to socketPath: String, engine: EngineID) {
        let seconds = model.engine(engine)?.document?.params.msgCheckInterval ?? 5
        let result = Self.outcome(of: command, socketPath: socketPath, timeoutSeconds: seconds)
        // "Turning monitoring OFF for pent 1 (/usr/bin/java)…" becomes "…: done".
        let asked = model.statusMessage.map { $0.hasSuffix("…") ? String($0.dropLast()) : $0 }
        model.apply(.actionResult(asked.map { "\($0): \(result)" } ?? result))
        reread(engine.rawValue)
    }

    private func demoCheck() {
        if let message = demo?.checkEngine() { model.apply(.actionResult(message)) }
    }
}
