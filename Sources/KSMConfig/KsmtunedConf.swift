/// `/etc/ksmtuned.conf` as a file: where it is, what ksmtuned ships, and how a value is
/// written so that the shell reads it back unchanged.
public enum KsmtunedConf {
  /// The file's path from the root.
  public static let path = "/etc/ksmtuned.conf"

  /// The file as ksmtuned ships it, every setting commented with its default: the text a
  /// missing file is created from.
  public static let shippedText = """
    # Configuration file for ksmtuned.
    # Created by virthost; settings set by its desired state stand uncommented.

    # How long ksmtuned should sleep between tuning adjustments
    # KSM_MONITOR_INTERVAL=60

    # Millisecond sleep between ksm scans for 16Gb server.
    # Smaller servers sleep more, bigger sleep less.
    # KSM_SLEEP_MSEC=10

    # KSM_NPAGES_BOOST=300
    # KSM_NPAGES_DECAY=-50
    # KSM_NPAGES_MIN=64
    # KSM_NPAGES_MAX=1250

    # KSM_THRES_COEF=20
    # KSM_THRES_CONST=2048

    # uncomment the following if you want ksmtuned debug info

    # LOGFILE=/var/log/ksmtuned
    # DEBUG=1

    """

  /// Characters a value may hold without quotes.
  static let bare = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:+,=@%-")

  /// `value` written so that the shell reads it back unchanged: bare when it is plain, in
  /// single quotes otherwise (a value without ``KsmtunedSetting/problem(with:)`` has no quote).
  public static func quoted(_ value: String) -> String {
    value.allSatisfy(bare.contains) ? value : "'" + value + "'"
  }

  /// The value the shell sees for `raw` as written after `NAME=`: without one level of
  /// matching surrounding single or double quotes.
  public static func unquoted(_ raw: String) -> String {
    let bytes = Array(raw.utf8)
    if bytes.count >= 2, let first = bytes.first, first == UInt8(ascii: "\"") || first == UInt8(ascii: "'"),
      bytes.last == first
    {
      return String(decoding: bytes[1..<(bytes.count - 1)], as: UTF8.self)
    }
    return raw
  }
}
