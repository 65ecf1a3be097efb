import Testing
import PsaverConsole
import PsaverState

@Suite struct LayoutTests {
    /// Issue 9 items 7 and 5: the cursor starts on the top row; events name engines by
    /// IPCKEY and lose their middle, not their verb.
    @Test func theMainViewAt80x24ShowsHeaderGroupsEntriesEventsStatusAndKeys() {
        let expected = """
        psview  node1  10:50:12  2 engines  FATAL 1 DOWN 1 RESTARTING 1 off 1 AVAIL 2
           ID PNAME [include_strings]          PID RETRY RSTRT PROC_STS   MON  RERUN
        == /etc/psaver/pfile_batch  IPCKEY 0x20000002  pid 13001  running
        >  1 /usr/local/bin/batchd              -   2/2     7 FATAL      off  2026/11/24
           2 /usr/bin/python3 [worker.py]    5120   0/3     0 AVAIL      on   -----
        == /var/opt/HA/PS/conf/bin/pfile_tomcat  IPCKEY 0x20000001  pid 12183  running
           1 …sr/bin/java [apache&tomcat]    3679   0/3     0 AVAIL      on   -----
           2 /usr/sbin/httpd                    -   1/3     4 DOWN       on   10:49:58
           3 …アプリ/bin/サーバ [db=本番]    4410   2/5     2 RESTARTING on   10:50:01







        Recent events (e: all, whole lines)
         10:40:00 0x20000001[1] (/usr/bin/java ,pid=3679) Up
         10:45:00 0x20000002[1] monitoring off for pent 1 by uid 0
         10:49:57 0x20000001[2] Process [/usr/sbin/httpd , pid=3702] Down
         10:49:58 0x20000001[2] restart script /var/opt/HA/PS/conf/bi…start_2.sh started
         10:50:01 0x20000001[3] Process [/opt/アプリ/bin/サーバ , pid=4400] Down
        Sort: pent_id
        m Monitor  r Reset  Enter Details  p Problems  n/N Next  ? Help  q Quit
        """
        #expect(Fixture.render(Fixture.model(onJava: false)).text() == expected)
    }

    @Test func aWiderScreenShowsWholeNamesTheActionColumnAndMoreEvents() {
        let expected = """
        psview  node1  10:50:12  2 engines  FATAL 1 DOWN 1 RESTARTING 1 off 1 AVAIL 2
           ID PNAME [include_strings]                                         PID RETRY RSTRT PROC_STS   MON  ACT      RERUN
        == /etc/psaver/pfile_batch  IPCKEY 0x20000002  pid 13001  running
        >  1 /usr/local/bin/batchd                                             -   2/2     7 FATAL      off  stop     2026/11/24
           2 /usr/bin/python3 [worker.py]                                   5120   0/3     0 AVAIL      on   exit     -----
        == /var/opt/HA/PS/conf/bin/pfile_tomcat  IPCKEY 0x20000001  pid 12183  running
           1 /usr/bin/java [apache&tomcat]                                  3679   0/3     0 AVAIL      on   exit     -----
           2 /usr/sbin/httpd                                                   -   1/3     4 DOWN       on   exit     10:49:58
           3 /opt/アプリ/bin/サーバ [db=本番]                               4410   2/5     2 RESTARTING on   exit     10:50:01



















        Recent events (e: all, whole lines)
         2026/11/24 23:10:00 0x20000002[1] (/usr/local/bin/batchd) FATAL
         10:40:00 0x20000001[1] (/usr/bin/java ,pid=3679) Up
         10:45:00 0x20000002[1] monitoring off for pent 1 by uid 0
         10:49:57 0x20000001[2] Process [/usr/sbin/httpd , pid=3702] Down
         10:49:58 0x20000001[2] restart script /var/opt/HA/PS/conf/bin/start_2.sh started
         10:50:01 0x20000001[3] Process [/opt/アプリ/bin/サーバ , pid=4400] Down



        Sort: pent_id
        m Monitor  r Reset  Enter Details  p Problems  n/N Next  e Events  / Filter  s Sort  x Dismiss  ? Help  q Quit
        """
        #expect(Fixture.render(Fixture.model(rows: 40, cols: 120, onJava: false)).text() == expected)
    }
}

/// Views other than the main list, styles, and the wide-character arithmetic.
@Suite struct LayoutDetailTests {
    /// The display column (cells, not characters) where `text` starts in `line`.
    func column(of text: String, in line: String) -> Int? {
        let characters = Array(line), needle = Array(text)
        guard characters.count >= needle.count else { return nil }
        for start in 0...(characters.count - needle.count)
        where Array(characters[start..<(start + needle.count)]) == needle {
            return characters[..<start].reduce(0) { $0 + displayWidth(of: $1) }
        }
        return nil
    }

    /// The first row below the header that contains `text`.
    func rowIndex(containing text: String, in grid: ScreenGrid) -> Int? {
        (1..<grid.rows).first { grid.line($0).contains(text) }
    }

    @Test(arguments: [(24, 80), (40, 120)])
    func columnsAfterAJapanesePnameLineUpWithOtherRows(rows: Int, cols: Int) throws {
        let grid = Fixture.render(Fixture.model(rows: rows, cols: cols))
        let java = grid.line(try #require(rowIndex(containing: "bin/java [", in: grid)))
        let server = grid.line(try #require(rowIndex(containing: "サーバ [db=", in: grid)))
        #expect(column(of: "3679", in: java) == column(of: "4410", in: server))
        #expect(column(of: "AVAIL", in: java) == column(of: "RESTARTING", in: server))
        #expect(column(of: "-----", in: java) == column(of: "10:50:01", in: server))
        #expect(displayWidth(of: server) == displayWidth(of: java) + 3, "10:50:01 is 3 cells wider than -----")
    }

    @Test func aLongPname_losesItsHeadNotItsNameOrIncludeStrings_andNoWideCharacterIsSplit() throws {
        let grid = Fixture.render(Fixture.model())
        let row = try #require(rowIndex(containing: "…アプリ/bin/サーバ [db=本番]", in: grid))
        #expect(!grid.line(row).contains("/opt/"))
        for col in 0..<grid.cols where displayWidth(of: grid[row, col].character) == 2 {
            #expect(grid[row, col + 1].isContinuation)
        }
        #expect(Fixture.render(Fixture.model(rows: 40, cols: 120)).text().contains("サーバ [db=本番]"))
    }

    @Test func statesAreStyledAsWellAsWritten() throws {
        let grid = Fixture.render(Fixture.model())
        func style(of text: String) throws -> CellStyle {
            let row = try #require(self.rowIndex(containing: text, in: grid))
            return grid[row, try #require(column(of: text, in: grid.line(row)))].style
        }
        #expect(try style(of: "FATAL ") == .fatal, "FATAL unlike DOWN, even without colour")
        #expect(try style(of: "DOWN ") == .bad)
        #expect(try style(of: "RESTARTING") == .warn)
        #expect(try style(of: "off ") == .warn)
        #expect(try style(of: "running") == .ok)
        let selected = try #require(rowIndex(containing: ">  1 …sr/bin/java", in: grid))
        let state = try #require(column(of: "AVAIL", in: grid.line(selected)))
        #expect(grid[selected, state].style == .ok, "the cursor keeps the state's colour")
        #expect(grid[selected, 0].style == .selected && grid[selected, 10].style == .selected)
    }

    /// Issue 9 item 6: on the selected row a FATAL stays FATAL and an off stays off.
    @Test func theSelectedRowKeepsItsStatesStyles() throws {
        let grid = Fixture.render(Fixture.model(onJava: false))
        let row = try #require(rowIndex(containing: ">  1 /usr/local/bin/batchd", in: grid))
        let line = grid.line(row)
        #expect(grid[row, try #require(column(of: "FATAL", in: line))].style == .fatal)
        #expect(grid[row, try #require(column(of: "off", in: line))].style == .warn)
        #expect(grid[row, try #require(column(of: "batchd", in: line))].style == .selected)
    }

    @Test func aDeadEnginesGroupSaysSoAndItsRowsAreDimmed() throws {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.batch, nil, .gone))
        model.apply(.engineUpdated(Fixture.tomcat, Fixture.tomcatDocument(heartbeat: "2026-11-25T10:49:40+00:00"),
                                   .running))
        let grid = Fixture.render(model)
        #expect(grid.line(2) == "== …/psaver/pfile_batch  IPCKEY 0x20000002  pid 13001  gone  rows as of 10:50:10")
        #expect(grid.line(3).hasPrefix(" !! ENGINE GONE after 10:50:10: 0x20000002 (psaver/pfile_batch) pid 13001"))
        #expect(grid[3, 5].style == .fatal)
        #expect(grid.line(4).contains("FATAL"))
        #expect(grid[4, 5].style == .dim)
        // The engine that is gone comes first with its problem row; its other rows go below the live ones.
        #expect(grid.line(5) == "== …PS/conf/bin/pfile_tomcat  IPCKEY 0x20000001  pid 12183  STALE since 10:49:40")
        #expect(grid.line(9).hasPrefix("-- 0x20000002 (pfile_batch) gone: its other rows, as of 10:50:10"))
        #expect(grid.line(10).contains("/usr/bin/python3"))
    }

    @Test func theConfirmationPromptIsOnTheStatusLineWithItsKeys() {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        let grid = Fixture.render(model)
        #expect(grid.line(22) == "Turn monitoring OFF for pent 1 (/usr/bin/java)? y/n")
        #expect(grid[22, 0].style == .prompt)
        #expect(grid.line(23) == "y Yes  n/Esc No")
    }

    @Test func theFilterBeingTypedIsOnTheStatusLine() {
        var model = Fixture.model()
        for key: ConsoleKey in [.character("/"), .character("h"), .character("t")] { _ = model.handle(key) }
        #expect(Fixture.render(model).line(22) == "Filter: ht_")
        _ = model.handle(.enter)
        #expect(Fixture.render(model).line(22) == "Sort: pent_id  Filter: \"ht\" (1 of 5)")
    }

    @Test func detailsShowTheEntrysConfigurationAndOnlyItsOwnEvents() {
        var model = Fixture.model(rows: 40)
        _ = model.handle(.down)
        #expect(model.handle(.enter) == [.loadScriptOutput(EntryKey(engine: Fixture.tomcat, pentID: 2))])
        let text = Fixture.render(model).text()
        #expect(text.contains("""
        Details of pent 2 in /var/opt/HA/PS/conf/bin/pfile_tomcat (engine running)
          pname           = /usr/sbin/httpd
          include_strings = -----
          exclude_strings = -----
          restart_script  = /var/opt/HA/PS/conf/bin/start_2.sh
          grace           = 86400
          retry           = 3
          retry_over_act  = exit
          start_wait      = 10
          user            = -----
          monitor_sts     = on
          pid             = -----
          proc_sts        = DOWN
          retry_count     = 1
          restart_count   = 4
          rerun_time      = 2026/11/25 10:49:58
        """))
        #expect(text.contains("""
        Events of pent 2
         10:49:57 Process [/usr/sbin/httpd , pid=3702] Down
         10:49:58 restart script /var/opt/HA/PS/conf/bin/start_2.sh started
        Restart script output
         (reading…)
        """))
        #expect(!text.contains("/usr/bin/java ,pid"), "only the entry's own events")
        #expect(text.hasSuffix("↑↓ PgUp PgDn Home End Scroll  Esc/q/Enter Close"))
    }

    /// Issue 9 item 5: details say where the log is and show the end of the restart
    /// script's output (the real reason), whole and scrollable.
    @Test func detailsShowWhereTheLogIsAndTheRestartScriptsOutput_andScroll() {
        var model = Fixture.model()
        var document = Fixture.tomcatDocument()
        document.log = "/var/log/pcheck_tomcat.log"
        document.scriptOutput = "/var/log/pcheck_tomcat.log"
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        _ = model.handle(.down)
        let httpd = EntryKey(engine: Fixture.tomcat, pentID: 2)
        _ = model.handle(.enter)
        model.apply(.scriptOutput(httpd, ScriptOutput(
            path: "/var/log/pcheck_tomcat.log",
            lines: .success(["start_2.sh: cannot bind: port 25 already in use (is another MTA running? "
                             + "see /etc/mail/sendmail.cf and systemctl status postfix)"]))))
        var text = Fixture.render(model).text()
        #expect(text.contains("  log             = /var/log/pcheck_tomcat.log"))
        #expect(!text.contains("port 25"), "at 80×24 the output is below the first page")
        _ = model.handle(.end)
        text = Fixture.render(model).text()
        #expect(text.contains("Restart script output: the end of /var/log/pcheck_tomcat.log"))
        #expect(text.contains(" start_2.sh: cannot bind: port 25 already in use (is another MTA running? see"))
        #expect(text.contains("   /etc/mail/sendmail.cf and systemctl status postfix)"), "wrapped, not cut")
        _ = model.handle(.home)
        #expect(Fixture.render(model).text().contains("  pname           = /usr/sbin/httpd"))
    }

    @Test func helpListsEveryKey() {
        var model = Fixture.model(rows: 60, cols: 100)
        _ = model.handle(.character("?"))
        let text = Fixture.render(model).text()
        for key in ["↑ ↓  j k", "PgUp PgDn", "Home End", "  m ", "  r ", "Enter", "  / ", "  s ", "  ? ", "Esc",
                    "  q "]
        {
            #expect(text.contains(key), "help should mention \(key)")
        }
        #expect(text.contains("turning it off asks y/n"))
        for word in ["RSTRT", "ACT", "RERUN", "(red)", "(white on red)", "(yellow)", "  p ", "  n N", "  e ", "  x ",
                     "  M "] {
            #expect(text.contains(word), "help should explain \(word) (issue 9 item 11)")
        }
    }

    @Test func anEmptyConsoleSaysHowToStartAnEngine() {
        let grid = ConsoleLayout.render(ConsoleModel(), now: Fixture.now, host: "node1")
        #expect(grid.line(0) == "psview  node1  10:50:12  0 engines  no live entries")
        #expect(grid.line(2).contains("No engines found"))
    }

    @Test(arguments: [(1, 1), (5, 20), (11, 79), (24, 40)])
    func tinyTerminalsStillRenderAGridOfTheirSize(rows: Int, cols: Int) {
        var model = Fixture.model(rows: rows, cols: cols)
        _ = model.handle(.end)
        let grid = Fixture.render(model)
        #expect(grid.rows == rows && grid.cols == cols)
        #expect(grid.text().split(separator: "\n", omittingEmptySubsequences: false).count == rows)
    }
}
