/// When an entry counts as flapping (a crash loop): `flapCount` restart attempts
/// within `seconds`; it stops flapping once its process has stayed up that long.
///
/// Five minutes is long enough to catch a service that dies a minute after each start,
/// and short enough that an entry restarted now and then over a day is not called one.
public enum RestartWindow {
    public static let flapCount = 3
    public static let seconds = 300
}
