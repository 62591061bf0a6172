// swift-tools-version: 6.1
import PackageDescription

// Linux only (README): the code reads /proc and /sys, calls Linux's openat and O_PATH, and
// links libaugeas. SwiftPM has no way to say "Linux only", so no `platforms:` line claims
// another system.
let package = Package(
  name: "virthost",
  products: [
    .executable(name: "virthost", targets: ["virthost"]),
    .executable(name: "virthost-ksmtuned", targets: ["virthost-ksmtuned"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
  ],
  targets: [
    // The C library. Only the Augeas target imports it, never re-exported.
    .systemLibrary(
      name: "CAugeas",
      pkgConfig: "augeas",
      providers: [.apt(["libaugeas-dev"])]
    ),
    // The root layer: resolves, reads and (for the applier alone) writes host files under a root. Glibc only.
    .target(name: "RootFS", dependencies: ["CXattr"]),
    // The C library's extended-attribute calls, which the Glibc module lacks; only RootFS imports it.
    .systemLibrary(name: "CXattr"),
    // Safe Swift API over libaugeas; knows nothing of GRUB or KSM. Glibc only.
    .target(name: "Augeas", dependencies: ["CAugeas"]),
    // Safe Swift API over libvirt's C library, opened at run time with dlopen("libvirt.so.0"): the
    // binaries do not link libvirt. Declares the C signatures itself (no headers at build time). Glibc only.
    .target(name: "Libvirt", linkerSettings: [.linkedLibrary("dl")]),
    // Runs a program of the host: posix_spawn, output to a temporary file, a bounded wait. Glibc only.
    .target(name: "Spawn"),
    // Readers of host configuration (boot-loader entries, service enablement) that facts and editors share. Never writes.
    .target(name: "HostConfig", dependencies: ["Augeas", "RootFS", "Spawn"]),
    // One type per file format, on top of Augeas.
    .target(name: "Editors", dependencies: ["Augeas", "HostConfig", "RootFS", "KSMConfig"]),
    // Read-only readers of /proc, /sys, /boot under a root.
    .target(name: "HostFacts", dependencies: ["HostConfig", "RootFS", "HostProcesses"]),
    // Desired state → resources → plan → apply.
    .target(
      name: "Engine",
      dependencies: [
        "Augeas", "Editors", "HostConfig", "RootFS", "KSMConfig", "HostFacts", "DaemonFiles", "TemplateStore",
        "HostProcesses", "Spawn", "Libvirt",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    // The ksmtuned.conf keys, defaults, value rules and quoting, shared by the editor, the spec and the daemon. No Foundation.
    .target(name: "KSMConfig"),
    // The KSM tuning decision (pure) and its loop. Glibc only.
    // The one reader of running guests (QEMU processes under a root's /proc) and the raw reads
    // it and the daemon share; Foundation-free, below both Engine and KSMTuner.
    .target(name: "HostProcesses", dependencies: ["RootFS"]),
    .target(name: "KSMTuner", dependencies: ["Augeas", "RootFS", "KSMConfig", "HostProcesses"]),
    // The daemon's service files, rendered from Templates/; apart from KSMTuner so the daemon stays Foundation-free.
    .target(name: "DaemonFiles", dependencies: ["TemplateStore"]),
    // The files under Templates/, embedded at build time and rendered with Mustache.
    .target(
      name: "TemplateStore",
      dependencies: [.product(name: "Mustache", package: "swift-mustache")],
      plugins: ["EmbedTemplates"]
    ),
    .executableTarget(name: "embed-templates", path: "Sources/embed-templates"),
    .plugin(
      name: "EmbedTemplates",
      capability: .buildTool(),
      dependencies: ["embed-templates"]
    ),
    // swift-argument-parser commands and the renderers of plans and facts.
    .target(
      name: "Commands",
      dependencies: [
        "Engine", "HostFacts", "Editors", "HostConfig", "RootFS", "DaemonFiles", "HostProcesses",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The release binary's link, for its memory (BENCHMARKS.md): lld, with the code a plan runs
    // placed together (virthost.order, written by scripts/hot-functions), and no dynamic symbol
    // table of the executable's own 9,500 functions, which nothing looks up (the toolchain's
    // -export-dynamic; its static libraries are excluded already). Relative relocations are
    // not packed (`-z pack-relative-relocs` saves 1.8 MB more) because DT_RELR needs glibc
    // 2.36's loader: the packages run on glibc 2.35 (Ubuntu 22.04, Fedora 36) and RHEL 9's 2.34.
    .executableTarget(
      name: "virthost",
      dependencies: ["Commands"],
      exclude: ["virthost.order"],
      linkerSettings: [
        .unsafeFlags(
          [
            "-use-ld=lld",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/virthost/virthost.order",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-Xlinker", "--no-export-dynamic",
          ],
          .when(configuration: .release)
        )
      ]
    ),
    .executableTarget(name: "virthost-ksmtuned", dependencies: ["KSMTuner"]),

    .target(name: "TestSupport", dependencies: ["RootFS", "CXattr", "Spawn"], path: "Tests/TestSupport"),
    .testTarget(name: "RootFSTests", dependencies: ["RootFS", "TestSupport"]),
    .testTarget(name: "HostProcessesTests", dependencies: ["HostProcesses", "RootFS", "TestSupport"]),
    .testTarget(name: "HostConfigTests", dependencies: ["HostConfig"]),
    .testTarget(name: "KSMConfigTests", dependencies: ["KSMConfig", "TestSupport"]),
    .testTarget(name: "DaemonFilesTests", dependencies: ["DaemonFiles", "TestSupport"]),
    .testTarget(name: "AugeasTests", dependencies: ["Augeas", "TestSupport"]),
    .testTarget(name: "LibvirtTests", dependencies: ["Libvirt", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "EngineTests",
      dependencies: [
        "Engine", "Commands", "Editors", "HostConfig", "RootFS", "DaemonFiles", "HostProcesses", "Spawn", "TestSupport",
        "Libvirt",
      ],
      exclude: ["Fixtures"]),
    // Golden fixture roots are read from the repository with FixtureRoot (cp -a keeps their symlinks).
    .testTarget(
      name: "BootLoaderTests", dependencies: ["Editors", "HostConfig", "RootFS", "Augeas", "TestSupport"],
      exclude: ["Fixtures", "Oracles"]),
    .testTarget(name: "TemplateStoreTests", dependencies: ["TemplateStore", "TestSupport"]),
    .testTarget(name: "AnsibleTests", dependencies: ["Commands", "Engine", "TestSupport"]),
    // The commands and the renderers of plans and facts, in process and as the built `virthost`.
    .testTarget(name: "CommandsTests", dependencies: ["Commands", "Engine", "HostFacts", "RootFS", "TestSupport"]),
    .testTarget(
      name: "EditorsTests", dependencies: ["Editors", "HostConfig", "RootFS", "KSMConfig", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "HostFactsTests", dependencies: ["HostFacts", "Commands", "RootFS", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "KSMTunerTests",
      dependencies: ["KSMTuner", "KSMConfig", "RootFS", "DaemonFiles", "HostProcesses", "TestSupport"],
      exclude: ["Fixtures"]),
    // Bad input, faults and concurrency against the built `virthost` and `virthost-ksmtuned` processes.
    .testTarget(
      name: "ReliabilityTests", dependencies: ["Engine", "Editors", "HostConfig", "RootFS", "TestSupport"],
      exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
