#!/usr/bin/env bash
# What Debian 12's update-rc.d (init-system-helpers, with and without insserv) does with the init
# scripts of Tests/EditorsTests/Fixtures/debian12-packages, run with chroot inside the cached
# mmdebstrap root of debian-root.sh (never on this machine's /etc/init.d: with DPKG_ROOT alone
# update-rc.d would read the machine's own scripts). Golden data in
# Tests/EditorsTests/Fixtures/oracles/update-rc.d/<script>-<variant>.tsv, format as in
# systemd-oracle.sh ("link" lines list every rcN.d/rcS.d link of the case, "is-enabled" is
# systemd-sysv-install's own test: an S link in rcS.d or rc5.d).
#   insserv:   sysv-rc + insserv installed (a Debian sysvinit host): sequence numbers from insserv,
#              which depend on every other script installed (here: a minbase root, so mostly 01/02)
#   noinsserv: /etc/insserv.conf hidden, update-rc.d's own fallback (a Debian systemd host): 01
# Needs root (overlay mount, chroot). Idempotent.
source "$(dirname "$0")/lib.sh"
start=$SECONDS
D=update-rc.d
mkdir -p "$golden/$D"
urc() { step chroot "$ROOT" /usr/sbin/update-rc.d "$@"; }
sysv_is_enabled() {
  local status=0
  ls "$ROOT"/etc/rc[S5].d/S??"$1" >/dev/null 2>&1 || status=$?
  printf 'is-enabled\t%s\t%s\t%s\n' "$1" "$([[ $status == 0 ]] && echo enabled || echo disabled)" "$status" >> "$out"
}
scripts=(
  "libvirt-daemon-system-sysv libvirtd"
  "libvirt-daemon-system-sysv virtlogd"
  "ifupdown networking"
  "open-iscsi open-iscsi"
  "open-iscsi iscsid"
  "procps procps"
)
for variant in noinsserv insserv; do
  for entry in "${scripts[@]}"; do
    set -- $entry; pkg=$1 name=$2
    header=$(grep -E '^# *Default-(Start|Stop):' "$pkgs/$pkg/etc/init.d/$name" | sed 's/^# *//; s/  */ /g' | paste -sd';')
    begin_case $D "$name-$variant" "$pkg /etc/init.d/$name ($header), Debian 12 root, $variant"
    new_root debian $variant
    install_file "$pkg/etc/init.d/$name"
    note "never set up (no links yet): enable has nothing to toggle"
    urc "$name" enable; sysv_is_enabled "$name"
    urc "$name" defaults; sysv_is_enabled "$name"
    urc "$name" disable; sysv_is_enabled "$name"
    urc "$name" enable; sysv_is_enabled "$name"
    note "defaults again with links present: no change"
    urc "$name" defaults
    urc -f "$name" remove; sysv_is_enabled "$name"
    urc "$name" defaults-disabled; sysv_is_enabled "$name"
    urc "$name" enable; sysv_is_enabled "$name"
    urc "$name" disable; sysv_is_enabled "$name"
  done
done

# Links numbered by an older install (S20/K80): enable and disable keep the numbers.
for variant in noinsserv insserv; do
  begin_case $D "renumbered-libvirtd-$variant" "libvirtd with pre-existing S20/K80 links (hand-made or an older sysv-rc), $variant"
  new_root debian $variant
  install_file libvirt-daemon-system-sysv/etc/init.d/libvirtd
  baseline=$(links_now)
  for l in 2 3 4 5; do ln -s ../init.d/libvirtd "$ROOT/etc/rc$l.d/S20libvirtd"; done
  for l in 0 1 6; do ln -s ../init.d/libvirtd "$ROOT/etc/rc$l.d/K80libvirtd"; done
  note "made by hand before the first call: rc2-5.d/S20libvirtd, rc0,1,6.d/K80libvirtd (listed as link lines)"
  urc libvirtd disable; sysv_is_enabled libvirtd
  urc libvirtd enable; sysv_is_enabled libvirtd
  urc libvirtd defaults; sysv_is_enabled libvirtd
done
echo "update-rc.d-oracle: $((SECONDS - start)) s, golden files in ${golden#$repo/}/$D/" >&2
