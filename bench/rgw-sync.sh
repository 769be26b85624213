#!/usr/bin/env bash
# `sync` against `aws s3 sync` on Ceph RGW 16.2 (a one-node cluster on the in-memory store, set up as the
# tests' CephRgw fixture does): 2,000 files of 4 KiB, first sync up and down, no-change up and down; one run
# each (a production server's listing and write path, where s3-sync.sh measures s3rver's).
set -euo pipefail
source "$(dirname "$0")/common.sh"
ceph_packages="ceph-mon ceph-osd radosgw ceph-common"
command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null ||
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $ceph_packages) >/dev/null
work=$(mktemp -d)
daemons=()
# Only the daemons this script started, by their PIDs.
trap 'for p in "${daemons[@]}"; do { kill -9 "$p"; wait "$p"; } 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

c="$work/ceph"; mkdir -p "$c"/{run,log,mon,osd,rgw}
fsid=$(cat /proc/sys/kernel/random/uuid); mon_port=$(free_port); port=$(free_port)
cat >"$c/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
paxos propose interval = 0.1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
osd objectstore = memstore
memstore device bytes = 4294967296
run dir = $c/run
admin socket = $c/run/\$name.asok
log file = $c/log/\$name.log
keyring = $c/keyring
mon data = $c/mon
osd data = $c/osd
rgw data = $c/rgw

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$port
EOF
as=(); [ "$(id -u)" -eq 0 ] && as=(--setuser root --setgroup root)
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$c/monmap" >/dev/null
ceph-mon -c "$c/ceph.conf" --mkfs -i a --monmap "$c/monmap" "${as[@]}"
ceph-mon -c "$c/ceph.conf" -f -i a "${as[@]}" >"$c/log/mon.out" 2>&1 & daemons+=($!)
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
ceph -c "$c/ceph.conf" --connect-timeout 20 osd new "$osd_uuid" >/dev/null
ceph-osd -c "$c/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid" "${as[@]}" 2>/dev/null
ceph-osd -c "$c/ceph.conf" -f -i 0 "${as[@]}" >"$c/log/osd.out" 2>&1 & daemons+=($!)
radosgw -c "$c/ceph.conf" -f -n client.rgw "${as[@]}" >"$c/log/rgw.out" 2>&1 & daemons+=($!)
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
radosgw-admin -c "$c/ceph.conf" user create --uid=bench --display-name=bench --access-key=BENCHRGWKEY --secret=bench-rgw-secret >/dev/null

# aws-cli gets a private home and config: nothing is read from or written to ~/.aws.
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/home/aws-credentials"
mkdir -p "$HOME"
export AWS_ACCESS_KEY_ID=BENCHRGWKEY AWS_SECRET_ACCESS_KEY=bench-rgw-secret AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
endpoint="http://127.0.0.1:$port"
aws=(/usr/bin/aws --endpoint-url "$endpoint")
"${aws[@]}" s3 mb s3://bench-aws >/dev/null
"${aws[@]}" s3 mb s3://bench-ours >/dev/null
ours="s3://bench-ours/tree?endpoint_override=127.0.0.1:$port&scheme=http"
out="$root/bench/results"; mkdir -p "$out"
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

python3 - "$out" <<'PY'
import json, sys
print("| | aws s3 sync | sync | ratio |\n| --- | ---: | ---: | ---: |")
for phase in ["up-first", "down-first", "up-nochange", "down-nochange"]:
    aws, ours = (r["mean"] for r in json.load(open(f"{sys.argv[1]}/rgw-{phase}.json"))["results"])
    print(f"| {phase} | {aws:.3f} s | {ours:.3f} s | {ours / aws:.2f}x |")
PY
