import Glibc
import PsaverSystem
import Testing
@testable import PsaverEngine

@Suite("EngineLog: lines that can't vanish")
struct EngineLogTests {
    /// A pipe whose write end stands in for stderr.
    final class Pipe {
        let read: FileDescriptor
        let write: FileDescriptor
        init() {
            var ends: [Int32] = [0, 0]
            _ = pipe(&ends)
            _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
            read = FileDescriptor(rawValue: ends[0])
            write = FileDescriptor(rawValue: ends[1])
        }
        deinit {
            read.close()
            write.close()
        }
        var lines: [String] {
            let text = String(decoding: (try? read.read(maximum: 65536)) ?? [], as: UTF8.self)
            return text.split(separator: "\n").map(String.init)
        }
    }

    @Test func aStderrLine_startsWithItsLevel_thenTheSyslogStylePrefix_unlessTheJournalStampsIt() {
        let up = LogRecord(.notice, "(/usr/bin/java ,pid=3679) Up")
        #expect(EngineLog.standardErrorLine(up, stamp: "Dec  4 10:50:12 host pcheck[12]: ")
                == "<5>Dec  4 10:50:12 host pcheck[12]: (/usr/bin/java ,pid=3679) Up\n")
        #expect(EngineLog.standardErrorLine(up, stamp: nil) == "<5>(/usr/bin/java ,pid=3679) Up\n")
        #expect(EngineLog.standardErrorLine(LogRecord(.error, "x"), stamp: nil) == "<3>x\n")
        #expect(EngineLog.standardErrorLine(LogRecord(.warning, "x"), stamp: nil) == "<4>x\n")
        #expect(EngineLog.standardErrorLine(LogRecord(.info, "x"), stamp: nil) == "<6>x\n")
    }

    @Test func withoutASyslogSocket_linesGoToStderr_andThatIsSaidOnce() throws {
        let stderr = Pipe()
        let log = try EngineLog(.syslog, syslogSocket: "/nonexistent/psaver-test/log", standardError: stderr.write)
        log.write(LogRecord(.notice, "Start pcheck!!"))
        log.write(LogRecord(.error, "Process [/usr/bin/java , pid=312] Down"))
        let lines = stderr.lines
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first?.hasPrefix("<4>") == true)
        #expect(lines.first?.hasSuffix("no syslog at /nonexistent/psaver-test/log: connect: No such file or "
                                       + "directory; logging to stderr until it takes messages") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("<5>") == true)
        #expect(lines.dropFirst().first?.hasSuffix("]: Start pcheck!!") == true)
        #expect(lines.last?.hasPrefix("<3>") == true)
    }

    @Test func aLogFileInAMissingFolder_namesThePathAndTheFolder() {
        let path = "/nonexistent/psaver-test/pcheck.log"
        #expect(throws: (any Error).self) { _ = try EngineLog(.file(path)) }
        do {
            _ = try EngineLog(.file(path))
        } catch {
            #expect("\(error)" == "\(path): cannot open the log (--log): its folder /nonexistent/psaver-test "
                    + "does not exist")
        }
    }

    @Test func stderrIsTheJournal_whenJournalStreamNamesItsDeviceAndInode() {
        var info = stat()
        #expect(fstat(2, &info) == 0)
        #expect(JournalStream.isStandardError(environment: "\(info.st_dev):\(info.st_ino)"))
        #expect(!JournalStream.isStandardError(environment: "\(info.st_dev):\(info.st_ino + 1)"))
        #expect(!JournalStream.isStandardError(environment: nil))
        #expect(!JournalStream.isStandardError(environment: "journal"))
    }
}
