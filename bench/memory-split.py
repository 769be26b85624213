#!/usr/bin/env python3
"""Peak memory split by kind: runs a command and samples /proc/PID/status (VmRSS, RssAnon, RssFile, RssShmem) every
10 ms, summing over the process and its descendants. ru_maxrss (what alternate.py and /usr/bin/time report) counts
file-backed pages too: for a .NET tool that is the mapped, read-only code of its assemblies, shared with every other
process that maps them and dropped by the kernel under pressure; RssAnon is the memory the run itself owns.

  python3 bench/memory-split.py --runs 3 --export results/x NAME CMD [NAME CMD ...]

Each CMD goes through `bash -c` (bash execs a simple command in place). Prints and writes x.md / x.json: for each
command the largest of its runs' peaks (sampled, so a peak shorter than 10 ms may be missed).
"""
import argparse
import json
import os
import subprocess
import time

FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem")


def descendants(pid):
    """pid and every process below it (from /proc/*/stat parents)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def sample(pids):
    total = dict.fromkeys(FIELDS, 0)
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    name, _, value = line.partition(":")
                    if name in total:
                        total[name] += int(value.split()[0])
        except OSError:
            pass
    return total


def run(command):
    child = subprocess.Popen(["bash", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = dict.fromkeys(FIELDS, 0)
    ticks = 0
    while child.poll() is None:
        # The process tree is re-read every 10th sample only: walking /proc costs more than reading a few status files.
        if ticks % 10 == 0:
            pids = descendants(child.pid)
        ticks += 1
        now = sample(pids)
        for name in FIELDS:
            peak[name] = max(peak[name], now[name])
        time.sleep(0.01)
    stderr = child.stderr.read()
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {command}\n{stderr.decode(errors='replace')}")
    return peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--export", required=True)
    parser.add_argument("pairs", nargs="+")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        raise SystemExit("give NAME CMD pairs")
    names, commands = args.pairs[0::2], args.pairs[1::2]
    peaks = {name: dict.fromkeys(FIELDS, 0) for name in names}
    for _ in range(args.runs):
        for name, command in zip(names, commands):
            for field, value in run(command).items():
                peaks[name][field] = max(peaks[name][field], value)
    lines = [f"Peak memory by kind, largest of {args.runs} runs each, sampled every 10 ms (MiB):", "",
             "| command | RSS | anonymous (the run's own) | file-backed (mapped code) | shared memory |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name in names:
        p = peaks[name]
        lines.append(f"| {name} | {p['VmRSS'] / 1024:.0f} | {p['RssAnon'] / 1024:.0f} | {p['RssFile'] / 1024:.0f} | {p['RssShmem'] / 1024:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.export + ".md", "w") as f:
        f.write(text)
    with open(args.export + ".json", "w") as f:
        json.dump({"runs": args.runs, "peaks_kib": peaks}, f, indent=2)


if __name__ == "__main__":
    main()
