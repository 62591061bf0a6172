#!/usr/bin/env bash
# Builds (once) and prints the path of a minimal Debian 12 (bookworm) root in which
# update-rc.d and systemd-sysv-install can run with chroot: mmdebstrap --variant=minbase
# plus sysv-rc and insserv (a Debian SysV host's link tools).
#
# Cache: /var/cache/virthost-oracles/ (override with VIRTHOST_ORACLE_CACHE)
#   bookworm-minbase-sysvrc.tar    the mmdebstrap output (built once, ~1-3 min)
#   bookworm-minbase-sysvrc.key    the package versions in it (dpkg-query), its cache key
#   roots/<sha256 of key>/          the tarball unpacked, with etc.pristine/ beside it
# Prints the unpacked root's path. Idempotent; never touches the machine's own /etc.
# Set VIRTHOST_ORACLE_REBUILD=1 to rebuild the tarball (e.g. after a point release).
set -euo pipefail
cache=${VIRTHOST_ORACLE_CACHE:-/var/cache/virthost-oracles}
tar=$cache/bookworm-minbase-sysvrc.tar
mkdir -p "$cache/roots"
if [[ ! -s $tar || ${VIRTHOST_ORACLE_REBUILD:-} == 1 ]]; then
  command -v mmdebstrap >/dev/null || apt-get install -y mmdebstrap >&2
  start=$SECONDS
  mmdebstrap --quiet --variant=minbase --include=sysv-rc,insserv bookworm "$cache/building.tar" \
    "deb http://deb.debian.org/debian bookworm main" >&2
  mv "$cache/building.tar" "$tar"
  rm -f "$cache/bookworm-minbase-sysvrc.key"
  echo "debian-root: mmdebstrap took $((SECONDS - start)) s" >&2
fi
if [[ ! -s $cache/bookworm-minbase-sysvrc.key ]]; then
  tar -xOf "$tar" ./var/lib/dpkg/status |
    awk '/^Package:/{p=$2} /^Version:/{print p" "$2}' | sort > "$cache/bookworm-minbase-sysvrc.key"
fi
key=$(sha256sum < "$cache/bookworm-minbase-sysvrc.key" | cut -c1-16)
root=$cache/roots/$key
if [[ ! -f $root/.complete ]]; then
  rm -rf "$root" && mkdir -p "$root/root"
  tar -xf "$tar" -C "$root/root"
  cp -a "$root/root/etc" "$root/etc.pristine"
  touch "$root/.complete"
fi
echo "$root"
