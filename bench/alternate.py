#!/usr/bin/env python3
"""Runs commands in turn, run by run (A B C, B C A, C A B, ...), so a load spike on the shared machine hits every tool
alike; prints and exports the median wall time, the median CPU time and the peak resident memory of each.

  python3 bench/alternate.py --runs 9 --warmup 1 --export results/x [--prepare CMD] [--server-pid PID] NAME CMD [...]

Every CMD (and --prepare, run before each run of each command, untimed) goes through `bash -c`, so `$(date +%s%N)`
expands per run; bash execs a simple command in place, so the memory measured is the tool's. Writes x.json and x.md.
--server-pid (repeatable) adds the CPU time the local server process(es) spent during each run: on a machine where
the server shares the cores with the client, the server's share bounds the wall time any client can reach.
"""
import argparse
import json
import os
import statistics
import subprocess
import time


def server_cpu(pids):
    """User + system seconds of the given processes and their threads so far (/proc/PID/stat fields 14 and 15)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run(command, servers):
    server_before = server_cpu(servers)
    start = time.perf_counter()
    child = subprocess.Popen(["bash", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {command}\n{stderr.decode(errors='replace')}")
    # The server may still be finishing the last request's work (a write to its disk): count what it spends until then.
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, server_cpu(servers) - server_before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--prepare")
    parser.add_argument("--export", required=True)
    parser.add_argument("--server-pid", type=int, action="append", default=[])
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        raise SystemExit("give NAME CMD pairs")
    names, commands = args.pairs[0::2], args.pairs[1::2]
    samples = {name: [] for name in names}
    load_before = os.getloadavg()[0]
    for round_ in range(args.warmup + args.runs):
        order = list(range(len(names)))
        order = order[round_ % len(order):] + order[:round_ % len(order)]
        for i in order:
            if args.prepare:
                subprocess.run(["bash", "-c", args.prepare], check=True)
            sample = run(commands[i], args.server_pid)
            if round_ >= args.warmup:
                samples[names[i]].append(sample)
    load_after = os.getloadavg()[0]

    results = []
    for name, command in zip(names, commands):
        wall, cpu, rss, server = zip(*samples[name])
        results.append({"name": name, "command": command, "median": statistics.median(wall), "min": min(wall),
                        "max": max(wall), "cpu_median": statistics.median(cpu), "peak_rss_kib": max(rss),
                        "server_cpu_median": statistics.median(server) if args.server_pid else None,
                        "times": list(wall)})
    report = {"runs": args.runs, "warmup": args.warmup, "load_average_before": load_before,
              "load_average_after": load_after, "cpus": os.cpu_count(), "results": results}
    with open(args.export + ".json", "w") as f:
        json.dump(report, f, indent=1)
    fastest = min(r["median"] for r in results)
    lines = [f"Alternating runs: {args.runs} each after {args.warmup} warm-up; load average {load_before:.1f} before, "
             f"{load_after:.1f} after, on {os.cpu_count()} CPUs.", "",
             "| command | median wall | min | max | median CPU (user+sys) | peak RSS | x fastest |"
             + (" server CPU |" if args.server_pid else ""),
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if args.server_pid else "")]
    for r in results:
        server = f" {r['server_cpu_median']:.3f} s |" if args.server_pid else ""
        lines.append(f"| {r['name']} | {r['median']:.3f} s | {r['min']:.3f} s | {r['max']:.3f} s | {r['cpu_median']:.3f} s "
                     f"| {r['peak_rss_kib'] / 1024:.0f} MiB | {r['median'] / fastest:.2f} |{server}")
    with open(args.export + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
