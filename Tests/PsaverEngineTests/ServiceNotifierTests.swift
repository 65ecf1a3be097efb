import Glibc
import PsaverSystem
import Testing

@Suite("ServiceNotifier: what the environment asks for", .serialized)
struct ServiceNotifierTests {
    func take(_ environment: [String: String]) -> ServiceNotifier? {
        for (name, value) in environment { setenv(name, value, 1) }
        return ServiceNotifier.takeFromEnvironment()
    }

    @Test func noNotifySocket_meansNoNotifier() {
        unsetenv("NOTIFY_SOCKET")
        #expect(ServiceNotifier.takeFromEnvironment() == nil)
        #expect(take(["NOTIFY_SOCKET": "relative/path"]) == nil, "only a path or an abstract name")
    }

    @Test func theWatchdog_isFedAtHalfItsTimeout_andTheVariablesAreTakenAway() {
        let notifier = take(["NOTIFY_SOCKET": "@psaver-test", "WATCHDOG_USEC": "30000000"])
        #expect(notifier?.address == "@psaver-test")
        #expect(notifier?.watchdogInterval == .seconds(15))
        #expect(getenv("NOTIFY_SOCKET") == nil && getenv("WATCHDOG_USEC") == nil,
                "restart scripts must not speak for the engine")
    }

    @Test func aWatchdogMeantForAnotherProcess_isNotThisOnes() {
        let notifier = take(["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000",
                             "WATCHDOG_PID": String(getpid() + 1)])
        #expect(notifier != nil)
        #expect(notifier?.watchdogInterval == nil)
        let own = take(["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000",
                        "WATCHDOG_PID": String(getpid())])
        #expect(own?.watchdogInterval == .seconds(15))
    }

    @Test func aSocketNobodyListensOn_isAFailureSaidOnce_neverAnError() {
        let notifier = ServiceNotifier(address: "/nonexistent/psaver-test/notify")
        #expect(!notifier.send(["READY=1"]))
        #expect(notifier.takeFailure() != nil)
        #expect(!notifier.send(["WATCHDOG=1"]))
        #expect(notifier.takeFailure() == nil, "said once")
    }
}
