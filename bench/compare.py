#!/usr/bin/python3
"""Measures what watching a process tree costs, side by side in one run:
soakrun's sampler (`soakrun monitor --pid`), the old psutil monitor's
design (psutil_sampler.py) and pidstat(1), all sampling the same tree of
sleep(1) processes at the same interval. Prints a markdown table of each
tool's CPU time (user + system, from wait4) and peak RSS, and its steady
rate: the CPU it used between 5 s after its start and 3 s before its end,
read from /proc, which leaves out what every tool pays once (starting up,
opening its files, stopping) and is what each further hour of a soak costs.

soakrun then runs alone, as users run it, twice: --cgroup=off (a process
group) and --cgroup=required (a cgroup of its own, where the kernel keeps
the tree's totals), the latter skipped where no cgroup can be had.

--tree wake makes every member a perl loop that wakes twice a second, so
none of them sits out a sample: the worst case for soakrun, which reads
only the memory of members that have not run since its last sample.

usage: bench/compare.py [--processes N] [--interval S] [--duration S] [--tree sleep|wake]
needs: go, python3-psutil and sysstat (Debian packages)
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (state first),
    or None if the process is gone. No psutil: the harness must not favour
    one tool's library."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def tree_pids(root):
    """The pids below root, from /proc."""
    parent = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := stat_fields(name)):
            parent[int(name)] = int(fields[1])
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def cpu_seconds(pid):
    """User + system CPU time of pid so far (0 if gone)."""
    fields = stat_fields(pid)
    if not fields:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def guard_of(pid):
    """The pid of soakrun's guard among pid's descendants, or None."""
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/environ", "rb") as f:
                if b"SOAKRUN_GUARD=" in f.read():
                    return p
        except OSError:
            pass
    return None


def steady(groups, start, duration):
    """The CPU each group of pids uses, as % of one core, from 5 s after
    start to 3 s before duration has passed since start."""
    time.sleep(max(0, start + 5 - time.time()))
    before = {name: sum(map(cpu_seconds, pids)) for name, pids in groups.items()}
    t0 = time.time()
    time.sleep(max(0, start + duration - 3 - t0))
    span = time.time() - t0
    return {name: 100 * (sum(map(cpu_seconds, pids)) - before[name]) / span for name, pids in groups.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=500)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--tree", choices=["sleep", "wake"], default="sleep")
    a = ap.parse_args()
    member = {"sleep": "sleep 100000",
              "wake": "perl -e 'select(undef, undef, undef, 0.5) while 1'"}[a.tree]
    spawn = f"for i in $(seq {a.processes}); do {member} & done; wait"

    work = tempfile.mkdtemp(prefix="soakrun-bench-")
    soakrun = os.path.join(work, "soakrun")
    subprocess.run(["go", "build", "-o", soakrun, "./cmd/soakrun"], cwd=REPO, check=True)

    tree = subprocess.Popen(["sh", "-c", spawn],
                            start_new_session=True)
    try:
        deadline = time.time() + 60
        while len(tree_pids(tree.pid)) < a.processes and time.time() < deadline:
            time.sleep(0.2)
        members = [tree.pid] + tree_pids(tree.pid)
        print(f"tree: {len(members)} processes ({a.tree}); sampling every {a.interval} s for {a.duration} s", file=sys.stderr)

        n = int(a.duration / a.interval)
        tools = {
            "soakrun monitor --pid (tree + host, JSONL)": [soakrun, "monitor", "--quiet", "--pid", str(tree.pid),
                                      "--interval", f"{a.interval}s", "--duration", f"{a.duration}s",
                                      "-o", os.path.join(work, "soakrun.jsonl")],
            "psutil, the psutil monitor's design (tree + host, JSONL)": ["/usr/bin/python3", os.path.join(HERE, "psutil_sampler.py"),
                                              str(tree.pid), str(a.interval), str(a.duration),
                                              os.path.join(work, "psutil.jsonl")],
            "pidstat -r -u -d (the pids only: no tree, no fds)": ["pidstat", "-h", "-r", "-u", "-d", "-p", ",".join(map(str, members)),
                                 str(int(a.interval)), str(n)],
        }
        running = {}
        start = time.time()
        for name, argv in tools.items():
            running[subprocess.Popen(argv, stdout=subprocess.DEVNULL).pid] = name
        # Side by side: the steady rates are read over the same seconds.
        rates = steady({name: [pid] for pid, name in running.items()}, start, a.duration)
        results = {}
        while running:
            pid, status, ru = os.wait4(-1, 0)
            if pid in running:
                results[running.pop(pid)] = ru
    finally:
        os.killpg(tree.pid, signal.SIGKILL)
        tree.wait()

    # Then soakrun as users run it, alone: launching and supervising its own
    # tree of the same size, in a process group and then, where one can be
    # had, in a cgroup of its own (whose totals the kernel keeps: one read
    # per file, whatever the tree's size). wait4 would count the tree's own
    # start-up too, so soakrun's CPU is its own account (RUSAGE_SELF, in the
    # analysis file) and its guard's is read from /proc 3 s before the end.
    for mode, label in (("off", "process group"), ("required", "cgroup")):
        name = f"soakrun --cgroup={mode} -- (alone, {label}: its own tree, with the verdict and report); soakrun + its guard"
        out = os.path.join(work, f"run-{mode}.jsonl")
        start = time.time()
        run = subprocess.Popen([soakrun, "--quiet", "--cgroup", mode, "--interval", f"{a.interval}s", "--timeout", f"{a.duration}s",
                                "--kill-after", "0", "-o", out, "--",
                                "sh", "-c", spawn])
        time.sleep(1)
        pids = [run.pid] + [g for g in [guard_of(run.pid)] if g]
        rates.update(steady({name: pids}, start, a.duration))
        guard_cpu = sum(map(cpu_seconds, pids[1:]))
        if run.wait() == 125:
            print(f"{name}: no cgroup to be had here", file=sys.stderr)
            del rates[name]
            continue
        with open(out.replace(".jsonl", ".analysis.json")) as f:
            facts = json.load(f)["run"]
        results[name] = (facts["soakrun_cpu_seconds"] + guard_cpu, facts["soakrun_peak_rss_mb"])
        tools[name] = None

    print(f"| tool ({a.processes} {a.tree} processes, every {a.interval:g} s, {a.duration:g} s) | CPU s | % of one core | steady % of one core | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name in tools:
        r = results[name]
        cpu, rss = (r.ru_utime + r.ru_stime, r.ru_maxrss / 1024) if hasattr(r, "ru_utime") else r
        print(f"| {name} | {cpu:.2f} | {100 * cpu / a.duration:.2f} | {rates[name]:.2f} | {rss:.1f} |")


if __name__ == "__main__":
    main()
