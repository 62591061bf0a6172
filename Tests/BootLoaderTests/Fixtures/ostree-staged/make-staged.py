#!/usr/bin/python3
# Writes staged-deployment files as ostree's _ostree_sysroot_stage_write_deployment
# (src/libostree/ostree-sysroot-deploy.c) serializes them, with GLib's own GVariant
# serializer (python3-gi). Run from this folder: /usr/bin/python3 make-staged.py (Debian's python3, which has gi). See README.md.
from gi.repository import GLib

csum = "0e7d614827da7d129bc54a8b98fae790d658ca0cf90c7eae3baf634c9a237ffb"
bootcsum = "4fd03274c5449bba753c49d797caba0e082ad7fa4ef8cdbe7e83e9127393b1b3"


def deployment(serial):
    # serialize_deployment_to_variant: name (CSUM.SERIAL), osname, bootcsum.
    return GLib.Variant("a{sv}", {
        "name": GLib.Variant("s", f"{csum}.{serial}"),
        "osname": GLib.Variant("s", "fedora"),
        "bootcsum": GLib.Variant("s", bootcsum),
    })


def write(name, kargs=None, extra=None):
    entries = {"target": deployment(1), "merge-deployment": deployment(0)}
    if kargs is not None:
        entries["kargs"] = GLib.Variant("as", kargs)
    if extra is not None:
        entries["bootconfig-extra"] = GLib.Variant("a{ss}", extra)
    data = GLib.Variant("a{sv}", entries).get_data_as_bytes().get_data()
    with open(name, "wb") as out:
        out.write(data)


base = ["root=UUID=6f3c1d2e-fixture", "rw", "console=ttyS0,115200n8"]
# bootc loader-entries set-options-for-source --source virthost --options "amd_iommu=on iommu=pt"
# on ostree-deployed without the installer's amd_iommu=off: override_kernel_argv and the source key.
write("by-bootc", base + ["amd_iommu=on", "iommu=pt"], {"x-options-source-virthost": "amd_iommu=on iommu=pt"})
# A staged deployment with the merge deployment's arguments (no override: no kargs key).
write("no-kargs")
