#!/usr/bin/env bash
# Against one s3rver, side by side with `aws s3 sync` and `rclone sync`, alternating run by run (bench/alternate.py:
# medians, CPU, peak RSS), the installed tool (bench/setup.sh). Issue 14, 2,000 files of 4 KiB:
#   first sync <= 0.5x rclone --transfers 32 and <= 0.25x aws-cli; no-change re-sync <= 0.8x rclone --fast-list
#   --size-only and <= 0.3x aws-cli; peak memory at most aws-cli's. Then where our no-change time goes (start-up, the
#   SDK's first request, the listing). LARGE=1 adds the 256 MiB upload (issue 3).
# Usage: [RUNS=9] [LARGE=1] TMPDIR=/dev/shm bash bench/s3-sync.sh   (writes bench/results/i14/s3-*.json|md)
set -euo pipefail
source "$(dirname "$0")/common.sh"
unset AWS_CA_BUNDLE # rclone refuses to start with it set
work=$(mktemp -d)
# A private home and state folder: `sync down` records its download state, aws-cli and rclone their caches, none in ~.
export HOME="$work/home" SYNCTOOLING_STATE_DIR="$work/state"; mkdir -p "$HOME"
data="$work/s3rver"; mkdir -p "$data"
NODE_OPTIONS=--openssl-legacy-provider node "$root/tests/s3rver/node_modules/s3rver/bin/s3rver.js" \
  -d "$data" -a 127.0.0.1 -p 0 --configure-bucket bench-aws --configure-bucket bench-rclone --configure-bucket bench-ours \
  >"$work/s3rver.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening" "$work/s3rver.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/s3rver.log")
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
# A private, empty rclone config: the remote comes from the variables below, nothing from ~/.config/rclone.
export RCLONE_CONFIG="$work/rclone.conf"; : >"$RCLONE_CONFIG"
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_BENCH_REGION=us-east-1
# One bucket per tool, so no tool lists or writes beside another's objects. $1 may hold $(...) to expand
# per run inside the runner's bash: the result is double-quoted for that shell.
remote() { echo "s3://bench-ours/$1?endpoint_override=127.0.0.1:$port&scheme=http"; }
ours() { echo "\"$(remote "$1")\""; }
out="${OUT:-$root/bench/results/i14}"; mkdir -p "$out" # OUT: another folder for the results

make_tree "$work/small" 2000 4096
runs=${RUNS:-9}
aws="/usr/bin/aws --endpoint-url $endpoint s3 sync $work/small"

# ONLY_FAR=1: only the far-server rows (the prefixes "fixed" are written either way).
if [ "${ONLY_FAR:-0}" != 1 ]; then
# First syncs: every run writes to a fresh prefix.
alternate --runs "$runs" --warmup 1 --export "$out/s3-first" --server-pid "$server" \
  "aws s3 sync (first)" "$aws s3://bench-aws/\$(date +%s%N)/ --only-show-errors" \
  "rclone sync (first)" "rclone sync $work/small bench:bench-rclone/\$(date +%s%N)" \
  "rclone sync --transfers 32 (first)" "rclone sync --transfers 32 $work/small bench:bench-rclone/\$(date +%s%N)" \
  "sync up (first)" "$sync_cli up $work/small $(ours 'first-$(date +%s%N)') --quiet" \
  "sync up -j 32 (first)" "$sync_cli up -j 32 $work/small $(ours 'first-$(date +%s%N)') --quiet"
fi

$aws s3://bench-aws/fixed/ --only-show-errors
rclone sync "$work/small" bench:bench-rclone/fixed
"$sync_cli" up "$work/small" "$(remote fixed)" --quiet
if [ "${ONLY_FAR:-0}" != 1 ]; then
alternate --runs "$runs" --warmup 1 --export "$out/s3-resync" --server-pid "$server" \
  "aws s3 sync (no change)" "$aws s3://bench-aws/fixed/ --only-show-errors" \
  "rclone sync (no change)" "rclone sync $work/small bench:bench-rclone/fixed" \
  "rclone sync --fast-list --size-only (no change)" "rclone sync --fast-list --size-only $work/small bench:bench-rclone/fixed" \
  "sync up (no change)" "$sync_cli up $work/small $(ours fixed) --quiet"

# Where a no-change re-sync goes: start-up alone; start-up, S3 client and one request (an empty listing); the same and
# the listing of the 2,000 objects; the whole re-sync (both listings and the plan).
alternate --runs "$runs" --warmup 1 --export "$out/s3-resync-breakdown" --server-pid "$server" \
  "sync --version" "$sync_cli --version" \
  "sync ls <empty prefix>" "$sync_cli ls $(ours nothing-here); [ \$? -eq 3 ]" \
  "sync ls <2,000 objects>" "$sync_cli ls $(ours fixed)" \
  "sync up (no change)" "$sync_cli up $work/small $(ours fixed) --quiet"
fi

if [ "${LARGE:-0}" = 1 ]; then
  mkdir -p "$work/large"; head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/large/model.bin"
  alternate --runs 5 --warmup 0 --export "$out/s3-large" \
    "aws s3 sync (256 MiB)" "/usr/bin/aws --endpoint-url $endpoint s3 sync $work/large s3://bench-aws/large-\$(date +%s%N)/ --only-show-errors" \
    "rclone sync (256 MiB)" "rclone sync $work/large bench:bench-rclone/large-\$(date +%s%N)" \
    "sync up (256 MiB)" "$sync_cli up $work/large $(ours 'large-$(date +%s%N)') --quiet"
fi

# A far server: the same first sync through bench/latency-proxy.py (DELAY_MS each way, 10 by default: a 20 ms round
# trip), where parallel requests and round trips per file count, not the server's CPU.
if [ "${FAR:-1}" = 1 ]; then
  python3 "$root/bench/latency-proxy.py" "$port" "${DELAY_MS:-10}" "$work/proxy-port" & proxy=$!
  trap 'kill $proxy $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 50); do [ -s "$work/proxy-port" ] && break; sleep 0.1; done
  far=$(cat "$work/proxy-port")
  far_remote() { echo "\"s3://bench-ours/$1?endpoint_override=127.0.0.1:$far&scheme=http\""; }
  alternate --runs "$runs" --warmup 1 --export "$out/s3-first-far" --server-pid "$server" \
    "aws s3 sync (first, far)" "/usr/bin/aws --endpoint-url http://127.0.0.1:$far s3 sync $work/small s3://bench-aws/far-\$(date +%s%N)/ --only-show-errors" \
    "rclone sync --transfers 32 (first, far)" "RCLONE_CONFIG_BENCH_ENDPOINT=http://127.0.0.1:$far rclone sync --transfers 32 $work/small bench:bench-rclone/far-\$(date +%s%N)" \
    "sync up (first, far)" "$sync_cli up $work/small $(far_remote 'far-$(date +%s%N)') --quiet" \
    "sync up -j 32 (first, far)" "$sync_cli up -j 32 $work/small $(far_remote 'far32-$(date +%s%N)') --quiet"
  # The prefixes "fixed" hold the 2,000 files (written above): a no-change re-sync, and a first sync down into a new folder.
  alternate --runs "$runs" --warmup 1 --export "$out/s3-resync-far" --server-pid "$server" \
    "aws s3 sync (no change, far)" "/usr/bin/aws --endpoint-url http://127.0.0.1:$far s3 sync $work/small s3://bench-aws/fixed/ --only-show-errors" \
    "rclone sync --fast-list --size-only (no change, far)" "RCLONE_CONFIG_BENCH_ENDPOINT=http://127.0.0.1:$far rclone sync --fast-list --size-only $work/small bench:bench-rclone/fixed" \
    "sync up (no change, far)" "$sync_cli up $work/small $(far_remote fixed) --quiet"
  alternate --runs "$runs" --warmup 1 --export "$out/s3-down-far" --server-pid "$server" \
    "aws s3 sync (down, far)" "/usr/bin/aws --endpoint-url http://127.0.0.1:$far s3 sync s3://bench-aws/fixed/ $work/down-aws-\$(date +%s%N) --only-show-errors" \
    "rclone sync --transfers 32 (down, far)" "RCLONE_CONFIG_BENCH_ENDPOINT=http://127.0.0.1:$far rclone sync --transfers 32 bench:bench-rclone/fixed $work/down-rclone-\$(date +%s%N)" \
    "sync down (down, far)" "$sync_cli down $(far_remote fixed) $work/down-ours-\$(date +%s%N) --quiet" \
    "sync down -j 32 (down, far)" "$sync_cli down -j 32 $(far_remote fixed) $work/down-ours32-\$(date +%s%N) --quiet"
fi

if [ "${ONLY_FAR:-0}" != 1 ]; then
# Peak memory by kind (bench/memory-split.py): RSS counts the mapped assemblies' code; the anonymous part is the run's own.
mkdir -p "$work/large"; [ -f "$work/large/model.bin" ] || head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/large/model.bin"
python3 "$root/bench/memory-split.py" --runs 3 --export "$out/s3-memory-split" \
  "aws s3 sync (first)" "$aws s3://bench-aws/m-\$(date +%s%N)/ --only-show-errors" \
  "rclone sync (first)" "rclone sync $work/small bench:bench-rclone/m-\$(date +%s%N)" \
  "sync up (first)" "$sync_cli up $work/small $(ours 'm-$(date +%s%N)') --quiet" \
  "aws s3 sync (no change)" "$aws s3://bench-aws/fixed/ --only-show-errors" \
  "rclone sync --fast-list --size-only (no change)" "rclone sync --fast-list --size-only $work/small bench:bench-rclone/fixed" \
  "sync up (no change)" "$sync_cli up $work/small $(ours fixed) --quiet" \
  "aws s3 sync (256 MiB)" "/usr/bin/aws --endpoint-url $endpoint s3 sync $work/large s3://bench-aws/ml-\$(date +%s%N)/ --only-show-errors" \
  "rclone sync (256 MiB)" "rclone sync $work/large bench:bench-rclone/ml-\$(date +%s%N)" \
  "sync up (256 MiB)" "$sync_cli up $work/large $(ours 'ml-$(date +%s%N)') --quiet"
fi
