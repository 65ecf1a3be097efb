internal import PsaverSystem

/// Writes a `StateDocument` as JSON bytes, byte for byte what `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes, at about a
/// tenth of its cost.
///
/// The engine rewrites its state file at every change and every heartbeat; at
/// 10,000 entries JSONEncoder spent ~1 billion instructions per file building a
/// boxed tree of every value and sorting every object's keys. This writer
/// appends into one reserved buffer with the keys already in sorted order.
/// `StateCodecTests` compares its output with JSONEncoder's, so a field added
/// to the document but not here fails a test instead of vanishing from the file.
struct StateJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var depth = 0

    static func encode(_ document: StateDocument) -> [UInt8] {
        var writer = StateJSONWriter()
        writer.bytes.reserveCapacity(1024 + document.entries.count * 560 + document.events.count * 120)
        writer.write(document)
        writer.bytes.append(UInt8(ascii: "\n"))
        return writer.bytes
    }

    private mutating func write(_ document: StateDocument) {
        openObject()
        if let cluster = document.cluster {
            key("cluster", first: true)
            openObject()
            key("manager", first: true); string(cluster.manager.rawValue)
            key("resource"); string(cluster.resource)
            closeObject()
            key("control_socket")
        } else {
            key("control_socket", first: true)
        }
        string(document.controlSocket)
        key("engine_sts"); string(document.engineSts.rawValue)
        key("entries")
        array(document.entries) { writer, entry in writer.write(entry) }
        key("events")
        array(document.events) { writer, event in writer.write(event) }
        key("heartbeat_at"); string(document.heartbeatAt)
        key("host"); string(document.host)
        key("ipckey"); string(document.ipckey)
        if let log = document.log { key("log"); string(log) }
        key("params"); write(document.params)
        key("pfile"); string(document.pfile)
        key("pid"); number(Int64(document.pid.rawValue))
        if let output = document.scriptOutput { key("script_output"); string(output) }
        if let ticks = document.startTicks { key("start_ticks"); bytes.append(contentsOf: String(ticks).utf8) }
        key("started_at"); string(document.startedAt)
        key("uid"); number(Int64(document.uid.rawValue))
        key("version"); number(Int64(document.version))
        closeObject()
    }

    private mutating func write(_ params: ParamsRecord) {
        openObject()
        key("IPCKEY", first: true); string(params.ipckey)
        key("MONITOR_INTERVAL"); number(Int64(params.monitorInterval))
        key("MSG_CHECK_INTERVAL"); number(Int64(params.msgCheckInterval))
        key("RESTART_TIMEOUT"); number(Int64(params.restartTimeout))
        key("SHM_DUMP_FILE"); string(params.shmDumpFile)
        closeObject()
    }

    private mutating func write(_ entry: EntryRecord) {
        openObject()
        key("exclude_strings", first: true); string(entry.excludeStrings)
        key("grace"); number(Int64(entry.grace))
        key("include_strings"); string(entry.includeStrings)
        key("monitor_sts"); string(entry.monitorSts.rawValue)
        key("pent_id"); number(Int64(entry.pentId))
        key("pid"); optionalNumber(entry.pid.map(Int64.init))
        key("pname"); string(entry.pname)
        key("proc_sts"); string(entry.procSts.rawValue)
        key("rerun_time"); optionalString(entry.rerunTime)
        key("restart_count"); number(Int64(entry.restartCount))
        key("restart_script"); string(entry.restartScript)
        key("retry"); number(Int64(entry.retry))
        key("retry_count"); number(Int64(entry.retryCount))
        key("retry_over_act"); string(entry.retryOverAct)
        if let script = entry.script {
            key("script")
            openObject()
            key("attempt", first: true); number(Int64(script.attempt))
            key("pid"); number(Int64(script.pid))
            key("start_time"); bytes.append(contentsOf: String(script.startTime).utf8)
            closeObject()
        }
        key("script_running"); boolean(entry.scriptRunning)
        if let stall = entry.stall { key("stall"); number(Int64(stall)) }
        key("start_wait"); number(Int64(entry.startWait))
        key("user"); optionalString(entry.user)
        closeObject()
    }

    private mutating func write(_ event: EventRecord) {
        openObject()
        key("pent_id", first: true); optionalNumber(event.pentId.map(Int64.init))
        key("text"); string(event.text)
        key("time"); string(event.time)
        closeObject()
    }

    // MARK: Layout, as JSONEncoder's pretty printing lays it out.

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<(depth * 2) { bytes.append(UInt8(ascii: " ")) }
    }

    private mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
    }

    private mutating func closeObject() {
        depth -= 1
        newline()
        bytes.append(UInt8(ascii: "}"))
    }

    /// `"name" : `, after a comma unless it is the object's first key.
    private mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        newline()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    /// An array of objects; an empty one is `[`, a blank line, `]`, as JSONEncoder writes it.
    private mutating func array<Element>(_ elements: [Element], _ write: (inout StateJSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        if elements.isEmpty { bytes.append(UInt8(ascii: "\n")) }
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            newline()
            write(&self, element)
        }
        depth -= 1
        newline()
        bytes.append(UInt8(ascii: "]"))
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
