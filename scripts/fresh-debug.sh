#!/usr/bin/env bash
# First contact on a pristine machine: bootstraps a minimal Debian 12 root (mmdebstrap, minbase,
# this machine's apt sources), copies a clean clone of this repository's HEAD into it and runs the
# README's two commands there, as root, as a new user would:
#   bash scripts/main-job.sh --epochs 1   (then report.html, emissions.csv and model.gtckpt exist)
#   bash scripts/test.sh --quick          (every test but the sanitizer pass)
# A package missing from scripts/install-deps.sh fails here, not on the developer's machine.
#
# Needs root, mmdebstrap and the Debian package registry. It fails, never skips, when it cannot run.
# Caches under GREENTRAIN_FRESH_CACHE (default /var/cache/greentrain): the bootstrapped root as a
# tarball per day and the downloaded .debs. The host's ccache directory is mounted inside, and the
# clone lies at GREENTRAIN_FRESH_PATH in the root (default: this repository's path), because ccache
# hashes the build folder of builds with debug information: the host's entries for the same folder
# hit.
set -euo pipefail

cache=${GREENTRAIN_FRESH_CACHE:-/var/cache/greentrain}
suite=bookworm
started=$SECONDS

say() { printf 'fresh-machine-check: %s\n' "$*"; }
die() {
  printf 'fresh-machine-check: FAILED: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root: it bootstraps a root filesystem and chroots into it; run: sudo bash $0"
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed; run: apt-get install mmdebstrap"
command -v git >/dev/null || die "git is not installed; run: apt-get install git"
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)
inside=${GREENTRAIN_FRESH_PATH:-$repo}
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
  say "note: uncommitted changes in $repo are not checked; this checks HEAD $commit"

mkdir -p "$cache/debs"
# One check at a time on this machine: they share the .deb folder, and apt locks it.
exec 9>"$cache/lock"
flock -n 9 || {
  say "waiting for another fresh-machine check on this machine to finish"
  flock 9
}

work=$(mktemp -d "${TMPDIR:-/var/tmp}/greentrain-fresh.XXXXXX")
root=$work/root
logs=$work/logs
mkdir -p "$root" "$logs"
child=""

mounts_under() { awk -v w="$1" '$2 == w || index($2, w "/") == 1 { print $2 }' /proc/mounts; }

# Processes left inside the root (an interrupted build, a browser) keep its mounts busy.
stop_processes_in_root() {
  local signal pid
  for signal in TERM KILL; do
    local left=0
    for pid in /proc/[0-9]*; do
      [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] || continue
      kill -s "$signal" "${pid#/proc/}" 2>/dev/null && left=1
    done
    [ "$left" -eq 0 ] && return 0
    [ "$signal" = TERM ] && sleep 2
  done
  return 0
}

# A phase runs in a process group of its own (see phase); this ends all of it.
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 20); do
    kill -0 -- "-$1" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$1" 2>/dev/null || true
}

unmount_all() {
  local mountpoint
  # Deepest first; a busy one is detached lazily so that nothing below $work stays reachable.
  for mountpoint in $(mounts_under "$work" | sort -r); do
    umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" || true
  done
}

# Every exit path: normal end, failure, Ctrl-C, kill. The root is removed only once no mount is
# left under it: removing through a mounted /dev or cache would delete what lies outside.
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  set +e # best effort from here: one failed step must not skip the unmounting
  [ -n "$child" ] && stop_group "$child"
  stop_processes_in_root
  unmount_all
  local left
  left=$(mounts_under "$work")
  if [ -n "$left" ]; then
    printf 'fresh-machine-check: FAILED: still mounted, %s left in place:\n%s\n' "$work" "$left" >&2
    exit 1
  fi
  rm -rf --one-file-system "$work"
  [ "$status" -eq 0 ] || printf '\nfresh-machine-check: stopped (exit status %d); unmounted and removed %s\n' \
    "$status" "$work" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Runs a phase in the background, in a process group of its own (job control), so that a signal
# interrupts the wait at once and cleanup can end the whole phase; its output goes to its own
# log. Prints its time, and on failure the end of its log.
phase() {
  local name=$1 log=$logs/$1.log start=$SECONDS status=0
  shift
  printf 'fresh-machine-check: %-12s ... ' "$name"
  set -m
  "$@" >"$log" 2>&1 </dev/null &
  child=$!
  set +m
  wait "$child" || status=$?
  child=""
  printf '%s (%d s)\n' "$([ "$status" -eq 0 ] && echo ok || echo FAILED)" $((SECONDS - start))
  if [ "$status" -ne 0 ]; then
    printf -- '---- last lines of %s (exit status %d) ----\n' "$name" "$status" >&2
    tail -n 200 "$log" >&2
    printf -- '----\n' >&2
    exit 1
  fi
}

sources=()
[ -s /etc/apt/sources.list ] && sources+=(/etc/apt/sources.list)
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || die "no apt sources in /etc/apt/sources.list or /etc/apt/sources.list.d/"
includes=()
# apt reaches https mirrors only with the CA certificates.
grep -qs 'https://' "${sources[@]}" && includes+=(--include=ca-certificates)

# The .debs this machine downloaded already, linked in (apt checks each against the index and
# never writes a cached one in place).
cp -ln /var/cache/apt/archives/*.deb "$cache/debs/" 2>/dev/null || true

tarball=$cache/debian12-minbase-$(date +%F).tar
bootstrap() {
  rm -f "$cache"/debian12-minbase-*.tar
  TMPDIR=$work mmdebstrap --variant=minbase --mode=root --format=tar "${includes[@]}" \
    --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $cache/debs /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $cache/debs" \
    "$suite" "$work/root.tar" "${sources[@]}"
  mv "$work/root.tar" "$tarball"
}

# What every installed machine has and a bootstrapped root lacks: a loopback name (chromedriver
# is reached at localhost), a resolver and a hostname.
prepare_root() {
  tar -C "$root" --numeric-owner -xpf "$tarball"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tgreentrain-fresh\n' \
    >"$root/etc/hosts"
  echo greentrain-fresh >"$root/etc/hostname"
  # The root is thrown away: dpkg need not sync each file it unpacks (minutes on a busy disk).
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/greentrain-fresh-unsafe-io"
  rm -f "$root/etc/resolv.conf"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"

  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --make-rslave "$root/sys"
  # A /dev of its own (not the host's bound in): nothing done inside can touch the host's nodes.
  mount -t tmpfs -o mode=755,nosuid dev "$root/dev"
  local node
  for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    mknod -m 666 "$root/dev/$name" c "$major" "$minor"
  done
  mkdir -m 755 "$root/dev/pts"
  mkdir -m 1777 "$root/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
  ln -s pts/ptmx "$root/dev/ptmx"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"

  # .debs downloaded by an earlier check are reused; apt still resolves and installs everything.
  mount --bind "$cache/debs" "$root/var/cache/apt/archives"
  mkdir -p "$root$ccache_dir"
  mount --bind "$ccache_dir" "$root$ccache_dir"

  mkdir -p "$root$inside"
  git clone --quiet --no-hardlinks "$repo" "$root$inside"
  git -C "$root$inside" checkout --quiet --detach "$commit"
}

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CCACHE_DIR="$ccache_dir" CCACHE_BASEDIR="$ccache_basedir" CCACHE_MAXSIZE="$ccache_maxsize" \
    CCACHE_COMPILERCHECK="$ccache_compilercheck" CCACHE_STATSLOG=/root/ccache-stats.log \
    /bin/bash -c "cd '$inside' && $1"
}

main_job_outputs() {
  local out=$root$inside/out/fashion-mnist f
  for f in report.html emissions.csv model.gtckpt; do
    [ -s "$out/$f" ] || {
      echo "missing: out/fashion-mnist/$f"
      ls -l "$out"
      return 1
    }
    echo "ok: out/fashion-mnist/$f"
  done
}

# The host's cache settings, so that entries written here and inside are the same entries. The
# compiler's mtime check hits inside: dpkg keeps the package's file times.
command -v ccache >/dev/null || die "ccache is not installed; run: apt-get install ccache"
ccache_dir=$(ccache -k cache_dir)
ccache_basedir=$(ccache -k base_dir)
ccache_basedir=${ccache_basedir:-/}
ccache_maxsize=$(ccache -k max_size)
ccache_compilercheck=$(ccache -k compiler_check)
mkdir -p "$ccache_dir"

say "checking $commit from $repo in a pristine Debian 12 root under $work (load: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -s "$tarball" ]; then
  say "bootstrap    ... cached ($tarball)"
else
  phase bootstrap bootstrap
fi
phase prepare prepare_root
phase debug in_root "bash scripts/install-deps.sh && cmake --preset default >/dev/null && cmake --build --preset default >/dev/null && for i in 1 2 3; do ctest --preset default -R SIGTERM --output-on-failure; done; python3 -c \"import os; print(os.environ)\"; exit 1"
say "ccache inside: $(CCACHE_DIR=$ccache_dir CCACHE_STATSLOG=$root/root/ccache-stats.log \
  ccache --show-log-stats | grep -iE '^ *(hits|misses)' | tr -s ' ' | paste -sd' ')"
say "passed in $((SECONDS - started)) s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
