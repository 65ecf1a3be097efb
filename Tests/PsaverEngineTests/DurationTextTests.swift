import Testing
@testable import PsaverEngine

@Suite("DurationText: durations in log lines")
struct DurationTextTests {
    @Test func aMeasuredDuration_isShownToATenthOfASecond_notToTheNanosecond() {
        #expect(DurationText.seconds(.nanoseconds(3_002_976_860)) == "3")
        #expect(DurationText.seconds(.milliseconds(2_540)) == "2.5")
        #expect(Supervisor.seconds(.nanoseconds(3_002_976_860)) == "3")
    }

    @Test func wholeAndShortDurations_keepTheirMeaning() {
        #expect(DurationText.seconds(.seconds(60)) == "60")
        #expect(DurationText.seconds(.milliseconds(100)) == "0.1")
        #expect(DurationText.seconds(.milliseconds(50)) == "0.05")
        #expect(DurationText.seconds(.milliseconds(12_700)) == "13")
    }
}
