extension Diagnostic {
  /// What a diagnostic is about, for programs: tests, the Ansible module and scripts
  /// reading the plan file match on it, never on the words of ``Diagnostic/summary``.
  ///
  /// The raw value is the stable string form in the plan file (`reboot-required`); a
  /// code is never renamed, only added.
  public enum Code: String, Sendable, Codable, CaseIterable {
    /// The desired-state file is not valid YAML.
    case invalidYAML = "invalid-yaml"
    /// The desired-state file holds nothing.
    case emptySpec = "empty-spec"
    /// A key or value of the desired state is wrong (unknown, misspelt, of the wrong type or out of range).
    case invalidSpec = "invalid-spec"
    /// The desired state parsed when the plan was shown, but no longer does.
    case specNoLongerParses = "spec-no-longer-parses"
    /// A host file could not be read, parsed or planned (its own position given).
    case hostFile = "host-file"
    /// `/proc/cpuinfo` has no flags line: hardware virtualization cannot be told.
    case virtualizationUnknown = "virtualization-unknown"
    /// The CPU has no `svm` or `vmx` flag.
    case noHardwareVirtualization = "no-hardware-virtualization"
    /// The kernel is built without KVM.
    case kernelWithoutKVM = "kernel-without-kvm"
    /// `ksm.enabled: true` on a kernel built without KSM.
    case kernelWithoutKSM = "kernel-without-ksm"
    /// The kernel is built without the IOMMU driver the argument turns on.
    case kernelWithoutIOMMU = "kernel-without-iommu"
    /// `iommu` is managed on a CPU whose vendor is unknown.
    case unknownCPUVendor = "unknown-cpu-vendor"
    /// `kernel.args.absent` removes an argument another key adds.
    case conflictingKernelArgument = "conflicting-kernel-argument"
    /// `ksm.merge_across_nodes` on a host with one NUMA node.
    case mergeAcrossNodesSkipped = "merge-across-nodes-skipped"
    /// The running kernel's arguments differ from those configured: the next boot applies them.
    case rebootRequired = "reboot-required"
    /// A live value's file does not exist on this kernel.
    case missingLiveValue = "missing-live-value"
    /// `ksm.tuner: bundled`, and no `virthost-ksmtuned` program was found.
    case missingBundledTuner = "missing-bundled-tuner"
    /// A service named in the desired state does not exist on the host.
    case unknownService = "unknown-service"
    /// A service to enable is masked.
    case maskedService = "masked-service"
    /// Whether a service runs cannot be told; its running state is left alone.
    case serviceStateUnknown = "service-state-unknown"
    /// A diagnostic read from a plan file of format 1, which kept no codes.
    case unrecorded
    /// Which tool's semantics (systemctl, update-rc.d, chkconfig) services follow on this root, and why.
    case serviceSemantics = "service-semantics"
    /// Two keys want opposite states for one unit (directly, or through `Also=`).
    case conflictingServices = "conflicting-services"
    /// An `Also=` unit is not installed: skipped, as systemctl does.
    case alsoUnitMissing = "also-unit-missing"
    /// The service manager cannot be asked here (systemd installed but not running): running state left alone.
    case noServiceManager = "no-service-manager"
    /// `--root` does not exist or is not a directory: nothing was read.
    case missingRoot = "missing-root"
    /// An edit takes off a value of a requested key that the desired state did not name
    /// (`amd_iommu=off` when `amd_iommu=on` is asked): one diagnostic per value removed.
    case removedKernelArgumentValue = "removed-kernel-argument-value"
    /// A kernel argument that is the hypervisor's business is asked for a Xen dom0 (`amd_iommu=`,
    /// `intel_iommu=`: the IOMMU belongs to Xen, `iommu=` on the `xen.gz` line).
    case xenDom0Argument = "xen-dom0-argument"
    /// The next boot starts a unified kernel image: its command line is built into the
    /// (signed) image, and no boot-loader file virthost edits reaches it.
    case unifiedKernelImage = "unified-kernel-image"
    /// An image-mode host (bootc, ostree): its deployments' entries are never edited in
    /// place, and an argument of the image's `kargs.d` is the image's to change.
    case imageModeHost = "image-mode-host"
    /// A deployment is staged for an ostree host's next boot (`/run/ostree/staged-deployment`):
    /// its arguments are not in an entry yet, so whether it carries the requested ones is unknown.
    case stagedDeploymentUnread = "staged-deployment-unread"
    /// tuned owns part of the kernel command line (`$tuned_params`, `/etc/tuned/bootcmdline`):
    /// a requested argument it already sets, or one both set differently.
    case tunedOwnsArgument = "tuned-owns-argument"
    /// The active tuned profile contradicts the desired state (it disables KSM while
    /// `ksm.enabled: true`).
    case tunedConflict = "tuned-conflict"
    /// Today's boot entries and the source the next kernel's entries are made from
    /// (`# kopt=`, `/etc/kernel/cmdline`, grubenv `kernelopts`) disagree on a managed argument.
    case kernelArgumentCoverage = "kernel-argument-coverage"
    /// A generated configuration that boots cannot be read (a Proxmox ESP's grub.cfg, not
    /// mounted under the root): whether it waits for a regeneration is not known.
    case regenerationUnknown = "regeneration-unknown"
    /// Where virthost writes a kernel command line differs from the file that sets it
    /// (a distribution's drop-in decides; virthost writes a drop-in read after it).
    case commandLineSource = "command-line-source"
    /// A `hugepages:` request the host cannot hold: a size the CPU lacks, a node that does not
    /// exist or would keep less than its reserve, per-node counts at boot on a kernel before 5.16.
    case hugePagesRefused = "huge-pages-refused"
    /// 1 GiB pages reserved at runtime, which fragmented memory often cannot give.
    case hugePagesAtRuntime = "huge-pages-at-runtime"
    /// A `cpu.isolated` list the host cannot take: an offline CPU, or every online CPU.
    case cpuIsolationRefused = "cpu-isolation-refused"
    /// An isolated CPU whose SMT sibling is not isolated: the core is shared with the host's work.
    case smtSiblingNotIsolated = "smt-sibling-not-isolated"
    /// Something that moves pinned guests' memory between nodes is on beside `cpu.isolated`
    /// (`kernel.numa_balancing`, KSM merging across nodes).
    case pinnedMemoryMoves = "pinned-memory-moves"
    /// A `passthrough.devices` entry that cannot be handed to a guest: no such device, a foreign
    /// member in its IOMMU group, a device the host boots from, or no PCI facts to check it on.
    case passthroughDevice = "passthrough-device"
    /// Another modprobe.d file or the kernel command line decides a module option or blacklist
    /// that virthost writes (it is read later, or wins as the command line does).
    case moduleConfigConflict = "module-config-conflict"
    /// A KVM module option differs from the running module's: when it takes effect (reload or reboot).
    case moduleReload = "module-reload"
    /// What the initramfs needs for passthrough on this host (its tool, or none found).
    case initramfs = "initramfs"
    /// A boot entry whose kernel command line, once edited, is longer than the architecture's
    /// `COMMAND_LINE_SIZE`: the boot loader or the kernel would cut it.
    case commandLineTooLong = "command-line-too-long"
    /// The host booted with the configuration in force, and what the running kernel shows
    /// differs from it (a node short of its huge pages, a module option the loaded module
    /// does not have): `check` says drifted, naming expected, actual and where it was read.
    case effectDiffers = "effect-differs"
    /// The next boot's kernel predates a flag of `isolcpus=` (`managed_irq`: Linux 5.6, RHEL
    /// 8.2's 4.18.0-193; `domain`: 4.15), which is left out; the warning names the kernel.
    case isolcpusFlagUnsupported = "isolcpus-flag-unsupported"
    /// Another file of systemd's manager configuration (system.conf, tuned's drop-in) asks
    /// for a `CPUAffinity=` other than `cpu.isolated`'s housekeeping CPUs: systemd would merge
    /// both masks, so the plan refuses, naming both files.
    case cpuAffinityConflict = "cpu-affinity-conflict"
    /// Interrupts delivered to isolated CPUs because their own affinity names only isolated
    /// CPUs (a managed queue's spread, or one pinned by hand): counted apart, not drift.
    case interruptsConfined = "interrupts-confined"
    /// A module `modules.load` lists is built into the next kernel: it is in effect without
    /// loading, and the modules-load.d file leaves it out.
    case moduleBuiltIn = "module-built-in"
    /// A module `modules.load` lists is not loaded in the running kernel, and this root's
    /// kernel cannot be asked to load it (not the live `/`): it loads at the next boot.
    case moduleNotLoaded = "module-not-loaded"
    /// A Debian SysV service whose links change, or whose links insserv's `.depend.*` files
    /// do not list yet, on a root that is not the live `/`: `insserv NAME` (what update-rc.d
    /// runs) is left to the host; sysv-rc boots from the old order until it runs.
    case pendingInsserv = "pending-insserv"
    /// `libvirt.daemons` asks for a mode whose units are not installed (each missing unit named),
    /// or `auto` finds neither mode.
    case libvirtDaemonsMissing = "libvirt-daemons-missing"
    /// `guests:` cannot be placed as written: an unknown domain, too few isolated CPUs on a
    /// node, a pool too small for its guests, a CPU claimed twice, a domain another manager owns.
    case guestPlacementRefused = "guest-placement-refused"
    /// A domain's definition that `guests:` changes is not defined by this apply: on a root that
    /// is not `/` it is defined on the host, through libvirt.
    case domainDefinitionPending = "domain-definition-pending"
    /// A running guest whose definition has (or is given) placement libvirt cannot change in a
    /// running guest (huge page backing, the CPU mode, the memory node, memtune): it keeps what it
    /// started with until it starts again. Names the guest and the elements.
    case guestRestartPending = "guest-restart-pending"
    /// The QEMU driver's daemon is not restarted after this plan's files because a running guest
    /// has a job a restart would interrupt (each named), or the daemon could not be asked.
    case daemonRestartHeld = "daemon-restart-held"
    /// The QEMU driver's daemon started before the last change of a file it reads only when it
    /// starts (qemu.conf, a hugetlbfs mount unit): a restart is still owed.
    case daemonRestartOwed = "daemon-restart-owed"
    /// Running QEMU guests started before that change: they keep the settings they started with.
    case guestsOnOldSettings = "guests-on-old-settings"
  }
}
