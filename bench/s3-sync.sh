#!/usr/bin/env bash
# Issue 3 targets against one s3rver, side by side with `aws s3 sync` and `rclone sync`, in one run:
#   2,000 files of 4 KiB: first sync <= 0.5x aws-cli, no-change re-sync <= 0.3x aws-cli;
#   one 256 MiB file: no slower than either. Medians of at least 5 runs, and peak memory.
set -euo pipefail
source "$(dirname "$0")/common.sh"
unset AWS_CA_BUNDLE # rclone refuses to start with it set
work=$(mktemp -d)
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
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_BENCH_REGION=us-east-1
# One bucket per tool, so no tool lists or writes beside another's objects. $1 may hold $(...) to expand
# per run inside hyperfine's shell: the result is double-quoted for that shell.
remote() { echo "s3://bench-ours/$1?endpoint_override=127.0.0.1:$port&scheme=http"; }
ours() { echo "\"$(remote "$1")\""; }
out="$root/bench/results"; mkdir -p "$out"

make_tree "$work/small" 2000 4096
mkdir -p "$work/large"; head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/large/model.bin"

# First syncs: every run writes to a fresh prefix.
hyperfine --runs 5 --warmup 1 \
  -n "aws s3 sync (first)" "/usr/bin/aws --endpoint-url $endpoint s3 sync $work/small s3://bench-aws/\$(date +%s%N)/ --only-show-errors" \
  -n "rclone sync (first)" "rclone sync $work/small bench:bench-rclone/\$(date +%s%N)" \
  -n "sync up (first)" "$sync_cli up $work/small $(ours 'first-$(date +%s%N)') --quiet" \
  --export-json "$out/s3-first.json" --export-markdown "$out/s3-first.md"

/usr/bin/aws --endpoint-url "$endpoint" s3 sync "$work/small" s3://bench-aws/fixed/ --only-show-errors
rclone sync "$work/small" bench:bench-rclone/fixed
"$sync_cli" up "$work/small" "$(remote fixed)" --quiet
hyperfine --runs 5 --warmup 1 \
  -n "aws s3 sync (no change)" "/usr/bin/aws --endpoint-url $endpoint s3 sync $work/small s3://bench-aws/fixed/ --only-show-errors" \
  -n "rclone sync (no change)" "rclone sync $work/small bench:bench-rclone/fixed" \
  -n "sync up (no change)" "$sync_cli up $work/small $(ours fixed) --quiet" \
  --export-json "$out/s3-resync.json" --export-markdown "$out/s3-resync.md"

hyperfine --runs 5 \
  -n "aws s3 sync (256 MiB)" "/usr/bin/aws --endpoint-url $endpoint s3 sync $work/large s3://bench-aws/large-\$(date +%s%N)/ --only-show-errors" \
  -n "rclone sync (256 MiB)" "rclone sync $work/large bench:bench-rclone/large-\$(date +%s%N)" \
  -n "sync up (256 MiB)" "$sync_cli up $work/large $(ours 'large-$(date +%s%N)') --quiet" \
  --export-json "$out/s3-large.json" --export-markdown "$out/s3-large.md"

echo "peak RSS KiB (2,000 files first / 256 MiB):"
echo "  aws:    $(peak_kb /usr/bin/aws --endpoint-url "$endpoint" s3 sync "$work/small" s3://bench-aws/mem/ --only-show-errors) / $(peak_kb /usr/bin/aws --endpoint-url "$endpoint" s3 sync "$work/large" s3://bench-aws/meml/ --only-show-errors)"
echo "  rclone: $(peak_kb rclone sync "$work/small" bench:bench-rclone/mem) / $(peak_kb rclone sync "$work/large" bench:bench-rclone/meml)"
echo "  sync:   $(peak_kb "$sync_cli" up "$work/small" "$(remote mem)" --quiet) / $(peak_kb "$sync_cli" up "$work/large" "$(remote meml)" --quiet)"
median_of "$out/s3-first.json"; median_of "$out/s3-resync.json"; median_of "$out/s3-large.json"
