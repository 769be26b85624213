# Starts a one-node Ceph RGW 16.2 (in-memory store, as the tests' CephRgw fixture sets it up) for a benchmark
# script (sourced after common.sh): sets $work, $c (the cluster folder), $port (the gateway's) and the user
# BENCHRGWKEY / bench-rgw-secret; on exit kills only the daemons it started, by their PIDs, and removes $work.
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

