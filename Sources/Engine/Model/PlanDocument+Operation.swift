import Editors

/// ``Operation``, by a name the plan document's own `Operation` does not hide.
typealias PlannedOperation = Operation

extension PlanDocument {
  /// One ``Engine/Operation`` as the plan file saves it: a `kind` and the fields that kind
  /// has (the others absent). File contents are kept as digests.
  public struct Operation: Codable, Equatable, Sendable {
    /// What the operation does.
    public enum Kind: String, Codable, Sendable {
      case writeFile = "write_file"
      case setLinks = "set_links"
      case enableInstalled = "enable_installed"
      case regenerateBootLoader = "regenerate_boot_loader"
      case runAfterFiles = "run_after_files"
      case runAfterLinks = "run_after_links"
      case startService = "start_service"
      case stopService = "stop_service"
      case restartService = "restart_service"
      case writeLive = "write_live"
      case defineDomain = "define_domain"
      case pinVcpuLive = "pin_vcpu_live"
      case pinEmulatorLive = "pin_emulator_live"
      case setMemoryLive = "set_memory_live"
    }

    /// One enablement link.
    public struct Link: Codable, Equatable, Sendable {
      /// `create` or `remove`.
      public var kind: String
      /// The link's path from the root.
      public var path: String
      /// What it points to (for a removal, what it points to now).
      public var target: String
    }

    /// What the operation does.
    public var kind: Kind
    /// `write_file`, `write_live`: the file, from the root.
    public var path: String?
    /// `write_file`: `create`, `update` or `delete`.
    public var action: Action?
    /// `define_domain`, `pin_vcpu_live`, `pin_emulator_live`, `set_memory_live`: the domain.
    public var domain: String?
    /// `define_domain` (when apply defines it), the live kinds: libvirt's URI.
    public var uri: String?
    /// `pin_vcpu_live`: the vCPU.
    public var vcpu: Int?
    /// `pin_vcpu_live`, `pin_emulator_live`, `set_memory_live`: the running guest's value now
    /// (a CPU list, KiB).
    public var before: String?
    /// `write_file`, `define_domain`: the digest of the current bytes (`define_domain`: its XML).
    public var beforeDigest: Digest?
    /// `write_file`, `define_domain`: the digest of the bytes to write (`define_domain`: its new XML).
    public var afterDigest: Digest?
    /// `write_file`: the permission bits of a created file, in octal (`0644`).
    public var mode: String?
    /// `write_file`: the live host's program that writes the file (`instead_of_write`) or
    /// runs after it (`after_write`); `run_after_files`, `run_after_links`: the program.
    public var command: [String]?
    /// `write_file` with a command: `instead_of_write` or `after_write`.
    public var commandRole: String?
    /// `set_links`, `enable_installed`, `start_service`, `stop_service`, `restart_service`: the service.
    public var service: String?
    /// `set_links`: whether the links enable the service or disable it.
    public var enabled: Bool?
    /// `set_links`: the links.
    public var links: [Link]?
    /// `write_live`: the value; `pin_vcpu_live`, `pin_emulator_live`: the CPU list;
    /// `set_memory_live`: KiB.
    public var value: String?
    /// `write_live`: why the write is there.
    public var purpose: String?

    init(_ kind: Kind) { self.kind = kind }

    /// The saved form of `operation`.
    init(_ operation: PlannedOperation) {
      switch operation {
      case .writeFile(let file):
        self.init(.writeFile)
        path = file.path
        action = file.action
        beforeDigest = file.beforeDigest
        afterDigest = file.afterDigest
        mode = "0" + String(file.mode, radix: 8)
        command = file.command?.arguments
        commandRole = file.command.map { $0.role == HostCommand.Role.afterWrite ? "after_write" : "instead_of_write" }
      case .setLinks(let name, let isEnabled, let changes):
        self.init(.setLinks)
        service = name
        enabled = isEnabled
        links = changes.map { Link(kind: $0.kind.rawValue, path: $0.path, target: $0.target) }
      case .enableInstalled(let name):
        self.init(.enableInstalled)
        service = name
      case PlannedOperation.regenerateBootLoader:
        self.init(Kind.regenerateBootLoader)
      case .runAfterFiles(let program):
        self.init(.runAfterFiles)
        command = program.arguments
      case .runAfterLinks(let program):
        self.init(.runAfterLinks)
        command = program.arguments
      case .startService(let name):
        self.init(.startService)
        service = name
      case .stopService(let name):
        self.init(.stopService)
        service = name
      case .restartService(let name):
        self.init(.restartService)
        service = name
      case .writeLive(let write):
        self.init(.writeLive)
        path = write.path
        value = write.value
        purpose = write.purpose
      case .defineDomain(let change):
        self.init(.defineDomain)
        domain = change.name
        path = change.xml.path
        beforeDigest = change.xml.beforeDigest
        afterDigest = change.xml.afterDigest
        if case .libvirt(let target) = change.target { uri = target }
      case .changeRunningDomain(let change):
        switch change.setting {
        case .vcpuPin(let number):
          self.init(.pinVcpuLive)
          vcpu = number
        case .emulatorPin: self.init(.pinEmulatorLive)
        case .balloon: self.init(.setMemoryLive)
        }
        domain = change.domain
        uri = change.uri
        before = change.before
        value = change.after
      }
    }
  }
}
