#!/bin/sh
# Rebuilds the ostree fixture roots with Debian's own ostree (apt-get install ostree;
# 2022.7 in Debian 12). Run from this folder: sh make-fixture.sh. See README.md.
set -eu
here=$(pwd)
work=$(mktemp -d)
# ostree makes each deployment's root immutable (chattr +i).
trap 'chattr -i "$work"/sysroot/ostree/deploy/*/deploy/*.[0-9] 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
kver=6.12.0-1.fc43.x86_64
mkdir -p sysroot tree/usr/lib/bootc/kargs.d tree/usr/lib/modules/$kver tree/usr/etc
printf 'kernel\n' > tree/usr/lib/modules/$kver/vmlinuz
printf 'initramfs\n' > tree/usr/lib/modules/$kver/initramfs.img
printf 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=43\nPRETTY_NAME="Fedora Linux 43 (virthost fixture)"\n' \
  > tree/usr/lib/os-release
# The image's kargs.d, written after bootc's documentation (docs/src/building/kernel-arguments.md).
printf 'kargs = ["console=ttyS0,115200n8"]\nmatch-architectures = ["x86_64"]\n' \
  > tree/usr/lib/bootc/kargs.d/10-console.toml
ostree admin init-fs --modern sysroot
ostree admin os-init --sysroot=sysroot fedora
ostree --repo=sysroot/ostree/repo commit --branch=fedora/43 --tree=dir=tree -s fixture \
  --timestamp=2026-12-01T00:00:00Z >/dev/null
ostree admin deploy --sysroot=sysroot --os=fedora --karg=root=UUID=6f3c1d2e-fixture --karg=rw \
  --karg=console=ttyS0,115200n8 --karg=amd_iommu=off fedora/43

# The host as virthost sees it from / on the running machine: the booted deployment's tree
# at the top, the physical root at /sysroot, /boot and /ostree from it.
assemble() {
  out=$1
  rm -rf "$out"
  mkdir -p "$out/sysroot" "$out/run" "$out/proc"
  cp -a sysroot/boot "$out/boot"
  # ostree's /boot/boot -> . link (for a separate /boot partition) loops; no test reads it.
  rm "$out/boot/boot"
  mkdir -p "$out/sysroot/ostree/repo"
  cp sysroot/ostree/repo/config "$out/sysroot/ostree/repo/config"
  cp -a sysroot/ostree/boot.* "$out/sysroot/ostree/"
  mkdir -p "$out/sysroot/ostree/deploy/fedora/deploy"
  for d in sysroot/ostree/deploy/fedora/deploy/*.0 sysroot/ostree/deploy/fedora/deploy/*.1; do
    [ -d "$d" ] || continue
    mkdir -p "$out/$d/usr/lib"
    cp -a "$d/usr/lib/bootc" "$d/usr/lib/os-release" "$out/$d/usr/lib/"
  done
  ln -s sysroot/ostree "$out/ostree"
  booted=$(ls sysroot/ostree/deploy/fedora/deploy/ | grep -v '\.origin$' | sort | head -n "$2" | tail -n 1)
  mkdir -p "$out/usr/lib"
  cp -a "sysroot/ostree/deploy/fedora/deploy/$booted/usr/lib/bootc" "$out/usr/lib/"
  cp "sysroot/ostree/deploy/fedora/deploy/$booted/usr/lib/os-release" "$out/usr/lib/"
  : > "$out/run/ostree-booted"
}
assemble "$here/root" 1
entry=$(ls "$here/root/boot/loader/entries/")
options=$(sed -n 's/^options //p' "$here/root/boot/loader/entries/$entry")
linux=$(sed -n 's/^linux //p' "$here/root/boot/loader/entries/$entry")
printf 'BOOT_IMAGE=(hd0,gpt3)%s %s\n' "$linux" "$options" > "$here/root/proc/cmdline"

# A second deployment, as `rpm-ostree kargs` leaves one once finalized: same commit, new arguments.
ostree admin deploy --sysroot=sysroot --os=fedora --karg-delete=amd_iommu=off --karg-append=amd_iommu=on \
  --karg-append=iommu=pt fedora/43
two="$here/../ostree-two-deployments/root"
assemble "$two" 1
# Still booted into the first deployment: its command line as the kernel got it (ostree has since
# renumbered that deployment's boot serial to 1 and switched to boot.0).
cp "$here/root/proc/cmdline" "$two/proc/cmdline"
