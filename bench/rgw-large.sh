#!/usr/bin/env bash
# Issue 14's large-file rows on Ceph RGW 16.2 (bench/rgw-cluster.sh): one 256 MiB upload and one 1 GiB download,
# `sync` against `aws s3` and `rclone`, RUNS rounds (default 5) that alternate the order of the tools, each run
# measured with /usr/bin/time (wall, user+sys CPU, peak RSS); medians in results/rgw-large.{json,md}.
# Every download is compared with the source (cmp). TMPDIR decides where the files live (disk or tmpfs).
# SYNC_CLI_BASE, when set, adds another build of `sync` (e.g. main's) as a fourth tool, for an A/B under the same load.
set -euo pipefail
source "$(dirname "$0")/common.sh"
unset AWS_CA_BUNDLE # rclone refuses to start with it set
runs=${RUNS:-5}
work_with_daemons
RGW_MEMSTORE_BYTES=${RGW_MEMSTORE_BYTES:-8589934592} source "$(dirname "$0")/rgw-cluster.sh"

# Private home and config files: nothing is read from or written to ~/.aws or ~/.config/rclone.
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/home/aws-credentials" RCLONE_CONFIG="$work/home/rclone.conf"
mkdir -p "$HOME"; touch "$RCLONE_CONFIG"
export AWS_ACCESS_KEY_ID=BENCHRGWKEY AWS_SECRET_ACCESS_KEY=bench-rgw-secret AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
endpoint="http://127.0.0.1:$port"
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Ceph RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=BENCHRGWKEY RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=bench-rgw-secret RCLONE_CONFIG_BENCH_REGION=us-east-1
aws=(/usr/bin/aws --endpoint-url "$endpoint")
"${aws[@]}" s3 mb s3://bench >/dev/null
ours() { echo "s3://bench/$1?endpoint_override=127.0.0.1:$port&scheme=http"; }

mkdir -p "$work/up" "$work/big"
head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/up/model.bin"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/big/data.bin"
"${aws[@]}" s3 cp "$work/big/data.bin" s3://bench/big/data.bin --only-show-errors

measure() { # TOOL CASE CMD...: one run, one JSON line of wall, CPU, peak RSS and the cluster's CPU during the run
  local before; before=$(daemons_cpu)
  /usr/bin/time -o "$work/time" -f "%e %U %S %M" "${@:3}" >/dev/null
  read -r wall user sys rss <"$work/time"
  local server; server=$(awk "BEGIN { print $(daemons_cpu) - $before }")
  echo "{\"tool\": \"$1\", \"case\": \"$2\", \"wall\": $wall, \"cpu\": $(awk "BEGIN { print $user + $sys }"), \"rss_kib\": $rss, \"server_cpu\": $server}" >>"$work/runs.jsonl"
}
up() { # TOOL RUN
  case $1 in
    aws) measure aws up "${aws[@]}" s3 cp "$work/up/model.bin" "s3://bench/up-aws-$2/model.bin" --only-show-errors ;;
    rclone) measure rclone up rclone copy "$work/up" "bench:bench/up-rclone-$2" ;;
    sync) measure sync up "$sync_cli" up "$work/up" "$(ours "up-sync-$2")" --quiet ;;
    sync-base) measure sync-base up "$SYNC_CLI_BASE" up "$work/up" "$(ours "up-sync-base-$2")" --quiet ;;
  esac
  "${aws[@]}" s3 rm --recursive "s3://bench/up-$1-$2/" --only-show-errors
}
down() { # TOOL
  rm -rf "$work/down"
  case $1 in
    aws) measure aws down "${aws[@]}" s3 cp s3://bench/big/data.bin "$work/down/data.bin" --only-show-errors ;;
    rclone) measure rclone down rclone copy bench:bench/big "$work/down" ;;
    sync) measure sync down "$sync_cli" down "$(ours big)" "$work/down" --quiet ;;
    sync-base) measure sync-base down "$SYNC_CLI_BASE" down "$(ours big)" "$work/down" --quiet ;;
  esac
  cmp "$work/big/data.bin" "$work/down/data.bin"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
tools=(aws rclone sync); [ -n "${SYNC_CLI_BASE:-}" ] && tools+=(sync-base)
for run in $(seq "$runs"); do
  # Rotate the order each round, so no tool always runs first (or right after the cluster settled).
  order=("${tools[@]:$((run % ${#tools[@]}))}" "${tools[@]:0:$((run % ${#tools[@]}))}")
  for tool in "${order[@]}"; do up "$tool" "$run"; down "$tool"; done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

out="${OUT:-$root/bench/results}"; mkdir -p "$out" # OUT: another folder for the results
python3 - "$work/runs.jsonl" "$out" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
tools = [t for t in ["aws", "rclone", "sync", "sync-base"] if any(r["tool"] == t for r in runs)]
med = {}
for case in ["up", "down"]:
    for tool in tools:
        rs = [r for r in runs if r["case"] == case and r["tool"] == tool]
        med[(case, tool)] = {k: statistics.median(r[k] for r in rs) for k in ["wall", "cpu", "rss_kib", "server_cpu"]}
json.dump({"runs": runs, "medians": {f"{c} {t}": v for (c, t), v in med.items()}}, open(f"{sys.argv[2]}/rgw-large.json", "w"), indent=1)
lines = [f"Medians of {sys.argv[3]} alternating runs (RGW 16.2 on 127.0.0.1; load average at the end {sys.argv[4]}).", "",
         "| case | tool | wall | CPU (user+sys) | peak RSS | wall / aws | CPU / aws | cluster CPU |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for case, name in [("up", "one 256 MiB upload"), ("down", "one 1 GiB download")]:
    a = med[(case, "aws")]
    for tool in tools:
        m = med[(case, tool)]
        lines.append(f"| {name} | {tool} | {m['wall']:.2f} s | {m['cpu']:.2f} s | {m['rss_kib'] / 1024:.0f} MiB | {m['wall'] / a['wall']:.2f}x | {m['cpu'] / a['cpu']:.2f}x | {m['server_cpu']:.2f} s |")
open(f"{sys.argv[2]}/rgw-large.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
