#!/bin/bash
# Oracle: what grub-mkconfig makes of a root's /etc/default/grub and
# /etc/default/grub.d/*.cfg for the command-line variables.
#
# Usage:  effective-cmdline.sh ROOT [--shell bash|dash|both] [--trace]
# Prints, one per line, NAME=<value> for GRUB_CMDLINE_LINUX,
# GRUB_CMDLINE_LINUX_DEFAULT, GRUB_CMDLINE_XEN, GRUB_CMDLINE_XEN_DEFAULT,
# GRUB_CMDLINE_LINUX_XEN_REPLACE, GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT and
# GRUB_DISTRIBUTOR (unset: NAME is printed with `unset` instead of `=`), then
# `sources:` and the files sourced, in order, then `commands:` and every command
# a command substitution (or anything else) tried to run, with its file and line
# (bash's xtrace; "none" when there was none), then `printed:` and what the
# files wrote to stdout or stderr (Debian's xen.cfg echoes a line: with
# `grub-mkconfig -o FILE` it goes to the terminal; WITHOUT -o it would go into
# grub.cfg, which is why virthost must run `grub-mkconfig -o`).
#
# Sourcing, exactly as Debian 12's /usr/sbin/grub-mkconfig (grub-common
# 2.06-13+deb12u2, lines 160-167) does it:
#     if test -f ${sysconfdir}/default/grub ; then . ${sysconfdir}/default/grub; fi
#     for x in ${sysconfdir}/default/grub.d/*.cfg ; do
#       if [ -e "${x}" ]; then . "${x}"; fi
#     done
# in one shell (a later file sees and overrides what an earlier one set), after grub-mkconfig has set GRUB_DISABLE_OS_PROBER=true and
# GRUB_EARLY_INITRD_LINUX_STOCK (reproduced). The glob sorts in the C locale
# (LC_ALL=C here; a real run sorts by the admin's LC_COLLATE, which only matters
# for names that differ in case or punctuation). grub-mkconfig's shell is
# /bin/sh: dash on Debian and Ubuntu, bash on RHEL; --shell both (the default)
# runs both and fails (exit 5) when they disagree, so a fixture that only one
# shell reads that way is caught.
#
# Command substitution is neutralised, not emulated:
#   * `env -i` with PATH=/nonexistent: no variable of the caller leaks in (a real
#     grub-mkconfig inherits the caller's environment; a file that does not set
#     GRUB_CMDLINE_LINUX_DEFAULT would keep an exported one), and no program can be
#     found by name. `lsb_release` in Debian's GRUB_DISTRIBUTOR line fails with
#     127, silently (its stderr goes to /dev/null), so its `|| echo Debian`
#     fallback (a builtin) decides: GRUB_DISTRIBUTOR=Debian on every machine.
#   * Sourcing a file outside the root (Ubuntu 24.04's GRUB_DISTRIBUTOR runs
#     `( . /etc/os-release; echo ${NAME:-Ubuntu} )`) would read this machine's
#     file: under bash, `.` and `source` are shell functions that source only
#     files under ROOT and otherwise return 1 (traced), so Ubuntu's line yields
#     "Ubuntu". dash cannot override `.`; GRUB_DISTRIBUTOR is therefore not among
#     the compared variables (it names the menu entries, never the command line).
#   * grub-mkconfig runs under `set -e`; the oracle does not: with no program
#     to be found, RHEL's GRUB_DISTRIBUTOR="$(sed ... /etc/system-release)" fails
#     with 127 and `set -e` would stop the sourcing there (and trips a bash
#     bug inside the `.` function below), although on the real host sed works.
#     The cost: a file that really fails half-way is read to its end here.
#   * Builtins still run (echo, printf, test, eval, read): that IS what the shell
#     makes of the file, and none of them can start another program.
#   * A command named by a path (`$(/usr/bin/lsb_release)`) would still run: the
#     script refuses to source a file in which a `$(` or backquote is followed by a
#     `/` (exit 6) rather than running it.
#   * Every command the files try to run is recorded with file:line through
#     bash's xtrace (PS4 with BASH_SOURCE and LINENO, to a file descriptor of its
#     own), so a golden file shows that GRUB_DISTRIBUTOR's value came from a
#     command substitution and that no command-line variable did.
#   * The shell runs in an empty temporary directory, so a stray relative
#     redirection cannot touch the fixture.
set -euo pipefail
usage() { echo "usage: $0 ROOT [--shell bash|dash|both] [--trace]" >&2; exit 2; }
[ $# -ge 1 ] || usage
root=$(cd "$1" && pwd); shift
shell=both
while [ $# -gt 0 ]; do
  case "$1" in
    --shell) shell=$2; shift 2 ;;
    *) usage ;;
  esac
done
files=()
[ -f "$root/etc/default/grub" ] && files+=("$root/etc/default/grub")
for x in "$root"/etc/default/grub.d/*.cfg; do [ -e "$x" ] && files+=("$x"); done
for f in "${files[@]}"; do
  if LC_ALL=C grep -nE '(\$\(|`)[[:space:]]*/' "$f" >&2; then
    echo "effective-cmdline.sh: $f runs a program by its path in a command substitution; refusing to source it" >&2
    exit 6
  fi
done
vars="GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT GRUB_CMDLINE_XEN GRUB_CMDLINE_XEN_DEFAULT GRUB_CMDLINE_LINUX_XEN_REPLACE GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"
# The shell program: grub-mkconfig's prologue and sourcing, then the values.
# $1 is the root; sysconfdir is "$1/etc" (grub-mkconfig's is /etc).
bash_guard='
__root="$1"
. () { case "$1" in "$__root"/*) builtin . "$@" ;; *) return 1 ;; esac; }
source () { . "$@"; }
'
program='
exec 3>&1 1>&2
sysconfdir="$1/etc"
GRUB_DISABLE_OS_PROBER="true"
if [ "x${GRUB_EARLY_INITRD_LINUX_STOCK}" = "x" ]; then
	GRUB_EARLY_INITRD_LINUX_STOCK="intel-uc.img intel-ucode.img amd-uc.img amd-ucode.img early_ucode.cpio microcode.cpio"
fi
if test -f ${sysconfdir}/default/grub ; then
  . ${sysconfdir}/default/grub
fi
for x in ${sysconfdir}/default/grub.d/*.cfg ; do
  if [ -e "${x}" ]; then
    . "${x}"
  fi
done
for v in '"$vars"'; do
  if eval "[ \"\${$v+set}\" = set ]"; then eval "printf \"%s=%s\\n\" \"\$v\" \"\$$v\"" >&3; else printf "unset %s\n" "$v" >&3; fi
done
'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # $1 = bash|dash; output to stdout, xtrace to $tmp/trace
  local sh
  sh=$(command -v "$1") || { echo "effective-cmdline.sh: $1 not installed" >&2; exit 3; }
  if [ "$1" = bash ]; then
    # PS4 is set inside: bash run by root does not import PS4 from the environment.
    (cd "$tmp" && exec 9>"$tmp/trace" && env -i PATH=/nonexistent LC_ALL=C BASH_XTRACEFD=9 \
      "$sh" --noprofile --norc -c '__root="$1"; PS4='"'"'+${BASH_SOURCE[0]#"$__root"}:${LINENO}: '"'"'; set -x; '"$bash_guard$program" bash "$root")
  else
    (cd "$tmp" && env -i PATH=/nonexistent LC_ALL=C "$sh" -c "$program" dash "$root")
  fi
}
case "$shell" in
  bash|dash) run "$shell" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 4; } ;;
  both)
    run bash >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 4; }
    run dash >"$tmp/out.dash" 2>"$tmp/err.dash" || { cat "$tmp/err.dash" >&2; exit 4; }
    if ! cmp -s "$tmp/out" "$tmp/out.dash"; then
      echo "effective-cmdline.sh: bash and dash disagree:" >&2
      diff -u --label bash --label dash "$tmp/out" "$tmp/out.dash" >&2 || true
      exit 5
    fi ;;
  *) usage ;;
esac
cat "$tmp/out"
echo "sources:"
for f in "${files[@]}"; do echo "  ${f#"$root"}"; done
echo "commands:"
# Level 1 (+) is the program, level 2 (++) the files' own lines (sourced), level
# 3 and deeper (+++) what ran inside a command substitution or subshell of a file.
# Only lines traced in the fixture's files (the `.` guard's own lines are not).
# Only bash traces (BASH_XTRACEFD); with --shell dash there is no trace to read.
if [ ! -f "$tmp/trace" ]; then
  echo "  untraced (--shell dash: dash has no trace file descriptor)"
else
  sed -n -E 's/^\+{3,}(\/.*)$/  \1/p' "$tmp/trace" >"$tmp/cmds"
  if [ -s "$tmp/cmds" ]; then cat "$tmp/cmds"; else echo "  none"; fi
fi
echo "printed:"
if [ -s "$tmp/err" ]; then sed -e "s|$root||g" -e 's/^/  /' "$tmp/err"; else echo "  none"; fi
