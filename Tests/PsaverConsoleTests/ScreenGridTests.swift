import Testing
import PsaverConsole

@Suite struct ScreenGridTests {
    @Test func japaneseAndFullwidthCharactersTakeTwoCells() {
        #expect(displayWidth(of: "ア") == 2)
        #expect(displayWidth(of: "本") == 2)
        #expect(displayWidth(of: "Ａ") == 2)
        #expect(displayWidth(of: "한") == 2)
        #expect(displayWidth(of: "/opt/アプリ/bin/サーバ") == 22)
    }

    @Test func asciiEllipsisAndCombinedLettersTakeOneCellAndControlsNone() {
        #expect(displayWidth(of: "a") == 1)
        #expect(displayWidth(of: "…") == 1)
        #expect(displayWidth(of: "e\u{301}") == 1)
        #expect(displayWidth(of: "\u{7}") == 0)
    }

    @Test func aWideCharacterTakesACellAndAContinuation() {
        var grid = ScreenGrid(rows: 1, cols: 6)
        #expect(grid.put("aア", row: 0, col: 0) == 3)
        #expect(grid[0, 1].character == "ア")
        #expect(grid[0, 2].isContinuation)
        #expect(grid.text() == "aア")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesASpace() {
        var grid = ScreenGrid(rows: 1, cols: 4)
        #expect(grid.put("abcア", row: 0, col: 0) == 4)
        #expect(grid.text() == "abc")
        #expect(!grid[0, 3].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
        var grid = ScreenGrid(rows: 1, cols: 4)
        grid.put("アイ", row: 0, col: 0)
        grid.put("x", row: 0, col: 1)
        #expect(grid.text() == " xイ")
        grid.put("y", row: 0, col: 2)
        #expect(grid.text() == " xy")
        #expect(!grid[0, 3].isContinuation)
    }

    @Test func controlCharactersShowAsQuestionMarks() {
        var grid = ScreenGrid(rows: 1, cols: 8)
        grid.put("a\tb\u{1B}", row: 0, col: 0)
        #expect(grid.text() == "a?b?")
    }

    @Test func writingOutsideTheGridIsIgnored() {
        var grid = ScreenGrid(rows: 2, cols: 3)
        grid.put("abcdef", row: 1, col: 1)
        grid.put("zz", row: 5, col: 0)
        grid.put("zz", row: -1, col: 0)
        #expect(grid.text() == "\n ab")
    }
}
