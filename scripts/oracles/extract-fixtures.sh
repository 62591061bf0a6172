#!/usr/bin/env bash
# Re-extracts the Debian 12 package fixtures of Tests/EditorsTests/Fixtures/debian12-packages/
# from the packages apt-get download fetches now (versions in that folder's README.md; a point
# release may change them: then update the README and re-run the oracles).
# Needs: apt-get update done once. Writes only under the fixture folder and a temporary folder.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
dest=$here/Tests/EditorsTests/Fixtures/debian12-packages
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# package  path-in-package ...
files=(
  "libvirt-daemon-system lib/systemd/system/libvirtd.service lib/systemd/system/libvirtd.socket lib/systemd/system/libvirtd-ro.socket lib/systemd/system/libvirtd-admin.socket lib/systemd/system/virtlockd.service lib/systemd/system/virtlockd.socket lib/systemd/system/virtlockd-admin.socket lib/systemd/system/virtlogd.service lib/systemd/system/virtlogd.socket lib/systemd/system/virtlogd-admin.socket etc/libvirt/qemu.conf etc/apparmor.d/abstractions/libvirt-qemu"
  "libvirt-daemon-driver-qemu usr/share/augeas/lenses/libvirtd_qemu.aug"
  "libvirt-daemon-system-sysv etc/init.d/libvirtd etc/init.d/virtlogd"
  "ksmtuned lib/systemd/system/ksm.service lib/systemd/system/ksmtuned.service etc/ksmtuned.conf usr/sbin/ksmtuned"
  "systemd lib/systemd/system/getty@.service lib/systemd/system/systemd-networkd.service lib/systemd/system/systemd-networkd.socket lib/systemd/system/systemd-network-generator.service lib/systemd/system/systemd-networkd-wait-online.service lib/systemd/system/systemd-boot-check-no-failures.service etc/sysctl.d/99-sysctl.conf usr/lib/sysctl.d/50-pid-max.conf"
  "open-iscsi etc/init.d/open-iscsi etc/init.d/iscsid lib/systemd/system/open-iscsi.service lib/systemd/system/iscsid.service lib/systemd/system/iscsid.socket"
  "ifupdown etc/init.d/networking lib/systemd/system/networking.service"
  "procps etc/sysctl.conf etc/sysctl.d/README.sysctl usr/lib/sysctl.d/99-protect-links.conf etc/init.d/procps"
)
cd "$tmp"
for entry in "${files[@]}"; do
  set -- $entry; pkg=$1; shift
  apt-get download -q "$pkg" >/dev/null 2>&1
  mkdir -p "x/$pkg"; dpkg-deb -x "$pkg"_*.deb "x/$pkg"
  printf '%s\t%s\n' "$pkg" "$(dpkg-deb -f "$pkg"_*.deb Version)"
  for f in "$@"; do
    mkdir -p "$dest/$pkg/$(dirname "$f")"
    cp -P "x/$pkg/$f" "$dest/$pkg/$f"
  done
done
# sysctl.d(5) of the systemd package, Example 4: the one real text with a glob and an exclusion
# line that Debian 12 ships (Debian's systemd does not install upstream's 50-default.conf).
ex=$dest/systemd-man-sysctl.d.5-example4/etc/sysctl.d
mkdir -p "$ex"
zcat x/systemd/usr/share/man/man5/sysctl.d.5.gz | man -l - 2>/dev/null | col -b |
  sed -n '/Example 4\./,/The rp_filter key/p' | grep -E '^[[:space:]]+-?net\.' | sed 's/^[[:space:]]*//' > "$ex/20-rp_filter.conf"
