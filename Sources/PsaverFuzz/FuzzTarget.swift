import PsaverConfig
import PsaverState

/// One decoder under fuzzing: good inputs to start from, and the properties every
/// input must keep. `check` returns the broken property, or nil.
public struct FuzzTarget: Sendable {
    public var name: String
    public var seeds: [[UInt8]]
    public var check: @Sendable ([UInt8]) -> String?

    public init(name: String, seeds: [[UInt8]], check: @escaping @Sendable ([UInt8]) -> String?) {
        self.name = name
        self.seeds = seeds
        self.check = check
    }
}

extension FuzzTarget {
    /// The pfile parser: any text yields a pfile or errors, never a crash; at most
    /// the diagnostic budget of findings; printed findings of bounded size with no
    /// control characters but line feed and tab.
    public static let pfileParser = FuzzTarget(name: "pfile", seeds: pfileSeeds.map { Array($0.utf8) }) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let findings: [PFileDiagnostic]
        let printed: String
        do throws(PFileErrors) {
            let pfile = try PFileParser.parse(text, path: "/fuzz/pfile")
            findings = pfile.warnings
            printed = pfile.warnings.map(\.description).joined(separator: "\n")
            if pfile.entries.isEmpty { return "a pfile without entries was accepted" }
        } catch {
            findings = error.diagnostics
            printed = error.description
            if error.errors.isEmpty { return "refused without an error" }
        }
        if findings.count > maximumFindings { return "\(findings.count) findings, more than \(maximumFindings)" }
        if printed.utf8.count > 2_048 * (findings.count + 1) {
            return "\(printed.utf8.count) bytes printed for \(findings.count) findings"
        }
        if printed.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            return "a control character in the printed findings"
        }
        return nil
    }

    /// The control-request decoder: any line yields a request or a refusal, never a
    /// crash; a request survives encoding and decoding again; a refusal is short.
    public static let controlRequest = FuzzTarget(name: "control", seeds: controlSeeds.map { Array($0.utf8) }) {
        bytes in
        switch ControlCodec.decodeRequest(bytes) {
        case .success(let request):
            let again = ControlCodec.decodeRequest(Array(ControlCodec.encode(request).dropLast()))
            if again != .success(request) { return "\(request) does not survive encoding" }
        case .failure(let answer):
            if answer.ok { return "a refusal that says ok" }
            let size = ControlCodec.encode(answer).count
            if size > 1_024 { return "a refusal of \(size) bytes" }
        }
        return nil
    }

    /// Kept findings, one count per line that lost some, one for the file.
    static let maximumFindings = 50 + 50 + 1 + 1

    static let pfileSeeds = [
        """
        ##### PARAM #####
        IPCKEY             0x20000001
        MSG_CHECK_INTERVAL 5
        MONITOR_INTERVAL   10
        SHM_DUMP_FILE      /var/opt/HA/PS/dump/pfile_tomcat
        RESTART_TIMEOUT    60
        ##### PENT #####
        /usr/bin/java:/var/opt/HA/PS/conf/bin/tomcat_start.sh:86400:3:exit:include_strings=apache&tomcat
        /usr/sbin/httpd:/opt/start_httpd.sh:0:0:stop:exclude_strings=grep&tail,user=www,start_wait=30
        /usr/bin/python3:/opt/start_py.sh:60:5:exec=/opt/notify.sh

        """,
        "# comment\n###PARAM###\nIPCKEY 536870913\nSHM_DUMP_FILE dump/state\nUNKNOWN 1\n###PENT###\n/a:/b:0:1:exit\n",
        "##### PENT #####\n/a:/b:1:2:exit:include_strings=x\n##### PARAM #####\nIPCKEY 0x1\nSHM_DUMP_FILE /s\n",
    ]

    static let controlSeeds = [
        #"{"cmd":"show"}"#, #"{"cmd":"monitor","on":false,"pent_id":2}"#, #"{"cmd":"monitor","on":true}"#,
        #"{"cmd":"reset","pent_id":1}"#, #"{"cmd":"reset"}"#, #"{"cmd":"stop"}"#,
        #"{"ok":true,"message":"done","state":{"version":1,"entries":[]}}"#,
    ]
}
