#!/usr/bin/env bash
# Installs what the benchmarks compare against and builds the `sync` tool once, in Release.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
for tool in hyperfine rclone aws rsync; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sed 's/^aws$/awscli/' | tr '\n' ' ')
  (apt-get update -qq && apt-get install -y -qq $pkgs) >/dev/null
fi
(cd "$root/tests/s3rver" && [ -d node_modules/s3rver ] || npm ci --no-audit --no-fund --silent)
(cd "$root/tests/azurite" && [ -d node_modules/azurite ] || npm ci --no-audit --no-fund --silent)
dotnet publish "$root/src/SyncTooling.Cli" -c Release -o "$root/artifacts/bench/cli" -v quiet -nologo >/dev/null
echo "ready: $(hyperfine --version), $(rclone version | head -1), $(/usr/bin/aws --version 2>&1), $(rsync --version | head -1)"
