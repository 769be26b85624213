#!/usr/bin/env bash
# Issue 14's million-key row: `dotnet sync up --dry-run` of a local tree (1,000 files of 4 KiB, all new) against an
# S3 prefix that lists 100,000 and 1,000,000 keys (bench/listing-server.py, a synthetic ListObjectsV2 server on
# 127.0.0.1, keys in UTF-8 byte order as AWS lists them). Target: peak RSS <= 200 MiB at 1,000,000 keys and
# <= 1.3x the peak at 100,000. Peak RSS and wall time from /usr/bin/time -v, one run each. Then one real `sync up`
# of the tree against the 1,000,000-key listing: the server logs when the first PUT and the last listing page came
# (target: the first transfer starts before the listing ends; the tree's keys sort before the listed ones).
# OLD_SYNC_CLI=/path/to/sync compares another build (e.g. main before issue 14) in the same run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
# A private HOME: no tool reads or writes the user's configuration.
export HOME="$work/home" AWS_ACCESS_KEY_ID=BENCH AWS_SECRET_ACCESS_KEY=BENCH AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
mkdir -p "$HOME"
make_tree "$work/tree" 1000 4096
out="${OUT:-$root/bench/results}"; mkdir -p "$out" # OUT: another folder for the results
report="$out/million-keys.md"
clis=("ours=$sync_cli")
[ -n "${OLD_SYNC_CLI:-}" ] && clis+=("old=$OLD_SYNC_CLI")

{
  echo "| build | keys listed | peak RSS | wall | CPU (user+sys) |"
  echo "| --- | ---: | ---: | ---: | ---: |"
} >"$report"
for keys in 100000 1000000; do
  python3 "$root/bench/listing-server.py" "$keys" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$work/server.log" && break; sleep 0.1; done
  port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/server.log")
  for entry in "${clis[@]}"; do
    name=${entry%%=*} cli=${entry#*=}
    /usr/bin/time -v "$cli" up --dry-run "$work/tree" "s3://bench/run?endpoint_override=127.0.0.1:$port&scheme=http" \
      >"$work/out.txt" 2>"$work/time.txt"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f s", s }' "$work/time.txt")
    echo "| $name | $keys | $((rss / 1024)) MiB | $wall | $cpu |" >>"$report"
    tail -1 "$work/out.txt" >&2
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
{
  echo
  echo "| build | real sync up, 1,000 files vs 1,000,000 listed keys | first PUT (s since server start) | last listing page |"
  echo "| --- | --- | ---: | ---: |"
} >>"$report"
for entry in "${clis[@]}"; do
  name=${entry%%=*} cli=${entry#*=}
  python3 "$root/bench/listing-server.py" 1000000 >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$work/server.log" && break; sleep 0.1; done
  port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/server.log")
  if "$cli" up "$work/tree" "s3://bench/run?endpoint_override=127.0.0.1:$port&scheme=http" --quiet; then status="exit 0"; else status="exit $?"; fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  first=$(sed -n 's/^first-put //p' "$work/server.log") last=$(sed -n 's/^last-page //p' "$work/server.log")
  echo "| $name | $status | ${first:-none} | ${last:-none} |" >>"$report"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)" >>"$report"
cat "$report"
