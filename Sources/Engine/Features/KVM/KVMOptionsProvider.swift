import Editors
import HostConfig
import HostFacts
import HostProcesses
import RootFS

/// `kvm:`: the KVM modules' options (`nested` for the CPU vendor's module, others for `kvm`,
/// `kvm_intel`, `kvm_amd`) as `options` lines in `/etc/modprobe.d/virthost-kvm.conf`. The plan
/// shows each option's live value beside the configured one, and a note says when the new value
/// takes effect: a reload of the module when no QEMU guest runs (KVM or TCG), else the next boot (virthost never
/// unloads a module itself, and never while guests run).
struct KVMOptionsProvider: ResourceProvider {
  var kvm: HostSpec.KVM

  var origin: String { "kvm" }

  static let file = "/etc/modprobe.d/virthost-kvm.conf"
  static let header = "KVM module options, written by virthost."

  /// The other files that set `module`'s `parameter` and are read before virthost's (whose
  /// value then wins over theirs), each with the value it gives.
  static func earlierOwners(of module: String, _ parameter: String, _ configuration: ModprobeConfiguration)
    -> [(file: String, value: String)]
  {
    let entries = configuration.options(of: module)
    guard let mine = entries.firstIndex(where: { $0.file == file }) else { return [] }
    return entries[..<mine].compactMap { entry in
      entry.values.last { $0.name == parameter }.map { (entry.file, $0.value) }
    }
  }

  /// ` (tuned's realtime-virtual-host profile)` for tuned's file, `""` for another.
  static func tunedOwner(_ path: String) -> String {
    path.hasSuffix("/kvm.rt.tuned.conf") ? " (tuned's realtime-virtual-host profile)" : ""
  }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let vendorModule: String? =
      switch context.profile.vendor {
      case .intel: "kvm_intel"
      case .amd: "kvm_amd"
      case .unknown: nil
      }
    var wanted: [(module: String, name: String, value: String, key: String)] = []
    for module in ModuleOptionRules.kvmModules {
      guard let settings = kvm.options[module] else { continue }
      if module != "kvm", module != vendorModule {
        context.report(
          Diagnostic(
            .error, .moduleConfigConflict,
            "\(module) is the module of \(module == "kvm_amd" ? "AMD" : "Intel") CPUs; this CPU's is "
              + (vendorModule ?? "unknown"),
            keyPath: "kvm.options.\(module)"))
        continue
      }
      wanted += settings.map { (module, $0.name, $0.value, "kvm.options.\(module).\($0.name)") }
    }
    if let nested = kvm.nested {
      guard let vendorModule else {
        context.report(
          Diagnostic(
            .error, .moduleConfigConflict, "kvm.nested needs an AMD or Intel CPU, and this CPU's vendor is unknown",
            keyPath: "kvm.nested"))
        return []
      }
      wanted.insert((vendorModule, "nested", nested ? "1" : "0", "kvm.nested"), at: 0)
    }
    let modules = ModuleOptionRules.kvmModules.filter { module in wanted.contains { $0.module == module } }
    let lines = modules.map { module in
      ModprobeLine.options(
        module: module, parameters: wanted.filter { $0.module == module }.map { ($0.name, $0.value) })
    }
    let editor = try ModprobeEditor(root: context.host)
    let current = try editor.configuration()
    try editor.set(Self.file, header: Self.header, lines: lines)
    let planned = try editor.configuration()
    let live = KVMModuleFacts(context.host)
    let commandLine = CommandLineModules(
      (context.profile.runningCommandLine ?? "").split(separator: " ").map(String.init))
    for option in wanted {
      let name = "\(option.module).\(option.name)"
      if let winner = planned.value(option.module, option.name), winner.file != Self.file {
        context.report(
          Diagnostic(
            .error, .moduleConfigConflict,
            "\(winner.file) sets \(name)=\(winner.value) and is read after \(Self.file): its value wins",
            keyPath: option.key))
      }
      for owner in Self.earlierOwners(of: option.module, option.name, planned)
      where !Self.same(owner.value, option.value) {
        context.report(
          Diagnostic(
            .warning, .moduleConfigConflict,
            "\(owner.file) sets \(name)=\(owner.value)\(Self.tunedOwner(owner.file)); \(Self.file) is read after it, and its "
              + "\(option.value) wins",
            detail: "Two owners of one option: the next apply of the other one may write it again. Make them agree.",
            keyPath: option.key))
      }
      if let value = commandLine.value(option.module, option.name), !Self.same(value, option.value) {
        context.report(
          Diagnostic(
            .warning, .moduleConfigConflict,
            "the kernel command line has \(name)=\(value), which wins over \(Self.file)'s \(option.value)",
            detail: "Remove it from the boot loader's command line (kernel.args.absent) for the file to count.",
            keyPath: option.key))
      }
      _ = context.readLive("/sys/module/\(option.module)/parameters/\(option.name)")
      if let now = live.live(option.module, option.name), !Self.same(now, option.value) {
        let configured = current.value(option.module, option.name).map { Self.same($0.value, option.value) } ?? false
        context.report(
          reload(option.module, name: name, now: now, wanted: option.value, configured: configured, context))
      }
    }
    _ = context.readFile(Self.file)
    let before = wanted.map { option in
      let configured = current.value(option.module, option.name)?.value ?? "unset"
      let now = live.live(option.module, option.name) ?? "not loaded"
      return "\(option.module).\(option.name)=\(configured) (live \(now))"
    }.joined(separator: " ")
    let after = wanted.map { "\($0.module).\($0.name)=\($0.value)" }.joined(separator: " ")
    let operations = try editor.pendingChanges().map { FileOperation($0) }
    var change = ResourceChange(
      ResourceAddress(.file, Self.file), actions: operations.map(\.action), before: before, after: after,
      reason: operations.isEmpty ? "the KVM module options are configured already" : "kvm sets \(after) at module load",
      origin: origin)
    change.operations = operations.map(Operation.writeFile)
    return [change]
  }

  /// When a changed option takes effect: a reload with no QEMU guest running, else the next
  /// boot. When the file has held the value since before the host booted (`configured`, its
  /// time before `/proc/stat`'s `btime`), the module was loaded with the file in place and
  /// still differs: the effect differs (an initramfs that loads the module from its own
  /// copy of modprobe.d, say).
  private func reload(
    _ module: String, name: String, now: String, wanted: String, configured: Bool, _ context: PlanContext
  ) -> Diagnostic {
    let summary = "\(name) is \(now) in the running module and \(wanted) in the file"
    if configured, let booted = BootTime.read(context.host),
      let written = context.host.status(Self.file)?.modified, written / 1_000_000_000 < booted
    {
      return Diagnostic(
        .warning, .effectDiffers,
        "\(name) is \(now) in the running module (/sys/module/\(module)/parameters), though \(Self.file) has "
          + "\(wanted) since before the host booted",
        detail: "Something loaded \(module) without the file: an initramfs with its own modprobe.d (rebuild it), "
          + "or a command line or another file that wins.", keyPath: "kvm")
    }
    guard context.isLive else {
      return Diagnostic(
        .note, .moduleReload, "\(summary): it takes effect when the host loads \(module) (at its next boot)",
        keyPath: "kvm")
    }
    let guests = QEMUProcesses.count(root: context.host)
    if guests == 0 {
      return Diagnostic(
        .note, .moduleReload, "\(summary): no QEMU guest runs, so a reload applies it now",
        detail: "Run `modprobe -r \(module) && modprobe \(module)`, or reboot; virthost does not unload modules.",
        keyPath: "kvm")
    }
    return Diagnostic(
      .note, .moduleReload,
      "\(summary): \(guests) QEMU guest\(guests == 1 ? "" : "s") run, so it takes effect at the next reboot",
      detail: "A module cannot be unloaded under running guests; stop them, or reboot.", keyPath: "kvm")
  }

  /// Whether two spellings of a module parameter mean the same (`Y`, `1`; `N`, `0`).
  static func same(_ a: String, _ b: String) -> Bool {
    let truth = { (text: String) -> String in
      switch text.uppercased() {
      case "Y", "1", "YES", "TRUE", "ON": "1"
      case "N", "0", "NO", "FALSE", "OFF": "0"
      default: text
      }
    }
    return truth(a) == truth(b)
  }
}
