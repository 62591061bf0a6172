#!/bin/bash
# Oracle: run the REAL grub-mkconfig of Debian 12 (package grub-common, with its
# /etc/grub.d templates) against a fixture root, offline, and print the grub.cfg
# it generates; with --check ARG..., also check that every `linux` line of a
# Linux menu entry carries each ARG (the "would the next boot carry it" question).
#
# Usage:  grub-mkconfig.sh ROOT [--out FILE] [--check|--check-normal ARG...]
#   ROOT    a fixture root with etc/default/grub (etc/default/grub.d/*.cfg
#           optional) and boot/vmlinuz-* (empty files are enough)
#   --out   write grub.cfg there (default: stdout)
#   --check exit 1, naming the line, when a `linux` line lacks ARG
#   --check-normal  the same for the normal entries only (not "(recovery mode)")
#
# How: `unshare --mount` gives the command a private mount namespace in which
#   ROOT/etc/default is bind-mounted over /etc/default, ROOT/boot over /boot, and
#   grub-probe-stub over /usr/sbin/grub-probe (fixed answers: /dev/sda1, ext2, one
#   UUID, so the output is the same on every machine) and grub-mkrelpath-stub over
#   /usr/bin/grub-mkrelpath (/boot on the root file system: paths unchanged).
#   The namespace has no /dev/disk/by-uuid/<that UUID>, so 10_linux writes
#   root=/dev/sda1 where a real host gets root=UUID=... The host's mounts are not
#   touched. Everything else (grub-mkconfig, grub-mkconfig_lib, /etc/grub.d/*,
#   grub-mkrelpath, /bin/sh = dash) is the host's, which must be Debian 12 with
#   grub-common 2.06-13+deb12u2 (checked). Needs root (unshare -m) or
#   CAP_SYS_ADMIN; `apt-get install grub-common` when missing.
#   /sys/firmware/efi is visible from the host: on an EFI host 10_linux also
#   emits the EFI variants; the golden files were made on a BIOS host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: $0 ROOT [--out FILE] [--check|--check-normal ARG...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
root=$(cd "$1" && pwd); shift
out= checks=() normal_only=
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --check) shift; checks=("$@"); break ;;
    --check-normal) normal_only=1; shift; checks=("$@"); break ;;
    *) usage ;;
  esac
done
version=$(dpkg-query -W -f '${Version}' grub-common 2>/dev/null || true)
if [ "$version" != "2.06-13+deb12u2" ]; then
  echo "grub-mkconfig.sh: needs Debian 12's grub-common 2.06-13+deb12u2 (found '${version:-none}'): apt-get install grub-common" >&2
  exit 3
fi
[ -f "$root/etc/default/grub" ] || { echo "grub-mkconfig.sh: $root/etc/default/grub not found" >&2; exit 2; }
[ -d "$root/boot" ] || { echo "grub-mkconfig.sh: $root/boot not found" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The kernels are the fixture's; grub-mkconfig must not see the host's other /boot files.
mkdir -p "$tmp/boot"
for f in "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$root"/boot/config-* "$root"/boot/System.map-*; do
  [ -e "$f" ] && cp -p "$f" "$tmp/boot/"
done
mkdir -p "$tmp/boot/grub"
# grub-mkconfig reads grubenv only for GRUB_DEFAULT=saved.
[ -f "$root/boot/grub/grubenv" ] && cp -p "$root/boot/grub/grubenv" "$tmp/boot/grub/"
mkdir -p "$tmp/default"
cp -p "$root/etc/default/grub" "$tmp/default/grub"
[ -d "$root/etc/default/grub.d" ] && cp -rp "$root/etc/default/grub.d" "$tmp/default/grub.d"
unshare --mount --propagation private env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  tmp="$tmp" stubs="$here" /bin/sh -c '
    set -e
    mount --bind "$tmp/default" /etc/default
    mount --bind "$tmp/boot" /boot
    mount --bind "$stubs/grub-probe-stub" /usr/sbin/grub-probe
    mount --bind "$stubs/grub-mkrelpath-stub" /usr/bin/grub-mkrelpath
    exec grub-mkconfig
  ' >"$tmp/grub.cfg" 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; echo "grub-mkconfig.sh: grub-mkconfig failed" >&2; exit 4; }
if [ -n "$out" ]; then cp "$tmp/grub.cfg" "$out"; else cat "$tmp/grub.cfg"; fi
status=0
if [ ${#checks[@]} -gt 0 ]; then
  n=0 recovery=
  while IFS= read -r line; do
    n=$((n + 1))
    case "$line" in
      *menuentry\ *) case "$line" in *"(recovery mode)"*) recovery=1 ;; *) recovery= ;; esac ;;
    esac
    [ -n "$normal_only" ] && [ -n "$recovery" ] && continue
    case "$line" in
      *[[:space:]]linux[[:space:]]*)
        for a in "${checks[@]}"; do
          case " $line " in
            *" $a "*) ;;
            *) echo "grub.cfg:$n: lacks $a: ${line#"${line%%[![:space:]]*}"}" >&2; status=1 ;;
          esac
        done ;;
    esac
  done <"$tmp/grub.cfg"
fi
exit $status
