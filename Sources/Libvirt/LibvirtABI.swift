/// The few parts of libvirt's C interface this layer uses, declared in Swift so that building
/// virthost needs no libvirt headers and its binary does not link libvirt (the library is
/// opened at run time, ``LibvirtLibrary``).
///
/// Every constant, struct size and field offset here is listed in ``checks`` with the C
/// expression it mirrors; `LibvirtABITests` compiles those expressions against
/// `/usr/include/libvirt` (Debian's `libvirt-dev`) and compares, so a declaration cannot drift.
/// Not for use outside the `Libvirt` target.
enum LibvirtABI {
  // MARK: Flags

  /// `VIR_CONNECT_LIST_DOMAINS_ACTIVE`.
  static let listDomainsActive: UInt32 = 1
  /// `VIR_CONNECT_LIST_DOMAINS_INACTIVE`.
  static let listDomainsInactive: UInt32 = 2
  /// `VIR_DOMAIN_XML_INACTIVE`.
  static let xmlInactive: UInt32 = 2
  /// `VIR_DOMAIN_AFFECT_LIVE`.
  static let affectLive: UInt32 = 1
  /// `VIR_DOMAIN_AFFECT_CONFIG`.
  static let affectConfig: UInt32 = 2
  /// `VIR_DOMAIN_VCPU_MAXIMUM`.
  static let vcpuMaximum: UInt32 = 4
  /// `VIR_UUID_STRING_BUFLEN`.
  static let uuidStringLength = 37
  /// `VIR_TYPED_PARAM_INT`.
  static let typedParamInt: Int32 = 1
  /// `VIR_TYPED_PARAM_ULLONG`.
  static let typedParamULLong: Int32 = 4
  /// `VIR_DOMAIN_JOB_OPERATION`: the typed parameter naming a job's operation.
  static let jobOperationField = "operation"
  /// `VIR_DOMAIN_JOB_TIME_ELAPSED`: the typed parameter with a job's running time in ms.
  static let jobTimeElapsedField = "time_elapsed"

  // MARK: Struct layouts

  /// `virDomainBlockJobInfo`.
  struct BlockJobInfo {
    var type: Int32 = 0
    var bandwidth: UInt = 0
    var cur: UInt64 = 0
    var end: UInt64 = 0
  }

  /// `virError`'s fields this layer reads, by offset (the struct is libvirt's, never copied).
  enum ErrorLayout {
    static let code = 0
    static let domain = 4
    static let message = 8
  }

  /// `virTypedParameter`: `char field[80]`, `int type`, then an 8-byte union `value`.
  enum TypedParameterLayout {
    static let size = 96
    static let fieldLength = 80
    static let type = 80
    static let value = 88
  }

  /// Each declaration above with the C expression it mirrors, for `LibvirtABI.checks`.
  private static let declarations: [(expression: String, value: Int)] = [
    ("VIR_CONNECT_LIST_DOMAINS_ACTIVE", Int(listDomainsActive)),
    ("VIR_CONNECT_LIST_DOMAINS_INACTIVE", Int(listDomainsInactive)),
    ("VIR_DOMAIN_XML_INACTIVE", Int(xmlInactive)),
    ("VIR_DOMAIN_AFFECT_LIVE", Int(affectLive)),
    ("VIR_DOMAIN_AFFECT_CONFIG", Int(affectConfig)),
    ("VIR_DOMAIN_VCPU_MAXIMUM", Int(vcpuMaximum)),
    ("VIR_UUID_STRING_BUFLEN", uuidStringLength),
    ("VIR_TYPED_PARAM_INT", Int(typedParamInt)),
    ("VIR_TYPED_PARAM_ULLONG", Int(typedParamULLong)),
    ("offsetof(virError, code)", ErrorLayout.code),
    ("offsetof(virError, domain)", ErrorLayout.domain),
    ("offsetof(virError, message)", ErrorLayout.message),
    ("sizeof(virTypedParameter)", TypedParameterLayout.size),
    ("VIR_TYPED_PARAM_FIELD_LENGTH", TypedParameterLayout.fieldLength),
    ("offsetof(virTypedParameter, type)", TypedParameterLayout.type),
    ("offsetof(virTypedParameter, value)", TypedParameterLayout.value),
  ]

  /// `virDomainBlockJobInfo`'s size and field offsets.
  private static let blockJobInfoLayout: [(expression: String, value: Int)] = {
    let layout = MemoryLayout<BlockJobInfo>.self
    return [
      ("sizeof(virDomainBlockJobInfo)", layout.size),
      ("offsetof(virDomainBlockJobInfo, type)", layout.offset(of: \BlockJobInfo.type) ?? -1),
      ("offsetof(virDomainBlockJobInfo, bandwidth)", layout.offset(of: \BlockJobInfo.bandwidth) ?? -1),
      ("offsetof(virDomainBlockJobInfo, cur)", layout.offset(of: \BlockJobInfo.cur) ?? -1),
      ("offsetof(virDomainBlockJobInfo, end)", layout.offset(of: \BlockJobInfo.end) ?? -1),
    ]
  }()

  /// The enumerations' numbers with their C names.
  private static let enumerations: [(expression: String, value: Int)] = {
    var checks: [(expression: String, value: Int)] = []
    for state in LibvirtDomain.State.allKnown { checks.append(("VIR_DOMAIN_\(state.cName)", Int(state.code))) }
    for operation in LibvirtJob.Operation.allKnown {
      checks.append(("VIR_DOMAIN_JOB_OPERATION_\(operation.cName)", Int(operation.code)))
    }
    for progress in LibvirtJob.Progress.allKnown {
      checks.append(("VIR_DOMAIN_JOB_\(progress.cName)", Int(progress.code)))
    }
    for kind in LibvirtBlockJob.Kind.allKnown {
      checks.append(("VIR_DOMAIN_BLOCK_JOB_TYPE_\(kind.cName)", Int(kind.code)))
    }
    for code in LibvirtError.Code.allKnown { checks.append(("VIR_ERR_\(code.cName)", Int(code.number))) }
    return checks
  }()

  /// Every number this layer declares with the C expression it mirrors, for `LibvirtABITests`.
  static let checks: [(expression: String, value: Int)] = declarations + blockJobInfoLayout + enumerations

  /// The string constants with the C macro each mirrors.
  static let stringChecks: [(expression: String, value: String)] = [
    ("VIR_DOMAIN_JOB_OPERATION", jobOperationField),
    ("VIR_DOMAIN_JOB_TIME_ELAPSED", jobTimeElapsedField),
  ]
}
