extension Diagnostic {
  /// What a diagnostic adds to `virthost check`'s verdict when no resource carries it.
  public enum Contribution: String, Sendable, CaseIterable {
    /// It informs; the verdict does not change.
    case none
    /// The configuration is right; the boot (or module load) that carries it has not happened.
    case pending
    /// The configuration is right; the daemon (or guest) that reads it when it starts has not
    /// started again since it changed.
    case pendingRestart
    /// The host booted with the configuration and does otherwise.
    case drifted
    /// It cannot be told.
    case unknown
  }
}

extension Diagnostic.Code {
  /// The one table of what each code adds to `check`'s verdict: notes and warnings that
  /// only inform add nothing; a code about the running host's state says pending, drifted
  /// or unknown. Every code is listed, so a new one must be placed here.
  public var contribution: Diagnostic.Contribution {
    switch self {
    case .rebootRequired, .moduleReload, .moduleNotLoaded, .pendingInsserv: .pending
    case .daemonRestartHeld, .daemonRestartOwed, .guestsOnOldSettings, .guestRestartPending: .pendingRestart
    case .effectDiffers: .drifted
    case .invalidYAML, .emptySpec, .invalidSpec, .specNoLongerParses, .hostFile, .missingRoot, .virtualizationUnknown,
      .serviceStateUnknown, .missingLiveValue, .noServiceManager, .regenerationUnknown, .stagedDeploymentUnread:
      .unknown
    case .noHardwareVirtualization, .kernelWithoutKVM, .kernelWithoutKSM, .kernelWithoutIOMMU, .unknownCPUVendor,
      .conflictingKernelArgument, .mergeAcrossNodesSkipped, .missingBundledTuner, .unknownService, .maskedService,
      .unrecorded, .serviceSemantics, .conflictingServices, .alsoUnitMissing, .removedKernelArgumentValue,
      .xenDom0Argument, .unifiedKernelImage, .imageModeHost, .tunedOwnsArgument, .tunedConflict,
      .kernelArgumentCoverage,
      .commandLineSource,
      .hugePagesRefused, .hugePagesAtRuntime, .cpuIsolationRefused, .smtSiblingNotIsolated, .pinnedMemoryMoves,
      .passthroughDevice, .moduleConfigConflict, .initramfs, .commandLineTooLong, .isolcpusFlagUnsupported,
      .cpuAffinityConflict, .interruptsConfined, .moduleBuiltIn, .libvirtDaemonsMissing, .guestPlacementRefused,
      .domainDefinitionPending:
      .none
    }
  }
}
