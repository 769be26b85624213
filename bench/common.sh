# Shared helpers for the benchmark scripts (sourced).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The installed tool (bench/setup.sh): on linux-x64 a link to SyncTooling.Tool.linux-x64's apphost (ReadyToRun).
sync_cli="${SYNC_CLI:-$root/artifacts/bench/tool/sync}" # SYNC_CLI: another build to measure
sync_any="$root/artifacts/bench/tool-any/sync"
sync_r2r="$root/artifacts/bench/tool-r2r/sync" # the ReadyToRun linux-x64 package (before the native one)
# alternate --runs N --warmup W --export FILE [--prepare CMD] NAME CMD ...: tools in turn, run by run (bench/alternate.py).
alternate() { python3 "$root/bench/alternate.py" "$@"; }
[ -x "$sync_cli" ] || { echo "run bench/setup.sh first" >&2; exit 1; }

# make_tree DIR COUNT SIZE: COUNT files of SIZE bytes of random data, 100 files a folder.
make_tree() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
root, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(count):
    d = os.path.join(root, f"d{i // 100:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(size))
PY
}

# median_of FILE.json: the median seconds of each command in a hyperfine export, one line each.
median_of() {
  python3 - "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["median"]:.3f}s  median of {len(r["times"])}  {r["command"]}')
PY
}

# peak_kb CMD...: the peak resident memory of one run, in KiB.
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

# A private $work folder, removed on exit together with only the daemons this script started (their PIDs in $daemons).
work_with_daemons() {
  work=$(mktemp -d)
  daemons=()
  trap 'for p in "${daemons[@]}"; do { kill -9 "$p"; wait "$p"; } 2>/dev/null || true; done; rm -rf "$work"' EXIT
}

# daemons_cpu: the user + system seconds the daemons this script started ($daemons) have used so far, for the
# server's share of a run on a machine where server and client share the cores.
daemons_cpu() {
  python3 - "${daemons[@]}" <<'PY'
import os, sys
total = 0
for pid in sys.argv[1:]:
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    except FileNotFoundError:
        pass
print(total / os.sysconf("SC_CLK_TCK"))
PY
}
