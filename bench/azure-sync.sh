#!/usr/bin/env bash
# Issue 13: Azure Blob Storage against one Azurite, side by side with rclone's azureblob backend, one run each:
#   2,000 files of 4 KiB: first sync and no-change re-sync; one 256 MiB file (staged blocks). Peak memory too.
set -euo pipefail
source "$(dirname "$0")/common.sh"
unset AWS_CA_BUNDLE # rclone refuses to start with it set
work=$(mktemp -d)
export HOME="$work/home"; mkdir -p "$HOME" # nothing here reads or writes the real home
data="$work/azurite"; mkdir -p "$data"
node "$root/tests/azurite/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort 0 \
  --location "$data" --silent --skipApiVersionCheck --loose >"$work/azurite.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do grep -q "successfully listens" "$work/azurite.log" && break; sleep 0.1; done
port=$(sed -n 's/.*successfully listens on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$work/azurite.log")
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' # Azurite's published key
endpoint="http://127.0.0.1:$port/$account"
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=$endpoint;"
# One container per tool, so no tool lists or writes beside another's blobs; created with an account SAS.
for c in bench-rclone bench-ours; do
  curl -sf -X PUT -H "x-ms-version: 2019-12-12" -H "Content-Length: 0" "$endpoint/$c?restype=container&$(python3 "$root/bench/azure-sas.py" "$endpoint" $account "$key")" >/dev/null
done
# rclone from its own empty config file plus environment variables; never ~/.config. rclone 1.60 (Debian) reaches
# neither an emulator at another port (its endpoint option is a domain suffix behind https://ACCOUNT.) nor, in this
# build, one at use_emulator's 127.0.0.1:10000; a container SAS URL reaches Azurite anywhere.
export RCLONE_CONFIG="$work/rclone.conf"; : >"$RCLONE_CONFIG"
export RCLONE_CONFIG_BENCH_TYPE=azureblob RCLONE_CONFIG_BENCH_SAS_URL="$(python3 "$root/bench/azure-sas.py" "$endpoint" $account "$key" bench-rclone)"
ours() { echo "az://bench-ours/$1"; }
out="${OUT:-$root/bench/results}"; mkdir -p "$out" # OUT: another folder for the results

make_tree "$work/small" 2000 4096
mkdir -p "$work/large"; head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/large/model.bin"

hyperfine --runs 1 \
  -n "rclone sync (first)" "rclone sync $work/small bench:bench-rclone/first" \
  -n "sync up (first)" "$sync_cli up $work/small $(ours first) --quiet" \
  --export-json "$out/azure-first.json" --export-markdown "$out/azure-first.md"

hyperfine --runs 1 \
  -n "rclone sync (no change)" "rclone sync $work/small bench:bench-rclone/first" \
  -n "sync up (no change)" "$sync_cli up $work/small $(ours first) --quiet" \
  --export-json "$out/azure-resync.json" --export-markdown "$out/azure-resync.md"

hyperfine --runs 1 \
  -n "rclone sync (256 MiB)" "rclone sync $work/large bench:bench-rclone/large" \
  -n "sync up (256 MiB)" "$sync_cli up $work/large $(ours large) --quiet" \
  --export-json "$out/azure-large.json" --export-markdown "$out/azure-large.md"

echo "peak RSS KiB (2,000 files first / 256 MiB):"
echo "  rclone: $(peak_kb rclone sync "$work/small" bench:bench-rclone/mem) / $(peak_kb rclone sync "$work/large" bench:bench-rclone/meml)"
echo "  sync:   $(peak_kb "$sync_cli" up "$work/small" "$(ours mem)" --quiet) / $(peak_kb "$sync_cli" up "$work/large" "$(ours meml)" --quiet)"
median_of "$out/azure-first.json"; median_of "$out/azure-resync.json"; median_of "$out/azure-large.json"
