import Foundation
import PsaverState
import PsaverSystem
import Testing

/// `psview --once --prometheus` against real engines: promtool accepts it, its values
/// are padmin's, and `psaver_restarts_total` survives an engine restart.
@Suite("psview Prometheus metrics", .serialized, .timeLimit(.minutes(5)))
struct PsviewPrometheusTests {
    /// One metric sample from the exposition: its labels and value.
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Parses the samples (labels with only the escapes the format has).
    static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let brace = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}")
            else { return nil }
            var labels: [String: String] = [:]
            var rest = Substring(line[line.index(after: brace)..<close])
            while let equals = rest.firstIndex(of: "=") {
                let key = String(rest[..<equals])
                var value = "", escaped = false
                var at = rest.index(equals, offsetBy: 2)
                while at < rest.endIndex {
                    let c = rest[at]
                    if escaped {
                        value.append(c == "n" ? "\n" : c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        value.append(c)
                    }
                    at = rest.index(after: at)
                }
                labels[key] = value
                rest = rest[rest.index(after: at)...].drop { $0 == "," }
            }
            guard let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
            else { return nil }
            return Sample(name: String(line[..<brace]), labels: labels, value: value)
        }
    }

    static func value(_ samples: [Sample], _ name: String, pent: Int? = nil) -> Double? {
        samples.first { $0.name == name && (pent == nil || $0.labels["pent_id"] == "\(pent!)") }?.value
    }

    static func scrape(_ box: Sandbox, _ pfile: String) throws -> String {
        let result = try Program.run("psview", ["--once", "--prometheus", "-f", pfile], in: box)
        #expect(result.code == 0, "\(result.err)")
        return result.out
    }

    /// promtool's verdict on the text; "" when it is clean.
    static func promtool(_ box: Sandbox, _ text: String) throws -> String {
        let path = "\(box.folder)/metrics.prom"
        try box.write(path, text, permissions: 0o644)
        let result = try Program.run("/bin/sh", ["-c", "promtool check metrics < \"$0\" 2>&1", path], in: box)
        return result.code == 0 ? result.out.trimmingCharacters(in: .whitespacesAndNewlines)
            : "exit \(result.code): \(result.out)\(result.err)"
    }

    @Test func metricsPassPromtool_matchPadmin_andRestartsTotalSurvivesAnEngineRestart() throws {
        let box = try Sandbox("prom")
        defer { box.close() }
        let svc = try box.service("a")
        let other = try box.service("b")
        // A pname with a quote and a backslash in its include string shows escaping is
        // undone by a reader; the second entry never has a process (its script does nothing).
        let idle = try script(box, "idle.sh", "exit 0")
        let pfile = try box.pfile([
            "\(svc):\(try box.restartScript(for: svc)):0:5:stop",
            "\(other):\(idle):0:2:stop:include_strings=no\"such\\\\thing",
        ], monitorInterval: 1)
        var engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        // Not running at start-up: one restart; kill it for a second.
        let first = try #require(try engine.waitForUp().pid)
        kill(first, SIGKILL)
        try engine.waitForEntry(1, "restarted twice and up") { $0.restartCount == 2 && $0.procSts == .avail }

        let text = try Self.scrape(box, pfile)
        #expect(try Self.promtool(box, text) == "", "\(text)")
        let shown = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent", "--json"], in: box)
        let padmin = try #require(try PadminJSON(shown.out).entries, "\(shown.out)\(shown.err)")
        let samples = Self.samples(text)
        #expect(Self.value(samples, "psaver_up") == 1)
        #expect(Self.value(samples, "psaver_retry_over") == 0)
        #expect(samples.first { $0.name == "psaver_up" }?.labels["engine"] == box.ipcKey)
        for entry in padmin {
            let id = entry.pentId
            #expect(samples.first { $0.labels["pent_id"] == "\(id)" }?.labels["pname"] == entry.pname)
            #expect(Self.value(samples, "psaver_process_up", pent: id) == (entry.procSts == .avail ? 1 : 0))
            #expect(Self.value(samples, "psaver_monitoring_enabled", pent: id) == (entry.monitorSts == .on ? 1 : 0))
            #expect(Self.value(samples, "psaver_retries", pent: id) == Double(entry.retryCount))
            #expect(Self.value(samples, "psaver_retry_limit", pent: id) == Double(entry.retry))
            #expect(Self.value(samples, "psaver_restarts_total", pent: id) == Double(entry.restartCount))
            let rerun = entry.rerunTime.flatMap { WallTime(iso8601: $0) }.map { Double($0.secondsSinceEpoch) }
            #expect(Self.value(samples, "psaver_last_restart_timestamp_seconds", pent: id) == rerun)
        }
        let started = try #require(Self.value(samples, "psaver_process_start_time_seconds", pent: 1))
        #expect(abs(started - Date().timeIntervalSince1970) < 3600, "a start time near now: \(started)")

        // A new engine counts from 0; the metric goes on from 2.
        #expect(try engine.terminate() == 0)
        engine = try PcheckRun(box, pfile: pfile, logName: "second.log")
        try engine.waitForEntry(1, "up in the new engine") { $0.procSts == .avail && $0.restartCount == 0 }
        let kept = Self.samples(try Self.scrape(box, pfile))
        #expect(Self.value(kept, "psaver_restarts_total", pent: 1) == 2)
        let second = try #require(engine.entry(1)?.pid)
        kill(second, SIGKILL)
        try engine.waitForEntry(1, "restarted by the new engine") { $0.restartCount == 1 && $0.procSts == .avail }
        let grown = Self.samples(try Self.scrape(box, pfile))
        #expect(Self.value(grown, "psaver_restarts_total", pent: 1) == 3)
    }

    @Test func anEngineThatEndedAtRetryOver_readsUpZeroAndRetryOverOne() throws {
        let box = try Sandbox("promro")
        defer { box.close() }
        let svc = try box.service("a")
        let failing = try script(box, "fail.sh", "exit 1")
        let pfile = try box.pfile(["\(svc):\(failing):0:0:exit"], monitorInterval: 1)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        _ = try engine.program.wait(timeout: PcheckRun.patience)
        let text = try Self.scrape(box, pfile)
        #expect(try Self.promtool(box, text) == "", "\(text)")
        let samples = Self.samples(text)
        #expect(Self.value(samples, "psaver_up") == 0)
        #expect(Self.value(samples, "psaver_retry_over") == 1)
    }

    @Test func prometheusWithoutOnce_isAUsageError() throws {
        let box = try Sandbox("promusage")
        defer { box.close() }
        let result = try Program.run("psview", ["--prometheus"], in: box)
        #expect(result.code == 2)
        #expect(result.err.contains("--once"))
    }
}
