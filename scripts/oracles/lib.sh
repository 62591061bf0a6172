# Shared helpers of the oracle scripts (sourced, not run). See scripts/oracles/README.md.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fixtures=$repo/Tests/EditorsTests/Fixtures
pkgs=$fixtures/debian12-packages
constructed=$fixtures/oracle-constructed
golden=$fixtures/oracles
work=$(mktemp -d /tmp/virthost-oracle.XXXXXX)
mounts=()
cleanup() {
  local m
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
out=/dev/null   # the golden file being written by the current case
ROOT=           # the current case's root

# new_root split|merged|debian [insserv|noinsserv]: a fresh root in $ROOT.
#   split:  /lib/systemd/system a real folder (Debian 12's own layout in its packages)
#   merged: /lib -> usr/lib (Debian 12 installs are merged-usr)
#   debian: the cached mmdebstrap root (merged-usr, sysv-rc, insserv) seen through an overlay
#           (writes go to a temporary upper folder); noinsserv hides /etc/insserv.conf so that
#           update-rc.d takes its plain path, as on a Debian systemd host without insserv.
new_root() {
  local kind=$1 n=$((${#mounts[@]} + RANDOM))
  ROOT=$work/root.$n
  case $kind in
    split) mkdir -p "$ROOT/lib/systemd/system" "$ROOT/etc/systemd/system" "$ROOT/usr/lib" ;;
    merged)
      mkdir -p "$ROOT/usr/lib/systemd/system" "$ROOT/etc/systemd/system"
      ln -s usr/lib "$ROOT/lib"
      ;;
    debian)
      local base
      base=$("$repo/scripts/oracles/debian-root.sh")
      mkdir -p "$work/upper.$n" "$work/wk.$n" "$ROOT"
      if mount -t overlay overlay -o "lowerdir=$base/root,upperdir=$work/upper.$n,workdir=$work/wk.$n" "$ROOT" 2>/dev/null; then
        mounts+=("$ROOT")
      else
        cp -a "$base/root/." "$ROOT/"
      fi
      if [[ ${2:-insserv} == noinsserv ]]; then rm -f "$ROOT/etc/insserv.conf"; fi
      ;;
  esac
  baseline=$(links_now)
}

# install_file PKG-RELATIVE-PATH [FROM]: copies a fixture into the root at its package path
# (FROM: $pkgs by default; a path under lib/ lands in usr/lib/ on merged roots through the link).
install_file() {
  local rel=$1 from=${2:-$pkgs} dest
  dest=${rel#*/}
  mkdir -p "$ROOT/$(dirname "$dest")"
  cp -P "$from/$rel" "$ROOT/$dest"
}

# Every symlink under /etc/systemd and /etc/rc?.d, as "path<TAB>text", sorted.
links_now() {
  (cd "$ROOT" && { find etc/systemd etc/rc?.d -type l 2>/dev/null || true; } | sort | while read -r l; do
    printf '/%s\t%s\n' "$l" "$(readlink "$l")"
  done)
}

# Writes the link set relative to the root's state before the case: "link" for each link
# present now that was not there before or changed, "gone" for one of the baseline removed.
record_links() {
  local now
  now=$(links_now)
  comm -13 <(printf '%s\n' "$baseline") <(printf '%s\n' "$now") | sed '/^$/d; s/^/link\t/' >> "$out"
  comm -23 <(printf '%s\n' "$baseline") <(printf '%s\n' "$now") | sed '/^$/d; s/^/gone\t/' >> "$out"
}

# step CMD...: runs it, records "run<TAB>cmd<TAB>exit" and its output lines ("out<TAB>line",
# the root spelled $ROOT), then the link set.
step() {
  local status=0 text
  text=$("$@" 2>&1) || status=$?
  printf 'run\t%s\t%s\n' "$(printf '%s ' "$@" | sed "s|$ROOT|\$ROOT|g; s/ $//")" "$status" >> "$out"
  if [[ -n $text ]]; then printf '%s\n' "$text" | sed "s|$ROOT|\$ROOT|g; s/^/out\t/" >> "$out"; fi
  record_links
}

# is_enabled UNIT...: "is-enabled<TAB>unit<TAB>answer<TAB>exit" from systemctl --root.
is_enabled() {
  local u answer status
  for u in "$@"; do
    status=0
    answer=$(systemctl --root="$ROOT" is-enabled "$u" 2>&1) || status=$?
    printf 'is-enabled\t%s\t%s\t%s\n' "$u" "$(printf '%s' "$answer" | sed "s|$ROOT|\$ROOT|g" | paste -sd'|')" "$status" >> "$out"
  done
}

# begin_case DIR NAME DESCRIPTION: starts the golden file DIR/NAME.tsv.
begin_case() {
  mkdir -p "$golden/$1"
  out=$golden/$1/$2.tsv
  printf '# %s\n' "$3" > "$out"
}
note() { printf '# %s\n' "$*" >> "$out"; }
