#!/usr/bin/env python3
"""How much the CPU of a steady service wanders, and what the verdict makes of it.

Run each service under soakrun for 20 minutes, for example

    soakrun -q --interval 2s --timeout 20m --preserve-status -o py.jsonl -- python3 bench/cpu_noise.py --serve
    soakrun -q --interval 2s --timeout 20m --preserve-status -o stress.jsonl -- stress-ng --cpu 1 --cpu-load 20

then `bench/cpu_noise.py SOAKRUN py.jsonl stress.jsonl ...` prints, per file, the
tree CPU (percent of one core): the spread of the samples and of one-minute
medians, their lag-one autocorrelation, the largest move of the one-minute
median level between any two 5-minute stretches, and soakrun's CPU verdict on
the series forwards and time-reversed (a fall read backwards is a rise of the
same size), with the default threshold and with --min-span 10m.
"""
import json
import statistics
import subprocess
import sys
import tempfile


def serve():
    """A Python http.server answering a steady loop of 50 requests a second on loopback."""
    import http.server
    import threading
    import time
    import urllib.request

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    srv.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/" % srv.server_address[1]
    nxt = time.monotonic()
    while True:
        urllib.request.urlopen(url).read()
        nxt += 0.02
        time.sleep(max(0, nxt - time.monotonic()))


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            try:
                s = json.loads(line)
            except ValueError:
                continue
            if s.get("kind") in ("stopping", "exit") or s.get("process_cpu_percent") is None:
                continue
            rows.append(s)
    return rows


def lag1(v):
    m = statistics.fmean(v)
    den = sum((x - m) ** 2 for x in v)
    return sum((v[i] - m) * (v[i + 1] - m) for i in range(len(v) - 1)) / den if den else 0.0


def verdict(soakrun, rows):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
        for s in rows:
            f.write(json.dumps(s) + "\n")
        f.flush()
        out = subprocess.run([soakrun, "analyze", "-q", f.name], capture_output=True, text=True).stdout
    m = json.loads(out)["metrics"]["process_cpu_percent"]
    return "%s (%+.1f %%/h)" % (m["verdict"], m["slope_per_hour"])


def main():
    if sys.argv[1:] == ["--serve"]:
        serve()
    soakrun = sys.argv[1]
    for path in sys.argv[2:]:
        rows = load(path)
        t0 = rows[0]["timestamp_unix"]
        cpu = [s["process_cpu_percent"] for s in rows]
        minutes = {}
        for s in rows:
            minutes.setdefault(int((s["timestamp_unix"] - t0) // 60), []).append(s["process_cpu_percent"])
        med = [statistics.median(v) for _, v in sorted(minutes.items())]
        fives = [statistics.median(med[i:i + 5]) for i in range(0, len(med) - 4)]
        span = (rows[-1]["timestamp_unix"] - t0) / 60
        back = [dict(s, timestamp_unix=2 * t0 + span * 60 - s["timestamp_unix"]) for s in reversed(rows)]
        print("%-14s %3.0f min  mean %5.1f%%  sd %4.1f  1-min medians: sd %4.2f, lag-1 r %+.2f  "
              "5-min level moves up to %4.1f points  verdict %s, reversed %s"
              % (path, span, statistics.fmean(cpu), statistics.stdev(cpu), statistics.stdev(med), lag1(med),
                 max(fives) - min(fives), verdict(soakrun, rows), verdict(soakrun, back)))


if __name__ == "__main__":
    main()
