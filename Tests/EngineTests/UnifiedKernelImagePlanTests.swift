import Foundation
import TestSupport
import Testing

@testable import Engine

/// A unified kernel image carries its command line inside the signed image: a plan whose
/// next boot starts one refuses to claim it set an argument, and writes nothing.
@Suite struct UnifiedKernelImagePlanTests {
  static let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\n"

  @Test func theNextBootOnAUnifiedImageRefusesKernelArguments() throws {
    let (plan, root) = try BootLoaderFamilyPlanTests.plan("next-boot/systemd-boot", Self.spec) { root in
      try FileManager.default.createDirectory(
        atPath: root.path + "/boot/efi/EFI/Linux", withIntermediateDirectories: true)
      try root.write("/boot/efi/EFI/Linux/debian-6.13.0-uki.efi", "")
      try root.write("/boot/efi/loader/loader.conf", "default debian-*.efi\n")
    }
    let before = try root.snapshot()
    let refusals = plan.diagnostics.filter { $0.code == .unifiedKernelImage }
    #expect(
      refusals.map(\.summary) == [
        "the next boot starts /boot/efi/EFI/Linux/debian-6.13.0-uki.efi, a unified kernel image (default debian-*.efi in "
          + "/boot/efi/loader/loader.conf): its command line is built into the image, so virthost cannot set kernel "
          + "arguments for it; build the image with them (kernel-install's /etc/kernel/cmdline, ukify --cmdline) or "
          + "boot a type 1 entry"
      ])
    #expect(refusals.allSatisfy { $0.severity == .error })
    #expect(plan.hasErrors)
    #expect(!plan.changes.contains { $0.address.kind == .kernelArgs })
    #expect(try root.snapshot() == before)
  }

  @Test func aType1EntryIsEditedAsBefore() throws {
    let (plan, _) = try BootLoaderFamilyPlanTests.plan("next-boot/systemd-boot", Self.spec)
    #expect(!plan.diagnostics.contains { $0.code == .unifiedKernelImage })
    #expect(plan.changes.contains { $0.address.kind == .kernelArgs })
  }
}
