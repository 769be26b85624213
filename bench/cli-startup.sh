#!/usr/bin/env bash
# Cold start of the `sync` tool against rclone and the AWS CLI, in one hyperfine run.
# Needs: dotnet, hyperfine, rclone, aws (apt-get install -y hyperfine rclone awscli).
# Usage: bash bench/cli-startup.sh   (writes bench/results/tmp/cli-startup.md and .json)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/results/tmp
mkdir -p "$out" "$work/empty-remote" "$work/tool"

# 1. The tool package exactly as users install it (framework-dependent, JIT).
dotnet pack src/SyncTooling.Cli -c Release -o "$work/pkg" >/dev/null
version=$(basename "$work"/pkg/SyncTooling.Tool.*.nupkg .nupkg | sed 's/^SyncTooling.Tool.//')
(cd "$work/tool" && dotnet new tool-manifest >/dev/null &&
  NUGET_PACKAGES="$work/nuget" dotnet tool install --local SyncTooling.Tool --add-source "$work/pkg" --version "$version" >/dev/null)

# 2. The same app published framework-dependent, plain and ReadyToRun (precompiled; less JIT at start-up).
dotnet publish src/SyncTooling.Cli -c Release -o "$work/jit" >/dev/null
dotnet publish src/SyncTooling.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null

# Debian's awscli package; a pyenv shim in front of it would add its own start-up.
aws=$(command -v /usr/bin/aws || command -v aws)

cd "$work/tool"
NUGET_PACKAGES="$work/nuget" hyperfine --warmup 3 --runs 20 --shell=none \
  --export-markdown "$OLDPWD/$out/cli-startup.md" --export-json "$OLDPWD/$out/cli-startup.json" \
  -n 'dotnet tool run sync -- --version' "env NUGET_PACKAGES=$work/nuget dotnet tool run sync -- --version" \
  -n 'sync --version (apphost, JIT)' "$work/jit/sync --version" \
  -n 'sync --version (apphost, ReadyToRun)' "$work/r2r/sync --version" \
  -n 'sync --version (JIT, TieredPGO=0)' "env DOTNET_TieredPGO=0 $work/jit/sync --version" \
  -n 'sync ls <empty> (apphost, JIT)' "$work/jit/sync ls $work/empty-remote" \
  -n 'sync ls <empty> (apphost, ReadyToRun)' "$work/r2r/sync ls $work/empty-remote" \
  -n 'dotnet tool run sync -- ls <empty>' "env NUGET_PACKAGES=$work/nuget dotnet tool run sync -- ls $work/empty-remote" \
  -n 'rclone version' 'rclone version' \
  -n 'aws --version' "$aws --version"
