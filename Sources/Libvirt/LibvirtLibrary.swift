#if canImport(Glibc)
  import Glibc
#endif

/// libvirt's C library, opened at run time with `dlopen("libvirt.so.0")`, and the functions
/// this layer calls, found with `dlsym`.
///
/// virthost's binary does not link libvirt: a host without it keeps today's dependencies, and
/// only a command that asks libvirt something needs it. Loaded once per process (``shared``)
/// and never closed.
///
/// `@unchecked Sendable`: every stored property is a `let` set in `init` (C function pointers
/// and the `dlopen` handle), and libvirt's functions are thread-safe (its error record is per
/// thread, read by the same call that failed).
final class LibvirtLibrary: @unchecked Sendable {
  typealias Pointer = OpaquePointer
  typealias CString = UnsafePointer<CChar>
  typealias ErrorFunc = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void

  let connectOpen: @convention(c) (CString?) -> Pointer?
  let connectOpenReadOnly: @convention(c) (CString?) -> Pointer?
  let connectClose: @convention(c) (Pointer) -> Int32
  let connectListAllDomains:
    @convention(c) (Pointer, UnsafeMutablePointer<UnsafeMutablePointer<Pointer?>?>?, UInt32) -> Int32
  let nodeGetCPUMap:
    @convention(c) (Pointer, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<UInt32>?, UInt32)
      -> Int32
  let domainLookupByName: @convention(c) (Pointer, CString) -> Pointer?
  let domainDefineXML: @convention(c) (Pointer, CString) -> Pointer?
  let domainFree: @convention(c) (Pointer) -> Int32
  let domainGetName: @convention(c) (Pointer) -> CString?
  let domainGetUUIDString: @convention(c) (Pointer, UnsafeMutablePointer<CChar>) -> Int32
  let domainGetState:
    @convention(c) (Pointer, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>?, UInt32) -> Int32
  let domainIsActive: @convention(c) (Pointer) -> Int32
  let domainGetXMLDesc: @convention(c) (Pointer, UInt32) -> UnsafeMutablePointer<CChar>?
  let domainGetJobStats:
    @convention(c) (
      Pointer, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int32>,
      UInt32
    ) -> Int32
  let typedParamsFree: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Void
  let domainGetBlockJobInfo: @convention(c) (Pointer, CString, UnsafeMutableRawPointer, UInt32) -> Int32
  let domainGetVcpusFlags: @convention(c) (Pointer, UInt32) -> Int32
  let domainGetVcpuPinInfo: @convention(c) (Pointer, Int32, UnsafeMutablePointer<UInt8>, Int32, UInt32) -> Int32
  let domainPinVcpuFlags: @convention(c) (Pointer, UInt32, UnsafeMutablePointer<UInt8>, Int32, UInt32) -> Int32
  let domainGetEmulatorPinInfo: @convention(c) (Pointer, UnsafeMutablePointer<UInt8>, Int32, UInt32) -> Int32
  let domainPinEmulator: @convention(c) (Pointer, UnsafeMutablePointer<UInt8>, Int32, UInt32) -> Int32
  let domainSetMemoryFlags: @convention(c) (Pointer, UInt, UInt32) -> Int32
  let getLastError: @convention(c) () -> UnsafeRawPointer?
  let resetLastError: @convention(c) () -> Void

  /// The library of this process, or why it could not be opened.
  static let shared: Result<LibvirtLibrary, LibvirtError> = Result { () throws(LibvirtError) in
    try LibvirtLibrary(name: "libvirt.so.0")
  }

  /// Opens `name` (a file name for the dynamic loader) and finds every function.
  /// - Throws: ``LibvirtError/Code/notInstalled`` with the loader's message when the library
  ///   or one of its functions is missing.
  init(name: String) throws(LibvirtError) {
    guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
      let reason = dlerror().map { String(cString: $0) } ?? "\(name) not found"
      throw LibvirtError(
        code: .notInstalled, operation: "dlopen", message: "libvirt is not installed: \(reason)")
    }
    func find<T>(_ symbol: String, as type: T.Type) throws(LibvirtError) -> T {
      guard let address = dlsym(handle, symbol) else {
        throw LibvirtError(
          code: .notInstalled, operation: "dlsym",
          message: "libvirt is too old: \(name) has no \(symbol)")
      }
      return unsafeBitCast(address, to: type)
    }
    connectOpen = try find("virConnectOpen", as: type(of: connectOpen))
    connectOpenReadOnly = try find("virConnectOpenReadOnly", as: type(of: connectOpenReadOnly))
    connectClose = try find("virConnectClose", as: type(of: connectClose))
    connectListAllDomains = try find("virConnectListAllDomains", as: type(of: connectListAllDomains))
    nodeGetCPUMap = try find("virNodeGetCPUMap", as: type(of: nodeGetCPUMap))
    domainLookupByName = try find("virDomainLookupByName", as: type(of: domainLookupByName))
    domainDefineXML = try find("virDomainDefineXML", as: type(of: domainDefineXML))
    domainFree = try find("virDomainFree", as: type(of: domainFree))
    domainGetName = try find("virDomainGetName", as: type(of: domainGetName))
    domainGetUUIDString = try find("virDomainGetUUIDString", as: type(of: domainGetUUIDString))
    domainGetState = try find("virDomainGetState", as: type(of: domainGetState))
    domainIsActive = try find("virDomainIsActive", as: type(of: domainIsActive))
    domainGetXMLDesc = try find("virDomainGetXMLDesc", as: type(of: domainGetXMLDesc))
    domainGetJobStats = try find("virDomainGetJobStats", as: type(of: domainGetJobStats))
    typedParamsFree = try find("virTypedParamsFree", as: type(of: typedParamsFree))
    domainGetBlockJobInfo = try find("virDomainGetBlockJobInfo", as: type(of: domainGetBlockJobInfo))
    domainGetVcpusFlags = try find("virDomainGetVcpusFlags", as: type(of: domainGetVcpusFlags))
    domainGetVcpuPinInfo = try find("virDomainGetVcpuPinInfo", as: type(of: domainGetVcpuPinInfo))
    domainPinVcpuFlags = try find("virDomainPinVcpuFlags", as: type(of: domainPinVcpuFlags))
    domainGetEmulatorPinInfo = try find("virDomainGetEmulatorPinInfo", as: type(of: domainGetEmulatorPinInfo))
    domainPinEmulator = try find("virDomainPinEmulator", as: type(of: domainPinEmulator))
    domainSetMemoryFlags = try find("virDomainSetMemoryFlags", as: type(of: domainSetMemoryFlags))
    getLastError = try find("virGetLastError", as: type(of: getLastError))
    resetLastError = try find("virResetLastError", as: type(of: resetLastError))
    // libvirt prints every error to stderr unless a handler is set; this layer returns them.
    let setErrorFunc = try find(
      "virSetErrorFunc", as: (@convention(c) (UnsafeMutableRawPointer?, ErrorFunc?) -> Void).self)
    setErrorFunc(nil, { _, _ in })
  }

  /// The calling thread's last libvirt error as a ``LibvirtError`` for `operation`, then reset.
  /// Call it right after the failed call: every libvirt function (even `virDomainGetName`)
  /// resets the record when it starts, so `subject` must not call libvirt.
  func lastError(_ operation: String, subject: String?) -> LibvirtError {
    defer { resetLastError() }
    guard let record = getLastError() else {
      return LibvirtError(
        code: .unknown(0), operation: operation, subject: subject, message: "failed without a message")
    }
    let code = record.load(fromByteOffset: LibvirtABI.ErrorLayout.code, as: Int32.self)
    let domain = record.load(fromByteOffset: LibvirtABI.ErrorLayout.domain, as: Int32.self)
    let text = record.load(fromByteOffset: LibvirtABI.ErrorLayout.message, as: UnsafePointer<CChar>?.self)
    return LibvirtError(
      code: .init(number: code), operation: operation, subject: subject,
      message: text.map { String(cString: $0) } ?? "failed without a message", errorDomain: domain)
  }
}
