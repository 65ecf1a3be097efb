public import PsaverSystem

/// Reads a pfile from disk, parses it, and checks what the text alone cannot:
/// that the pfile and its scripts are safe to trust and that scripts and users exist.
///
/// Every finding is a `PFileDiagnostic` naming the file; findings about a
/// script or a user point at the PENT line and column that name it.
public enum PFileLoader {
    /// Loads the pfile at `path` as the engine running as `user` would use it.
    ///
    /// A relative `path` is taken against `workingDirectory` (the current
    /// directory by default); the returned `PFile.path` is absolute. The pfile
    /// and every restart and `exec=` script must pass `FileSafetyRule` for
    /// `user`; scripts must also exist, be regular files and be executable.
    /// `user=` names are resolved into `Entry.userID`. Throws every error and
    /// warning found; on success, warnings are in `PFile.warnings`.
    public static func load(
        path: String, as user: UserID = Identity.effectiveUser,
        workingDirectory: String = FileSystem.currentDirectory()
    ) throws(PFileErrors) -> PFile {
        let absolutePath = PFileParser.normalized(FileSystem.absolute(path, relativeTo: workingDirectory))
        let rule = FileSafetyRule(runningAs: user)
        let folders = TrustedFile.Folders(user: user)
        let (text, fileFindings) = try read(absolutePath, rule: rule, folders: folders)
        let parsed = PFileParser.parseCollecting(text, path: absolutePath)
        guard var pfile = parsed.pfile else { throw PFileErrors(fileFindings + parsed.diagnostics) }

        var findings: [PFileDiagnostic] = []
        var checkedScripts: Set<String> = []
        for (index, layout) in parsed.layouts.enumerated() {
            let entry = pfile.entries[index]
            var scripts = [(entry.restartScript, layout.restartScriptColumn, "the restart script")]
            if case .exec(let script) = entry.retryOverAction, let column = layout.execColumn {
                scripts.append((script, column, "the exec= script"))
            }
            // A script shared by several entries is reported once, at the first line naming it.
            for (script, column, name) in scripts where checkedScripts.insert(script).inserted {
                findings += check(script: script, named: name, rule: rule, folders: folders) {
                    PFileDiagnostic(file: absolutePath, line: layout.line.number, column: column,
                                    text: String(layout.line.text), message: $0)
                }
            }
            if let name = entry.user {
                if let id = Identity.userID(named: name) {
                    pfile.entries[index].userID = id
                } else {
                    findings.append(PFileDiagnostic(
                        file: absolutePath, line: layout.line.number, column: layout.userColumn ?? 0,
                        text: String(layout.line.text),
                        message: "no user named \(PFileParser.quote(name)) on this host; create the user or fix user="))
                }
            }
        }
        for (index, layout) in parsed.layouts.enumerated() {
            if let note = rawBytesNote(pfile.entries[index]) {
                findings.append(PFileDiagnostic(
                    .warning, file: absolutePath, line: layout.line.number, text: String(layout.line.text),
                    message: note))
            }
        }
        let all = fileFindings + sortedByPosition(parsed.diagnostics + findings)
        guard !all.contains(where: { $0.severity == .error }) else { throw PFileErrors(all) }
        pfile.warnings = all
        return pfile
    }

    /// The largest pfile read: real ones are a few kilobytes, a host with 30,000
    /// entries needs about 4 MB, and anything past this is not a pfile (and would
    /// only slow every reload).
    public static let maximumSize: Int64 = 16 << 20

    /// The pfile's text and the findings about the file itself; throws when it cannot be read.
    /// Its owner and mode are judged on the descriptor the text is read from.
    private static func read(
        _ path: String, rule: FileSafetyRule, folders: TrustedFile.Folders
    ) throws(PFileErrors) -> (String, [PFileDiagnostic]) {
        func failure(_ message: String) -> PFileErrors {
            PFileErrors([PFileDiagnostic(file: path, message: message)])
        }
        let status: FileStatus
        let text: String
        do {
            let file = try TrustedFile(path, in: folders)
            guard file.status.kind == .regular else {
                throw failure("the pfile is not a regular file; give the path of the pfile with -f")
            }
            let read = try file.read(what: "pfile", limit: maximumSize)
            status = read.status
            // Bytes, not text: a pfile in Shift-JIS or EUC-JP keeps every byte of its
            // strings, which are compared with /proc byte for byte.
            text = LosslessText.decode(read.bytes)
        } catch let error as PFileErrors {
            throw error
        } catch let refusal as PathRefusal {
            throw failure("\(refusal.about("the pfile \(path)"))")
        } catch {
            throw failure("cannot read the pfile: \(reason(error)); check the path given with -f and its permissions")
        }
        var findings: [PFileDiagnostic] = []
        let problems = rule.problems(with: status)
        if !problems.isEmpty {
            let message = rule.explanation(
                of: problems, file: path, named: "the pfile", mode: status.permissions, ownerName: ownerName)
            findings.append(PFileDiagnostic(file: path, message: message))
        }
        return (text, findings)
    }

    /// Findings about one script: missing, not a regular file, not executable, unsafe,
    /// or in a folder that others could put another file in.
    private static func check(
        script: String, named name: String, rule: FileSafetyRule, folders: TrustedFile.Folders,
        at diagnostic: (String) -> PFileDiagnostic
    ) -> [PFileDiagnostic] {
        let file: TrustedFile
        do {
            file = try TrustedFile(script, in: folders)
        } catch let error as SystemError where error.code == SystemError.noSuchFile {
            return [diagnostic("\(name) \(script) does not exist; create it or fix the path")]
        } catch let refusal as PathRefusal {
            return [diagnostic("\(refusal.about("\(name) \(script)"))")]
        } catch {
            return [diagnostic("cannot check \(name) \(script): \(reason(error))")]
        }
        let status = file.status
        guard status.kind == .regular else {
            return [diagnostic("\(name) \(script) is not a regular file; name an executable script")]
        }
        var findings: [PFileDiagnostic] = []
        if !file.isExecutable {
            findings.append(diagnostic("\(name) \(script) is not executable; run: chmod +x \(script)"))
        }
        let problems = rule.problems(with: status)
        if !problems.isEmpty {
            findings.append(diagnostic(rule.explanation(
                of: problems, file: script, named: name, mode: status.permissions, ownerName: ownerName)))
        }
        return findings
    }

    /// What `--check` says of an entry whose strings are not UTF-8: which encoding
    /// was assumed (none: bytes) and what follows. Nil for UTF-8 (or ASCII) entries.
    static func rawBytesNote(_ entry: Entry) -> String? {
        var fields: [String] = []
        if LosslessText.holdsRawBytes(entry.pname) { fields.append("pname") }
        if entry.includeStrings.contains(where: LosslessText.holdsRawBytes) { fields.append("include_strings") }
        if entry.excludeStrings.contains(where: LosslessText.holdsRawBytes) { fields.append("exclude_strings") }
        guard !fields.isEmpty else { return nil }
        return "\(fields.joined(separator: " and ")) of pent_id \(entry.id) hold bytes that are not UTF-8 "
            + "(shown here as \\xNN); no encoding is assumed: they are compared byte for byte with the "
            + "process's command line, as written (Shift-JIS, EUC-JP, …), and padmin prints them as written"
    }

    /// A login name with its id, such as `tomcat (uid 1001)`, or just the id when it has no name.
    private static func ownerName(_ user: UserID) -> String {
        let name = Identity.userName(of: user)
        return name == user.description ? "uid \(user)" : "\(name) (uid \(user))"
    }

    private static func reason(_ error: any Error) -> String {
        (error as? SystemError)?.reason ?? "\(error)"
    }

    /// Stable, by line then column, so each entry's findings stay in the order they were made.
    private static func sortedByPosition(_ diagnostics: [PFileDiagnostic]) -> [PFileDiagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset) < (rhs.element.line, rhs.element.column, rhs.offset)
        }.map(\.element)
    }
}
