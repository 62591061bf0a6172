internal import CXattr

#if canImport(Glibc)
  import Glibc
#endif

/// A file's extended attributes, copied as bytes: the POSIX ACL (`system.posix_acl_access`),
/// the SELinux label (`security.selinux`) and any other (`user.*`, `trusted.*`).
enum ExtendedAttributes {
  /// Copies every extended attribute of the file `source` (not following a final link)
  /// to the open file `descriptor`. A file system without extended attributes has none to
  /// copy; an attribute the new file refuses fails the copy, so a replaced file never
  /// loses its label or ACL silently.
  static func copy(from source: String, to descriptor: Int32, reportedAs path: String) throws(HostRootError) {
    for name in try names(source, path) {
      let value = try value(source, name, path)
      let result = value.withUnsafeBytes { fsetxattr(descriptor, name, $0.baseAddress, $0.count, 0) }
      guard result == 0 else { throw .from(errno: errno, path, "keep the attribute \(name) of") }
    }
  }

  /// The names of the attributes of `file`.
  static func names(_ file: String, _ path: String) throws(HostRootError) -> [String] {
    var size = llistxattr(file, nil, 0)
    if size < 0 && [ENOTSUP, EOPNOTSUPP].contains(errno) { return [] }
    guard size >= 0 else { throw .from(errno: errno, path, "list the attributes of") }
    while size > 0 {
      var buffer = [CChar](repeating: 0, count: size)
      let count = llistxattr(file, &buffer, size)
      if count < 0 && errno == ERANGE {
        size = llistxattr(file, nil, 0)
        continue
      }
      guard count >= 0 else { throw .from(errno: errno, path, "list the attributes of") }
      return buffer[..<count].split(separator: 0).map {
        String(decoding: $0.map(UInt8.init(bitPattern:)), as: UTF8.self)
      }
    }
    return []
  }

  /// The value of the attribute `name` of `file`, as bytes.
  static func value(_ file: String, _ name: String, _ path: String) throws(HostRootError) -> [UInt8] {
    while true {
      let size = lgetxattr(file, name, nil, 0)
      guard size >= 0 else { throw .from(errno: errno, path, "read the attribute \(name) of") }
      var buffer = [UInt8](repeating: 0, count: size)
      let count = buffer.withUnsafeMutableBytes { lgetxattr(file, name, $0.baseAddress, size) }
      if count < 0 && errno == ERANGE { continue }
      guard count >= 0 else { throw .from(errno: errno, path, "read the attribute \(name) of") }
      return Array(buffer[..<count])
    }
  }
}
