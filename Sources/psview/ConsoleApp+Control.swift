import PsaverConsole
import PsaverState

extension ConsoleApp {
    /// The control request a console command stands for.
    static func request(for command: ControlCommand) -> ControlRequest {
        switch command {
        case .monitor(let on, let pentID): .monitor(on: on, pentID: pentID)
        case .reset(let pentID): .reset(pentID: pentID)
        }
    }

    /// The status line after a request: the engine's answer, or why it was refused.
    static func outcome(of command: ControlCommand, socketPath: String, timeoutSeconds: Int) -> String {
        let client = ControlClient(socketPath: socketPath, timeout: .seconds(max(1, min(timeoutSeconds, 10))))
        do {
            let answer = try client.send(request(for: command))
            return answer.message.isEmpty ? "done" : answer.message
        } catch {
            return "refused: \(error)"
        }
    }
}
