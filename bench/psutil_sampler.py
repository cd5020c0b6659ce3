#!/usr/bin/python3
"""The psutil monitor's design, extended to a process tree: every INTERVAL
seconds, host figures plus per-member reads of the tree of ROOT through
psutil, one JSON line each. It is the baseline soakrun's sampler is compared
with; it is not part of soakrun.

usage: psutil_sampler.py ROOT INTERVAL DURATION OUTPUT
"""
import json
import sys
import time

import psutil


def main():
    root, interval, duration, output = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    top = psutil.Process(root)
    procs = {}
    end = time.monotonic() + duration
    with open(output, "w") as out:
        while time.monotonic() < end:
            t0 = time.monotonic()
            line = {
                "timestamp_unix": time.time(),
                "cpu_percent": psutil.cpu_percent(),
                "memory_used_mb": psutil.virtual_memory().used / 2**20,
                "disk_used_gb": psutil.disk_usage("/").used / 2**30,
                "network_bytes_sent": psutil.net_io_counters().bytes_sent,
            }
            rss = cpu = threads = fds = io_r = io_w = count = 0
            try:
                members = [top] + top.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            for p in members:
                p = procs.setdefault(p.pid, p)  # keep cpu_percent's state
                try:
                    with p.oneshot():
                        rss += p.memory_info().rss
                        cpu += p.cpu_percent()
                        threads += p.num_threads()
                        fds += p.num_fds()
                        io = p.io_counters()
                        io_r += io.read_bytes
                        io_w += io.write_bytes
                    count += 1
                except psutil.NoSuchProcess:
                    pass
            line.update(process_memory_mb=rss / 2**20, process_cpu_percent=cpu, process_threads=threads,
                        process_handles=fds, process_io_read_bytes=io_r, process_io_write_bytes=io_w,
                        process_count=count)
            out.write(json.dumps(line) + "\n")
            out.flush()
            time.sleep(max(0, interval - (time.monotonic() - t0)))


if __name__ == "__main__":
    main()
