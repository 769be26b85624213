#!/usr/bin/env bash
# Start-up of the installed `sync` tool (issue 14: `sync --version` <= `rclone version`) against rclone and the AWS CLI,
# alternating run by run. Run bench/setup.sh first: it packs and installs the tool as users get it (on linux-x64 the
# native SyncTooling.Tool.linux-x64), the ReadyToRun package it replaced and the portable SyncTooling.Tool.any beside it.
# Usage: bash bench/cli-startup.sh   (writes bench/results/i14/cli-startup.json and .md)
set -euo pipefail
source "$(dirname "$0")/common.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty" "$work/manifest"
out="${OUT:-$root/bench/results/i14}"; mkdir -p "$out" # OUT: another folder for the results
bench="$root/artifacts/bench"

# `dotnet tool run` from a local tool manifest (the README's install), in the same private home as the install.
export DOTNET_CLI_HOME="$bench/home" NUGET_PACKAGES="$bench/home/packages"
# rclone makes ~/.config/rclone when it looks for its config; a private, empty one keeps it out of the home.
export RCLONE_CONFIG="$work/rclone.conf"; : >"$RCLONE_CONFIG"
version=$("$sync_cli" --version | sed 's/^sync \([^+]*\).*/\1/')
(cd "$work/manifest" && dotnet new tool-manifest >/dev/null &&
  dotnet tool install --local SyncTooling.Tool --version "$version" --configfile "$bench/nuget.config" >/dev/null)

# The floor: an empty .NET 10 console program (prints one line), framework-dependent and ReadyToRun like the tool,
# so the table shows what the runtime's start alone costs next to `rclone version`.
(cd "$work" && dotnet new console -o hello --force >/dev/null &&
  dotnet publish hello -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:TieredPGO=false -o hello/out -v quiet -nologo >/dev/null)

# Debian's awscli package; a pyenv shim in front of it would add its own start-up.
alternate --runs 20 --warmup 3 --export "$out/cli-startup" \
  ".NET 10 hello world (ReadyToRun, the runtime's floor)" "$work/hello/out/hello" \
  "sync --version (installed: native)" "$sync_cli --version" \
  "sync --version (ReadyToRun package)" "$sync_r2r --version" \
  "sync --version (portable .any, JIT)" "$sync_any --version" \
  "dotnet tool run sync -- --version" "cd $work/manifest && exec dotnet tool run sync -- --version" \
  "sync ls <empty> (installed)" "$sync_cli ls $work/empty" \
  "rclone version" "rclone version" \
  "aws --version" "/usr/bin/aws --version"
