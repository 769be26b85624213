#!/usr/bin/env bash
# Local directory remote, side by side in one run on the same tree, alternating run by run:
#   issue 14 (default, 2,000 files of 4 KiB): no-change re-sync <= 1.5x `rsync -a`, with the installed tool;
#   issue 2 (COUNT=10000): first sync within 2x of `cp -r`; no-change re-sync no slower than `rsync -a`.
# Usage: [COUNT=2000] [TMPDIR=/dev/shm] bash bench/local-sync.sh   (writes bench/results/i14/local-*-COUNT.json|md)
set -euo pipefail
source "$(dirname "$0")/common.sh"
count=${COUNT:-2000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
make_tree "$work/src" "$count" 4096
out="${OUT:-$root/bench/results/i14}"; mkdir -p "$out" # OUT: another folder for the results

alternate --runs 7 --warmup 1 --export "$out/local-first-$count" \
  --prepare "rm -rf $work/dst-cp $work/dst-sync $work/dst-rsync; sync" \
  "cp -r" "cp -r $work/src $work/dst-cp" \
  "rsync -a (first)" "rsync -a $work/src/ $work/dst-rsync/" \
  "sync up (first)" "$sync_cli up $work/src $work/dst-sync --quiet"

"$sync_cli" up "$work/src" "$work/dst-sync" --quiet
rsync -a "$work/src/" "$work/dst-rsync/"
alternate --runs 15 --warmup 2 --export "$out/local-resync-$count" \
  "rsync -a (no change)" "rsync -a $work/src/ $work/dst-rsync/" \
  "sync up (no change)" "$sync_cli up $work/src $work/dst-sync --quiet" \
  "sync up (no change, ReadyToRun package)" "$sync_r2r up $work/src $work/dst-sync --quiet" \
  "sync up (no change, portable .any)" "$sync_any up $work/src $work/dst-sync --quiet"
