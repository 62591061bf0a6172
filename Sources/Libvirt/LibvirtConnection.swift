#if canImport(Glibc)
  import Glibc
#endif

/// A connection to a libvirt driver: the live QEMU daemon (`qemu:///system`), or the built-in
/// test driver (`test:///default`, or `test:///PATH` for a private one defined by a file).
///
/// One instance owns one `virConnectPtr` and closes it in `deinit`; the pointer is reached only
/// through ``withHandle(_:)``. Not `Sendable`: open one connection per task.
///
/// Not for guest placement or any policy: a thin, typed call per libvirt function.
public final class LibvirtConnection {
  private let handle: OpaquePointer
  let library: LibvirtLibrary
  /// The URI the connection was opened with.
  public let uri: String
  /// Whether it was opened read-only (`virConnectOpenReadOnly`): reads only, any change refused.
  public let readOnly: Bool

  /// Opens a connection to `uri`.
  ///
  /// The corresponding libvirt functions are `virConnectOpen` and `virConnectOpenReadOnly`.
  /// - Throws: ``LibvirtError`` `.notInstalled` without libvirt's library; libvirt's error
  ///   (for example `.noConnect`, "Failed to connect socket …") when the daemon is not reachable.
  public convenience init(uri: String, readOnly: Bool = false) throws(LibvirtError) {
    try self.init(uri: uri, readOnly: readOnly, library: LibvirtLibrary.shared.get())
  }

  init(uri: String, readOnly: Bool, library: LibvirtLibrary) throws(LibvirtError) {
    let opened = readOnly ? library.connectOpenReadOnly(uri) : library.connectOpen(uri)
    guard let opened else {
      throw library.lastError(readOnly ? "virConnectOpenReadOnly" : "virConnectOpen", subject: uri)
    }
    self.handle = opened
    self.library = library
    self.uri = uri
    self.readOnly = readOnly
  }

  deinit {
    _ = library.connectClose(handle)
  }

  /// The one place the connection's pointer is reached.
  func withHandle<T>(_ body: (OpaquePointer) throws(LibvirtError) -> T) throws(LibvirtError) -> T {
    try body(handle)
  }

  /// Every domain of the connection, running or defined, in libvirt's order.
  ///
  /// The corresponding libvirt function is `virConnectListAllDomains`.
  public func domains() throws(LibvirtError) -> [LibvirtDomain] {
    try list(flags: 0)
  }

  /// The running (active) domains only.
  public func activeDomains() throws(LibvirtError) -> [LibvirtDomain] {
    try list(flags: LibvirtABI.listDomainsActive)
  }

  private func list(flags: UInt32) throws(LibvirtError) -> [LibvirtDomain] {
    try withHandle { (handle) throws(LibvirtError) -> [LibvirtDomain] in
      var array: UnsafeMutablePointer<OpaquePointer?>? = nil
      let count = library.connectListAllDomains(handle, &array, flags)
      if count < 0 { throw library.lastError("virConnectListAllDomains", subject: uri) }
      defer { free(array) }
      guard let array else { return [] }
      return (0..<Int(count)).compactMap { index in array[index].map { LibvirtDomain(handle: $0, connection: self) } }
    }
  }

  /// The domain named `name`.
  ///
  /// The corresponding libvirt function is `virDomainLookupByName`.
  /// - Throws: `.noDomain` when there is none.
  public func domain(named name: String) throws(LibvirtError) -> LibvirtDomain {
    try withHandle { (handle) throws(LibvirtError) -> LibvirtDomain in
      guard let domain = library.domainLookupByName(handle, name) else {
        throw library.lastError("virDomainLookupByName", subject: name)
      }
      return LibvirtDomain(handle: domain, connection: self)
    }
  }

  /// Defines (or redefines, for an existing name and UUID) a persistent domain from `xml`.
  /// A running domain's live state is untouched: the definition applies at its next start.
  ///
  /// The corresponding libvirt function is `virDomainDefineXML`.
  /// - Throws: `.xmlError` (or another code) with libvirt's message naming what it refused.
  @discardableResult
  public func define(xml: String) throws(LibvirtError) -> LibvirtDomain {
    try withHandle { (handle) throws(LibvirtError) -> LibvirtDomain in
      guard let domain = library.domainDefineXML(handle, xml) else {
        throw library.lastError("virDomainDefineXML", subject: uri)
      }
      return LibvirtDomain(handle: domain, connection: self)
    }
  }

  /// The host CPUs that are online, by number, as libvirt sees them; ``CPUSet/capacity`` is how
  /// many CPUs the host has (the length of every CPU map of this connection).
  ///
  /// The corresponding libvirt function is `virNodeGetCPUMap`.
  public func onlineCPUs() throws(LibvirtError) -> CPUSet {
    try withHandle { (handle) throws(LibvirtError) -> CPUSet in
      var map: UnsafeMutablePointer<UInt8>? = nil
      var online: UInt32 = 0
      let count = library.nodeGetCPUMap(handle, &map, &online, 0)
      if count < 0 { throw library.lastError("virNodeGetCPUMap", subject: uri) }
      defer { free(map) }
      guard let map else { return CPUSet(capacity: Int(count)) }
      return CPUSet(map: UnsafeBufferPointer(start: map, count: CPUSet.mapLength(Int(count))), capacity: Int(count))
    }
  }
}
