import CXattr

/// The extended attributes of a file on this machine, as bytes: for tests that set a
/// POSIX ACL or a `user.*` attribute and check that a write kept it.
public enum FileAttributes {
  /// One entry of a POSIX ACL: its tag (`1` user::, `2` user:ID, `4` group::, `8` group:ID,
  /// `0x10` mask::, `0x20` other::), its permissions (`4` r, `2` w, `1` x) and the id of a named entry.
  public struct ACLEntry: Sendable {
    public var tag: UInt16
    public var permissions: UInt16
    public var id: UInt32

    public init(tag: UInt16, permissions: UInt16, id: UInt32 = .max) {
      self.tag = tag
      self.permissions = permissions
      self.id = id
    }
  }

  /// The kernel's binary form (version 2) of an ACL with `entries`: the value of
  /// `system.posix_acl_access`.
  public static func posixACL(_ entries: [ACLEntry]) -> [UInt8] {
    var bytes: [UInt8] = [2, 0, 0, 0]
    for entry in entries {
      bytes += withUnsafeBytes(of: entry.tag.littleEndian, Array.init)
      bytes += withUnsafeBytes(of: entry.permissions.littleEndian, Array.init)
      bytes += withUnsafeBytes(of: entry.id.littleEndian, Array.init)
    }
    return bytes
  }

  /// Sets the attribute `name` of the file `path` to `value`; whether the file system took it.
  @discardableResult
  public static func set(_ name: String, _ value: [UInt8], on path: String) -> Bool {
    value.withUnsafeBytes { setxattr(path, name, $0.baseAddress, $0.count, 0) } == 0
  }

  /// The value of the attribute `name` of the file `path`, or `nil` when it has none.
  public static func value(_ name: String, of path: String) -> [UInt8]? {
    let size = getxattr(path, name, nil, 0)
    guard size >= 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: size)
    let count = buffer.withUnsafeMutableBytes { getxattr(path, name, $0.baseAddress, size) }
    return count >= 0 ? Array(buffer.prefix(count)) : nil
  }
}
