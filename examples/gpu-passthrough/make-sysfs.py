#!/usr/bin/env python3
"""Builds root/sys/{devices,bus/pci,kernel/iommu_groups,class/net,dev/block} from lspci-nn.txt:
the files and links the kernel gives each PCI device (vendor, device, class as 0xCCSSPP, driver,
iommu_group, boot_vga), its IOMMU group's members, its network interfaces, and the NVMe disk
that holds the root file system (259:2, nvme0n1p2 behind 02:00.0). Run it from this folder;
it replaces root/sys's PCI parts and leaves the rest of root/ alone."""
import os, re, shutil

ROOT = "root/sys"
LINE = re.compile(r"^(\S+) .*\[([0-9a-f]{4})\]: .*\[([0-9a-f]{4}):([0-9a-f]{4})\].*\| (.*)$")

def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(os.path.relpath(target, os.path.dirname(path)), path)

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as file:
        file.write(text + "\n")

for folder in ["devices/pci0000:00", "bus/pci", "kernel/iommu_groups", "class/net", "dev/block"]:
    shutil.rmtree(os.path.join(ROOT, folder), ignore_errors=True)

devices = {}
for line in open("lspci-nn.txt"):
    match = LINE.match(line.strip())
    if not match:
        continue
    slot, klass, vendor, device, extra = match.groups()
    info = dict(item.split("=") for item in extra.split())
    address = "0000:" + slot
    parent = info.get("parent")
    folder = (devices["0000:" + parent] if parent else f"{ROOT}/devices/pci0000:00") + "/" + address
    devices[address] = folder
    write(f"{folder}/vendor", "0x" + vendor)
    write(f"{folder}/device", "0x" + device)
    write(f"{folder}/class", f"0x{klass}00")
    if klass.startswith("03"):
        write(f"{folder}/boot_vga", info.get("boot_vga", "0"))
    driver = f"{ROOT}/bus/pci/drivers/{info['driver']}"
    os.makedirs(driver, exist_ok=True)
    link(f"{driver}/{address}", folder)
    link(f"{folder}/driver", driver)
    group = f"{ROOT}/kernel/iommu_groups/{info['group']}"
    link(f"{group}/devices/{address}", folder)
    link(f"{folder}/iommu_group", group)
    link(f"{ROOT}/bus/pci/devices/{address}", folder)
    if "net" in info:
        write(f"{folder}/net/{info['net']}/address", "00:00:00:00:00:00")
        link(f"{ROOT}/class/net/{info['net']}", f"{folder}/net/{info['net']}")
        link(f"{folder}/net/{info['net']}/device", folder)

disk = devices["0000:02:00.0"] + "/nvme/nvme0/nvme0n1"
write(f"{disk}/dev", "259:0")
write(f"{disk}/nvme0n1p2/dev", "259:2")
link(f"{ROOT}/dev/block/259:0", disk)
link(f"{ROOT}/dev/block/259:2", f"{disk}/nvme0n1p2")
