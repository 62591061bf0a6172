#if canImport(Glibc)
  import Glibc
#endif

/// One libvirt domain (a guest), from a ``LibvirtConnection``.
///
/// One instance owns one `virDomainPtr` and frees it in `deinit`; it keeps its connection open
/// for as long as it lives. Not `Sendable`, like its connection.
public final class LibvirtDomain {
  private let handle: OpaquePointer
  /// The connection the domain came from.
  public let connection: LibvirtConnection
  var library: LibvirtLibrary { connection.library }

  init(handle: OpaquePointer, connection: LibvirtConnection) {
    self.handle = handle
    self.connection = connection
    self.name = connection.library.domainGetName(handle).map { String(cString: $0) } ?? ""
  }

  deinit {
    _ = connection.library.domainFree(handle)
  }

  /// The one place the domain's pointer is reached.
  func withHandle<T>(_ body: (OpaquePointer) throws(LibvirtError) -> T) throws(LibvirtError) -> T {
    try body(handle)
  }

  /// The domain's name, read once (a domain cannot be renamed under a `virDomainPtr`; and
  /// error messages name it without a libvirt call, which would reset the error record).
  ///
  /// The corresponding libvirt function is `virDomainGetName`.
  public let name: String

  /// The domain's UUID in its text form (`6695eb01-f6a4-8304-79aa-97f2502e193f`).
  ///
  /// The corresponding libvirt function is `virDomainGetUUIDString`.
  public func uuid() throws(LibvirtError) -> String {
    try withHandle { (handle) throws(LibvirtError) -> String in
      var buffer = [CChar](repeating: 0, count: LibvirtABI.uuidStringLength)
      if library.domainGetUUIDString(handle, &buffer) < 0 {
        throw library.lastError("virDomainGetUUIDString", subject: name)
      }
      return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  }

  /// A domain's state (`virDomainState`).
  public enum State: Sendable, Equatable {
    case noState, running, blocked, paused, shutdown, shutoff, crashed, pmSuspended
    /// A state this layer does not know, by number.
    case unknown(Int32)

    static let allKnown: [State] = [.noState, .running, .blocked, .paused, .shutdown, .shutoff, .crashed, .pmSuspended]

    init(code: Int32) { self = Self.allKnown.first { $0.code == code } ?? .unknown(code) }

    var code: Int32 {
      switch self {
      case .noState: 0
      case .running: 1
      case .blocked: 2
      case .paused: 3
      case .shutdown: 4
      case .shutoff: 5
      case .crashed: 6
      case .pmSuspended: 7
      case .unknown(let code): code
      }
    }

    /// The C name after `VIR_DOMAIN_`.
    var cName: String {
      switch self {
      case .noState: "NOSTATE"
      case .running: "RUNNING"
      case .blocked: "BLOCKED"
      case .paused: "PAUSED"
      case .shutdown: "SHUTDOWN"
      case .shutoff: "SHUTOFF"
      case .crashed: "CRASHED"
      case .pmSuspended: "PMSUSPENDED"
      case .unknown(let code): "\(code)"
      }
    }
  }

  /// The domain's state now.
  ///
  /// The corresponding libvirt function is `virDomainGetState`.
  public func state() throws(LibvirtError) -> State {
    try withHandle { (handle) throws(LibvirtError) -> State in
      var state: Int32 = 0
      if library.domainGetState(handle, &state, nil, 0) < 0 {
        throw library.lastError("virDomainGetState", subject: name)
      }
      return State(code: state)
    }
  }

  /// Whether the domain runs (has a live instance, running or paused).
  ///
  /// The corresponding libvirt function is `virDomainIsActive`.
  public func isActive() throws(LibvirtError) -> Bool {
    try withHandle { (handle) throws(LibvirtError) -> Bool in
      let result = library.domainIsActive(handle)
      if result < 0 { throw library.lastError("virDomainIsActive", subject: name) }
      return result == 1
    }
  }

  /// The domain's XML description: the live one of a running domain, or with `inactive` the
  /// persistent definition its next start uses.
  ///
  /// The corresponding libvirt function is `virDomainGetXMLDesc` (`VIR_DOMAIN_XML_INACTIVE`).
  public func xml(inactive: Bool = false) throws(LibvirtError) -> String {
    try withHandle { (handle) throws(LibvirtError) -> String in
      guard let text = library.domainGetXMLDesc(handle, inactive ? LibvirtABI.xmlInactive : 0) else {
        throw library.lastError("virDomainGetXMLDesc", subject: name)
      }
      defer { free(text) }
      return String(cString: text)
    }
  }
}
