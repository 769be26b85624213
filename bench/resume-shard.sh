#!/usr/bin/env bash
# Issue 17 on Ceph RGW 16.2 (bench/rgw-cluster.sh): (1) the bytes a rerun sends after `sync up` of a 1 GiB file
# was killed (SIGKILL) at about half of its parts, against a full upload of the same file, counted by a proxy
# in front of the gateway (bench/count-proxy.py: client-to-server bytes, heads and bodies); (2) the wall time
# of one sync up of 2,000 files of 256 KiB split into 1, 2 and 4 shards run at once on this machine.
set -euo pipefail
source "$(dirname "$0")/common.sh"
work_with_daemons
source "$(dirname "$0")/rgw-cluster.sh"

# A private home, config and state folder: nothing is read from or written to ~/.aws or ~/.local/state.
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/home/aws-credentials"
export SYNCTOOLING_STATE_DIR="$work/state"
mkdir -p "$HOME"
export AWS_ACCESS_KEY_ID=BENCHRGWKEY AWS_SECRET_ACCESS_KEY=bench-rgw-secret AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
/usr/bin/aws --endpoint-url "http://127.0.0.1:$port" s3 mb s3://bench-resume >/dev/null
out="$root/bench/results"; mkdir -p "$out"

python3 "$root/bench/count-proxy.py" "$port" "$work/proxy-port" "$work/proxy-count" & daemons+=($!)
for _ in $(seq 100); do [ -s "$work/proxy-port" ] && [ -s "$work/proxy-count" ] && break; sleep 0.1; done
proxy=$(cat "$work/proxy-port")
sent() { sleep 0.5; cat "$work/proxy-count"; }
remote() { echo "s3://bench-resume/$1?endpoint_override=127.0.0.1:$proxy&scheme=http"; }
# recorded: "PARTS-RECORDED PARTS-TOTAL" of the one upload checkpoint, or "0 0".
recorded() {
  python3 - "$SYNCTOOLING_STATE_DIR" <<'PY'
import glob, json, math, sys
for f in glob.glob(f"{sys.argv[1]}/uploads/*/*.json"):
    try:
        c = json.load(open(f))
        print(len(c["Parts"]), math.ceil(c["Size"] / c["PartSize"])); break
    except (OSError, ValueError, KeyError):
        pass
else:
    print(0, 0)
PY
}

mkdir -p "$work/big"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/big/model.bin"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# (1) Resume: kill at about half, rerun, then a full upload of the same file to another prefix.
"$sync_cli" up "$work/big" "$(remote killed)" --quiet & victim=$!
while :; do
  read -r done total < <(recorded)
  [ "$total" -gt 0 ] && [ $((done * 2)) -ge "$total" ] && break
  kill -0 "$victim" 2>/dev/null || { echo "the upload ended before half way" >&2; exit 1; }
  sleep 0.05
done
kill -9 "$victim"; wait "$victim" 2>/dev/null || true
read -r done total < <(recorded)
before=$(sent)
start=$(date +%s.%N)
"$sync_cli" up "$work/big" "$(remote killed)" --quiet 2>"$work/rerun.err"
rerun_s=$(echo "$(date +%s.%N) - $start" | bc)
rerun=$(( $(sent) - before ))
before=$(sent)
start=$(date +%s.%N)
"$sync_cli" up "$work/big" "$(remote full)" --quiet
full_s=$(echo "$(date +%s.%N) - $start" | bc)
full=$(( $(sent) - before ))
"$sync_cli" down "$(remote killed)" "$work/back" --quiet
cmp "$work/big/model.bin" "$work/back/model.bin" && echo "the resumed object equals the source"
python3 - "$out/rgw-resume.json" "$done" "$total" "$rerun" "$full" "$rerun_s" "$full_s" "$(cat "$work/rerun.err")" <<'PY'
import json, sys
path, done, total, rerun, full, rerun_s, full_s, note = sys.argv[1], *map(int, sys.argv[2:6]), *map(float, sys.argv[6:8]), sys.argv[8]
result = {"file_bytes": 1 << 30, "parts_total": total, "parts_recorded_at_kill": done, "rerun_bytes_sent": rerun,
          "full_upload_bytes_sent": full, "rerun_share": round(rerun / full, 4), "rerun_seconds": round(rerun_s, 2),
          "full_upload_seconds": round(full_s, 2), "rerun_stderr": note}
json.dump(result, open(path, "w"), indent=2)
print(json.dumps(result, indent=2))
PY
rm -rf "$work/back"; /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" s3 rm --recursive --quiet s3://bench-resume/

# (2) Shards: 1, 2 and 4 processes at once, each a fresh prefix.
make_tree "$work/tree" 2000 262144
bytes=$(du -sb "$work/tree" | cut -f1)
rows=()
for n in 1 2 4; do
  start=$(date +%s.%N)
  pids=()
  for k in $(seq "$n"); do "$sync_cli" up "$work/tree" "$(remote "shards$n")" --shard "$k/$n" --quiet & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  s=$(echo "$(date +%s.%N) - $start" | bc)
  rows+=("$n $s")
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/rgw-shards.json" "$bytes" "${rows[@]}" <<'PY'
import json, sys
path, size, rows = sys.argv[1], int(sys.argv[2]), [r.split() for r in sys.argv[3:]]
result = [{"shards": int(n), "seconds": round(float(s), 2), "MiB_per_s": round(size / float(s) / (1 << 20), 1)} for n, s in rows]
json.dump({"files": 2000, "bytes": size, "runs": result}, open(path, "w"), indent=2)
print("| shards | wall time | throughput |\n| ---: | ---: | ---: |")
for r in result:
    print(f"| {r['shards']} | {r['seconds']:.2f} s | {r['MiB_per_s']:.1f} MiB/s |")
PY
