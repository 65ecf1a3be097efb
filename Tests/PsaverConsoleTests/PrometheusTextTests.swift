import PsaverConsole
import Testing

@Suite("Prometheus text exposition")
struct PrometheusTextTests {
    static let engine = PrometheusText.Engine(
        label: "0x20000001", up: true, retryOver: false,
        entries: [
            PrometheusText.Entry(pentID: 1, pname: "/usr/bin/java", processUp: true, monitoring: true, retries: 0,
                                 retryLimit: 3, restartsTotal: 7, lastRestart: 1_764_067_798,
                                 processStart: 1_764_067_799.25),
            PrometheusText.Entry(pentID: 2, pname: "/opt/a\"b\\c\nd", processUp: false, monitoring: false,
                                 retries: 2, retryLimit: 5, restartsTotal: 0),
        ])

    @Test("every family has one HELP and one TYPE line before its samples")
    func everyFamilyHasHelpAndType() {
        let lines = PrometheusText.render([Self.engine]).split(separator: "\n").map(String.init)
        let families = ["psaver_up", "psaver_retry_over", "psaver_process_up", "psaver_monitoring_enabled",
                        "psaver_retries", "psaver_retry_limit", "psaver_restarts_total",
                        "psaver_last_restart_timestamp_seconds", "psaver_process_start_time_seconds"]
        for family in families {
            let help = lines.firstIndex { $0.hasPrefix("# HELP \(family) ") }
            let type = lines.firstIndex { $0.hasPrefix("# TYPE \(family) ") }
            let sample = lines.firstIndex { $0.hasPrefix("\(family){") }
            #expect(help != nil && type == help.map { $0 + 1 }, "\(family)")
            #expect(sample.map { $0 > type! } == true, "\(family)")
        }
        #expect(lines.contains("# TYPE psaver_restarts_total counter"))
        #expect(lines.contains("# TYPE psaver_up gauge"))
    }

    @Test("engine families carry only the engine label, entry families engine, pent_id and pname")
    func labelsAreAsDocumented() {
        let text = PrometheusText.render([Self.engine])
        #expect(text.contains("psaver_up{engine=\"0x20000001\"} 1\n"))
        #expect(text.contains("psaver_retry_over{engine=\"0x20000001\"} 0\n"))
        #expect(text.contains("psaver_restarts_total{engine=\"0x20000001\",pent_id=\"1\",pname=\"/usr/bin/java\"} 7\n"))
        #expect(text.contains("psaver_retry_limit{engine=\"0x20000001\",pent_id=\"2\","))
        #expect(text.contains("psaver_process_start_time_seconds{engine=\"0x20000001\",pent_id=\"1\","
                              + "pname=\"/usr/bin/java\"} 1764067799.25\n"))
    }

    @Test("a pname holding a quote, a backslash and a line feed is escaped so it comes back intact")
    func labelValuesAreEscaped() {
        let text = PrometheusText.render([Self.engine])
        #expect(text.contains("pname=\"/opt/a\\\"b\\\\c\\nd\""))
        #expect(PrometheusText.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        // Every sample stays on its own line.
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("d\"") })
    }

    @Test("an entry never restarted and without a process has no timestamp samples")
    func unknownTimesAreLeftOut() {
        let text = PrometheusText.render([Self.engine])
        #expect(!text.contains("psaver_last_restart_timestamp_seconds{engine=\"0x20000001\",pent_id=\"2\""))
        #expect(!text.contains("psaver_process_start_time_seconds{engine=\"0x20000001\",pent_id=\"2\""))
    }

    @Test("an engine that is gone at retry over reads up 0 and retry_over 1")
    func engineGoneAtRetryOver() {
        let gone = PrometheusText.Engine(label: "/var/dump/pfile_x", up: false, retryOver: true, entries: [])
        let text = PrometheusText.render([gone])
        #expect(text.contains("psaver_up{engine=\"/var/dump/pfile_x\"} 0\n"))
        #expect(text.contains("psaver_retry_over{engine=\"/var/dump/pfile_x\"} 1\n"))
    }

    @Test("no engines is still a valid exposition: headers only")
    func noEngines() {
        let text = PrometheusText.render([])
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("# ") })
    }
}
