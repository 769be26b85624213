#!/usr/bin/env bash
# `sync` against `aws s3 sync` on Ceph RGW 16.2 (a one-node cluster on the in-memory store, set up as the
# tests' CephRgw fixture does): 2,000 files of 4 KiB, first sync up and down, no-change up and down; one run
# each (a production server's listing and write path, where s3-sync.sh measures s3rver's).
set -euo pipefail
source "$(dirname "$0")/common.sh"
work_with_daemons
source "$(dirname "$0")/rgw-cluster.sh"

# aws-cli gets a private home and config: nothing is read from or written to ~/.aws.
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/home/aws-credentials"
mkdir -p "$HOME"
export AWS_ACCESS_KEY_ID=BENCHRGWKEY AWS_SECRET_ACCESS_KEY=bench-rgw-secret AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
endpoint="http://127.0.0.1:$port"
aws=(/usr/bin/aws --endpoint-url "$endpoint")
"${aws[@]}" s3 mb s3://bench-aws >/dev/null
"${aws[@]}" s3 mb s3://bench-ours >/dev/null
ours="s3://bench-ours/tree?endpoint_override=127.0.0.1:$port&scheme=http"
out="${OUT:-$root/bench/results}"; mkdir -p "$out" # OUT: another folder for the results
echo "cluster folder at rest: $(du -sm "$c" | cut -f1) MiB"
make_tree "$work/small" 2000 4096

phase() { # NAME AWS-COMMAND OURS-COMMAND: one run of each, exported as results/rgw-NAME.{json,md}
  hyperfine --runs 1 -n "aws s3 sync $1" "$2" -n "sync $1" "$3" \
    --export-json "$out/rgw-$1.json" --export-markdown "$out/rgw-$1.md" >/dev/null
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "up-first" "${aws[*]} s3 sync $work/small s3://bench-aws/tree/ --only-show-errors" "$sync_cli up $work/small '$ours' --quiet"
phase "down-first" "${aws[*]} s3 sync s3://bench-aws/tree/ $work/down-aws --only-show-errors" "$sync_cli down '$ours' $work/down-ours --quiet"
phase "up-nochange" "${aws[*]} s3 sync $work/small s3://bench-aws/tree/ --only-show-errors" "$sync_cli up $work/small '$ours' --quiet"
phase "down-nochange" "${aws[*]} s3 sync s3://bench-aws/tree/ $work/down-aws --only-show-errors" "$sync_cli down '$ours' $work/down-ours --quiet"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
diff -r "$work/small" "$work/down-aws" && diff -r "$work/small" "$work/down-ours" && echo "both downloads equal the source"

# Where a first sync's time goes: the cluster's CPU (all daemons) during one more first sync of each, into a new prefix.
cluster_first() { # NAME CMD...: wall, our CPU and the cluster's CPU of one run
  local before; before=$(daemons_cpu)
  /usr/bin/time -o "$work/time" -f "%e %U %S" "${@:2}" >/dev/null
  read -r wall user sys <"$work/time"
  echo "$1 first sync: $wall s wall, $(awk "BEGIN { print $user + $sys }") s CPU, cluster $(awk "BEGIN { print $(daemons_cpu) - $before }") s CPU"
}
cluster_first "aws s3 sync" "${aws[@]}" s3 sync "$work/small" s3://bench-aws/again/ --only-show-errors
cluster_first "sync up" "$sync_cli" up "$work/small" "s3://bench-ours/again?endpoint_override=127.0.0.1:$port&scheme=http" --quiet

python3 - "$out" <<'PY'
import json, sys
print("| | aws s3 sync | sync | ratio |\n| --- | ---: | ---: | ---: |")
for phase in ["up-first", "down-first", "up-nochange", "down-nochange"]:
    aws, ours = (r["mean"] for r in json.load(open(f"{sys.argv[1]}/rgw-{phase}.json"))["results"])
    print(f"| {phase} | {aws:.3f} s | {ours:.3f} s | {ours / aws:.2f}x |")
PY
