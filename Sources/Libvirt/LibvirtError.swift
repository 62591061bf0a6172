/// An error from libvirt, or from loading it, with what a user needs to act on it.
///
/// Every throwing operation of ``LibvirtConnection`` and ``LibvirtDomain`` throws it, filled in
/// from `virGetLastError` of the call that failed.
public struct LibvirtError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong: a Swift name for each libvirt error number this layer tells apart.
  public enum Code: Sendable, Equatable {
    /// libvirt's C library (`libvirt.so.0`) could not be loaded, or lacks a function.
    case notInstalled
    /// `VIR_ERR_NO_SUPPORT`: the driver does not implement the call.
    case noSupport
    /// `VIR_ERR_NO_CONNECT`: no connection to the hypervisor (the daemon is not reachable).
    case noConnect
    /// `VIR_ERR_INVALID_ARG`: an argument the driver refuses, for example flags.
    case invalidArgument
    /// `VIR_ERR_OPERATION_FAILED`.
    case operationFailed
    /// `VIR_ERR_OPERATION_DENIED`: refused on a read-only connection.
    case operationDenied
    /// `VIR_ERR_SYSTEM_ERROR`: a system call failed, for example connecting to the daemon's socket.
    case systemError
    /// `VIR_ERR_XML_ERROR`: a domain XML libvirt does not accept.
    case xmlError
    /// `VIR_ERR_XML_DETAIL`: XML that is not well formed, with the line and column.
    case xmlDetail
    /// `VIR_ERR_NO_NAME`: a domain XML without a name.
    case noName
    /// `VIR_ERR_NO_DOMAIN`: no such domain.
    case noDomain
    /// `VIR_ERR_OPERATION_INVALID`: not possible in the domain's state (for example a live
    /// change of a shut-off domain).
    case operationInvalid
    /// `VIR_ERR_OPERATION_UNSUPPORTED`.
    case operationUnsupported
    /// Another libvirt error number (`virErrorNumber`).
    case unknown(Int32)

    /// The codes with a libvirt number, for the ABI check.
    static let allKnown: [Code] = [
      .noSupport, .noConnect, .invalidArgument, .operationFailed, .operationDenied, .systemError, .xmlError, .xmlDetail,
      .noName, .noDomain, .operationInvalid,
      .operationUnsupported,
    ]

    init(number: Int32) {
      self = Self.allKnown.first { $0.number == number } ?? .unknown(number)
    }

    /// libvirt's number (`virErrorNumber`); -1 for ``notInstalled``, which is this layer's own.
    public var number: Int32 {
      switch self {
      case .notInstalled: -1
      case .noSupport: 3
      case .noConnect: 5
      case .invalidArgument: 8
      case .operationFailed: 9
      case .operationDenied: 29
      case .systemError: 38
      case .xmlError: 27
      case .xmlDetail: 35
      case .noName: 21
      case .noDomain: 42
      case .operationInvalid: 55
      case .operationUnsupported: 84
      case .unknown(let number): number
      }
    }

    /// The C name after `VIR_ERR_`.
    var cName: String {
      switch self {
      case .notInstalled: "NOT_INSTALLED"
      case .noSupport: "NO_SUPPORT"
      case .noConnect: "NO_CONNECT"
      case .invalidArgument: "INVALID_ARG"
      case .operationFailed: "OPERATION_FAILED"
      case .operationDenied: "OPERATION_DENIED"
      case .systemError: "SYSTEM_ERROR"
      case .xmlError: "XML_ERROR"
      case .xmlDetail: "XML_DETAIL"
      case .noName: "NO_NAME"
      case .noDomain: "NO_DOMAIN"
      case .operationInvalid: "OPERATION_INVALID"
      case .operationUnsupported: "OPERATION_UNSUPPORTED"
      case .unknown(let number): "\(number)"
      }
    }
  }

  /// The error kind.
  public var code: Code
  /// The libvirt function that failed, for example `virDomainPinVcpuFlags`.
  public var operation: String
  /// What it was called on: a URI, a domain's name, a disk.
  public var subject: String?
  /// libvirt's message (which already names the error's kind), or the loader's.
  public var message: String
  /// libvirt's `virErrorDomain`: which part of libvirt raised it; 0 when not from libvirt.
  public var errorDomain: Int32

  /// Creates an error; the layer fills these in.
  public init(code: Code, operation: String, subject: String? = nil, message: String, errorDomain: Int32 = 0) {
    self.code = code
    self.operation = operation
    self.subject = subject
    self.message = message
    self.errorDomain = errorDomain
  }

  /// One sentence: the call, what it was on, and libvirt's message.
  public var description: String {
    if code == .notInstalled { return message }
    var text = operation
    if let subject { text += " '\(subject)'" }
    return text + " failed: " + message
  }
}
