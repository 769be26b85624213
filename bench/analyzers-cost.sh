#!/usr/bin/env bash
# Cost of the SyncTooling analyzers on a build: generates a 2,000-file project that creates SyncConfig
# objects (and calls a Syncer) and times a full `dotnet build` with and without the analyzers.
# Usage: bash bench/analyzers-cost.sh [files=2000] [runs=10] [reports=5]
# Needs hyperfine (apt-get install hyperfine). Results go to bench/analyzers-cost.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-2000}
runs=${2:-10}
reports=${3:-5}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build src/SyncTooling -c Release -v:q -nologo >/dev/null
dotnet build analyzers/SyncTooling.Analyzers -c Release -v:q -nologo >/dev/null
core=$(pwd)/src/SyncTooling/bin/Release/net10.0
analyzer=$(pwd)/analyzers/SyncTooling.Analyzers/bin/Release/netstandard2.0/SyncTooling.Analyzers.dll

# Outside the repository, so the repo's Directory.Build.props (warnings as errors, analysis level) stay out.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/Bench.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <NoWarn>\$(NoWarn);SYNC002;SYNC006</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$core/SyncTooling.dll" />
    <Reference Include="$core/Microsoft.Extensions.Logging.Abstractions.dll" Condition="Exists('$core/Microsoft.Extensions.Logging.Abstractions.dll')" />
    <Analyzer Include="$analyzer" Condition="'\$(UseSyncAnalyzers)' == 'true'" />
  </ItemGroup>
</Project>
XML
mkdir -p "$work/Generated"
for i in $(seq 1 "$files"); do
  cat > "$work/Generated/Run$i.cs" <<CS
using SyncTooling;

namespace Bench;

public static class Run$i
{
    private const string Bucket = "s3://bench-bucket-$i";

    public static SyncConfig Cloud() => new SyncConfig
    {
        UploadDir = Bucket + "/experiments/run$i?region=eu-west-1",
        SyncPeriod = TimeSpan.FromSeconds($i),
        SyncTimeout = TimeSpan.FromMinutes(30),
        SyncArtifacts = true,
        SyncArtifactsOnCheckpoint = true,
    };

    public static SyncConfig Local(string dir) => Cloud() with { UploadDir = dir, SyncOnCheckpoint = false };

    public static bool Upload(Syncer syncer, string local) =>
        syncer.SyncUp(local, Bucket + "/run$i", exclude: ["*.tmp", "cache/", "log[0-9]*"]);

    public static int Sum(int a, int b)
    {
        var values = new List<int> { a, b, $i };
        return values.Where(v => v % 2 == 0).Sum() + values.Count;
    }
}
CS
done

dotnet restore "$work/Bench.csproj" -v:q >/dev/null
# A warm-up build of each so the compiler server is running and the files are in the page cache.
dotnet build "$work/Bench.csproj" --no-restore -v:q -nologo -p:UseSyncAnalyzers=true >/dev/null
dotnet build "$work/Bench.csproj" --no-restore -v:q -nologo -p:UseSyncAnalyzers=false >/dev/null

hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/hyperfine.md" \
  -n without "dotnet build $work/Bench.csproj --no-restore --no-incremental -v:q -nologo -p:UseSyncAnalyzers=false" \
  -n with "dotnet build $work/Bench.csproj --no-restore --no-incremental -v:q -nologo -p:UseSyncAnalyzers=true"
cat "$work/hyperfine.md"

# The compiler's own measurement, less sensitive to other load on the machine than wall-clock time: the
# time spent in each analyzer (summed over the compiler's threads), and the csc task's wall-clock time.
echo
echo "Analyzer execution time reported by the compiler (-p:ReportAnalyzer=true), $reports builds:"
for r in $(seq 1 "$reports"); do
  dotnet build "$work/Bench.csproj" --no-restore --no-incremental -v:d -nologo -p:UseSyncAnalyzers=true -p:ReportAnalyzer=true -clp:PerformanceSummary > "$work/report.log"
  total=$(sed -n 's/.*Total analyzer execution time: *\([0-9.]*\) seconds.*/\1/p' "$work/report.log" | head -1)
  ours=$(sed -n 's/^ *\([<0-9.]*\) *[<0-9]* *SyncTooling.Analyzers, Version.*/\1/p' "$work/report.log" | head -1)
  csc=$(sed -n 's/^ *\([0-9]*\) ms *Csc *[0-9]* calls.*/\1/p' "$work/report.log" | head -1)
  echo "build $r: csc ${csc} ms, all analyzers ${total} s, SyncTooling.Analyzers ${ours} s"
done
grep -E '^ *[<0-9.]+ +[<0-9]+ +SyncTooling\.Analyzers\.' "$work/report.log" | sed 's/^ */  /' | sort -k3
