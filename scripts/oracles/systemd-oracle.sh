#!/usr/bin/env bash
# What `systemctl --root=DIR enable|disable|is-enabled|mask` does with the unit files of
# Tests/EditorsTests/Fixtures/debian12-packages (and the constructed edge cases), written
# as golden data to Tests/EditorsTests/Fixtures/oracles/systemd/<case>.tsv.
# Format (tab-separated), in order:
#   run <command> <exit status>      one systemctl call ($ROOT = the temporary root)
#   out <line>                       its output (stdout and stderr)
#   link <path> <link text>          every enablement link after that call (relative to the start)
#   gone <path> <link text>          a link present at the start and removed since
#   is-enabled <unit> <answer> <exit status>
# Needs root only for the cases on the Debian root (overlay mount, chroot of systemd-sysv-install).
# Idempotent: rewrites the golden files; `git diff` shows any change of behaviour.
source "$(dirname "$0")/lib.sh"
start=$SECONDS
sc() { step systemctl --root="$ROOT" "$@"; }
libvirt_units=(libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket virtlockd.service
  virtlockd.socket virtlockd-admin.socket virtlogd.service virtlogd.socket virtlogd-admin.socket)
install_libvirt() { local u; for u in "${libvirt_units[@]}"; do install_file "libvirt-daemon-system/lib/systemd/system/$u"; done; }
install_networkd() {
  local u
  for u in systemd-networkd.service systemd-networkd.socket systemd-network-generator.service systemd-networkd-wait-online.service; do
    install_file "systemd/lib/systemd/system/$u"
  done
}
D=systemd
mkdir -p "$golden/$D"; systemctl --version | head -1 > "$golden/$D/systemctl.version"

for layout in merged split; do
  begin_case $D "ksm-$layout" "ksmtuned's ksm.service (WantedBy=multi-user.target), $layout-usr root; 'ksm' without suffix"
  new_root $layout; install_file ksmtuned/lib/systemd/system/ksm.service
  is_enabled ksm.service; sc enable ksm; is_enabled ksm.service ksm; sc enable ksm.service; sc disable ksm; is_enabled ksm.service

  begin_case $D "libvirtd-$layout" "libvirtd.service: WantedBy=multi-user.target, Also=virtlockd.socket virtlogd.socket libvirtd.socket libvirtd-ro.socket; $layout-usr root"
  new_root $layout; install_libvirt
  sc enable libvirtd.service; is_enabled "${libvirt_units[@]}"
  sc disable libvirtd.service; is_enabled "${libvirt_units[@]}"
done

begin_case $D ksmtuned "ksmtuned.service, merged-usr root"
new_root merged; install_file ksmtuned/lib/systemd/system/ksmtuned.service
sc enable ksmtuned.service; is_enabled ksmtuned.service; sc disable ksmtuned.service; is_enabled ksmtuned.service

begin_case $D libvirtd-then-disable-virtlockd "issue 17 case 4: services {libvirtd: enabled, virtlockd: disabled} applied in turn (the flip-flop)"
new_root merged; install_libvirt
sc enable libvirtd.service; sc disable virtlockd.service; is_enabled libvirtd.service virtlockd.service virtlockd.socket
sc enable libvirtd.service; is_enabled libvirtd.service virtlockd.service virtlockd.socket

begin_case $D virtlockd "virtlockd.service: [Install] has only Also=virtlockd.socket"
new_root merged; install_libvirt
is_enabled virtlockd.service; sc enable virtlockd.service; is_enabled virtlockd.service virtlockd.socket
sc disable virtlockd.service; is_enabled virtlockd.service virtlockd.socket
note "enable the socket alone: the service reads as indirect"
sc enable virtlockd.socket; is_enabled virtlockd.service virtlockd.socket; sc disable virtlockd.socket

begin_case $D systemd-networkd "systemd-networkd.service: Alias=dbus-org.freedesktop.network1.service, Also= socket, generator, wait-online (Also chain)"
new_root merged; install_networkd
sc enable systemd-networkd.service
is_enabled systemd-networkd.service dbus-org.freedesktop.network1.service systemd-networkd.socket systemd-network-generator.service systemd-networkd-wait-online.service
sc disable systemd-networkd.service
is_enabled systemd-networkd.service dbus-org.freedesktop.network1.service systemd-networkd.socket systemd-network-generator.service systemd-networkd-wait-online.service
note "enabling through the alias name"
sc enable dbus-org.freedesktop.network1.service; is_enabled systemd-networkd.service

rendered=$fixtures
modular_units=(virtqemud.service virtqemud.socket virtqemud-ro.socket virtqemud-admin.socket)
install_modular() { local u; for u in "${modular_units[@]}"; do install_file "libvirt-upstream-rendered/lib/systemd/system/$u" "$rendered"; done; }

begin_case $D libvirt-modular "issue 35: virtqemud.service rendered from libvirt's upstream templates (Also= its 3 sockets, virtlogd.socket, virtlockd.socket) with Debian 12's libvirt units; merged-usr root"
new_root merged; install_libvirt; install_modular
sc enable virtqemud.service; is_enabled "${modular_units[@]}" "${libvirt_units[@]}"

begin_case $D libvirt-monolithic-to-modular "issue 35: libvirt.daemons modular on a host with libvirtd enabled: disable libvirtd.service, then enable virtqemud.service"
new_root merged; install_libvirt; install_modular
sc enable libvirtd.service; sc disable libvirtd.service; sc enable virtqemud.service
is_enabled "${modular_units[@]}" "${libvirt_units[@]}"

begin_case $D libvirt-modular-to-monolithic "issue 35: libvirt.daemons monolithic on a host with virtqemud enabled: disable virtqemud.service, then enable libvirtd.service"
new_root merged; install_libvirt; install_modular
sc enable virtqemud.service; sc disable virtqemud.service; sc enable libvirtd.service
is_enabled "${modular_units[@]}" "${libvirt_units[@]}"

begin_case $D open-iscsi-unit-only "open-iscsi.service: WantedBy=sysinit.target, Alias=iscsi.service; no init script in this root"
new_root merged; install_file open-iscsi/lib/systemd/system/open-iscsi.service
sc enable open-iscsi.service; is_enabled open-iscsi.service iscsi.service
sc disable iscsi.service; is_enabled open-iscsi.service iscsi.service
sc enable open-iscsi.service; sc disable open-iscsi.service; is_enabled open-iscsi.service

begin_case $D required-by "systemd-boot-check-no-failures.service: RequiredBy=boot-complete.target"
new_root merged; install_file systemd/lib/systemd/system/systemd-boot-check-no-failures.service
sc enable systemd-boot-check-no-failures.service; is_enabled systemd-boot-check-no-failures.service
sc disable systemd-boot-check-no-failures.service; is_enabled systemd-boot-check-no-failures.service

begin_case $D getty-template "getty@.service: WantedBy=getty.target, DefaultInstance=tty1; explicit instance getty@tty2"
new_root merged; install_file systemd/lib/systemd/system/getty@.service
is_enabled getty@.service getty@tty1.service getty@tty2.service
sc enable getty@.service; is_enabled getty@.service getty@tty1.service getty@tty2.service
sc enable getty@tty2.service; is_enabled getty@.service getty@tty1.service getty@tty2.service
sc disable getty@tty2.service; is_enabled getty@.service getty@tty1.service getty@tty2.service
sc enable getty@tty2.service; sc disable getty@.service; is_enabled getty@.service getty@tty1.service getty@tty2.service

begin_case $D template-no-default "getty@.service without its DefaultInstance= line (derived from the package file): bare template name"
new_root merged
sed '/^DefaultInstance=/d' "$pkgs/systemd/lib/systemd/system/getty@.service" > "$ROOT/lib/systemd/system/getty@.service"
sc enable getty@.service; is_enabled getty@.service getty@tty3.service
sc enable getty@tty3.service; is_enabled getty@.service getty@tty3.service
sc disable getty@.service; is_enabled getty@.service getty@tty3.service

begin_case $D masked "ksm.service masked: enable, disable, is-enabled, then mask of an enabled unit"
new_root merged; install_file ksmtuned/lib/systemd/system/ksm.service
sc mask ksm.service; is_enabled ksm.service
sc enable ksm.service; is_enabled ksm.service
sc disable ksm.service; is_enabled ksm.service
sc unmask ksm.service; sc enable ksm.service; sc mask ksm.service; is_enabled ksm.service
sc disable ksm.service; is_enabled ksm.service

begin_case $D also-missing "constructed: WantedBy=multi-user.target, Also=not-installed.socket (missing)"
new_root merged; install_file oracle-constructed/lib/systemd/system/also-missing.service "$fixtures"
sc enable also-missing.service; is_enabled also-missing.service not-installed.socket
sc disable also-missing.service; is_enabled also-missing.service

begin_case $D reset-wantedby "constructed: WantedBy=multi-user.target, WantedBy= (reset), WantedBy=graphical.target"
new_root merged; install_file oracle-constructed/lib/systemd/system/reset-wantedby.service "$fixtures"
sc enable reset-wantedby.service; is_enabled reset-wantedby.service
sc disable reset-wantedby.service; is_enabled reset-wantedby.service

begin_case $D static-and-missing "no [Install] section (systemd-network-generator has one; a unit file of ours without) and an unknown unit"
new_root merged; install_file ksmtuned/lib/systemd/system/ksm.service
sed '/^\[Install\]/,$d' "$pkgs/ksmtuned/lib/systemd/system/ksm.service" > "$ROOT/lib/systemd/system/static.service"
sc enable static.service; is_enabled static.service
sc enable no-such.service; is_enabled no-such.service
sc disable no-such.service

# Units that also have an init script, on a Debian root (merged-usr, chroot-able): systemctl
# calls /lib/systemd/systemd-sysv-install --root=DIR enable|disable NAME, which runs
# `chroot DIR update-rc.d NAME defaults` then `enable|disable`. noinsserv: as on a Debian
# systemd host (insserv is not installed there); insserv: as on a host with sysv-rc too.
for variant in noinsserv insserv; do
  begin_case $D "sysv-sync-networking-$variant" "ifupdown: networking.service + /etc/init.d/networking (Default-Start: S, Default-Stop: 0 6), Debian root, $variant"
  new_root debian $variant
  install_file ifupdown/lib/systemd/system/networking.service; install_file ifupdown/etc/init.d/networking
  sc enable networking.service; is_enabled networking.service
  sc disable networking.service; is_enabled networking.service

  begin_case $D "sysv-sync-libvirtd-$variant" "libvirtd.service (Also= 4 sockets) + /etc/init.d/libvirtd and virtlogd (Default-Start: 2 3 4 5), Debian root, $variant"
  new_root debian $variant
  install_libvirt; install_file libvirt-daemon-system-sysv/etc/init.d/libvirtd; install_file libvirt-daemon-system-sysv/etc/init.d/virtlogd
  sc enable libvirtd.service; is_enabled libvirtd.service virtlogd.socket virtlogd.service
  sc disable libvirtd.service; is_enabled libvirtd.service virtlogd.socket virtlogd.service

  begin_case $D "sysv-sync-open-iscsi-$variant" "open-iscsi.service (Alias=iscsi.service) + /etc/init.d/open-iscsi (Default-Start: S), Debian root, $variant"
  new_root debian $variant
  install_file open-iscsi/lib/systemd/system/open-iscsi.service; install_file open-iscsi/etc/init.d/open-iscsi
  sc enable open-iscsi.service; is_enabled open-iscsi.service iscsi.service
  sc disable open-iscsi.service; is_enabled open-iscsi.service iscsi.service
done
echo "systemd-oracle: $((SECONDS - start)) s, golden files in ${golden#$repo/}/$D/" >&2
