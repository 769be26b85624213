#!/usr/bin/env bash
# Installs what the benchmarks compare against, and the `sync` tool as users install it: `dotnet pack` (the pointer
# package and one ReadyToRun package per platform), then `dotnet tool install --tool-path` from that folder, which on
# linux-x64 installs SyncTooling.Tool.linux-x64 (the path a global install takes, without touching ~/.dotnet/tools).
# The portable SyncTooling.Tool.any goes beside it, for the start-up comparison. The linux-x64 package is Native AOT
# (clang links it), the others ReadyToRun.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
for tool in hyperfine rclone aws rsync clang; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sed 's/^aws$/awscli/' | tr '\n' ' ')
  (apt-get update -qq && apt-get install -y -qq $pkgs) >/dev/null
fi
(cd "$root/tests/s3rver" && [ -d node_modules/s3rver ] || npm ci --no-audit --no-fund --silent)
(cd "$root/tests/azurite" && [ -d node_modules/azurite ] || npm ci --no-audit --no-fund --silent)

bench="$root/artifacts/bench"
rm -rf "$bench/pkg" "$bench/tool" "$bench/tool-any" "$bench/home"
dotnet pack "$root/src/SyncTooling.Cli" -c Release -o "$bench/pkg" -v quiet -nologo >/dev/null
version=$(basename "$bench"/pkg/SyncTooling.Tool.any.*.nupkg .nupkg | sed 's/^SyncTooling.Tool.any.//')
printf '<configuration><packageSources><clear /><add key="bench" value="%s" /></packageSources></configuration>\n' "$bench/pkg" >"$bench/nuget.config"
# A private home: no resolver cache or packages folder of the user's is read or written.
export DOTNET_CLI_HOME="$bench/home" NUGET_PACKAGES="$bench/home/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool install --tool-path "$bench/tool" SyncTooling.Tool --version "$version" --configfile "$bench/nuget.config" >/dev/null
dotnet tool install --tool-path "$bench/tool-any" SyncTooling.Tool.any --version "$version" --configfile "$bench/nuget.config" >/dev/null
# The ReadyToRun linux-x64 package the tool shipped before the native one (-p:SyncNativeToolPackage=false), for the
# rows that show what Native AOT changed; its own feed and pointer, so the install above is untouched.
rm -rf "$bench/pkg-r2r" "$bench/tool-r2r"
dotnet pack "$root/src/SyncTooling.Cli" -c Release -o "$bench/pkg-r2r" -v quiet -nologo -p:SyncNativeToolPackage=false \
  -p:ToolPackageRuntimeIdentifiers=linux-x64 -p:NuspecOutputPath="$bench/nuspec-r2r/" >/dev/null
printf '<configuration><packageSources><clear /><add key="bench" value="%s" /></packageSources></configuration>\n' "$bench/pkg-r2r" >"$bench/nuget-r2r.config"
dotnet tool install --tool-path "$bench/tool-r2r" SyncTooling.Tool --version "$version" --configfile "$bench/nuget-r2r.config" >/dev/null
echo "installed: $(readlink "$bench/tool/sync")"
echo "ready: $(hyperfine --version), $(rclone version | head -1), $(/usr/bin/aws --version 2>&1), $(rsync --version | head -1)"
