/// The version every binary prints for `--version` and the Debian package carries.
///
/// The one place it is written: `scripts/build-deb` reads it from this file.
public enum PsaverVersion {
    /// The release, as `MAJOR.MINOR.PATCH`.
    public static let string = "1.0.0"
}
