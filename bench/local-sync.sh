#!/usr/bin/env bash
# Issue 2 targets, side by side in one run on the same tree (10,000 files of 4 KiB):
#   first sync to a local directory remote within 2x of `cp -r`;
#   no-change re-sync no slower than `rsync -a`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
make_tree "$work/src" 10000 4096
out="$root/bench/results"; mkdir -p "$out"

hyperfine --runs 7 --warmup 1 \
  --prepare "rm -rf $work/dst-cp $work/dst-sync $work/dst-rsync; sync" \
  -n "cp -r" "cp -r $work/src $work/dst-cp" \
  -n "rsync -a (first)" "rsync -a $work/src/ $work/dst-rsync/" \
  -n "sync up (first)" "$sync_cli up $work/src $work/dst-sync --quiet" \
  --export-json "$out/local-first.json" --export-markdown "$out/local-first.md"

"$sync_cli" up "$work/src" "$work/dst-sync" --quiet
rsync -a "$work/src/" "$work/dst-rsync/"
hyperfine --runs 10 --warmup 2 \
  -n "rsync -a (no change)" "rsync -a $work/src/ $work/dst-rsync/" \
  -n "sync up (no change)" "$sync_cli up $work/src $work/dst-sync --quiet" \
  --export-json "$out/local-resync.json" --export-markdown "$out/local-resync.md"

rm -rf "$work/dst-mem"
echo "peak RSS, first sync: $(peak_kb "$sync_cli" up "$work/src" "$work/dst-mem" --quiet) KiB; no-change: $(peak_kb "$sync_cli" up "$work/src" "$work/dst-mem" --quiet) KiB"
median_of "$out/local-first.json"
median_of "$out/local-resync.json"
