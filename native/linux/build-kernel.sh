#!/usr/bin/env bash
# Builds crtr-motion's riscv64 Linux guest: Debian's linux-source-6.1 configured from
# tinyconfig plus crtr.config, with init/init.c as the built-in initramfs's /init.
# See README.md.
#
#   build-kernel.sh               build if needed; progress on stderr, the Image's path last on stdout
#   build-kernel.sh --print-path  the same, quietly: only the path (errors still go to stderr)
#   build-kernel.sh --clean       remove everything this script cached
#
# Environment: CRTR_CACHE (default ~/.cache/crtr-motion) is where sources, build trees and
# Images live; CRTR_JOBS (default 2) is make's -j.
set -euo pipefail

# Parsed whole before it runs, so editing this file during a build cannot derail the build.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"
cache=${CRTR_CACHE:-${HOME:?set HOME or CRTR_CACHE}/.cache/crtr-motion}/linux
jobs=${CRTR_JOBS:-2}

quiet=0
case "${1:-}" in
"") ;;
--print-path) quiet=1 ;;
--clean)
	rm -rf "$cache"
	echo "build-kernel: removed $cache" >&2
	exit 0
	;;
-h | --help)
	sed -n '2,11s/^# \{0,1\}//p' "$self" >&2
	exit 0
	;;
*)
	echo "build-kernel: unknown option '$1' (expected --print-path or --clean)" >&2
	exit 2
	;;
esac
[ $# -le 1 ] || { echo "build-kernel: one option at most" >&2; exit 2; }

say() { [ "$quiet" = 1 ] || echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }

# --- Debian packages: checked up front, so a missing one is named instead of surfacing as a
# cryptic make error halfway through.
# The cross compiler's real version lives in gcc-12-riscv64-linux-gnu (gcc-riscv64-linux-gnu
# is only the unversioned front), and static glibc goes into /init, so both enter the key too.
packages=(linux-source-6.1 gcc-riscv64-linux-gnu gcc-12-riscv64-linux-gnu
	binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
	gcc libc6-dev make flex bison bc cpio xz-utils)
missing=()
versions=""
for p in "${packages[@]}"; do
	v=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$p" 2>/dev/null || true)
	case "$v" in
	ii*) versions+="$p=${v#*|}"$'\n' ;;
	*) missing+=("$p") ;;
	esac
done
if [ ${#missing[@]} -gt 0 ]; then
	die "missing Debian packages: ${missing[*]}
install them with: apt-get update && apt-get install -y ${missing[*]}"
fi
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball is missing although linux-source-6.1 is installed; reinstall it: apt-get install --reinstall -y linux-source-6.1"

# --- Cache keys. The Image's key covers everything that goes into it; the build tree's key
# leaves out /init's sources, so a change to /init only regenerates the initramfs and relinks.
init_sources=("$here"/init/*.c)
# The workload code /init shares with the bare-metal guests.
common_headers=("$here"/../common/*.h)
tree_key=$( { cat "$self" "$here/crtr.config"; printf '%s' "$versions"; } | sha256sum | cut -c1-16)
key=$( { echo "$tree_key"; cat "${init_sources[@]}" "${common_headers[@]}"; } | sha256sum | cut -c1-16)
out="$cache/$key"
image="$out/Image"

if [ -f "$image" ]; then
	say "cached (key $key)"
	echo "$image"
	exit 0
fi

mkdir -p "$cache"
# Two builds at once (a developer and CI, two worktrees) share the cache; one waits.
exec 9>"$cache/.lock"
flock 9
if [ -f "$image" ]; then
	say "built meanwhile by another run (key $key)"
	echo "$image"
	exit 0
fi

# Everything the kernel build sees is fixed: no timestamps, user or host names, locale or
# outer make flags reach the Image, so equal inputs give equal bytes wherever they are built.
export LC_ALL=C TZ=UTC
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970' KBUILD_BUILD_USER=crtr \
	KBUILD_BUILD_HOST=crtr-motion KBUILD_BUILD_VERSION=1
unset MAKEFLAGS MFLAGS MAKELEVEL KBUILD_OUTPUT KCONFIG_CONFIG ARCH CROSS_COMPILE \
	LOCALVERSION INSTALL_PATH
start=$(date +%s)
src_version=$(printf '%s' "$versions" | sed -n 's/^linux-source-6.1=//p')
srcdir="$cache/src/$src_version"
src="$srcdir/linux-source-6.1"
build="$cache/build/$tree_key"
log="$build/build.log"

# --- The kernel source, unpacked once per linux-source-6.1 version and shared by build trees
# (out-of-tree builds with O= leave it untouched).
if [ ! -f "$srcdir/.unpacked" ]; then
	say "unpacking $tarball (linux-source-6.1 $src_version)"
	rm -rf "$srcdir"
	mkdir -p "$srcdir"
	tar -xJf "$tarball" -C "$srcdir"
	[ -f "$src/Makefile" ] || die "$tarball did not unpack to linux-source-6.1/"
	touch "$srcdir/.unpacked"
fi
kmake=(nice make -C "$src" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)

mkdir -p "$build" "$out"
: >"$log"
# Quiet runs keep make's output in the log; normal runs show it too.
run() {
	if [ "$quiet" = 1 ]; then
		"$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "failed: $* (full log: $log)"; }
	else
		"$@" 2>&1 | tee -a "$log" >&2 || die "failed: $* (full log: $log)"
	fi
}

# --- /init and the initramfs list. The list and the binary stay at fixed paths in the build
# tree, so CONFIG_INITRAMFS_SOURCE does not change when only /init does.
say "compiling /init"
# -ffp-contract=off: a*b+c stays two roundings unless the source asks for fma, as in the
# bare-metal guests, so the checksums match theirs. -fno-math-errno lets sqrt be one fsqrt.d.
run riscv64-linux-gnu-gcc -static -O2 -march=rv64gc -mabi=lp64d -ffp-contract=off \
	-fno-math-errno -Wall -Wextra -Werror -I"$here/../common" -s -o "$build/crtr-init" "${init_sources[@]}"
# gen_init_cpio stores a file's own mtime; everything else gets KBUILD_BUILD_TIMESTAMP's.
touch -d @0 "$build/crtr-init"
cat >"$build/crtr-initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/mem 0600 0 0 c 1 1
dir /proc 0755 0 0
file /init $build/crtr-init 0755 0 0
EOF

# --- Configuration: tinyconfig, the fragment and the initramfs, once per build tree.
if [ ! -f "$build/.crtr-configured" ]; then
	say "configuring (tinyconfig + crtr.config) in $build"
	run "${kmake[@]}" O="$build" tinyconfig
	printf 'CONFIG_INITRAMFS_SOURCE="%s"\n' "$build/crtr-initramfs.list" >"$build/initramfs.config"
	run env ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$build" "$build/.config" "$here/crtr.config" "$build/initramfs.config"
	run "${kmake[@]}" O="$build" olddefconfig
	# merge_config only warns when Kconfig overrides a request (an unmet dependency, a typo),
	# so compare every option the fragment names with what the final configuration holds.
	bad=""
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) name=${line%%=*}; grep -qxF -- "$line" "$build/.config" || bad+=" $line" ;;
		"# CONFIG_"*" is not set") name=${line#\# }; name=${name%% *}
			! grep -q "^$name=" "$build/.config" || bad+=" $name=n" ;;
		esac
	done < <(cat "$here/crtr.config" "$build/initramfs.config")
	[ -z "$bad" ] || die "the kernel configuration did not take these options from crtr.config:$bad"
	touch "$build/.crtr-configured"
fi

say "building Image with make -j$jobs (log: $log)"
run "${kmake[@]}" O="$build" -j"$jobs" Image

cp "$build/arch/riscv/boot/Image" "$out/Image.tmp"
cp "$build/.config" "$out/config"
cp "$build/crtr-init" "$out/init"
mv "$out/Image.tmp" "$image"
say "built in $(( $(date +%s) - start )) s: $(stat -c %s "$image") bytes (key $key)"
echo "$image"
exit 0
}
