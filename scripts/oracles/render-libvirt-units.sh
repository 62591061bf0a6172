#!/usr/bin/env bash
# Renders libvirt's modular QEMU daemon units (virtqemud.service and its three sockets) from
# the templates of a libvirt source tree, as its meson build does (substitutions, then its own
# scripts/merge-systemd-units.py for the service's .extra part), into
# Tests/EditorsTests/Fixtures/libvirt-upstream-rendered/. Debian 12 ships no modular units, so
# these stand in for a Fedora/RHEL install; each file says in its first line that it was rendered.
# Usage: render-libvirt-units.sh LIBVIRT-SOURCE-TREE   (apt-get source libvirt, or a git checkout)
set -euo pipefail
src=${1:?usage: $0 LIBVIRT-SOURCE-TREE}
here=$(cd "$(dirname "$0")/../.." && pwd)
dest=$here/Tests/EditorsTests/Fixtures/libvirt-upstream-rendered/lib/systemd/system
mkdir -p "$dest"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The values of a Fedora-like build: /run, /usr/sbin, /etc/sysconfig; sockmode 0666 (polkit on).
render() {
  sed -e 's|@name@|QEMU|g' -e 's|@service@|virtqemud|g' -e 's|@SERVICE@|VIRTQEMUD|g' \
    -e 's|@sockprefix@|virtqemud|g' -e 's|@sockmode@|0666|g' -e 's|@runstatedir@|/run|g' \
    -e 's|@sbindir@|/usr/sbin|g' -e 's|@initconfdir@|/etc/sysconfig|g' "$1"
}
label() {
  { printf '# Rendered by virthost scripts/oracles/render-libvirt-units.sh from libvirt %s (%s), not from a package\n' \
      "$2" "$3"; cat "$1"; } > "$dest/$4"
}
version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
render "$src/src/virtd.service.in" > "$tmp/base"
render "$src/src/qemu/virtqemud.service.extra.in" > "$tmp/extra"
python3 "$src/scripts/merge-systemd-units.py" "$tmp/base" "$tmp/extra" > "$tmp/virtqemud.service"
label "$tmp/virtqemud.service" "$version" "src/virtd.service.in + src/qemu/virtqemud.service.extra.in" virtqemud.service
for kind in "" -ro -admin; do
  render "$src/src/virtd$kind.socket.in" > "$tmp/s"
  label "$tmp/s" "$version" "src/virtd$kind.socket.in" "virtqemud$kind.socket"
done
