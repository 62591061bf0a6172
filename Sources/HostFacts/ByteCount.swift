/// Sizes in binary units for people: `0 B`, `512 B`, `1.5 KiB`, `15.1 GiB`.
public enum ByteCount {
  /// `bytes` in the largest binary unit (B, KiB, MiB, GiB, TiB, PiB, EiB) that keeps the
  /// number at 1 or more, with one decimal unless the unit is bytes.
  public static func human(_ bytes: Int) -> String {
    human(Double(bytes), exact: bytes)
  }

  /// `kibibytes` KiB as ``human(_:)`` writes it, for any count a file or a desired state
  /// gives: the bytes are never multiplied out in an `Int` (no overflow).
  public static func human(kibibytes: Int) -> String {
    let (bytes, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
    return overflow ? human(Double(kibibytes) * 1024, exact: nil) : human(bytes)
  }

  private static func human(_ bytes: Double, exact: Int?) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
    var value = bytes
    var unit = 0
    while abs(value) >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0, let exact { return "\(exact) B" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10)) \(units[unit])"
  }
}
