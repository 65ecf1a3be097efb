#!/usr/bin/env python3
"""Benchmark of psview with 1,000 entries (not a test: it prints figures).

    scripts/bench-psview.py [--bin DIR] [--engines 5] [--entries 200] [--trials 30]

Writes ENGINES state files of ENTRIES entries each, the way an engine does (JSON,
temporary file + rename, a fresh heartbeat every MONITOR_INTERVAL = 10 s, engine pid =
this script, so psview shows them running), starts psview on them in a private tmux
server (160x50), and measures:

1. idle CPU: psview's utime+stime from /proc/PID/stat over 10 s with nothing but the
   heartbeats (and psview's own 1 s clock) happening;
2. change -> screen: a visible entry's restart_count is changed in its state file and
   the screen is read with `tmux capture-pane` in a loop until the new number shows. The
   figure includes the capture loop (a few ms a round); psview's own part is smaller.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MONITOR_INTERVAL = 10


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def document(folder, engine, entries):
    state = f"{folder}/engine{engine}.state"
    key = f"0x7e57{engine:04x}"
    return state, {
        "version": 1, "pid": os.getpid(), "uid": os.getuid(), "host": os.uname().nodename.split(".")[0],
        "started_at": now_iso(), "heartbeat_at": now_iso(), "pfile": f"{folder}/pfile{engine}",
        "ipckey": key,
        "params": {"IPCKEY": key, "MONITOR_INTERVAL": MONITOR_INTERVAL, "MSG_CHECK_INTERVAL": 5,
                   "RESTART_TIMEOUT": 60, "SHM_DUMP_FILE": state},
        "control_socket": state + ".sock", "engine_sts": "running",
        "entries": [{
            "pent_id": i + 1, "pname": f"/opt/app{engine}/bin/service-{i + 1:03d}", "pid": 100000 + engine * 1000 + i,
            "retry_count": 0, "restart_count": 0, "proc_sts": "AVAIL", "retry_over_act": "exit",
            "rerun_time": None, "include_strings": "", "monitor_sts": "on",
            "restart_script": f"/opt/app{engine}/bin/start-{i + 1:03d}.sh", "grace": 86400, "retry": 3,
            "exclude_strings": "", "user": None, "start_wait": 10, "script_running": False,
        } for i in range(entries)],
        "events": [{"time": now_iso(), "pent_id": None, "text": f"Start pcheck!! (engine {engine})"}],
    }


def write(path, doc):
    temporary = f"{os.path.dirname(path)}/.{os.path.basename(path)}.{os.getpid()}.tmp"
    with open(temporary, "w") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temporary, 0o644)
    os.rename(temporary, path)


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=None, help="folder of the built psview (default: swift build --show-bin-path)")
    parser.add_argument("--engines", type=int, default=5)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    binary = args.bin or subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True,
                                        text=True, check=True).stdout.strip()
    psview = f"{binary}/psview"
    folder = tempfile.mkdtemp(prefix="psview-bench-")
    server = f"psaver-bench-{os.getpid()}"
    tmux = ["tmux", "-L", server]
    lock = threading.Lock()
    docs = {}
    stop = threading.Event()
    try:
        for engine in range(args.engines):
            path, doc = document(folder, engine, args.entries)
            docs[path] = doc
            write(path, doc)

        def heartbeats():  # each engine's heartbeat, spread over the interval
            while not stop.is_set():
                for path, doc in docs.items():
                    if stop.wait(MONITOR_INTERVAL / len(docs)):
                        return
                    with lock:
                        doc["heartbeat_at"] = now_iso()
                        write(path, doc)

        threading.Thread(target=heartbeats, daemon=True).start()
        command = " ".join(["env", "-u", "NO_COLOR", "TERM=tmux-256color", "LANG=C.UTF-8", psview] + sorted(docs))
        subprocess.run(tmux + ["new-session", "-d", "-x", "160", "-y", "50", command], check=True)
        pane = int(subprocess.run(tmux + ["display", "-p", "#{pane_pid}"], capture_output=True, text=True).stdout)
        # The pane's shell execs psview (one simple command).
        deadline = time.time() + 20
        while "service-001" not in screen(tmux):
            if time.time() > deadline:
                sys.exit("psview did not show the entries")
            time.sleep(0.1)
        header = screen(tmux).splitlines()[0]
        time.sleep(2)

        hz = os.sysconf("SC_CLK_TCK")
        before, start = cpu_ticks(pane), time.monotonic()
        time.sleep(10)
        after, elapsed = cpu_ticks(pane), time.monotonic() - start
        cpu = (after - before) / hz / elapsed * 100

        first = sorted(docs)[0]
        latencies = []
        for trial in range(args.trials):
            value = 20000 + trial
            with lock:
                docs[first]["entries"][0]["restart_count"] = value
                started = time.monotonic()
                write(first, docs[first])
            needle = f" {value} "
            while needle not in screen(tmux):
                if time.monotonic() - started > 5:
                    sys.exit(f"trial {trial}: {value} not on screen after 5 s")
            latencies.append((time.monotonic() - started) * 1000)
            time.sleep(0.2)
        latencies.sort()
        capture = []
        for _ in range(20):
            t = time.monotonic()
            screen(tmux)
            capture.append((time.monotonic() - t) * 1000)

        print(f"psview: {psview}")
        print(f"entries: {args.engines} engines x {args.entries} = {args.engines * args.entries}; screen 160x50")
        print(f"header: {header.strip()}")
        print(f"idle CPU over {elapsed:.1f} s: {cpu:.2f}% of one core "
              f"({after - before} ticks of 1/{hz} s; heartbeats every {MONITOR_INTERVAL} s per engine)")
        print(f"change -> screen over {len(latencies)} trials: median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, max {latencies[-1]:.1f} ms "
              f"(one capture-pane round costs {statistics.median(capture):.1f} ms)")
    finally:
        stop.set()
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def screen(tmux):
    return subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout


if __name__ == "__main__":
    main()
