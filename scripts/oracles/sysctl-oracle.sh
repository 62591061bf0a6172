#!/usr/bin/env bash
# The order and effect of sysctl.d files as systemd 252 (Debian 12) reads them, on fixture layouts
# built from Tests/EditorsTests/Fixtures/debian12-packages and oracle-constructed. For each
# layout, Tests/EditorsTests/Fixtures/oracles/sysctl/<layout>.tsv holds
#   file <path>                      each file under the root, as laid out (link: "-> text")
#   cat <line>                       `systemd-analyze --root=ROOT cat-config sysctl.d` (the files
#                                    read, in order, with their text; $ROOT for the root)
#   value <key> <value>              what /lib/systemd/systemd-sysctl writes, run in a private
#                                    mount namespace where the layout's folders are bind-mounted
#                                    over /etc/sysctl.d, /run/sysctl.d, /usr/lib/sysctl.d,
#                                    /usr/local/lib/sysctl.d and /etc/sysctl.conf, and /proc/sys is
#                                    a tmpfs of fake keys ("(not written)" when no file sets it). Skipped (with a
#                                    "# value oracle skipped" line) where namespaces are unavailable.
# The machine's own /proc/sys and sysctl files are never written: the script checks that /proc/sys
# is the tmpfs before running systemd-sysctl. Needs root. Idempotent.
source "$(dirname "$0")/lib.sh"
start=$SECONDS
D=sysctl
mkdir -p "$golden/$D"
fake_keys=(kernel/numa_balancing kernel/pid_max vm/swappiness fs/protected_fifos fs/protected_hardlinks
  fs/protected_regular fs/protected_symlinks net/ipv4/conf/all/rp_filter net/ipv4/conf/default/rp_filter
  net/ipv4/conf/eth0/rp_filter net/ipv4/conf/hub0/rp_filter net/ipv4/ip_forward)

# put SRC-UNDER-FIXTURES DEST-IN-ROOT
put() { mkdir -p "$ROOT/$(dirname "$2")"; cp -P "$fixtures/$1" "$ROOT/$2"; }
debian_defaults() {  # what a Debian 12 systemd host has: systemd's and procps's files
  put debian12-packages/systemd/usr/lib/sysctl.d/50-pid-max.conf usr/lib/sysctl.d/50-pid-max.conf
  put debian12-packages/systemd/etc/sysctl.d/99-sysctl.conf etc/sysctl.d/99-sysctl.conf
  put debian12-packages/procps/usr/lib/sysctl.d/99-protect-links.conf usr/lib/sysctl.d/99-protect-links.conf
  put debian12-packages/procps/etc/sysctl.d/README.sysctl etc/sysctl.d/README.sysctl
  put debian12-packages/procps/etc/sysctl.conf etc/sysctl.conf
}
vendor_default() { put oracle-constructed/usr/lib/sysctl.d/50-default.conf usr/lib/sysctl.d/50-default.conf; }

record() {
  (cd "$ROOT" && find . \( -type f -o -type l \) | sort | while read -r f; do
    if [[ -L $f ]]; then printf 'file\t%s -> %s\n' "${f#.}" "$(readlink "$f")"; else printf 'file\t%s\n' "${f#.}"; fi
  done) >> "$out"
  systemd-analyze --root="$ROOT" cat-config sysctl.d 2>&1 | sed "s|$ROOT|\$ROOT|g; s/^/cat\t/" >> "$out" || true
  values
}

values() {
  if ! unshare -m true 2>/dev/null; then note "value oracle skipped: no mount namespace"; return; fi
  "$repo/scripts/oracles/sysctl-values.sh" "$ROOT" "${fake_keys[@]}" >> "$out"
}

layout() { begin_case $D "$1" "$2"; ROOT=$work/sysctl.$1; rm -rf "$ROOT"; mkdir -p "$ROOT"; }

layout debian12-stock "Debian 12 systemd host as installed: systemd's 50-pid-max.conf and 99-sysctl.conf link, procps's 99-protect-links.conf, README.sysctl and all-comment sysctl.conf"
debian_defaults; record

layout sysctl-conf-linked "Debian 12 stock + vm.swappiness = 10 appended to /etc/sysctl.conf (read through the 99-sysctl.conf link)"
debian_defaults; echo 'vm.swappiness = 10' >> "$ROOT/etc/sysctl.conf"; record

layout sysctl-conf-unlinked "as sysctl-conf-linked but without /etc/sysctl.d/99-sysctl.conf: systemd-sysctl does not read /etc/sysctl.conf"
debian_defaults; echo 'vm.swappiness = 10' >> "$ROOT/etc/sysctl.conf"; rm "$ROOT/etc/sysctl.d/99-sysctl.conf"; record

layout etc-90-loses-to-vendor-99 "/etc/sysctl.d/90-virthost.conf sets fs.protected_regular = 0; procps's /usr/lib/sysctl.d/99-protect-links.conf sets 2 and sorts later"
debian_defaults; printf 'fs.protected_regular = 0\n' > "$ROOT/etc/sysctl.d/90-virthost.conf"; record

layout etc-same-name-masks-vendor "/etc/sysctl.d/99-protect-links.conf (fs.protected_regular = 0 only) replaces the whole vendor file of that name"
debian_defaults; printf 'fs.protected_regular = 0\n' > "$ROOT/etc/sysctl.d/99-protect-links.conf"; record

layout etc-later-name-wins "/etc/sysctl.d/99-zz-virthost.conf (fs.protected_regular = 0) sorts after 99-protect-links.conf and 99-sysctl.conf"
debian_defaults; printf 'fs.protected_regular = 0\n' > "$ROOT/etc/sysctl.d/99-zz-virthost.conf"; record

layout etc-devnull-masks-vendor "/etc/sysctl.d/99-protect-links.conf -> /dev/null: the vendor file is not read"
debian_defaults; ln -s /dev/null "$ROOT/etc/sysctl.d/99-protect-links.conf"; record

layout vendor-globs-exclusion "constructed vendor 50-default.conf (glob + exclusion) and sysctl.d(5) Example 4 as /etc/sysctl.d/20-rp_filter.conf"
debian_defaults; vendor_default
put debian12-packages/systemd-man-sysctl.d.5-example4/etc/sysctl.d/20-rp_filter.conf etc/sysctl.d/20-rp_filter.conf; record

layout vendor-glob-only "constructed vendor 50-default.conf alone: net.ipv4.conf.*.rp_filter = 2 with -net.ipv4.conf.all.rp_filter"
vendor_default; record

layout explicit-vs-glob "vendor glob + exclusion at 50; /etc/sysctl.d/10-early.conf sets eth0 explicitly (earlier name), 90-virthost.conf sets the excluded all.rp_filter"
vendor_default; mkdir -p "$ROOT/etc/sysctl.d"
printf 'net.ipv4.conf.eth0.rp_filter = 0\n' > "$ROOT/etc/sysctl.d/10-early.conf"
printf 'net.ipv4.conf.all.rp_filter = 1\n' > "$ROOT/etc/sysctl.d/90-virthost.conf"; record

layout run-masks-vendor "/run/sysctl.d/50-default.conf replaces /usr/lib/sysctl.d/50-default.conf; /run/sysctl.d/60-runtime.conf (tmpfs)"
debian_defaults; vendor_default
put oracle-constructed/run/sysctl.d/60-runtime.conf run/sysctl.d/60-runtime.conf
printf 'kernel.numa_balancing = 1\n' > "$ROOT/run/sysctl.d/50-default.conf"; record

layout etc-masks-run "/etc/sysctl.d/60-runtime.conf replaces /run/sysctl.d/60-runtime.conf"
debian_defaults; put oracle-constructed/run/sysctl.d/60-runtime.conf run/sysctl.d/60-runtime.conf
printf 'vm.swappiness = 5\n' > "$ROOT/etc/sysctl.d/60-runtime.conf"; record

layout split-usr-lib-vs-usr-lib "split-usr root: /lib/sysctl.d/50-x.conf and /usr/lib/sysctl.d/50-x.conf, same name (cat-config only: this machine is merged-usr)"
mkdir -p "$ROOT/lib/sysctl.d" "$ROOT/usr/lib/sysctl.d"
printf 'vm.swappiness = 1\n' > "$ROOT/lib/sysctl.d/50-x.conf"; printf 'vm.swappiness = 2\n' > "$ROOT/usr/lib/sysctl.d/50-x.conf"
printf 'kernel.pid_max = 100000\n' > "$ROOT/lib/sysctl.d/40-only-lib.conf"
(cd "$ROOT" && find . -type f | sort | sed 's/^\./file\t/') >> "$out"
systemd-analyze --root="$ROOT" cat-config sysctl.d 2>&1 | sed "s|$ROOT|\$ROOT|g; s/^/cat\t/" >> "$out" || true

echo "sysctl-oracle: $((SECONDS - start)) s, golden files in ${golden#$repo/}/$D/" >&2
