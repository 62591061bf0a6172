import Libvirt

/// How `guests:` opens libvirt: a new connection per use (``fresh``, what `virthost` does), or
/// what a test gives. libvirt's test driver on a node file (`test:///PATH`) loads the file
/// anew at each open and forgets what was defined when its connection closes, so a test that
/// plans, applies and plans again gives one connection for every open.
public struct LibvirtConnector: Sendable {
  /// Opens `uri`, read-only when asked.
  public let open: @Sendable (_ uri: String, _ readOnly: Bool) throws -> LibvirtConnection

  /// A connector that opens with `open`.
  public init(open: @escaping @Sendable (_ uri: String, _ readOnly: Bool) throws -> LibvirtConnection) {
    self.open = open
  }

  /// A new connection at each open (`virConnectOpen`, `virConnectOpenReadOnly`).
  public static let fresh = LibvirtConnector { uri, readOnly in try LibvirtConnection(uri: uri, readOnly: readOnly) }
}
