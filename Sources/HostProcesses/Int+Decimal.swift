extension Int {
  /// The value of `bytes` when they are an optionally signed (`+` or `-`)
  /// ASCII decimal integer whose magnitude fits an `Int`, such as `-50` or
  /// `15874952`; `nil` for an empty text, any other character (spaces
  /// included) or an overflow. It decodes no string and allocates nothing,
  /// for the numbers the daemon reads from `/proc` every cycle.
  public init?(decimal bytes: some Collection<UInt8>) {
    var digits = bytes[...]
    var negative = false
    if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    var magnitude = 0
    for byte in digits {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      let (shifted, overflowShifting) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, overflowAdding) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
      guard !overflowShifting, !overflowAdding else { return nil }
      magnitude = sum
    }
    self = negative ? -magnitude : magnitude
  }
}
