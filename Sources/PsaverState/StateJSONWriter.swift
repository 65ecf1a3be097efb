internal import PsaverSystem

/// Writes a `StateDocument` as the state file's JSON: the engine's own values one
/// per line first (the heartbeat among the first few hundred bytes), then one line
/// per entry and per event.
///
/// Why this layout: the engine rewrites its state file at every change and every
/// heartbeat. With `heartbeat_at` near the start, a heartbeat writes those first
/// bytes and has the kernel copy the rest from the file before it
/// (`StateFileWriter`), whatever the number of entries. One line per entry halves
/// the file against JSONEncoder's pretty printing (5 MB at 10,000 entries) and
/// lets an operator `grep` an entry whole. Readers decode by key (DESIGN §5 fixes
/// the names, not their order); `StateCodecEncodingTests` checks that every field
/// of the document reads back, so a field added to the document but not here
/// fails a test instead of vanishing from the file.
struct StateJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var first = true

    static func encode(_ document: StateDocument) -> [UInt8] {
        var writer = StateJSONWriter()
        writer.bytes.reserveCapacity(1024 + document.entries.count * 400 + document.events.count * 120)
        writer.write(document)
        return writer.bytes
    }

    private mutating func write(_ document: StateDocument) {
        bytes.append(UInt8(ascii: "{"))
        line("version"); number(Int64(document.version))
        line("pid"); number(Int64(document.pid.rawValue))
        if let ticks = document.startTicks { line("start_ticks"); bytes.append(contentsOf: String(ticks).utf8) }
        line("uid"); number(Int64(document.uid.rawValue))
        line("host"); string(document.host)
        line("started_at"); string(document.startedAt)
        line("heartbeat_at"); string(document.heartbeatAt)
        line("engine_sts"); string(document.engineSts.rawValue)
        line("pfile"); string(document.pfile)
        line("ipckey"); string(document.ipckey)
        line("control_socket"); string(document.controlSocket)
        if let cluster = document.cluster {
            line("cluster")
            inline { writer in
                writer.field("manager"); writer.string(cluster.manager.rawValue)
                writer.field("resource"); writer.string(cluster.resource)
            }
        }
        if let log = document.log { line("log"); string(log) }
        if let output = document.scriptOutput { line("script_output"); string(output) }
        line("params"); write(document.params)
        line("entries")
        lines(document.entries) { writer, entry in writer.write(entry) }
        line("events")
        lines(document.events) { writer, event in writer.write(event) }
        bytes.append(contentsOf: "\n}\n".utf8)
    }

    private mutating func write(_ params: ParamsRecord) {
        inline { writer in
            writer.field("IPCKEY"); writer.string(params.ipckey)
            writer.field("MONITOR_INTERVAL"); writer.number(Int64(params.monitorInterval))
            writer.field("MSG_CHECK_INTERVAL"); writer.number(Int64(params.msgCheckInterval))
            writer.field("RESTART_TIMEOUT"); writer.number(Int64(params.restartTimeout))
            writer.field("SHM_DUMP_FILE"); writer.string(params.shmDumpFile)
        }
    }

    /// What `padmin -c show pent` prints first, then the configuration; the running
    /// script last, so that a line-oriented reader's first `"pid"` is the process's.
    private mutating func write(_ entry: EntryRecord) {
        inline { writer in
            writer.field("pent_id"); writer.number(Int64(entry.pentId))
            writer.field("pname"); writer.string(entry.pname)
            writer.field("pid"); writer.optionalNumber(entry.pid.map(Int64.init))
            writer.field("proc_sts"); writer.string(entry.procSts.rawValue)
            writer.field("monitor_sts"); writer.string(entry.monitorSts.rawValue)
            writer.field("retry_count"); writer.number(Int64(entry.retryCount))
            writer.field("restart_count"); writer.number(Int64(entry.restartCount))
            writer.field("rerun_time"); writer.optionalString(entry.rerunTime)
            writer.field("retry_over_act"); writer.string(entry.retryOverAct)
            writer.field("retry"); writer.number(Int64(entry.retry))
            writer.field("restart_script"); writer.string(entry.restartScript)
            writer.field("include_strings"); writer.string(entry.includeStrings)
            writer.field("exclude_strings"); writer.string(entry.excludeStrings)
            writer.field("grace"); writer.number(Int64(entry.grace))
            writer.field("start_wait"); writer.number(Int64(entry.startWait))
            if let stall = entry.stall { writer.field("stall"); writer.number(Int64(stall)) }
            writer.field("user"); writer.optionalString(entry.user)
            writer.field("script_running"); writer.boolean(entry.scriptRunning)
            if let flapping = entry.flapping { writer.field("flapping"); writer.boolean(flapping) }
            writer.field("last_restart_reason"); writer.optionalString(entry.lastRestartReason?.rawValue)
            writer.field("last_restart_text"); writer.optionalString(entry.lastRestartText)
            if let script = entry.script {
                writer.field("script")
                writer.inline { writer in
                    writer.field("attempt"); writer.number(Int64(script.attempt))
                    writer.field("pid"); writer.number(Int64(script.pid))
                    writer.field("start_time"); writer.bytes.append(contentsOf: String(script.startTime).utf8)
                }
            }
        }
    }

    private mutating func write(_ event: EventRecord) {
        inline { writer in
            writer.field("time"); writer.string(event.time)
            writer.field("pent_id"); writer.optionalNumber(event.pentId.map(Int64.init))
            writer.field("text"); writer.string(event.text)
        }
    }

    // MARK: Layout

    /// `"name" : ` on a line of its own at the top level, after a comma unless it is the first.
    private mutating func line(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(contentsOf: [UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: " ")])
        name.withUTF8Buffer { quoted($0) }
    }

    /// `"name" : ` inside an object on one line, after `, ` unless it is the object's first.
    private mutating func field(_ name: StaticString) {
        if !first { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
        first = false
        name.withUTF8Buffer { quoted($0) }
    }

    private mutating func quoted(_ name: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    /// `{ "a" : 1, "b" : 2 }` on the current line.
    private mutating func inline(_ fields: (inout StateJSONWriter) -> Void) {
        let outer = first
        bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: " ")])
        first = true
        fields(&self)
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "}")])
        first = outer
    }

    /// An array with one element a line, indented under its key; `[]` when empty.
    private mutating func lines<Element>(_ elements: [Element], _ write: (inout StateJSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            bytes.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
            write(&self, element)
        }
        bytes.append(contentsOf: (elements.isEmpty ? "]" : "\n  ]").utf8)
    }

    /// A decimal integer (a small String is built inline, without allocating).
    private mutating func number(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func optionalNumber(_ value: Int64?) {
        if let value { number(value) } else { null() }
    }

    private mutating func boolean(_ value: Bool) {
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    private mutating func null() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    private mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A JSON string: `"` and `\` escaped, the C0 controls as JSONEncoder writes
    /// them (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`), everything else,
    /// slashes and non-ASCII included, as is.
    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var clean = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
