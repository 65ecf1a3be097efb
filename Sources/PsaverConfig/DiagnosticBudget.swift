/// How many findings a pfile parse keeps: a few per line and a few dozen per file.
///
/// A hostile or broken line (`include_strings=&&&…`, thousands of repeated
/// options) would otherwise yield one finding per character, each quoting the
/// line: quadratic time, memory and output. Past the budget a finding is only
/// counted, and the count is reported as "… and N more".
struct DiagnosticBudget {
    static let perLine = 5
    static let perFile = 50

    private var keptOnLine: [Int: Int] = [:]
    private var droppedOnLine: [Int: (errors: Int, warnings: Int)] = [:]
    private var kept = 0
    private var droppedInFile = (errors: 0, warnings: 0)

    /// Whether a finding on `line` is kept; otherwise it is counted as dropped.
    mutating func admit(_ severity: PFileDiagnostic.Severity, line: Int) -> Bool {
        let onLine = keptOnLine[line, default: 0]
        if onLine < Self.perLine && kept < Self.perFile {
            keptOnLine[line] = onLine + 1
            kept += 1
            return true
        }
        if kept >= Self.perFile {
            count(severity, into: &droppedInFile)
        } else {
            count(severity, into: &droppedOnLine[line, default: (0, 0)])
        }
        return false
    }

    /// One finding per line that lost some ("… and 4,000 more on this line"), and one
    /// for the whole file. A summary is an error when anything it counts is, so
    /// dropping findings never turns a bad pfile into an accepted one.
    func summaries(file: String) -> [PFileDiagnostic] {
        var result: [PFileDiagnostic] = []
        for (line, dropped) in droppedOnLine.sorted(by: { $0.key < $1.key }) {
            result.append(PFileDiagnostic(
                dropped.errors > 0 ? .error : .warning, file: file, line: line,
                message: "… and \(Self.describe(dropped)) on this line"))
        }
        if droppedInFile.errors + droppedInFile.warnings > 0 {
            result.append(PFileDiagnostic(
                droppedInFile.errors > 0 ? .error : .warning, file: file,
                message: "… and \(Self.describe(droppedInFile)) after the first \(Self.perFile); "
                    + "fix the ones above and check again with pcheck --check -f \(file)"))
        }
        return result
    }

    private func count(_ severity: PFileDiagnostic.Severity, into tally: inout (errors: Int, warnings: Int)) {
        if severity == .error { tally.errors += 1 } else { tally.warnings += 1 }
    }

    private static func describe(_ tally: (errors: Int, warnings: Int)) -> String {
        var parts: [String] = []
        if tally.errors > 0 { parts.append(grouped(tally.errors) + (tally.errors == 1 ? " more error" : " more errors")) }
        if tally.warnings > 0 {
            parts.append(grouped(tally.warnings) + (tally.warnings == 1 ? " more warning" : " more warnings"))
        }
        return parts.joined(separator: " and ")
    }

    /// `4,000`: thousands separated, as people read counts.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
